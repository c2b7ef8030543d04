import CLibXML2
import Foundation

/// The Swift side of one streaming parse: turns libxml2's SAX2 callbacks into
/// ``XMLEventHandler`` calls, with exact line numbers, and stops the parser on anything hostile.
final class SAXState {
    let displayName: String
    let handlers: [XMLEventHandler]
    /// The same handlers for the callbacks: reached through a pointer they are borrowed for
    /// each call, where iterating the array retains and releases each one on every event.
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
    /// Per interned name: whether some handler wants elements of that name.
    @exclusivity(unchecked) private var wantedNames: [Bool] = []

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
        wantedNames.append(filter?.contains(made) ?? true)
        return names.count - 1
    }

    @inline(__always)
    func intern(_ chars: UnsafePointer<xmlChar>?) -> String? {
        guard let chars else { return nil }
        if let index = nameIndex(chars) { return names[index] }
        return string(chars) ?? ""
    }

    /// The elements some handler needs (nil: all of them).
    private let filter: Set<String>?
    /// Whether elements with attributes go to the handlers even when no handler lists them.
    private let passesEveryElementWithAttributes: Bool
    /// For each open element (index = depth): bit 0 set when it was passed on to the handlers,
    /// bit 1 when some handler wants its text (the characters callback runs for every run of
    /// indentation, so it reads one byte). Depth is bounded, so a fixed buffer does; no array
    /// growth or exclusivity checks on the hottest path.
    private let flags: UnsafeMutablePointer<UInt8>
    private static let passedFlag: UInt8 = 1
    private static let textFlag: UInt8 = 2
    /// Reused for each element's attributes (copy-on-write keeps a handler's copy intact).
    @exclusivity(unchecked) private var attributeScratch = XMLAttributes()

    init(displayName: String, handlers: [XMLEventHandler], maximumDepth: Int) {
        self.displayName = displayName
        self.handlers = handlers
        first = handlers.first
        second = handlers.count > 1 ? handlers[1] : nil
        others = Array(handlers.dropFirst(2))
        self.maximumDepth = maximumDepth
        self.collector = XMLErrorCollector(file: displayName)
        let wanted = handlers.map(\.interestingElements)
        filter = wanted.contains { $0 == nil } ? nil : wanted.reduce(into: Set<String>()) { $0.formUnion($1!) }
        passesEveryElementWithAttributes = handlers.contains { $0.needsEveryElementWithAttributes }
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

    @inline(__always)
    private func anyHandlerWantsText() -> Bool {
        if first?.wantsText == true || second?.wantsText == true { return true }
        for handler in others where handler.wantsText { return true }
        return false
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
        let wanted = index.map { state.wantedNames[$0] } ?? true
        // A child of the root in another namespace always reaches the handlers, whatever its name:
        // the case's checks must see what sits in the signature's slot.
        let foreignAtTop = !wanted && state.depth == 2 && state.intern(uri) != CaseFileSchema.namespace
        if !wanted, !foreignAtTop, attributeCount == 0 || !state.passesEveryElementWithAttributes, state.depth > 1 {
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
        state.first?.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line)
        state.second?.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line)
        for handler in state.others { handler.startElement(name, namespace: namespace, attributes: state.attributeScratch, line: line) }
        state.flags[state.depth] = Self.passedFlag | (state.anyHandlerWantsText() ? Self.textFlag : 0)
    }

    private static let endElement: endElementNsSAX2Func = { context, localName, _, _ in
        withState(context) { state in state.end(localName) }
    }

    private func end(_ localName: UnsafePointer<xmlChar>?) {
        let state = self
        guard state.refusal == nil, let localName, state.depth > 0 else { return }
        let wasPassed = state.flags[state.depth] & Self.passedFlag != 0
        state.depth -= 1
        guard wasPassed else { return }
        let name = state.intern(localName) ?? ""
        let line = state.line
        state.first?.endElement(name, line: line)
        state.second?.endElement(name, line: line)
        for handler in state.others { handler.endElement(name, line: line) }
        // The parent's wish may have changed with what the handlers just saw.
        if state.depth > 0, state.flags[state.depth] & Self.passedFlag != 0 {
            state.flags[state.depth] = Self.passedFlag | (state.anyHandlerWantsText() ? Self.textFlag : 0)
        }
    }

    private static let characters: charactersSAXFunc = { context, chars, length in
        withState(context) { state in
            guard state.depth > 0, state.flags[state.depth] & textFlag != 0, state.refusal == nil, let chars else { return }
            let bytes = UnsafeBufferPointer(start: chars, count: Int(length))
            if state.first?.wantsText == true { state.first?.text(bytes: bytes) }
            if state.second?.wantsText == true { state.second?.text(bytes: bytes) }
            for handler in state.others where handler.wantsText { handler.text(bytes: bytes) }
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
