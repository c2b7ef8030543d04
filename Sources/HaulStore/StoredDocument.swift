import Foundation
import GRDB
import GRDBSQLite
import HaulCore

/// A case's stored state read item by item, so a case of a million items can be exported
/// without holding its items in memory.
///
/// The skeleton (header, seizures without their items, people, inputs) is one small row; each
/// item is a row of its own in the `JSONEncoder` form of `Item`, handed over one by one in
/// document order, each decoded on its own.
public struct StoredCaseDocument {
    /// The case without its items: seizures in order, each with an empty `items`, and the
    /// history from the event chain.
    public let skeleton: Case
    /// How many items each seizure holds, in order.
    public let itemCounts: [Int]
    /// The hash of the chain's newest event, as the state row records it.
    public let head: String?
    /// Visits each record of the chain in sequence order (the backend's reader).
    let forEachRecord: ((RecordEvent) throws -> Void) throws -> Void
    /// Visits each item row's seizure index and stored JSON in document order (the backend's reader).
    let forEachItemRow: ((Int, UnsafeRawBufferPointer) throws -> Void) throws -> Void

    /// A stored document as a backend reads it: the skeleton and counts in hand, the records and
    /// item rows read on demand (inside the backend's read transaction, which lasts as long as
    /// the document is used).
    package init(skeleton: Case, itemCounts: [Int], head: String?,
                 forEachRecord: @escaping ((RecordEvent) throws -> Void) throws -> Void,
                 forEachItemRow: @escaping ((Int, UnsafeRawBufferPointer) throws -> Void) throws -> Void) {
        self.skeleton = skeleton
        self.itemCounts = itemCounts
        self.head = head
        self.forEachRecord = forEachRecord
        self.forEachItemRow = forEachItemRow
    }

    /// Calls `body` with each event of the chain in order: the status moves (in `skeleton`)
    /// merged with the records, which are read one at a time rather than held in memory.
    public func forEachLink(_ body: (EventChain.Link) throws -> Void) throws {
        var moves = skeleton.history.makeIterator()
        var nextMove = moves.next()
        try forEachRecord { record in
            while let move = nextMove, move.sequence < record.sequence {
                try body(.status(move))
                nextMove = moves.next()
            }
            try body(.record(record))
        }
        while let move = nextMove {
            try body(.status(move))
            nextMove = moves.next()
        }
    }

    /// Calls `body` with each item and the index of its seizure, in document order.
    ///
    /// A second thread reads and decodes the items while `body` runs (writing them, say), so
    /// the two overlap; batches of items pass between them through a short queue, so memory
    /// stays bounded.
    public func forEachItem(_ body: (Int, Item) throws -> Void) throws {
        let queue = ItemBatchQueue()
        let reader = UncheckedBox(forEachItemRow)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var batch: [(Int, Item)] = []
            batch.reserveCapacity(ItemBatchQueue.batchSize)
            do {
                let decoder = JSONDecoder()
                try reader.value { seizure, bytes in
                    // Haul's own reader of the stored form first; JSONDecoder for anything else.
                    let item = try StoredItemDecoding.item(fromJSON: bytes) ?? decoder.decode(Item.self, from: Data(bytes))
                    batch.append((seizure, item))
                    if batch.count == ItemBatchQueue.batchSize {
                        guard queue.put(batch) else { throw CancellationError() }
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { _ = queue.put(batch) }
                queue.finish(nil)
            } catch {
                queue.finish(error)
            }
            done.signal()
        }
        thread.start()
        defer {
            queue.cancel()
            done.wait()
        }
        while let batch = try queue.take() {
            for (seizure, item) in batch { try body(seizure, item) }
        }
    }
}

/// Hands a value to another thread that the compiler cannot prove safe to share; used only
/// where one thread at a time touches it (the reading thread, while the caller waits for it).
struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

typealias ItemBatchQueue = BatchQueue<(Int, Item)>

/// Steps through a case's item rows (seizure by seizure, in order) with SQLite's own statement
/// API, handing over each row's stored JSON without copying it.
struct ItemRowSource {
    let db: Database
    let reference: String

    func forEachRow(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) throws {
        var statement: OpaquePointer?
        let sql = "SELECT seizure_position, document FROM items WHERE case_reference = ? ORDER BY seizure_position, position"
        guard sqlite3_prepare_v2(db.sqliteConnection, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw StoreError(.database, "the stored items cannot be read: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
        defer { sqlite3_finalize(statement) }
        sqlite3_bind_text(statement, 1, reference, -1, unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw StoreError(.database, "the stored items could not be read: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
            }
            let seizure = Int(sqlite3_column_int64(statement, 0))
            let bytes = sqlite3_column_blob(statement, 1)
            let count = Int(sqlite3_column_bytes(statement, 1))
            try body(seizure, UnsafeRawBufferPointer(start: bytes, count: count))
        }
    }
}

extension SQLiteRegister {
    /// Reads the stored state of `reference` for streaming (see ``StoredCaseDocument``) and calls
    /// `body` with it, inside one read transaction so nothing can change while it is read.
    public func withStoredDocument<T>(_ reference: Identifier, _ body: (StoredCaseDocument) throws -> T) throws -> T {
        return try pool.read { db in
            guard let document = try String.fetchOne(db, sql: "SELECT document FROM case_state WHERE case_reference = ?", arguments: [reference.value]) else {
                throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
            }
            var skeleton: Case
            do { skeleton = try JSONDecoder().decode(Case.self, from: Data(document.utf8)) } catch {
                throw StoreError(.database, "the stored state of case \(reference) cannot be read", cause: error)
            }
            var counts = Array(repeating: 0, count: skeleton.seizures.count)
            for row in try Row.fetchAll(db, sql: "SELECT seizure_position, COUNT(*) AS n FROM items WHERE case_reference = ? GROUP BY seizure_position",
                                        arguments: [reference.value]) {
                let position: Int = row["seizure_position"]
                if counts.indices.contains(position) { counts[position] = row["n"] }
            }
            // The status moves, read in the same transaction as the state (statuses follow from
            // them); the records are read as the history is written (``forEachLink(_:)``).
            skeleton.history = try SQLiteRegister.events(db, reference)
            let head = try String.fetchOne(db, sql: "SELECT head FROM case_state WHERE case_reference = ?", arguments: [reference.value])
            let source = ItemRowSource(db: db, reference: reference.value)
            return try body(StoredCaseDocument(skeleton: skeleton, itemCounts: counts, head: head,
                forEachRecord: { visit in
                    let records = try Row.fetchCursor(db, sql: "SELECT * FROM records WHERE case_reference = ? ORDER BY sequence", arguments: [reference.value])
                    while let row = try records.next() { try visit(try SQLiteRegister.record(from: row)) }
                },
                forEachItemRow: source.forEachRow))
        }
    }
}
