/// Where in a file a problem is: path, line and column (1-based; 0 when unknown).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file's name or path as the user gave it (or a field's name).
    public var file: String
    /// The line, 1-based; 0 when unknown.
    public var line: Int
    /// The column, 1-based; 0 when unknown.
    public var column: Int

    /// A place in a file.
    ///
    /// - Parameters:
    ///   - file: The file's name or path.
    ///   - line: The line, 1-based; 0 when unknown.
    ///   - column: The column, 1-based; 0 when unknown.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, leaving out what is unknown.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line)" }
        if line > 0 && column > 0 { text += ":\(column)" }
        return text
    }
}

/// An error from the case model: a stable code, a message that says how to fix it, and where.
///
/// ```swift
/// do { _ = try Currency(code: "GPB") }
/// catch { print(error) }   // "unknown-currency: 'GPB' is not an ISO 4217 currency code Haul knows"
/// ```
public struct HaulCoreError: HaulErrorWithMessage, Hashable {
    /// What went wrong, as a stable code to match on.
    public var code: HaulErrorCode
    /// The message, with its personal values marked.
    public var text: ErrorMessage
    /// Where the problem was found, when it has a place.
    public var location: SourceLocation?
    /// The error underneath this one, when there is one.
    public var cause: (any Error)?

    /// An error with a message that may mark personal values (`\(personal: name)`).
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - text: What was wrong and what to do about it.
    ///   - location: Where it was found.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ text: ErrorMessage, at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.text = text
        self.location = location
        self.cause = cause
    }

    /// An error whose message holds no personal data.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: What was wrong and what to do about it.
    ///   - location: Where it was found.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ message: String, at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.init(code, ErrorMessage(message), at: location, cause: cause)
    }
}
