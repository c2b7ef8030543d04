import Foundation
import GRDB
import HaulCore

/// The register on SQLite: one file, WAL mode and a busy timeout so that several `haul`
/// processes can work on it at once; every write is one transaction.
///
/// ```swift
/// let register = try SQLiteRegister(path: "register.sqlite")
/// try register.open(operation, reason: "opened", recordedAt: Date())
/// let event = try register.append(draft, to: operation.reference, recordedAt: Date())
/// ```
public final class SQLiteRegister: Register, @unchecked Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the register at `path` and brings its schema up to date.
    public init(path: String, busyTimeout: TimeInterval = 30) throws(StoreError) {
        self.path = path
        do {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(busyTimeout)
            configuration.foreignKeysEnabled = true
            pool = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(pool)
        } catch {
            throw StoreError(.database, "cannot open the register at \(path): \(error)")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1 cases, documents, items, events") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    reference TEXT PRIMARY KEY NOT NULL,
                    jurisdiction TEXT NOT NULL,
                    opened_on TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE TABLE case_documents (
                    case_reference TEXT NOT NULL REFERENCES cases(reference),
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (case_reference, version)
                );
                CREATE TABLE items (
                    case_reference TEXT NOT NULL REFERENCES cases(reference),
                    item_id TEXT NOT NULL,
                    exhibit TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    seizure_id TEXT NOT NULL,
                    PRIMARY KEY (case_reference, item_id)
                );
                CREATE INDEX items_by_id ON items(item_id);
                CREATE TABLE events (
                    case_reference TEXT NOT NULL REFERENCES cases(reference),
                    sequence INTEGER NOT NULL,
                    at TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    items TEXT NOT NULL,
                    from_state TEXT,
                    to_state TEXT NOT NULL,
                    regime TEXT,
                    authority TEXT,
                    actor TEXT NOT NULL,
                    note TEXT,
                    previous_hash TEXT,
                    hash TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (case_reference, sequence)
                );
                -- Events are appended, never edited: a correction is a new event.
                CREATE TRIGGER events_are_append_only_update BEFORE UPDATE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only; record a correction as a new event'); END;
                CREATE TRIGGER events_are_append_only_delete BEFORE DELETE ON events
                    BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
                CREATE TRIGGER documents_are_append_only BEFORE UPDATE ON case_documents
                    BEGIN SELECT RAISE(ABORT, 'document versions are append-only'); END;
                """)
        }
        migrator.registerMigration("2 corrections") { db in
            // A correction names the event it replaces; the replaced event stays.
            try db.execute(sql: "ALTER TABLE events ADD COLUMN supersedes INTEGER")
        }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static func timestamp(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    /// Runs `body` in one IMMEDIATE transaction (the write lock taken up front, so two processes
    /// never both read the same chain head), turning database errors into a `StoreError`.
    private func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            var result: T?
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            return result!
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "the register could not be written (\(path)): \(error)")
        }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "the register could not be read (\(path)): \(error)")
        }
    }

    // MARK: Documents

    public func open(_ operation: Case, reason: String, recordedAt: Date) throws(StoreError) {
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [operation.reference.value]) == true {
                throw StoreError(.alreadyExists, "the register already has a case \(operation.reference); choose another reference")
            }
            try db.execute(sql: "INSERT INTO cases (reference, jurisdiction, opened_on, recorded_at) VALUES (?, ?, ?, ?)",
                           arguments: [operation.reference.value, operation.jurisdiction.rawValue, operation.openedOn.description, Self.timestamp(recordedAt)])
            try insertDocument(db, operation, reason: reason, recordedAt: recordedAt)
        }
    }

    public func save(_ operation: Case, reason: String, recordedAt: Date) throws(StoreError) {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [operation.reference.value]) == true else {
                throw StoreError(.notFound, "no case \(operation.reference) in the register; open or import it first")
            }
            try insertDocument(db, operation, reason: reason, recordedAt: recordedAt)
        }
    }

    private func insertDocument(_ db: Database, _ operation: Case, reason: String, recordedAt: Date) throws {
        var document = operation
        document.history = []  // the chain lives in the events table
        let json = String(decoding: try Self.encoder.encode(document), as: UTF8.self)
        let version = (try Int.fetchOne(db, sql: "SELECT MAX(version) FROM case_documents WHERE case_reference = ?", arguments: [operation.reference.value]) ?? 0) + 1
        try db.execute(sql: "INSERT INTO case_documents (case_reference, version, document, reason, recorded_at) VALUES (?, ?, ?, ?, ?)",
                       arguments: [operation.reference.value, version, json, reason, Self.timestamp(recordedAt)])
        // The items table is an index for finding an item's case; it follows the latest version.
        try db.execute(sql: "DELETE FROM items WHERE case_reference = ?", arguments: [operation.reference.value])
        for seizure in operation.seizures {
            for item in seizure.items {
                try db.execute(sql: "INSERT INTO items (case_reference, item_id, exhibit, kind, seizure_id) VALUES (?, ?, ?, ?, ?)",
                               arguments: [operation.reference.value, item.id.value, item.exhibit.value, item.kind.rawValue, seizure.id.value])
            }
        }
    }

    public func load(_ reference: Identifier) throws(StoreError) -> Case {
        let json: String? = try read { db in
            try String.fetchOne(db, sql: "SELECT document FROM case_documents WHERE case_reference = ? ORDER BY version DESC LIMIT 1", arguments: [reference.value])
        }
        guard let json else { throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)") }
        var operation: Case
        do { operation = try JSONDecoder().decode(Case.self, from: Data(json.utf8)) } catch {
            throw StoreError(.database, "the stored document of case \(reference) cannot be read: \(error)")
        }
        operation.history = try events(of: reference)
        return operation
    }

    public func list() throws(StoreError) -> [CaseListing] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.reference, c.jurisdiction, c.opened_on,
                       (SELECT COUNT(*) FROM items i WHERE i.case_reference = c.reference) AS items,
                       (SELECT COUNT(*) FROM events e WHERE e.case_reference = c.reference) AS events,
                       (SELECT MAX(version) FROM case_documents d WHERE d.case_reference = c.reference) AS version
                FROM cases c ORDER BY c.reference
                """).map { row in
                CaseListing(reference: try Identifier(row["reference"]), jurisdiction: row["jurisdiction"], openedOn: row["opened_on"],
                            items: row["items"], events: row["events"], version: row["version"])
            }
        }
    }

    // MARK: Events

    public func append(_ draft: EventDraft, to reference: Identifier, recordedAt: Date) throws(StoreError) -> StatusEvent {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [reference.value]) == true else {
                throw StoreError(.notFound, "no case \(reference) in the register")
            }
            let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM events WHERE case_reference = ? ORDER BY sequence DESC LIMIT 1", arguments: [reference.value])
            var event = StatusEvent(sequence: (last?["sequence"] as Int? ?? 0) + 1, at: draft.at, items: draft.items, from: draft.from, to: draft.to,
                                    regime: draft.regime, authority: draft.authority, actor: draft.actor, note: draft.note,
                                    previousHash: last?["hash"], hash: "", supersedes: draft.supersedes)
            event.hash = EventChain.hash(case: reference, event: event)
            try insert(db, event, case: reference, recordedAt: recordedAt)
            return event
        }
    }

    private func insert(_ db: Database, _ event: StatusEvent, case reference: Identifier, recordedAt: Date) throws {
        try db.execute(sql: """
            INSERT INTO events (case_reference, sequence, at, zone, items, from_state, to_state, regime, authority, actor, note, previous_hash, hash, recorded_at, supersedes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [reference.value, event.sequence, event.at.iso8601, event.at.zone, event.items.map(\.value).joined(separator: " "),
                             event.from?.rawValue, event.to.rawValue, event.regime?.value, event.authority, event.actor, event.note,
                             event.previousHash, event.hash, Self.timestamp(recordedAt), event.supersedes])
    }

    public func events(of reference: Identifier) throws(StoreError) -> [StatusEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_reference = ? ORDER BY sequence", arguments: [reference.value]).map { row in
                let items = (row["items"] as String).split(separator: " ").compactMap { try? Identifier(String($0)) }
                guard let to = State(rawValue: row["to_state"]) else {
                    throw StoreError(.database, "case \(reference): event \(row["sequence"] as Int) has an unknown state '\(row["to_state"] as String)'")
                }
                return StatusEvent(sequence: row["sequence"], at: try ZonedDateTime(parsing: row["at"], zone: row["zone"]), items: items,
                                   from: (row["from_state"] as String?).flatMap(State.init(rawValue:)), to: to,
                                   regime: (row["regime"] as String?).flatMap { try? Identifier($0) }, authority: row["authority"],
                                   actor: row["actor"], note: row["note"], previousHash: row["previous_hash"], hash: row["hash"],
                                   supersedes: row["supersedes"])
            }
        }
    }

    public func importCase(_ operation: Case, recordedAt: Date) throws(StoreError) {
        if let problem = EventChain.verify(case: operation.reference, events: operation.history) {
            throw StoreError(.brokenChain, "the case file's history does not verify, so nothing was imported: \(problem.message)")
        }
        try write { db in
            if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [operation.reference.value]) == true {
                throw StoreError(.alreadyExists, "the register already has a case \(operation.reference); nothing was imported")
            }
            try db.execute(sql: "INSERT INTO cases (reference, jurisdiction, opened_on, recorded_at) VALUES (?, ?, ?, ?)",
                           arguments: [operation.reference.value, operation.jurisdiction.rawValue, operation.openedOn.description, Self.timestamp(recordedAt)])
            try insertDocument(db, operation, reason: "imported", recordedAt: recordedAt)
            for event in operation.history { try insert(db, event, case: operation.reference, recordedAt: recordedAt) }
        }
    }

    // MARK: Look-ups

    public func locate(item: String) throws(StoreError) -> (case: Identifier, item: Identifier) {
        let parts = item.split(separator: "/", maxSplits: 1).map(String.init)
        let rows: [Row] = try read { db in
            var found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id FROM items WHERE item_id = ?", arguments: [item])
            if found.isEmpty, parts.count == 2 {
                found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id FROM items WHERE case_reference = ? AND item_id = ?", arguments: [parts[0], parts[1]])
            }
            return found
        }
        guard let row = rows.first else { throw StoreError(.notFound, "no item '\(item)' in the register (haul case show CASE lists a case's items)") }
        guard rows.count == 1 else {
            throw StoreError(.ambiguous, "item '\(item)' is in \(rows.count) cases (\(rows.map { $0["case_reference"] as String }.joined(separator: ", "))); name it as CASE/\(item)")
        }
        do { return (try Identifier(row["case_reference"]), try Identifier(row["item_id"])) } catch {
            throw StoreError(.database, error.message)
        }
    }

    public func locate(seizure: String) throws(StoreError) -> (case: Identifier, seizure: Identifier)? {
        let rows: [Row] = try read { db in
            try Row.fetchAll(db, sql: "SELECT DISTINCT case_reference, seizure_id FROM items WHERE seizure_id = ? OR case_reference || '/' || seizure_id = ?", arguments: [seizure, seizure])
        }
        guard let row = rows.first else { return nil }
        guard rows.count == 1 else {
            throw StoreError(.ambiguous, "seizure '\(seizure)' is in \(rows.count) cases; name it as CASE/\(seizure)")
        }
        do { return (try Identifier(row["case_reference"]), try Identifier(row["seizure_id"])) } catch {
            throw StoreError(.database, error.message)
        }
    }
}
