import Foundation
import HaulCore

/// Reads the European Central Bank's euro reference rates, in either of the forms the ECB
/// publishes: the XML (the daily file `eurofxref-daily.xml`, the histories `eurofxref-hist.xml`
/// and `-hist-90d`) and the CSV (`eurofxref-hist.csv`, `eurofxref.csv`). A file beginning
/// `Date,` is read as CSV.
///
/// Structure: a `gesmes:Envelope` holding `Cube` elements in the namespace
/// `http://www.ecb.int/vocabulary/2002-08-01/eurofxref`, one `Cube time="YYYY-MM-DD"` per day
/// with `Cube currency="USD" rate="1.0705"` children (1 EUR = rate units). Days may come in any
/// order (the history file runs newest first). The file is read with the same safe streaming
/// parser as case files: no DTD, no entities, no network, bounded size.
///
/// ```swift
/// let rates = try ECBRatesReader().read(fileAt: "eurofxref-hist.xml")
/// ```
public struct ECBRatesReader: Sendable {
    /// The namespace of the ECB's `Cube` elements in its reference-rate XML.
    public static let namespace = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
    /// The bounds a file must stay within to be read (for a CSV, only its size counts).
    public var limits: XMLReadLimits
    /// False for a file Haul ships, whose every rate its tests check: a CSV's lines and dates are
    /// still read and checked, its rates only when a conversion asks for them.
    public var checksEveryRate: Bool

    /// Makes a reader.
    ///
    /// - Parameters:
    ///   - limits: the bounds a file must stay within (`XMLReadLimits.standard` unless given).
    ///   - checksEveryRate: false only for a file Haul ships, whose CSV rates are then checked
    ///     when a conversion asks for them.
    public init(limits: XMLReadLimits = .standard, checksEveryRate: Bool = true) {
        self.limits = limits
        self.checksEveryRate = checksEveryRate
    }

    /// Reads every day; throws with every problem as `file:line: message` if any.
    public func read(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ReferenceRates {
        let name = displayName ?? path
        if let data = try Self.csvContents(path: path, displayName: name, limit: limits.maximumBytes) {
            return try Self.readCSV(data, displayName: name, checksEveryRate: checksEveryRate)
        }
        let collector = ECBCubeCollector(file: name)
        var diagnostics = try SafeXMLStream.run(path: path, displayName: name, schema: nil, limits: limits, handlers: [collector])
        if diagnostics.isEmpty { diagnostics = collector.problems }
        if diagnostics.isEmpty && collector.days.isEmpty {
            diagnostics = [XMLDiagnostic(file: name, line: 0, message: "no rates found: expected ECB reference-rate XML (Cube time=… with Cube currency=… rate=…)", origin: .semantic)]
        }
        guard diagnostics.isEmpty else {
            throw HaulXMLError(.invalidDocument, "\(name) is not a usable ECB reference-rate file; nothing was read", diagnostics: diagnostics)
        }
        return ReferenceRates(days: collector.days)
    }
}

extension ECBRatesReader {
    /// A day as the ECB's CSVs write it: `2023-02-10` in the history, `10 February 2023` in the daily file.
    static func date(_ text: String) -> CalendarDate? {
        if let date = try? CalendarDate(parsing: text) { return date }
        let parts = text.split(separator: " ")
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard parts.count == 3, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1])), let year = Int(parts[2]) else { return nil }
        return try? CalendarDate(parsing: String(format: "%04d-%02d-%02d", year, month + 1, day))
    }

    /// Whether the file is the ECB's CSV form rather than its XML.
    public static func isCSV(fileAt path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 16)) ?? Data()
        let text = String(decoding: start.starts(with: [0xEF, 0xBB, 0xBF]) ? start.dropFirst(3) : start[...], as: UTF8.self)
        return text.hasPrefix("Date,") || text.hasPrefix("\"Date\",")
    }

    /// The file's bytes when it is the CSV form (it begins `Date,` or `"Date",` after an optional
    /// byte-order mark); nil for anything else, which is read as XML.
    static func csvContents(path: String, displayName: String, limit: Int) throws(HaulXMLError) -> Data? {
        guard isCSV(fileAt: path), let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= limit else {
            throw HaulXMLError(.invalidDocument, "\(displayName) is \(size) bytes, more than the \(limit) an ECB rates file may have; nothing was read")
        }
        return (try? handle.readToEnd()) ?? Data()
    }

    /// The ECB's CSV: a header `Date,USD,JPY,…` (a trailing empty column as the ECB writes it),
    /// then one line per day, newest first, each rate a plain decimal (units per euro) or `N/A`
    /// where the currency was not quoted that day.
    static func readCSV(_ data: Data, displayName name: String, checksEveryRate: Bool = true) throws(HaulXMLError) -> ReferenceRates {
        var problems: [XMLDiagnostic] = []
        func problem(_ line: Int, _ message: String) {
            if problems.count < 100 { problems.append(XMLDiagnostic(file: name, line: line, message: message, origin: .semantic)) }
        }
        guard let text = String(data: data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...], encoding: .utf8) else {
            throw HaulXMLError(.invalidDocument, "\(name) is not UTF-8 text; nothing was read")
        }
        let headerLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        func cells(_ line: Substring) -> [String] {
            line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        }
        let header = cells(headerLine.hasSuffix("\r") ? headerLine.dropLast() : headerLine)
        guard header.first == "Date" else {
            throw HaulXMLError(.invalidDocument, "\(name) is not a usable ECB reference-rate file; nothing was read",
                               diagnostics: [XMLDiagnostic(file: name, line: 1, message: "the header must begin with Date", origin: .semantic)])
        }
        var currencies: [String?] = []
        for (index, code) in header.enumerated().dropFirst() {
            if code.isEmpty && index == header.count - 1 { currencies.append(nil); continue }   // the ECB's trailing comma
            if (try? Currency(code: code)) == nil { problem(1, "column \(index + 1) '\(code)' is not an ISO 4217 currency code") }
            if header[1..<index].contains(code) { problem(1, "column \(index + 1): \(code) appears twice") }
            currencies.append(code)
        }
        let columns = ReferenceRates.CSVColumns(codes: [nil] + currencies)
        // The days are read from the bytes: a full history is 7,000 lines of 40 rates, read
        // whenever a figure needs converting, so no String is made for a cell that is a plain rate.
        let bytes = Array(data.starts(with: [0xEF, 0xBB, 0xBF]) ? data.dropFirst(3) : data[...])
        var days: [ReferenceRates.Day] = []
        var seen: [CalendarDate: Int] = [:]
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        bytes.withUnsafeBufferPointer { buffer in
            let count = buffer.count
            var position = 0
            /// The next newline at or after `from` (memchr: the file is megabytes).
            func lineEnd(_ from: Int) -> Int {
                guard from < count, let base = buffer.baseAddress, let found = memchr(base + from, Int32(newline), count - from) else { return count }
                return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            position = lineEnd(0) + 1
            var number = 1
            while position < count {
                number += 1
                var end = lineEnd(position)
                let next = end + 1
                if end > position && buffer[end - 1] == carriageReturn { end -= 1 }
                defer { position = next }
                var blank = true
                for index in position..<end where buffer[index] != UInt8(ascii: " ") { blank = false; break }
                if blank { continue }
                if !checksEveryRate, end - position >= 11, buffer[position + 10] == comma {
                    // A shipped file: the date only, the rates when asked.
                    let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<(position + 10)]), as: UTF8.self)
                    guard let date = try? CalendarDate(parsing: text) else {
                        problem(number, "column 1 (Date): '\(text)' is not a date (YYYY-MM-DD)")
                        continue
                    }
                    days.append(ReferenceRates.Day(date: date, checkedCSVLine: bytes[position..<end], columns: columns, source: name, line: number))
                    continue
                }
                var fieldStart = position, column = 0
                var date: CalendarDate?
                var quoted = false, rowProblem = false
                while fieldStart <= end {
                    var fieldEnd = fieldStart
                    while fieldEnd < end && buffer[fieldEnd] != comma { fieldEnd += 1 }
                    defer { fieldStart = fieldEnd + 1; column += 1 }
                    // The daily file (eurofxref.csv) writes a space after each comma.
                    var cellStart = fieldStart, cellEnd = fieldEnd
                    while cellStart < cellEnd && buffer[cellStart] == UInt8(ascii: " ") { cellStart += 1 }
                    while cellEnd > cellStart && buffer[cellEnd - 1] == UInt8(ascii: " ") { cellEnd -= 1 }
                    let cellText = { String(decoding: UnsafeBufferPointer(rebasing: buffer[cellStart..<cellEnd]), as: UTF8.self) }
                    if column == 0 {
                        let text = cellText()
                        guard let parsed = Self.date(text) else {
                            problem(number, "column 1 (Date): '\(text)' is not a date (YYYY-MM-DD)")
                            rowProblem = true
                            break
                        }
                        if let first = seen[parsed] { problem(number, "the day \(text) appears twice; first on line \(first)") }
                        seen[parsed] = number
                        date = parsed
                        continue
                    }
                    guard column - 1 < currencies.count else {
                        problem(number, "more columns than the header's \(currencies.count + 1)")
                        rowProblem = true
                        break
                    }
                    let length = cellEnd - cellStart
                    guard let code = currencies[column - 1] else {
                        if length > 0 { problem(number, "column \(column + 1): a value under no currency") }
                        continue
                    }
                    if length == 0 || (length == 3 && buffer[cellStart] == UInt8(ascii: "N") && buffer[cellStart + 1] == UInt8(ascii: "/")
                                       && buffer[cellStart + 2] == UInt8(ascii: "A")) { continue }
                    // A rate as the ECB writes it: digits with one point, read as integer digits and
                    // a scale, then checked against the schema's Rate.
                    var significand: UInt64 = 0, digits = 0, scale = -1, plain = true
                    var index = cellStart
                    while index < cellEnd {
                        let byte = buffer[index]
                        index += 1
                        if byte == UInt8(ascii: ".") {
                            // A digit before the point, as the reader of each day's rates needs.
                            if scale >= 0 || digits == 0 { plain = false; break }
                            scale = 0
                        } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                            digits += 1
                            if digits > 18 { plain = false; break }
                            significand = significand * 10 + UInt64(byte - UInt8(ascii: "0"))
                            if scale >= 0 { scale += 1 }
                        } else {
                            plain = false
                            break
                        }
                    }
                    guard plain, digits > 0, scale != 0, significand > 0 else {
                        problem(number, "column \(column + 1) (\(code)): '\(cellText())' is not a positive plain decimal")
                        continue
                    }
                    // At most 18 digits, so at most 18 places: within what a FixedDecimal holds.
                    let rate = FixedDecimal(units: Int128(significand), places: max(scale, 0))
                    do throws(HaulCoreError) { try SchemaBounds.rate.check(rate, "the \(code) rate") } catch {
                        problem(number, "column \(column + 1): \(error.message)")
                        continue
                    }
                    quoted = true
                }
                // Checked whole; its rates are read when a conversion asks for them.
                if !rowProblem, let date, quoted {
                    days.append(ReferenceRates.Day(date: date, checkedCSVLine: bytes[position..<end], columns: columns, source: name, line: number))
                }
            }
        }
        if problems.isEmpty && days.isEmpty { problem(1, "no rates found: expected the ECB's CSV (Date, then one column per currency)") }
        guard problems.isEmpty else {
            throw HaulXMLError(.invalidDocument, "\(name) is not a usable ECB reference-rate file; nothing was read", diagnostics: problems)
        }
        // Oldest first, so each day is appended rather than inserted.
        return ReferenceRates(days: days.sorted { $0.date < $1.date })
    }
}

final class ECBCubeCollector: XMLEventHandler {
    private enum Cube { case outer, day, rate }

    private let file: String
    private(set) var days: [ReferenceRates.Day] = []
    private(set) var problems: [XMLDiagnostic] = []
    private var current: ReferenceRates.Day?
    private var open: [Cube] = []
    private var seenDates: [CalendarDate: Int] = [:]

    init(file: String) { self.file = file }

    private func problem(_ line: Int, _ message: String) {
        if problems.count < 100 { problems.append(XMLDiagnostic(file: file, line: line, message: message, origin: .semantic)) }
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        guard name == "Cube", namespace == ECBRatesReader.namespace else { return }
        if let time = attributes["time"] {
            open.append(.day)
            guard let date = try? CalendarDate(parsing: time) else { return problem(line, "'\(time)' is not a date (YYYY-MM-DD)") }
            if let first = seenDates[date] { problem(line, "the day \(time) appears twice; first on line \(first)") }
            seenDates[date] = line
            current = ReferenceRates.Day(date: date, rates: [:], source: file, line: line)
        } else if let code = attributes["currency"] {
            open.append(.rate)
            guard current != nil else { return problem(line, "a rate outside any day's Cube") }
            guard (try? Currency(code: code)) != nil else { return problem(line, "'\(code)' is not an ISO 4217 currency code") }
            guard let text = attributes["rate"], let rate = try? DecimalText.parse(text, allowNegative: false), rate > 0 else {
                return problem(line, "the \(code) rate '\(attributes["rate"] ?? "")' is not a positive plain decimal")
            }
            // Within what a case file records of a rate (the schema's Rate): an extreme rate can
            // only be a mistake, and would make figures no case file can hold.
            do { try SchemaBounds.rate.check(rate, "the \(code) rate") } catch { return problem(line, error.message) }
            current?.rates[code] = rate
        } else {
            open.append(.outer)
        }
    }

    func text(_ text: String) {}
    var wantsText: Bool { false }

    func endElement(_ name: String, line: Int) {
        guard name == "Cube", let closing = open.popLast() else { return }
        if closing == .day, let day = current {
            if !day.rates.isEmpty { days.append(day) }
            current = nil
        }
    }
}
