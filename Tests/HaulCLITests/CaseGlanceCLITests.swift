import Foundation
import Testing

/// `haul case show`: the supervisor's view, checked against figures counted by hand from the
/// bundled example.
@Suite("haul case show")
struct CaseGlanceCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    @Test("values by kind and basis, statuses, overdue and next deadlines, items by kind; 80 columns; JSON")
    func glance() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        let before = try cli.haul("case", "show", "SW-2020-0417", "--on", "2020-06-23", environment: env).stdout
        #expect(before.contains("\nValues: not valued yet (haul value SW-2020-0417)\n"))
        #expect(try cli.haul("value", "SW-2020-0417", "--save", environment: env).status == 0)

        let shown = try cli.haul("case", "show", "SW-2020-0417", "--on", "2020-06-23", environment: env)
        #expect(shown.status == 0)
        let text = shown.stdout
        #expect(text.hasPrefix("Case SW-2020-0417 (GB-EAW), Operation Halite (illustrative), opened 2020-06-18\n3 seizures, 14 items, 5 events (3 status moves); chain head "))
        // Cash at face value: 500,000 + 30,000 + 80,000 (the example's three cash exhibits).
        #expect(text.contains("\n  cash         face            3  £610,000.00  £610,000.00  £610,000.00\n"))
        // I-009 detained, I-013 under a detention order; the other twelve seized, each under its
        // kind's default regime (drugs, vehicles and the unvalued items under disposal).
        #expect(text.contains("\nStatuses: seized 12, detained 1, detention-order 1\n"))
        #expect(text.contains("\nNext deadlines (from 2020-06-23)\n  OVERDUE 2020-06-22 07:20  I-009   gb-cash-initial-detention\n  2020-12-21 23:59  I-013   gb-cash-detention-order\n"))
        #expect(text.contains("\n  cash (3)\n    I-005   HAL/AB/5  seized            £500,000.00 face\n    I-009   HAL/SH/1  detained           £30,000.00 face        2020-06-22 07:20\n"))
        // The Range Rover and the methamphetamine have no price in the shipped tables: counted, and shown as such.
        #expect(text.contains("; 2 without a value; details: haul value SW-2020-0417\n"))
        #expect(text.contains("\n    I-002   HAL/AB/2  seized          not valued\n"))
        #expect(text.contains("\n    I-007   HAL/AB/7  seized          not valued\n"))
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })

        let json = try cli.haul("case", "show", "SW-2020-0417", "--on", "2020-06-23", "--json", environment: env)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let totals = try #require(object["totals"] as? [[String: Any]])
        #expect(totals.contains { $0["kind"] as? String == "cash" && $0["central"] as? String == "610000.00" && $0["items"] as? Int == 3 })
        #expect((object["states"] as? [String: Int]) == ["seized": 12, "detained": 1, "detention-order": 1])
        let deadlines = try #require(object["nextDeadlines"] as? [[String: Any]])
        #expect(deadlines.map { $0["item"] as? String } == ["I-009", "I-013"])
        #expect(deadlines.map { $0["overdue"] as? Bool } == [true, false])
    }
}
