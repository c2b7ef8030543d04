import Foundation
import HaulCore

/// What every register backend does the same way when it writes the ledger: numbering, linking
/// and hashing records, the stored form of items and of the case's skeleton, and the records that
/// carry an imported file's body. A backend only stores what these give it, so SQLite and
/// PostgreSQL registers hold the same chain for the same changes.
package enum LedgerWriting {
    /// The parts of an item's details `find` looks in besides its description and keys (paths in
    /// its stored JSON under `details`): what a user names an item by, a brand, make, model,
    /// substance or metal.
    package static let findableDetails = ["watch._0.brand", "watch._0.model", "vehicle._0.make", "vehicle._0.model",
                                          "drug._0.substance", "jewellery._0.metal", "cryptoasset._0.asset"]

    package static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The register's timestamp form: ISO 8601 in UTC to the nearest millisecond (halves up),
    /// `2026-12-02T15:55:24.483Z`, exactly what `ISO8601DateFormatter` with fractional seconds
    /// wrote (Core Foundation adds half a millisecond and ICU cuts). Written by hand: the
    /// formatter loads ICU's calendar data, milliseconds of every write.
    package static func timestamp(_ date: Date) -> String {
        // The same floating-point steps as CFDateFormatterCreateStringWithAbsoluteTime.
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000 + 0.5).rounded(.down))
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let fraction = Int(milliseconds - Int64(seconds) * 1000)
        var fields = tm()
        gmtime_r(&seconds, &fields)
        let padded = CalendarDate.digits
        return "\(padded(Int(fields.tm_year) + 1900, 4))-\(padded(Int(fields.tm_mon) + 1, 2))-\(padded(Int(fields.tm_mday), 2))"
            + "T\(padded(Int(fields.tm_hour), 2)):\(padded(Int(fields.tm_min), 2)):\(padded(Int(fields.tm_sec), 2)).\(padded(fraction, 3))Z"
    }

    /// An item's stored form: its JSON without a status (statuses follow from the moves),
    /// written by ``StoredItemEncoding``, byte for byte what `encoder` gives.
    package static func itemJSON(_ item: Item) throws -> String {
        StoredItemEncoding.json(item)
    }

    /// An item from its row's stored form (the fast reader, else Foundation's for a form it does not know).
    package static func decodeItem(_ text: String, case reference: String) throws -> Item {
        let item = text.utf8.withContiguousStorageIfAvailable { StoredItemDecoding.item(fromJSON: UnsafeRawBufferPointer($0)) } ?? nil
        if let item { return item }
        do { return try JSONDecoder().decode(Item.self, from: Data(text.utf8)) } catch {
            throw StoreError(.database, "case \(reference): an item row cannot be read (run haul audit)", cause: error)
        }
    }

    /// The case's skeleton row: everything but its items (each seizure's `items` empty).
    package static func skeletonJSON(_ operation: Case) throws -> String {
        // Items dropped before the rest is cleared, so none of them is copied on the way.
        var skeleton = operation
        for index in skeleton.seizures.indices { skeleton.seizures[index].items = [] }
        CaseLedger.keepStateOnly(&skeleton)
        return String(decoding: try encoder.encode(skeleton), as: UTF8.self)
    }

    /// The skeleton row read back.
    package static func decodeSkeleton(_ text: String, case reference: Identifier) throws(StoreError) -> Case {
        do { return try JSONDecoder().decode(Case.self, from: Data(text.utf8)) } catch {
            throw StoreError(.database, "the stored state of case \(reference) cannot be read", cause: error)
        }
    }

    /// What differs between a case file's body, as its rows now hold it, and what its records
    /// replay to, compared at the file's precision; nil when nothing does. The body is rounded
    /// in place rather than copied: a 1,000,000-item case is gigabytes a copy.
    package static func bodyDifference(replayed: Case, body: consuming Case) -> String? {
        CaseLedger.keepStateOnly(&body)
        CaseLedger.roundToFilePrecision(&body)
        return CaseLedger.firstDifference(CaseLedger.atFilePrecision(replayed), body)
    }

    /// Numbers, links and hashes the records of `changes` (one, or one per part when they carry
    /// more items than a record should; see ``CaseLedger/parts(_:itemsPerRecord:)``), applying
    /// the changes to `state` first (a change that does not fit the case throws, and nothing is
    /// to be written).
    package static func records(applying changes: [CaseChange], to state: inout Case, kind: String, actor: String, reason: String,
                                recordedAt: Date, link: (sequence: Int, hash: String?)) throws -> [RecordEvent] {
        try CaseLedger.apply(changes, to: &state)
        let at = try ZonedDateTime(epochSeconds: Int(recordedAt.timeIntervalSince1970), zone: state.jurisdiction.timeZone)
        let parts = changes.isEmpty ? [[]] : CaseLedger.parts(changes)
        var link = link
        var records: [RecordEvent] = []
        for (index, part) in parts.enumerated() {
            let partReason = parts.count == 1 ? reason : "\(reason) (part \(index + 1) of \(parts.count))"
            var record = try RecordEvent.draft(kind: kind, at: at, actor: actor, reason: partReason, changes: part)
            record.sequence = link.sequence + 1
            record.previousHash = link.hash
            record.hash = EventChain.hash(case: state.reference, record: record)
            link = (record.sequence, record.hash)
            records.append(record)
        }
        return records
    }

    /// A status move numbered, linked and hashed after `head`.
    package static func statusEvent(_ draft: EventDraft, case reference: Identifier, after head: (sequence: Int, hash: String?)) -> StatusEvent {
        var event = StatusEvent(sequence: head.sequence + 1, at: draft.at, items: draft.items, from: draft.from, to: draft.to,
                                regime: draft.regime, authority: draft.authority, actor: draft.actor, note: draft.note,
                                previousHash: head.hash, hash: "", supersedes: draft.supersedes, late: draft.late)
        event.hash = EventChain.hash(case: reference, event: event)
        return event
    }

    /// The changes that follow a new case's opening record: what the caller gave beyond the header.
    package static func openingChanges(_ operation: Case) -> (header: Case, rest: [CaseChange]) {
        var header = operation
        header.seizures = []
        CaseLedger.keepStateOnly(&header)
        header.people = []
        header.confiscationInputs = ConfiscationInputs()
        header.proceedings = nil
        var changes: [CaseChange] = []
        if !operation.seizures.isEmpty { changes.append(.itemsAdded(operation.seizures)) }
        for person in operation.people { changes.append(.personAdded(person)) }
        if !operation.confiscationInputs.isEmpty { changes.append(.confiscationInputs(operation.confiscationInputs)) }
        if let proceedings = operation.proceedings { changes.append(.proceedings(proceedings)) }
        return (header, changes)
    }

    /// Records the body of a file that carries status moves only, as it now stands in the rows,
    /// in the records ``CaseLedger/parts(_:itemsPerRecord:)`` makes of a baseline: the case whole
    /// when it has at most ``CaseLedger/itemsPerRecord`` items; otherwise the case without its
    /// items, then its items, that many to a record. The items' JSON is taken from the rows, not
    /// encoded again.
    ///
    /// - Parameters:
    ///   - seizures: The case's seizures with every item (asked only for a small case).
    ///   - forEachItemRow: Visits each item row's seizure position and stored JSON in document order.
    ///   - insert: Stores one record.
    package static func importedBody(_ operation: Case, items: Int, actor: String, link: (Int, String?), recordedAt: Date,
                                     seizures: () throws -> [Seizure],
                                     forEachItemRow: ((Int, String) throws -> Void) throws -> Void,
                                     insert: @escaping (RecordEvent) throws -> Void) throws -> (first: String?, last: (Int, String?)) {
        let at = try ZonedDateTime(epochSeconds: Int(recordedAt.timeIntervalSince1970), zone: operation.jurisdiction.timeZone)
        var asFiled = operation
        asFiled.history = []
        asFiled.records = []
        let parts = items <= CaseLedger.itemsPerRecord ? 1 : (items + CaseLedger.itemsPerRecord - 1) / CaseLedger.itemsPerRecord
        if parts == 1 {
            asFiled.seizures = try seizures()
            let maker = ImportedBodyRecords(asFiled, at: at, actor: actor, parts: 1, link: link)
            try insert(try maker.record([try ImportedBodyRecords.change(.baseline(asFiled))]))
            return (maker.first, maker.link)
        }
        for index in asFiled.seizures.indices { asFiled.seizures[index].items = [] }
        let maker = ImportedBodyRecords(asFiled, at: at, actor: actor, parts: parts, link: link)
        try maker.start()
        // The records are made (payload built, hash worked out) on a thread of their own while
        // this one reads the rows and stores the records: one connection, used by this thread
        // only. Rows go over in batches through a short queue; made records come back.
        let rows = BatchQueue<(Int, String)>()
        let made = MadeRecords()
        let making = Thread {
            do {
                while let batch = try rows.take() {
                    for (seizure, document) in batch { made.put(try maker.add(seizure: seizure, document: document)) }
                }
                // Stopped by the storer's error: the last record would only be dropped.
                if !rows.isCancelled { made.put(try maker.finish()) }
                made.close(nil)
            } catch {
                rows.cancel()
                made.close(error)
            }
        }
        making.start()
        do {
            var batch: [(Int, String)] = []
            batch.reserveCapacity(BatchQueue<(Int, String)>.batchSize)
            try forEachItemRow { seizure, document in
                batch.append((seizure, document))
                guard batch.count == BatchQueue<(Int, String)>.batchSize else { return }
                guard rows.put(batch) else { throw made.waitForFailure() }
                batch.removeAll(keepingCapacity: true)
                for record in try made.takeReady() { try insert(record) }
            }
            if !batch.isEmpty, !rows.put(batch) { throw made.waitForFailure() }
            rows.finish(nil)
            while let records = try made.takeWaiting() {
                for record in records { try insert(record) }
            }
        } catch {
            rows.cancel()
            made.waitUntilClosed()
            throw error
        }
        return (maker.first, maker.link)
    }

    /// The order every backend tries an item's name in: every indexed way first (the text whole,
    /// then as CASE/ITEM), and a label in other capitals, which no index serves, only after both
    /// found nothing. `lookup(needle, case, exhaustive)` is the backend's own search.
    package static func locateOrder<Row>(_ text: String, searchable: Bool,
                                         _ lookup: (String, String?, Bool) throws -> [Row]) throws -> [Row] {
        for exhaustive in [false, true] {
            var found = searchable ? try lookup(text, nil, exhaustive) : []
            if found.isEmpty, let slash = text.firstIndex(of: "/") {
                found = try lookup(String(text[text.index(after: slash)...]), String(text[..<slash]), exhaustive)
            }
            if !found.isEmpty { return found }
        }
        return []
    }
}

/// Makes the records that carry an imported body, one item row at a time (see
/// ``LedgerWriting/importedBody(_:items:actor:link:recordedAt:seizures:forEachItemRow:insert:)``):
/// the baseline first, then each seizure's items, ``CaseLedger/itemsPerRecord`` to a record,
/// each linked to the one before and hashed. Used by one thread at a time.
final class ImportedBodyRecords: @unchecked Sendable {
    private let asFiled: Case
    private let at: ZonedDateTime
    private let actor: String
    private let parts: Int
    private static let reason = "imported from a case file that carries status moves only; its body is the baseline"
    /// The last record made (sequence and hash).
    private(set) var link: (Int, String?)
    /// The first record's hash.
    private(set) var first: String?
    private var written = 0
    private var changes: [String] = []
    private var itemsInRecord = 0
    /// A run of one seizure's items: that seizure's own change with `"items":[]` filled in.
    private var run: [String] = []
    private var runSeizure = -1
    /// Each seizure's change split around its empty item list, encoded once: a seizure's items
    /// run over many records (25,000 encodings for 1,000,000 items otherwise).
    private var around: (seizure: Int, before: String, after: String)?

    init(_ asFiled: Case, at: ZonedDateTime, actor: String, parts: Int, link: (Int, String?)) {
        self.asFiled = asFiled
        self.at = at
        self.actor = actor
        self.parts = parts
        self.link = link
    }

    /// One change's JSON: the payload of that change alone, without its brackets.
    static func change(_ change: CaseChange) throws -> String { String(try CaseLedger.payload([change]).dropFirst().dropLast()) }

    /// Starts with the baseline: the case without its items.
    func start() throws { changes = [try Self.change(.baseline(asFiled))] }

    /// The next record, carrying `changes`.
    func record(_ changes: [String]) throws -> RecordEvent {
        written += 1
        var payload = "["
        Self.append(changes, to: &payload)
        payload += "]"
        var record = RecordEvent(sequence: link.0 + 1, kind: "imported", at: at, actor: RecordEvent.fitted(actor, 200, orElse: "unknown"),
                                 reason: parts == 1 ? Self.reason : "\(Self.reason) (part \(written) of \(parts))",
                                 payload: payload, previousHash: link.1, hash: "")
        record.hash = EventChain.hash(case: asFiled.reference, record: record)
        link = (record.sequence, record.hash)
        first = first ?? record.hash
        return record
    }

    /// Takes the next item row; returns the record it completed, if any.
    func add(seizure: Int, document: String) throws -> [RecordEvent] {
        var done: [RecordEvent] = []
        if itemsInRecord == CaseLedger.itemsPerRecord {
            try closeRun()
            done.append(try record(changes))
            changes = []
            itemsInRecord = 0
        } else if seizure != runSeizure {
            try closeRun()
        }
        runSeizure = seizure
        run.append(document)
        itemsInRecord += 1
        return done
    }

    /// The last record, once every row is in.
    func finish() throws -> [RecordEvent] {
        try closeRun()
        return changes.isEmpty ? [] : [try record(changes)]
    }

    private func closeRun() throws {
        guard !run.isEmpty else { return }
        if around?.seizure != runSeizure {
            let empty = try Self.change(.itemsAdded([asFiled.seizures[runSeizure]]))
            guard let slot = empty.range(of: "\"items\":[]") else { throw StoreError(.database, "cannot build the imported items' record") }
            around = (runSeizure, String(empty[..<slot.lowerBound]), String(empty[slot.upperBound...]))
        }
        var text = around!.before + "\"items\":["
        Self.append(run, to: &text)
        text += "]"
        text += around!.after
        changes.append(text)
        run.removeAll(keepingCapacity: true)
    }

    /// Appends `parts` to `text`, a comma between each, in place: `+` and `joined` on strings
    /// this long count their characters first.
    private static func append(_ parts: [String], to text: inout String) {
        text.reserveCapacity(text.utf8.count + parts.reduce(64) { $0 + $1.utf8.count + 1 })
        for (index, part) in parts.enumerated() {
            if index > 0 { text += "," }
            text += part
        }
    }
}

/// Records made on one thread for another to store: never full (the maker never waits on the
/// storer, so neither can wait on the other for ever); the rows queue before it bounds it.
final class MadeRecords: @unchecked Sendable {
    private let condition = NSCondition()
    private var records: [RecordEvent] = []
    private var closed = false
    private var failure: (any Error)?

    func put(_ made: [RecordEvent]) {
        guard !made.isEmpty else { return }
        condition.lock()
        records.append(contentsOf: made)
        condition.broadcast()
        condition.unlock()
    }

    /// Ends the flow: every record made, or the maker's error.
    func close(_ error: (any Error)?) {
        condition.lock()
        closed = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The records made so far, without waiting; the maker's error once it has failed.
    func takeReady() throws -> [RecordEvent] {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    /// The records made so far, waiting for some; nil once every record is taken.
    func takeWaiting() throws -> [RecordEvent]? {
        condition.lock()
        defer { condition.unlock() }
        while records.isEmpty && !closed { condition.wait() }
        if let failure { throw failure }
        guard !records.isEmpty else { return nil }
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    /// The maker's error, once it has stopped taking rows.
    func waitForFailure() -> any Error {
        condition.lock()
        defer { condition.unlock() }
        while !closed { condition.wait() }
        return failure ?? StoreError(.database, "the imported body's records stopped being made")
    }

    /// Waits for the maker to stop.
    func waitUntilClosed() {
        condition.lock()
        while !closed { condition.wait() }
        condition.unlock()
    }
}
