import Foundation
import HaulCore

/// One record of a CSV file with the line each field starts on, so errors can say
/// `file:line:column`.
public struct CSVRecord: Sendable, Hashable {
    /// A record starting on `line` with the given fields.
    ///
    /// - Parameters:
    ///   - line: The line the record starts on (1-based).
    ///   - fields: The fields in column order, unquoted and untrimmed.
    public init(line: Int, fields: [String]) {
        self.line = line
        self.fields = fields
    }

    /// The line the record starts on (1-based).
    public var line: Int
    /// The fields in column order, with quotes and doubled quotes undone; spaces are kept.
    public var fields: [String]
}

/// A small RFC 4180 reader that keeps line numbers.
///
/// The maintained Swift CSV libraries available here (SwiftCSV, CSV.swift) do not report where a
/// bad value is, and table errors must name `file:line:column`; this reader does. It accepts
/// CRLF or LF line ends, quoted fields with `""` escapes and line breaks inside quotes, skips
/// blank lines and lines starting with `#` (comments in shipped tables), and refuses a quote
/// in the middle of an unquoted field or an unterminated quoted field.
public enum CSVReader {
    /// Why a file is not valid CSV, at the line and column where reading stopped.
    public struct Problem: Error, Sendable, Hashable {
        /// The line of the problem, counted from 1; for a quoted field never closed, the line its record starts on.
        public var line: Int
        /// The field the problem is in, counted from 1.
        public var column: Int
        /// What is wrong, in words for the person fixing the file.
        public var message: String

        /// A problem at `line` and `column`.
        ///
        /// - Parameters:
        ///   - line: The line, counted from 1.
        ///   - column: The field, counted from 1.
        ///   - message: What is wrong.
        public init(line: Int, column: Int, message: String) {
            self.line = line
            self.column = column
            self.message = message
        }
    }

    /// Every record of `text`, as RFC 4180 reads it (quoted fields may hold separators, quotes
    /// doubled, and line breaks).
    ///
    /// - Parameters:
    ///   - text: The whole file.
    ///   - separator: The field separator: a comma, or a tab for Excel's "Unicode text".
    /// - Returns: The records in order, each with the line it starts on.
    /// - Throws: ``Problem`` with the line and column of a quoted field never closed, text after
    ///   a closing quote, or a quote inside an unquoted field.
    public static func parse(_ text: String, separator: UInt8 = UInt8(ascii: ",")) throws(Problem) -> [CSVRecord] {
        var records: [CSVRecord] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var atFieldStart = true
        let bytes = Array(text.utf8)
        var index = bytes.startIndex

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
            atFieldStart = true
        }
        func endRecord() {
            endField()
            let isBlank = fields.count == 1 && fields[0].isEmpty
            if !isBlank { records.append(CSVRecord(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        while index < bytes.endIndex {
            let byte = bytes[index]
            // A line starting with '#' is a comment, whatever it holds.
            if !inQuotes && byte == UInt8(ascii: "#") && fields.isEmpty && atFieldStart && field.isEmpty {
                while index < bytes.endIndex && bytes[index] != UInt8(ascii: "\n") { index += 1 }
                index += 1
                line += 1
                recordLine = line
                continue
            }
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case separator:
                endField()
            case UInt8(ascii: "\r") where index + 1 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "\n"):
                break  // the \n ends the record
            case UInt8(ascii: "\n"):
                endRecord()
                line += 1
                recordLine = line
            case UInt8(ascii: "\""):
                guard atFieldStart else {
                    throw Problem(line: line, column: fields.count + 1, message: "a quote inside an unquoted field; quote the whole field and double the quote (\"\")")
                }
                inQuotes = true
                fieldWasQuoted = true
                atFieldStart = false
            default:
                if fieldWasQuoted {
                    throw Problem(line: line, column: fields.count + 1, message: "text after the closing quote of a quoted field")
                }
                field.append(byte)
                atFieldStart = false
            }
            index += 1
        }
        if inQuotes {
            throw Problem(line: recordLine, column: fields.count + 1, message: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }
}
