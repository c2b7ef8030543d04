import Foundation

/// The outcome of validating one file: every problem found, in line order.
public struct ValidationReport: Sendable {
    /// The file's name as the problems cite it (the display name, else the path).
    public var file: String
    /// Every problem found, in line order; empty for a valid file.
    public var diagnostics: [XMLDiagnostic]
    /// Whether the file's history carries records (1.3 on): its body can then be checked
    /// against their replay (``CaseFileReader/ledgerProblem(fileAt:displayName:confiscation:)``).
    public var carriesRecords = false
    /// True when no problem was found.
    public var isValid: Bool { diagnostics.isEmpty }
}

/// Notes whether a case file's history has any `record`; sees nothing else.
final class RecordSpotter: XMLEventHandler {
    private(set) var seen = false
    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) { if name == "record" { seen = true } }
    func text(_ text: String) {}
    func endElement(_ name: String, line: Int) {}
    var wantsText: Bool { false }
    var interestingElements: Set<String>? { ["record"] }
    var needsEveryElementWithAttributes: Bool { false }
}

/// Validates case files: schema validation (streaming, libxml2 in process) and Haul's semantic
/// pass in the same read, so memory stays flat however many items the file holds.
///
/// ```swift
/// let report = try CaseFileValidator().validate(fileAt: "case.xml")
/// for problem in report.diagnostics { print(problem) }   // "case.xml:42: …"
/// ```
public struct CaseFileValidator: Sendable {
    /// The bounds on size, depth and prolog a file must stay within to be read at all.
    public var limits: XMLReadLimits
    private let schema: CompiledSchema?

    /// Validates against `schema`, or the shipped case-file schema when nil.
    public init(schema: CompiledSchema? = nil, limits: XMLReadLimits = .standard) {
        self.schema = schema
        self.limits = limits
    }

    /// Checks the file; throws only when it is refused unread (unsafe, too large) or cannot be opened.
    public func validate(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ValidationReport {
        let name = displayName ?? path
        let spotter = RecordSpotter()
        let diagnostics = try check(path: path, displayName: name, alsoSendingTo: [spotter])
        return ValidationReport(file: name, diagnostics: diagnostics, carriesRecords: spotter.seen)
    }

    /// One streaming pass: schema, semantic rules and any further handlers (the reader's tree
    /// builder). When the file is not well-formed only the parser's findings are returned: the
    /// rest would be noise from a half-read document.
    /// Validates bytes as another thread produces them (no second look for first uses of
    /// duplicates: those are reported without the earlier line).
    func check(stream: @escaping () -> Data, displayName: String, expectedItems: Int = 0) throws(HaulXMLError) -> [XMLDiagnostic] {
        let schema: CompiledSchema
        if let given = self.schema { schema = given } else { schema = try CaseFileSchema.shipped() }
        let semantic = CaseSemanticChecker(file: displayName, expectedItems: expectedItems)
        let diagnostics = try SafeXMLStream.run(stream: stream, displayName: displayName, schema: schema, limits: limits, handlers: [semantic])
        let parserFindings = diagnostics.filter { $0.origin == .parser }
        if !parserFindings.isEmpty { return parserFindings }
        if !semantic.duplicatesToLocate.isEmpty { semantic.reportDuplicates(firstUses: [:]) }
        return (diagnostics + semantic.diagnostics).sorted { $0.line < $1.line }
    }

    func check(path: String? = nil, data: Data? = nil, displayName: String, alsoSendingTo extra: [XMLEventHandler]) throws(HaulXMLError) -> [XMLDiagnostic] {
        let schema: CompiledSchema
        if let given = self.schema { schema = given } else { schema = try CaseFileSchema.shipped() }
        // At least 400 bytes an item in any real file: enough to size the identifier tables.
        var size = data?.count ?? 0
        if let path, let attributes = try? FileManager.default.attributesOfItem(atPath: path), let bytes = attributes[.size] as? Int { size = bytes }
        let semantic = CaseSemanticChecker(file: displayName, expectedItems: size / 400)
        let handlers: [XMLEventHandler] = [semantic] + extra
        let diagnostics: [XMLDiagnostic]
        if let data {
            diagnostics = try SafeXMLStream.run(data: data, displayName: displayName, schema: schema, limits: limits, handlers: handlers)
        } else {
            diagnostics = try SafeXMLStream.run(path: path ?? "", displayName: displayName, schema: schema, limits: limits, handlers: handlers)
        }
        let parserFindings = diagnostics.filter { $0.origin == .parser }
        if !parserFindings.isEmpty { return parserFindings }
        let duplicates = semantic.duplicatesToLocate
        if !duplicates.isEmpty {
            // A second, schema-free look at the file for the lines of first uses.
            let finder = FirstUseFinder(wanted: duplicates.map { ($0.what, $0.id) })
            if let data {
                _ = try? SafeXMLStream.run(data: data, displayName: displayName, schema: nil, limits: limits, handlers: [finder])
            } else {
                _ = try? SafeXMLStream.run(path: path ?? "", displayName: displayName, schema: nil, limits: limits, handlers: [finder])
            }
            semantic.reportDuplicates(firstUses: finder.found)
        }
        return (diagnostics + semantic.diagnostics).sorted { $0.line < $1.line }
    }
}

/// Validates any XML file against any XSD (no Haul semantics): for the profile schemas and for
/// files from other systems.
public struct SchemaValidator: Sendable {
    /// The compiled XSD files are validated against.
    public let schema: CompiledSchema
    /// The bounds on size, depth and prolog a file must stay within to be read at all.
    public var limits: XMLReadLimits

    /// Makes a validator for one schema.
    ///
    /// - Parameters:
    ///   - schema: the compiled XSD to validate against.
    ///   - limits: the bounds a file must stay within (`XMLReadLimits.standard` unless given).
    public init(schema: CompiledSchema, limits: XMLReadLimits = .standard) {
        self.schema = schema
        self.limits = limits
    }

    /// Validates the file at `path` against the schema alone, in one streaming read.
    ///
    /// - Parameters:
    ///   - path: the file to validate.
    ///   - displayName: the name problems cite the file by; the path when nil.
    /// - Returns: Every problem found, in line order.
    /// - Throws: `HaulXMLError` only when the file is refused unread (unsafe, too large) or cannot be opened.
    public func validate(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ValidationReport {
        let name = displayName ?? path
        let diagnostics = try SafeXMLStream.run(path: path, displayName: name, schema: schema, limits: limits, handlers: [])
        return ValidationReport(file: name, diagnostics: diagnostics.sorted { $0.line < $1.line })
    }
}
