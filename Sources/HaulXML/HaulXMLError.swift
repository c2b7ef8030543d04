import Foundation

/// One problem found in an XML file, printed as `file:line: message`.
public struct XMLDiagnostic: Hashable, Sendable, CustomStringConvertible {
    /// Which check found the problem.
    public enum Origin: String, Sendable, Hashable {
        /// The file is not well-formed XML, or is refused as unsafe.
        case parser
        /// The file breaks the XSD.
        case schema
        /// The file is valid against the XSD but breaks a rule the XSD cannot state.
        case semantic
    }

    public var file: String
    /// 1-based; 0 when the problem belongs to the whole file.
    public var line: Int
    public var message: String
    public var origin: Origin

    public init(file: String, line: Int, message: String, origin: Origin) {
        self.file = file
        self.line = line
        self.message = message
        self.origin = origin
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// An error from the XML module: a stable code, a message that says what to do, and the
/// diagnostics behind it.
public struct HaulXMLError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// The document breaks the schema or a semantic rule.
        case invalidDocument = "invalid-document"
        /// The document is refused before parsing: DOCTYPE, wrong encoding, too large, too deep.
        case unsafeDocument = "unsafe-document"
        /// A shipped or named schema could not be loaded.
        case schemaUnavailable = "schema-unavailable"
        /// Reading or writing the file failed.
        case io
    }

    public var code: Code
    public var message: String
    public var diagnostics: [XMLDiagnostic]

    public init(_ code: Code, _ message: String, diagnostics: [XMLDiagnostic] = []) {
        self.code = code
        self.message = message
        self.diagnostics = diagnostics
    }

    /// The message and the first 100 diagnostics, then how many more there are.
    public var description: String {
        let shown = diagnostics.prefix(Self.printedDiagnostics).map(\.description)
        let more = diagnostics.count > Self.printedDiagnostics ? ["… and \(diagnostics.count - Self.printedDiagnostics) more"] : []
        return ([message] + shown + more).joined(separator: "\n")
    }

    /// How many diagnostics a message prints (all of them stay in ``diagnostics``).
    public static let printedDiagnostics = 100
}
