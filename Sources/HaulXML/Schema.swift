import CLibXML2
import Foundation
import HaulData

/// A compiled XSD, ready to validate any number of documents (read-only once built, so it can
/// be shared between validations).
public final class CompiledSchema: @unchecked Sendable {
    let pointer: xmlSchemaPtr
    /// Where the schema was loaded from.
    public let url: URL

    /// Compiles the XSD at `url`; files it imports must sit in the same folder or below.
    public init(url: URL) throws(HaulXMLError) {
        LibXML.initialise()
        LibXML.allowLoading(under: url.deletingLastPathComponent())
        self.url = url
        let collector = XMLErrorCollector(file: url.path)
        guard FileManager.default.isReadableFile(atPath: url.path),
              let parserContext = xmlSchemaNewParserCtxt(url.path) else {
            throw HaulXMLError(.schemaUnavailable, "cannot read the schema \(url.path): check that Haul is installed completely")
        }
        defer { xmlSchemaFreeParserCtxt(parserContext) }
        xmlSchemaSetParserStructuredErrors(parserContext, XMLErrorCollector.structuredHandler, collector.pointer)
        guard let schema = xmlSchemaParse(parserContext) else {
            throw HaulXMLError(.schemaUnavailable, "the schema \(url.path) does not compile", diagnostics: collector.diagnostics)
        }
        pointer = schema
    }

    deinit { xmlSchemaFree(pointer) }

    private static let cacheLock = NSLock()
    nonisolated(unsafe) private static var cache: [URL: CompiledSchema] = [:]

    /// The schema at `url`, compiled once per process (a compiled schema is read-only).
    static func shared(_ url: URL) throws(HaulXMLError) -> CompiledSchema {
        cacheLock.lock()
        defer { cacheLock.unlock() }
        if let cached = cache[url] { return cached }
        let schema = try CompiledSchema(url: url)
        cache[url] = schema
        return schema
    }
}

/// The Haul case-file schema and its namespace.
public enum CaseFileSchema {
    /// The namespace of major version 1.
    public static let namespace = "urn:haul:ns:case:1"
    /// The minor version this build writes into `schemaVersion`.
    public static let version = "1.6"

    /// The shipped schema, compiled once per process.
    public static func shipped() throws(HaulXMLError) -> CompiledSchema {
        try CompiledSchema.shared(HaulData.caseSchemaV1)
    }
}

/// Tells Haul's case-file namespace from others by the parser's own string once seen: libxml2
/// hands every element the one interned string, so each later comparison finds the two strings
/// share their storage, where comparing with the literal compares 18 bytes for every element.
struct CaseNamespaceMatcher {
    private var seen: String?

    /// Whether `namespace` is Haul's case-file namespace.
    mutating func matches(_ namespace: String?) -> Bool {
        guard let namespace else { return false }
        if let seen { return namespace == seen }
        guard namespace == CaseFileSchema.namespace else { return false }
        seen = namespace
        return true
    }
}
