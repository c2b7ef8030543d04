import Foundation
import HaulCore

/// A new status move, before the register numbers, links and hashes it.
public struct EventDraft: Sendable {
    /// When the move happened, with its zone (not when it is recorded).
    public var at: ZonedDateTime
    /// The items that move.
    public var items: [Identifier]
    /// The state the items move from; nil when none is given.
    public var from: State?
    /// The state the items move to.
    public var to: State
    /// The id of the rule pack the move was judged by (e.g. `gb-eaw-cash`); nil when none is given.
    public var regime: Identifier?
    /// The court order or other authority for the move; nil when it needs none.
    public var authority: String?
    /// Who records the move.
    public var actor: String
    /// A note on the move; for a correction, why it is made.
    public var note: String?
    /// For a correction, the event it replaces.
    public var supersedes: Int?
    /// For a move after its deadline: why it was late.
    public var late: String?

    /// Makes a draft from its parts.
    ///
    /// - Parameters:
    ///   - at: when the move happened.
    ///   - items: the items that move.
    ///   - from: the state they move from, if known.
    ///   - to: the state they move to.
    ///   - regime: the id of the rule pack the move was judged by, if any.
    ///   - authority: the court order or other authority for the move, if any.
    ///   - actor: who records it.
    ///   - note: a note on the move, or for a correction why it is made.
    ///   - supersedes: for a correction, the sequence number of the event it replaces.
    ///   - late: for a move after its deadline, why it was late.
    public init(at: ZonedDateTime, items: [Identifier], from: State?, to: State, regime: Identifier?, authority: String?, actor: String, note: String?,
                supersedes: Int? = nil, late: String? = nil) {
        self.at = at
        self.items = items
        self.from = from
        self.to = to
        self.regime = regime
        self.authority = authority
        self.actor = actor
        self.note = note
        self.supersedes = supersedes
        self.late = late
    }
}

/// Which items a write's plan (or a read) needs to see. The skeleton — header, seizures,
/// people, confiscation inputs — always comes; items are one row each, so loading only those
/// needed keeps a change's cost in proportion to the change. The status moves come with them:
/// every move for `all` and `skeleton`, else the moves of the seizures whose items were loaded
/// (see `seizuresLoaded(_:)`).
public enum LoadScope: Sendable, Hashable {
    /// Every item.
    case all
    /// No items.
    case skeleton
    /// These items.
    case items([Identifier])
    /// Every item of the seizures holding these items (a move's threshold is judged across its seizure).
    case seizuresOf([Identifier])
    /// Every item of these seizures.
    case seizures([Identifier])
}

extension LoadScope {
    /// The seizures whose status moves a load in this scope reads: nil for every move of the
    /// case (all items, or none), else the seizures of the items it loaded. Those are all a
    /// move, a correction or an item's record can need: an item's own moves, and its seizure's
    /// for the minimum judged across it.
    package func seizuresLoaded(_ operation: Case) -> [String]? {
        switch self {
        case .all, .skeleton: return nil
        case .items, .seizuresOf, .seizures: return operation.seizures.filter { !$0.items.isEmpty }.map(\.id.value)
        }
    }
}

/// Where ``Register/locate(item:)`` found an item, and by what.
public struct ItemLocation: Sendable, Hashable {
    /// The reference of the case holding the item.
    public var `case`: Identifier
    /// The item's id within its case.
    public var item: Identifier
    /// The item's exhibit label (e.g. `JS/4`).
    public var exhibit: String
    /// What matched when it was not the item's id: `exhibit`, or the key's field and value (`registration WU19 ABC`).
    public var matched: String?

    /// Makes a location from its parts.
    ///
    /// - Parameters:
    ///   - reference: the case holding the item.
    ///   - item: the item's id.
    ///   - exhibit: the item's exhibit label.
    ///   - matched: what matched when it was not the item's id, or nil.
    public init(case reference: Identifier, item: Identifier, exhibit: String, matched: String?) {
        self.case = reference
        self.item = item
        self.exhibit = exhibit
        self.matched = matched
    }

    /// "WU19 ABC is I-104 of case BRS-2021-031 (registration WU19 ABC, exhibit JS/4)", for a command to say which item it took.
    public func found(as text: String) -> String? {
        guard let matched else { return nil }
        return "\(text) is \(item) of case \(self.case) (\(matched == "exhibit" ? "exhibit \(exhibit)" : "\(matched), exhibit \(exhibit)"))"
    }
}

/// An item ``Register/find(_:limit:)`` found, with what it is called.
public struct FoundItem: Sendable, Hashable {
    /// The reference of the case holding the item.
    public var `case`: Identifier
    /// The item's id within its case.
    public var item: Identifier
    /// The item's exhibit label.
    public var exhibit: String
    /// The item's kind, as stored (`cash`, `watch`, `vehicle`, …).
    public var kind: String
    /// The item's description; nil when it has none.
    public var description: String?
    /// Its VIN, registration or serial number, as `field value`.
    public var keys: [String]

    /// Makes a found item from its parts.
    ///
    /// - Parameters:
    ///   - reference: the case holding the item.
    ///   - item: the item's id.
    ///   - exhibit: the item's exhibit label.
    ///   - kind: the item's kind, as stored.
    ///   - description: the item's description, or nil.
    ///   - keys: its VIN, registration or serial number, each as `field value`.
    public init(case reference: Identifier, item: Identifier, exhibit: String, kind: String, description: String?, keys: [String]) {
        self.case = reference
        self.item = item
        self.exhibit = exhibit
        self.kind = kind
        self.description = description
        self.keys = keys
    }
}

/// One line of the case list.
public struct CaseListing: Sendable, Hashable {
    /// The case's reference.
    public var reference: Identifier
    /// The case's jurisdiction code, as stored (e.g. `GB-EAW`).
    public var jurisdiction: String
    /// The day the case was opened, as stored (`YYYY-MM-DD`).
    public var openedOn: String
    /// How many items the case holds, across all its seizures.
    public var items: Int
    /// How many events the case's chain holds.
    public var events: Int
    /// Kept for scripts that read the old column: the chain's length too.
    public var version: Int

    package init(reference: Identifier, jurisdiction: String, openedOn: String, items: Int, events: Int, version: Int) {
        self.reference = reference
        self.jurisdiction = jurisdiction
        self.openedOn = openedOn
        self.items = items
        self.events = events
        self.version = version
    }
}

/// The register of cases: what every store (SQLite here, PostgreSQL for a shared unit) offers.
///
/// Each case is one hash chain of events: status moves (`StatusEvent`) and records of every
/// other change (`RecordEvent`). Its current state is derived from the records in the same
/// transaction that appends them, and statuses and deadlines follow from the status moves and
/// the rule packs, so they can never disagree. Writes take a plan that runs inside the
/// transaction with the case as it stands, so checks and the append are one step.
public protocol Register: Sendable {
    /// Opens a new case (its first record carries the header).
    @discardableResult
    func open(_ operation: Case, actor: String, reason: String, recordedAt: Date) throws(StoreError) -> RecordEvent
    /// Records a change planned against the case as it stands, in one transaction. Items added
    /// whose id or exhibit the case already has are refused here, whatever the plan could see.
    @discardableResult
    func record(_ reference: Identifier, kind: String, actor: String, reason: String, recordedAt: Date, scope: LoadScope,
                _ plan: (Case) throws -> [CaseChange]) throws -> (records: [RecordEvent], case: Case)
    /// Appends a status move planned against the case as it stands, in one transaction. The plan
    /// also gets the seizures' figures as they stand in that transaction (a minimum is judged
    /// across the seizure; the figures come without decoding its items).
    @discardableResult
    func move(_ reference: Identifier, recordedAt: Date, scope: LoadScope,
              _ plan: (Case, any SeizureFigures) throws -> EventDraft) throws -> (event: StatusEvent, case: Case)
    /// The case with its state, status moves and records.
    func load(_ reference: Identifier) throws(StoreError) -> Case
    /// The case's state and status moves (no records): cheaper, for reads that show the case.
    /// A scope narrower than `all` and `skeleton` brings only the moves of its seizures.
    func loadState(_ reference: Identifier, scope: LoadScope) throws(StoreError) -> Case
    /// One line for each case in the register (as far as the user may see them), in order of reference.
    ///
    /// - Returns: The cases' lines; empty for an empty register.
    /// - Throws: `StoreError` when the register cannot be read.
    func list() throws(StoreError) -> [CaseListing]
    /// One case's line of the list (nil when the register has no such case).
    func listing(of reference: Identifier) throws(StoreError) -> CaseListing?
    /// The case's jurisdiction, which says which rule packs and tables a command loads (read
    /// without the case's state or moves).
    func jurisdiction(of reference: Identifier) throws(StoreError) -> Jurisdiction
    /// The case's status moves, in sequence order.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its status events; empty when nothing has moved yet.
    /// - Throws: `StoreError` `.notFound` when the register has no such case.
    func events(of reference: Identifier) throws(StoreError) -> [StatusEvent]
    /// The case's records: every change other than a status move, in sequence order.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its record events.
    /// - Throws: `StoreError` `.notFound` when the register has no such case.
    func records(of reference: Identifier) throws(StoreError) -> [RecordEvent]
    /// The same for a file read item by item: each item goes into the register as it is read,
    /// all in one transaction (see ``SQLiteRegister/importCase(actor:recordedAt:provenance:streaming:)``).
    /// `provenance`, when given, is kept with the case in the same transaction (where the file came
    /// from and what its signature showed): outside the chain, which stays exactly the file's.
    @discardableResult
    func importCase(actor: String, recordedAt: Date, provenance: String?,
                    streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case) throws -> (case: Case, items: Int, events: Int)
    /// What was kept of where a case came from, oldest first (see `importCase`).
    func provenance(of reference: Identifier) throws(StoreError) -> [String]
    /// Verifies every chain, every derived row and the register log (see ``RegisterAudit``).
    func audit(_ reference: Identifier?, head: String?) throws(StoreError) -> RegisterAudit
    /// The item `text` names: an item id, an exhibit label, a vehicle's VIN or registration, a
    /// watch's serial number, or any of those as `CASE/ITEM`. Several matches are refused with
    /// each listed; none is refused naming what was tried.
    func locate(item text: String) throws(StoreError) -> ItemLocation
    /// Items of every case whose id, exhibit label, VIN, registration, serial number or
    /// description contains `text` (letters compared without regard to case), in case and item
    /// order; at most `limit`, with how many matched in all.
    func find(_ text: String, limit: Int) throws(StoreError) -> (items: [FoundItem], total: Int)
    /// The case holding a seizure id.
    func locate(seizure: String) throws(StoreError) -> (case: Identifier, seizure: Identifier)?
    /// Reads the stored state of `reference` for streaming (see ``StoredCaseDocument``) and calls
    /// `body` with it, inside one read transaction so nothing can change while it is read.
    func withStoredDocument<T>(_ reference: Identifier, _ body: (StoredCaseDocument) throws -> T) throws -> T
    /// Where the register is, for messages (a file's path, or a server's URL without its password).
    var location: String { get }
}

/// Each item's `ItemFigures` in a seizure, read from the register inside a move's transaction
/// (valid only during the plan it was handed to).
public protocol SeizureFigures {
    /// Visits the figures of every item of `seizure` in the case, in item order, until `visit` returns false.
    func forEach(in seizure: Identifier, _ visit: (ItemFigures) -> Bool) throws
}

extension Register {
    /// Brings in a case (a case file read whole, or a case read from another register) with its
    /// chain exactly as it was, through the streaming import (chain verified, records replayed).
    public func importCase(_ operation: Case, actor: String = "haul", recordedAt: Date, provenance: String? = nil) throws(StoreError) {
        do {
            try importCase(actor: actor, recordedAt: recordedAt, provenance: provenance) { deliver in
                for (position, seizure) in operation.seizures.enumerated() {
                    for item in seizure.items { try deliver(operation.reference, position, seizure.id, item) }
                }
                var skeleton = operation
                for index in skeleton.seizures.indices { skeleton.seizures[index].items = [] }
                return skeleton
            }
        } catch let error as StoreError {
            throw error
        } catch let error as any HaulError {
            // Refused input (a duplicate id, a value out of bounds) keeps its own code and words:
            // only a failure that is not Haul's own is the database's.
            throw StoreError(error.code, error.markedMessage, at: error.location, cause: error.cause)
        } catch {
            throw StoreError(.database, "the case could not be imported", cause: error)
        }
    }

    /// Appends a status move with no checks beyond the case and its items existing (tests and the
    /// stress tool; commands use ``Register/move(_:recordedAt:scope:_:)``, which judges the move).
    ///
    /// - Throws: `StoreError` `.notFound` for an item the case does not have (a move naming it
    ///   would be missing from the index a later move reads its seizure's moves by), `.invalid`
    ///   for a draft naming no item.
    public func append(_ draft: EventDraft, to reference: Identifier, recordedAt: Date) throws(StoreError) -> StatusEvent {
        do {
            guard !draft.items.isEmpty else { throw StoreError(.invalid, "a status move names at least one item; nothing was recorded") }
            return try move(reference, recordedAt: recordedAt, scope: .items(draft.items)) { operation, _ in
                let present = Set(operation.seizures.flatMap { $0.items.map(\.id) })
                if let missing = draft.items.first(where: { !present.contains($0) }) {
                    throw StoreError(.notFound, "case \(reference) has no item \(missing); nothing was recorded")
                }
                return draft
            }.event
        } catch let error as StoreError { throw error } catch {
            throw StoreError(.database, "the move could not be recorded", cause: error)
        }
    }

    /// The case's state and status moves with every item.
    public func loadState(_ reference: Identifier) throws(StoreError) -> Case { try loadState(reference, scope: .all) }

    /// Records a change planned against the whole case (see ``record(_:kind:actor:reason:recordedAt:scope:_:)``).
    @discardableResult
    public func record(_ reference: Identifier, kind: String, actor: String, reason: String, recordedAt: Date,
                       _ plan: (Case) throws -> [CaseChange]) throws -> (records: [RecordEvent], case: Case) {
        try record(reference, kind: kind, actor: actor, reason: reason, recordedAt: recordedAt, scope: .all, plan)
    }

    /// Appends a status move planned against the case as `scope` loads it.
    @discardableResult
    public func move(_ reference: Identifier, recordedAt: Date, scope: LoadScope, _ plan: (Case) throws -> EventDraft) throws -> (event: StatusEvent, case: Case) {
        try move(reference, recordedAt: recordedAt, scope: scope) { operation, _ in try plan(operation) }
    }
}
