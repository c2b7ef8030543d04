import Foundation
import HaulData
import Testing

/// `haul correct`: a wrong status move is replaced by a new event, never edited; deadlines
/// follow the correction, history shows both, and a correction that would make a later move
/// illegal is refused with the register unchanged.
@Suite("haul correct")
struct CorrectionCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    @Test("a corrected detention time leaves the 48-hour deadline with the seizure (s.295(1)) and warns; the old event stays in the history")
    func correctedDeadline() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        // Event 2 (after the import, event 1) put I-009 in detention on Thursday 18 June 07:20, the time of
        // seizure S2. The custody record says Friday 09:00. s.295(1): cash "may be detained initially for a
        // period of 48 hours" from its seizure, so the deadline stays: Thursday 16 h 40 min, Friday 24 h,
        // the weekend not counted, Monday 7 h 20 min = 48 working hours, due Monday 22 June 07:20.
        let corrected = try cli.haul("correct", "SW-2020-0417/2", "--on", "2020-06-19T09:00", "--reason", "custody record: found Friday 09:00", environment: env)
        #expect(corrected.status == 0)
        #expect(corrected.stdout == """
            Event 2 of case SW-2020-0417 corrected by event 5: seized → detained at 2020-06-19T09:00:00+01:00
              reason: custody record: found Friday 09:00
              I-009 next deadline: 2020-06-22 07:20 — gb-cash-initial-detention (POCA 2002 s.295(1): cash seized under s.294 may be detained initially for 48 hours, counted from the seizure, not counting Saturdays, Sundays, Christmas Day, Good Friday or bank holidays (s.295(1B)))

            """)
        // 07:20 Thursday to 09:00 Friday: 25 h 40 min.
        #expect(corrected.stderr == "haul: warning: I-009 was seized at 2020-06-18T07:20:00+01:00; gb-cash-initial-detention counts from the seizure, not from this move recorded 1 day 1 h 40 min later\n")
        let due = try cli.haul("due", "--on", "2020-06-20", "--within", "10d", environment: env)
        #expect(due.stdout.contains("  2020-06-22 07:20  SW-2020-0417/I-009 (HAL/SH/1)  detained\n"))
        #expect(!due.stdout.contains("2020-06-23 09:00"))

        let history = try cli.haul("history", "I-009", environment: env).stdout
        #expect(history.hasPrefix("Item I-009 of case SW-2020-0417: 2 events\n"))
        #expect(history.contains("#2  2020-06-18T07:20:00+01:00  seized → detained  [gb-eaw-cash]  [corrected by #5; not in force]"))
        #expect(history.contains("#5  2020-06-19T09:00:00+01:00  seized → detained  [gb-eaw-cash]  corrects #2"))
        #expect(try cli.haul("audit", environment: env).stdout.hasPrefix("case SW-2020-0417: 5 events verify"))

        // Exported, it validates (xmllint agrees) and survives a round trip with its correction.
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/first.xml", environment: env).status == 0)
        let text = try String(contentsOfFile: folder + "/first.xml", encoding: .utf8)
        #expect(text.contains("<supersedes>2</supersedes>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/first.xml") { #expect(accepted) }
        // A file whose correction points forward (or at itself) is refused by name and line.
        let forward = text.replacingOccurrences(of: "<supersedes>2</supersedes>", with: "<supersedes>5</supersedes>")
        try forward.write(toFile: folder + "/forward.xml", atomically: true, encoding: .utf8)
        let refused = try cli.haul("validate", folder + "/forward.xml")
        #expect(refused.status == 1)
        #expect((refused.stdout + refused.stderr).contains("event 5 corrects event 5, which is not earlier in the chain"))
        // The changed event no longer matches its hash either: validate recomputes it.
        #expect((refused.stdout + refused.stderr).contains("event 5 was altered"))
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", folder + "/first.xml", environment: second).status == 0)
        #expect(try cli.haul("due", "--on", "2020-06-20", "--within", "10d", environment: second).stdout == due.stdout)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/second.xml", environment: second).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/second.xml")) == Data(text.utf8))
    }

    @Test("refused: a correction that breaks a later move, one already corrected, one that changes nothing; the register unchanged")
    func refused() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        let before = try cli.haul("audit", environment: env).stdout
        // An item named where the event belongs (and nothing else given yet): the event is asked for first.
        let item = try cli.haul("correct", "SW-2020-0417/I-013", "--reason", "x", environment: env)
        #expect(item.status == 64 && item.stderr.contains("'SW-2020-0417/I-013' is not an event; write CASE/N, the case and the event's number"), "\(item.stderr)")
        // I-013 was detained (event 3), then a detention order made (event 4). Had event 3 been a
        // release, the order could not follow: released is final.
        let breaking = try cli.haul("correct", "SW-2020-0417/3", "--to", "released", "--reason", "test", environment: env)
        #expect(breaking.status == 1)
        #expect(breaking.stderr.hasPrefix("haul: after this correction, event 4 (→ detention-order at 2020-06-22T11:00:00+01:00) of I-013 would not be allowed: "))
        // Moving the detention after the order would put the moves out of order.
        let late = try cli.haul("correct", "SW-2020-0417/3", "--on", "2020-06-23T10:00", "--reason", "test", environment: env)
        #expect(late.status == 1)
        #expect(late.stderr.contains("event 4"))
        let nothing = try cli.haul("correct", "SW-2020-0417/3", "--on", "2020-06-20T14:40", "--reason", "test", environment: env)
        #expect(nothing.stderr == "haul: the correction changes nothing in event 3\n")
        let missing = try cli.haul("correct", "SW-2020-0417/9", "--on", "2020-06-20T14:40", "--reason", "test", environment: env)
        #expect(missing.stderr == "haul: case SW-2020-0417 has no status move 9 (haul history ITEM lists them)\n")
        // Event 1 is the import's record, not a status move.
        let record = try cli.haul("correct", "SW-2020-0417/1", "--on", "2020-06-20T14:40", "--reason", "test", environment: env)
        #expect(record.stderr == "haul: case SW-2020-0417 has no status move 1 (haul history ITEM lists them)\n")
        #expect(try cli.haul("correct", "SW-2020-0417/3", "--on", "2020-06-20T15:00", "--reason", "test", environment: env).status == 0)
        let twice = try cli.haul("correct", "SW-2020-0417/3", "--on", "2020-06-20T16:00", "--reason", "test", environment: env)
        #expect(twice.stderr == "haul: event 3 of case SW-2020-0417 was already corrected by event 5; correct event 5 instead\n")
        let after = try cli.haul("audit", environment: env).stdout
        #expect(before.hasPrefix("case SW-2020-0417: 4 events verify"))
        #expect(after.hasPrefix("case SW-2020-0417: 5 events verify"))
    }
}
