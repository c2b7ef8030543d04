import Foundation
import HaulCore

/// A problem in a data file (price table, rule pack, intake sheet) at its file, line and column.
///
/// Its `description` (for a log) is `invalid-table: file:line:column: message` with every quoted
/// cell left out; `unredactedDescription` keeps them.
public struct TableProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file's name as the user gave it.
    public var file: String
    /// The line, 1-based; 0 when unknown.
    public var line: Int
    /// The column (the field, for a CSV row), 1-based; 0 when the problem is the whole line.
    public var column: Int
    /// What is wrong, in words for the person fixing the file.
    public var message: String

    /// `file:line:column: message`, leaving out what is unknown: the line a person fixing the
    /// file reads (quoted cells included), as `haul tables check` prints it.
    public var diagnostic: String { SourceLocation(file: file, line: line, column: column).description + ": " + message }

    /// A problem at a line and column of a file.
    ///
    /// - Parameters:
    ///   - file: The file's name as the user gave it.
    ///   - line: The line, 1-based.
    ///   - column: The column or field, 1-based; 0 for the whole line.
    ///   - message: What is wrong.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

}


/// A problem in a data file has the library's one error shape: the code `invalid-table`, the
/// message, and the file, line and column as its location.
extension TableProblem: HaulError {
    /// Always `HaulErrorCode.invalidTable`.
    public var code: HaulErrorCode { .invalidTable }
    /// The message with every quoted cell shown as `'<personal data>'`: an exhibit sheet's cells
    /// hold officers, places, registrations and VINs.
    public var redactedMessage: String { ErrorMessage(quotingValues: message).redacted }
    /// The file, line and column.
    public var location: SourceLocation? { SourceLocation(file: file, line: line, column: column) }
    /// None: a problem in a file is found, not caused.
    public var cause: (any Error)? { nil }
}

/// A file that could not be read has the library's one error shape: the code `invalid-table`,
/// a message counting its problems, and the first problem's place as its location.
extension TableFailure: HaulError {
    /// Always `HaulErrorCode.invalidTable`.
    public var code: HaulErrorCode { .invalidTable }
    /// How many problems there are, and the first of them.
    public var message: String {
        guard let first = problems.first else { return "the file could not be read" }
        switch problems.count {
        case 1: return first.message
        case 2: return "\(first.message) (and 1 more problem)"
        default: return "\(first.message) (and \(problems.count - 1) more problems)"
        }
    }
    /// The message with every quoted cell shown as `'<personal data>'`.
    public var redactedMessage: String { ErrorMessage(quotingValues: message).redacted }
    /// Where the first problem is.
    public var location: SourceLocation? { problems.first?.location }
    /// None: a problem in a file is found, not caused.
    public var cause: (any Error)? { nil }
}

/// A file that is not valid CSV has the library's one error shape: the code `invalid-table`, the
/// message, and the line and field as its location. The reader is given text, not a file, so the
/// location names `CSV`; callers that know the file report it as a ``TableProblem``.
extension CSVReader.Problem: HaulError {
    /// Always `HaulErrorCode.invalidTable`.
    public var code: HaulErrorCode { .invalidTable }
    /// The message as it is: the reader's messages say what is wrong, never quote a cell.
    public var redactedMessage: String { message }
    /// The line and field, in a file named `CSV`.
    public var location: SourceLocation? { SourceLocation(file: "CSV", line: line, column: column) }
    /// None: a problem in a file is found, not caused.
    public var cause: (any Error)? { nil }
}
