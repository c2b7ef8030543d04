import Foundation
import GRDB
import GRDBSQLite
import HaulCore

/// A case's stored state read a block at a time, so a case of a million items can be
/// exported without holding its document (hundreds of megabytes of JSON) or its items in memory.
///
/// The document is the `JSONEncoder` form of ``Case`` with the history left out. Reading it
/// takes two passes over SQLite's incremental blob I/O: the first keeps everything but the
/// items (the header, each seizure's details — which sort after its items — people,
/// confiscation) and counts the items; the second hands over the items one by one, each decoded
/// on its own.
public struct StoredCaseDocument {
    /// The case without its items: seizures in order, each with an empty `items`, and the
    /// history from the event chain.
    public let skeleton: Case
    /// How many items each seizure holds, in order.
    public let itemCounts: [Int]
    let source: BlobSource

    /// Calls `body` with each item and the index of its seizure, in document order.
    ///
    /// A second thread reads and decodes the items while `body` runs (writing them, say), so
    /// the two overlap; batches of items pass between them through a short queue, so memory
    /// stays bounded.
    public func forEachItem(_ body: (Int, Item) throws -> Void) throws {
        let queue = ItemBatchQueue()
        let reader = UncheckedBox(source)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            var batch: [(Int, Item)] = []
            batch.reserveCapacity(ItemBatchQueue.batchSize)
            do {
                let decoder = JSONDecoder()
                var scanner = CaseDocumentScanner(keepsSkeleton: false, keepsItems: true)
                try reader.value.forEachBlock { block in
                    try scanner.scan(block) { seizure, bytes in
                        // Haul's own reader of the stored form first; JSONDecoder for anything else.
                        let item = try bytes.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) } ?? decoder.decode(Item.self, from: Data(bytes))
                        batch.append((seizure, item))
                        if batch.count == ItemBatchQueue.batchSize {
                            guard queue.put(batch) else { throw CancellationError() }
                            batch.removeAll(keepingCapacity: true)
                        }
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

/// A short queue of decoded item batches between the reading thread and the caller.
final class ItemBatchQueue: @unchecked Sendable {
    static let batchSize = 256
    private static let capacity = 4
    private let condition = NSCondition()
    private var batches: [[(Int, Item)]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    /// Waits for room; false when the caller has stopped reading.
    func put(_ batch: [(Int, Item)]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end; the reading thread's error, if it failed.
    func take() throws -> [(Int, Item)]? {
        condition.lock()
        defer { condition.unlock() }
        while batches.isEmpty && !finished { condition.wait() }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Reads one TEXT or BLOB value through `sqlite3_blob_read`, a block at a time.
struct BlobSource {
    let db: Database
    let rowID: Int64
    static let blockSize = 1 << 20

    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db.sqliteConnection, "main", "case_state", "document", rowID, 0, &blob) == SQLITE_OK, let blob else {
            throw StoreError(.database, "the stored document cannot be opened for reading: \(String(cString: sqlite3_errmsg(db.sqliteConnection)))")
        }
        defer { sqlite3_blob_close(blob) }
        let size = Int(sqlite3_blob_bytes(blob))
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.blockSize, alignment: 8)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < size {
            let count = min(Self.blockSize, size - offset)
            guard sqlite3_blob_read(blob, buffer.baseAddress, Int32(count), Int32(offset)) == SQLITE_OK else {
                throw StoreError(.database, "the stored document could not be read at byte \(offset)")
            }
            try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            offset += count
        }
    }
}

/// A JSON scanner that knows where items sit in a stored case document
/// (`{"seizures":[{…,"items":[{item},{item}],…}],…}`). It hands on the bytes that are not items
/// (the skeleton, with each items array left empty) and each item's bytes whole, in runs rather
/// than byte by byte: a large document is hundreds of megabytes.
struct CaseDocumentScanner {
    /// Whether to keep the skeleton's bytes (first pass) or the items' (second pass).
    let keepsSkeleton: Bool
    let keepsItems: Bool
    private(set) var skeleton: [UInt8] = []
    /// Items seen per seizure.
    private(set) var itemCounts: [Int] = []

    /// Open containers: true for an object, false for an array.
    private var containers: [Bool] = []
    private var inString = false
    private var escaped = false
    /// The last complete string at object level, a candidate key.
    private var lastString: [UInt8] = []
    private var collecting = false
    private var currentKey: [UInt8] = []
    /// The key each open container was the value of.
    private var keys: [[UInt8]] = []
    private var seizureIndex = -1
    /// Depth of the items array being read (containers count), when inside one.
    private var itemsDepth: Int?
    /// Depth of the item being read, when inside one.
    private var itemDepth: Int?
    /// The item read so far (an item can straddle two blocks).
    private var itemBytes: [UInt8] = []

    private static let seizuresKey = Array("seizures".utf8)
    private static let itemsKey = Array("items".utf8)

    init(keepsSkeleton: Bool, keepsItems: Bool) {
        self.keepsSkeleton = keepsSkeleton
        self.keepsItems = keepsItems
    }

    /// Reads one block; `item` is called with each complete item's bytes and its seizure's index.
    mutating func scan(_ block: UnsafeRawBufferPointer, item: (Int, [UInt8]) throws -> Void) throws {
        // Runs: the start of the current run of skeleton or item bytes within this block.
        var runStart = 0
        var index = 0
        let count = block.count
        func flushRun(upTo end: Int) {
            guard end > runStart else { return }
            if itemDepth != nil {
                if keepsItems { itemBytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[runStart..<end])) }
            } else if keepsSkeleton, itemsDepth == nil || containers.count != itemsDepth {
                skeleton.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[runStart..<end]))
            }
            runStart = end
        }
        while index < count {
            let byte = block[index]
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    collecting = false
                } else if collecting {
                    lastString.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                collecting = containers.last == true && itemDepth == nil
                if collecting { lastString.removeAll(keepingCapacity: true) }
            case UInt8(ascii: ":"):
                if containers.last == true, itemDepth == nil { currentKey = lastString }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                let key = containers.last == true && itemDepth == nil ? currentKey : []
                if itemDepth == nil, let itemsDepth, containers.count == itemsDepth, isObject {
                    // An item starts: what came before it (a comma) is neither skeleton nor item.
                    runStart = index
                    containers.append(isObject)
                    keys.append(key)
                    itemDepth = containers.count
                    while itemCounts.count <= seizureIndex { itemCounts.append(0) }
                    itemCounts[seizureIndex] += 1
                    index += 1
                    continue
                }
                containers.append(isObject)
                keys.append(key)
                if itemDepth == nil {
                    if isObject, containers.count == 3, keys[1] == Self.seizuresKey { seizureIndex += 1 }
                    if !isObject, containers.count == 4, key == Self.itemsKey, keys[1] == Self.seizuresKey {
                        // Keep the "[" in the skeleton, then leave the array's contents out.
                        flushRun(upTo: index + 1)
                        itemsDepth = containers.count
                    }
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let depth = itemDepth, containers.count == depth {
                    flushRun(upTo: index + 1)
                    itemDepth = nil
                    containers.removeLast()
                    keys.removeLast()
                    if keepsItems { try item(seizureIndex, itemBytes) }
                    itemBytes.removeAll(keepingCapacity: true)
                    index += 1
                    continue
                }
                if itemDepth == nil, let depth = itemsDepth, containers.count == depth {
                    // The items array closes: its "]" belongs to the skeleton again.
                    runStart = index
                    itemsDepth = nil
                }
                containers.removeLast()
                keys.removeLast()
            default:
                if itemDepth == nil, let depth = itemsDepth, containers.count == depth {
                    // Between items (commas, space): part of neither.
                    runStart = index + 1
                }
            }
            index += 1
        }
        flushRun(upTo: count)
    }
}

extension SQLiteRegister {
    /// Reads the stored state of `reference` for streaming (see ``StoredCaseDocument``)
    /// and calls `body` with it, inside one read transaction so the document cannot change
    /// between the two passes.
    public func withStoredDocument<T>(_ reference: Identifier, _ body: (StoredCaseDocument) throws -> T) throws -> T {
        return try pool.read { db in
            guard let rowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM case_state WHERE case_reference = ?",
                                                 arguments: [reference.value]) else {
                throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
            }
            let source = BlobSource(db: db, rowID: rowID)
            var scanner = CaseDocumentScanner(keepsSkeleton: true, keepsItems: false)
            try source.forEachBlock { block in try scanner.scan(block) { _, _ in } }
            let skeletonBytes = scanner.skeleton
            var counts = scanner.itemCounts
            var skeleton: Case
            do { skeleton = try JSONDecoder().decode(Case.self, from: Data(skeletonBytes)) } catch {
                throw StoreError(.database, "the stored document of case \(reference) cannot be read: \(error)")
            }
            while counts.count < skeleton.seizures.count { counts.append(0) }
            // The chain, read in the same transaction as the state.
            skeleton.history = try SQLiteRegister.events(db, reference)
            skeleton.records = try SQLiteRegister.records(db, reference)
            return try body(StoredCaseDocument(skeleton: skeleton, itemCounts: counts, source: source))
        }
    }
}
