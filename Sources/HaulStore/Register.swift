import Foundation
import GRDB
import HaulCore

/// An error from the register: a stable code and a message that says what to do.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case notFound = "not-found"
        case alreadyExists = "already-exists"
        case ambiguous
        case brokenChain = "broken-chain"
        case database
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A new event, before the register numbers, links and hashes it.
public struct EventDraft: Sendable {
    public var at: ZonedDateTime
    public var items: [Identifier]
    public var from: State?
    public var to: State
    public var regime: Identifier?
    public var authority: String?
    public var actor: String
    public var note: String?
    /// For a correction, the event it replaces.
    public var supersedes: Int?

    public init(at: ZonedDateTime, items: [Identifier], from: State?, to: State, regime: Identifier?, authority: String?, actor: String, note: String?,
                supersedes: Int? = nil) {
        self.at = at
        self.items = items
        self.from = from
        self.to = to
        self.regime = regime
        self.authority = authority
        self.actor = actor
        self.note = note
        self.supersedes = supersedes
    }
}

/// One line of the case list.
public struct CaseListing: Sendable, Hashable {
    public var reference: Identifier
    public var jurisdiction: String
    public var openedOn: String
    public var items: Int
    public var events: Int
    public var version: Int
}

/// The register of cases: what every store (SQLite here, PostgreSQL for a shared unit) offers.
///
/// A case is kept as versions of its document (the case without its history: header,
/// seizures, items, valuations) plus its append-only event chain. Statuses and deadlines are
/// not stored: they follow from the events and the rule packs, so they can never disagree.
public protocol Register: Sendable {
    func open(_ operation: Case, reason: String, recordedAt: Date) throws(StoreError)
    func save(_ operation: Case, reason: String, recordedAt: Date) throws(StoreError)
    func load(_ reference: Identifier) throws(StoreError) -> Case
    func list() throws(StoreError) -> [CaseListing]
    func append(_ draft: EventDraft, to reference: Identifier, recordedAt: Date) throws(StoreError) -> StatusEvent
    func events(of reference: Identifier) throws(StoreError) -> [StatusEvent]
    /// Brings in a case file's case with its history exactly as it was (chain verified first).
    func importCase(_ operation: Case, recordedAt: Date) throws(StoreError)
    /// The case holding `item` (an item id, or `CASE/ITEM`).
    func locate(item: String) throws(StoreError) -> (case: Identifier, item: Identifier)
    /// The case holding a seizure id.
    func locate(seizure: String) throws(StoreError) -> (case: Identifier, seizure: Identifier)?
}
