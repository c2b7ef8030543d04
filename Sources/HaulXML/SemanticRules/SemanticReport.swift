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

/// Amounts as integers of 10⁻⁴ (the schema allows at most four decimal places), read without
/// `FixedDecimal`: the rules read every amount of a million-item file.
enum SemanticUnits {
    typealias Units = Int128
    static let scale: Units = 10_000

    /// `[-]digits[.digits]` with at most four places, or nil (the schema reports what is not).
    static func parse(_ text: String) -> Units? {
        var value: Units = 0
        var fraction = -1
        var digits = 0
        var negative = false
        var seen = false
        for byte in trimmed(text).utf8 {
            switch byte {
            case UInt8(ascii: "-") where !seen && !negative: negative = true
            case UInt8(ascii: "."):
                guard fraction < 0 else { return nil }
                fraction = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                seen = true
                digits += 1
                if fraction >= 0 { fraction += 1 }
                guard digits <= 30, fraction <= 4 else { return nil }
                value = value * 10 + Units(byte - UInt8(ascii: "0"))
            default: return nil
            }
        }
        guard seen else { return nil }
        for _ in max(fraction, 0)..<4 { value *= 10 }
        return negative ? -value : value
    }

    /// Units as plain text: 12345000 → "1234.5".
    static func plain(_ units: Units) -> String {
        let magnitude = units < 0 ? -units : units
        var text = String(magnitude / scale)
        var fraction = String(magnitude % scale)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return (units < 0 ? "-" : "") + text
    }

    /// ASCII white space off both ends, without Foundation's character sets (hot path).
    static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 })!
        return String(text[first...last])
    }
}
