import HaulCore

/// What ``CaseMapping`` reads of an element: a node of the tree, or an element of an item
/// captured flat while a large file streams past.
protocol MappedNode {
    var name: String { get }
    /// The line the element starts on.
    var line: Int { get }
    /// The text before the element's first child, as written.
    var text: String { get }
    /// The same without XML white space at either end.
    var value: String { get }
    func child(_ name: String) -> Self?
    func children(_ name: String) -> [Self]
    func attribute(_ name: String) -> String?
}

extension XMLNode: MappedNode {
    func attribute(_ name: String) -> String? { attributes[name] }
}

/// Items captured flat as the parser reads them, a batch at a time: every element in one array,
/// every attribute in another, every text in one run of bytes. Capturing allocates nothing per
/// element (the arrays grow once), so the parsing thread — the limit of a large import — only
/// copies; the items are mapped on another thread (``CapturedNode``).
final class CapturedItems: @unchecked Sendable {
    struct Element {
        var name: String
        var line: Int
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1
        var textStart: Int
        var textEnd: Int
        var attributeStart: Int
        var attributeEnd: Int
        var hasHadChildren = false
    }

    /// One captured item: its root element, where it sits, and what the file had said before it.
    struct Entry {
        var root: Int
        /// The seizure's place in the file (0 for the first).
        var seizureIndex: Int
        var seizureID: Identifier?
        /// The case's reference, when the header had given it.
        var reference: Identifier?
    }

    // Unchecked: one thread at a time uses a batch (the parser fills it, then hands it over),
    // and a run-time exclusivity check on each of millions of accesses cost a tenth of the parse.
    @exclusivity(unchecked) var elements: [Element] = []
    @exclusivity(unchecked) var attributes: [(key: String, value: String)] = []
    @exclusivity(unchecked) var bytes: [UInt8] = []
    @exclusivity(unchecked) var entries: [Entry] = []

    init() {
        elements.reserveCapacity(4_096)
        attributes.reserveCapacity(2_048)
        bytes.reserveCapacity(32 << 10)
        entries.reserveCapacity(BatchQueue<Int>.batchSize)
    }

    /// Opens an element inside `parent` (-1 for an item's root); returns its index.
    func open(_ name: String, attributes given: XMLAttributes, line: Int, parent: Int) -> Int {
        let index = elements.count
        let attributeStart = attributes.count
        attributes.append(contentsOf: given.pairs)
        elements.append(Element(name: name, line: line, textStart: bytes.count, textEnd: bytes.count,
                                attributeStart: attributeStart, attributeEnd: attributes.count))
        if parent >= 0 {
            if elements[parent].lastChild >= 0 { elements[elements[parent].lastChild].nextSibling = index } else { elements[parent].firstChild = index }
            elements[parent].lastChild = index
            elements[parent].hasHadChildren = true
        }
        return index
    }

    /// Appends text to `element`, the innermost open one, which has no child yet: its text is
    /// the bytes appended since it opened, one run.
    func appendText(_ text: UnsafeBufferPointer<UInt8>, to element: Int) {
        bytes.append(contentsOf: text)
        elements[element].textEnd = bytes.count
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Empties the batch, keeping its room (items read after the receiver stopped are dropped).
    func removeAll() {
        elements.removeAll(keepingCapacity: true)
        attributes.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
    }
}

/// An element of a captured item, read by ``CaseMapping`` as it reads a tree's node.
struct CapturedNode: MappedNode {
    let batch: CapturedItems
    let index: Int

    private var element: CapturedItems.Element { batch.elements[index] }
    var name: String { element.name }
    var line: Int { element.line }

    var text: String {
        let element = self.element
        return batch.bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[element.textStart..<element.textEnd]), as: UTF8.self) }
    }

    /// As ``XMLNode/value``: the text without space, tab, CR or LF at either end. Cut on the
    /// bytes, except where the cut meets a non-ASCII byte: there ``SemanticUnits/trimmed(_:)``
    /// cuts by characters (a space that is one character with a combining or prepended mark
    /// stays), and so does this.
    var value: String {
        let element = self.element
        let cut: String? = batch.bytes.withUnsafeBufferPointer { bytes in
            var start = element.textStart, end = element.textEnd
            func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
            while start < end, isSpace(bytes[start]) { start += 1 }
            while end > start, isSpace(bytes[end - 1]) { end -= 1 }
            let trimmed = start > element.textStart || end < element.textEnd
            guard !trimmed || start == end || (bytes[start] < 0x80 && bytes[end - 1] < 0x80) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
        return cut ?? SemanticUnits.trimmed(text)
    }

    func child(_ name: String) -> CapturedNode? {
        var next = element.firstChild
        while next >= 0 {
            if batch.elements[next].name == name { return CapturedNode(batch: batch, index: next) }
            next = batch.elements[next].nextSibling
        }
        return nil
    }

    func children(_ name: String) -> [CapturedNode] {
        var found: [CapturedNode] = []
        var next = element.firstChild
        while next >= 0 {
            if batch.elements[next].name == name { found.append(CapturedNode(batch: batch, index: next)) }
            next = batch.elements[next].nextSibling
        }
        return found
    }

    func attribute(_ name: String) -> String? {
        let element = self.element
        for index in element.attributeStart..<element.attributeEnd where batch.attributes[index].key == name {
            return batch.attributes[index].value
        }
        return nil
    }
}
