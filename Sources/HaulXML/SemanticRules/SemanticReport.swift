import HaulCore
import Foundation

/// Where every semantic rule puts what it finds: at most `limit` problems, then one line
/// saying more follow (a hostile file with a million duplicated ids gets a bounded report).
struct SemanticReport {
    static let limit = 1000

    let file: String
    private(set) var diagnostics: [XMLDiagnostic] = []

    init(file: String) { self.file = file }

    mutating func add(_ line: Int, _ message: String) {
        if diagnostics.count == Self.limit {
            diagnostics.append(XMLDiagnostic(file: file, line: line, message: "more problems follow from here; only the first \(Self.limit) are listed", origin: .semantic))
        }
        guard diagnostics.count < Self.limit else { return }
        diagnostics.append(XMLDiagnostic(file: file, line: line, message: message, origin: .semantic))
    }

    mutating func sortByLine() { diagnostics.sort { $0.line < $1.line } }
}

/// The rules' numbers: Haul's exact `FixedDecimal`, read straight from the element's bytes
/// (the rules read every amount of a million-item file).
enum SemanticUnits {
    typealias Units = FixedDecimal

    /// An `xs:decimal` (`[+-]digits[.digits]`, `.5` and `5.` included) with at most four places
    /// (the schema's most for an amount or a percentage), or nil: the schema reports what is not.
    static func parse(_ text: String) -> Units? {
        let plain = trimmed(text)
        // Nearly every amount is plain: read in place, with no copy.
        if let value = FixedDecimal(plainBytes: plain.utf8) { return value.fractionDigits <= 4 ? value : nil }
        // xs:decimal's other forms: one optional sign, and digits on at least one side of the point.
        var bytes = Array(plain.utf8)
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        guard bytes.first != UInt8(ascii: "-"), bytes.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        if bytes.first == UInt8(ascii: ".") { bytes.insert(UInt8(ascii: "0"), at: 0) }
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        if negative { bytes.insert(UInt8(ascii: "-"), at: 0) }
        guard let value = FixedDecimal(plainBytes: bytes), value.fractionDigits <= 4 else { return nil }
        return value
    }

    /// The shortest plain text: 1234.5000 → "1234.5".
    static func plain(_ units: Units) -> String { units.description }

    /// ASCII white space off both ends, without Foundation's character sets (hot path).
    ///
    /// Cut on the UTF-8 bytes: slicing the string by those indices made Swift realign each to a
    /// character boundary, about a seventh of the semantic pass in a profiled export. Where the
    /// cut meets a non-ASCII byte (a combining mark after a leading space, a prepended mark
    /// before a trailing one) the string is sliced as before, so the result is always what it
    /// was (a trailing space that is one character with a prepended mark stays). Text with
    /// nothing to trim is returned as it is.
    static func trimmed(_ text: String) -> String {
        @inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }
        enum Cut { case unchanged, bytes(String), characters(Int, Int) }
        var source = text
        let cut: Cut = source.withUTF8 { bytes in
            var start = 0, end = bytes.count
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            guard start > 0 || end < bytes.count else { return .unchanged }
            guard start == end || (bytes[start] < 0x80 && bytes[end - 1] < 0x80) else { return .characters(start, end) }
            return .bytes(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        }
        switch cut {
        case .unchanged: return text
        case .bytes(let trimmed): return trimmed
        case .characters(let start, let end):
            let utf8 = text.utf8
            return String(text[utf8.index(utf8.startIndex, offsetBy: start)...utf8.index(utf8.startIndex, offsetBy: end - 1)])
        }
    }
}
