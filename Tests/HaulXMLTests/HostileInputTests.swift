import Foundation
import HaulCore
import HaulTestSupport
import HaulData
@testable import HaulXML
import Testing

/// Records whether anyone opened a FIFO for reading while some work ran.
///
/// Opening a FIFO for writing with O_NONBLOCK fails with ENXIO while no reader has it open, and
/// succeeds the moment one does; a parser that followed an external entity to the FIFO would
/// block in open() until then. Polling this way proves the parser never opened the file, rather
/// than that an error message was printed.
final class FIFOWatch: @unchecked Sendable {
    let path: String
    private let lock = NSLock()
    private var openedByReader = false

    init(in folder: TemporaryFolder) throws {
        path = folder.path("secret.fifo")
        try #require(mkfifo(path, 0o600) == 0, "cannot make a FIFO")
    }

    var wasOpened: Bool { lock.withLock { openedByReader } }

    /// Runs `work` on another thread, polling the FIFO until it finishes (at most 10 s).
    func watch(_ work: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            work()
            done.signal()
        }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let descriptor = open(path, O_WRONLY | O_NONBLOCK)
            if descriptor >= 0 {
                lock.withLock { openedByReader = true }
                close(descriptor)  // EOF for the reader, so the work can finish
            }
            if done.wait(timeout: .now() + .milliseconds(2)) == .success { return true }
        }
        return false
    }
}

final class Outcome: @unchecked Sendable {
    var error: HaulXMLError?
    var succeeded = false
}

@Suite("Hostile input is refused")
struct HostileInputTests {
    private let root = #"<case xmlns="urn:haul:ns:case:1" schemaVersion="1.0">"#

    @Test("an external entity pointing at a FIFO is refused by the reader without opening it")
    func externalEntityReader() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let fifo = try FIFOWatch(in: folder)
        let path = try folder.write("xxe.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE case [ <!ENTITY secret SYSTEM "file://\(fifo.path)"> ]>
            \(root)<header><reference>&secret;</reference></header></case>
            """)
        let outcome = Outcome()
        let finished = fifo.watch {
            do { _ = try CaseFileReader().read(fileAt: path); outcome.succeeded = true } catch { outcome.error = error as? HaulXMLError }
        }
        #expect(finished)
        #expect(!fifo.wasOpened)
        #expect(!outcome.succeeded)
        #expect(outcome.error?.code == .unsafeDocument)
        #expect(outcome.error?.message.contains("xxe.xml:2: the file has a document type declaration") == true)
    }

    @Test("the parser's own guard refuses a DOCTYPE too, should the prolog check ever be bypassed")
    func externalEntityParserLayer() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let fifo = try FIFOWatch(in: folder)
        let path = try folder.write("xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE case SYSTEM "file://\(fifo.path)" [ <!ENTITY secret SYSTEM "file://\(fifo.path)"> ]>
            \(root)<header><reference>&secret;</reference></header></case>
            """)
        let outcome = Outcome()
        let finished = fifo.watch {
            do {
                _ = try SafeXMLStream.run(path: path, displayName: "xxe.xml", schema: try CaseFileSchema.shipped(),
                                          limits: .standard, handlers: [], checkingProlog: false)
                outcome.succeeded = true
            } catch { outcome.error = error as? HaulXMLError }
        }
        #expect(finished)
        #expect(!fifo.wasOpened)
        #expect(outcome.error?.code == .unsafeDocument)
    }

    @Test("an external DTD is refused by validate without being opened")
    func externalDTD() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let fifo = try FIFOWatch(in: folder)
        let path = try folder.write("dtd.xml", "<!-- a comment first -->\n<?pi x?>\n<!DOCTYPE case SYSTEM \"\(fifo.path)\">\n\(root)</case>\n")
        let outcome = Outcome()
        let finished = fifo.watch {
            do { _ = try CaseFileValidator().validate(fileAt: path); outcome.succeeded = true } catch { outcome.error = error as? HaulXMLError }
        }
        #expect(finished)
        #expect(!fifo.wasOpened)
        #expect(outcome.error?.message.contains("dtd.xml:3:") == true)
    }

    @Test("entity expansion bombs are refused at once", arguments: [
        // Billion laughs.
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
        <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
        <case>&lol4;</case>
        """,
        // Quadratic blow-up: one large entity referenced many times.
        "<!DOCTYPE case [<!ENTITY a \"\(String(repeating: "x", count: 50_000))\">]>\n<case>\(String(repeating: "&a;", count: 50_000))</case>",
    ])
    func bombs(text: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("bomb.xml", text)
        let started = Date()
        #expect { try CaseFileValidator().validate(fileAt: path) } throws: { ($0 as? HaulXMLError)?.code == .unsafeDocument }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("undeclared entities are a parse error, never a lookup")
    func undeclaredEntity() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("entity.xml", "\(root)<header><reference>&nbsp;</reference></header></case>\n")
        let report = try CaseFileValidator().validate(fileAt: path)
        #expect(report.diagnostics.map(\.origin) == [.parser])
        #expect(report.diagnostics.first?.message.contains("Entity 'nbsp' not defined") == true)
    }

    @Test("a file cut short, or empty, is said to be so (libxml2's push parser calls both extra content at the end), with the line it ends on")
    func cutShort() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let example = try String(contentsOf: HaulData.example("south-west-2020.xml"), encoding: .utf8)
        // The first 20 lines: <case>, <header> and <agencies> are open when it ends.
        let first20 = example.components(separatedBy: "\n").prefix(20).joined(separator: "\n") + "\n"
        #expect(first20.components(separatedBy: "<agencies>").count == 2 && !first20.contains("</agencies>"), "the example's first lines changed")
        let cut = try CaseFileValidator().validate(fileAt: try folder.write("cut.xml", first20))
        #expect(cut.diagnostics.map(\.message) == ["the file ends with 3 elements still open: it was cut short, or not written to the end"], "\(cut.diagnostics)")
        #expect(cut.diagnostics.first?.line == 20)
        for (name, text) in [("empty.xml", ""), ("declaration.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- nothing -->\n")] {
            let report = try CaseFileValidator().validate(fileAt: try folder.write(name, text))
            #expect(report.diagnostics.map(\.message) == ["the file holds no XML element (it is empty, or holds only a declaration or comments)"], "\(name): \(report.diagnostics)")
        }
        // Content after the root is still libxml2's own words.
        let after = try CaseFileValidator().validate(fileAt: try folder.write("after.xml", example + "<case/>\n"))
        #expect(after.diagnostics.map(\.message).contains("Extra content at the end of the document"), "\(after.diagnostics)")
    }

    @Test("deep nesting is refused within bounds")
    func deepNesting() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let depth = 10_000
        let path = try folder.write("deep.xml", root + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</case>")
        #expect { try CaseFileValidator().validate(fileAt: path) } throws: { error in
            guard let error = error as? HaulXMLError else { return false }
            return error.code == .unsafeDocument && error.message.contains("nested more than 64 deep")
        }
    }

    @Test("read ahead of the parser: a hostile shape 4 MB in is refused naming its line; a file that fails early stops the reading")
    func readAhead() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // 4 MB of well-formed filler (64 chunks, more than the 8 the reader may hold), one line each.
        let filler = String(repeating: "<a>filler</a>\n", count: 300_000)
        let fillerLines = 300_000
        let hostile = try folder.write("late.xml", root + "\n" + filler + "<a " + (0..<300).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/></case>")
        #expect { try CaseFileValidator().validate(fileAt: hostile) } throws: { error in
            // The root is on line 1, the filler on lines 2 to 300,001, the element on the next.
            guard let error = error as? HaulXMLError else { return false }
            return error.code == .unsafeDocument && error.message.contains("late.xml:\(fillerLines + 2): an element with more than 256 attributes")
        }
        // Not well-formed on line 2, then 16 MB more: the parse stops there, and so does the reading.
        let broken = try folder.write("broken.xml", root + "\n<a></b>\n" + String(repeating: filler, count: 4) + "</case>")
        let started = Date()
        let report = try CaseFileValidator().validate(fileAt: broken)
        #expect(!report.isValid && report.diagnostics.first?.line == 2, "\(report.diagnostics)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("shapes that cost libxml2 time out of proportion are refused before it reads them, each in well under a second", arguments: [
        ("attributes", "an element with more than 256 attributes"),
        ("namespaces", "more than 1000 namespace declarations"),
        ("text", "a run of text longer than 16 MB"),
        // The tricks a reviewer found: a quote in a comment, text in CDATA, text split by a comment, spaces around '='.
        ("comment-quote", "an element with more than 256 attributes"),
        ("cdata", "a run of text longer than 16 MB"),
        ("split-text", "a run of text longer than 16 MB"),
        ("spaced-namespaces", "more than 1000 namespace declarations"),
    ])
    func disproportionate(shape: String, message: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let body: String
        switch shape {
        case "attributes":
            // 400,000 attributes took 123 s to validate; 300 are enough to refuse.
            body = "<a " + (0..<300).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/>"
        case "namespaces":
            body = (0..<1_500).map { "<a xmlns:p\($0)=\"urn:x:\($0)\"/>" }.joined()
        case "comment-quote":
            body = "<!-- don't -->" + "<a " + (0..<300).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/>"
        case "cdata":
            body = "<a><![CDATA[" + String(repeating: "x", count: 17 << 20) + "]]></a>"
        case "split-text":
            body = "<a>" + String(repeating: "x", count: 9 << 20) + "<!---->" + String(repeating: "x", count: 9 << 20) + "</a>"
        case "spaced-namespaces":
            body = (0..<1_500).map { "<a xmlns:p\($0) = \"urn:x:\($0)\"/>" }.joined()
        default:
            body = "<a>" + String(repeating: "x", count: 17 << 20) + "</a>"
        }
        let path = try folder.write("\(shape).xml", root + body + "</case>")
        let started = Date()
        do {
            // libxml2 holds a CDATA section whole and stops at its own 10 MB limit before the
            // scan's 16 MB: refused either way, as not well-formed.
            let report = try CaseFileValidator().validate(fileAt: path)
            #expect(shape == "cdata" && !report.isValid && report.diagnostics.contains { $0.message.contains("Huge input") }, "\(report.diagnostics)")
        } catch {
            #expect(error.code == .unsafeDocument && error.message.contains(message), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test("a run of text crossing the limit is refused on the line where it crosses, whole or split across chunks")
    func textLimitLine() throws {
        var limits = XMLReadLimits()
        limits.maximumTextBytes = 25
        // Text of ten-byte lines after "<a>" on line 1: the 26th byte crosses the limit, after
        // the line feeds that end bytes 10 and 20, so on line 3.
        let text = Array(String(repeating: "aaaaaaaaa\n", count: 10).utf8)
        let document = Array("<a>".utf8) + text + Array("</a>".utf8)
        for split in [0, 5, 15, 25, 29, 40] {
            var guardian = MarkupGuard(displayName: "t.xml", limits: limits)
            var refusal: String?
            for part in split == 0 ? [document[...]] : [document[..<split], document[split...]] where refusal == nil {
                refusal = guardian.scan(Data(part))
            }
            #expect(refusal?.hasPrefix("t.xml:3: a run of text longer than") == true, "split at \(split): \(refusal ?? "none")")
        }
        // A run exactly at the limit: nothing to refuse.
        limits.maximumTextBytes = 100
        var guardian = MarkupGuard(displayName: "t.xml", limits: limits)
        #expect(guardian.scan(Data(document)) == nil)
    }

    @Test("a file over the size limit is refused unread")
    func sizeLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("large.xml", root + String(repeating: " ", count: 2000) + "</case>")
        let validator = CaseFileValidator(limits: XMLReadLimits(maximumBytes: 1000))
        #expect { try validator.validate(fileAt: path) } throws: { error in
            guard let error = error as? HaulXMLError else { return false }
            return error.code == .unsafeDocument && error.message.contains("more than the limit of 1000")
        }
    }

    @Test("files that are not UTF-8 are refused", arguments: [
        Data([0xFF, 0xFE]) + "<case/>".data(using: .utf16LittleEndian)!,
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<case/>".data(using: .isoLatin1)!,
        // EBCDIC (code page 037): "<?xml version="1.0" encoding="IBM037"?><case/>", which libxml2 would detect and read.
        Data([0x4C, 0x6F, 0xA7, 0x94, 0x93, 0x40, 0xA5, 0x85, 0x99, 0xA2, 0x89, 0x96, 0x95, 0x7E, 0x7F, 0xF1, 0x4B, 0xF0, 0x7F, 0x40,
              0x85, 0x95, 0x83, 0x96, 0x84, 0x89, 0x95, 0x87, 0x7E, 0x7F, 0xC9, 0xC2, 0xD4, 0xF0, 0xF3, 0xF7, 0x7F, 0x6F, 0x6E,
              0x4C, 0x83, 0x81, 0xA2, 0x85, 0x61, 0x6E]),
        // UTF-32 without a byte-order mark.
        "<case/>".data(using: .utf32BigEndian)!,
    ])
    func encodings(data: Data) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("encoded.xml")
        try data.write(to: URL(fileURLWithPath: path))
        #expect { try CaseFileValidator().validate(fileAt: path) } throws: { ($0 as? HaulXMLError)?.message.contains("UTF-8") ?? false }
    }

    @Test("invalid UTF-8 bytes are a parse error with their line")
    func invalidUTF8() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("bad-utf8.xml")
        var data = Data((root + "\n<header><reference>").utf8)
        data.append(contentsOf: [0xC3, 0x28])
        data.append(Data("</reference></header></case>\n".utf8))
        try data.write(to: URL(fileURLWithPath: path))
        let report = try CaseFileValidator().validate(fileAt: path)
        #expect(report.diagnostics.map(\.origin) == [.parser])
        #expect(report.diagnostics.first?.line == 2)
    }

    @Test("a FIFO or folder given as the case file is refused without reading it")
    func notARegularFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let fifo = try FIFOWatch(in: folder)
        #expect { try CaseFileValidator().validate(fileAt: fifo.path) } throws: { ($0 as? HaulXMLError)?.message.contains("not a regular file") ?? false }
        #expect(!fifo.wasOpened)
        #expect { try CaseFileValidator().validate(fileAt: folder.url.path) } throws: { ($0 as? HaulXMLError)?.code == .unsafeDocument }
        #expect { try CaseFileValidator().validate(fileAt: folder.path("missing.xml")) } throws: { ($0 as? HaulXMLError)?.code == .io }
    }

    @Test("libxml2's loader opens nothing outside Haul's schema folders")
    func entityLoaderRestricted() {
        LibXML.initialise()
        _ = try? CaseFileSchema.shipped()
        #expect(LibXML.isAllowed(HaulData.caseSchemaV1.path))
        #expect(!LibXML.isAllowed("/etc/passwd"))
        #expect(!LibXML.isAllowed("file:///etc/passwd"))
        #expect(!LibXML.isAllowed("http://example.com/x.dtd"))
        #expect(!LibXML.isAllowed(HaulData.schemasDirectory.path + "/../../etc/passwd"))
    }
}
