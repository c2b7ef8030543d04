import HaulCore

/// A refusal from a use case: what was wrong and what to do, with nothing recorded.
public struct CaseworkError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The case has no such item, seizure, person, agency or event.
        case notFound = "not-found"
        /// The id, exhibit or person is already in the case.
        case duplicate
        /// The rule pack does not allow the move now, or a share would pass 100 %.
        case notAllowed = "not-allowed"
        /// The request itself does not hold together (mixed regimes, nothing to change).
        case invalid
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
