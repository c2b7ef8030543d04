import HaulCore

/// An error from the proceedings module: a stable code and a message that says what to do.
public struct ProceedingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case illegalMove = "illegal-move"
        case authorityRequired = "authority-required"
        case belowThreshold = "below-threshold"
        case outsideCalendar = "outside-calendar"
        case noRulePack = "no-rule-pack"
        case invalidMove = "invalid-move"
        /// The move comes after the deadline it had to meet and gives no reason (`--late`).
        case late
        /// The move comes before a period it must wait for has run (an objection period).
        case tooEarly = "too-early"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
