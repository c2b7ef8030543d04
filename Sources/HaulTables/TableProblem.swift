import Foundation
import HaulCore

/// A problem in a data file (price table, rule pack, intake sheet), printed as `file:line:column: message`.
public struct TableProblem: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { SourceLocation(file: file, line: line, column: column).description + ": " + message }
}

