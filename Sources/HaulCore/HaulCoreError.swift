/// Where in a file a problem is: path, line and column (1-based; 0 when unknown).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

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
public struct HaulCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes, safe to match on in scripts.
    public enum Code: String, Sendable, Hashable {
        case invalidNumber = "invalid-number"
        case negativeQuantity = "negative-quantity"
        case outOfRange = "out-of-range"
        case unknownCurrency = "unknown-currency"
        case currencyMismatch = "currency-mismatch"
        case unknownValue = "unknown-value"
        case invalidDate = "invalid-date"
        case invalidIdentifier = "invalid-identifier"
        case inconsistent = "inconsistent"
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return "\(code.rawValue): \(message)"
    }
}
