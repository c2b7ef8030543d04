import CLibXML2
import Foundation

/// Bounds on what Haul agrees to read from an XML file it did not write.
public struct XMLReadLimits: Sendable {
    /// Largest file accepted, in bytes.
    public var maximumBytes: Int
    /// Most attributes (namespace declarations included) one element may carry; Haul's own
    /// elements carry at most a handful.
    public var maximumAttributes: Int = 256
    /// Most namespace declarations in the whole document.
    public var maximumNamespaceDeclarations: Int = 1_000
    /// Longest run of text between two tags, in bytes (a record's payload runs to tens of
    /// kilobytes; every other field to 4,000 characters).
    public var maximumTextBytes: Int = 16 << 20
    /// Whether the raw bytes are scanned for those shapes ahead of the parser: always for a file
    /// from outside; not for the bytes Haul's own writer is producing while it validates them.
    public var scansMarkup = true
    /// Deepest element nesting accepted (a Haul case file needs about 8).
    public var maximumDepth: Int
    /// Longest prolog (declaration, comments) before the root element, in bytes.
    public var maximumPrologBytes: Int

    /// Makes limits; the other bounds keep their defaults.
    ///
    /// - Parameters:
    ///   - maximumBytes: the largest file accepted, in bytes (2 GiB unless given).
    ///   - maximumDepth: the deepest element nesting accepted (64 unless given).
    ///   - maximumPrologBytes: the longest prolog before the root element, in bytes (64 KiB unless given).
    public init(maximumBytes: Int = 2 << 30, maximumDepth: Int = 64, maximumPrologBytes: Int = 64 << 10) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumPrologBytes = maximumPrologBytes
    }

    /// The defaults: 2 GiB, 64 levels deep, a 64 KiB prolog, 256 attributes an element, 1,000
    /// namespace declarations, 16 MiB of text between two tags.
    public static let standard = XMLReadLimits()
}

/// The attributes of one element, in document order: a short list searched by name, cheaper
/// than a dictionary for the two or three attributes an element has. Namespaced attributes are
/// keyed "{namespace}name".
struct XMLAttributes {
    var pairs: [(key: String, value: String)] = []
    /// The element's name as a small number, the same for every element of that name in one
    /// parse (-1 when unknown): lets a handler dispatch without comparing strings.
    var nameIndex = -1

    subscript(key: String) -> String? {
        for pair in pairs where pair.key == key { return pair.value }
        return nil
    }

    var isEmpty: Bool { pairs.isEmpty }

    var dictionary: [String: String] {
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// Receives a document as a stream of element starts, texts and ends.
protocol XMLEventHandler: AnyObject {
    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int)
    func text(_ text: String)
    /// The same text as the parser's bytes: a handler that copies them needs no string made.
    func text(bytes: UnsafeBufferPointer<UInt8>)
    func endElement(_ name: String, line: Int)
    /// Whether the handler wants the text of the element it is in now (most text is indentation
    /// or belongs to elements nobody checks; not making strings of it is most of the speed).
    var wantsText: Bool { get }
    /// The names of the elements (without attributes) the handler needs to see; nil for all.
    /// Elements nobody needs are never turned into Swift calls, which is most of the speed of
    /// validating a large file. The root and every element with attributes are always passed on.
    var interestingElements: Set<String>? { get }
    /// Whether the handler needs every element that has attributes, listed or not (ids and
    /// references can sit on any element). A handler that lists every element it reads says
    /// false, and the others (a price source's table and line, say) never become Swift strings.
    var needsEveryElementWithAttributes: Bool { get }
}

extension XMLEventHandler {
    func text(bytes: UnsafeBufferPointer<UInt8>) { text(String(decoding: bytes, as: UTF8.self)) }
    var wantsText: Bool { true }
    var interestingElements: Set<String>? { nil }
    var needsEveryElementWithAttributes: Bool { true }
}

/// Reads an XML file safely as a stream, optionally validating it against a schema on the way.
///
/// Safety: the file is refused before libxml2 sees it when it is larger than the limit, is not
/// UTF-8, or has a DOCTYPE (the door to external entities, external DTDs and entity expansion
/// bombs); a DOCTYPE that got past that check stops the parser at once. libxml2 parses with
/// `XML_PARSE_NONET` and never with `NOENT`, `DTDLOAD` or `HUGE`, resolves no entity but the five
/// predefined ones, and its loader opens no file outside Haul's schema folders (``LibXML``).
///
/// Speed and memory: a SAX push parser fed 64 KiB at a time, with the schema validator plugged
/// into the same event flow (as `xmllint --stream` does) and no tree built, so memory stays flat
/// and every line number is the parser's own, exact beyond 65,535. A file is read ahead, and its
/// markup scanned, on a second thread (``ScanningReader``), so the parsing thread only parses.
enum SafeXMLStream {
    static let parseOptions = Int32(XML_PARSE_NONET.rawValue)
    static let chunkSize = 64 << 10

    /// Streams `path` through `handlers`. Returns the parser and schema diagnostics; throws only
    /// when the file is refused outright or cannot be opened.
    /// `checkingProlog` is false only in tests that prove the parser's own DOCTYPE refusal.
    static func run(path: String, displayName: String, schema: CompiledSchema?, limits: XMLReadLimits,
                    handlers: [XMLEventHandler], checkingProlog: Bool = true) throws(HaulXMLError) -> [XMLDiagnostic] {
        LibXML.initialise()
        if checkingProlog { try checkBeforeParsing(path: path, displayName: displayName, limits: limits) }
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw HaulXMLError(.io, "\(displayName): cannot open the file for reading")
        }
        defer { try? file.close() }
        // Stopped (and waited for) before the file is closed.
        let reader = ScanningReader(file: file, displayName: displayName, limits: limits)
        defer { reader.stop() }
        return try parse(displayName: displayName, schema: schema, limits: limits, handlers: handlers) { () throws(HaulXMLError) -> Data in
            try reader.next()
        }
    }

    /// The same, for a document already in memory (the fuzzer's input, a message body).
    static func run(data: Data, displayName: String, schema: CompiledSchema?, limits: XMLReadLimits,
                    handlers: [XMLEventHandler]) throws(HaulXMLError) -> [XMLDiagnostic] {
        LibXML.initialise()
        guard data.count <= limits.maximumBytes else {
            throw HaulXMLError(.unsafeDocument, "\(displayName): the document has \(data.count) bytes, more than the limit of \(limits.maximumBytes)")
        }
        let head = [UInt8](data.prefix(limits.maximumPrologBytes))
        try checkProlog(head, displayName: displayName, isWholeFile: head.count < limits.maximumPrologBytes)
        var offset = 0
        var markup = MarkupGuard(displayName: displayName, limits: limits)
        return try parse(displayName: displayName, schema: schema, limits: limits, handlers: handlers) { () throws(HaulXMLError) -> Data in
            let end = min(offset + chunkSize, data.count)
            defer { offset = end }
            return try markup.scanned(data.subdata(in: offset..<end))
        }
    }

    /// The same, for bytes arriving from another thread (a concurrent export); `nextChunk`
    /// blocks until data comes and returns empty at the end.
    static func run(stream nextChunk: @escaping () -> Data, displayName: String, schema: CompiledSchema?, limits: XMLReadLimits,
                    handlers: [XMLEventHandler]) throws(HaulXMLError) -> [XMLDiagnostic] {
        LibXML.initialise()
        var markup = MarkupGuard(displayName: displayName, limits: limits)
        return try parse(displayName: displayName, schema: schema, limits: limits, handlers: handlers) { () throws(HaulXMLError) -> Data in
            try markup.scanned(nextChunk())
        }
    }

    /// Feeds `nextChunk` (empty at the end; it has scanned each chunk with ``MarkupGuard``)
    /// through the SAX parser with the schema plugged in.
    private static func parse(displayName: String, schema: CompiledSchema?, limits: XMLReadLimits, handlers: [XMLEventHandler],
                              nextChunk: () throws(HaulXMLError) -> Data) throws(HaulXMLError) -> [XMLDiagnostic] {

        let state = SAXState(displayName: displayName, handlers: handlers, maximumDepth: limits.maximumDepth)
        let statePointer = Unmanaged.passUnretained(state).toOpaque()

        // libxml2 copies the handler table into the parser context; the plug keeps pointers to
        // these two cells until it is unplugged, so they live on the heap until the end.
        let handlerTable = UnsafeMutablePointer<xmlSAXHandler>.allocate(capacity: 1)
        handlerTable.initialize(to: SAXState.handlerTable())
        let handlerCell = UnsafeMutablePointer<xmlSAXHandlerPtr?>.allocate(capacity: 1)
        handlerCell.initialize(to: handlerTable)
        let userDataCell = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: 1)
        userDataCell.initialize(to: statePointer)
        defer {
            handlerTable.deallocate()
            handlerCell.deallocate()
            userDataCell.deallocate()
        }

        var validationContext: xmlSchemaValidCtxtPtr?
        var plug: xmlSchemaSAXPlugPtr?
        defer {
            if let plug { xmlSchemaSAXUnplug(plug) }
            if let validationContext { xmlSchemaFreeValidCtxt(validationContext) }
        }
        if let schema {
            validationContext = xmlSchemaNewValidCtxt(schema.pointer)
            guard let validationContext else { throw HaulXMLError(.schemaUnavailable, "cannot create a schema validation context") }
            xmlSchemaSetValidStructuredErrors(validationContext, XMLErrorCollector.structuredHandler, state.collector.pointer)
            xmlSchemaValidateSetLocator(validationContext, SAXState.locator, statePointer)
            plug = xmlSchemaSAXPlug(validationContext, handlerCell, userDataCell)
            guard plug != nil else { throw HaulXMLError(.schemaUnavailable, "cannot plug the schema \(schema.url.lastPathComponent) into the parser") }
        }

        guard let parser = xmlCreatePushParserCtxt(handlerCell.pointee, userDataCell.pointee, nil, 0, displayName) else {
            throw HaulXMLError(.io, "\(displayName): cannot create an XML parser")
        }
        defer { xmlFreeParserCtxt(parser) }
        xmlCtxtUseOptions(parser, parseOptions)
        // The schema plug does not pass our `serror` on, so well-formedness errors reach the
        // thread's structured handler; point it at this parse for its duration.
        xmlSetStructuredErrorFunc(state.collector.pointer, XMLErrorCollector.structuredHandler)
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        parser.pointee._private = UnsafeMutableRawPointer(statePointer)
        state.parser = parser

        var finished = false
        while !finished && state.refusal == nil {
            let chunk = try nextChunk()
            finished = chunk.isEmpty
            let status = chunk.withUnsafeBytes { buffer in
                xmlParseChunk(parser, buffer.bindMemory(to: CChar.self).baseAddress, Int32(buffer.count), finished ? 1 : 0)
            }
            if status != 0 && parser.pointee.wellFormed == 0 && parser.pointee.recovery == 0 { break }
        }
        state.parser = nil
        if let refusal = state.refusal { throw HaulXMLError(.unsafeDocument, refusal) }
        // A file that ends early: said as such, not as libxml2's "extra content at the end".
        if parser.pointee.wellFormed == 0, finished, state.refusal == nil {
            let line = Int(xmlSAX2GetLineNumber(parser))
            if !state.sawElement {
                state.collector.replaceEndOfDocument(with: XMLDiagnostic(file: displayName, line: line, message: "the file holds no XML element (it is empty, or holds only a declaration or comments)", origin: .parser))
            } else if state.depth > 0 {
                state.collector.replaceEndOfDocument(with: XMLDiagnostic(file: displayName, line: line, message: "the file ends with \(state.depth) element\(state.depth == 1 ? "" : "s") still open: it was cut short, or not written to the end", origin: .parser))
            }
        }
        if parser.pointee.wellFormed == 0 && !state.collector.diagnostics.contains(where: { $0.origin == .parser }) {
            state.collector.add(XMLDiagnostic(file: displayName, line: Int(xmlSAX2GetLineNumber(parser)), message: "the file is not well-formed XML", origin: .parser))
        }
        if let validationContext, xmlSchemaIsValid(validationContext) != 1, state.collector.diagnostics.isEmpty {
            state.collector.add(XMLDiagnostic(file: displayName, line: 0, message: "the document is not valid against the schema", origin: .schema))
        }
        return state.collector.diagnostics
    }

    /// Refuses, without handing the file to libxml2: too large, not UTF-8, a DOCTYPE, or a
    /// prolog too long to be honest.
    static func checkBeforeParsing(path: String, displayName: String, limits: XMLReadLimits) throws(HaulXMLError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw HaulXMLError(.io, "\(displayName): no such file, or it cannot be read")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw HaulXMLError(.unsafeDocument, "\(displayName): not a regular file; Haul reads case files only from ordinary files")
        }
        guard Int(info.st_size) <= limits.maximumBytes else {
            throw HaulXMLError(.unsafeDocument, "\(displayName): the file has \(info.st_size) bytes, more than the limit of \(limits.maximumBytes)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw HaulXMLError(.io, "\(displayName): cannot open the file for reading")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: limits.maximumPrologBytes)) ?? Data())
        try checkProlog(head, displayName: displayName, isWholeFile: head.count < limits.maximumPrologBytes)
    }

    /// Walks the prolog (`<?xml …?>`, comments, processing instructions, white space) up to the
    /// root element's `<`.
    static func checkProlog(_ bytes: [UInt8], displayName: String, isWholeFile: Bool) throws(HaulXMLError) {
        var index = 0
        var line = 1
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.first == 0 || (bytes.count > 1 && bytes[1] == 0) {
            throw HaulXMLError(.unsafeDocument, "\(displayName): the file is not UTF-8; Haul reads UTF-8 case files only")
        }
        func starts(_ text: String) -> Bool { bytes[index...].starts(with: Array(text.utf8)) }
        func skip(past terminator: String) -> Bool {
            let pattern = Array(terminator.utf8)
            while index < bytes.count {
                if bytes[index] == 0x0A { line += 1 }
                if bytes[index...].starts(with: pattern) { index += pattern.count; return true }
                index += 1
            }
            return false
        }
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A: line += 1; index += 1
            case UInt8(ascii: "<"):
                if starts("<?xml ") || starts("<?xml\t") || starts("<?xml\n") || starts("<?xml\r") {
                    let start = index
                    guard skip(past: "?>") else { break }
                    let declaration = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
                    if let range = declaration.range(of: "encoding") {
                        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\"" || $0 == "'" }
                        if !(rest.hasPrefix("utf-8") || rest.hasPrefix("us-ascii")) {
                            throw HaulXMLError(.unsafeDocument, "\(displayName):\(line): the declared encoding is not UTF-8; Haul reads UTF-8 case files only")
                        }
                    }
                } else if starts("<?") {
                    guard skip(past: "?>") else { break }
                } else if starts("<!--") {
                    guard skip(past: "-->") else { break }
                } else if starts("<!") {
                    throw HaulXMLError(.unsafeDocument, "\(displayName):\(line): the file has a document type declaration (<!DOCTYPE …>); Haul reads no file that has one, because DTDs and entities can read local files or expand without bound. Remove it.")
                } else {
                    return  // the root element
                }
            default:
                // Not '<' in UTF-8: EBCDIC ("<?xm" is 4C 6F A7 94), UTF-32, or not XML. libxml2
                // would detect and read some of these; Haul reads UTF-8 only, and says so.
                throw HaulXMLError(.unsafeDocument, "\(displayName):\(line): the file does not begin with '<' in UTF-8 (it may be EBCDIC, UTF-16 or UTF-32, or not XML at all); Haul reads UTF-8 case files only")
            }
        }
        if !isWholeFile {
            throw HaulXMLError(.unsafeDocument, "\(displayName): no root element in the first \(bytes.count) bytes; refused")
        }
    }
}


/// A scan of the raw bytes, ahead of libxml2, for the shapes that cost it time out of proportion
/// to the file: an element with thousands of attributes, thousands of namespace declarations, a
/// text node of hundreds of megabytes. It follows element tags (with their quoted values),
/// comments, processing instructions and CDATA sections across chunks, each to its own end;
/// CDATA counts as text, and a run of text ends only at an element's tag.
struct MarkupGuard {
    let displayName: String
    let limits: XMLReadLimits

    /// `chunk` once scanned, or the refusal. Refused before libxml2 sees the bytes: its
    /// duplicate-attribute check is quadratic in an element's attributes, and schema validation
    /// in a text node's length.
    mutating func scanned(_ chunk: Data) throws(HaulXMLError) -> Data {
        if limits.scansMarkup, let refusal = scan(chunk) { throw HaulXMLError(.unsafeDocument, refusal) }
        return chunk
    }

    private enum Place {
        case text
        /// Just after '<': what follows decides (up to "![CDATA[").
        case opening
        case tag
        case comment
        case instruction
        case cdata
        /// `<!…>` other than a comment or CDATA (refused before parsing anyway).
        case declaration
    }

    private var place = Place.text
    private var line = 1
    private var quote: UInt8 = 0
    private var opening: [UInt8] = []
    /// The last bytes seen, for "-->", "?>" and "]]>".
    private var last: (UInt8, UInt8) = (0, 0)
    private var attributes = 0
    private var namespaces = 0
    private var textBytes = 0
    /// The current name's first five bytes, and whether a space ended it (so `xmlns = "…"` counts).
    private var name: UInt64 = 0
    private var nameLength = 0
    private var nameEnded = false

    init(displayName: String, limits: XMLReadLimits) {
        self.displayName = displayName
        self.limits = limits
    }

    private static let cdataOpening = Array("![CDATA[".utf8)
    private static let commentOpening = Array("!--".utf8)
    /// "xmlns" as five bytes in a word.
    private static let xmlns: UInt64 = Array("xmlns".utf8).reduce(0) { $0 << 8 | UInt64($1) }

    private mutating func text(_ count: Int) -> String? {
        textBytes += count
        if textBytes > limits.maximumTextBytes {
            return "\(displayName):\(line): a run of text longer than \(limits.maximumTextBytes >> 20) MB; no field of a case file is that long, so the file is refused as hostile or corrupt"
        }
        return nil
    }

    private mutating func startTag() {
        place = .tag
        attributes = 0
        textBytes = 0
        nameLength = 0
        nameEnded = false
    }

    /// Where the run of text starting at `start` ends (the next '<', or the chunk's end), having
    /// counted it; nil when it is empty or would cross the limit on text (then it is scanned byte
    /// by byte, so the refusal names the line where the limit is crossed).
    @inline(__always)
    private mutating func textRun(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, slowUntil: inout Int) -> Int? {
        guard start >= slowUntil, let base = bytes.baseAddress else { return nil }
        let end = memchr(base + start, Int32(UInt8(ascii: "<")), bytes.count - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? bytes.count
        let length = end - start
        guard length > 0 else { return nil }
        guard textBytes + length <= limits.maximumTextBytes else {
            // Byte by byte to the run's end, without searching again from each byte.
            slowUntil = end
            return nil
        }
        textBytes += length
        var lines = 0
        for index in start..<end where bytes[index] == 0x0A { lines += 1 }
        line += lines
        last = length >= 2 ? (bytes[end - 2], bytes[end - 1]) : (last.1, bytes[end - 1])
        return end
    }

    /// Scans the next chunk; the refusal's message, or nil.
    mutating func scan(_ chunk: Data) -> String? {
        chunk.withUnsafeBytes { raw -> String? in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            var slowUntil = 0
            while index < bytes.count {
                // A run of text (most of a file: indentation and values) up to the next '<',
                // taken whole when it cannot cross the limit: its lines counted, its bytes added.
                if place == .text, let run = textRun(bytes, from: index, slowUntil: &slowUntil) {
                    index = run
                    continue
                }
                let byte = bytes[index]
                index += 1
                if byte == 0x0A { line += 1 }
                defer { last = (last.1, byte) }
                switch place {
                case .text:
                    if byte == UInt8(ascii: "<") { place = .opening; opening.removeAll(keepingCapacity: true) }
                    else if let refusal = text(1) { return refusal }
                case .opening:
                    opening.append(byte)
                    if opening[0] == UInt8(ascii: "?") { place = .instruction; continue }
                    if opening[0] != UInt8(ascii: "!") {
                        startTag()
                        if byte == UInt8(ascii: ">") { place = .text }
                        continue
                    }
                    if opening == Self.commentOpening { place = .comment; continue }
                    if opening == Self.cdataOpening { place = .cdata; continue }
                    let comment = Self.commentOpening.starts(with: opening), cdata = Self.cdataOpening.starts(with: opening)
                    if !comment && !cdata { place = byte == UInt8(ascii: ">") ? .text : .declaration }
                case .comment:
                    if byte == UInt8(ascii: ">") && last == (UInt8(ascii: "-"), UInt8(ascii: "-")) { place = .text }
                case .instruction:
                    if byte == UInt8(ascii: ">") && last.1 == UInt8(ascii: "?") { place = .text }
                case .declaration:
                    if byte == UInt8(ascii: ">") { place = .text }
                case .cdata:
                    if byte == UInt8(ascii: ">") && last == (UInt8(ascii: "]"), UInt8(ascii: "]")) { place = .text }
                    else if let refusal = text(1) { return refusal }
                case .tag:
                    if quote != 0 {
                        if byte == quote { quote = 0; nameLength = 0; nameEnded = false }
                        continue
                    }
                    switch byte {
                    case UInt8(ascii: ">"):
                        place = .text
                    case UInt8(ascii: "\""), UInt8(ascii: "'"):
                        quote = byte
                    case UInt8(ascii: "="):
                        attributes += 1
                        if attributes > limits.maximumAttributes {
                            return "\(displayName):\(line): an element with more than \(limits.maximumAttributes) attributes; refused as hostile or corrupt"
                        }
                        // "xmlns" or "xmlns:p" before the '=' (its first five bytes).
                        if nameLength >= 5 && name == Self.xmlns {
                            namespaces += 1
                            if namespaces > limits.maximumNamespaceDeclarations {
                                return "\(displayName):\(line): more than \(limits.maximumNamespaceDeclarations) namespace declarations; refused as hostile or corrupt"
                            }
                        }
                        nameLength = 0
                        nameEnded = false
                    case 0x20, 0x09, 0x0A, 0x0D:
                        if nameLength > 0 { nameEnded = true }
                    default:
                        if nameEnded { nameLength = 0; nameEnded = false }
                        if nameLength < 5 { name = nameLength == 0 ? UInt64(byte) : name << 8 | UInt64(byte) }
                        nameLength += 1
                    }
                }
            }
            return nil
        }
    }
}

/// Reads a file ahead of the parser, on a thread of its own, and scans each chunk there with
/// ``MarkupGuard``: the parsing thread, the limit of a large import, then only parses. The
/// chunks pass through a ``ChunkPipe`` (at most 8 wait, so memory stays flat); a refused chunk
/// is never put in it, so libxml2 never sees those bytes, and the refusal is raised once the
/// chunks before it are parsed.
final class ScanningReader: @unchecked Sendable {
    private let pipe = ChunkPipe(capacity: 8)
    /// Set before the pipe is closed, so the parser sees it once the pipe is drained.
    private var refusal: String?
    private let exited = DispatchSemaphore(value: 0)

    init(file: FileHandle, displayName: String, limits: XMLReadLimits) {
        let thread = Thread { [self] in
            var markup = MarkupGuard(displayName: displayName, limits: limits)
            while !pipe.isClosed {
                let chunk = (try? file.read(upToCount: SafeXMLStream.chunkSize)) ?? Data()
                if limits.scansMarkup, let found = markup.scan(chunk) { refusal = found }
                if refusal != nil || chunk.isEmpty { break }
                pipe.put(chunk)
            }
            pipe.close()
            exited.signal()
        }
        thread.start()
    }

    /// The next scanned chunk (empty at the end of the file), or the scan's refusal.
    func next() throws(HaulXMLError) -> Data {
        let chunk = pipe.take()
        if chunk.isEmpty, let refusal { throw HaulXMLError(.unsafeDocument, refusal) }
        return chunk
    }

    /// Stops the reading thread and waits until it has let go of the file.
    func stop() {
        pipe.close()
        exited.wait()
    }
}
