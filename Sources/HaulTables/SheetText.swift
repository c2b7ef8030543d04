import Foundation
import HaulCore

/// A spreadsheet's exported text as it comes from the office: CSV in UTF-8 (with or without
/// Excel's byte-order mark), CSV in Windows-1252 (Excel's plain "CSV"), or Excel's "Unicode
/// text" (UTF-16 with a byte-order mark, tab-separated).
public struct SheetText: Sendable, Hashable {
    /// The sheet's text, decoded and without its byte-order mark, ready for `CSVReader`.
    public var text: String
    /// The field separator: a comma, or a tab for Excel's "Unicode text".
    public var separator: UInt8
    /// How the bytes were read, when it was not plain UTF-8 ("read as Windows-1252 …"), for the user to see.
    public var note: String?

    /// Reads `data`, or says which line holds the first byte it cannot read and how to save the sheet instead.
    public static func decode(_ data: Data, file: String) throws(TableProblem) -> SheetText {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let littleEndian = bytes[0] == 0xFF
            guard (bytes.count - 2) % 2 == 0 else {
                throw TableProblem(file: file, line: 0, column: 0, message: "the file starts as UTF-16 but has an odd number of bytes; save the sheet as 'CSV UTF-8 (Comma delimited)'")
            }
            var units: [UInt16] = []
            units.reserveCapacity((bytes.count - 2) / 2)
            var index = 2
            while index + 1 < bytes.count {
                units.append(littleEndian ? UInt16(bytes[index]) | UInt16(bytes[index + 1]) << 8 : UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1]))
                index += 2
            }
            var text = ""
            var line = 1
            var iterator = units.makeIterator()
            var decoder = UTF16()
            loop: while true {
                switch decoder.decode(&iterator) {
                case .scalarValue(let scalar):
                    if scalar == "\n" { line += 1 }
                    text.unicodeScalars.append(scalar)
                case .emptyInput:
                    break loop
                case .error:
                    throw TableProblem(file: file, line: line, column: 0, message: "a broken UTF-16 character; save the sheet as 'CSV UTF-8 (Comma delimited)'")
                }
            }
            let header = text.prefix { $0 != "\n" && $0 != "\r\n" }
            let tabs = header.contains("\t") && !header.contains(",")
            return SheetText(text: text, separator: tabs ? 9 : 44,
                             note: "read as UTF-16\(tabs ? ", tab-separated (Excel's 'Unicode text')" : "")")
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        if let text = String(validating: body, as: UTF8.self) {
            return SheetText(text: text, separator: 44, note: nil)
        }
        // UTF-8 with a damaged byte is not Windows-1252: read that way, every accented letter
        // would be kept garbled in the chain. A well-formed multi-byte sequence says UTF-8.
        if let damaged = damagedUTF8(body) {
            throw TableProblem(file: file, line: damaged, column: 0,
                               message: "the file is UTF-8 but has a damaged character on this line; save the sheet again as 'CSV UTF-8 (Comma delimited)'")
        }
        // Not UTF-8: Excel's plain "CSV" on Windows writes Windows-1252. Five bytes have no
        // character there; one of them means the file is something else.
        var text = ""
        text.unicodeScalars.reserveCapacity(body.count)
        var line = 1
        for byte in body {
            if byte == 10 { line += 1 }
            guard let scalar = windows1252(byte) else {
                throw TableProblem(file: file, line: line, column: 0,
                                   message: "byte 0x\(String(byte, radix: 16, uppercase: true)) is neither UTF-8 nor Windows-1252; save the sheet as 'CSV UTF-8 (Comma delimited)'")
            }
            text.unicodeScalars.append(scalar)
        }
        return SheetText(text: text, separator: 44, note: "not UTF-8: read as Windows-1252 (Excel's 'CSV'); save as 'CSV UTF-8 (Comma delimited)' to be sure of every character")
    }

    /// The line of the first byte that breaks UTF-8, when the bytes also hold a well-formed
    /// multi-byte UTF-8 character (so they are UTF-8, damaged); nil otherwise.
    static func damagedUTF8(_ bytes: [UInt8]) -> Int? {
        var index = 0, line = 1
        var firstBad: Int?
        var sawMultiByte = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 10 { line += 1 }
            let length = byte < 0x80 ? 1 : byte >= 0xC2 && byte <= 0xDF ? 2 : byte >= 0xE0 && byte <= 0xEF ? 3 : byte >= 0xF0 && byte <= 0xF4 ? 4 : 0
            if length > 1, index + length <= bytes.count, bytes[(index + 1)..<(index + length)].allSatisfy({ $0 & 0xC0 == 0x80 }),
               String(validating: bytes[index..<(index + length)], as: UTF8.self) != nil {
                sawMultiByte = true
                index += length
                continue
            }
            if length != 1 && firstBad == nil { firstBad = line }
            index += 1
        }
        return sawMultiByte ? firstBad : nil
    }

    /// The Windows-1252 character of `byte` (nil for the five bytes it leaves undefined).
    static func windows1252(_ byte: UInt8) -> Unicode.Scalar? {
        // 0x80–0x9F differ from Latin-1 (the Windows code page's own table, as published by Microsoft and the WHATWG Encoding Standard).
        let high: [UInt32?] = [0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
                               nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178]
        if byte >= 0x80 && byte <= 0x9F { return high[Int(byte) - 0x80].flatMap(Unicode.Scalar.init) }
        return Unicode.Scalar(byte)
    }
}

/// Dates as a spreadsheet in the UK writes them, for intake: `01/03/2021` is 1 March 2021.
public enum SheetDates {
    /// `DD/MM/YYYY` as `YYYY-MM-DD`, or nil when `text` is not in that form (it is then read as written).
    public static func isoDate(fromUK text: String) throws(HaulCoreError) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              parts[0].count <= 2, parts[1].count <= 2, parts[2].count == 4, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else {
            return nil
        }
        let iso = String(format: "%04d-%02d-%02d", year, month, day)
        do { _ = try CalendarDate(parsing: iso) } catch {
            throw HaulCoreError(.invalidDate, "'\(text)' is not a date (DD/MM/YYYY, the day first)")
        }
        return iso
    }

    /// A local time as the template's `YYYY-MM-DDThh:mm`, from `DD/MM/YYYY hh:mm[:ss]` or
    /// `YYYY-MM-DD hh:mm[:ss]` (as Excel shows them); nil when `text` is in neither form.
    public static func localTime(fromSheet text: String) throws(HaulCoreError) -> String? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else {
            if try isoDate(fromUK: text) != nil {
                throw HaulCoreError(.invalidDate, "'\(text)' has no time; give the time of the seizure too, e.g. '\(text) 06:10'")
            }
            return nil
        }
        let date = try isoDate(fromUK: String(parts[0])) ?? String(parts[0])
        var time = String(parts[1])
        if time.count == 8, time.hasSuffix(":00") { time = String(time.dropLast(3)) }
        return "\(date)T\(time)"
    }
}
