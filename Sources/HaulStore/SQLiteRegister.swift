import Foundation
import GRDB
import GRDBSQLite
import HaulCore

/// The register on SQLite: one file, WAL mode and a busy timeout so that several `haul`
/// processes can work on it at once.
///
/// Every case is one hash chain of events (`events` holds its status moves, `records` every
/// other change) and its current state is a row derived from them (`case_state`, with the
/// `items` index beside it), updated in the same IMMEDIATE transaction that appends the event.
/// A write reads what it depends on inside that transaction, so two processes can never both
/// act on the same state. `register_log` chains the cases themselves, so a case removed from
/// the register is noticed.
///
/// ```swift
/// let register = try SQLiteRegister(path: "register.sqlite")
/// try register.open(operation, actor: "DC 4471", reason: "opened", recordedAt: Date())
/// try register.record("SW-1", kind: "person-added", actor: "DC 4471", reason: "P-1 added", recordedAt: Date()) { _ in
///     [.personAdded(person)]
/// }
/// ```
public final class SQLiteRegister: Register, @unchecked Sendable {
    /// The connections: a pool (WAL, readers beside the writer) for a register in use; one
    /// connection for a register being built by an import before anyone else can open it.
    let pool: any DatabaseWriter
    /// The SQLite file's path, as given when the register was opened.
    public let path: String
    /// Where the register is, for messages: the file's path.
    public var location: String { path }

    /// The register format this Haul writes and reads; a register of a later format is refused.
    public static let format = 8
    /// The page size of a new register's file. Each page goes into the WAL as a frame of the page
    /// plus a 24-byte header, so with SQLite's default 4,096-byte pages every frame starts and
    /// ends inside one of the kernel's pages, each written partly; with 16 KiB pages two of every
    /// five kernel pages are, and a large import spends far less time in the kernel.
    static let pageSize = 16_384
    /// This Haul's version, recorded in the register it writes.
    public static let haulVersion = HaulVersion.current

    /// Opens the register at `path`, migrating one made by an earlier Haul.
    ///
    /// - Parameters:
    ///   - path: The SQLite file.
    ///   - create: When false (every command that only reads), a missing file is an error and
    ///     nothing is created.
    ///   - mustExist: With `create` true, refuse a missing register rather than make one (a
    ///     command that records into an existing case leaves nothing behind when there is none).
    ///   - busyTimeout: How long a write waits for another process's transaction to end before
    ///     it gives up with `.database`.
    /// - Throws: ``StoreError`` `.notFound` for a missing register, `.newerFormat` for one
    ///   written by a later Haul, `.needsUpgrade` when `create` is false and the register was
    ///   made by an earlier Haul, `.database` for anything SQLite reports.
    ///
    /// With `create` false the register is opened read-only: nothing a reader does can change it.
    public convenience init(path: String, create: Bool = true, mustExist: Bool = false, busyTimeout: TimeInterval = 30) throws(StoreError) {
        try self.init(path: path, create: create, mustExist: mustExist, busyTimeout: busyTimeout, staging: false)
    }

    /// `staging`: a register no other process knows of yet (see ``importCase(intoNewRegisterAt:actor:recordedAt:provenance:streaming:)``),
    /// opened on one connection with its rollback journal in memory and no syncing, so each page is written once.
    init(path: String, create: Bool, mustExist: Bool, busyTimeout: TimeInterval, staging: Bool) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if exists && isFolder.boolValue {
            throw StoreError(.invalid, "\(path) is a folder; name the register's file, such as \(URL(fileURLWithPath: path).appendingPathComponent("register.sqlite").path)")
        }
        if !create || mustExist, !exists {
            throw StoreError(.notFound, "there is no register at \(path); `haul case open` or `haul import` creates one (or set --db / HAUL_DB)")
        }
        if exists { try Self.refuseForeign(path, emptyAllowed: create && !mustExist) }
        // A register made in an empty file someone named is private too, as a new one is.
        if exists && create, (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0, chmod(path, 0o600) != 0 {
            throw StoreError(.io, "cannot make the register at \(path) private: \(String(cString: strerror(errno)))")
        }
        if create {
            do {
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw StoreError(.io, "cannot make the folder for the register at \(path)", cause: error)
            }
            // A register holds people's names: a new one is readable by its owner alone (SQLite
            // gives its -wal and -shm files the same mode), whatever the umask. Created in place
            // and only if absent, so two processes making the same register never replace the
            // file the other has begun to write.
            let descriptor = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if descriptor >= 0 {
                let changed = fchmod(descriptor, 0o600)
                let reason = errno
                close(descriptor)
                guard changed == 0 else { throw StoreError(.io, "cannot make the register at \(path) private: \(String(cString: strerror(reason)))") }
            } else if errno != EEXIST {
                throw StoreError(.io, "cannot create the register at \(path): \(String(cString: strerror(errno)))")
            }
        }
        do {
            var configuration = Configuration()
            // SQLite's own busy timeout sleeps in steps growing to 100 ms, so under steady
            // contention a waiting writer keeps losing the lock to one that just arrived (three
            // writers took 97 s for 900 writes). Short random sleeps share the lock fairly.
            let attempts = Int(busyTimeout * 1_000)
            configuration.busyMode = .callback { tries in
                usleep(UInt32.random(in: 200...1_800))
                return tries < attempts
            }
            configuration.foreignKeysEnabled = true
            configuration.readonly = !create
            if create {
                // Before the file gets WAL mode: a new register gets pages of `pageSize` bytes. A
                // no-op on an existing one, whose size a WAL file can no longer change.
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)") }
            }
            if staging {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                try queue.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = MEMORY")
                    try db.execute(sql: "PRAGMA synchronous = OFF")
                }
                pool = queue
            } else {
                pool = try DatabasePool(path: path, configuration: configuration)
            }
        } catch {
            throw StoreError(.database, "cannot open the register at \(path)", cause: error)
        }
        try refuseNewer()
        if !create {
            let current: Bool
            do { current = try pool.read { try Self.migrator.hasCompletedMigrations($0) } } catch {
                throw StoreError(.database, "cannot read the register at \(path)", cause: error)
            }
            guard current else {
                throw StoreError(.needsUpgrade, "the register at \(path) was made by an earlier Haul; run `haul upgrade` once (it turns each stored version into an event of the case's chain and loses nothing), then try again")
            }
            return
        }
        do { try Self.migrator.migrate(pool) } catch {
            throw StoreError(.database, "cannot bring the register at \(path) up to date", cause: error)
        }
    }

    /// Refuses a file that is not a Haul register before anything opens it for writing (which
    /// would switch another program's database to WAL and add Haul's tables to it): a file that is
    /// not SQLite at all (`.database`, as a damaged register is), an SQLite database with none of
    /// Haul's tables (`.invalid`), and an empty file unless a register is being made in it.
    static func refuseForeign(_ path: String, emptyAllowed: Bool) throws(StoreError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // SQLite says why when it opens
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        try? handle.close()
        if header.isEmpty {
            if emptyAllowed { return }
            throw StoreError(.notFound, "the file at \(path) is empty, not a Haul register; `haul case open` or `haul import` makes one (or set --db / HAUL_DB)")
        }
        guard header == Data("SQLite format 3\0".utf8) else {
            throw StoreError(.database, "the file at \(path) is not a Haul register: it is not an SQLite database, or its first page is damaged; nothing was changed")
        }
        let tables: [String]
        do {
            var configuration = Configuration()
            configuration.readonly = true
            // A writer busy with the file is waited for, as the register's own connections wait.
            configuration.busyMode = .timeout(30)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            tables = try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") }
            try queue.close()
        } catch {
            throw StoreError(.database, "cannot read the register at \(path)", cause: error)
        }
        // Every register, from 0.1.0 on, has its cases table and GRDB's migrations table (which
        // any program using GRDB has too); a database with tables and not both is another
        // program's. One with no tables yet is a register about to be made.
        if !tables.isEmpty && !(tables.contains("cases") && tables.contains("grdb_migrations")) {
            throw StoreError(.invalid, "the file at \(path) is an SQLite database but not a Haul register (it has none of Haul's tables); nothing was changed")
        }
    }

    /// A register written by a later Haul may hold fields this one would drop: refuse it.
    private func refuseNewer() throws(StoreError) {
        let found: (format: Int, writtenBy: String, superseded: Bool)?
        do {
            found = try pool.read { db in
                let superseded = try Self.migrator.hasBeenSuperseded(db)
                guard try db.tableExists("haul_register") else { return superseded ? (Self.format + 1, "a later Haul", true) : nil }
                let row = try Row.fetchOne(db, sql: "SELECT format, written_by FROM haul_register")
                return (row?["format"] ?? Self.format, row?["written_by"] ?? "unknown", superseded)
            }
        } catch {
            throw StoreError(.database, "cannot read the register at \(path)", cause: error)
        }
        if let found, found.format > Self.format || found.superseded {
            throw StoreError(.newerFormat, "the register at \(path) was written by Haul \(found.writtenBy) (register format \(found.format)); this is Haul \(Self.haulVersion), which reads formats up to \(Self.format). Use the newer Haul; nothing was changed")
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
        migrator.registerMigration("3 one ledger per case") { db in
            try db.execute(sql: """
                CREATE TABLE records (
                    case_reference TEXT NOT NULL REFERENCES cases(reference),
                    sequence INTEGER NOT NULL,
                    kind TEXT NOT NULL,
                    at TEXT NOT NULL,
                    zone TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    previous_hash TEXT,
                    hash TEXT NOT NULL,
                    recorded_at TEXT NOT NULL,
                    PRIMARY KEY (case_reference, sequence)
                );
                CREATE TRIGGER records_are_append_only_update BEFORE UPDATE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only; record a correction as a new event'); END;
                CREATE TRIGGER records_are_append_only_delete BEFORE DELETE ON records
                    BEGIN SELECT RAISE(ABORT, 'records are append-only'); END;
                -- The current state of each case, derived from its records; head is the chain's newest hash.
                CREATE TABLE case_state (
                    case_reference TEXT PRIMARY KEY NOT NULL REFERENCES cases(reference),
                    document TEXT NOT NULL,
                    head_sequence INTEGER NOT NULL,
                    head TEXT NOT NULL
                );
                -- The cases themselves, chained: a case removed from the register breaks this chain.
                CREATE TABLE register_log (
                    position INTEGER PRIMARY KEY NOT NULL,
                    case_reference TEXT NOT NULL,
                    first_hash TEXT NOT NULL,
                    previous_hash TEXT,
                    hash TEXT NOT NULL,
                    recorded_at TEXT NOT NULL
                );
                CREATE TRIGGER register_log_is_append_only_update BEFORE UPDATE ON register_log
                    BEGIN SELECT RAISE(ABORT, 'the register log is append-only'); END;
                CREATE TRIGGER register_log_is_append_only_delete BEFORE DELETE ON register_log
                    BEGIN SELECT RAISE(ABORT, 'the register log is append-only'); END;
                CREATE TABLE haul_register (format INTEGER NOT NULL, written_by TEXT NOT NULL);
                -- Items as rows: each item's stored form, where it stands (its seizure's place in
                -- the case, its own place), so a change rewrites only the items it touches.
                ALTER TABLE items ADD COLUMN seizure_position INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE items ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE items ADD COLUMN document TEXT NOT NULL DEFAULT '';
                -- Added here too (as well as by "6 item figures and keys") because the rows below are written by today's code.
                ALTER TABLE items ADD COLUMN figures TEXT NOT NULL DEFAULT '';
                \(itemKeysTable)
                CREATE INDEX items_in_order ON items(case_reference, seizure_position, position);
                CREATE UNIQUE INDEX items_by_exhibit ON items(case_reference, exhibit);
                CREATE INDEX items_by_seizure ON items(seizure_id, case_reference);
                """)
            try db.execute(sql: "INSERT INTO haul_register (format, written_by) VALUES (?, ?)", arguments: [format, haulVersion])
            try LedgerMigration.migrateDocumentVersions(db)
            try db.execute(sql: "DROP TRIGGER documents_are_append_only; DROP TABLE case_documents")
        }
        migrator.registerMigration("4 late moves") { db in
            // A move made after its deadline carries the reason it was late (part of its hash).
            try db.execute(sql: "ALTER TABLE events ADD COLUMN late TEXT")
            try stampFormat(db)
        }
        migrator.registerMigration("5 provenance") { db in
            // Where an imported case came from and what its signature showed, kept beside the chain
            // (which stays exactly the file's); appended, never edited.
            try db.execute(sql: """
                CREATE TABLE provenance (
                    case_reference TEXT NOT NULL REFERENCES cases(reference),
                    recorded_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    note TEXT NOT NULL
                );
                CREATE INDEX provenance_by_case ON provenance(case_reference);
                CREATE TRIGGER provenance_is_append_only_update BEFORE UPDATE ON provenance
                    BEGIN SELECT RAISE(ABORT, 'provenance is append-only'); END;
                CREATE TRIGGER provenance_is_append_only_delete BEFORE DELETE ON provenance
                    BEGIN SELECT RAISE(ABORT, 'provenance is append-only'); END;
                """)
            try stampFormat(db)
        }
        migrator.registerMigration("6 item figures and keys") { db in
            // Each item's figures for a seizure's minimum beside its row, so a move reads its
            // seizure's figures without decoding every item (see ItemFigures); and the keys
            // officers find items by (VIN, registration, serial), indexed.
            if try !db.columns(in: "items").contains(where: { $0.name == "figures" }) {
                try db.execute(sql: "ALTER TABLE items ADD COLUMN figures TEXT NOT NULL DEFAULT ''")
            }
            try db.execute(sql: itemKeysTable)
            try db.execute(sql: "DELETE FROM item_keys")
            // The same uniqueness (an exhibit once per case), led by the exhibit so a label is found in any case.
            try db.execute(sql: "DROP INDEX items_by_exhibit; CREATE UNIQUE INDEX items_by_exhibit ON items(exhibit, case_reference)")
            let update = try db.makeStatement(sql: "UPDATE items SET figures = ? WHERE case_reference = ? AND item_id = ?")
            // A thousand rows at a time, in rowid order: a register of a million items is never held
            // in memory at once, and no row is updated while a query over its table is open.
            var after: Int64 = 0
            while true {
                let rows = try Row.fetchAll(db, sql: "SELECT rowid, case_reference, item_id, document FROM items WHERE rowid > ? ORDER BY rowid LIMIT 1000",
                                            arguments: [after])
                guard let last = rows.last else { break }
                for row in rows {
                    let reference: String = row["case_reference"]
                    let item = try decodeItem(row["document"], case: reference)
                    try update.execute(arguments: [ItemFigures(item).storedText, reference, row["item_id"] as String])
                    try insertKeys(db, reference, item)
                }
                after = last["rowid"]
            }
            try stampFormat(db)
        }
        migrator.registerMigration("7 proceedings") { db in
            // No table changes: the case's proceedings live in its state row and its records. The
            // format moves on so an earlier Haul, which would drop them, refuses the register.
            try stampFormat(db)
        }
        migrator.registerMigration("8 status moves by seizure") { db in
            // A move loads the status moves of its own seizures, not the case's whole history.
            // The format moves on with the new table (an earlier Haul refuses the register: it
            // does not know this migration).
            try db.execute(sql: eventSeizuresTable)
            try db.execute(sql: """
                INSERT OR IGNORE INTO event_seizures (case_reference, seizure_id, sequence)
                    SELECT e.case_reference, i.seizure_id, e.sequence FROM events e CROSS JOIN \(namedItems("e.items")) AS named
                    CROSS JOIN items i ON i.case_reference = e.case_reference AND i.item_id = named.value
                """)
            try stampFormat(db)
        }
        return migrator
    }

    /// The item ids of a status move's `items` column (ids separated by spaces) as a table:
    /// identifiers hold no quote, backslash or space, so they make a JSON array as they are.
    /// Joined to `items` with CROSS JOIN, which keeps the ids the outer loop: left to itself
    /// SQLite's planner walks every item of the case for each id (measured: the migration of a
    /// million-item register ran 8 minutes before it was stopped; 0.9 s this way).
    static func namedItems(_ column: String) -> String {
        "json_each('[\"' || replace(\(column), ' ', '\",\"') || '\"]')"
    }

    /// Which seizures each status move names items of, kept by a trigger as each move is
    /// appended (whichever code appends it) and checked by the audit against the chain.
    static let eventSeizuresTable = """
        CREATE TABLE event_seizures (
            case_reference TEXT NOT NULL,
            seizure_id TEXT NOT NULL,
            sequence INTEGER NOT NULL,
            PRIMARY KEY (case_reference, seizure_id, sequence)
        ) WITHOUT ROWID;
        CREATE TRIGGER events_by_seizure AFTER INSERT ON events BEGIN
            INSERT OR IGNORE INTO event_seizures (case_reference, seizure_id, sequence)
                SELECT NEW.case_reference, i.seizure_id, NEW.sequence FROM \(namedItems("NEW.items")) AS named
                CROSS JOIN items i ON i.case_reference = NEW.case_reference AND i.item_id = named.value;
        END;
        """

    /// The keys officers find items by besides id and exhibit (``ItemKey``), derived from the items.
    static let itemKeysTable = """
        CREATE TABLE IF NOT EXISTS item_keys (
            case_reference TEXT NOT NULL REFERENCES cases(reference),
            item_id TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL,
            normalised TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS item_keys_by_key ON item_keys(normalised);
        CREATE INDEX IF NOT EXISTS item_keys_by_item ON item_keys(case_reference, item_id);
        """

    /// Writes `item`'s keys (after its old ones were removed, for an item replaced).
    static func insertKeys(_ db: Database, _ reference: String, _ item: Item) throws {
        for key in item.lookupKeys {
            try db.execute(sql: "INSERT INTO item_keys (case_reference, item_id, field, value, normalised) VALUES (?, ?, ?, ?, ?)",
                           arguments: [reference, item.id.value, key.field.rawValue, key.value, key.normalised])
        }
    }

    /// Records that the register is now in this Haul's format (each migration after the ledger's ends with it).
    static func stampFormat(_ db: Database) throws {
        try db.execute(sql: "UPDATE haul_register SET format = ?, written_by = ?", arguments: [format, haulVersion])
    }

    static func timestamp(_ date: Date) -> String { LedgerWriting.timestamp(date) }

    /// Runs `body` in one IMMEDIATE transaction (the write lock taken up front, so two processes
    /// never both read the same chain head). Errors from `body` pass through as they are;
    /// database errors become a `StoreError`.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            var result: T?
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
            }
            return result!
        } catch let error as DatabaseError {
            throw StoreError(.database, "the register could not be written (\(path))", cause: error)
        }
    }

    /// ``write(_:)`` for bodies that throw only `StoreError`.
    func storeWrite<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(.database, "the register could not be written (\(path))", cause: error)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try pool.read(body) } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "the register could not be read (\(path))", cause: error)
        }
    }

    // MARK: Writing the ledger

    /// Opens a new case: its first record carries the header.
    @discardableResult
    public func open(_ operation: Case, actor: String, reason: String, recordedAt: Date) throws(StoreError) -> RecordEvent {
        try storeWrite { db in
            try Self.refuseExisting(db, operation.reference, "choose another reference")
            try Self.insertCaseRow(db, operation, recordedAt: recordedAt)
            let (header, changes) = LedgerWriting.openingChanges(operation)
            var state = Case(reference: operation.reference, jurisdiction: operation.jurisdiction, openedOn: operation.openedOn, agencies: [], seizures: [])
            let record = try Self.appendRecords(db, to: &state, kind: "opened", actor: actor, reason: reason, changes: [.opened(header)],
                                                recordedAt: recordedAt, link: (0, nil))[0]
            try Self.logCase(db, operation.reference, firstHash: record.hash, recordedAt: recordedAt)
            // The rest of what the caller gave (seizures, people, inputs) follows as its own records.
            var last = record
            if !changes.isEmpty {
                last = try Self.appendRecords(db, to: &state, kind: "intake", actor: actor, reason: "opened with its seizures", changes: changes,
                                              recordedAt: recordedAt, link: (record.sequence, record.hash)).last!
            }
            try Self.writeState(db, state, head: (last.sequence, last.hash), reindex: true)
            return record
        }
    }

    /// Records a change to a case as one event of its chain.
    ///
    /// `plan` runs inside the IMMEDIATE transaction that appends the event, with the case as it
    /// stands now (its status moves in `history`: with a scope narrower than `all`, those of the
    /// seizures it loads), so every check it makes (the item exists,
    /// the id is free, the shares add up) holds when the event is written. It returns the
    /// changes to record; throwing records nothing.
    ///
    /// - Parameters:
    ///   - reference: The case changed.
    ///   - kind: The record's kind, e.g. `person-added` (what the change is, in a word).
    ///   - actor: Who records it.
    ///   - reason: Why, as the record keeps it.
    ///   - recordedAt: When it is recorded (the register's clock, not when it happened).
    ///   - scope: The items `plan` needs to see (all of them by default); the case it gets holds
    ///     every seizure, person and input, but only those items.
    ///   - plan: Given the case as it stands inside the transaction, the changes to record.
    /// - Returns: The records appended (one, or several when the change carries many items)
    ///   and the case as it now stands (in `scope`).
    @discardableResult
    public func record(_ reference: Identifier, kind: String, actor: String, reason: String, recordedAt: Date, scope: LoadScope = .all,
                       _ plan: (Case) throws -> [CaseChange]) throws -> (records: [RecordEvent], case: Case) {
        try write { db in
            var state = try Self.loadState(db, reference, scope: scope)
            let changes = try plan(state.case)
            try LedgerWriting.refuseUnchainedState(changes, loaded: state.case) { needles, before, limit in
                try Self.records(db, reference, containingAny: needles, before: before, limit: limit)
            }
            // A change that rewrites every row needs every item in hand.
            if scope != .all, changes.contains(where: { if case .opened = $0 { true } else if case .baseline = $0 { true } else { false } }) {
                throw StoreError(.database, "a change of the whole case was planned without the whole case (scope \(scope)); nothing was recorded")
            }
            try Self.checkNewItems(db, reference, changes)
            let records = try Self.appendRecords(db, to: &state.case, kind: kind, actor: actor, reason: reason, changes: changes,
                                                 recordedAt: recordedAt, link: state.head)
            guard let last = records.last else { throw StoreError(.invalid, "the planned change records nothing (no items, no change to the case); nothing was written") }
            try Self.applyToRows(db, changes, state: state.case, head: (last.sequence, last.hash))
            return (records, state.case)
        }
    }

    /// Moves items: `plan` runs inside the IMMEDIATE transaction that appends the move, with the
    /// case and its status history as they stand now, and returns the move (or throws to refuse
    /// it). Two processes can therefore never both move an item out of the same state.
    @discardableResult
    public func move(_ reference: Identifier, recordedAt: Date, scope: LoadScope = .all,
                     _ plan: (Case, any SeizureFigures) throws -> EventDraft) throws -> (event: StatusEvent, case: Case) {
        try write { db in
            var state = try Self.loadState(db, reference, scope: scope)
            let draft = try plan(state.case, SQLiteSeizureFigures(db: db, reference: reference))
            let event = LedgerWriting.statusEvent(draft, case: reference, after: state.head)
            try Self.insert(db, event, case: reference, recordedAt: recordedAt)
            try db.execute(sql: "UPDATE case_state SET head_sequence = ?, head = ? WHERE case_reference = ?",
                           arguments: [event.sequence, event.hash, reference.value])
            state.case.history.append(event)
            return (event, state.case)
        }
    }

    /// Imports a large case file as it is read: `read` (the case-file reader's stream in the
    /// command line) hands each item over as soon as it is read, and it goes straight into its
    /// row, so memory stays flat however many items the file holds. Everything happens in one
    /// transaction: a file found wrong anywhere, or whose chain does not verify, leaves the
    /// register as it was.
    ///
    /// A file with records must replay to its body (checked against the rows); a file with
    /// status moves only gets its body recorded after them as `imported` records of at most
    /// `CaseLedger.itemsPerRecord` items each, built from the rows just written.
    ///
    /// - Returns: The case without its items, how many items it has and how many events its chain.
    @discardableResult
    public func importCase(actor: String, recordedAt: Date, provenance: String? = nil,
                           streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case) throws -> (case: Case, items: Int, events: Int) {
        try write { db in
            // Items arrive before the case's own row can be written (its header is read first,
            // but handed over with the rest at the end): foreign keys are checked at commit.
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            // A million rows and four indexes: a 64 MB page cache instead of SQLite's 2 MB keeps
            // the indexes' pages at hand (measured: 1M items 118 s with the default).
            try db.execute(sql: "PRAGMA cache_size = -65536")
            var reference: Identifier?
            // The parse (and mapping each item) runs here; encoding each item and writing its row
            // run on a second thread, batches passing through a short queue. The connection is
            // used by one thread at a time: this one touches it again only after the writer ends.
            let writer = ItemRowWriter(db: db)
            var batch: [ItemRowWriter.Pending] = []
            let operation: Case
            do {
                operation = try read { caseReference, seizurePosition, seizure, item in
                    if reference == nil {
                        try Self.refuseExisting(db, caseReference, "nothing was imported")
                        reference = caseReference
                        writer.start(reference: caseReference.value)
                    }
                    batch.append(ItemRowWriter.Pending(seizurePosition: seizurePosition, seizure: seizure.value, item: item))
                    if batch.count == ItemRowWriter.Queue.batchSize {
                        try writer.put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try writer.put(batch) }
                try writer.finish()
            } catch {
                writer.cancel()
                throw error
            }
            let position = writer.written
            if let problem = EventChain.verify(case: operation.reference, events: operation.history, records: operation.records) {
                throw StoreError(.brokenChain, "the case file's history does not verify, so nothing was imported: \(problem.message)")
            }
            if reference == nil { try Self.refuseExisting(db, operation.reference, "nothing was imported") }
            try Self.insertCaseRow(db, operation, recordedAt: recordedAt)
            for event in operation.history { try Self.insert(db, event, case: operation.reference, recordedAt: recordedAt) }
            for record in operation.records { try Self.insert(db, record, case: operation.reference, recordedAt: recordedAt) }
            var head = operation.chain.last.map { ($0.sequence, $0.hash) } ?? (0, nil)
            var first = operation.chain.first?.hash
            if operation.records.isEmpty {
                // The skeleton first (the body's record reads the rows through it), its head after.
                try Self.writeSkeleton(db, operation, head: (head.0, head.1 ?? ""))
                let body = try Self.recordImportedBody(db, operation, items: position, actor: actor, recordedAt: recordedAt, link: head)
                head = body.last
                first = first ?? body.first
            }
            try Self.writeSkeleton(db, operation, head: (head.0, head.1!))
            if !operation.records.isEmpty {
                let replayed: Case
                do { replayed = try CaseLedger.replay(operation.reference, records: operation.records) } catch {
                    throw StoreError(.brokenChain, "the case file's records cannot be replayed, so nothing was imported: \(error: error)")
                }
                if let difference = LedgerWriting.bodyDifference(replayed: replayed, body: try Self.loadState(db, operation.reference, scope: .all).case) {
                    throw StoreError(.brokenChain, "the case file's body is not what its records describe (it differs in \(difference): the body or a record was changed), so nothing was imported")
                }
                // The rows hold the chain's exact figures, not the file's rounded ones.
                try Self.writeState(db, replayed, head: (head.0, head.1!), reindex: true)
            }
            try Self.logCase(db, operation.reference, firstHash: first ?? head.1!, recordedAt: recordedAt)
            if let provenance {
                try db.execute(sql: "INSERT INTO provenance (case_reference, recorded_at, actor, note) VALUES (?, ?, ?, ?)",
                               arguments: [operation.reference.value, Self.timestamp(recordedAt), actor, provenance])
            }
            return (operation, position, head.0)
        }
    }

    /// Records the body of a file that carries status moves only (see ``LedgerWriting/importedBody``).
    static func recordImportedBody(_ db: Database, _ operation: Case, items: Int, actor: String, recordedAt: Date,
                                   link: (Int, String?)) throws -> (first: String?, last: (Int, String?)) {
        try LedgerWriting.importedBody(operation, items: items, actor: actor, link: link, recordedAt: recordedAt,
            seizures: { try loadState(db, operation.reference, scope: .all).case.seizures },
            forEachItemRow: { visit in
                try ItemRowSource(db: db, reference: operation.reference.value).forEachRow { seizure, document in
                    try visit(seizure, String(decoding: document, as: UTF8.self))
                }
            },
            insert: { record in try insert(db, record, case: operation.reference, recordedAt: recordedAt) })
    }

    // MARK: Reading

    /// The case as it stands: its state, its status moves and its records.
    public func load(_ reference: Identifier) throws(StoreError) -> Case {
        try read { db in
            var operation = try Self.loadState(db, reference).case
            operation.records = try Self.records(db, reference)
            return operation
        }
    }

    /// The case's state and status moves, without its records (what writes and most reads
    /// need); with a narrower `scope`, only some of its items and the moves of their seizures.
    public func loadState(_ reference: Identifier, scope: LoadScope = .all) throws(StoreError) -> Case {
        try read { db in try Self.loadState(db, reference, scope: scope).case }
    }

    /// One line for each case in the register, in order of reference.
    ///
    /// - Returns: The cases' lines; empty for an empty register.
    /// - Throws: `StoreError` when the register cannot be read.
    public func list() throws(StoreError) -> [CaseListing] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT c.reference, c.jurisdiction, c.opened_on,
                       (SELECT COUNT(*) FROM items i WHERE i.case_reference = c.reference) AS items,
                       (SELECT head_sequence FROM case_state s WHERE s.case_reference = c.reference) AS events
                FROM cases c ORDER BY c.reference
                """).map { row in
                CaseListing(reference: try Identifier(row["reference"]), jurisdiction: row["jurisdiction"], openedOn: row["opened_on"],
                            items: row["items"], events: row["events"] ?? 0, version: row["events"] ?? 0)
            }
        }
    }

    /// One case's line of the list.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its line, or nil when the register has no such case.
    /// - Throws: `StoreError` when the register cannot be read.
    public func listing(of reference: Identifier) throws(StoreError) -> CaseListing? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.reference, c.jurisdiction, c.opened_on,
                       (SELECT COUNT(*) FROM items i WHERE i.case_reference = c.reference) AS items,
                       (SELECT head_sequence FROM case_state s WHERE s.case_reference = c.reference) AS events
                FROM cases c WHERE c.reference = ?
                """, arguments: [reference.value]).map { row in
                CaseListing(reference: try Identifier(row["reference"]), jurisdiction: row["jurisdiction"], openedOn: row["opened_on"],
                            items: row["items"], events: row["events"] ?? 0, version: row["events"] ?? 0)
            }
        }
    }

    /// The case's jurisdiction, read from its row alone (not its state or moves).
    ///
    /// - Parameter reference: the case.
    /// - Returns: The jurisdiction the case was opened under.
    /// - Throws: `StoreError` `.notFound` when there is no such case, `.database` when the stored
    ///   code is not one this Haul knows.
    public func jurisdiction(of reference: Identifier) throws(StoreError) -> Jurisdiction {
        let code: String? = try read { db in try String.fetchOne(db, sql: "SELECT jurisdiction FROM cases WHERE reference = ?", arguments: [reference.value]) }
        guard let code else { throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)") }
        guard let jurisdiction = Jurisdiction(rawValue: code) else { throw StoreError(.database, "case \(reference) has jurisdiction '\(code)', which this Haul does not know; run haul audit") }
        return jurisdiction
    }

    /// The case's status moves, in sequence order.
    public func events(of reference: Identifier) throws(StoreError) -> [StatusEvent] {
        try read { db in
            try Self.requireCase(db, reference)
            return try Self.events(db, reference)
        }
    }

    /// What was kept of where the case came from when it was imported, oldest first.
    ///
    /// - Parameter reference: the case.
    /// - Returns: The provenance notes; empty when none were kept (or there is no such case).
    /// - Throws: `StoreError` when the register cannot be read.
    public func provenance(of reference: Identifier) throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT note FROM provenance WHERE case_reference = ? ORDER BY rowid", arguments: [reference.value])
        }
    }

    /// The case's records (every change other than a status move), in sequence order.
    public func records(of reference: Identifier) throws(StoreError) -> [RecordEvent] {
        try read { db in
            try Self.requireCase(db, reference)
            return try Self.records(db, reference)
        }
    }

    // MARK: Look-ups

    /// The item `text` names: an item id, an exhibit label (as written, in capitals, or in any
    /// mix of capitals), a vehicle's VIN or registration, a watch's serial number, or any of
    /// those as `CASE/ITEM`.
    ///
    /// - Parameter text: what names the item.
    /// - Returns: Where the item is, and what matched when it was not the item's id.
    /// - Throws: `StoreError` `.notFound` when nothing matches, `.ambiguous` (listing each) when
    ///   several items do.
    public func locate(item text: String) throws(StoreError) -> ItemLocation {
        let key = Item.normalisedKey(text)
        let rows: [Row] = try read { db in
            // Haul's id first, then the exhibit label as written and in capitals, then a VIN,
            // registration or serial number; then CASE/ITEM, ITEM being any of those.
            func lookup(_ needle: String, in reference: String?, exhaustive: Bool) throws -> [Row] {
                let scope = reference == nil ? "" : " AND case_reference = ?"
                func arguments(_ value: String) -> StatementArguments { StatementArguments([value] + (reference.map { [$0] } ?? [])) }
                var found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id, exhibit, NULL AS field FROM items WHERE item_id = ?\(scope)", arguments: arguments(needle))
                if found.isEmpty {
                    found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE exhibit = ?\(scope)", arguments: arguments(needle))
                }
                if found.isEmpty, needle.uppercased() != needle {
                    found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE exhibit = ?\(scope)",
                                             arguments: arguments(needle.uppercased()))
                }
                if found.isEmpty, exhaustive {
                    // Any mix of capitals (a label recorded as js/4, typed JS/4): no index serves
                    // this, so it is the last way of the label tried.
                    found = try Row.fetchAll(db, sql: "SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE exhibit = ? COLLATE NOCASE\(scope)",
                                             arguments: arguments(needle))
                }
                if found.isEmpty {
                    found = try Row.fetchAll(db, sql: """
                        SELECT k.case_reference, k.item_id, i.exhibit, k.field || ' ' || k.value AS field FROM item_keys k
                        JOIN items i ON i.case_reference = k.case_reference AND i.item_id = k.item_id
                        WHERE k.normalised = ?\(reference == nil ? "" : " AND k.case_reference = ?")
                        """, arguments: arguments(Item.normalisedKey(needle)))
                }
                return found
            }
            return try LedgerWriting.locateOrder(text, searchable: !key.isEmpty, lookup)
        }
        guard let row = rows.first else {
            throw StoreError(.notFound, "no item '\(personal: text)' in the register: not an item id, exhibit label, VIN, registration or serial number of any case (haul find TEXT searches descriptions too)")
        }
        guard rows.count == 1 else {
            let candidates = rows.map { "\($0["case_reference"] as String)/\($0["item_id"] as String) (exhibit \($0["exhibit"] as String))" }
            throw StoreError(.ambiguous, "'\(personal: text)' names \(rows.count) items: \(candidates.joined(separator: ", ")); name one as CASE/ITEM")
        }
        do {
            return ItemLocation(case: try Identifier(row["case_reference"]), item: try Identifier(row["item_id"]), exhibit: row["exhibit"], matched: row["field"])
        } catch {
            throw StoreError(.database, "a stored item or seizure row cannot be read; run haul audit", cause: error)
        }
    }

    /// Item ids starting with `prefix`, in every case (for shell completion), at most `limit`.
    public func itemIDs(startingWith prefix: String, limit: Int) throws(StoreError) -> [String] {
        let pattern = prefix.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        return try read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT item_id FROM items WHERE item_id LIKE ? ESCAPE '\\' ORDER BY item_id LIMIT ?", arguments: [pattern, limit])
        }
    }

    /// Items of every case whose id, exhibit label, description, VIN, registration or serial
    /// number contains `text` (ASCII letters compared without regard to case), in case and item order.
    ///
    /// - Parameters:
    ///   - text: what to search for.
    ///   - limit: the most items to return.
    /// - Returns: At most `limit` items, and how many matched in all.
    /// - Throws: `StoreError` when the register cannot be read.
    public func find(_ text: String, limit: Int) throws(StoreError) -> (items: [FoundItem], total: Int) {
        // LIKE with the text's own % and _ escaped; LIKE ignores case for ASCII letters.
        func pattern(_ value: String) -> String {
            "%" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let plain = pattern(text)
        let key = pattern(Item.normalisedKey(text))
        let matching = """

            FROM items i
            WHERE i.item_id LIKE ?1 ESCAPE '\\' OR i.exhibit LIKE ?1 ESCAPE '\\' OR (i.document ->> '$.description') LIKE ?1 ESCAPE '\\'
               OR i.kind LIKE ?1 ESCAPE '\\'\(LedgerWriting.findableDetails.map { " OR (i.document ->> '$.details.\($0)') LIKE ?1 ESCAPE '\\'" }.joined())
               OR EXISTS (SELECT 1 FROM item_keys k WHERE k.case_reference = i.case_reference AND k.item_id = i.item_id AND k.normalised LIKE ?2 ESCAPE '\\')
            """
        return try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) " + matching, arguments: [plain, key]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT i.case_reference, i.item_id, i.exhibit, i.kind, i.document ->> '$.description' AS description,
                       (SELECT group_concat(k.field || ' ' || k.value, '\n') FROM item_keys k WHERE k.case_reference = i.case_reference AND k.item_id = i.item_id) AS keys
                """ + matching + " ORDER BY i.case_reference, i.seizure_position, i.position LIMIT ?3", arguments: [plain, key, limit])
            let found = try rows.map { row in
                FoundItem(case: try Identifier(row["case_reference"] as String), item: try Identifier(row["item_id"] as String), exhibit: row["exhibit"],
                          kind: row["kind"], description: row["description"],
                          keys: (row["keys"] as String?)?.split(separator: "\n").map(String.init) ?? [])
            }
            return (found, total)
        }
    }

    /// The case holding a seizure id, given alone or as `CASE/SEIZURE`.
    ///
    /// - Parameter seizure: the seizure's id, or `CASE/SEIZURE`.
    /// - Returns: The case and the seizure, or nil when no case has it.
    /// - Throws: `StoreError` `.ambiguous` when several cases have a seizure of that id.
    public func locate(seizure: String) throws(StoreError) -> (case: Identifier, seizure: Identifier)? {
        let parts = seizure.split(separator: "/", maxSplits: 1).map(String.init)
        let rows: [Row] = try read { db in
            // Both by index: the seizure's id alone, or CASE/SEIZURE.
            var found = try Row.fetchAll(db, sql: "SELECT DISTINCT case_reference, seizure_id FROM items WHERE seizure_id = ?", arguments: [seizure])
            if found.isEmpty, parts.count == 2 {
                found = try Row.fetchAll(db, sql: "SELECT DISTINCT case_reference, seizure_id FROM items WHERE seizure_id = ? AND case_reference = ?",
                                         arguments: [parts[1], parts[0]])
            }
            return found
        }
        guard let row = rows.first else { return nil }
        guard rows.count == 1 else {
            throw StoreError(.ambiguous, "seizure '\(seizure)' is in \(rows.count) cases; name it as CASE/\(seizure)")
        }
        do { return (try Identifier(row["case_reference"]), try Identifier(row["seizure_id"])) } catch {
            throw StoreError(.database, "a stored item or seizure row cannot be read; run haul audit", cause: error)
        }
    }

    // MARK: Rows

    static func requireCase(_ db: Database, _ reference: Identifier) throws {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [reference.value]) == true else {
            throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
        }
    }

    static func refuseExisting(_ db: Database, _ reference: Identifier, _ advice: String) throws {
        if try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cases WHERE reference = ?)", arguments: [reference.value]) == true {
            throw StoreError(.alreadyExists, "the register already has a case \(reference); \(advice)")
        }
    }

    static func insertCaseRow(_ db: Database, _ operation: Case, recordedAt: Date) throws {
        try db.execute(sql: "INSERT INTO cases (reference, jurisdiction, opened_on, recorded_at) VALUES (?, ?, ?, ?)",
                       arguments: [operation.reference.value, operation.jurisdiction.rawValue, operation.openedOn.description, timestamp(recordedAt)])
    }

    /// The stored state and the chain's head, read inside the caller's transaction: the skeleton,
    /// the items `scope` names placed in their seizures, and the status moves (every one for
    /// `all` and `skeleton`, else those of the seizures loaded).
    static func loadState(_ db: Database, _ reference: Identifier, scope: LoadScope = .all) throws -> (case: Case, head: (sequence: Int, hash: String?)) {
        guard let row = try Row.fetchOne(db, sql: "SELECT document, head_sequence, head FROM case_state WHERE case_reference = ?", arguments: [reference.value]) else {
            try requireCase(db, reference)
            throw StoreError(.database, "case \(reference) has no stored state; run haul audit")
        }
        var operation = try LedgerWriting.decodeSkeleton(row["document"], case: reference)
        let rows: [Row]
        switch scope {
        case .skeleton:
            rows = []
        case .all:
            rows = try Row.fetchAll(db, sql: "SELECT seizure_position, document FROM items WHERE case_reference = ? ORDER BY seizure_position, position",
                                    arguments: [reference.value])
        case .items(let ids):
            rows = try fetchItems(db, reference, column: "item_id", values: ids.map(\.value))
        case .seizuresOf(let ids):
            let seizures = try fetchItems(db, reference, column: "item_id", values: ids.map(\.value), select: "DISTINCT seizure_id AS document, 0 AS seizure_position")
                .map { $0["document"] as String }
            rows = try fetchItems(db, reference, column: "seizure_id", values: seizures)
        case .seizures(let ids):
            rows = try fetchItems(db, reference, column: "seizure_id", values: ids.map(\.value))
        }
        for row in rows {
            let position: Int = row["seizure_position"]
            guard operation.seizures.indices.contains(position) else { throw StoreError(.database, "case \(reference): an item row names seizure \(position), which it does not have; run haul audit") }
            operation.seizures[position].items.append(try decodeItem(row["document"], case: reference.value))
        }
        operation.history = try events(db, reference, seizures: scope.seizuresLoaded(operation))
        return (operation, (row["head_sequence"], row["head"]))
    }

    static func decodeItem(_ text: String, case reference: String) throws -> Item { try LedgerWriting.decodeItem(text, case: reference) }

    /// Item rows whose `column` is one of `values`, in document order (asked in chunks that
    /// stay within SQLite's limit on parameters).
    static func fetchItems(_ db: Database, _ reference: Identifier, column: String, values: [String],
                           select: String = "seizure_position, position, document") throws -> [Row] {
        var rows: [Row] = []
        var start = 0
        while start < values.count {
            let chunk = Array(values[start..<min(values.count, start + 500)])
            let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            rows += try Row.fetchAll(db, sql: "SELECT \(select) FROM items WHERE case_reference = ? AND \(column) IN (\(marks))",
                                     arguments: StatementArguments([reference.value] + chunk))
            start += 500
        }
        if select.hasPrefix("seizure_position, position") {
            rows.sort { ($0["seizure_position"] as Int, $0["position"] as Int) < ($1["seizure_position"] as Int, $1["position"] as Int) }
        }
        return rows
    }

    /// The case's skeleton row: everything but its items (each seizure's `items` empty).
    static func writeSkeleton(_ db: Database, _ operation: Case, head: (Int, String)) throws {
        let json = try LedgerWriting.skeletonJSON(operation)
        try db.execute(sql: """
            INSERT INTO case_state (case_reference, document, head_sequence, head) VALUES (?, ?, ?, ?)
            ON CONFLICT(case_reference) DO UPDATE SET document = excluded.document, head_sequence = excluded.head_sequence, head = excluded.head
            """, arguments: [operation.reference.value, json, head.0, head.1])
    }

    /// Writes the whole state: the skeleton and every item row (a new, imported or migrated case).
    static func writeState(_ db: Database, _ operation: Case, head: (Int, String), reindex: Bool) throws {
        try writeSkeleton(db, operation, head: head)
        guard reindex else { return }
        try db.execute(sql: "DELETE FROM items WHERE case_reference = ?", arguments: [operation.reference.value])
        try db.execute(sql: "DELETE FROM item_keys WHERE case_reference = ?", arguments: [operation.reference.value])
        let statement = try db.makeStatement(sql: """
            INSERT INTO items (case_reference, item_id, exhibit, kind, seizure_id, seizure_position, position, document, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var position = 0
        for (seizurePosition, seizure) in operation.seizures.enumerated() {
            for item in seizure.items {
                position += 1
                try statement.execute(arguments: [operation.reference.value, item.id.value, item.exhibit.value, item.kind.rawValue, seizure.id.value,
                                                  seizurePosition, position, try itemJSON(item), ItemFigures(item).storedText])
                try insertKeys(db, operation.reference.value, item)
            }
        }
    }

    static func itemJSON(_ item: Item) throws -> String { try LedgerWriting.itemJSON(item) }

    /// Refuses items whose id or exhibit the case already has (the plan saw only some items).
    static func checkNewItems(_ db: Database, _ reference: Identifier, _ changes: [CaseChange]) throws {
        for change in changes {
            guard case .itemsAdded(let seizures) = change else { continue }
            for item in seizures.flatMap(\.items) {
                if let taken = try Row.fetchOne(db, sql: "SELECT item_id, exhibit FROM items WHERE case_reference = ? AND (item_id = ? OR exhibit = ?) LIMIT 1",
                                                arguments: [reference.value, item.id.value, item.exhibit.value]) {
                    throw (taken["item_id"] as String) == item.id.value
                        ? HaulCoreError(.inconsistent, "case \(reference) already has an item \(item.id)")
                        : HaulCoreError(.inconsistent, "case \(reference) already has an exhibit \(item.exhibit)")
                }
            }
        }
    }

    /// Brings the rows up to date with `changes`, touching only what they change: the skeleton
    /// when the header, seizures, people or inputs change, one row per item added or replaced.
    static func applyToRows(_ db: Database, _ changes: [CaseChange], state: Case, head: (Int, String)) throws {
        let reference = state.reference.value
        var skeletonChanged = false
        for change in changes {
            switch change {
            case .opened, .baseline:
                try writeState(db, state, head: head, reindex: true)
                return
            case .personAdded, .confiscationInputs, .paymentAdded, .proceedings:
                skeletonChanged = true
            case .itemsAdded(let seizures):
                skeletonChanged = true   // a new seizure, perhaps
                var position = try Int.fetchOne(db, sql: "SELECT MAX(position) FROM items WHERE case_reference = ?", arguments: [reference]) ?? 0
                let statement = try db.makeStatement(sql: """
                    INSERT INTO items (case_reference, item_id, exhibit, kind, seizure_id, seizure_position, position, document, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for seizure in seizures {
                    guard let seizurePosition = state.seizures.firstIndex(where: { $0.id == seizure.id }) else { continue }
                    for item in seizure.items {
                        position += 1
                        try statement.execute(arguments: [reference, item.id.value, item.exhibit.value, item.kind.rawValue, seizure.id.value,
                                                          seizurePosition, position, try itemJSON(item), ItemFigures(item).storedText])
                        try insertKeys(db, reference, item)
                    }
                }
            case .itemsReplaced(let items):
                let statement = try db.makeStatement(sql: "UPDATE items SET document = ?, kind = ?, exhibit = ?, figures = ? WHERE case_reference = ? AND item_id = ?")
                for item in items {
                    try statement.execute(arguments: [try itemJSON(item), item.kind.rawValue, item.exhibit.value, ItemFigures(item).storedText, reference, item.id.value])
                    guard db.changesCount == 1 else { throw HaulCoreError(.inconsistent, "case \(reference) has no item \(item.id)") }
                    try db.execute(sql: "DELETE FROM item_keys WHERE case_reference = ? AND item_id = ?", arguments: [reference, item.id.value])
                    try insertKeys(db, reference, item)
                }
            }
        }
        if skeletonChanged {
            try writeSkeleton(db, state, head: head)
        } else {
            try db.execute(sql: "UPDATE case_state SET head_sequence = ?, head = ? WHERE case_reference = ?", arguments: [head.0, head.1, reference])
        }
    }

    /// Numbers, links, hashes and inserts the records of `changes` (one, or one per part when
    /// they carry more items than a record should; see ``CaseLedger/parts(_:itemsPerRecord:)``),
    /// applying the changes to `state` first (a change that does not fit the case throws, and
    /// nothing is written).
    static func appendRecords(_ db: Database, to state: inout Case, kind: String, actor: String, reason: String, changes: [CaseChange],
                              recordedAt: Date, link: (sequence: Int, hash: String?)) throws -> [RecordEvent] {
        let records = try LedgerWriting.records(applying: changes, to: &state, kind: kind, actor: actor, reason: reason, recordedAt: recordedAt, link: link)
        for record in records { try insert(db, record, case: state.reference, recordedAt: recordedAt) }
        return records
    }

    static func insert(_ db: Database, _ record: RecordEvent, case reference: Identifier, recordedAt: Date) throws {
        try db.execute(sql: """
            INSERT INTO records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [reference.value, record.sequence, record.kind, record.at.iso8601, record.at.zone, record.actor, record.reason,
                             record.payload, record.previousHash, record.hash, timestamp(recordedAt)])
    }

    static func insert(_ db: Database, _ event: StatusEvent, case reference: Identifier, recordedAt: Date) throws {
        try db.execute(sql: """
            INSERT INTO events (case_reference, sequence, at, zone, items, from_state, to_state, regime, authority, actor, note, previous_hash, hash, recorded_at, supersedes, late)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [reference.value, event.sequence, event.at.iso8601, event.at.zone, event.items.map(\.value).joined(separator: " "),
                             event.from?.rawValue, event.to.rawValue, event.regime?.value, event.authority, event.actor, event.note,
                             event.previousHash, event.hash, timestamp(recordedAt), event.supersedes, event.late])
    }

    /// The case's status moves in sequence order; with `seizures`, only those naming an item of
    /// one of them (through `event_seizures`), so a move costs what its seizures hold.
    static func events(_ db: Database, _ reference: Identifier, seizures: [String]? = nil) throws -> [StatusEvent] {
        guard let seizures else {
            return try Row.fetchAll(db, sql: "SELECT * FROM events WHERE case_reference = ? ORDER BY sequence", arguments: [reference.value]).map { try event(from: $0, reference) }
        }
        var found: [Int: StatusEvent] = [:]
        // In chunks within SQLite's limit on parameters; a move naming two seizures is found once.
        for start in stride(from: 0, to: seizures.count, by: 500) {
            let chunk = Array(seizures[start..<min(seizures.count, start + 500)])
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM events WHERE case_reference = ? AND sequence IN
                    (SELECT sequence FROM event_seizures WHERE case_reference = ? AND seizure_id IN (\(chunk.map { _ in "?" }.joined(separator: ", "))))
                """, arguments: StatementArguments([reference.value, reference.value] + chunk))
            for row in rows {
                let event = try event(from: row, reference)
                found[event.sequence] = event
            }
        }
        return found.values.sorted { $0.sequence < $1.sequence }
    }

    static func event(from row: Row, _ reference: Identifier) throws -> StatusEvent {
        let items = (row["items"] as String).split(separator: " ").compactMap { try? Identifier(String($0)) }
        guard let to = State(rawValue: row["to_state"]) else {
            throw StoreError(.database, "case \(reference): event \(row["sequence"] as Int) has an unknown state '\(row["to_state"] as String)'")
        }
        return StatusEvent(sequence: row["sequence"], at: try ZonedDateTime(parsing: row["at"], zone: row["zone"]), items: items,
                           from: (row["from_state"] as String?).flatMap(State.init(rawValue:)), to: to,
                           regime: (row["regime"] as String?).flatMap { try? Identifier($0) }, authority: row["authority"],
                           actor: row["actor"], note: row["note"], previousHash: row["previous_hash"], hash: row["hash"],
                           supersedes: row["supersedes"], late: row["late"])
    }

    static func records(_ db: Database, _ reference: Identifier) throws -> [RecordEvent] {
        try Row.fetchAll(db, sql: "SELECT * FROM records WHERE case_reference = ? ORDER BY sequence", arguments: [reference.value]).map(record(from:))
    }

    /// Up to `limit` of the case's records before `before` (from the head when nil), newest
    /// first, that contain any of `needles` (every record when nil).
    static func records(_ db: Database, _ reference: Identifier, containingAny needles: [String]?, before: Int?, limit: Int) throws -> [RecordEvent] {
        // No needles at all picks out no record (an empty OR is not SQL).
        if let needles, needles.isEmpty { return [] }
        let condition = needles.map { list in " AND (" + list.map { _ in "instr(payload, ?) > 0" }.joined(separator: " OR ") + ")" } ?? ""
        return try Row.fetchAll(db, sql: "SELECT * FROM records WHERE case_reference = ? AND sequence < ?\(condition) ORDER BY sequence DESC LIMIT ?",
                                arguments: StatementArguments([reference.value, before ?? Int.max] as [any DatabaseValueConvertible] + (needles ?? []) + [limit])).map(record(from:))
    }

    static func record(from row: Row) throws -> RecordEvent {
        RecordEvent(sequence: row["sequence"], kind: row["kind"], at: try ZonedDateTime(parsing: row["at"], zone: row["zone"]),
                    actor: row["actor"], reason: row["reason"], payload: row["payload"], previousHash: row["previous_hash"], hash: row["hash"])
    }

    static func logCase(_ db: Database, _ reference: Identifier, firstHash: String, recordedAt: Date) throws {
        let last = try Row.fetchOne(db, sql: "SELECT position, hash FROM register_log ORDER BY position DESC LIMIT 1")
        let position = (last?["position"] as Int? ?? 0) + 1
        let previous: String? = last?["hash"]
        let hash = RegisterAudit.sha256(RegisterAudit.logText(position: position, case: reference.value, firstHash: firstHash, previous: previous))
        try db.execute(sql: "INSERT INTO register_log (position, case_reference, first_hash, previous_hash, hash, recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [position, reference.value, firstHash, previous, hash, timestamp(recordedAt)])
    }
}

/// Writes item rows on a second thread during a streaming import: it encodes each item and
/// inserts its row through SQLite's own statement API (the connection is the importing
/// transaction's; the importing thread leaves it alone until ``finish()`` returns).
/// A seizure's figures read from the rows' `figures` column inside a move's transaction,
/// item by item, stopping when the reader has seen enough.
struct SQLiteSeizureFigures: SeizureFigures {
    let db: Database
    let reference: Identifier

    func forEach(in seizure: Identifier, _ visit: (ItemFigures) -> Bool) throws {
        // Through SQLite's own calls, one row at a time: a seizure can hold tens of thousands of
        // items, and a move usually needs only the first few to know the minimum is met.
        let connection = db.sqliteConnection
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(connection, "SELECT item_id, kind, figures FROM items WHERE case_reference = ? AND seizure_id = ? ORDER BY position",
                                 -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError(.database, "cannot read the seizure's figures: \(String(cString: sqlite3_errmsg(connection)))")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(statement, 1, reference.value, -1, transient)
        sqlite3_bind_text(statement, 2, seizure.value, -1, transient)
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw StoreError(.database, "cannot read the seizure's figures: \(String(cString: sqlite3_errmsg(connection)))") }
            let itemID = try Identifier(sqlite3_column_text(statement, 0).map { String(cString: $0) } ?? "")
            guard let kind = ItemKind(rawValue: sqlite3_column_text(statement, 1).map { String(cString: $0) } ?? "") else {
                throw StoreError(.database, "case \(reference): item \(itemID) has an unknown kind; run haul audit")
            }
            // The text first, then its length (SQLite's documented order).
            let start = sqlite3_column_text(statement, 2)
            let bytes = UnsafeBufferPointer(start: start, count: Int(sqlite3_column_bytes(statement, 2)))
            guard visit(try ItemFigures(id: itemID, kind: kind, storedBytes: bytes)) else { return }
        }
    }
}

final class ItemRowWriter: @unchecked Sendable {
    struct Pending {
        var seizurePosition: Int
        var seizure: String
        var item: Item
    }

    typealias Queue = BatchQueue<Pending>
    private let queue = Queue()
    private let connection: UncheckedBox<Database>
    private let done = DispatchSemaphore(value: 0)
    private var thread: Thread?
    private var failure: (any Error)?
    /// How many rows were written (read after ``finish()``).
    private(set) var written = 0

    init(db: Database) { connection = UncheckedBox(db) }

    func start(reference: String) {
        let connection = self.connection
        let thread = Thread { [self] in
            do {
                try self.run(reference: reference, db: connection.value.sqliteConnection)
                self.queue.finish(nil)
            } catch {
                self.failure = error
                self.queue.cancel()
            }
            self.done.signal()
        }
        self.thread = thread
        thread.start()
    }

    private func run(reference: String, db: OpaquePointer?) throws {
        var statement: OpaquePointer?
        let sql = "INSERT INTO items (case_reference, item_id, exhibit, kind, seizure_id, seizure_position, position, document, figures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError(.database, "cannot write the imported items: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(statement) }
        var keyStatement: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO item_keys (case_reference, item_id, field, value, normalised) VALUES (?, ?, ?, ?, ?)", -1, &keyStatement, nil) == SQLITE_OK,
              let keyStatement else {
            throw StoreError(.database, "cannot write the imported items' keys: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(keyStatement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        while let batch = try queue.take() {
            for pending in batch {
                written += 1
                let json = try SQLiteRegister.itemJSON(pending.item)
                sqlite3_reset(statement)
                sqlite3_bind_text(statement, 1, reference, -1, transient)
                sqlite3_bind_text(statement, 2, pending.item.id.value, -1, transient)
                sqlite3_bind_text(statement, 3, pending.item.exhibit.value, -1, transient)
                sqlite3_bind_text(statement, 4, pending.item.kind.rawValue, -1, transient)
                sqlite3_bind_text(statement, 5, pending.seizure, -1, transient)
                sqlite3_bind_int64(statement, 6, Int64(pending.seizurePosition))
                sqlite3_bind_int64(statement, 7, Int64(written))
                sqlite3_bind_text(statement, 8, json, -1, transient)
                sqlite3_bind_text(statement, 9, ItemFigures(pending.item).storedText, -1, transient)
                let step = sqlite3_step(statement)
                guard step == SQLITE_DONE else {
                    let message = String(cString: sqlite3_errmsg(db))
                    throw step == SQLITE_CONSTRAINT
                        ? HaulCoreError(.inconsistent, "the file has item \(pending.item.id) or exhibit \(pending.item.exhibit) twice (\(message))")
                        : StoreError(.database, "cannot write item \(pending.item.id): \(message)")
                }
                for key in pending.item.lookupKeys {
                    sqlite3_reset(keyStatement)
                    sqlite3_bind_text(keyStatement, 1, reference, -1, transient)
                    sqlite3_bind_text(keyStatement, 2, pending.item.id.value, -1, transient)
                    sqlite3_bind_text(keyStatement, 3, key.field.rawValue, -1, transient)
                    sqlite3_bind_text(keyStatement, 4, key.value, -1, transient)
                    sqlite3_bind_text(keyStatement, 5, key.normalised, -1, transient)
                    guard sqlite3_step(keyStatement) == SQLITE_DONE else {
                        throw StoreError(.database, "cannot write the keys of item \(pending.item.id): \(String(cString: sqlite3_errmsg(db)))")
                    }
                }
            }
        }
    }

    /// Hands a batch to the writing thread (waiting while four are queued); throws the writer's
    /// error if it has stopped.
    func put(_ batch: [Pending]) throws {
        if thread == nil { return }
        if !queue.put(batch) { throw failure ?? StoreError(.database, "the item writer stopped") }
    }

    /// Waits for every row to be written; throws the writer's error, if any.
    func finish() throws {
        guard thread != nil else { return }
        queue.finish(nil)
        done.wait()
        thread = nil
        if let failure { throw failure }
    }

    /// Stops the writer (after an error elsewhere) and waits for it.
    func cancel() {
        guard thread != nil else { return }
        queue.cancel()
        done.wait()
        thread = nil
    }
}
