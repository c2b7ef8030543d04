import CLibXML2
import Foundation

/// A thin, throwing wrapper over libxml2's `xmlTextWriter`, writing straight to a file so
/// memory does not grow with the document.
final class XMLStreamWriter {
    private let writer: xmlTextWriterPtr
    private let path: String
    private var finished = false
    /// The sink libxml2 writes into holds no reference of its own (the C callback gets an
    /// unretained pointer), and libxml2 flushes into it once more when the writer is freed:
    /// keep it alive until then.
    private let sink: TeeSink?

    init(path: String) throws(HaulXMLError) {
        LibXML.initialise()
        guard let writer = xmlNewTextWriterFilename(path, 0) else {
            throw HaulXMLError(.io, "cannot create \(path) for writing: check the folder exists and is writable")
        }
        self.writer = writer
        self.path = path
        self.sink = nil
        xmlTextWriterSetIndent(writer, 1)
        _ = withXMLChars("  ") { xmlTextWriterSetIndentString(writer, $0) }
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    /// Writes into `sink` (the file and the validator at once) instead of a file of its own.
    init(sink: TeeSink) throws(HaulXMLError) {
        LibXML.initialise()
        let context = Unmanaged.passUnretained(sink).toOpaque()
        guard let output = xmlOutputBufferCreateIO({ context, buffer, length in
            guard let context, let buffer else { return -1 }
            Unmanaged<TeeSink>.fromOpaque(context).takeUnretainedValue().write(UnsafeRawBufferPointer(start: buffer, count: Int(length)))
            return length
        }, { _ in 0 }, context, nil), let writer = xmlNewTextWriter(output) else {
            throw HaulXMLError(.io, "cannot start the streaming writer")
        }
        self.writer = writer
        self.path = "the export stream"
        self.sink = sink
        xmlTextWriterSetIndent(writer, 1)
        _ = withXMLChars("  ") { xmlTextWriterSetIndentString(writer, $0) }
        try check(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil), "start the document")
    }

    deinit { xmlFreeTextWriter(writer) }

    private func check(_ status: Int32, _ what: String) throws(HaulXMLError) {
        if status < 0 { throw HaulXMLError(.io, "writing \(path) failed (could not \(what)); is the disk full?") }
    }

    /// Opens an element with its attributes (attributes whose value is nil are left out).
    func start(_ name: String, _ attributes: [(String, String?)] = []) throws(HaulXMLError) {
        try check(withXMLChars(name) { xmlTextWriterStartElement(writer, $0) }, "start <\(name)>")
        for (key, value) in attributes {
            guard let value else { continue }
            try check(withXMLChars(key) { k in withXMLChars(value) { v in xmlTextWriterWriteAttribute(writer, k, v) } }, "write \(key)")
        }
    }

    func end() throws(HaulXMLError) {
        try check(xmlTextWriterEndElement(writer), "end an element")
    }

    /// `<name>text</name>` for text with many quotation marks (a record's JSON payload): only
    /// `&`, `<` and `>` are escaped, since quotation marks need no escaping in text and libxml2
    /// would write each as `&quot;` (a payload would grow by half, and a reader's parser would
    /// hand it over in thousands of pieces). Carriage returns are escaped so they survive.
    func textElement(_ name: String, _ text: String) throws(HaulXMLError) {
        try start(name, [])
        // Byte by byte: a payload runs to tens of kilobytes and there are thousands of them.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 64)
        var source = text
        source.withUTF8 { utf8 in
            // Runs without a special byte are copied whole.
            var runStart = 0
            for index in 0..<utf8.count {
                let replacement: StaticString
                switch utf8[index] {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\r"): replacement = "&#13;"
                case 0: replacement = ""   // never in a payload (JSON escapes it); a C string could not carry it
                default: continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                bytes.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        }
        bytes.append(0)
        try check(bytes.withUnsafeBufferPointer { xmlTextWriterWriteRaw(writer, $0.baseAddress) }, "write the text of <\(name)>")
        try check(xmlTextWriterFullEndElement(writer), "end <\(name)>")
    }

    /// `<name attributes…>text</name>`.
    func element(_ name: String, _ text: String, _ attributes: [(String, String?)] = []) throws(HaulXMLError) {
        try start(name, attributes)
        try check(withXMLChars(text) { xmlTextWriterWriteString(writer, $0) }, "write the text of <\(name)>")
        try check(xmlTextWriterFullEndElement(writer), "end <\(name)>")
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
        var total = 0
        // A multiple of 3 bytes, so only the last block can carry '=' padding.
        while let block = try? file.read(upToCount: 57 * 1024), !block.isEmpty {
            total += block.count
            let text = "\n" + block.base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])
            try check(withXMLChars(text) { xmlTextWriterWriteRaw(writer, $0) }, "write the attachment")
        }
        try check(withXMLChars("\n") { xmlTextWriterWriteRaw(writer, $0) }, "write the attachment")
        try check(xmlTextWriterFullEndElement(writer), "end <\(name)>")
        return total
    }

    /// Closes every open element and flushes the file.
    func finish() throws(HaulXMLError) {
        guard !finished else { return }
        finished = true
        try check(xmlTextWriterEndDocument(writer), "end the document")
        try check(xmlTextWriterFlush(writer), "flush the file")
    }
}
