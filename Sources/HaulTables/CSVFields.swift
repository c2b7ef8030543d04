import Foundation
import HaulCore

/// Typed access to the fields of a CSV file's rows by header name, collecting every problem
/// with its line and column instead of stopping at the first.
///
/// ```swift
/// let fields = CSVFields(file: "rules/cash/deadlines.csv", columns: ["id": 0, "amount": 1])
/// fields.start(record)
/// let amount = fields.integer("amount", in: 1...1000)   // nil, and a problem recorded, if bad
/// ```
public final class CSVFields {
    /// The file name every recorded problem is reported against.
    public let file: String
    /// Each header name's column, counted from 0.
    public let columns: [String: Int]
    /// Every problem recorded so far, in the order found; empty while every field has read cleanly.
    public private(set) var problems: [TableProblem] = []
    /// The row being read, set by `start(_:)`; an empty record on line 0 until then.
    public private(set) var record = CSVRecord(line: 0, fields: [])

    /// A reader for the rows of `file`, with no problems recorded yet.
    ///
    /// - Parameters:
    ///   - file: The file name problems are reported against.
    ///   - columns: Each header name's column, counted from 0.
    public init(file: String, columns: [String: Int]) {
        self.file = file
        self.columns = columns
    }

    /// Reads a header row: every column must be one of `required` or `optional`, and every
    /// required one present. Returns the reader, or the header's problems (each duplicate or
    /// unknown column and, at column 0, any required columns missing) as a ``TableFailure``.
    public static func header(_ header: CSVRecord, file: String, fileName: String, required: [String],
                              optional: [String] = []) -> Result<CSVFields, TableFailure> {
        var problems: [TableProblem] = []
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces)
            if columns[name] != nil {
                problems.append(TableProblem(file: file, line: header.line, column: index + 1, message: "column '\(name)' appears twice in the header"))
            } else if !required.contains(name) && !optional.contains(name) {
                let optionalNote = optional.isEmpty ? "" : " (and optionally \(optional.joined(separator: ", ")))"
                problems.append(TableProblem(file: file, line: header.line, column: index + 1,
                                             message: "unknown column '\(name)'; \(fileName) has the columns \(required.joined(separator: ", "))\(optionalNote)"))
            }
            columns[name] = index
        }
        let missing = required.filter { columns[$0] == nil }
        if !missing.isEmpty {
            problems.append(TableProblem(file: file, line: header.line, column: 0,
                                         message: "the header lacks the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"))
        }
        return problems.isEmpty ? .success(CSVFields(file: file, columns: columns)) : .failure(TableFailure(problems))
    }

    /// Makes `record` the row the field readers read and report problems against.
    ///
    /// - Parameter record: The next row of the file.
    public func start(_ record: CSVRecord) { self.record = record }

    /// Records a problem on the current row's line.
    ///
    /// - Parameters:
    ///   - column: The column, counted from 1 (0 for the row as a whole).
    ///   - message: What is wrong.
    public func report(column: Int, _ message: String) {
        problems.append(TableProblem(file: file, line: record.line, column: column, message: message))
    }

    /// Records a problem in the named column of the current row, the message prefixed with the name.
    ///
    /// - Parameters:
    ///   - name: The header name of the column (reported as column 0 when the header lacks it).
    ///   - message: What is wrong.
    public func report(_ name: String, _ message: String) {
        report(column: (columns[name] ?? -1) + 1, "\(name): \(message)")
    }

    /// The field's text, trimmed of spaces ("" when the column is absent).
    public func raw(_ name: String) -> String {
        guard let index = columns[name], index < record.fields.count else { return "" }
        return Self.trimmingSpaces(record.fields[index])
    }

    /// `text` without leading and trailing spaces and tabs, exactly as `trimmingCharacters(in:
    /// .whitespaces)` trims (tab, the Unicode spaces of category Zs, and, in Foundation's set,
    /// U+200B) but without Foundation's bridging, which made reading the shipped tables a fifth
    /// of a short command's time.
    static func trimmingSpaces(_ text: String) -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
            default: return false
            }
        }
        let utf8 = text.utf8
        // Most fields start and end with a printable ASCII character: nothing to trim.
        if let first = utf8.first, let last = utf8.last, first > 0x20 && first < 0x80, last > 0x20 && last < 0x80 { return text }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[start...end])
    }

    /// The field's text trimmed of spaces, or nil when it is empty.
    ///
    /// - Parameters:
    ///   - name: The header name of the column.
    ///   - required: Whether an empty field is recorded as a problem.
    /// - Returns: The text, or nil for an empty field or an absent column.
    public func text(_ name: String, required: Bool = true) -> String? {
        let value = raw(name)
        if value.isEmpty {
            if required { report(name, "is empty") }
            return nil
        }
        return value
    }

    /// The case whose raw value is the field's trimmed text, or nil with a problem listing the allowed values.
    ///
    /// - Parameters:
    ///   - name: The header name of the column.
    ///   - what: The word for the value in the problem (`unknown <what> '…'`); the column name when nil.
    /// - Returns: The matching case, or nil when none matches.
    public func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, what: String? = nil) -> T? where T.RawValue == String {
        let value = raw(name)
        if let result = T(rawValue: value) { return result }
        let known = T.allCases.map(\.rawValue).joined(separator: ", ")
        report(name, value.isEmpty ? "is empty; use one of \(known)" : "unknown \(what ?? name) '\(value)'; use one of \(known)")
        return nil
    }

    /// The field as a whole number within `range`, or nil with a problem when it is not one.
    ///
    /// - Parameters:
    ///   - name: The header name of the column.
    ///   - range: The values allowed, both ends included.
    /// - Returns: The number, or nil.
    public func integer(_ name: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = Int(raw(name)), range.contains(value) else {
            report(name, "'\(raw(name))' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// The field as a plain decimal of zero or more (digits with an optional `.`, no separators, signs or exponent), or nil with a problem.
    ///
    /// - Parameter name: The header name of the column.
    /// - Returns: The value, or nil when the field is empty or not such a decimal.
    public func decimal(_ name: String) -> FixedDecimal? {
        do { return try DecimalText.parse(raw(name), allowNegative: false) } catch {
            report(name, "\(error)")
            return nil
        }
    }

    /// The field as a `YYYY-MM-DD` date, or nil with a problem.
    ///
    /// - Parameter name: The header name of the column.
    /// - Returns: The date, or nil when the field is not a calendar date in 1900–2199.
    public func date(_ name: String) -> CalendarDate? {
        do { return try CalendarDate(parsing: raw(name)) } catch {
            report(name, error.message)
            return nil
        }
    }

    /// `YYYY-MM`, as the first day of that month.
    public func month(_ name: String) -> CalendarDate? {
        let value = raw(name)
        guard value.utf8.count == 7, let date = try? CalendarDate(parsing: value + "-01") else {
            report(name, "'\(value)' is not a month (YYYY-MM)")
            return nil
        }
        return date
    }

    /// The field as an ISO 4217 currency code Haul knows, or nil with a problem.
    ///
    /// - Parameter name: The header name of the column.
    /// - Returns: The currency, or nil when the code is unknown.
    public func currency(_ name: String) -> Currency? {
        do { return try Currency(code: raw(name)) } catch {
            report(name, error.message)
            return nil
        }
    }

    /// `V`, `P`, `?`, `I` or the words.
    public func confidenceMark(_ name: String) -> Confidence? {
        let value = raw(name)
        if let mark = Confidence.allCases.first(where: { $0.mark == value || $0.rawValue == value }) { return mark }
        report(name, "unknown confidence mark '\(value)'; use V (verified), P (secondary), ? (unverified) or I (illustrative)")
        return nil
    }
}
