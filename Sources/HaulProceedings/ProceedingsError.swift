import HaulCore

/// An error from the proceedings module (a move the rule pack refuses, a date outside the
/// calendar): a stable code and a message that says what to do.
public struct ProceedingsError: HaulErrorWithMessage, Hashable {
    /// What went wrong, as a stable code to match on.
    public var code: HaulErrorCode
    /// The message, with its personal values marked.
    public var text: ErrorMessage
    /// Where the problem was found, when it has a place.
    public var location: SourceLocation?
    /// The error underneath this one (the database's, for instance), when there is one.
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
