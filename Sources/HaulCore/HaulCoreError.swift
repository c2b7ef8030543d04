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

/// What the case model's errors are told apart by: `HaulCoreError` is a `ModuleError` of it.
public enum CaseModelErrors: ErrorDomain {}

/// An error from the case model: a stable code, a message that says how to fix it, and where.
///
/// ```swift
/// do { _ = try Currency(code: "GPB") }
/// catch { print(error) }   // "unknown-currency: 'GPB' is not an ISO 4217 currency code Haul knows"
/// ```
public typealias HaulCoreError = ModuleError<CaseModelErrors>
