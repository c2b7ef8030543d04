import Foundation
import HaulCore

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

    /// The file's name as the user gave it.
    public var file: String
    /// The line, 1-based; 0 when the problem belongs to the whole file.
    public var line: Int
    /// What is wrong, in words for the person fixing the file.
    public var message: String
    /// Which check found the problem.
    public var origin: Origin

    /// A problem at a line of a file.
    ///
    /// - Parameters:
    ///   - file: The file's name as the user gave it.
    ///   - line: The line, 1-based; 0 for the whole file.
    ///   - message: What is wrong.
    ///   - origin: Which check found it.
    public init(file: String, line: Int, message: String, origin: Origin) {
        self.file = file
        self.line = line
        self.message = message
        self.origin = origin
    }

    /// `file:line: message`, or `file: message` for the whole file.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }

    /// The same with every value the message quotes shown as `'<personal data>'`.
    public var redactedDescription: String {
        let redacted = ErrorMessage(quotingValues: message).redacted
        return line > 0 ? "\(file):\(line): \(redacted)" : "\(file): \(redacted)"
    }
}

/// An error from the XML module: a stable code, a message that says what to do, and the
/// diagnostics behind it.
public struct HaulXMLError: HaulError {
    /// What went wrong, as a stable code to match on.
    public var code: HaulErrorCode
    /// The message, with its personal values marked.
    public var text: ErrorMessage
    /// What was wrong and what to do about it, with any personal data the caller supplied.
    public var message: String { text.text }
    /// The message with each personal value replaced by `<personal data>`.
    public var redactedMessage: String { text.redacted }
    /// Each problem found in the document, with its line.
    public var diagnostics: [XMLDiagnostic]
    /// The file the error is about, when it is about one file.
    public var location: SourceLocation?
    /// The error underneath this one (the file system's, for instance), when there is one.
    public var cause: (any Error)?

    /// An error with a message that may mark personal values (`\(personal: name)`).
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - text: What was wrong and what to do about it.
    ///   - diagnostics: The problems found in the document.
    ///   - location: The file the error is about.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ text: ErrorMessage, diagnostics: [XMLDiagnostic] = [], at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.text = text
        self.diagnostics = diagnostics
        self.location = location
        self.cause = cause
    }

    /// An error whose message holds no personal data.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: What was wrong and what to do about it.
    ///   - diagnostics: The problems found in the document.
    ///   - location: The file the error is about.
    ///   - cause: The error underneath this one.
    public init(_ code: HaulErrorCode, _ message: String, diagnostics: [XMLDiagnostic] = [], at location: SourceLocation? = nil, cause: (any Error)? = nil) {
        self.init(code, ErrorMessage(message), diagnostics: diagnostics, at: location, cause: cause)
    }

    /// The code, the message and the first 100 diagnostics, then how many more there are, with
    /// every value a diagnostic quotes left out (libxml2 quotes the offending value, which may be
    /// a name or a registration).
    public var description: String {
        let head = ErrorText.render(code: code, location: location, message: redactedMessage, cause: cause, redacted: true)
        return Self.listing(head, diagnostics.map(\.redactedDescription))
    }

    /// The code, the whole message, the cause and the first 100 diagnostics as they are.
    public var unredactedDescription: String {
        let head = ErrorText.render(code: code, location: location, message: message, cause: cause, redacted: false)
        return Self.listing(head, diagnostics.map(\.description))
    }

    /// A heading and the first 100 of `lines`, then how many more there are.
    ///
    /// - Parameters:
    ///   - head: The first line.
    ///   - lines: The diagnostics, one a line.
    /// - Returns: The lines joined by line feeds.
    public static func listing(_ head: String, _ lines: [String]) -> String {
        let more = lines.count > printedDiagnostics ? ["… and \(lines.count - printedDiagnostics) more"] : []
        return ([head] + lines.prefix(printedDiagnostics) + more).joined(separator: "\n")
    }

    /// How many diagnostics a message prints (all of them stay in ``diagnostics``).
    public static let printedDiagnostics = 100
}
