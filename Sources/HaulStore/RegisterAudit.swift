import Crypto
import Foundation
import GRDB
import HaulCore

/// What `haul audit` found: each case's chain and rows checked, and the register log that
/// chains the cases themselves.
public struct RegisterAudit: Sendable, Hashable {
    /// One case's result.
    public struct CaseResult: Sendable, Hashable {
        public var reference: Identifier
        public var events: Int
        public var head: String?
        /// The first problem found, or nil when the chain verifies and the rows equal its replay.
        public var problem: String?
    }

    public var cases: [CaseResult] = []
    /// Problems of the register as a whole: a case removed, or one added outside Haul.
    public var registerProblems: [String] = []

    public var isClean: Bool { registerProblems.isEmpty && cases.allSatisfy { $0.problem == nil } }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
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
            var logged: [String: String] = [:]
            var previous: String?
            for (index, row) in try Row.fetchAll(db, sql: "SELECT * FROM register_log ORDER BY position").enumerated() {
                let position: Int = row["position"]
                let reference: String = row["case_reference"]
                let expected = Self.logText(position: position, case: reference, firstHash: row["first_hash"], previous: row["previous_hash"])
                if position != index + 1 {
                    audit.registerProblems.append("the register log skips from entry \(index) to \(position): the record of a case was removed")
                } else if row["previous_hash"] as String? != previous || RegisterAudit.sha256(expected) != row["hash"] as String {
                    audit.registerProblems.append("the register log entry \(position) (case \(reference)) was altered or reordered")
                }
                previous = row["hash"]
                logged[reference] = row["first_hash"]
                if !present.contains(reference) {
                    audit.registerProblems.append("case \(reference) was removed from the register (the register log records it at entry \(position))")
                }
            }
            for reference in present.sorted() where logged[reference] == nil {
                audit.registerProblems.append("case \(reference) is in the register but not in its log: it was added outside Haul")
            }
            for referenceText in present.sorted() {
                guard let reference = try? Identifier(referenceText), only == nil || only == reference else { continue }
                audit.cases.append(try Self.auditCase(db, reference, firstHash: logged[referenceText], head: only == nil ? nil : head))
            }
            if let only, !present.contains(only.value) {
                throw StoreError(.notFound, "no case \(only) in the register (haul case list shows what is there)")
            }
            return audit
        }
    }

    static func auditCase(_ db: Database, _ reference: Identifier, firstHash: String?, head: String?) throws -> RegisterAudit.CaseResult {
        let events = try events(db, reference)
        let records = try records(db, reference)
        let chain = EventChain.merged(events, records)
        var result = RegisterAudit.CaseResult(reference: reference, events: chain.count, head: chain.last?.hash)
        if let problem = EventChain.verify(case: reference, links: chain, head: head) {
            result.problem = problem.message
            return result
        }
        if let firstHash, chain.first?.hash != firstHash {
            result.problem = "case \(reference): its chain no longer starts with the event the register log recorded; the chain was rewritten"
            return result
        }
        guard let row = try Row.fetchOne(db, sql: "SELECT document, head_sequence, head FROM case_state WHERE case_reference = ?", arguments: [reference.value]) else {
            result.problem = "case \(reference): its state row is missing"
            return result
        }
        if row["head_sequence"] as Int != chain.count || row["head"] as String? != chain.last?.hash {
            result.problem = "case \(reference): its state row records head \(row["head_sequence"] as Int), the chain ends at \(chain.count); the state row was edited"
            return result
        }
        let replayed: Case
        do { replayed = try CaseLedger.replay(reference, records: records) } catch {
            result.problem = "case \(reference): its records cannot be replayed: \(error.message)"
            return result
        }
        // The rows as stored, only the status moves (which loading adds) taken off: anything
        // else in them — a status, computed figures — is not what the records say.
        var stored = try? loadState(db, reference, scope: .all).case
        stored?.history = []
        guard let stored, stored == replayed else {
            let difference = stored.flatMap { CaseLedger.firstDifference($0, replayed) } ?? "its rows cannot be read"
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
        let rows = try Row.fetchAll(db, sql: "SELECT item_id, exhibit, kind, seizure_id, figures FROM items WHERE case_reference = ?", arguments: [reference.value])
            .map { "\($0["item_id"] as String) \($0["exhibit"] as String) \($0["kind"] as String) \($0["seizure_id"] as String) \($0["figures"] as String)" }
        if indexed.sorted() != rows.sorted() {
            result.problem = "case \(reference): its item index differs from its chain (\(rows.count) rows, \(indexed.count) items); the items table was edited"
            return result
        }
        let keys = replayed.seizures.flatMap(\.items).flatMap { item in item.lookupKeys.map { "\(item.id.value) \($0.field.rawValue) \($0.value) \($0.normalised)" } }
        let keyRows = try Row.fetchAll(db, sql: "SELECT item_id, field, value, normalised FROM item_keys WHERE case_reference = ?", arguments: [reference.value])
            .map { "\($0["item_id"] as String) \($0["field"] as String) \($0["value"] as String) \($0["normalised"] as String)" }
        if keys.sorted() != keyRows.sorted() {
            result.problem = "case \(reference): its item keys (VIN, registration, serial) differ from its chain (\(keyRows.count) rows, \(keys.count) keys); the item_keys table was edited"
        }
        return result
    }
}
