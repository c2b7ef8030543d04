import Foundation
import GRDB
import GRDBSQLite
import HaulCore

/// A case's latest stored document read a block at a time, so a case of a million items can be
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
    public func forEachItem(_ body: (Int, Item) throws -> Void) throws {
        let decoder = JSONDecoder()
        var scanner = CaseDocumentScanner()
        var itemBytes: [UInt8] = []
        try source.forEachBlock { block in
            try scanner.scan(block) { event in
                switch event {
                case .itemByte(let byte): itemBytes.append(byte)
                case .itemEnd(let seizure):
                    // Haul's own reader of the stored form first; JSONDecoder for anything else.
                    let item = try itemBytes.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
                        ?? decoder.decode(Item.self, from: Data(itemBytes))
                    itemBytes.removeAll(keepingCapacity: true)
                    try body(seizure, item)
                case .skeletonByte, .itemStart: break
                }
            }
        }
    }
}

/// Reads one TEXT or BLOB value through `sqlite3_blob_read`, a block at a time.
struct BlobSource {
    let db: Database
    let rowID: Int64
    static let blockSize = 1 << 20

    func forEachBlock(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var blob: OpaquePointer?
        guard sqlite3_blob_open(db.sqliteConnection, "main", "case_documents", "document", rowID, 0, &blob) == SQLITE_OK, let blob else {
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
/// (`{"seizures":[{…,"items":[{item},{item}],…}],…}`), handing on the bytes that are not items
/// (the skeleton, with each items array left empty) and the bytes of each item.
struct CaseDocumentScanner {
    enum Event {
        case skeletonByte(UInt8)
        case itemStart(seizure: Int)
        case itemByte(UInt8)
        case itemEnd(seizure: Int)
    }

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
    /// Whether an item is being read, and its depth.
    private var itemDepth: Int?

    private static let seizuresKey = Array("seizures".utf8)
    private static let itemsKey = Array("items".utf8)

    mutating func scan(_ block: UnsafeRawBufferPointer, _ emit: (Event) throws -> Void) throws {
        for byte in block {
            let insideItem = itemDepth != nil
            if inString {
                if collecting { lastString.append(byte) }
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                    if collecting { lastString.removeLast() }
                    collecting = false
                }
                try emit(insideItem ? .itemByte(byte) : .skeletonByte(byte))
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
                collecting = containers.last == true && !insideItem
                if collecting { lastString.removeAll(keepingCapacity: true) }
                try emit(insideItem ? .itemByte(byte) : .skeletonByte(byte))
            case UInt8(ascii: ":"):
                if containers.last == true { currentKey = lastString }
                try emit(insideItem ? .itemByte(byte) : .skeletonByte(byte))
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                // The value's key: the key just read in an object, nothing in an array.
                let key = containers.last == true ? currentKey : []
                containers.append(isObject)
                keys.append(key)
                if itemDepth == nil, let itemsDepth, containers.count == itemsDepth + 1, isObject {
                    itemDepth = containers.count
                    try emit(.itemStart(seizure: seizureIndex))
                    try emit(.itemByte(byte))
                } else if itemDepth != nil {
                    try emit(.itemByte(byte))
                } else {
                    // A seizure: an object directly inside the top-level "seizures" array.
                    if isObject, containers.count == 3, keys[1] == Self.seizuresKey { seizureIndex += 1 }
                    if !isObject, containers.count == 4, key == Self.itemsKey, keys[1] == Self.seizuresKey { itemsDepth = containers.count }
                    try emit(.skeletonByte(byte))
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if let depth = itemDepth {
                    try emit(.itemByte(byte))
                    if containers.count == depth {
                        itemDepth = nil
                        try emit(.itemEnd(seizure: seizureIndex))
                    }
                } else {
                    if let depth = itemsDepth, containers.count == depth { itemsDepth = nil }
                    try emit(.skeletonByte(byte))
                }
                containers.removeLast()
                keys.removeLast()
            case UInt8(ascii: ","):
                // Commas between items belong to neither the skeleton (whose items array stays
                // empty) nor an item.
                if itemDepth != nil { try emit(.itemByte(byte)) } else if itemsDepth == nil || containers.count != itemsDepth { try emit(.skeletonByte(byte)) }
            default:
                if itemDepth != nil { try emit(.itemByte(byte)) } else if itemsDepth == nil || containers.count != itemsDepth { try emit(.skeletonByte(byte)) }
            }
        }
    }
}

extension SQLiteRegister {
    /// Reads the latest stored document of `reference` for streaming (see ``StoredCaseDocument``)
    /// and calls `body` with it, inside one read transaction so the document cannot change
    /// between the two passes.
    public func withStoredDocument<T>(_ reference: Identifier, _ body: (StoredCaseDocument) throws -> T) throws -> T {
        let history = try events(of: reference)
        return try pool.read { db in
            guard let rowID = try Int64.fetchOne(db, sql: "SELECT rowid FROM case_documents WHERE case_reference = ? ORDER BY version DESC LIMIT 1",
                                                 arguments: [reference.value]) else {
                throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
            }
            let source = BlobSource(db: db, rowID: rowID)
            var skeletonBytes: [UInt8] = []
            var counts: [Int] = []
            var scanner = CaseDocumentScanner()
            try source.forEachBlock { block in
                try scanner.scan(block) { event in
                    switch event {
                    case .skeletonByte(let byte): skeletonBytes.append(byte)
                    case .itemStart(let seizure):
                        while counts.count <= seizure { counts.append(0) }
                        counts[seizure] += 1
                    case .itemByte, .itemEnd: break
                    }
                }
            }
            var skeleton: Case
            do { skeleton = try JSONDecoder().decode(Case.self, from: Data(skeletonBytes)) } catch {
                throw StoreError(.database, "the stored document of case \(reference) cannot be read: \(error)")
            }
            while counts.count < skeleton.seizures.count { counts.append(0) }
            skeleton.history = history
            return try body(StoredCaseDocument(skeleton: skeleton, itemCounts: counts, source: source))
        }
    }
}
