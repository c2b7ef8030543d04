import Foundation

/// A change to a case's state that a ``RecordEvent`` carries. Replaying a case's records in
/// order, from an empty case, rebuilds its state exactly; status moves (``StatusEvent``) change
/// no stored state, since statuses and deadlines follow from them and the rule packs.
///
/// Item-level changes carry the whole item as it now stands, so a record's cost is in
/// proportion to what it touches, never to the case.
public enum CaseChange: Hashable, Sendable, Codable {
    /// A new case: its header (reference, jurisdiction, agencies…), no seizures yet.
    case opened(Case)
    /// The case as it stood, whole: a register migrated from document versions, or a case file
    /// from before 1.3 imported (its history then holds status moves only).
    case baseline(Case)
    /// Items added: each seizure with only the new items; a seizure the case does not have yet
    /// is added with its details.
    case itemsAdded([Seizure])
    /// Items as they now stand after a valuation, revaluation, interest or sale.
    case itemsReplaced([Item])
    /// A person added to the case.
    case personAdded(Person)
    /// The confiscation inputs as they now stand (benefit, gifts, obligations, shares, sales,
    /// order, extension, joint benefit).
    case confiscationInputs(ConfiscationInputs)
    /// One payment towards the order, added to those recorded (payments are the input that
    /// grows longest, so each carries only itself).
    case paymentAdded(Payment)
    /// The court proceedings as they now stand (schema 1.5).
    case proceedings(Proceedings)
}

/// One entry of a case's chain other than a status move: what changed (`changes`, in
/// canonical form in ``payload``), its kind, who recorded it, why and when.
///
/// ```swift
/// let record = try RecordEvent.draft(kind: "payment", at: now, actor: "DC 4471",
///                                    reason: "payment of £100,000.00", changes: [.confiscationInputs(inputs)])
/// ```
public struct RecordEvent: Hashable, Sendable, Codable {
    /// Its number in the case's chain, shared with the status moves and counted from 1; 0 in a draft not yet appended.
    public var sequence: Int
    /// What the record is, named by the use case: `opened`, `items-added`, `valued`,
    /// `revalued`, `person-added`, `interest`, `benefit`, `payment`, `order`, `migrated`, …
    public var kind: String
    /// When it was recorded, in the case's zone.
    public var at: ZonedDateTime
    /// Who recorded it; a draft fits it to one line of at most 200 characters, `unknown` when empty.
    public var actor: String
    /// Why it was recorded; a draft fits it to at most 1,000 characters, the record's kind when empty.
    public var reason: String
    /// The changes as canonical JSON (an array of ``CaseChange``), hashed exactly as stored.
    public var payload: String
    /// The hash of the event before it in the chain; nil for the first event and in a draft.
    public var previousHash: String?
    /// SHA-256 over the record's canonical text, as 64 lower-case hex digits; empty in a draft.
    public var hash: String

    /// A record with every field given, taken as it is (nothing is checked or fitted).
    ///
    /// - Parameters:
    ///   - sequence: Its number in the case's chain.
    ///   - kind: What the record is, e.g. `payment`.
    ///   - at: When it was recorded, in the case's zone.
    ///   - actor: Who recorded it.
    ///   - reason: Why it was recorded.
    ///   - payload: The changes as canonical JSON, hashed exactly as given.
    ///   - previousHash: The hash of the event before it, or nil for the first event.
    ///   - hash: The record's hash.
    public init(sequence: Int, kind: String, at: ZonedDateTime, actor: String, reason: String, payload: String, previousHash: String?, hash: String) {
        self.sequence = sequence
        self.kind = kind
        self.at = at
        self.actor = actor
        self.reason = reason
        self.payload = payload
        self.previousHash = previousHash
        self.hash = hash
    }

    /// A record not yet numbered, linked or hashed (the register does that when it appends it).
    ///
    /// The actor and reason are fitted to what a case file can carry (an actor of at most 200
    /// characters on one line, a reason of at most 1,000), so whatever is recorded can always be
    /// exported; the payload keeps every detail in full.
    public static func draft(kind: String, at: ZonedDateTime, actor: String, reason: String, changes: [CaseChange]) throws(HaulCoreError) -> RecordEvent {
        RecordEvent(sequence: 0, kind: kind, at: at, actor: fitted(actor, 200, orElse: "unknown"), reason: fitted(reason, 1_000, orElse: kind),
                    payload: try CaseLedger.payload(changes), previousHash: nil, hash: "")
    }

    /// `text` on one line, without control characters, at most `limit` characters (an ellipsis
    /// marks a cut), or `fallback` when nothing is left.
    public static func fitted(_ text: String, _ limit: Int, orElse fallback: String) -> String {
        var cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        cleaned = cleaned.trimmingCharacters(in: .whitespaces)
        if cleaned.count > limit { cleaned = String(cleaned.prefix(limit - 1)) + "…" }
        return cleaned.isEmpty ? fallback : cleaned
    }

    /// The changes the payload carries.
    public func changes() throws(HaulCoreError) -> [CaseChange] {
        if let key = JSONKeys.firstRepeated(in: payload) {
            throw HaulCoreError(.inconsistent, "record \(sequence) (\(kind)) carries a payload that repeats the key '\(key)' within one object; readers differ on which one counts, so it is not read")
        }
        // Items read without JSONDecoder when the payload is in the form Haul writes; the same
        // changes either way.
        if let changes = RecordPayloadDecoding.changes(payload) { return changes }
        do { return try JSONDecoder().decode([CaseChange].self, from: Data(payload.utf8)) } catch {
            throw HaulCoreError(.inconsistent, "record \(sequence) (\(kind)) carries a payload that cannot be read: \(error: error)")
        }
    }
}

/// Applying records to a case, and replaying a chain into the state it describes.
public enum CaseLedger {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// The canonical JSON of a list of changes (keys sorted).
    public static func payload(_ changes: [CaseChange]) throws(HaulCoreError) -> String {
        do { return String(decoding: try encoder.encode(changes), as: UTF8.self) } catch {
            throw HaulCoreError(.inconsistent, "the change cannot be recorded: \(error: error)")
        }
    }

    /// The state a case is stored as: no history (the chain holds it), no statuses (they follow
    /// from the chain and the rule packs), no computed confiscation figures (computed when read).
    public static func stateOnly(_ operation: Case) -> Case {
        var state = operation
        keepStateOnly(&state)
        return state
    }

    /// ``stateOnly(_:)`` in place, without copying a case held once.
    package static func keepStateOnly(_ state: inout Case) {
        state.history = []
        state.records = []
        state.confiscation = nil
        for seizureIndex in state.seizures.indices {
            for itemIndex in state.seizures[seizureIndex].items.indices { state.seizures[seizureIndex].items[itemIndex].status = nil }
        }
    }

    /// Applies one change; a change that does not fit the case (an item it does not have, an
    /// id it already has) is an error and nothing is changed.
    public static func apply(_ change: CaseChange, to operation: inout Case) throws(HaulCoreError) {
        try apply([change], to: &operation)
    }

    /// Applies changes in order, finding the case's items once for all of them (and only if a
    /// change adds or replaces items).
    package static func apply(_ changes: [CaseChange], to operation: inout Case) throws(HaulCoreError) {
        var positions = ItemPositions()
        for change in changes { try apply(change, to: &operation, positions: &positions) }
    }

    /// Where each seizure and item of a case sits, found when first needed and kept up to date
    /// change by change through a replay: finding every item afresh for each record (forty items
    /// to a record, ``itemsPerRecord``) made replaying a case of N items take about N²/80 steps
    /// (a 100,000-item file took a minute to validate, and a 1,000,000-item one was stopped after
    /// ten minutes).
    struct ItemPositions {
        private var items: [Identifier: (seizure: Int, item: Int)] = [:]
        private var seizures: [Identifier: Int] = [:]
        /// False until the case's places are read, and again after a change replaces the case.
        private var isBuilt = false

        /// Reads the case's places unless they are already known.
        mutating func build(_ operation: Case) {
            guard !isBuilt else { return }
            items.removeAll(keepingCapacity: true)
            seizures.removeAll(keepingCapacity: true)
            for (seizureIndex, seizure) in operation.seizures.enumerated() {
                seizures[seizure.id] = seizures[seizure.id] ?? seizureIndex
                for (itemIndex, item) in seizure.items.enumerated() { items[item.id] = (seizureIndex, itemIndex) }
            }
            isBuilt = true
        }

        /// Forgets the places: the case was replaced whole.
        mutating func forget() { isBuilt = false }

        subscript(id: Identifier) -> (seizure: Int, item: Int)? { items[id] }

        func seizure(_ id: Identifier) -> Int? { seizures[id] }

        mutating func place(_ id: Identifier, seizure: Int, item: Int) { items[id] = (seizure, item) }

        mutating func placeSeizure(_ id: Identifier, at index: Int) { seizures[id] = index }
    }

    static func apply(_ change: CaseChange, to operation: inout Case, positions: inout ItemPositions) throws(HaulCoreError) {
        switch change {
        case .opened(let header):
            guard operation.seizures.isEmpty, operation.agencies.isEmpty else {
                throw HaulCoreError(.inconsistent, "case \(operation.reference) is already open")
            }
            operation = stateOnly(header)
            positions.forget()
        case .baseline(let whole):
            operation = stateOnly(whole)
            positions.forget()
        case .itemsAdded(let seizures):
            positions.build(operation)
            // Every id is checked before anything is added, so a refused change adds nothing.
            var added = Set<Identifier>()
            for seizure in seizures {
                for item in seizure.items where positions[item.id] != nil || !added.insert(item.id).inserted {
                    throw HaulCoreError(.inconsistent, "case \(operation.reference) already has an item \(item.id)")
                }
            }
            for seizure in seizures {
                // Statuses are never stored: they follow from the chain.
                var stored = seizure
                for index in stored.items.indices { stored.items[index].status = nil }
                let seizureIndex: Int, first: Int
                if let index = positions.seizure(seizure.id) {
                    (seizureIndex, first) = (index, operation.seizures[index].items.count)
                    operation.seizures[index].items += stored.items
                } else {
                    (seizureIndex, first) = (operation.seizures.count, 0)
                    positions.placeSeizure(seizure.id, at: seizureIndex)
                    operation.seizures.append(stored)
                }
                for (offset, item) in stored.items.enumerated() { positions.place(item.id, seizure: seizureIndex, item: first + offset) }
            }
        case .itemsReplaced(let items):
            positions.build(operation)
            for item in items where positions[item.id] == nil {
                throw HaulCoreError(.inconsistent, "case \(operation.reference) has no item \(item.id)")
            }
            for item in items {
                let (seizureIndex, itemIndex) = positions[item.id]!
                var stored = item
                stored.status = nil
                operation.seizures[seizureIndex].items[itemIndex] = stored
            }
        case .personAdded(let person):
            guard !operation.people.contains(where: { $0.id == person.id }) else {
                throw HaulCoreError(.inconsistent, "case \(operation.reference) already has a person \(person.id)")
            }
            operation.people.append(person)
        case .confiscationInputs(let inputs):
            operation.confiscationInputs = inputs
        case .paymentAdded(let payment):
            operation.confiscationInputs.payments.append(payment)
        case .proceedings(let proceedings):
            try proceedings.checkDefendants(in: operation)
            operation.proceedings = proceedings
        }
    }

    /// The state a case's records describe, replayed in order from nothing.
    public static func replay(_ reference: Identifier, records: [RecordEvent]) throws(HaulCoreError) -> Case {
        guard let first = records.first else { throw HaulCoreError(.inconsistent, "case \(reference) has no records to replay") }
        var operation = Case(reference: reference, jurisdiction: .englandAndWales, openedOn: first.at.date, agencies: [], seizures: [])
        var positions = ItemPositions()
        for record in records {
            for change in try record.changes() { try apply(change, to: &operation, positions: &positions) }
        }
        guard operation.reference == reference else {
            throw HaulCoreError(.inconsistent, "case \(reference)'s records describe a case \(operation.reference)")
        }
        return operation
    }
}

extension Case {
    /// The case with `records` as its chain's records.
    public func withRecords(_ records: [RecordEvent]) -> Case {
        var copy = self
        copy.records = records
        return copy
    }

    /// The case with `proceedings` recorded.
    public func withProceedings(_ proceedings: Proceedings?) -> Case {
        var copy = self
        copy.proceedings = proceedings
        return copy
    }
}

extension CaseLedger {
    /// The state as a case file carries it: amounts of valuations rounded to their currency's
    /// minor unit (the file's precision; the chain keeps the exact figures). A file's body is
    /// compared with what its records replay to in this form.
    public static func atFilePrecision(_ operation: Case) -> Case {
        var result = operation
        roundToFilePrecision(&result)
        return result
    }

    /// ``atFilePrecision(_:)`` in place: a case held once is changed without being copied (a
    /// copy of a 1,000,000-item case is gigabytes).
    package static func roundToFilePrecision(_ result: inout Case) {
        for seizureIndex in result.seizures.indices {
            for itemIndex in result.seizures[seizureIndex].items.indices {
                var item = result.seizures[seizureIndex].items[itemIndex]
                item.valuations = item.valuations.map(\.atMinorUnits)
                for index in item.earlierValuations.indices { item.earlierValuations[index].valuations = item.earlierValuations[index].valuations.map(\.atMinorUnits) }
                result.seizures[seizureIndex].items[itemIndex] = item
            }
        }
    }

    /// What differs between two versions of an item, as a message names it: "the details of
    /// item I-1", or "item I-1" when the difference is in none of the parts named.
    package static func itemDifference(_ x: Item, _ y: Item) -> String {
        for (name, differs) in [("description", x.description != y.description), ("details", x.details != y.details),
                                ("valuations", x.valuations != y.valuations), ("earlier valuations", x.earlierValuations != y.earlierValuations),
                                ("interests", x.interests != y.interests)] where differs {
            return "the \(name) of item \(x.id)"
        }
        return "item \(x.id)"
    }

    /// Where two states first differ, in words (`item I-003`, `the people`…); nil when equal.
    /// Used to say what a tampered file or row changed.
    public static func firstDifference(_ one: Case, _ other: Case) -> String? {
        if one == other { return nil }
        var left = one, right = other
        left.seizures = []; right.seizures = []
        left.people = []; right.people = []
        left.confiscationInputs = ConfiscationInputs(); right.confiscationInputs = ConfiscationInputs()
        left.proceedings = nil; right.proceedings = nil
        if left != right { return "the case header" }
        if one.people != other.people { return "the people" }
        if one.proceedings != other.proceedings { return "the proceedings" }
        if one.confiscationInputs != other.confiscationInputs { return "the confiscation inputs" }
        if one.seizures.count != other.seizures.count { return "the number of seizures (\(one.seizures.count), \(other.seizures.count))" }
        for (a, b) in zip(one.seizures, other.seizures) where a != b {
            if a.items.count != b.items.count { return "the items of seizure \(a.id)" }
            if let pair = zip(a.items, b.items).first(where: { $0 != $1 }) { return itemDifference(pair.0, pair.1) }
            return "seizure \(a.id)"
        }
        return "the case"
    }
}

extension CaseLedger {
    /// How many items one record carries at most. A case file carries each record's payload as
    /// one text node, and libxml2's schema validator joins a text node's pieces by copying, in
    /// time that grows with the square of its length: a 5 MB payload took 55 s to validate,
    /// with xmllint as with Haul. Forty items keep a payload near 20–100 KB.
    public static let itemsPerRecord = 40

    /// `changes` split into parts of at most `itemsPerRecord` items each, in order, each part
    /// one record; replaying the parts in order has the same effect as the whole. A baseline
    /// becomes the case without its items followed by the items added seizure by seizure.
    public static func parts(_ changes: [CaseChange], itemsPerRecord: Int = itemsPerRecord) -> [[CaseChange]] {
        var parts: [[CaseChange]] = [[]]
        var itemsInPart = 0
        func add(_ change: CaseChange, items: Int) {
            if items > 0, itemsInPart + items > itemsPerRecord, !parts[parts.count - 1].isEmpty {
                parts.append([])
                itemsInPart = 0
            }
            parts[parts.count - 1].append(change)
            itemsInPart += items
        }
        func addItems(of seizure: Seizure) {
            var start = 0
            repeat {
                if itemsInPart >= itemsPerRecord { parts.append([]); itemsInPart = 0 }
                let take = min(itemsPerRecord - itemsInPart, seizure.items.count - start)
                var piece = seizure
                piece.items = Array(seizure.items[start..<start + take])
                add(.itemsAdded([piece]), items: take)
                start += take
            } while start < seizure.items.count
        }
        for change in changes {
            switch change {
            case .itemsAdded(let seizures):
                for seizure in seizures { addItems(of: seizure) }
            case .itemsReplaced(let items):
                var start = 0
                while start < items.count {
                    if itemsInPart >= itemsPerRecord { parts.append([]); itemsInPart = 0 }
                    let take = min(itemsPerRecord - itemsInPart, items.count - start)
                    add(.itemsReplaced(Array(items[start..<start + take])), items: take)
                    start += take
                }
            case .baseline(let whole) where whole.items.count > itemsPerRecord:
                var skeleton = whole
                for index in skeleton.seizures.indices { skeleton.seizures[index].items = [] }
                add(.baseline(skeleton), items: 0)
                for seizure in whole.seizures where !seizure.items.isEmpty { addItems(of: seizure) }
            default:
                add(change, items: 0)
            }
        }
        return parts.filter { !$0.isEmpty }
    }
}
