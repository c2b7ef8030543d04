import Foundation
import HaulCore
import Testing

@Suite("The ledger's changes, replayed")
struct LedgerTests {
    static func zoned(_ text: String) -> ZonedDateTime { try! ZonedDateTime(parsing: text, zone: "Europe/London") }

    static func sample(items count: Int, seizures: Int = 3) -> Case {
        let all = (0..<count).map { index in
            Item(id: try! Identifier("I-\(index)"), exhibit: try! Identifier("E/\(index)"), details: .cash(try! CashItem(currency: .gbp, countedAmount: FixedDecimal(index + 1))))
        }
        let perSeizure = (count + seizures - 1) / seizures
        let grouped = (0..<seizures).map { index in
            Seizure(id: try! Identifier("S\(index)"), seizedAt: zoned("2020-06-18T07:20:00+01:00"), place: "P\(index)", power: .pocaCash, officer: "DC",
                    agency: "A1", items: Array(all[min(count, index * perSeizure)..<min(count, (index + 1) * perSeizure)]))
        }
        return Case(reference: "C-1", jurisdiction: .englandAndWales, openedOn: try! CalendarDate(parsing: "2020-06-18"),
                    agencies: [Agency(id: "A1", name: "Agency", role: .seizing)], seizures: grouped)
    }

    @Test("a baseline of 100 items becomes a skeleton and parts of at most 40 items; replaying the parts gives the whole")
    func baselineParts() throws {
        let whole = Self.sample(items: 100)
        let parts = CaseLedger.parts([.baseline(whole)])
        // 34 + 34 + 32 items in three seizures: 40 | 28 + 12 | 22 + 18 → parts of 40, 40, 20 items.
        let counts = parts.map { part in part.reduce(0) { total, change in if case .itemsAdded(let s) = change { total + s[0].items.count } else { total } } }
        #expect(counts == [40, 40, 20])
        guard case .baseline(let skeleton)? = parts.first?.first else { Issue.record("the first part starts with the skeleton"); return }
        #expect(skeleton.items.isEmpty && skeleton.seizures.count == 3)
        var replayed = Case(reference: "C-1", jurisdiction: .englandAndWales, openedOn: whole.openedOn, agencies: [], seizures: [])
        for part in parts { for change in part { try CaseLedger.apply(change, to: &replayed) } }
        #expect(replayed == whole)
    }

    @Test("items replaced and added split the same way; small changes stay one part")
    func otherParts() throws {
        let whole = Self.sample(items: 90, seizures: 1)
        #expect(CaseLedger.parts([.itemsReplaced(whole.items)]).count == 3)
        #expect(CaseLedger.parts([.itemsAdded(whole.seizures)]).map(\.count) == [1, 1, 1])
        #expect(CaseLedger.parts([.personAdded(Person(id: "P-1", role: .defendant, name: "A")), .itemsReplaced(Array(whole.items.prefix(3)))]).count == 1)
        // Applied in parts or whole, the same case.
        var inParts = whole
        var changed = whole.items
        for index in changed.indices { changed[index].description = "changed \(index)" }
        for part in CaseLedger.parts([.itemsReplaced(changed)]) { for change in part { try CaseLedger.apply(change, to: &inParts) } }
        var atOnce = whole
        try CaseLedger.apply(.itemsReplaced(changed), to: &atOnce)
        #expect(inParts == atOnce)
    }

    @Test("a change that does not fit the case is refused and names why")
    func refusals() {
        var operation = Self.sample(items: 3, seizures: 1)
        #expect(throws: HaulCoreError.self) { try CaseLedger.apply(.itemsAdded([operation.seizures[0]]), to: &operation) }   // ids taken
        let stranger = Item(id: "I-99", exhibit: "E/99", details: .nonValued(.phone))
        #expect { try CaseLedger.apply(.itemsReplaced([stranger]), to: &operation) } throws: { ($0 as? HaulCoreError)?.message == "case C-1 has no item I-99" }
        // A new seizure with a new item, then an id already taken, in one change: refused whole,
        // the new seizure not added either.
        let before = operation
        var fresh = operation.seizures[0]
        fresh.id = "S9"
        fresh.items = [stranger]
        var taken = operation.seizures[0]
        taken.items = [operation.seizures[0].items[0]]
        #expect { try CaseLedger.apply(.itemsAdded([fresh, taken]), to: &operation) } throws: { ($0 as? HaulCoreError)?.message == "case C-1 already has an item I-0" }
        #expect(operation == before)
    }

    @Test("a replay keeps each item's place record by record: additions to old and new seizures, then replacements across them, give what applying each change alone gives")
    func replayKeepsPlaces() throws {
        let whole = Self.sample(items: 120, seizures: 3)
        var header = whole
        for index in header.seizures.indices { header.seizures[index].items = [] }
        // Items arrive a seizure's slice at a time, seizures interleaved, so later records add to
        // seizures opened by earlier ones; then every third item is replaced in one change.
        var opening = header
        opening.seizures = []
        var changes: [CaseChange] = [.opened(opening), .itemsAdded(header.seizures)]
        for start in stride(from: 0, to: 40, by: 10) {
            changes.append(.itemsAdded(whole.seizures.map { seizure in var slice = seizure; slice.items = Array(seizure.items[start..<min(start + 10, seizure.items.count)]); return slice }))
        }
        var replaced = whole.items.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        for index in replaced.indices { replaced[index].description = "replaced \(replaced[index].id)" }
        changes.append(.itemsReplaced(replaced))
        let at = Self.zoned("2020-06-18T08:00:00+01:00")
        let records = try changes.enumerated().map { offset, change in
            var record = try RecordEvent.draft(kind: "test", at: at, actor: "DC", reason: "step \(offset)", changes: [change])
            record.sequence = offset + 1
            return record
        }
        let replayed = try CaseLedger.replay("C-1", records: records)
        // The independent answer: each change applied alone, every place found afresh.
        var oneByOne = Case(reference: "C-1", jurisdiction: .englandAndWales, openedOn: whole.openedOn, agencies: [], seizures: [])
        for change in changes { try CaseLedger.apply(change, to: &oneByOne) }
        #expect(replayed == oneByOne)
        #expect(replayed.items.count == 120 && replayed.seizures.map(\.items.count) == [40, 40, 40])
        #expect(replayed.seizures[1].items[8].description == "replaced I-48" && replayed.seizures[1].items[9].description == nil)
    }

    @Test("a replay places a seizure opened by a later record, starts afresh after a baseline, and refuses an id added twice in one record")
    func replayAfterBaselineAndNewSeizure() throws {
        let whole = Self.sample(items: 9, seizures: 3)   // S0: I-0…2, S1: I-3…5, S2: I-6…8
        var firstTwo = whole
        firstTwo.seizures.removeLast()
        var rebased = Self.sample(items: 4, seizures: 1)   // a baseline of one seizure S0: I-0…3
        rebased.seizures[0].items[3].description = "from the baseline"
        var renamed = rebased.seizures[0].items
        for index in renamed.indices { renamed[index].description = "after the baseline \(index)" }
        var later = whole.seizures[2]
        later.items = later.items.map { item in var item = item; item.description = "S2 replaced"; return item }
        let at = Self.zoned("2020-06-18T08:00:00+01:00")
        func records(_ changes: [CaseChange]) throws -> [RecordEvent] {
            try changes.enumerated().map { offset, change in
                var record = try RecordEvent.draft(kind: "test", at: at, actor: "DC", reason: "step \(offset)", changes: [change])
                record.sequence = offset + 1
                return record
            }
        }
        // S2 arrives in a record of its own, after S0 and S1, and its items are then replaced.
        let steps: [CaseChange] = [.baseline(firstTwo), .itemsAdded([whole.seizures[2]]), .itemsReplaced(later.items),
                                   // The case replaced whole: places found afresh, I-3 now in S0.
                                   .baseline(rebased), .itemsReplaced(renamed)]
        let replayed = try CaseLedger.replay("C-1", records: try records(Array(steps.prefix(3))))
        #expect(replayed.seizures.map(\.id) == ["S0", "S1", "S2"] && replayed.seizures[2].items.map(\.description) == ["S2 replaced", "S2 replaced", "S2 replaced"])
        let rebuilt = try CaseLedger.replay("C-1", records: try records(steps))
        #expect(rebuilt.seizures.map(\.id) == ["S0"] && rebuilt.seizures[0].items.map(\.description) == (0..<4).map { "after the baseline \($0)" })
        // The same id twice in one change: refused, as an id already taken is.
        var twice = whole.seizures[2]
        twice.id = "S7"
        twice.items = [twice.items[0], twice.items[0]]
        #expect { try CaseLedger.replay("C-1", records: try records([.baseline(firstTwo), .itemsAdded([twice])])) } throws: {
            ($0 as? HaulCoreError)?.message == "case C-1 already has an item I-6"
        }
    }
}
