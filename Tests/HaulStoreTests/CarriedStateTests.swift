import Foundation
import HaulCore
@testable import HaulStore
import HaulTestSupport
import Testing

/// A write records replaced items and the confiscation inputs whole, from the rows it read; the
/// rows must be what the chain says, or an edit made behind Haul's back becomes the write's own.
@Suite("state a write carries over is checked against the chain")
struct CarriedStateTests {
    /// A chain of three records: the case opened with one seizure of one item whose id holds a
    /// `/`, the item revalued, a payment. `records` answers as a backend does: the records that
    /// contain any needle, in order.
    func chain() throws -> (records: [RecordEvent], case: Case) {
        var operation = Fixtures.minimalCase(.cash(try CashItem(currency: .gbp, countedAmount: 80_000)))
        operation.seizures[0].items[0].id = "S1/I-13"
        let at = Fixtures.time("2021-03-01T10:00:00Z")
        var first = operation
        first.seizures[0].items = []
        var revalued = operation.seizures[0].items[0]
        revalued.valuations = [Fixtures.valuation(.face, "80000", "80000", "80000")]
        let payment = Payment(paidOn: Fixtures.day("2021-07-01"), amount: Money(100_000, .gbp))
        let records = [
            try RecordEvent.draft(kind: "opened", at: at, actor: "DC 1", reason: "opened", changes: [.opened(first), .itemsAdded(operation.seizures)]),
            try RecordEvent.draft(kind: "revalued", at: at, actor: "DC 1", reason: "revalued", changes: [.itemsReplaced([revalued])]),
            try RecordEvent.draft(kind: "payment", at: at, actor: "DC 1", reason: "paid", changes: [.paymentAdded(payment)]),
        ].enumerated().map { index, record in var numbered = record; numbered.sequence = index + 1; return numbered }
        return (records, try CaseLedger.replay(operation.reference, records: records))
    }

    /// Answers as a backend does: newest first, before a sequence, a page at a time; `read`
    /// counts the records handed over.
    final class Count { var value = 0 }

    func answering(_ records: [RecordEvent], read: Count? = nil) -> ([String]?, Int?, Int) throws -> [RecordEvent] {
        { needles, before, limit in
            let page = Array(records.reversed().filter { record in
                record.sequence < (before ?? .max) && (needles.map { list in list.contains { record.payload.contains($0) } } ?? true)
            }.prefix(limit))
            read?.value += page.count
            return page
        }
    }

    @Test("an id is looked for as JSON writes it: the item's records are found by their needles, and an unchanged item and inputs pass")
    func unchangedPasses() throws {
        let (records, replayed) = try chain()
        let needles = try #require(LedgerWriting.recordNeedles(items: ["S1/I-13"], inputs: false))
        // JSON may write '/' as "\/" (Haul's item rows do): the needles name the id both ways, and
        // the opening; the record that adds the item and the one that replaces it are found (the payment's is not).
        #expect(needles == ["\"S1/I-13\"", "\"S1\\/I-13\"", "\"opened\"", "\"baseline\""])
        #expect(records.filter { record in needles.contains { record.payload.contains($0) } }.map(\.sequence) == [1, 2])
        let item = try #require(replayed.locate("S1/I-13")?.item)
        let changes: [CaseChange] = [.itemsReplaced([item]), .confiscationInputs(replayed.confiscationInputs)]
        try LedgerWriting.refuseUnchainedState(changes, loaded: replayed, records: answering(records))
        // The revaluing record written with "\/": the same item, found by the other needle.
        var escaped = records
        escaped[1].payload = escaped[1].payload.replacingOccurrences(of: "S1/I-13", with: "S1\\/I-13")
        #expect(escaped[1].payload.contains("S1\\/I-13") && !escaped[1].payload.contains("S1/I-13"))
        try LedgerWriting.refuseUnchainedState(changes, loaded: replayed, records: answering(escaped))
        // Newest first, a record at a time here, and no further than the last versions: for the
        // item, the revaluing record (2) alone; with the inputs too, the payment (3) and on to the
        // opening (1), which set them whole.
        let read = Count()
        try LedgerWriting.refuseUnchainedState([.itemsReplaced([item])], loaded: replayed, pageSize: 1, records: answering(records, read: read))
        #expect(read.value == 1)
        read.value = 0
        try LedgerWriting.refuseUnchainedState(changes, loaded: replayed, pageSize: 1, records: answering(records, read: read))
        #expect(read.value == 3)
        // Seventeen items and more: every record is read.
        #expect(LedgerWriting.recordNeedles(items: (1...17).map { try! Identifier("I-\($0)") }, inputs: true) == nil)
    }

    @Test("as the forward replay has it: a baseline without an item leaves it out of the case; payments after the last whole set of inputs count, in order")
    func likeTheReplay() throws {
        var (records, replayed) = try chain()
        let at = Fixtures.time("2021-03-02T10:00:00Z")
        // A baseline of the case without its item, then the inputs set whole, then two payments.
        var bare = replayed
        bare.seizures[0].items = []
        var inputs = ConfiscationInputs()
        inputs.payments = [Payment(paidOn: Fixtures.day("2021-06-01"), amount: Money(5, .gbp))]
        let more = [Payment(paidOn: Fixtures.day("2021-08-01"), amount: Money(7, .gbp)), Payment(paidOn: Fixtures.day("2021-09-01"), amount: Money(9, .gbp))]
        for changes in [[CaseChange.baseline(bare)], [.confiscationInputs(inputs)], [.paymentAdded(more[0])], [.paymentAdded(more[1])]] {
            var record = try RecordEvent.draft(kind: "test", at: at, actor: "DC 1", reason: "r", changes: changes)
            record.sequence = records.count + 1
            records.append(record)
        }
        let now = try CaseLedger.replay("MIN-1", records: records)
        #expect(now.items.isEmpty && now.confiscationInputs.payments.count == 3)
        // The inputs as the replay has them pass; one payment short, they are refused.
        try LedgerWriting.refuseUnchainedState([.confiscationInputs(now.confiscationInputs)], loaded: now, pageSize: 1, records: answering(records))
        var short = now
        short.confiscationInputs.payments.removeLast()
        #expect(throws: StoreError.self) {
            try LedgerWriting.refuseUnchainedState([.confiscationInputs(short.confiscationInputs)], loaded: short, pageSize: 1, records: answering(records))
        }
        // The item put back in the rows behind Haul's back: no record since the baseline holds it.
        var edited = now
        edited.seizures[0].items = [try #require(replayed.locate("S1/I-13")?.item)]
        #expect {
            try LedgerWriting.refuseUnchainedState([.itemsReplaced(edited.items)], loaded: edited, pageSize: 1, records: answering(records))
        } throws: { error in (error as? StoreError)?.message.contains("item S1/I-13 has a row, but no record of the chain holds it") == true }
    }

    @Test("an item's details or figures, or the inputs, edited in the rows are refused, naming what differs and the record the chain last set it by")
    func editedIsRefused() throws {
        let (records, replayed) = try chain()
        var edited = replayed
        edited.updateItem("S1/I-13") { $0.details = .cash(try! CashItem(currency: .gbp, countedAmount: 8_000)) }
        let item = try #require(edited.locate("S1/I-13")?.item)
        #expect {
            try LedgerWriting.refuseUnchainedState([.itemsReplaced([item])], loaded: edited, records: answering(records))
        } throws: { error in
            (error as? StoreError)?.message.hasPrefix("case MIN-1: the rows and the chain differ in the details of item S1/I-13 (the chain's last version is in record 2); the rows were edited outside Haul") == true
        }
        var revalued = replayed
        revalued.updateItem("S1/I-13") { $0.valuations = [] }
        #expect {
            try LedgerWriting.refuseUnchainedState([.itemsReplaced([item])], loaded: revalued, records: answering(records))
        } throws: { error in (error as? StoreError)?.message.contains("the rows and the chain differ in the valuations of item S1/I-13") == true }
        var unpaid = replayed
        unpaid.confiscationInputs.payments = []
        #expect {
            try LedgerWriting.refuseUnchainedState([.confiscationInputs(unpaid.confiscationInputs)], loaded: unpaid, records: answering(records))
        } throws: { error in (error as? StoreError)?.message.contains("the rows and the chain differ in the confiscation inputs (last set by record 3)") == true }
        // A change that carries nothing from the rows reads no record at all.
        try LedgerWriting.refuseUnchainedState([.paymentAdded(Payment(paidOn: Fixtures.day("2021-08-01"), amount: Money(1, .gbp)))], loaded: unpaid) { _, _, _ in
            Issue.record("records were read for a change that carries no state")
            return []
        }
    }
}
