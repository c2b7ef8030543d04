import Foundation
import GRDB
import HaulCore

/// Turns a register of document versions (format 2, Haul 0.1) into one ledger per case.
///
/// Each case's document versions become `migrated` records appended after its status moves
/// (whose numbers and hashes stay as they were), each carrying its version verbatim as a
/// baseline, with the version's reason and time; the newest is the case's state. Nothing is lost:
/// every version is in the chain, and the chain now covers them.
enum LedgerMigration {
    static func migrateDocumentVersions(_ db: Database) throws {
        let cases = try Row.fetchAll(db, sql: "SELECT reference, jurisdiction FROM cases ORDER BY rowid")
        for row in cases {
            let reference = try Identifier(row["reference"] as String)
            let zone = (Jurisdiction(rawValue: row["jurisdiction"]) ?? .englandAndWales).timeZone
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM events WHERE case_reference = ? ORDER BY sequence DESC LIMIT 1",
                                        arguments: [reference.value])
            var link: (sequence: Int, hash: String?) = (last?["sequence"] ?? 0, last?["hash"])
            var state: Case?
            let versions = try Row.fetchAll(db, sql: "SELECT version, document, reason, recorded_at FROM case_documents WHERE case_reference = ? ORDER BY version",
                                            arguments: [reference.value])
            for version in versions {
                let document: String = version["document"]
                let recordedText: String = version["recorded_at"]
                let recordedAt = ISO8601DateFormatter().date(from: recordedText) ?? Date(timeIntervalSince1970: 0)
                let reason = "document version \(version["version"] as Int): \(version["reason"] as String)"
                let at = try ZonedDateTime(epochSeconds: Int(recordedAt.timeIntervalSince1970), zone: zone)
                let whole: Case
                do { whole = try JSONDecoder().decode(Case.self, from: Data(document.utf8)) } catch {
                    throw StoreError(.database, "case \(reference): document version \(version["version"] as Int) cannot be read, so the register cannot be migrated", cause: error)
                }
                state = whole
                // A version of a small case goes verbatim into one record (what was stored is
                // what is hashed); a large one is split like any record with many items.
                let payloads = whole.items.count <= CaseLedger.itemsPerRecord
                    ? ["[{\"baseline\":{\"_0\":\(document)}}]"]
                    : try CaseLedger.parts([.baseline(whole)]).map { try CaseLedger.payload($0) }
                for (index, payload) in payloads.enumerated() {
                    var record = RecordEvent(sequence: link.sequence + 1, kind: "migrated", at: at, actor: "haul (register migration)",
                                             reason: payloads.count == 1 ? reason : "\(reason) (part \(index + 1) of \(payloads.count))",
                                             payload: payload, previousHash: link.hash, hash: "")
                    record.hash = EventChain.hash(case: reference, record: record)
                    try db.execute(sql: """
                        INSERT INTO records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [reference.value, record.sequence, record.kind, record.at.iso8601, record.at.zone, record.actor, record.reason,
                                         record.payload, record.previousHash, record.hash, recordedText])
                    link = (record.sequence, record.hash)
                }
            }
            guard let state, let head = link.hash else {
                throw StoreError(.database, "case \(reference) has no stored document to migrate")
            }
            try SQLiteRegister.writeState(db, state, head: (link.sequence, head), reindex: true)
            let first = try String.fetchOne(db, sql: """
                SELECT hash FROM (SELECT sequence, hash FROM events WHERE case_reference = ?1 UNION ALL SELECT sequence, hash FROM records WHERE case_reference = ?1)
                ORDER BY sequence LIMIT 1
                """, arguments: [reference.value]) ?? head
            try SQLiteRegister.logCase(db, reference, firstHash: first, recordedAt: Date())
        }
    }
}
