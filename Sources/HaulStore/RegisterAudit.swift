import Crypto
import Foundation
import GRDB
import HaulCore

/// What `haul audit` found: each case's chain and rows checked, and the register log that
/// chains the cases themselves.
public struct RegisterAudit: Sendable, Hashable {
    /// One case's result.
    public struct CaseResult: Sendable, Hashable {
        /// The case's reference.
        public var reference: Identifier
        /// How many events the case's chain holds (status moves and records together); 0 when it could not be read.
        public var events: Int
        /// The hash of the chain's newest event; nil when the chain is empty or could not be read.
        public var head: String?
        /// The first problem found, or nil when the chain verifies and the rows equal its replay.
        public var problem: String?

        package init(reference: Identifier, events: Int, head: String?, problem: String? = nil) {
            self.reference = reference
            self.events = events
            self.head = head
            self.problem = problem
        }

        /// A case whose chain or rows cannot even be read: reported, not thrown, so the audit of
        /// every other case still runs.
        package static func unreadable(_ reference: Identifier, _ error: any Error) -> CaseResult {
            // The whole chain of causes, as `haul` prints an error (the audit's reader runs it).
            let message = ErrorText.forUser(error)
            return CaseResult(reference: reference, events: 0, head: nil, problem: "case \(reference): its chain or rows cannot be read (\(message)); the register was written outside Haul")
        }
    }

    /// Each case's result, one per case audited.
    public var cases: [CaseResult] = []
    /// Problems of the register as a whole: a case removed, or one added outside Haul.
    public var registerProblems: [String] = []

    package init() {}

    /// True when nothing was found wrong: no problem with the register as a whole or with any case.
    public var isClean: Bool { registerProblems.isEmpty && cases.allSatisfy { $0.problem == nil } }

    package static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// One entry of the register log, as a backend stores it.
package struct RegisterLogEntry {
    package var position: Int
    package var reference: String
    package var firstHash: String
    package var previousHash: String?
    package var hash: String
    /// For an entry whose case the reader may not see (a PostgreSQL register's investigator):
    /// the server's own check of its hash and whether its case is still there, in place of the
    /// case and first hash, which are withheld.
    package var withheld: (hashVerifies: Bool, present: Bool)?

    package init(position: Int, reference: String, firstHash: String, previousHash: String?, hash: String,
                 withheld: (hashVerifies: Bool, present: Bool)? = nil) {
        self.position = position
        self.reference = reference
        self.firstHash = firstHash
        self.previousHash = previousHash
        self.hash = hash
        self.withheld = withheld
    }
}

/// What a backend hands the audit about one case: its chain, its state row, and its derived rows
/// read on demand (only when the chain itself verifies).
package struct StoredCaseRows {
    package var events: [StatusEvent]
    package var records: [RecordEvent]
    /// The state row's head (sequence and hash), nil when the row is missing.
    package var stateHead: (sequence: Int, hash: String?)?
    /// The case as its rows load it (nil when they cannot be read).
    package var loadStored: () throws -> Case?
    /// Each item row as "id exhibit kind seizure figures".
    package var itemRows: () throws -> [String]
    /// Each key row as "id field value normalised".
    package var keyRows: () throws -> [String]
    /// Each row of the index of status moves by seizure as "sequence seizure".
    package var eventSeizureRows: () throws -> [String]

    package init(events: [StatusEvent], records: [RecordEvent], stateHead: (sequence: Int, hash: String?)?, loadStored: @escaping () throws -> Case?,
                 itemRows: @escaping () throws -> [String], keyRows: @escaping () throws -> [String], eventSeizureRows: @escaping () throws -> [String]) {
        self.events = events
        self.records = records
        self.stateHead = stateHead
        self.loadStored = loadStored
        self.itemRows = itemRows
        self.keyRows = keyRows
        self.eventSeizureRows = eventSeizureRows
    }
}

extension RegisterAudit {
    /// The register log's text for one case, hashed into its chain.
    package static func logText(position: Int, case reference: String, firstHash: String, previous: String?) -> String {
        "haul-register-log/1\nposition=\(position)\ncase=\(reference)\nfirst=\(firstHash)\nprevious=\(previous ?? "")\n"
    }

    /// The register log checked against the cases present: every backend's audit, the same words.
    package mutating func checkLog(_ entries: [RegisterLogEntry], present: Set<String>) -> [String: String] {
        var logged: [String: String] = [:]
        var previous: String?
        for (index, entry) in entries.enumerated() {
            if let withheld = entry.withheld {
                if entry.position != index + 1 {
                    registerProblems.append("the register log skips from entry \(index) to \(entry.position): the record of a case was removed")
                } else if entry.previousHash != previous || !withheld.hashVerifies {
                    registerProblems.append("the register log entry \(entry.position) (a case you may not see) was altered or reordered")
                }
                if !withheld.present {
                    registerProblems.append("a case you may not see was removed from the register (the register log records it at entry \(entry.position))")
                }
                previous = entry.hash
                continue
            }
            let expected = Self.logText(position: entry.position, case: entry.reference, firstHash: entry.firstHash, previous: entry.previousHash)
            if entry.position != index + 1 {
                registerProblems.append("the register log skips from entry \(index) to \(entry.position): the record of a case was removed")
            } else if entry.previousHash != previous || Self.sha256(expected) != entry.hash {
                registerProblems.append("the register log entry \(entry.position) (case \(entry.reference)) was altered or reordered")
            }
            previous = entry.hash
            logged[entry.reference] = entry.firstHash
            if !present.contains(entry.reference) {
                registerProblems.append("case \(entry.reference) was removed from the register (the register log records it at entry \(entry.position))")
            }
        }
        for reference in present.sorted() where logged[reference] == nil {
            registerProblems.append("case \(reference) is in the register but not in its log: it was added outside Haul")
        }
        return logged
    }

    /// One case checked: its chain (with `head`, that nothing was cut off), that it starts where
    /// the register log says, and that its state row, rows and keys equal what it replays to.
    package static func check(_ reference: Identifier, _ stored: StoredCaseRows, firstHash: String?, head: String?) throws -> CaseResult {
        let records = stored.records
        let chain = EventChain.merged(stored.events, records)
        var result = CaseResult(reference: reference, events: chain.count, head: chain.last?.hash)
        if let problem = EventChain.verify(case: reference, links: chain, head: head) {
            result.problem = problem.message
            return result
        }
        if let firstHash, chain.first?.hash != firstHash {
            result.problem = "case \(reference): its chain no longer starts with the event the register log recorded; the chain was rewritten"
            return result
        }
        guard let state = stored.stateHead else {
            result.problem = "case \(reference): its state row is missing"
            return result
        }
        if state.sequence != chain.count || state.hash != chain.last?.hash {
            result.problem = "case \(reference): its state row records head \(state.sequence), the chain ends at \(chain.count); the state row was edited"
            return result
        }
        let replayed: Case
        do { replayed = try CaseLedger.replay(reference, records: records) } catch {
            result.problem = "case \(reference): its records cannot be replayed: \(error.message)"
            return result
        }
        // The rows as stored, only the status moves (which loading adds) taken off: anything
        // else in them — a status, computed figures — is not what the records say.
        var rows = try? stored.loadStored()
        rows?.history = []
        guard let rows, rows == replayed else {
            let difference = rows.flatMap { CaseLedger.firstDifference($0, replayed) } ?? "its rows cannot be read"
            result.problem = "case \(reference): its stored state differs from what its chain replays to (\(difference)); the state rows were edited"
            return result
        }
        var indexed: [String] = []
        // The figures a move judges a seizure's minimum on are derived too (ItemFigures).
        for seizure in replayed.seizures {
            for item in seizure.items {
                indexed.append("\(item.id.value) \(item.exhibit.value) \(item.kind.rawValue) \(seizure.id.value) \(ItemFigures(item).storedText)")
            }
        }
        let itemRows = try stored.itemRows()
        if indexed.sorted() != itemRows.sorted() {
            result.problem = "case \(reference): its item index differs from its chain (\(itemRows.count) rows, \(indexed.count) items); the items table was edited"
            return result
        }
        let keys = replayed.seizures.flatMap(\.items).flatMap { item in item.lookupKeys.map { "\(item.id.value) \($0.field.rawValue) \($0.value) \($0.normalised)" } }
        let keyRows = try stored.keyRows()
        if keys.sorted() != keyRows.sorted() {
            result.problem = "case \(reference): its item keys (VIN, registration, serial) differ from its chain (\(keyRows.count) rows, \(keys.count) keys); the item_keys table was edited"
            return result
        }
        // A move reads the moves of its seizures through this index: a row removed would hide
        // an item's earlier move from the rules that judge its next one.
        var seizureOf: [Identifier: Identifier] = [:]
        for seizure in replayed.seizures { for item in seizure.items { seizureOf[item.id] = seizure.id } }
        var moves = Set<String>()
        for event in stored.events { for item in event.items { if let seizure = seizureOf[item] { moves.insert("\(event.sequence) \(seizure.value)") } } }
        let moveRows = try stored.eventSeizureRows()
        if moves.sorted() != moveRows.sorted() {
            result.problem = "case \(reference): its index of status moves by seizure differs from its chain (\(moveRows.count) rows, \(moves.count) expected); the event_seizures table was edited"
        }
        return result
    }
}

extension SQLiteRegister {
    /// Verifies the register: every case's chain (with `head`, that nothing was cut off the
    /// end), that its stored state and item index equal what its records replay to, and the
    /// register log (so a case removed or added behind Haul's back is named). Reads only.
    public func audit(_ only: Identifier? = nil, head: String? = nil) throws(StoreError) -> RegisterAudit {
        try read { db in
            var audit = RegisterAudit()
            let present = Set(try String.fetchAll(db, sql: "SELECT reference FROM cases"))
            let entries = try Row.fetchAll(db, sql: "SELECT * FROM register_log ORDER BY position").map {
                RegisterLogEntry(position: $0["position"], reference: $0["case_reference"], firstHash: $0["first_hash"], previousHash: $0["previous_hash"], hash: $0["hash"])
            }
            let logged = audit.checkLog(entries, present: present)
            for referenceText in present.sorted() {
                guard let reference = try? Identifier(referenceText), only == nil || only == reference else { continue }
                do { audit.cases.append(try Self.auditCase(db, reference, firstHash: logged[referenceText], head: only == nil ? nil : head)) } catch {
                    audit.cases.append(.unreadable(reference, error))
                }
            }
            if let only, !present.contains(only.value) {
                throw StoreError(.notFound, "no case \(only) in the register (haul case list shows what is there)")
            }
            return audit
        }
    }

    static func auditCase(_ db: Database, _ reference: Identifier, firstHash: String?, head: String?) throws -> RegisterAudit.CaseResult {
        let state = try Row.fetchOne(db, sql: "SELECT head_sequence, head FROM case_state WHERE case_reference = ?", arguments: [reference.value])
        let stored = StoredCaseRows(
            events: try events(db, reference), records: try records(db, reference),
            stateHead: state.map { ($0["head_sequence"], $0["head"]) },
            loadStored: { try loadState(db, reference, scope: .all).case },
            itemRows: {
                try Row.fetchAll(db, sql: "SELECT item_id, exhibit, kind, seizure_id, figures FROM items WHERE case_reference = ?", arguments: [reference.value])
                    .map { "\($0["item_id"] as String) \($0["exhibit"] as String) \($0["kind"] as String) \($0["seizure_id"] as String) \($0["figures"] as String)" }
            },
            keyRows: {
                try Row.fetchAll(db, sql: "SELECT item_id, field, value, normalised FROM item_keys WHERE case_reference = ?", arguments: [reference.value])
                    .map { "\($0["item_id"] as String) \($0["field"] as String) \($0["value"] as String) \($0["normalised"] as String)" }
            },
            eventSeizureRows: {
                try Row.fetchAll(db, sql: "SELECT sequence, seizure_id FROM event_seizures WHERE case_reference = ?", arguments: [reference.value])
                    .map { "\($0["sequence"] as Int) \($0["seizure_id"] as String)" }
            })
        return try RegisterAudit.check(reference, stored, firstHash: firstHash, head: head)
    }
}
