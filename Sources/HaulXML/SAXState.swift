import CLibXML2
import Foundation

/// The Swift side of one streaming parse: turns libxml2's SAX2 callbacks into
/// ``XMLEventHandler`` calls, with exact line numbers, and stops the parser on anything hostile.
final class SAXState {
    let displayName: String
    /// The first two handlers (a large read has two: the semantic checks and the tree builder)
    /// as constants of this object, and any others: called through a constant of an object the
    /// callback borrows, a handler is not retained and released around each of millions of
    /// calls, as one taken from an array or a buffer is.
    private let first: XMLEventHandler?
    private let second: XMLEventHandler?
    private let others: [XMLEventHandler]
    let maximumDepth: Int
    let collector: XMLErrorCollector
    /// Set while parsing; read for line numbers.
    var parser: xmlParserCtxtPtr?
    /// Why the document was refused mid-parse, if it was.
    @exclusivity(unchecked) var refusal: String?
    @exclusivity(unchecked) private(set) var depth = 0
    /// Whether any element was opened (a file with none is empty of XML).
    @exclusivity(unchecked) private(set) var sawElement = false

    // libxml2 interns element and attribute names and namespace URIs in its dictionary, so one
    // pointer is one string for the whole parse: each Swift string is made once, and found again
    // through a small open-addressing table keyed by the pointer (no hashing of strings on the
    // hot path: a large file has millions of element starts and ends).
    private static let tableSize = 8192
    private static let maximumNames = 4096
    private let tableKeys = UnsafeMutablePointer<UnsafeRawPointer?>.allocate(capacity: tableSize)
    private let tableSlots = UnsafeMutablePointer<Int32>.allocate(capacity: tableSize)
    @exclusivity(unchecked) private var names: [String] = []
    /// Per interned name: which handlers want elements of that name (``Routes``).
    @exclusivity(unchecked) private var wantedNames: [UInt8] = []

    /// The index of `chars` in `names`, making the string on first sight; nil past the table's
    /// capacity (a hostile file with thousands of distinct names), when callers make the string
    /// each time.
    @inline(__always)
    private func nameIndex(_ chars: UnsafePointer<xmlChar>) -> Int? {
        let key = UnsafeRawPointer(chars)
        var slot = Int(truncatingIfNeeded: (UInt(bitPattern: key) >> 3) &* 0x9E37_79B9_7F4A_7C15 >> 51) & (Self.tableSize - 1)
        while let present = tableKeys[slot] {
            if present == key { return Int(tableSlots[slot]) }
            slot = (slot + 1) & (Self.tableSize - 1)
        }
        guard names.count < Self.maximumNames else { return nil }
        let made = string(chars) ?? ""
        tableKeys[slot] = key
        tableSlots[slot] = Int32(names.count)
        names.append(made)
        wantedNames.append(routes.wanting(made))
        return names.count - 1
    }

    @inline(__always)
    func intern(_ chars: UnsafePointer<xmlChar>?) -> String? {
        guard let chars else { return nil }
        if let index = nameIndex(chars) { return names[index] }
        return string(chars) ?? ""
    }

    /// Which handler is told of which element, as bits: 1 the first handler, 2 the second, 4
    /// the others together. Each handler sees the elements it lists (all when it lists none),
    /// the root, every child of the root in another namespace, and elements with attributes
    /// when it asks for them — the same whatever other handlers share the parse, so the
    /// semantic checks see in an import exactly what they see in `haul validate`.
    struct Routes {
        let lists: [Set<String>?]
        /// The handlers there are.
        let all: UInt8
        /// The handlers that take every element with attributes.
        let withAttributes: UInt8

        init(_ handlers: [XMLEventHandler]) {
            lists = handlers.map(\.interestingElements)
            all = handlers.indices.reduce(0) { $0 | Self.bit($1) }
            withAttributes = handlers.indices.filter { handlers[$0].needsEveryElementWithAttributes }.reduce(0) { $0 | Self.bit($1) }
        }

        /// The bit of the handler at `index` (every one past the second shares the third bit).
        static func bit(_ index: Int) -> UInt8 { UInt8(1) << UInt8(min(index, 2)) }

        /// The handlers that list `name`.
        func wanting(_ name: String) -> UInt8 {
            lists.indices.reduce(0) { $0 | (lists[$1]?.contains(name) ?? true ? Self.bit($1) : 0) }
        }
    }
    private let routes: Routes
    /// For each open element (index = depth): the handlers told of it (bits 0–2, as ``Routes``)
    /// and, four bits up, those of them that want its text (the characters callback runs for
    /// every run of indentation, so it reads one byte). Depth is bounded, so a fixed buffer
    /// does; no array growth or exclusivity checks on the hottest path.
    private let flags: UnsafeMutablePointer<UInt8>
    /// Reused for each element's attributes (copy-on-write keeps a handler's copy intact).
    @exclusivity(unchecked) private var attributeScratch = XMLAttributes()

    init(displayName: String, handlers: [XMLEventHandler], maximumDepth: Int) {
        self.displayName = displayName
        first = handlers.first
        second = handlers.count > 1 ? handlers[1] : nil
        others = Array(handlers.dropFirst(2))
        self.maximumDepth = maximumDepth
        self.collector = XMLErrorCollector(file: displayName)
        routes = Routes(handlers)
        tableKeys.initialize(repeating: nil, count: Self.tableSize)
        tableSlots.initialize(repeating: 0, count: Self.tableSize)
        flags = UnsafeMutablePointer<UInt8>.allocate(capacity: maximumDepth + 2)
        flags.initialize(repeating: 0, count: maximumDepth + 2)
    }

    deinit {
        tableKeys.deallocate()
        tableSlots.deallocate()
        flags.deallocate()
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
        table.initialized = UInt32(XML_SAX2_MAGIC)
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

    /// The flags of an element told to `told`: those bits, and four up, those of them that want
    /// its text now.
    @inline(__always)
    private func flags(told: UInt8) -> UInt8 {
        var text: UInt8 = 0
        if told & 1 != 0, first?.wantsText == true { text |= 1 }
        if told & 2 != 0, second?.wantsText == true { text |= 2 }
        if told & 4 != 0, others.contains(where: { $0.wantsText }) { text |= 4 }
        return told | text << 4
    }

    /// The state behind a callback's context, borrowed for the call: no retain and release on
    /// each of the millions of callbacks a large file makes.
    @inline(__always)
    private static func withState(_ context: UnsafeMutableRawPointer?, _ body: (SAXState) -> Void) {
        guard let context else { return }
        Unmanaged<SAXState>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
    }

    private static let startElement: startElementNsSAX2Func = { context, localName, _, uri, _, _, attributeCount, _, attributes in
        withState(context) { state in state.start(localName, uri, Int(attributeCount), attributes) }
    }

    private func start(_ localName: UnsafePointer<xmlChar>?, _ uri: UnsafePointer<xmlChar>?, _ attributeCount: Int,
                       _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        let state = self
        guard state.refusal == nil, let localName else { return }
        state.depth += 1
        state.sawElement = true
        guard state.depth <= state.maximumDepth else {
            state.refuse("\(state.displayName):\(state.line): elements are nested more than \(state.maximumDepth) deep; refused as hostile or corrupt")
            return
        }
        let index = state.nameIndex(localName)
        let routes = state.routes
        var told = index.map { state.wantedNames[$0] } ?? routes.all
        if attributeCount > 0 { told |= routes.withAttributes }
        // The root, and a child of the root in another namespace, reach every handler whatever
        // its name: the case's checks must see what sits in the signature's slot.
        if state.depth == 1 || (told != routes.all && state.depth == 2 && state.intern(uri) != CaseFileSchema.namespace) { told = routes.all }
        guard told != 0 else {
            state.flags[state.depth] = 0
            return
        }
        let name = index.map { state.names[$0] } ?? (string(localName) ?? "")
        let line = state.line
        state.attributeScratch.pairs.removeAll(keepingCapacity: true)
        state.attributeScratch.nameIndex = index ?? -1
        if let attributes {
            for attribute in 0..<Int(attributeCount) {
                let base = attribute * 5
                guard var key = state.intern(attributes[base]), let start = attributes[base + 3], let end = attributes[base + 4] else { continue }
                // A namespaced attribute (structures:ref, xsi:type) is keyed "{namespace}name", so
                // it can never be mistaken for an unqualified one of the same local name.
                if let attributeNamespace = state.intern(attributes[base + 2]) { key = "{\(attributeNamespace)}\(key)" }
                let bytes = UnsafeBufferPointer(start: start, count: end - start)
                var value = String(decoding: bytes, as: UTF8.self)
                // Without entity substitution libxml2 hands '&' in attribute values on as "&#38;".
                if bytes.contains(UInt8(ascii: "&")) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                state.attributeScratch.pairs.append((key, value))
            }
        }
        let namespace = state.intern(uri)
        if told & 1 != 0 { state.first?.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line) }
        if told & 2 != 0 { state.second?.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line) }
        if told & 4 != 0 {
            for handler in state.others { handler.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line) }
        }
        state.flags[state.depth] = state.flags(told: told)
    }

    private static let endElement: endElementNsSAX2Func = { context, localName, _, _ in
        withState(context) { state in state.end(localName) }
    }

    private func end(_ localName: UnsafePointer<xmlChar>?) {
        let state = self
        guard state.refusal == nil, let localName, state.depth > 0 else { return }
        let told = state.flags[state.depth] & 7
        state.depth -= 1
        guard told != 0 else { return }
        let name = state.intern(localName) ?? ""
        let line = state.line
        if told & 1 != 0 { state.first?.endElement(name, line: line) }
        if told & 2 != 0 { state.second?.endElement(name, line: line) }
        if told & 4 != 0 { for handler in state.others { handler.endElement(name, line: line) } }
        // The parent's wish may have changed with what the handlers just saw.
        if state.depth > 0, case let parent = state.flags[state.depth] & 7, parent != 0 {
            state.flags[state.depth] = state.flags(told: parent)
        }
    }

    private static let characters: charactersSAXFunc = { context, chars, length in
        withState(context) { state in
            guard state.depth > 0, case let wanting = state.flags[state.depth] >> 4, wanting != 0, state.refusal == nil, let chars else { return }
            let bytes = UnsafeBufferPointer(start: chars, count: Int(length))
            if wanting & 1 != 0, state.first?.wantsText == true { state.first?.text(bytes: bytes) }
            if wanting & 2 != 0, state.second?.wantsText == true { state.second?.text(bytes: bytes) }
            if wanting & 4 != 0 { for handler in state.others where handler.wantsText { handler.text(bytes: bytes) } }
        }
    }

    private static let internalSubset: internalSubsetSAXFunc = { context, _, _, _ in
        guard let state = state(context) else { return }
        state.refuse("\(state.displayName):\(state.line): the file has a document type declaration; Haul reads no file that has one, because DTDs and entities can read local files or expand without bound. Remove it.")
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
