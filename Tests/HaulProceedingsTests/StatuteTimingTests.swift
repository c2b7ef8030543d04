import Foundation
import HaulTables
import HaulCore
import HaulData
@testable import HaulProceedings
import Testing

/// The counting conventions and move timing of the issue "the law as written", items 1–5: each
/// answer worked by hand from the statute's words and a 2020 calendar, then compared with the
/// shipped packs.
@Suite("Deadlines and moves as the statute counts them")
struct StatuteTimingTests {
    let deadlines = DeadlineTests()
    var cash: Lifecycle { Lifecycle(pack: DeadlineTests.book.packs["cash"]!) }

    /// A history whose events each record the state they left, as the register does.
    func history(_ moves: [(State, String)]) -> [StatusEvent] {
        deadlines.chained(moves.enumerated().map { deadlines.event($0.offset + 1, $0.element.0, $0.element.1) })
    }

    func due(_ lifecycle: Lifecycle, _ events: [StatusEvent], seized: String) throws -> Deadline? {
        try lifecycle.deadline(in: events.last?.to ?? lifecycle.pack.initialState, history: events, seizedAt: london(seized))
    }

    // MARK: 1. Initial detention from the seizure

    @Test("s.295(1): the 48 hours run from the seizure, not from a detention recorded 30 hours later")
    func cashFromSeizure() throws {
        // Seized Thursday 18 June 2020 07:20; detention recorded Friday 13:20 (30 hours on). From the
        // seizure: Thursday 16 h 40 min, Friday 24 h (40 h 40 min), weekend not counted, Monday 7 h 20 min:
        // due Monday 22 June 07:20. Counted from the record it would have been Tuesday 13:20.
        let events = history([(.detained, "2020-06-19T13:20:00+01:00")])
        let deadline = try #require(try due(cash, events, seized: "2020-06-18T07:20:00+01:00"))
        #expect(deadline.due.iso8601 == "2020-06-22T07:20:00+01:00")
        #expect(deadline.rule == "gb-cash-initial-detention")
    }

    @Test("s.303K: listed assets' 6 hours, and the 48 on extension, run from the seizure")
    func listedFromSeizure() throws {
        let listed = Lifecycle(pack: DeadlineTests.book.packs["listed-assets"]!)
        // Seized 07:20, detention recorded 09:00: 6 hours from 07:20 is 13:20.
        var events = history([(.detained, "2020-06-18T09:00:00+01:00")])
        #expect(try due(listed, events, seized: "2020-06-18T07:20:00+01:00")?.due.iso8601 == "2020-06-18T13:20:00+01:00")
        // Extended at 12:00: 48 hours from the seizure, Saturday 20 June 07:20.
        events = history([(.detained, "2020-06-18T09:00:00+01:00"), (.detentionExtended, "2020-06-18T12:00:00+01:00")])
        #expect(try due(listed, events, seized: "2020-06-18T07:20:00+01:00")?.due.iso8601 == "2020-06-20T07:20:00+01:00")
    }

    @Test("s.303Z30: cryptoasset-related items' 48 working hours run from the seizure")
    func cryptoFromSeizure() throws {
        let crypto = Lifecycle(pack: DeadlineTests.book.packs["cryptoassets"]!)
        // Seized Friday 3 May 2024 16:00 (Monday 6 May is the early May bank holiday): Friday 8 h,
        // weekend and Monday not counted, Tuesday 24 h, Wednesday 16 h: Wednesday 8 May 16:00.
        let events = history([(.detained, "2024-05-04T10:00:00+01:00")])
        #expect(try due(crypto, events, seized: "2024-05-03T16:00:00+01:00")?.due.iso8601 == "2024-05-08T16:00:00+01:00")
    }

    // MARK: 2. Forfeiture notices

    @Test("s.297B: 30 days starting with the day after the notice; forfeiture only once they have run")
    func objectionPeriod() throws {
        let seized = "2020-06-18T07:20:00+01:00"
        // Notice given Wednesday 1 July 2020: day one is 2 July, day 30 is 31 July. (Beginning with
        // the notice day, as before, it ended on 30 July, a day early.)
        let notice = history([(.detained, seized), (.detentionOrder, "2020-06-19T10:00:00+01:00"), (.forfeitureNotice, "2020-07-01T10:00:00+01:00")])
        let period = try #require(try due(cash, notice, seized: seized))
        #expect(period.due.iso8601 == "2020-07-31T23:59:59+01:00")
        #expect(period.rule == "gb-cash-notice-objection")
        // On the period's last day the move is refused; the next day it is allowed.
        #expect { try cash.check(Move(to: .forfeited, at: london("2020-07-31T16:00:00+01:00")), history: notice, seizedAt: london(seized), seizureValue: nil) } throws: {
            ($0 as? ProceedingsError)?.code == .tooEarly && "\($0)".contains("2020-07-31T23:59:59+01:00")
        }
        #expect(try cash.check(Move(to: .forfeited, at: london("2020-08-01T09:00:00+01:00")), history: notice, seizedAt: london(seized), seizureValue: nil).to == .forfeited)
        // An objection on the last day makes the notice lapse; the day after, it is late.
        #expect(try cash.check(Move(to: .noticeLapsed, at: london("2020-07-31T16:00:00+01:00")), history: notice, seizedAt: london(seized), seizureValue: nil).to == .noticeLapsed)
        #expect { try cash.check(Move(to: .noticeLapsed, at: london("2020-08-01T09:00:00+01:00")), history: notice, seizedAt: london(seized), seizureValue: nil) } throws: {
            ($0 as? ProceedingsError)?.code == .late
        }
    }

    @Test("s.297E after a notice forfeiture, s.299 after an order or a refusal")
    func remedies() throws {
        let seized = "2020-06-18T07:20:00+01:00"
        // Forfeited by notice on 1 August: the set-aside window is 30 days starting with 31 July,
        // the day the objection period ended: 31 July + 29 = 29 August.
        let byNotice = history([(.detained, seized), (.detentionOrder, "2020-06-19T10:00:00+01:00"),
                                (.forfeitureNotice, "2020-07-01T10:00:00+01:00"), (.forfeited, "2020-08-01T09:00:00+01:00")])
        let setAside = try #require(try due(cash, byNotice, seized: seized))
        #expect(setAside.rule == "gb-cash-set-aside")
        #expect(setAside.due.iso8601 == "2020-08-29T23:59:59+01:00")
        // Forfeited by order on Monday 3 August: 30 days starting with that day, to 1 September.
        let byOrder = history([(.detained, seized), (.forfeitureApplication, "2020-06-19T10:00:00+01:00"), (.forfeited, "2020-08-03T11:00:00+01:00")])
        let appeal = try #require(try due(cash, byOrder, seized: seized))
        #expect(appeal.rule == "gb-cash-appeal")
        #expect(appeal.due.iso8601 == "2020-09-01T23:59:59+01:00")
        // The order is final only once the window has run.
        #expect { try cash.check(Move(to: .final, at: london("2020-09-01T12:00:00+01:00")), history: byOrder, seizedAt: london(seized), seizureValue: nil) } throws: {
            ($0 as? ProceedingsError)?.code == .tooEarly
        }
        // Refused on 3 August: the same s.299 window for the applicant's appeal.
        let refused = history([(.detained, seized), (.forfeitureApplication, "2020-06-19T10:00:00+01:00"), (.refused, "2020-08-03T11:00:00+01:00")])
        let refusal = try #require(try due(cash, refused, seized: seized))
        #expect(refusal.rule == "gb-cash-refusal-appeal")
        #expect(refusal.due.iso8601 == "2020-09-01T23:59:59+01:00")
    }

    @Test("account freezing: s.303Z9(5)'s objection period counts the same way")
    func accountObjection() throws {
        let freezing = Lifecycle(pack: DeadlineTests.book.packs["account-freezing"]!)
        let events = history([(.frozen, "2020-06-01T10:00:00+01:00"), (.forfeitureNotice, "2020-07-01T10:00:00+01:00")])
        #expect(try due(freezing, events, seized: "2020-06-01T10:00:00+01:00")?.due.iso8601 == "2020-07-31T23:59:59+01:00")
    }

    // MARK: 3. Late moves

    @Test("a detention order after the 48 hours is refused without a reason, recorded with one")
    func lateOrder() throws {
        let seized = london("2020-06-18T07:20:00+01:00")
        let detained = history([(.detained, "2020-06-18T07:20:00+01:00")])
        // The 48 hours ended Monday 22 June 07:20; the order is made at 10:00.
        let order = Move(to: .detentionOrder, at: london("2020-06-22T10:00:00+01:00"), authority: "Bristol MC 2020/0622")
        #expect { try cash.check(order, history: detained, seizedAt: seized, seizureValue: Money(30_000, .gbp)) } throws: { error in
            guard let error = error as? ProceedingsError else { return false }
            return error.code == .late && error.message.contains("2020-06-22T07:20:00+01:00") && error.message.contains("--late")
        }
        var late = order
        late.late = "court listing delayed by the clerk; application lodged Friday"
        #expect(try cash.check(late, history: detained, seizedAt: seized, seizureValue: Money(30_000, .gbp)).to == .detentionOrder)
        // In time, a reason for lateness is refused rather than recorded.
        var early = late
        early.at = london("2020-06-22T07:00:00+01:00")
        #expect { try cash.check(early, history: detained, seizedAt: seized, seizureValue: Money(30_000, .gbp)) } throws: {
            ($0 as? ProceedingsError)?.code == .invalidMove
        }
        // A release is never late.
        #expect(try cash.check(Move(to: .released, at: london("2020-06-25T10:00:00+01:00")), history: detained, seizedAt: seized, seizureValue: nil).to == .released)
    }

    @Test("a further detention order after the 2-year cap is late")
    func lateAfterCap() throws {
        // First order 20 June 2020: the cap ends 19 June 2022. The last order (1 January 2022) ran
        // 6 months to 30 June 2022, but the cap ends first; an order on 20 June 2022 is late.
        let events = history([(.detained, "2020-06-18T07:20:00+01:00"), (.detentionOrder, "2020-06-20T10:00:00+01:00"),
                              (.detentionOrder, "2022-01-01T10:00:00Z")])
        let next = Move(to: .detentionOrder, at: london("2022-06-20T10:00:00+01:00"), authority: "Bristol MC 2022/0620")
        #expect { try cash.check(next, history: events, seizedAt: london("2020-06-18T07:20:00+01:00"), seizureValue: Money(30_000, .gbp)) } throws: { error in
            (error as? ProceedingsError)?.code == .late && "\(error)".contains("gb-cash-detention-cap")
        }
    }

    // MARK: 4. CAFRA

    @Test("CAFRA: the 60 days run from the seizure for an item never moved; 90 from a State or local seizure after adoption")
    func cafra() throws {
        let (book, problems) = RuleBook.shipped(.unitedStates)
        #expect(problems.isEmpty)
        let cafra = Lifecycle(pack: book.packs["cafra"]!)
        let seized = try ZonedDateTime(parsing: "2020-06-18T09:00:00-04:00", zone: "America/New_York")
        // 18 June + 60 days = 17 August ("no more than 60 days after the date of the seizure").
        let notice = try #require(try cafra.deadline(in: .seized, history: [], seizedAt: seized))
        #expect(notice.due.iso8601 == "2020-08-17T23:59:59-04:00")
        #expect(notice.rule == "us-cafra-notice")
        // Turned over by a county sheriff on 1 July: 90 days after the State seizure of 18 June = 16 September.
        let adopted = StatusEvent(sequence: 1, at: try ZonedDateTime(parsing: "2020-07-01T10:00:00-04:00", zone: "America/New_York"), items: ["I-1"],
                                  from: .seized, to: .adopted, actor: "t", previousHash: nil, hash: String(repeating: "0", count: 64))
        #expect(try cafra.deadline(in: .adopted, history: [adopted], seizedAt: seized)?.due.iso8601 == "2020-09-16T23:59:59-04:00")
        // A notice sent on 18 August without adoption is late.
        let lateNotice = Move(to: .noticeSent, at: try ZonedDateTime(parsing: "2020-08-18T10:00:00-04:00", zone: "America/New_York"), authority: "DEA letter 20-0818")
        #expect { try cafra.check(lateNotice, history: [], seizedAt: seized, seizureValue: nil) } throws: { ($0 as? ProceedingsError)?.code == .late }
        #expect(try cafra.check(lateNotice, history: [adopted], seizedAt: seized, seizureValue: nil).to == .noticeSent)
    }

    // MARK: 5. Commencement

    @Test("cash detention orders: 3 months before the 2009 Act's s.64 came into force on 25 January 2010, 6 after", arguments: [
        ("2009-06-01T10:00:00+01:00", "2009-08-31T23:59:59+01:00"),   // 3 months beginning with 1 June
        ("2010-02-01T10:00:00Z", "2010-07-31T23:59:59+01:00"),        // 6 months beginning with 1 February
    ])
    func detentionOrderVersions(order: String, expected: String) throws {
        let events = history([(.detentionOrder, order)])
        #expect(try due(cash, events, seized: order)?.due.iso8601 == expected)
    }

    @Test("commencement: cash forfeiture notices from 1 June 2015 (SI 2015/983); account freezing from 31 January 2018 (SI 2018/78)")
    func commencement() throws {
        let day = { (text: String) in try CalendarDate(parsing: text) }
        #expect(!cash.allowedMoves(from: .detentionOrder, on: try day("2015-05-31")).map(\.to).contains(.forfeitureNotice))
        #expect(cash.allowedMoves(from: .detentionOrder, on: try day("2015-06-01")).map(\.to).contains(.forfeitureNotice))
        let freezing = Lifecycle(pack: DeadlineTests.book.packs["account-freezing"]!)
        #expect(freezing.allowedMoves(from: .seized, on: try day("2018-01-30")).isEmpty)
        #expect(freezing.allowedMoves(from: .seized, on: try day("2018-01-31")).map(\.to).contains(.frozen))
    }

    // MARK: From the review of this change

    @Test("the window after a forfeiture follows the state the history says it came from, not a stale recorded `from`")
    func enteredFromHistory() throws {
        let seized = "2020-06-18T07:20:00+01:00"
        var events = history([(.detained, seized), (.detentionOrder, "2020-06-19T10:00:00+01:00"),
                              (.forfeitureNotice, "2020-07-01T10:00:00+01:00"), (.forfeited, "2020-08-01T09:00:00+01:00")])
        // As if event 3 had been corrected from an application to a notice: event 4 still records the old state.
        events[3].from = .forfeitureApplication
        #expect(try due(cash, events, seized: seized)?.rule == "gb-cash-set-aside")
    }

    @Test("after a notice lapses, the running order and the 2-year cap still bind: a further order past the cap is late")
    func lapsedNotice() throws {
        let seized = "2020-06-18T07:20:00+01:00"
        let events = history([(.detained, seized), (.detentionOrder, "2020-06-20T10:00:00+01:00"), (.detentionOrder, "2022-01-01T10:00:00Z"),
                              (.forfeitureNotice, "2022-02-01T10:00:00Z"), (.noticeLapsed, "2022-02-10T10:00:00Z")])
        // The last order (1 January 2022) runs to 30 June 2022, the cap (first order 20 June 2020) to 19 June 2022.
        let deadline = try #require(try due(cash, events, seized: seized))
        #expect(deadline.due.iso8601 == "2022-06-19T23:59:59+01:00")
        #expect(deadline.rule == "gb-cash-lapsed-cap")
        let order = Move(to: .detentionOrder, at: london("2022-06-20T10:00:00+01:00"), authority: "Bristol MC 2022/0620")
        #expect { try cash.check(order, history: events, seizedAt: london(seized), seizureValue: Money(30_000, .gbp)) } throws: {
            ($0 as? ProceedingsError)?.code == .late
        }
    }

    @Test("cryptoassets converted after the court extended the cap keep the 3-year cap")
    func convertedAfterExtension() throws {
        let crypto = Lifecycle(pack: DeadlineTests.book.packs["cryptoassets"]!)
        let seized = "2024-05-01T10:00:00+01:00"
        let events = history([(.detained, seized), (.detentionOrder, "2024-05-02T10:00:00+01:00"), (.extended, "2026-04-01T10:00:00+01:00"),
                              (.converted, "2026-05-01T10:00:00+01:00")])
        // 3 years beginning with 2 May 2024 end on 1 May 2027 (not the 2-year cap, 1 May 2026, already past).
        let deadline = try #require(try due(crypto, events, seized: seized))
        #expect(deadline.rule == "gb-crypto-converted-extended-cap")
        #expect(deadline.due.iso8601 == "2027-05-01T23:59:59+01:00")
    }

    @Test("N months starting with the day after D: one month after 28 February ends on 31 March")
    func monthsStartingDayAfter() throws {
        let end = try DeadlineCalculator.end(of: 1, .months, counting: .startingDayAfter, from: london("2021-02-28T10:00:00Z"), calendar: nil)
        #expect(end.iso8601 == "2021-03-31T23:59:59+01:00")
    }

    @Test("before the weekend exclusion, cash's 48 hours were plain hours")
    func plainHoursBefore2006() throws {
        // Seized Friday 18 June 2004 10:00: 48 hours later is Sunday 10:00 (no calendar needed).
        let events = history([(.detained, "2004-06-18T10:00:00+01:00")])
        #expect(try due(cash, events, seized: "2004-06-18T10:00:00+01:00")?.due.iso8601 == "2004-06-20T10:00:00+01:00")
    }

    @Test("an order may be recorded overdue whenever the court's time to pay has passed (the date is the order's, not the statutory maximum)")
    func overdueAnyTime() throws {
        let confiscation = Lifecycle(pack: DeadlineTests.book.packs["confiscation"]!)
        let events = history([(.orderMade, "2021-06-01T10:00:00+01:00"), (.timeToPay, "2021-06-01T10:00:00+01:00")])
        // One month's time to pay was given; on 5 July the sum is unpaid: overdue, though the 3-month maximum has not ended.
        #expect(try confiscation.check(Move(to: .overdue, at: london("2021-07-05T10:00:00+01:00")), history: events,
                                       seizedAt: london("2021-06-01T10:00:00+01:00"), seizureValue: nil).to == .overdue)
    }

    @Test("a pack naming an unknown period to count from is refused with its line")
    func unknownEndAnchor() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haul-pack-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = HaulData.rulesDirectory.appendingPathComponent("GB-EAW/cash")
        try FileManager.default.copyItem(at: source, to: folder)
        let file = folder.appendingPathComponent("deadlines.csv")
        var text = try String(contentsOf: file, encoding: .utf8)
        text = text.replacingOccurrences(of: "end:gb-cash-notice-objection", with: "end:gb-cash-no-such-period")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let (pack, problems) = RulePackLoader.load(folder: folder, displayName: "test/cash") { _ in WorkingCalendar(holidays: [], source: "none") }
        #expect(pack == nil)
        #expect(problems.map(\.diagnostic).contains { $0.hasPrefix("test/cash/deadlines.csv:8:7: anchor: 'end:gb-cash-no-such-period'") })
    }
}
