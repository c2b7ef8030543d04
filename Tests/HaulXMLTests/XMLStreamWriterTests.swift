import CLibXML2
import Foundation
import HaulTestSupport
@testable import HaulXML
import Testing

/// Haul's XML writer against the judge it replaced: libxml2's `xmlTextWriter`, driven by the same
/// calls as Haul drove it, indenting with two spaces and writing UTF-8 through an I/O callback.
/// Every exported file, chain head and signature depends on these bytes being the same.
@Suite("XML stream writer (byte for byte what libxml2's xmlTextWriter wrote)")
struct XMLStreamWriterTests {
    /// One call of the writer's API.
    enum Call {
        case start(String, [(String, String?)])
        case end
        case element(String, String, [(String, String?)])
        case textElement(String, String)
        case base64(String, path: String)
    }

    /// Runs `calls` through Haul's writer into a file and returns its bytes.
    static func haul(_ calls: [Call], in folder: TemporaryFolder) throws -> [UInt8] {
        let path = folder.path("haul-\(UUID().uuidString).xml")
        do {
            let xml = try XMLStreamWriter(path: path)
            for call in calls {
                switch call {
                case .start(let name, let attributes): try xml.start(name, attributes)
                case .end: try xml.end()
                case .element(let name, let text, let attributes): try xml.element(name, text, attributes)
                case .textElement(let name, let text): try xml.textElement(name, text)
                case .base64(let name, let file): try xml.base64Element(name, contentsOf: file)
                }
            }
            try xml.finish()
        }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Runs `calls` through libxml2's `xmlTextWriter` as Haul called it before, collecting what
    /// its output callback is handed.
    static func libxml2(_ calls: [Call]) throws -> [UInt8] {
        // libxml2 2.9 sets up its encoders lazily, and tests run in parallel.
        LibXML.initialise()
        final class Collected { var bytes: [UInt8] = [] }
        let collected = Collected()
        let context = Unmanaged.passUnretained(collected).toOpaque()
        try withExtendedLifetime(collected) {
            let created = xmlOutputBufferCreateIO({ context, buffer, length in
                guard let context, let buffer else { return -1 }
                Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue().bytes
                    .append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: Int(length)))
                return length
            }, { _ in 0 }, context, nil)
            let output = try #require(created)
            let writer = try #require(xmlNewTextWriter(output))
            defer { xmlFreeTextWriter(writer) }
            func chars<R>(_ text: String, _ body: (UnsafePointer<xmlChar>) -> R) -> R {
                text.withCString { $0.withMemoryRebound(to: xmlChar.self, capacity: text.utf8.count + 1, body) }
            }
            func ok(_ status: Int32) throws { #expect(status >= 0); if status < 0 { throw CancellationError() } }
            func start(_ name: String, _ attributes: [(String, String?)]) throws {
                try ok(chars(name) { xmlTextWriterStartElement(writer, $0) })
                for (key, value) in attributes {
                    guard let value else { continue }
                    try ok(chars(key) { k in chars(value) { v in xmlTextWriterWriteAttribute(writer, k, v) } })
                }
            }
            xmlTextWriterSetIndent(writer, 1)
            _ = chars("  ") { xmlTextWriterSetIndentString(writer, $0) }
            try ok(xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil))
            for call in calls {
                switch call {
                case .start(let name, let attributes):
                    try start(name, attributes)
                case .end:
                    try ok(xmlTextWriterEndElement(writer))
                case .element(let name, let text, let attributes):
                    try start(name, attributes)
                    try ok(chars(text) { xmlTextWriterWriteString(writer, $0) })
                    try ok(xmlTextWriterFullEndElement(writer))
                case .textElement(let name, let text):
                    // Haul escaped a payload itself (no &quot;) and handed it over raw.
                    try start(name, [])
                    var escaped = ""
                    for scalar in text.unicodeScalars {
                        switch scalar {
                        case "&": escaped += "&amp;"
                        case "<": escaped += "&lt;"
                        case ">": escaped += "&gt;"
                        case "\r": escaped += "&#13;"
                        case "\0": break
                        default: escaped.unicodeScalars.append(scalar)
                        }
                    }
                    try ok(chars(escaped) { xmlTextWriterWriteRaw(writer, $0) })
                    try ok(xmlTextWriterFullEndElement(writer))
                case .base64(let name, let file):
                    try start(name, [])
                    let data = try Data(contentsOf: URL(fileURLWithPath: file))
                    var offset = 0
                    while offset < data.count {
                        let block = data[offset..<min(offset + 57 * 1024, data.count)]
                        offset += block.count
                        try ok(chars("\n" + Data(block).base64EncodedString(options: [.lineLength76Characters, .endLineWithLineFeed])) { xmlTextWriterWriteRaw(writer, $0) })
                    }
                    try ok(chars("\n") { xmlTextWriterWriteRaw(writer, $0) })
                    try ok(xmlTextWriterFullEndElement(writer))
                }
            }
            try ok(xmlTextWriterEndDocument(writer))
            try ok(xmlTextWriterFlush(writer))
        }
        return collected.bytes
    }

    @Test("a hand-picked document: declaration, indenting, empty and text elements, every escape")
    func handPicked() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let calls: [Call] = [
            .start("case", [("xmlns", "urn:x"), ("skipped", nil), ("note", "a<b>&\"c\"\t\n\r'é")]),
            .element("empty", "", []),
            .element("text", "a<b>&\"c\"\t\n\r' é €", [("id", "1")]),
            .start("nested", []), .start("inner", [("x", "y")]), .end, .end,
            .textElement("payload", "{\"k\":\"<&>\r\"}"),
            .start("open", []),
        ]
        let written = try Self.haul(calls, in: folder)
        // Worked out by hand from libxml2's rules: a start tag left open gets `/>`, text keeps its
        // closing tag on the same line, attribute values escape tab and line feed, text does not.
        let expected = """
        <?xml version="1.0" encoding="UTF-8"?>
        <case xmlns="urn:x" note="a&lt;b&gt;&amp;&quot;c&quot;&#9;&#10;&#13;'é">
          <empty></empty>
          <text id="1">a&lt;b&gt;&amp;&quot;c&quot;\t
        &#13;' é €</text>
          <nested>
            <inner x="y"/>
          </nested>
          <payload>{"k":"&lt;&amp;&gt;&#13;"}</payload>
          <open/>
        </case>

        """
        #expect(String(decoding: written, as: UTF8.self) == expected)
        #expect(written == (try Self.libxml2(calls)))
    }

    @Test("1,000 generated documents: the same bytes as libxml2's writer")
    func generated() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var random = Random(seed: 0x5EED_0F_1B_4A)
        // Attachments of 0 bytes, a partial line, and more than one 57 KB block.
        var attachments: [String] = []
        for size in [0, 5, 57 * 1024 + 100] {
            let path = folder.path("attachment-\(size).bin")
            try Data((0..<size).map { _ in UInt8(random.next(256)) }).write(to: URL(fileURLWithPath: path))
            attachments.append(path)
        }
        for _ in 0..<1_000 {
            var calls: [Call] = [.start(random.name(), random.attributes())]
            var depth = 1
            for _ in 0..<random.next(30) {
                switch random.next(12) {
                case 0...2: calls.append(.start(random.name(), random.attributes())); depth += 1
                case 3...4 where depth > 1: calls.append(.end); depth -= 1
                case 5...7: calls.append(.element(random.name(), random.text(), random.attributes()))
                case 8...9: calls.append(.textElement(random.name(), random.text()))
                case 10 where random.next(10) == 0: calls.append(.base64(random.name(), path: attachments[random.next(attachments.count)]))
                default: calls.append(.element(random.name(), "", []))
                }
            }
            // Left open at the end as often as not: finishing closes them.
            let written = try Self.haul(calls, in: folder)
            let judged = try Self.libxml2(calls)
            #expect(written == judged, "\(calls)")
            if written != judged { return }
        }
    }

    @Test("each byte that needs escaping, at each place in and across the writer's eight-byte steps: the same bytes as libxml2's writer")
    func everyPlace() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var calls: [Call] = [.start("r", [])]
        for special in ["&", "<", ">", "\"", "\r", "\n", "\t", "é"] {
            for length in [7, 8, 9, 16, 17, 24] {
                for place in 0..<length {
                    var text = Array(repeating: "a", count: length)
                    text[place] = special
                    let value = text.joined()
                    calls.append(.element("e", value, [("v", value)]))
                }
            }
        }
        calls.append(.end)
        #expect(try Self.haul(calls, in: folder) == (try Self.libxml2(calls)))
    }

    @Test("a NUL cuts text and attribute values short, as the C string libxml2 was handed did; a payload drops it")
    func nul() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let calls: [Call] = [.start("r", [("a", "x\0y")]), .element("t", "before\0after", []), .textElement("p", "be\0fore")]
        let written = String(decoding: try Self.haul(calls, in: folder), as: UTF8.self)
        #expect(written.contains(#"<r a="x">"#))
        #expect(written.contains("<t>before</t>"))
        #expect(written.contains("<p>before</p>"))
        #expect(Array(written.utf8) == (try Self.libxml2(calls)))
    }

    @Test("the full fixture case, as a case file and as NIEM: the files libxml2's writer made at 5fd2af3")
    func golden() throws {
        // Written by the parent of the commit that replaced xmlTextWriter, from the same fixture:
        // the streaming export matches the whole-case writer (StreamingExportTests), so this
        // pins the bytes of every export path.
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        let caseFile = folder.path("case.xml"), niemFile = folder.path("niem.xml")
        try CaseFileWriter().write(Fixtures.fullCase(), toPath: caseFile)
        try NIEMWriter().write(Fixtures.fullCase(), toPath: niemFile)
        #expect(try Data(contentsOf: URL(fileURLWithPath: caseFile)) == Data(contentsOf: golden.appendingPathComponent("full-case.xml")))
        // Since then the NIEM report also gives each valuation's warnings after its sources (the
        // fixture has one, on the current valuation of one item): with that taken out, the same bytes.
        let niem = try String(contentsOfFile: niemFile, encoding: .utf8)
        let warning = "; warning stale-price: price from 2016 is older than the table's 3-year limit</nc:ItemValueDescriptionText>"
        #expect(niem.components(separatedBy: warning).count == 2)
        #expect(Data(niem.replacingOccurrences(of: warning, with: "</nc:ItemValueDescriptionText>").utf8)
                == (try Data(contentsOf: golden.appendingPathComponent("full-case-niem.xml"))))
    }

    @Test("a write that fails (here a file opened only for reading): the error names the file and the reason")
    func failedWrite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("read-only.xml")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        try #require(descriptor >= 0)
        let xml = XMLStreamWriter(descriptor: descriptor, path: path)
        try xml.start("case")
        try xml.element("note", "text")
        let error = try #require(throws: HaulXMLError.self) { try xml.finish() }
        #expect(error.message.contains(path) && error.message.contains(String(cString: strerror(EBADF))), "\(error.message)")
        // Finishing again still reports it.
        #expect(throws: HaulXMLError.self) { try xml.finish() }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)

        // The same through the streaming export's sink: its errno reaches the message.
        let sinkDescriptor = open(path, O_RDONLY | O_CLOEXEC)
        try #require(sinkDescriptor >= 0)
        let pipe = ChunkPipe(capacity: 1_000)
        let streamed = XMLStreamWriter(sink: TeeSink(file: FileHandle(fileDescriptor: sinkDescriptor, closeOnDealloc: true), pipe: pipe), path: path)
        try streamed.start("case")
        let sinkError = try #require(throws: HaulXMLError.self) { try streamed.finish() }
        #expect(sinkError.message.contains(path) && sinkError.message.contains(String(cString: strerror(EBADF))), "\(sinkError.message)")
    }

    @Test("an empty element or attribute name, or one with a NUL, is refused")
    func badNames() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let xml = try XMLStreamWriter(path: folder.path("names.xml"))
        #expect(throws: HaulXMLError.self) { try xml.start("") }
        #expect(throws: HaulXMLError.self) { try xml.start("a\0b") }
        #expect(throws: HaulXMLError.self) { try xml.start("a", [("", "v")]) }
        #expect(throws: HaulXMLError.self) { try xml.textElement("", "v") }
    }

    @Test("a folder that does not exist: a precise error, nothing written")
    func missingFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("absent/case.xml")
        #expect(throws: HaulXMLError.self) { _ = try XMLStreamWriter(path: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

/// Deterministic names, attributes and text (a fixed seed: the same documents every run).
private struct Random {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func name() -> String {
        ["case", "item", "nc:Item", "j:Evidence", "a", "valuation", "x-y.z_1"][next(7)]
    }

    /// Text from every ASCII character but NUL (controls, quotes, markup) and non-ASCII characters
    /// of two to four UTF-8 bytes, some long enough to cross the writer's 64 KB buffer.
    mutating func text() -> String {
        let extra: [Unicode.Scalar] = ["é", "€", "😀", "\u{2028}", "\u{85}", "\u{301}", "\u{FEFF}", "\u{A0}"]
        var text = ""
        let length = next(60) == 0 ? 70_000 + next(5_000) : next(40)
        for _ in 0..<length {
            text.unicodeScalars.append(next(5) > 0 ? Unicode.Scalar(UInt8(1 + next(127))) : extra[next(extra.count)])
        }
        return text
    }

    mutating func attributes() -> [(String, String?)] {
        (0..<next(4)).map { index in ("at\(index)", next(5) == 0 ? nil : text()) }
    }
}
