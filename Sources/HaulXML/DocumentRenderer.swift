import CLibXML2
import Foundation
import HaulCore
import HaulData

/// Renders a printable document — the schedule of assets (`schedule-1.xsl`, the default) or the
/// statement of information (``statement(author:role:date:)``) — from a validated case file with
/// an XSLT stylesheet shipped in `schemas/` (libxslt, in process), so any system holding the XML
/// can render the same document. Figures are computed in Swift and written into the XML; the
/// stylesheets only lay out text (XSLT 1.0 numbers are doubles).
///
/// ```swift
/// try DocumentRenderer().render(caseFile: "case.xml", to: URL(fileURLWithPath: "schedule.html"))
/// ```
public struct DocumentRenderer: Sendable {
    /// The XSLT stylesheet that lays out the document (`schedule-1.xsl` in `schemas/` unless given).
    public var stylesheet: URL
    /// Values for the stylesheet's top-level parameters (the statement's author and date), passed
    /// as text: never evaluated as expressions.
    public var parameters: [String: String]

    /// Makes a renderer for one stylesheet.
    ///
    /// - Parameters:
    ///   - stylesheet: the XSLT stylesheet; the shipped schedule of assets unless given.
    ///   - parameters: values for the stylesheet's top-level parameters, passed as text; none unless given.
    public init(stylesheet: URL = HaulData.schemasDirectory.appendingPathComponent("schedule-1.xsl"), parameters: [String: String] = [:]) {
        self.stylesheet = stylesheet
        self.parameters = parameters
    }

    /// The statement of information's stylesheet (POCA 2002 s.16), with its author and date.
    public static func statement(author: String, role: String?, date: CalendarDate) -> DocumentRenderer {
        var parameters = ["author": author, "date": date.description]
        if let role { parameters["role"] = role }
        return DocumentRenderer(stylesheet: HaulData.schemasDirectory.appendingPathComponent("statement-1.xsl"), parameters: parameters)
    }

    /// `text` as an XPath string literal: quoted with whichever quote it does not hold (a text
    /// holding both has its apostrophes made typographic, ’).
    static func literal(_ text: String) -> String {
        if !text.contains("'") { return "'\(text)'" }
        if !text.contains("\"") { return "\"\(text)\"" }
        return "'\(text.replacingOccurrences(of: "'", with: "’"))'"
    }

    /// Validates `caseFile`, transforms it, and writes the HTML beside `target` before renaming
    /// it into place.
    public func render(caseFile: String, to target: URL) throws(HaulXMLError) {
        let report = try CaseFileValidator().validate(fileAt: caseFile)
        guard report.isValid else {
            throw HaulXMLError(.invalidDocument, "\(caseFile) is not a valid case file; no schedule was made", diagnostics: report.diagnostics)
        }
        LibXML.initialise()
        LibXML.allowLoading(under: stylesheet.deletingLastPathComponent())
        guard let style = xsltParseStylesheetFile(stylesheet.path) else {
            throw HaulXMLError(.schemaUnavailable, "cannot load the schedule stylesheet \(stylesheet.path)")
        }
        defer { xsltFreeStylesheet(style) }
        // The input was just validated (no DOCTYPE, so no entities); still, no network. Read from
        // memory: libxml2's loader opens nothing outside the schema folders (LibXML).
        guard let data = FileManager.default.contents(atPath: caseFile) else { throw HaulXMLError(.io, "cannot read \(caseFile): \(Publishing.whyUnreadable(caseFile))") }
        let parsed = data.withUnsafeBytes { bytes in
            xmlReadMemory(bytes.bindMemory(to: CChar.self).baseAddress, Int32(bytes.count), "case.xml", "UTF-8", Int32(XML_PARSE_NONET.rawValue))
        }
        guard let document = parsed else { throw HaulXMLError(.io, "cannot parse \(caseFile)") }
        defer { xmlFreeDoc(document) }
        // The stylesheet may read nothing and write nothing but its result.
        let prefs = xsltNewSecurityPrefs()
        defer { xsltFreeSecurityPrefs(prefs) }
        for option in [XSLT_SECPREF_READ_FILE, XSLT_SECPREF_WRITE_FILE, XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK, XSLT_SECPREF_WRITE_NETWORK] {
            xsltSetSecurityPrefs(prefs, option, xsltSecurityForbid)
        }
        guard let context = xsltNewTransformContext(style, document) else { throw HaulXMLError(.io, "cannot start the transformation") }
        defer { xsltFreeTransformContext(context) }
        xsltSetCtxtSecurityPrefs(prefs, context)
        // name, value, name, value…, then a null: C strings that live through the transformation.
        let pairs = parameters.sorted { $0.key < $1.key }.flatMap { [$0.key, Self.literal($0.value)] }
        let cStrings = pairs.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) } + [nil]
        let applied = argv.withUnsafeMutableBufferPointer { buffer in
            xsltApplyStylesheetUser(style, document, pairs.isEmpty ? nil : buffer.baseAddress, nil, nil, context)
        }
        guard let result = applied else {
            throw HaulXMLError(.invalidDocument, "the document's stylesheet failed on \(caseFile)")
        }
        defer { xmlFreeDoc(result) }
        let temporary = try Publishing.temporaryURL(beside: target)
        defer { Publishing.discard(temporary) }
        guard xsltSaveResultToFilename(temporary.path, result, style, 0) >= 0 else {
            throw HaulXMLError(.io, "cannot write \(target.path)")
        }
        try Publishing.publish(temporary, as: target, what: "the document")
    }
}
