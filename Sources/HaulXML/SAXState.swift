import CLibXML2
import Foundation

/// The Swift side of one streaming parse: turns libxml2's SAX2 callbacks into
/// ``XMLEventHandler`` calls, with exact line numbers, and stops the parser on anything hostile.
final class SAXState {
    let displayName: String
    let handlers: [XMLEventHandler]
    let maximumDepth: Int
    let collector: XMLErrorCollector
    /// Set while parsing; read for line numbers.
    var parser: xmlParserCtxtPtr?
    /// Why the document was refused mid-parse, if it was.
    var refusal: String?
    private var depth = 0
    /// libxml2 interns element names and namespace URIs in its dictionary, so one pointer is one
    /// string for the whole parse: make each Swift string once.
    private var interned: [UnsafeRawPointer: String] = [:]

    @inline(__always)
    func intern(_ chars: UnsafePointer<xmlChar>?) -> String? {
        guard let chars else { return nil }
        let key = UnsafeRawPointer(chars)
        if let known = interned[key] { return known }
        let made = string(chars) ?? ""
        if interned.count < 4096 { interned[key] = made }
        return made
    }

    /// The elements some handler needs (nil: all of them).
    private let filter: Set<String>?
    /// For each open element, whether it was passed on to the handlers.
    private var passed: [Bool] = []

    init(displayName: String, handlers: [XMLEventHandler], maximumDepth: Int) {
        self.displayName = displayName
        self.handlers = handlers
        self.maximumDepth = maximumDepth
        self.collector = XMLErrorCollector(file: displayName)
        let wanted = handlers.map(\.interestingElements)
        filter = wanted.contains { $0 == nil } ? nil : wanted.reduce(into: Set<String>()) { $0.formUnion($1!) }
    }

    var line: Int { parser.map { Int(xmlSAX2GetLineNumber($0)) } ?? 0 }

    private func refuse(_ message: String) {
        guard refusal == nil else { return }
        refusal = message
        if let parser { xmlStopParser(parser) }
    }

    private static func state(_ context: UnsafeMutableRawPointer?) -> SAXState? {
        context.map { Unmanaged<SAXState>.fromOpaque($0).takeUnretainedValue() }
    }

    /// The handler table: only what Haul needs, so libxml2 builds no tree and resolves no entity.
    static func handlerTable() -> xmlSAXHandler {
        var table = xmlSAXHandler()
        table.initialized = XML_SAX2_MAGIC
        table.startElementNs = startElement
        table.endElementNs = endElement
        table.characters = characters
        table.cdataBlock = characters
        table.ignorableWhitespace = characters
        table.internalSubset = internalSubset
        table.getEntity = getEntity
        table.serror = parserError
        return table
    }

    private static let startElement: startElementNsSAX2Func = { context, localName, _, uri, _, _, attributeCount, _, attributes in
        guard let state = state(context), state.refusal == nil else { return }
        state.depth += 1
        let line = state.line
        guard state.depth <= state.maximumDepth else {
            state.refuse("\(state.displayName):\(line): elements are nested more than \(state.maximumDepth) deep; refused as hostile or corrupt")
            return
        }
        let name = state.intern(localName) ?? ""
        if let filter = state.filter, attributeCount == 0, state.depth > 1, !filter.contains(name) {
            state.passed.append(false)
            return
        }
        state.passed.append(true)
        var values: [String: String] = [:]
        if let attributes {
            for index in 0..<Int(attributeCount) {
                let base = index * 5
                guard var key = state.intern(attributes[base]), let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                // A namespaced attribute (structures:ref, xsi:type) is keyed "{namespace}name", so
                // it can never be mistaken for an unqualified one of the same local name.
                if let attributeNamespace = state.intern(attributes[base + 2]) { key = "{\(attributeNamespace)}\(key)" }
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                var value = String(decoding: bytes, as: UTF8.self)
                // Without entity substitution libxml2 hands '&' in attribute values on as "&#38;".
                if bytes.contains(UInt8(ascii: "&")) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                values[key] = value
            }
        }
        let namespace = state.intern(uri)
        for handler in state.handlers { handler.startElement(name, namespace: namespace, attributes: values, line: line) }
    }

    private static let endElement: endElementNsSAX2Func = { context, localName, _, _ in
        guard let state = state(context), state.refusal == nil else { return }
        state.depth -= 1
        guard state.passed.popLast() ?? true else { return }
        let name = state.intern(localName) ?? ""
        let line = state.line
        for handler in state.handlers { handler.endElement(name, line: line) }
    }

    private static let characters: charactersSAXFunc = { context, chars, length in
        guard let state = state(context), state.refusal == nil, let chars, state.passed.last ?? true else { return }
        var text: String?
        for handler in state.handlers where handler.wantsText {
            if text == nil { text = String(decoding: UnsafeBufferPointer(start: chars, count: Int(length)), as: UTF8.self) }
            handler.text(text!)
        }
    }

    private static let internalSubset: internalSubsetSAXFunc = { context, _, _, _ in
        guard let state = state(context) else { return }
        state.refuse("\(state.displayName):\(state.line): the file has a document type declaration; case files must not have one, because DTDs and entities can read local files or expand without bound. Remove it.")
    }

    /// Only the five predefined entities exist; libxml2 resolves those itself.
    private static let getEntity: getEntitySAXFunc = { _, _ in nil }

    /// Well-formedness errors. With a schema plugged in, libxml2 passes the plug's data rather
    /// than ours, so find the state through the parser context's `_private` field.
    private static let parserError: xmlStructuredErrorFunc = { _, error in
        guard let error, let parser = error.pointee.ctxt?.assumingMemoryBound(to: xmlParserCtxt.self),
              let state = state(parser.pointee._private) else { return }
        XMLErrorCollector.structuredHandler(state.collector.pointer, error)
    }

    /// Tells the schema validator where the parser is, for its error messages.
    static let locator: xmlSchemaValidityLocatorFunc = { context, file, line in
        guard let state = state(context) else { return -1 }
        file?.pointee = nil
        line?.pointee = UInt(max(state.line, 0))
        return 0
    }
}
