import Foundation
import HaulCore
@testable import HaulStore
import Testing

/// Streaming a stored case document: the skeleton and the items read in two passes must give
/// back exactly the case that was saved, whatever the items' text contains.
@Suite("Stored documents read as a stream")
struct StoredDocumentTests {
    /// Three seizures (one empty); item text full of the characters the scanner must not be
    /// fooled by: braces, brackets, quotes, backslashes, an "items" key inside an item.
    static func awkwardCase() -> Case {
        func cash(_ id: Identifier, _ description: String) -> Item {
            Item(id: id, exhibit: Identifier(stringLiteral: "E/\(id.value)"), description: description,
                 details: .cash(try! CashItem(currency: .gbp, countedAmount: 100)))
        }
        let first = Seizure(id: "S1", seizedAt: london("2020-06-18T07:20:00+01:00"), place: "Bristol {\"items\":[1,2]}", power: .pocaCash,
                            officer: "DC 1", agency: "A1", items: [cash("I-1", "a \"quoted\" word, a \\ backslash and ] [ } {"),
                                                                   cash("I-2", "{\"items\":[{\"id\":\"fake\"}]}")])
        let empty = Seizure(id: "S2", seizedAt: london("2020-06-19T07:20:00+01:00"), place: "Bath", power: .paceSection19,
                            officer: "DC 2", agency: "A1", items: [])
        let third = Seizure(id: "S3", seizedAt: london("2020-06-20T07:20:00+01:00"), place: "Frome", power: .warrant, warrantReference: "W-1",
                            officer: "DC 3", agency: "A1", items: [cash("I-3", "plain"), cash("I-4", "ünïcödé ✓"), cash("I-5", "")])
        return Case(reference: "STREAM-1", jurisdiction: .englandAndWales, operationName: "Operation [Brackets]", openedOn: try! CalendarDate(parsing: "2020-06-18"),
                    note: "a note with \"seizures\":[ in it", agencies: [Agency(id: "A1", name: "Agency", role: .seizing)],
                    seizures: [first, empty, third])
    }

    @Test("skeleton and items read back equal the saved case, in order, with each item's seizure")
    func readsBackTheSavedCase() throws {
        let store = try TemporaryRegister()
        defer { store.cleanUp() }
        let operation = Self.awkwardCase()
        try store.register.open(operation, actor: "test", reason: "test", recordedAt: Date())
        _ = try store.register.append(EventDraft(at: london("2020-06-18T08:00:00+01:00"), items: ["I-1"], from: nil, to: .detained, regime: "gb-eaw-cash",
                                                 authority: nil, actor: "DC 1", note: nil), to: "STREAM-1", recordedAt: Date())
        var items: [(Int, Item)] = []
        let skeleton = try store.register.withStoredDocument("STREAM-1") { document in
            try document.forEachItem { seizure, item in items.append((seizure, item)) }
            #expect(document.itemCounts == [2, 0, 3])
            return document.skeleton
        }
        var expected = operation
        for index in expected.seizures.indices { expected.seizures[index].items = [] }
        expected.history = try store.register.events(of: "STREAM-1")
        #expect(skeleton == expected)
        // The whole chain, records read one by one and merged with the status moves.
        var links: [EventChain.Link] = []
        try store.register.withStoredDocument("STREAM-1") { document in try document.forEachLink { links.append($0) } }
        let loaded = try store.register.load("STREAM-1")
        #expect(links == loaded.chain)
        #expect(links.map(\.sequence) == Array(1...links.count))
        #expect(skeleton.history.count == 1)
        #expect(items.map(\.0) == [0, 0, 2, 2, 2])
        #expect(items.map(\.1) == operation.seizures.flatMap(\.items))
    }

    @Test("items written one change at a time are read back in document order: an item added to an earlier seizure comes before the later seizure's")
    func rowsInDocumentOrder() throws {
        let store = try TemporaryRegister()
        defer { store.cleanUp() }
        let operation = Self.awkwardCase()
        try store.register.open(operation, actor: "test", reason: "test", recordedAt: Date())
        var first = operation.seizures[0]
        first.items = [Item(id: "I-LATE", exhibit: "E/LATE", details: .nonValued(.phone))]
        try store.register.record("STREAM-1", kind: "items-added", actor: "test", reason: "late", recordedAt: Date(), scope: .skeleton) { _ in
            [.itemsAdded([first])]
        }
        var order: [Identifier] = []
        try store.register.withStoredDocument("STREAM-1") { document in
            #expect(document.itemCounts == [3, 0, 3])
            try document.forEachItem { _, item in order.append(item.id) }
        }
        let expected = operation.seizures[0].items.map(\.id) + ["I-LATE"] + operation.seizures[2].items.map(\.id)
        #expect(order == expected)
        #expect(try store.register.loadState("STREAM-1").items.map(\.id) == expected)
        #expect(try store.register.audit().isClean)
    }
}

@Suite("Stored items handed over by the reading thread")
struct StoredItemThreadTests {
    static func manyItems(_ count: Int) -> Case {
        let items = (0..<count).map { index in
            Item(id: Identifier(stringLiteral: "I-\(index)"), exhibit: Identifier(stringLiteral: "E/\(index)"), description: "item \(index)",
                 details: .cash(try! CashItem(currency: .gbp, countedAmount: FixedDecimal(index + 1))))
        }
        let seizures = stride(from: 0, to: count, by: 300).map { start in
            Seizure(id: Identifier(stringLiteral: "S\(start)"), seizedAt: london("2020-06-18T07:20:00+01:00"), place: "P", power: .pocaCash,
                    officer: "DC", agency: "A1", items: Array(items[start..<min(count, start + 300)]))
        }
        return Case(reference: "MANY-1", jurisdiction: .englandAndWales, openedOn: try! CalendarDate(parsing: "2020-06-18"),
                    agencies: [Agency(id: "A1", name: "Agency", role: .seizing)], seizures: seizures)
    }

    @Test("every item arrives once, in order, across many batches")
    func allInOrder() throws {
        let store = try TemporaryRegister()
        defer { store.cleanUp() }
        let operation = Self.manyItems(2_000)
        try store.register.open(operation, actor: "test", reason: "test", recordedAt: Date())
        var seen: [Identifier] = []
        var seizures: [Int] = []
        try store.register.withStoredDocument("MANY-1") { document in
            try document.forEachItem { seizure, item in
                seen.append(item.id)
                seizures.append(seizure)
            }
        }
        #expect(seen == operation.items.map(\.id))
        #expect(seizures == operation.seizures.enumerated().flatMap { index, seizure in Array(repeating: index, count: seizure.items.count) })
    }

    struct Stop: Error {}

    @Test("an error from the caller stops the reading thread and comes back, without hanging")
    func callerErrorStops() throws {
        let store = try TemporaryRegister()
        defer { store.cleanUp() }
        try store.register.open(Self.manyItems(5_000), actor: "test", reason: "test", recordedAt: Date())
        var count = 0
        #expect(throws: Stop.self) {
            try store.register.withStoredDocument("MANY-1") { document in
                try document.forEachItem { _, _ in
                    count += 1
                    if count == 700 { throw Stop() }
                }
            }
        }
        #expect(count == 700)
    }
}
