import HaulCore

/// An error from the register: a stable code and a message that says what to do.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not-found"
        case alreadyExists = "already-exists"
        case ambiguous
        case brokenChain = "broken-chain"
        /// The register was written by a later Haul, whose fields this one would drop.
        case newerFormat = "newer-format"
        /// The register was made by an earlier Haul and a reader may not upgrade it.
        case needsUpgrade = "needs-upgrade"
        case database
        /// The register's server refused: the user's role may not do this, or not to this case.
        case forbidden
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
