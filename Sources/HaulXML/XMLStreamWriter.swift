import Foundation
import HaulCore

/// Writes XML as a stream, 64 KB at a time, so memory does not grow with the document.
///
/// The bytes are exactly those libxml2's `xmlTextWriter` wrote for the same calls with
/// two-space indenting, which Haul used until this writer replaced it: the same layout, the same
/// escapes, the same declaration (`XMLStreamWriterTests` drives both and compares them byte for
/// byte). Exported files, their chain heads and their signatures are unchanged by the swap.
/// `xmlTextWriter` cost a third of an export's writing thread: a C string and a list walk for
/// every element, a freshly allocated escaped copy of every text.
final class XMLStreamWriter {
    /// Where full buffers go.
    private enum Output {
        /// A file this writer opened and closes.
        case file(Int32)
        /// The export's file and validator at once.
        case sink(TeeSink)
    }

    /// An element still open: while its start tag is open, attributes may follow.
    private struct OpenElement {
        let name: String
        var startTagOpen: Bool
    }

    private static let capacity = 1 << 16
    private var output: Output
    private let path: String
    private let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: XMLStreamWriter.capacity)
    // Unchecked: a writer is used by one thread, and these are touched for every byte run
    // written (a run-time exclusivity check each cost more than the copy).
    @exclusivity(unchecked) private var count = 0
    @exclusivity(unchecked) private var elements: [OpenElement] = []
    /// Whether the next closing tag goes on a line of its own (`xmlTextWriter`'s `doindent`):
    /// not right after text.
    private var indentsClosingTag = true
    private var finished = false
    /// The `errno` of the first write that failed; nothing is written after it.
    private var failure: Int32?

    /// Writes to the file at `path`, created or emptied.
    convenience init(path: String) throws(HaulXMLError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            throw HaulXMLError(.io, "cannot create \(path) for writing: check the folder exists and is writable")
        }
        self.init(descriptor: descriptor, path: path)
    }

    /// Writes to an open file descriptor, which the writer then owns and closes; `path` names
    /// it in messages.
    init(descriptor: Int32, path: String) {
        output = .file(descriptor)
        self.path = path
        startDocument()
    }

    /// Writes into `sink` (the file and the validator at once) instead of a file of its own;
    /// `path` names the file in messages.
    init(sink: TeeSink, path: String) {
        output = .sink(sink)
        self.path = path
        startDocument()
    }

    /// A writer dropped before `finish()` (an export abandoned part-way) writes nothing more.
    deinit {
        if case .file(let descriptor) = output, descriptor >= 0 { close(descriptor) }
        buffer.deallocate()
    }

    /// Opens an element with its attributes (attributes whose value is nil are left out).
    func start(_ name: String, _ attributes: [(String, String?)] = []) throws(HaulXMLError) {
        try openElement(name)
        for (key, value) in attributes {
            guard let value else { continue }
            try checkName(key)
            put(" ")
            putText(key)
            put("=\"")
            putEscaped(value, .attribute)
            put("\"")
        }
        try check("start <\(name)>")
    }

    /// Closes the innermost element: `/>` when it has no content yet.
    func end() throws(HaulXMLError) {
        guard let element = elements.popLast() else { throw HaulXMLError(.io, "writing \(path) failed: no element is open to end") }
        if element.startTagOpen {
            indentsClosingTag = true
            put("/>")
        } else {
            closingTag(element.name, depth: elements.count + 1)
        }
        put("\n")
        try check("end an element")
    }

    /// `<name>text</name>` for text with many quotation marks (a record's JSON payload): only
    /// `&`, `<` and `>` are escaped, since quotation marks need no escaping in text and an
    /// `&quot;` for each would grow a payload by half (and a reader's parser would hand it over
    /// in thousands of pieces). Carriage returns are escaped so they survive; a NUL (never in a
    /// payload: JSON escapes it) is left out.
    func textElement(_ name: String, _ text: String) throws(HaulXMLError) {
        try openElement(name)
        beginContent()
        putEscaped(text, .payload)
        closeContentElement()
        try check("write the text of <\(name)>")
    }

    /// `<name attributes…>text</name>`.
    func element(_ name: String, _ text: String, _ attributes: [(String, String?)] = []) throws(HaulXMLError) {
        try start(name, attributes)
        beginContent()
        putEscaped(text, .text)
        closeContentElement()
        try check("write the text of <\(name)>")
    }

    /// Writes `element` only when `text` is not nil.
    func optionalElement(_ name: String, _ text: String?, _ attributes: [(String, String?)] = []) throws(HaulXMLError) {
        if let text { try element(name, text, attributes) }
    }

    /// `<name>base64 of the file at path</name>`, read and encoded a block at a time so a large
    /// attachment is never held whole. Returns the file's size in bytes.
    @discardableResult
    func base64Element(_ name: String, contentsOf path: String) throws(HaulXMLError) -> Int {
        guard let file = FileHandle(forReadingAtPath: path) else { throw HaulXMLError(.io, "cannot read \(path) to attach it") }
        defer { try? file.close() }
        try start(name)
        beginContent()
        var total = 0
        // A multiple of 3 bytes, so only the last block can carry '=' padding.
        while let block = try? file.read(upToCount: 57 * 1024), !block.isEmpty {
            total += block.count
            put("\n")
            putText(block.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed]))
            try check("write the attachment")
        }
        put("\n")
        closeContentElement()
        try check("end <\(name)>")
        return total
    }

    /// Closes every open element and writes out what is buffered; a file of the writer's own is
    /// then closed (also when that fails part-way), and an error closing it is reported too.
    func finish() throws(HaulXMLError) {
        guard !finished else { return try check("end the document") }
        finished = true
        defer { closeFile() }
        while !elements.isEmpty { try end() }
        flush()
        closeFile()
        try check("end the document")
    }

    private func closeFile() {
        guard case .file(let descriptor) = output, descriptor >= 0 else { return }
        output = .file(-1)
        if close(descriptor) != 0, failure == nil { failure = errno }
    }

    // MARK: - Layout, as xmlTextWriter with indenting on

    private func startDocument() {
        put("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// `<name`, on a line of its own, indented by depth; the parent's start tag is closed first.
    private func openElement(_ name: String) throws(HaulXMLError) {
        try checkName(name)
        if let last = elements.indices.last, elements[last].startTagOpen {
            elements[last].startTagOpen = false
            put(">\n")
        }
        indent(elements.count)
        elements.append(OpenElement(name: name, startTagOpen: true))
        put("<")
        putText(name)
    }

    /// libxml2 refused an empty name; a NUL would have cut it short. Haul's names are constants,
    /// so either is a mistake in Haul.
    private func checkName(_ name: String) throws(HaulXMLError) {
        var name = name
        guard name.isEmpty || name.withUTF8({ $0.firstIndex(of: 0) != nil }) else { return }
        throw HaulXMLError(.io, "writing \(path) failed: '\(name)' is not an element or attribute name")
    }

    /// Closes the start tag before text: the closing tag then follows the text directly.
    private func beginContent() {
        let last = elements.count - 1
        if elements[last].startTagOpen {
            elements[last].startTagOpen = false
            put(">")
        }
        indentsClosingTag = false
    }

    /// `</name>` and a line break, after content (`xmlTextWriterFullEndElement`).
    private func closeContentElement() {
        let element = elements.removeLast()
        closingTag(element.name, depth: elements.count + 1)
        put("\n")
    }

    private func closingTag(_ name: String, depth: Int) {
        if indentsClosingTag { indent(depth - 1) }
        indentsClosingTag = true
        put("</")
        putText(name)
        put(">")
    }

    private static let spaces: StaticString = "                                                                "

    private func indent(_ levels: Int) {
        var remaining = levels * 2
        while remaining > 0 {
            let taken = min(remaining, Self.spaces.utf8CodeUnitCount)
            put(UnsafeRawBufferPointer(start: Self.spaces.utf8Start, count: taken))
            remaining -= taken
        }
    }

    // MARK: - Bytes

    /// What ``putEscaped(_:_:)`` escapes.
    private enum Escaping {
        /// A record's payload: `&`, `<`, `>` and carriage return; a NUL is left out.
        case payload
        /// Element text, as libxml2 escaped it: also `"`; text stops at a NUL, as the C string
        /// libxml2 was handed did.
        case text
        /// An attribute value: also line feed and tab, so they survive attribute normalisation.
        case attribute
    }

    private func putEscaped(_ text: String, _ escaping: Escaping) {
        var source = text
        source.withUTF8 { utf8 in
            // Runs without a special byte are copied whole.
            var runStart = 0
            var end = utf8.count
            var index = 0
            scan: while index < utf8.count {
                // Eight bytes at a time while none can need escaping (a payload is mostly
                // JSON's quotes, digits and punctuation, all below '>').
                if index + 8 <= utf8.count, !Self.mayNeedEscaping(ByteWords.word(utf8, at: index), escaping) {
                    index += 8
                    continue
                }
                let at = index
                let byte = utf8[at]
                index += 1
                guard byte <= UInt8(ascii: ">") else { continue }
                let replacement: StaticString
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\"") where escaping != .payload: replacement = "&quot;"
                case UInt8(ascii: "\r"): replacement = "&#13;"
                case UInt8(ascii: "\n") where escaping == .attribute: replacement = "&#10;"
                case UInt8(ascii: "\t") where escaping == .attribute: replacement = "&#9;"
                case 0 where escaping == .payload: replacement = ""
                case 0:
                    end = at
                    break scan
                default: continue
                }
                put(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart..<at])))
                put(replacement)
                runStart = at + 1
            }
            put(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: utf8[runStart..<end])))
        }
    }

    /// Whether any of the eight bytes of `word` is one `escaping` may replace: `&`, `<`, `>`,
    /// CR and NUL always; `"` outside payloads; LF and tab in attributes.
    @inline(__always)
    private static func mayNeedEscaping(_ word: UInt64, _ escaping: Escaping) -> Bool {
        @inline(__always) func has(_ byte: UInt8) -> UInt64 { ByteWords.holds(word, byte) }
        var found = has(UInt8(ascii: "&")) | has(UInt8(ascii: "<")) | has(UInt8(ascii: ">")) | has(0x0D) | has(0)
        if escaping != .payload { found |= has(UInt8(ascii: "\"")) }
        if escaping == .attribute { found |= has(0x0A) | has(0x09) }
        return found != 0
    }

    private func put(_ text: StaticString) {
        put(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private func putText(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ put(UnsafeRawBufferPointer($0)) }) == nil {
            var copy = text
            copy.withUTF8 { put(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Copies into the buffer; only a buffer that fills takes the slower way round.
    @inline(__always)
    private func put(_ bytes: UnsafeRawBufferPointer) {
        let length = bytes.count
        guard length > 0 else { return }
        if length <= Self.capacity - count {
            UnsafeMutableRawPointer(buffer + count).copyMemory(from: bytes.baseAddress!, byteCount: length)
            count += length
        } else {
            putAcrossFlushes(bytes)
        }
    }

    private func putAcrossFlushes(_ bytes: UnsafeRawBufferPointer) {
        var remaining = bytes
        while !remaining.isEmpty {
            if count == Self.capacity { flush() }
            let taken = min(remaining.count, Self.capacity - count)
            UnsafeMutableRawPointer(buffer + count).copyMemory(from: remaining.baseAddress!, byteCount: taken)
            count += taken
            remaining = UnsafeRawBufferPointer(rebasing: remaining[taken...])
        }
    }

    /// Hands the buffered bytes on; after a failure they are dropped (the export is abandoned).
    private func flush() {
        defer { count = 0 }
        guard count > 0, failure == nil else { return }
        switch output {
        case .sink(let sink):
            if !sink.write(UnsafeRawBufferPointer(start: buffer, count: count)) { failure = sink.failure ?? EIO }
        case .file(let descriptor):
            var written = 0
            while written < count {
                let result = write(descriptor, buffer + written, count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                written += result
            }
        }
    }

    private func check(_ what: @autoclosure () -> String) throws(HaulXMLError) {
        guard let failure else { return }
        throw HaulXMLError(.io, "writing \(path) failed (could not \(what())): \(String(cString: strerror(failure))); is the disk full?")
    }
}
