import Foundation
import HaulCore

/// Reads a case file from outside into the case model, safely.
///
/// The file is validated (schema and semantic pass) in the same streaming read that builds the
/// model; a file with any problem is refused whole, with every problem as `file:line: message`.
/// Reading a file ``CaseFileWriter`` wrote gives back the same `Case`.
///
/// ```swift
/// let operation = try CaseFileReader().read(fileAt: "examples/south-west-2020.xml")
/// ```
public struct CaseFileReader: Sendable {
    /// The bounds on size, depth and prolog a file must stay within to be read at all.
    public var limits: XMLReadLimits

    /// Makes a reader.
    ///
    /// - Parameter limits: the bounds a file must stay within (`XMLReadLimits.standard` unless given).
    public init(limits: XMLReadLimits = .standard) { self.limits = limits }

    /// Reads the case file at `path`, validating it in the same streaming read.
    ///
    /// - Parameters:
    ///   - path: the file to read.
    ///   - displayName: the name problems cite the file by; the path when nil.
    /// - Returns: The case the file holds.
    /// - Throws: `HaulXMLError`: `.invalidDocument` with every problem when the file is not a
    ///   valid case file (nothing is read), or the reason it was refused unread (unsafe, too large,
    ///   cannot be opened).
    public func read(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> Case {
        try read(path: path, data: nil, displayName: displayName ?? path)
    }

    /// Reads a case file held in memory (a message body, the fuzzer's input).
    public func read(data: Data, displayName: String) throws(HaulXMLError) -> Case {
        try read(path: nil, data: data, displayName: displayName)
    }

    private func read(path: String?, data: Data?, displayName name: String) throws(HaulXMLError) -> Case {
        let builder = XMLTreeBuilder()
        let diagnostics = try CaseFileValidator(limits: limits).check(path: path, data: data, displayName: name, alsoSendingTo: [builder])
        return try Self.mapped(builder.root, diagnostics: diagnostics, name: name)
    }

    /// The case a validated tree holds, or the file's problems as one error.
    static func mapped(_ root: XMLNode?, diagnostics: [XMLDiagnostic], name: String) throws(HaulXMLError) -> Case {
        guard diagnostics.isEmpty, let root else {
            throw HaulXMLError(.invalidDocument, "\(name) is not a valid case file; nothing was read", diagnostics: diagnostics)
        }
        do {
            return try CaseMapping(file: name).readCase(root)
        } catch let error as MappingError {
            throw refusal(error, name: name)
        } catch {
            throw HaulXMLError(.invalidDocument, "\(name): \(error: error)")
        }
    }

    static func refusal(_ error: MappingError, name: String) -> HaulXMLError {
        HaulXMLError(.invalidDocument, "\(name) is not a valid case file; nothing was read",
                     diagnostics: [XMLDiagnostic(file: name, line: error.line, message: error.message, origin: .semantic)])
    }
}

extension CaseFileReader {
    /// Reads a large case file item by item: each item is handed to `item` as soon as it has
    /// been read (with the case's reference, its seizure's place and id), and only the rest of
    /// the file — header, seizures' details, history, inputs — is kept, so memory stays flat
    /// however many items the file holds.
    ///
    /// The file is validated in the same read. Items arrive before the end of the file is
    /// known to be valid: the caller must hold them provisionally (in a transaction, say) and
    /// discard them when this throws.
    ///
    /// - Returns: The case without its items (each seizure's `items` empty), with its history.
    public func stream(fileAt path: String, displayName: String? = nil,
                       item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case {
        let name = displayName ?? path
        let read = try readMappingItems(path: path, name: name) { reference, seizureIndex, seizure, each, _ in try item(reference, seizureIndex, seizure, each) }
        if let failure = read.failure { throw failure }
        return try Self.mapped(read.root, diagnostics: read.diagnostics, name: name)
    }
}

extension CaseFileReader {
    /// Whether a valid case file's body is what its records replay to (files from 1.3 on carry
    /// every change as a record): nil when it is, or has no records; otherwise a problem on the
    /// line of the first part that differs (an item, the people, the inputs, the header).
    /// Amounts are compared at the file's precision.
    ///
    /// The confiscation figures are not records: they are worked out from the inputs. Given
    /// `confiscation`, which works them out (the caller holds the rule packs and the price index),
    /// they are worked out again from the case the records replay to, as of the day the file's own
    /// figures are stated as of, and each figure the file states must be the one worked out.
    ///
    /// - Parameters:
    ///   - path: The case file.
    ///   - displayName: The file's name in messages; `path` when nil.
    ///   - confiscation: Works the figures out from the replayed case (its history as the file
    ///     carries it), the day they are as of, and what co-defendants paid towards a joint
    ///     benefit as the file states it (their cases are not in the file); it returns nil when
    ///     it cannot (no price index for the jurisdiction). Nil leaves the figures unchecked.
    /// - Returns: The first problem, or nil.
    /// - Throws: `HaulXMLError` when the file cannot be read or validated at all.
    public func ledgerProblem(fileAt path: String, displayName: String? = nil,
                              confiscation: ((_ replayed: Case, _ asOf: CalendarDate, _ coDefendantsPaid: Money?) throws -> ConfiscationFigures?)? = nil) throws(HaulXMLError) -> XMLDiagnostic? {
        let name = displayName ?? path
        // The body's items are kept as the model, seizure by seizure with the line each starts
        // on, and their elements dropped as they are read: a whole tree of a 1,000,000-item file
        // took 7.6 GB.
        final class Body { var items: [[Item]] = []; var lines: [[Int]] = [] }
        let kept = Body()
        let read = try readMappingItems(path: path, name: name) { _, seizureIndex, _, item, line in
            while kept.items.count <= seizureIndex { kept.items.append([]); kept.lines.append([]) }
            kept.items[seizureIndex].append(item)
            kept.lines[seizureIndex].append(line)
        }
        if let failure = read.failure {
            throw failure as? HaulXMLError ?? HaulXMLError(.invalidDocument, "\(name): \(error: failure)")
        }
        var body = try Self.mapped(read.root, diagnostics: read.diagnostics, name: name)
        guard !body.records.isEmpty, let root = read.root else { return nil }
        for index in body.seizures.indices where index < kept.items.count { body.seizures[index].items = kept.items[index] }
        kept.items = []
        var ledger: Case
        do { ledger = try CaseLedger.replay(body.reference, records: body.records) } catch {
            let line = root.child("history")?.line ?? root.line
            return XMLDiagnostic(file: name, line: line, message: "the records cannot be replayed: \(error.message)", origin: .semantic)
        }
        // Worked out before the replay is rounded to the file's precision: the export worked
        // them out from the chain's exact figures.
        let stated = body.confiscation
        var workedOut: (figures: ConfiscationFigures, asOf: CalendarDate)?
        if let confiscation, let stated {
            let asOf = ConfiscationCheck.asOf(stated)
            var replayed = ledger
            replayed.history = body.history
            let coPaid = stated.lines.first { $0.section == .order && $0.basis == ConfiscationFigures.ahmadBasis && $0.description.hasPrefix(ConfiscationFigures.coDefendantsPaidLabel) }?.amount
            do { workedOut = try confiscation(replayed, asOf, coPaid).map { ($0, asOf) } } catch {
                return XMLDiagnostic(file: name, line: root.child("confiscation")?.line ?? root.line,
                                     message: "the confiscation figures cannot be worked out from the file's inputs: \(ErrorText.forUser(error))", origin: .semantic)
            }
        }
        // Both compared at the file's precision, each changed in place (held once, never copied).
        var file = consume body
        CaseLedger.keepStateOnly(&file)
        CaseLedger.roundToFilePrecision(&file)
        CaseLedger.roundToFilePrecision(&ledger)
        guard let difference = CaseLedger.firstDifference(ledger, file) else {
            // Before 1.4 the lines were not footed to their totals: only the figures themselves are compared.
            let version = root.attributes["schemaVersion"].flatMap { $0.hasPrefix("1.") ? Int($0.dropFirst(2)) : nil } ?? 0
            guard let stated, let workedOut, let node = root.child("confiscation"),
                  let found = ConfiscationCheck.firstDifference(stated: stated, workedOut: workedOut.figures, node: node, comparingLines: version >= 4) else { return nil }
            return XMLDiagnostic(file: name, line: found.line,
                                 message: "the confiscation figures: \(found.what) is \(found.stated) in the file, but \(found.workedOut) worked out from its inputs as of \(workedOut.asOf); a figure was changed, or worked out by a Haul that counts it differently",
                                 origin: .semantic)
        }
        // The line to name: the first item that differs, else the section.
        var line = root.line
        let itemLines = kept.lines.flatMap { $0 }
        if let differing = zip(file.items, ledger.items).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset, differing < itemLines.count {
            line = itemLines[differing]
        } else if difference == "the people" {
            line = root.child("people")?.line ?? root.line
        } else if difference == "the proceedings" {
            line = root.child("proceedings")?.line ?? root.line
        } else if difference == "the confiscation inputs", let inputs = root.child("confiscationInputs") {
            line = Self.firstDifferingInput(file.confiscationInputs, ledger.confiscationInputs, node: inputs)
        } else if difference == "the case header" {
            line = root.child("header")?.line ?? root.line
        } else if let seizures = root.child("seizures") {
            line = seizures.line
        }
        return XMLDiagnostic(file: name, line: line, message: "\(difference): not what the case's records describe; the body or a record was changed", origin: .semantic)
    }
}

extension CaseFileReader {
    /// One streaming read (schema, semantic rules, the tree of everything but the items) on a
    /// thread of its own, while this thread maps the items it captures and hands each to
    /// `deliver` — with the case's reference, the seizure's place and id, and the item's line —
    /// one at a time, in document order. Parsing is the limit of a large import: mapping each
    /// item, and making and freeing its tree, took a third of that thread's time.
    ///
    /// The first error (mapping an item, or `deliver`'s) stops the hand-over; the read goes on
    /// to the end so the file's own problems are found, and come first: `failure` is nil when
    /// there are diagnostics, or nothing stopped the hand-over; an item that could not be mapped
    /// as a refusal naming its line; else `deliver`'s error.
    ///
    /// - Throws: Only when the file is refused, unread or part-way, or cannot be opened.
    func readMappingItems(path: String, name: String,
                          deliver: (Identifier, Int, Identifier, Item, Int) throws -> Void) throws(HaulXMLError)
        -> (root: XMLNode?, diagnostics: [XMLDiagnostic], failure: (any Error)?) {
        let queue = BatchQueue<CapturedItems>()
        let builder = StreamingTreeBuilder { queue.put([$0]) }
        let validator = CaseFileValidator(limits: limits)
        let parse = ValidationOutcome()
        let parsing = Thread {
            do throws(HaulXMLError) {
                parse.result = .success(try validator.check(path: path, data: nil, displayName: name, alsoSendingTo: [builder]))
                builder.flush()
            } catch {
                parse.result = .failure(error)
            }
            queue.finish(nil)
            parse.done.signal()
        }
        // libxml2's parser and schema validator recurse with the file's nesting (bounded by
        // the read limits); a thread's default stack is smaller than the main thread's.
        parsing.stackSize = 8 << 20
        parsing.start()
        let mapping = CaseMapping(file: name)
        var failure: (any Error)?
        do {
            while let batches = try queue.take() {
                for batch in batches {
                    for entry in batch.entries {
                        let node = CapturedNode(batch: batch, index: entry.root)
                        guard let reference = entry.reference, let seizure = entry.seizureID else {
                            throw MappingError(line: node.line, message: "an item before its case's reference or its seizure's id")
                        }
                        try deliver(reference, entry.seizureIndex, seizure, try mapping.readItem(node), node.line)
                    }
                }
            }
        } catch {
            failure = error
            // The parser finishes the file without capturing for anyone.
            queue.cancel()
        }
        parse.done.wait()
        let diagnostics = try parse.result.get()
        guard let failure, diagnostics.isEmpty else { return (builder.root, diagnostics, nil) }
        return (builder.root, diagnostics, (failure as? MappingError).map { Self.refusal($0, name: name) } ?? failure)
    }
}

/// Builds the tree of a case file except its items: each item is captured flat
/// (``CapturedItems``) and handed on in batches, to be mapped on another thread, so only the
/// skeleton stays in memory and the parsing thread makes no object per element of an item.
/// Used by one thread at a time: the parsing thread, then the reader once the parse is over.
final class StreamingTreeBuilder: XMLEventHandler, @unchecked Sendable {
    /// The tree as it is read, without the items.
    private let tree = XMLTreeBuilder()
    var root: XMLNode? { tree.root }
    /// Takes each full batch; false once the receiver has stopped, after which nothing is sent.
    private let send: (CapturedItems) -> Bool
    // Unchecked, as ``CapturedItems``: used by one thread at a time, on every event.
    @exclusivity(unchecked) private var sending = true
    @exclusivity(unchecked) private var batch = CapturedItems()
    @exclusivity(unchecked) private var reference: Identifier?
    @exclusivity(unchecked) private var seizureIndex = -1
    @exclusivity(unchecked) private var seizureID: Identifier?
    /// The open elements of the item being captured, innermost last (empty: not in an item).
    @exclusivity(unchecked) private var open: [Int] = []
    /// How deep inside an element of another namespace within the item (never captured).
    @exclusivity(unchecked) private var foreignDepth = 0

    init(send: @escaping (CapturedItems) -> Bool) {
        self.send = send
        open.reserveCapacity(16)
    }

    @exclusivity(unchecked) private var ourNamespace = CaseNamespaceMatcher()

    private func isOurs(_ namespace: String?) -> Bool { ourNamespace.matches(namespace) }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        if let parent = open.last {
            if foreignDepth > 0 || !isOurs(namespace) { foreignDepth += 1; return }
            open.append(batch.open(name, attributes: attributes, line: line, parent: parent))
            return
        }
        // case > seizures > seizure > items > item
        if name == "item", tree.depth == 4, !tree.isInForeignElement, isOurs(namespace),
           let items = tree.top, items.name == "items" {
            items.hasHadChildren = true
            let root = batch.open(name, attributes: attributes, line: line, parent: -1)
            batch.entries.append(CapturedItems.Entry(root: root, seizureIndex: seizureIndex, seizureID: seizureID, reference: reference))
            open.append(root)
            return
        }
        guard tree.open(name, namespace: namespace, attributes: attributes, line: line) != nil else { return }
        if name == "seizure", tree.depth == 3 {
            seizureIndex += 1
            seizureID = attributes["id"].flatMap { try? Identifier($0) }
        }
    }

    func text(_ text: String) {
        var text = text
        text.withUTF8 { self.text(bytes: $0) }
    }

    func text(bytes: UnsafeBufferPointer<UInt8>) {
        if let element = open.last {
            if foreignDepth == 0 { batch.appendText(bytes, to: element) }
        } else {
            tree.text(String(decoding: bytes, as: UTF8.self))
        }
    }

    var wantsText: Bool {
        if let element = open.last { return foreignDepth == 0 && !batch.elements[element].hasHadChildren }
        return tree.wantsText
    }

    func endElement(_ name: String, line: Int) {
        if !open.isEmpty {
            if foreignDepth > 0 { foreignDepth -= 1; return }
            open.removeLast()
            if open.isEmpty {
                if !sending { batch.removeAll() } else if batch.entries.count >= BatchQueue<CapturedItems>.batchSize { flush() }
            }
            return
        }
        guard let node = tree.close() else { return }
        if name == "reference", tree.depth == 2, tree.top?.name == "header" { reference = try? Identifier(node.value) }
    }

    /// Hands on the items captured since the last batch (and at the end of the read).
    func flush() {
        guard sending, !batch.isEmpty else { return }
        sending = send(batch)
        batch = CapturedItems()
    }
}

/// A parsed element: enough of a DOM for mapping one validated case file.
final class XMLNode {
    let name: String
    let attributes: XMLAttributes
    let line: Int
    var children: [XMLNode] = []
    var text = ""
    /// Whether a child was ever opened in it (the streaming reader drops each item once read).
    var hasHadChildren = false

    init(name: String, attributes: XMLAttributes, line: Int) {
        self.name = name
        self.attributes = attributes
        self.line = line
    }

    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// The text without XML white space (space, tab, CR, LF) at either end — what the schema's
    /// whitespace facets and the semantic pass treat as insignificant; anything else is kept.
    var value: String { SemanticUnits.trimmed(text) }
}

/// Builds ``XMLNode``s from the stream: Haul's own elements only, so a foreign subtree (the
/// signature) is never taken for Haul's elements of the same name.
final class XMLTreeBuilder: XMLEventHandler {
    @exclusivity(unchecked) private(set) var root: XMLNode?
    @exclusivity(unchecked) private var stack: [XMLNode] = []
    /// How deep inside an element of another namespace the parser is (0: in Haul's own).
    @exclusivity(unchecked) private var foreignDepth = 0

    /// How many of Haul's elements are open, and the innermost.
    var depth: Int { stack.count }
    var top: XMLNode? { stack.last }
    /// Whether the parser is inside an element of another namespace.
    var isInForeignElement: Bool { foreignDepth > 0 }

    /// Opens an element: its node, or nil for one of another namespace (or inside one).
    @discardableResult
    func open(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) -> XMLNode? {
        if foreignDepth > 0 || namespace != CaseFileSchema.namespace {
            foreignDepth += 1
            return nil
        }
        let node = XMLNode(name: name, attributes: attributes, line: line)
        if let parent = stack.last {
            parent.children.append(node)
            parent.hasHadChildren = true
        } else {
            root = node
        }
        stack.append(node)
        return node
    }

    /// Closes the innermost element: its node, or nil for a foreign one.
    @discardableResult
    func close() -> XMLNode? {
        if foreignDepth > 0 { foreignDepth -= 1; return nil }
        return stack.popLast()
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        open(name, namespace: namespace, attributes: attributes, line: line)
    }

    func text(_ text: String) { if foreignDepth == 0 { stack.last?.text += text } }

    /// Text is kept until an element's first child: the schema allows no mixed content, so what
    /// follows a child is indentation (and a file with anything else there is refused), and the
    /// parser need not make a string of it.
    var wantsText: Bool { foreignDepth == 0 && stack.last.map { !$0.hasHadChildren } ?? false }

    func endElement(_ name: String, line: Int) { close() }
}

struct MappingError: Error {
    var line: Int
    var message: String
}

/// Maps a validated tree to the case model. The schema has already checked structure and
/// lexical forms, so the errors left here are the model's own rules (offsets, consistency).
struct CaseMapping {
    let file: String

    private func required<N: MappedNode>(_ node: N, _ name: String) throws -> N {
        guard let child = node.child(name) else { throw MappingError(line: node.line, message: "<\(node.name)> has no <\(name)>") }
        return child
    }

    private func text<N: MappedNode>(_ node: N, _ name: String) throws -> String { try required(node, name).value }
    private func optionalText<N: MappedNode>(_ node: N, _ name: String) -> String? { node.child(name)?.value }

    private func attribute<N: MappedNode>(_ node: N, _ name: String) throws -> String {
        guard let value = node.attribute(name) else { throw MappingError(line: node.line, message: "<\(node.name)> has no \(name) attribute") }
        return value
    }

    /// Runs a model constructor, turning its error into one that names the line.
    private func at<N: MappedNode, T>(_ node: N, _ build: () throws -> T) throws -> T {
        do { return try build() } catch let error as HaulCoreError {
            throw MappingError(line: node.line, message: error.message)
        }
    }

    private func enumValue<N: MappedNode, T: RawRepresentable>(_ node: N, _ type: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: node.value) else { throw MappingError(line: node.line, message: "'\(node.value)' is not a known \(node.name)") }
        return value
    }

    private func enumAttribute<N: MappedNode, T: RawRepresentable>(_ node: N, _ name: String, _ type: T.Type) throws -> T where T.RawValue == String {
        let raw = try attribute(node, name)
        guard let value = T(rawValue: raw) else { throw MappingError(line: node.line, message: "'\(raw)' is not a known \(name)") }
        return value
    }

    private func decimal<N: MappedNode>(_ node: N, _ text: String) throws -> FixedDecimal {
        do { return try DecimalText.parse(text) } catch { throw MappingError(line: node.line, message: "\(node.name) \(error)") }
    }

    private func boolean<N: MappedNode>(_ node: N) -> Bool { node.value == "true" || node.value == "1" }
    private func booleanAttribute<N: MappedNode>(_ node: N, _ name: String) -> Bool { ["true", "1"].contains(node.attribute(name) ?? "") }

    private func date<N: MappedNode>(_ node: N, _ text: String) throws -> CalendarDate { try at(node) { try CalendarDate(parsing: text) } }
    private func identifier<N: MappedNode>(_ node: N, _ text: String) throws -> Identifier { try at(node) { try Identifier(text) } }
    private func currency<N: MappedNode>(_ node: N, _ code: String) throws -> Currency { try at(node) { try Currency(code: code) } }

    private func zoned<N: MappedNode>(_ node: N) throws -> ZonedDateTime {
        let zone = try attribute(node, "zone")
        return try at(node) { try ZonedDateTime(parsing: node.value, zone: zone) }
    }

    private func money<N: MappedNode>(_ node: N) throws -> Money {
        Money(try decimal(node, node.value), try currency(node, try attribute(node, "currency")))
    }

    private func mass<N: MappedNode>(_ node: N) throws -> Mass {
        let unit = try enumAttribute(node, "unit", MassUnit.self)
        let value = try decimal(node, node.value)
        return try at(node) { try Mass(value, unit) }
    }

    // MARK: Case

    func readCase(_ root: XMLNode) throws -> Case {
        let header = try required(root, "header")
        let agencies = try required(header, "agencies").children("agency").map { node in
            Agency(id: try identifier(node, try attribute(node, "id")), name: node.value,
                   role: try enumAttribute(node, "role", AgencyRole.self))
        }
        let seizures = try required(root, "seizures").children("seizure").map(readSeizure)
        var history: [StatusEvent] = []
        var records: [RecordEvent] = []
        for node in root.child("history")?.children ?? [] {
            if node.name == "event" { history.append(try readEvent(node)) }
            if node.name == "record" { records.append(try readRecord(node)) }
        }
        return Case(
            reference: try identifier(header, try text(header, "reference")),
            jurisdiction: try enumValue(try required(header, "jurisdiction"), Jurisdiction.self),
            operationName: optionalText(header, "operationName"),
            openedOn: try date(header, try text(header, "openedOn")),
            isIllustrative: header.child("illustrative").map(boolean) ?? false,
            note: header.child("note")?.text,
            agencies: agencies,
            seizures: seizures,
            history: history,
            confiscation: try root.child("confiscation").map(readConfiscation),
            confiscationInputs: try root.child("confiscationInputs").map(readInputs) ?? ConfiscationInputs(),
            people: try root.child("people")?.children("person").map { node in
                Person(id: try identifier(node, try attribute(node, "id")), role: try enumAttribute(node, "role", PersonRole.self), name: node.value)
            } ?? [])
        .withRecords(records)
        .withProceedings(try root.child("proceedings").map { node in
            Proceedings(court: try text(node, "court"), courtID: optionalText(node, "courtId"), number: optionalText(node, "number"),
                        defendants: try node.children("defendant").map { try identifier($0, try attribute($0, "person")) },
                        prosecutor: optionalText(node, "prosecutor"),
                        convictedOn: try node.child("convictedOn").map { try date($0, $0.value) },
                        hearingOn: try node.child("hearingOn").map { try date($0, $0.value) })
        })
    }

    private func readRecord(_ node: XMLNode) throws -> RecordEvent {
        RecordEvent(
            sequence: Int(try attribute(node, "sequence")) ?? 0,
            kind: try attribute(node, "kind"),
            at: try zoned(try required(node, "at")),
            actor: try text(node, "actor"),
            reason: try required(node, "reason").text,
            payload: try required(node, "payload").text,
            previousHash: optionalText(node, "previousHash"),
            hash: try text(node, "hash"))
    }

    private func readSeizure(_ node: XMLNode) throws -> Seizure {
        Seizure(
            id: try identifier(node, try attribute(node, "id")),
            seizedAt: try zoned(try required(node, "seizedAt")),
            place: try text(node, "place"),
            power: try enumValue(try required(node, "power"), SeizurePower.self),
            warrantReference: optionalText(node, "warrantReference"),
            officer: try text(node, "officer"),
            agency: try identifier(node, try attribute(node, "agency")),
            items: try required(node, "items").children("item").map(readItem))
    }

    // MARK: Items

    func readItem<N: MappedNode>(_ node: N) throws -> Item {
        let details: ItemDetails
        if let drug = node.child("drug") {
            details = .drug(try readDrug(drug))
        } else if let cash = node.child("cash") {
            details = .cash(try readCash(cash))
        } else if let watch = node.child("watch") {
            details = .watch(WatchItem(
                brand: try text(watch, "brand"), model: try text(watch, "model"),
                referenceNumber: optionalText(watch, "referenceNumber"), serialNumber: optionalText(watch, "serialNumber"),
                condition: try enumValue(try required(watch, "condition"), WatchCondition.self),
                hasBox: boolean(try required(watch, "box")), hasPapers: boolean(try required(watch, "papers"))))
        } else if let vehicle = node.child("vehicle") {
            details = .vehicle(try readVehicle(vehicle))
        } else if let jewellery = node.child("jewellery") {
            let fineness = try required(jewellery, "fineness")
            let metal = try enumValue(try required(jewellery, "metal"), Metal.self)
            let mass = try mass(try required(jewellery, "mass"))
            let gemSet = boolean(try required(jewellery, "gemSet"))
            let parts = try decimal(fineness, fineness.value)
            details = .jewellery(try at(fineness) { try JewelleryItem(metal: metal, fineness: parts, mass: mass, isGemSet: gemSet) })
        } else if let crypto = node.child("cryptoasset") {
            let units = try decimal(crypto, try text(crypto, "units"))
            let asset = try text(crypto, "asset")
            details = .cryptoasset(try at(crypto) {
                try CryptoassetItem(asset: asset, units: units, wallet: optionalText(crypto, "wallet"), exchange: optionalText(crypto, "exchange"))
            })
        } else if let nonValued = node.child("nonValued") {
            details = .nonValued(try enumAttribute(nonValued, "kind", NonValuedKind.self))
        } else {
            throw MappingError(line: node.line, message: "the item has no kind element (drug, cash, watch, vehicle, jewellery, cryptoasset or nonValued)")
        }
        return Item(
            id: try identifier(node, try attribute(node, "id")),
            exhibit: try identifier(node, try attribute(node, "exhibit")),
            description: optionalText(node, "description"),
            details: details,
            valuations: try node.child("valuations")?.children("valuation").map(readValuation) ?? [],
            status: try node.child("status").map(readStatus),
            earlierValuations: try node.child("earlierValuations")?.children("earlier").map { earlier in
                EarlierValuation(replacedOn: try date(earlier, try attribute(earlier, "replacedOn")), reason: try attribute(earlier, "reason"),
                                 valuations: try earlier.children("valuation").map(readValuation))
            } ?? [],
            interests: try node.child("interests")?.children("interest").map { interest in
                Interest(person: try identifier(interest, try attribute(interest, "person")), kind: try enumAttribute(interest, "kind", InterestKind.self),
                         percent: try interest.attribute("percent").map { try decimal(interest, $0) },
                         amount: try interest.child("amount").map(money), note: optionalText(interest, "note"))
            } ?? [])
    }

    private func readDrug<N: MappedNode>(_ node: N) throws -> DrugItem {
        let quantity: DrugQuantity
        if let gross = node.child("grossMass") {
            quantity = .mass(try mass(gross))
        } else {
            let countNode = try required(node, "unitCount")
            let unit = try enumAttribute(countNode, "unit", CountUnit.self)
            quantity = .count(try at(countNode) { try UnitCount(Int(countNode.value) ?? 0, unit) })
        }
        let purity = try node.child("purity").map { purityNode in
            let percent = try decimal(purityNode, purityNode.value)
            let method = try enumAttribute(purityNode, "method", PurityMethod.self)
            return try at(purityNode) { try Purity(percent: percent, method: method) }
        }
        return DrugItem(substance: try enumValue(try required(node, "substance"), Substance.self),
                        form: try enumValue(try required(node, "form"), DrugForm.self),
                        quantity: quantity, purity: purity)
    }

    private func readCash<N: MappedNode>(_ node: N) throws -> CashItem {
        let currency = try currency(node, try text(node, "currency"))
        let amount = try node.child("amount").map { try decimal($0, $0.value) }
        let denominations = try node.children("denomination").map { denomination in
            let value = try decimal(denomination, try attribute(denomination, "value"))
            let form = try enumAttribute(denomination, "form", CashForm.self)
            return try at(denomination) { try Denomination(value: value, form: form, count: Int(denomination.value) ?? 0) }
        }
        return try at(node) { try CashItem(currency: currency, countedAmount: amount, denominations: denominations) }
    }

    private func readVehicle<N: MappedNode>(_ node: N) throws -> VehicleItem {
        let mileage = try node.child("mileage").map { mileage in
            let unit = try enumAttribute(mileage, "unit", DistanceUnit.self)
            return try at(mileage) { try Distance(Int(mileage.value) ?? -1, unit) }
        }
        return VehicleItem(
            make: try text(node, "make"), model: try text(node, "model"),
            year: Int(try text(node, "year")) ?? 0,
            registration: optionalText(node, "registration"), vin: optionalText(node, "vin"), mileage: mileage,
            condition: try enumValue(try required(node, "condition"), VehicleCondition.self),
            vehicleClass: try enumValue(try required(node, "class"), VehicleClass.self),
            firstRegistered: try node.child("firstRegistered").map { try date($0, $0.value) })
    }

    // MARK: Valuations and status

    private func readValuation<N: MappedNode>(_ node: N) throws -> Valuation {
        let sources = try node.children("source").map { source in
            PriceSource(table: try attribute(source, "table"), line: source.attribute("line").flatMap { Int($0) },
                        effectiveFrom: try date(source, try attribute(source, "effectiveFrom")),
                        confidence: try enumAttribute(source, "confidence", Confidence.self), citation: source.value)
        }
        let exchangeRate = try node.child("exchangeRate").map { rate in
            AppliedExchangeRate(from: try currency(rate, try attribute(rate, "from")), to: try currency(rate, try attribute(rate, "to")),
                                rate: try decimal(rate, rate.value), date: try date(rate, try attribute(rate, "date")),
                                source: try attribute(rate, "source"), isDerived: booleanAttribute(rate, "derived"))
        }
        let indexAdjustment = try node.child("indexAdjustment").map { index in
            IndexAdjustment(index: try identifier(index, try attribute(index, "index")),
                            fromPeriod: try date(index, try attribute(index, "fromPeriod")),
                            toPeriod: try date(index, try attribute(index, "toPeriod")), factor: try decimal(index, index.value))
        }
        let warnings = try node.children("warning").map { warning in
            ValuationWarning(try enumAttribute(warning, "code", WarningCode.self), warning.value)
        }
        let basis = try enumAttribute(node, "basis", ValuationBasis.self)
        let valuedOn = try date(node, try attribute(node, "valuedOn"))
        let low = try money(try required(node, "low")), central = try money(try required(node, "central")), high = try money(try required(node, "high"))
        return try at(node) {
            try Valuation(basis: basis, valuedOn: valuedOn, low: low, central: central, high: high,
                          isUpperBound: booleanAttribute(node, "upperBound"), sources: sources, exchangeRate: exchangeRate,
                          indexAdjustment: indexAdjustment, warnings: warnings)
        }
    }

    private func readStatus<N: MappedNode>(_ node: N) throws -> ItemStatus {
        let deadline = try node.child("nextDeadline").map { deadline in
            Deadline(due: try zoned(try required(deadline, "due")), rule: try identifier(deadline, try attribute(deadline, "rule")),
                     source: try text(deadline, "source"), isVerified: booleanAttribute(deadline, "verified"))
        }
        return ItemStatus(state: try enumValue(try required(node, "state"), State.self),
                          since: try zoned(try required(node, "since")), nextDeadline: deadline)
    }

    private func readEvent(_ node: XMLNode) throws -> StatusEvent {
        let items = try text(node, "items").split(whereSeparator: \.isWhitespace).map { try identifier(node, String($0)) }
        return StatusEvent(
            sequence: Int(try attribute(node, "sequence")) ?? 0,
            at: try zoned(try required(node, "at")),
            items: items,
            from: try node.child("from").map { try enumValue($0, State.self) },
            to: try enumValue(try required(node, "to"), State.self),
            regime: try node.child("regime").map { try identifier($0, $0.value) },
            authority: optionalText(node, "authority"),
            actor: try text(node, "actor"),
            note: node.child("note")?.text,
            previousHash: optionalText(node, "previousHash"),
            hash: try text(node, "hash"),
            supersedes: optionalText(node, "supersedes").flatMap { Int($0) },
            late: node.child("late")?.text)
    }

    // MARK: Confiscation

    private func readConfiscation(_ node: XMLNode) throws -> ConfiscationFigures {
        let order = try node.child("order").map { order in
            ConfiscationOrder(
                reference: try text(order, "reference"), madeOn: try date(order, try text(order, "madeOn")),
                amount: try money(try required(order, "amount")), dueOn: try date(order, try text(order, "dueOn")),
                interestRatePercent: try decimal(order, try text(order, "interestRate")),
                interestAccrued: try order.child("interestAccrued").map(money), paid: try order.child("paid").map(money),
                maximumDefaultTerm: try at(order) { try TermLength(iso8601: try text(order, "maximumDefaultTerm")) })
        }
        let distribution = try node.child("distribution").map { distribution in
            Distribution(
                total: Money(try decimal(distribution, try attribute(distribution, "total")), try currency(distribution, try attribute(distribution, "currency"))),
                remainderRule: try identifier(distribution, try attribute(distribution, "remainderRule")),
                shares: try distribution.children("share").map { share in
                    DistributionShare(recipient: try attribute(share, "recipient"), percent: try decimal(share, try attribute(share, "percent")),
                                      amount: try decimal(share, share.value))
                })
        }
        let lines = try node.children("line").map { line in
            ConfiscationLine(section: try enumAttribute(line, "section", ConfiscationLine.Section.self), basis: try attribute(line, "basis"),
                             description: try text(line, "description"), amount: try line.child("amount").map(money), note: line.child("note")?.text)
        }
        return ConfiscationFigures(
            decidedOn: try date(node, try text(node, "decidedOn")),
            benefit: try money(try required(node, "benefit")),
            availableAmount: try money(try required(node, "availableAmount")),
            recoverableAmount: try money(try required(node, "recoverableAmount")),
            order: order, distribution: distribution, lines: lines)
    }

    func readInputs(_ node: XMLNode) throws -> ConfiscationInputs {
        var inputs = ConfiscationInputs()
        func obtained(_ entry: XMLNode) throws -> ObtainedProperty {
            ObtainedProperty(description: try text(entry, "description"), obtainedOn: try date(entry, try attribute(entry, "obtainedOn")),
                             valueThen: try money(try required(entry, "valueThen")), valueNow: try entry.child("valueNow").map(money))
        }
        inputs.benefits = try node.children("benefit").map(obtained)
        inputs.benefitItems = try node.children("benefitItem").map { try identifier($0, try attribute($0, "item")) }
        inputs.gifts = try node.children("gift").map(obtained)
        inputs.obligations = try node.children("obligation").map { PriorityObligation(description: try text($0, "description"), amount: try money(try required($0, "amount"))) }
        inputs.shares = try node.children("share").map { ItemShare(item: try identifier($0, try attribute($0, "item")), percent: try decimal($0, try attribute($0, "percent"))) }
        inputs.realisations = try node.children("realisation").map {
            Realisation(item: try identifier($0, try attribute($0, "item")), soldOn: try date($0, try attribute($0, "soldOn")),
                        gross: try money(try required($0, "gross")), costs: try money(try required($0, "costs")))
        }
        inputs.order = try node.child("orderDetails").map { order in
            OrderDetails(reference: try text(order, "reference"), madeOn: try date(order, try text(order, "madeOn")),
                         amount: try order.child("amount").map(money),
                         timeToPayUntil: try optionalText(order, "timeToPayUntil").map { try date(order, $0) },
                         extensionAppliedOn: try optionalText(order, "extensionAppliedOn").map { try date(order, $0) },
                         extensionDecidedOn: try optionalText(order, "extensionDecidedOn").map { try date(order, $0) },
                         extendedUntil: try optionalText(order, "extendedUntil").map { try date(order, $0) },
                         compensation: try order.child("compensation").map(money))
        }
        inputs.payments = try node.children("payment").map { Payment(paidOn: try date($0, try attribute($0, "paidOn")), amount: try money($0)) }
        inputs.joint = try node.child("jointBenefit").map { joint in
            JointBenefit(amount: try money(try required(joint, "amount")), withCases: try joint.children("withCase").map { try identifier($0, $0.value) },
                         description: try text(joint, "description"))
        }
        return inputs
    }
}

extension CaseFileReader {
    /// The line of the first confiscation input (a benefit, a payment, the order…) where the file
    /// and the records differ, in the element order the schema gives; the section's own line when
    /// only the number of entries differs past the end.
    static func firstDifferingInput(_ file: ConfiscationInputs, _ ledger: ConfiscationInputs, node: XMLNode) -> Int {
        func first<T: Equatable>(_ name: String, _ one: [T], _ other: [T]) -> Int? {
            guard one != other else { return nil }
            let index = zip(one, other).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(one.count, other.count)
            let elements = node.children(name)
            return index < elements.count ? elements[index].line : (elements.last?.line ?? node.line)
        }
        return first("benefit", file.benefits, ledger.benefits)
            ?? first("benefitItem", file.benefitItems, ledger.benefitItems)
            ?? first("gift", file.gifts, ledger.gifts)
            ?? first("obligation", file.obligations, ledger.obligations)
            ?? first("share", file.shares, ledger.shares)
            ?? first("realisation", file.realisations, ledger.realisations)
            ?? first("orderDetails", file.order.map { [$0] } ?? [], ledger.order.map { [$0] } ?? [])
            ?? first("payment", file.payments, ledger.payments)
            ?? first("jointBenefit", file.joint.map { [$0] } ?? [], ledger.joint.map { [$0] } ?? [])
            ?? node.line
    }
}

/// Compares the confiscation figures a file states with those worked out from its inputs.
enum ConfiscationCheck {

    /// The day the figures are stated as of: the outstanding line's when there is an order,
    /// else the decision date (which, without an order, is that day).
    static func asOf(_ figures: ConfiscationFigures) -> CalendarDate {
        let prefix = ConfiscationFigures.outstandingLabel + " "
        if figures.order != nil, let line = figures.lines.first(where: { $0.section == .order && $0.description.hasPrefix(prefix) }),
           let day = try? CalendarDate(parsing: String(line.description.dropFirst(prefix.count).prefix(10))) {
            return day
        }
        return figures.decidedOn
    }

    /// The first figure that differs: what it is, both values as text, and the line of its
    /// element. Words (a line's description and note) are left out: only figures and dates are
    /// compared, so a later Haul that words a line differently still agrees.
    static func firstDifference(stated: ConfiscationFigures, workedOut: ConfiscationFigures, node: XMLNode, comparingLines: Bool = true)
        -> (what: String, stated: String, workedOut: String, line: Int)? {
        func line(_ path: String...) -> Int {
            var current = node
            for name in path { guard let next = current.child(name) else { break }; current = next }
            return current.line
        }
        func money(_ value: Money?) -> String { value?.readable ?? "absent" }
        if stated.decidedOn != workedOut.decidedOn { return ("the decision date", "\(stated.decidedOn)", "\(workedOut.decidedOn)", line("decidedOn")) }
        if stated.benefit != workedOut.benefit { return ("the benefit", money(stated.benefit), money(workedOut.benefit), line("benefit")) }
        if stated.availableAmount != workedOut.availableAmount {
            return ("the available amount", money(stated.availableAmount), money(workedOut.availableAmount), line("availableAmount"))
        }
        if stated.recoverableAmount != workedOut.recoverableAmount {
            return ("the recoverable amount", money(stated.recoverableAmount), money(workedOut.recoverableAmount), line("recoverableAmount"))
        }
        switch (stated.order, workedOut.order) {
        case (nil, nil): break
        case (let order?, nil): return ("the order", order.reference, "no order", line("order"))
        case (nil, let order?): return ("the order", "absent", order.reference, node.line)
        case (let file?, let computed?):
            if file.reference != computed.reference { return ("the order's reference", file.reference, computed.reference, line("order", "reference")) }
            if file.madeOn != computed.madeOn { return ("the day the order was made", "\(file.madeOn)", "\(computed.madeOn)", line("order", "madeOn")) }
            if file.amount != computed.amount { return ("the order's amount", money(file.amount), money(computed.amount), line("order", "amount")) }
            if file.dueOn != computed.dueOn { return ("the day the order is due", "\(file.dueOn)", "\(computed.dueOn)", line("order", "dueOn")) }
            if file.interestRatePercent != computed.interestRatePercent {
                return ("the interest rate", "\(DecimalText.plain(file.interestRatePercent)) %", "\(DecimalText.plain(computed.interestRatePercent)) %", line("order", "interestRate"))
            }
            if file.interestAccrued != computed.interestAccrued {
                return ("the interest accrued", money(file.interestAccrued), money(computed.interestAccrued), line("order", "interestAccrued"))
            }
            if file.paid != computed.paid { return ("what has been paid", money(file.paid), money(computed.paid), line("order", "paid")) }
            if file.maximumDefaultTerm != computed.maximumDefaultTerm {
                return ("the maximum default term", file.maximumDefaultTerm.iso8601, computed.maximumDefaultTerm.iso8601, line("order", "maximumDefaultTerm"))
            }
        }
        if stated.distribution?.total != workedOut.distribution?.total || stated.distribution?.shares.map(\.amount) != workedOut.distribution?.shares.map(\.amount) {
            let shares = { (distribution: Distribution?) in distribution.map { "\(money($0.total)) (\($0.shares.map { DecimalText.plain($0.amount) }.joined(separator: " + ")))" } ?? "absent" }
            return ("the distribution of what was received", shares(stated.distribution), shares(workedOut.distribution), line("distribution"))
        }
        guard comparingLines else { return nil }
        // The lines that carry a figure, in order: each section's figure as worked out.
        let statedLines = stated.lines.filter { $0.amount != nil }, workedLines = workedOut.lines.filter { $0.amount != nil }
        let lineNodes = node.children("line").filter { $0.child("amount") != nil }
        for index in 0..<max(statedLines.count, workedLines.count) {
            let file = index < statedLines.count ? statedLines[index] : nil
            let computed = index < workedLines.count ? workedLines[index] : nil
            guard file?.section != computed?.section || file?.amount != computed?.amount else { continue }
            let at = index < lineNodes.count ? (lineNodes[index].child("amount")?.line ?? lineNodes[index].line) : node.line
            let what = file.map { "the line \"\($0.description)\"" } ?? "a line \"\(computed?.description ?? "")\""
            return (what, file.map { money($0.amount) } ?? "absent", computed.map { money($0.amount) } ?? "absent", at)
        }
        return nil
    }
}
