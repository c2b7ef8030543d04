import Foundation
import HaulCore
import HaulTestSupport
@testable import HaulProceedings
import Testing

@Suite("Item statuses for export")
struct StandingTests {
    @Test("item by item (the streamed export) and the whole case at once give each item the same status")
    func twoPathsAgree() throws {
        let operation = Fixtures.fullCase()
        let book = DeadlineTests.book
        let whole = CaseStanding.withStatuses(operation, rules: book)
        let index = CaseStanding.EventIndex(operation.history)
        var moved = 0
        for (seizure, withStatuses) in zip(operation.seizures, whole.seizures) {
            for (item, expected) in zip(seizure.items, withStatuses.items) {
                let streamed = CaseStanding.withStatus(item, in: seizure, index: index, rules: book)
                #expect(streamed.status == expected.status, "\(item.id)")
                if streamed.status != nil { moved += 1 }
            }
        }
        // I-1 and I-3 were moved (Fixtures.fullHistory): detained since the second move, at 07:25.
        #expect(moved == 2)
        let first = CaseStanding.withStatus(operation.seizures[0].items[0], in: operation.seizures[0], index: index, rules: book)
        #expect(first.id == "I-1" && first.status?.state == .detained && first.status?.since.iso8601 == "2020-06-18T07:25:00+01:00")
    }

    @Test("a move naming an item twice is one move of it, through the index as through the history filtered by item")
    func namedTwice() throws {
        var operation = Fixtures.fullCase()
        // The first move names I-1 twice (a chain imported from elsewhere, or a raw append).
        let first = try #require(operation.history.firstIndex { $0.items.contains("I-1") })
        operation.history[first].items.append("I-1")
        let item = operation.seizures[0].items[0]
        let indexed = CaseStanding.EventIndex(operation.history).events(of: "I-1")
        #expect(indexed == StatusEvent.inForce(operation.history).filter { $0.items.contains("I-1") })
        #expect(Set(indexed.map(\.sequence)).count == indexed.count)
        let byIndex = CaseStanding.standing(of: item, in: operation.seizures[0], history: indexed, rules: DeadlineTests.book)
        let byHistory = CaseStanding.standing(of: item, in: operation.seizures[0], events: operation.history, rules: DeadlineTests.book)
        #expect(byIndex.state == byHistory.state && byIndex.deadline == byHistory.deadline && byIndex.history == byHistory.history)
    }

    @Test("an item never moved carries no status, even one set on it before")
    func unmoved() throws {
        let operation = Fixtures.fullCase()
        var item = operation.seizures[0].items[1]
        item.status = ItemStatus(state: .detained, since: Fixtures.time("2020-06-18T07:25:00+01:00"), nextDeadline: nil)
        let result = CaseStanding.withStatus(item, in: operation.seizures[0], index: CaseStanding.EventIndex(operation.history), rules: DeadlineTests.book)
        #expect(item.id == "I-2" && result.status == nil)
    }
}
