import CLibXML2
import Foundation

/// One-time libxml2 set-up and the process-wide guard on what libxml2 may open.
///
/// libxml2 loads external resources (DTDs, external entities, `xs:include`d schemas) through
/// one global "external entity loader". Haul replaces it with one that opens only files under
/// directories registered here (the shipped schemas), never the network; a hostile document
/// that slips past the DOCTYPE check still cannot make libxml2 read a local file or a URL.
enum LibXML {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var allowedDirectories: [String] = []
    nonisolated(unsafe) private static var initialised = false

    /// Initialises libxml2 and installs the restricted loader; safe to call many times.
    static func initialise() {
        lock.lock()
        defer { lock.unlock() }
        guard !initialised else { return }
        xmlInitParser()
        xmlSetExternalEntityLoader(restrictedEntityLoader)
        initialised = true
    }

    /// Lets libxml2 open files below `directory` (schema imports and includes).
    static func allowLoading(under directory: URL) {
        initialise()
        let path = directory.resolvingSymlinksInPath().standardizedFileURL.path
        lock.lock()
        defer { lock.unlock() }
        if !allowedDirectories.contains(path) { allowedDirectories.append(path) }
    }

    static func isAllowed(_ url: String) -> Bool {
        var path = url
        if path.hasPrefix("file://") { path = String(path.dropFirst("file://".count)) }
        guard path.hasPrefix("/"), !path.contains("/../") else { return false }
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        lock.lock()
        defer { lock.unlock() }
        return allowedDirectories.contains { resolved.hasPrefix($0 + "/") }
    }
}

/// The external entity loader libxml2 calls for every resource it wants to open by URL.
private let restrictedEntityLoader: xmlExternalEntityLoader = { url, id, context in
    guard let url, LibXML.isAllowed(String(cString: url)) else { return nil }
    return xmlNoNetExternalEntityLoader(url, id, context)
}

/// Collects libxml2's structured errors; handed to C callbacks through their context pointer.
final class XMLErrorCollector {
    let file: String
    private(set) var diagnostics: [XMLDiagnostic] = []
    /// libxml2 can report the same problem per node; stop collecting after this many.
    let limit: Int

    init(file: String, limit: Int = 1000) {
        self.file = file
        self.limit = limit
    }

    func add(_ diagnostic: XMLDiagnostic) {
        guard diagnostics.count < limit else { return }
        diagnostics.append(diagnostic)
    }

    /// Replaces what libxml2 said about the end of a file cut short (its push parser calls it
    /// "Extra content at the end of the document") with `diagnostic`.
    func replaceEndOfDocument(with diagnostic: XMLDiagnostic) {
        diagnostics.removeAll { $0.origin == .parser && $0.message == "Extra content at the end of the document" }
        diagnostics.insert(diagnostic, at: 0)
    }

    var pointer: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }

    static func from(_ pointer: UnsafeMutableRawPointer?) -> XMLErrorCollector? {
        pointer.map { Unmanaged<XMLErrorCollector>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The C callback: turns an `xmlError` into a diagnostic of the collector behind `context`.
    static let structuredHandler: xmlStructuredErrorFunc = { context, error in
        guard let collector = XMLErrorCollector.from(context), let error else { return }
        let level = error.pointee.level
        guard level != XML_ERR_NONE, level != XML_ERR_WARNING else { return }
        var message = error.pointee.message.map { String(cString: $0) } ?? "unknown libxml2 error"
        message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        collector.add(XMLDiagnostic(file: collector.file, line: Int(error.pointee.line), message: XMLErrorCollector.humanise(message),
                                    origin: error.pointee.domain == Int32(XML_FROM_SCHEMASV.rawValue) ? .schema : .parser))
    }

    /// libxml2 names elements as `{namespace}name`; the namespace is the same on every line of
    /// a Haul file, so drop it to keep messages short.
    static func humanise(_ message: String) -> String {
        message.replacingOccurrences(of: "{\(CaseFileSchema.namespace)}", with: "")
    }
}

/// Converts Swift strings to libxml2's `xmlChar` pointers for the duration of a call.
@inline(__always)
func withXMLChars<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) throws -> R) rethrows -> R {
    try text.withCString { try $0.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1, body) }
}

/// A Swift string from a borrowed libxml2 string.
@inline(__always)
func string(_ chars: UnsafePointer<xmlChar>?) -> String? {
    chars.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
}
