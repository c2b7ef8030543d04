import Foundation
import HaulTables
import HaulCore
@testable import HaulProceedings
import Testing

func london(_ text: String) -> ZonedDateTime { try! ZonedDateTime(parsing: text, zone: "Europe/London") }

/// Deadlines worked out by hand from the statute's words and a calendar, then compared with the
/// shipped packs' answers.
@Suite("Deadlines from the shipped England & Wales packs")
struct DeadlineTests {
    static let book: RuleBook = {
        let (book, problems) = RuleBook.shipped(.englandAndWales)
        precondition(problems.isEmpty, "\(problems)")
        return book
    }()

    var cash: Lifecycle { Lifecycle(pack: Self.book.packs["cash"]!) }

    func event(_ sequence: Int, _ to: State, _ at: String) -> StatusEvent {
        StatusEvent(sequence: sequence, at: london(at), items: ["I-1"], from: nil, to: to, actor: "test", previousHash: nil, hash: String(repeating: "0", count: 64))
    }

    /// Each event's `from` filled in from the one before, as the register records them.
    func chained(_ history: [StatusEvent]) -> [StatusEvent] {
        var result = history
        for index in result.indices.dropFirst() { result[index].from = result[index - 1].to }
        return result
    }

    /// The deadline after `history`, the seizure taken to be the first event's time.
    func due(_ lifecycle: Lifecycle, _ history: [StatusEvent]) throws -> String? {
        try lifecycle.deadline(in: history.last!.to, history: chained(history), seizedAt: history[0].at)?.due.iso8601
    }

    @Test("48 hours of s.295(1), counting only working days", arguments: [
        // Friday 18:00: Friday gives 6 h, the weekend none, Monday 24 h, Tuesday the last 18 h.
        ("2020-06-19T18:00:00+01:00", "2020-06-23T18:00:00+01:00"),
        // Maundy Thursday 15:00: 9 h; Good Friday to Easter Monday excluded; Tuesday 24 h; Wednesday 15 h.
        ("2020-04-09T15:00:00+01:00", "2020-04-15T15:00:00+01:00"),
        // Christmas Eve 10:00: 14 h; 25th, the weekend and Boxing Day (substitute Mon 28th) excluded;
        // Tuesday 29th 24 h; Wednesday 30th 10 h.
        ("2020-12-24T10:00:00Z", "2020-12-30T10:00:00Z"),
        // Across the clocks going forward (Sunday 28 March 2021, itself excluded): Friday 12 h,
        // Monday 24 h, Tuesday 12 h — at 12:00 BST.
        ("2021-03-26T12:00:00Z", "2021-03-30T12:00:00+01:00"),
        // Monday 00:00 exactly: 48 h later is Wednesday 00:00.
        ("2022-06-06T00:00:00+01:00", "2022-06-08T00:00:00+01:00"),
    ])
    func initialDetention(detained: String, expected: String) throws {
        let history = [event(1, .detained, detained)]
        #expect(try due(cash, history) == expected)
    }

    @Test("a date outside the bank-holiday calendar is refused, not guessed")
    func outsideCalendar() {
        #expect { try due(cash, [event(1, .detained, "2017-12-29T10:00:00Z")]) } throws: { error in
            (error as? ProceedingsError)?.code == .outsideCalendar
        }
    }

    @Test("detention orders: 6 months beginning with the order; corresponding dates; month ends", arguments: [
        ("2020-01-10T10:00:00Z", "2020-07-09T23:59:59+01:00"),          // DESIGN.md's example
        ("2020-08-31T10:00:00+01:00", "2021-02-28T23:59:59Z"),          // no 31 February: the month's last day
        ("2019-08-29T10:00:00+01:00", "2020-02-28T23:59:59Z"),          // 29 February 2020 exists: the day before it
        ("2020-03-01T10:00:00Z", "2020-08-31T23:59:59+01:00"),          // 1 September − 1 day
    ])
    func detentionOrder(order: String, expected: String) throws {
        let history = [event(1, .detained, "2020-01-08T09:00:00Z"), event(2, .detentionOrder, order)]
        #expect(try due(cash, history) == expected)
    }

    @Test("each renewal runs 6 months, but never past 2 years beginning with the first order")
    func detentionCap() throws {
        var history = [event(1, .detained, "2020-06-18T07:20:00+01:00"), event(2, .detentionOrder, "2020-06-20T10:00:00+01:00")]
        #expect(try due(cash, history) == "2020-12-19T23:59:59Z")
        history.append(event(3, .detentionOrder, "2021-12-01T10:00:00Z"))
        #expect(try due(cash, history) == "2022-05-31T23:59:59+01:00")
        history.append(event(4, .detentionOrder, "2022-05-20T10:00:00+01:00"))
        // 6 months would run to 19 November 2022; the cap (2 years beginning with 20 June 2020) ends 19 June 2022.
        let deadline = try cash.deadline(in: .detentionOrder, history: history, seizedAt: history[0].at)
        #expect(deadline?.due.iso8601 == "2022-06-19T23:59:59+01:00")
        #expect(deadline?.rule == "gb-cash-detention-cap")
    }

    @Test("a 2-year cap from 29 February ends at the end of 28 February")
    func leapCap() throws {
        let history = [event(1, .detained, "2020-02-27T09:00:00Z"), event(2, .detentionOrder, "2020-02-29T10:00:00Z"),
                       event(3, .detentionOrder, "2021-12-20T10:00:00Z")]
        #expect(try due(cash, history) == "2022-02-28T23:59:59Z")
    }

    @Test("appeal: 30 days starting with the day of the order (3 January → end of 1 February)")
    func appeal() throws {
        let history = [event(1, .forfeitureApplication, "2020-01-02T10:00:00Z"), event(2, .forfeited, "2020-01-03T14:00:00Z")]
        #expect(try due(cash, history) == "2020-02-01T23:59:59Z")
    }

    @Test("confiscation time to pay: 3 months from an order since June 2015, 6 months before", arguments: [
        ("2016-03-31T11:00:00+01:00", "2016-06-30T23:59:59+01:00"),    // no 31 June: the month's last day
        ("2014-05-01T11:00:00+01:00", "2014-10-31T23:59:59Z"),          // the pre-2015 rule, selected by the order date
    ])
    func timeToPay(order: String, expected: String) throws {
        let lifecycle = Lifecycle(pack: Self.book.packs["confiscation"]!)
        let history = [event(1, .orderMade, order), event(2, .timeToPay, order)]
        #expect(try due(lifecycle, history) == expected)
    }

    @Test("listed assets: 6 hours, then 48 hours from the start when a senior officer extends")
    func listedAssets() throws {
        let lifecycle = Lifecycle(pack: Self.book.packs["listed-assets"]!)
        var history = [event(1, .detained, "2020-06-18T07:20:00+01:00")]
        #expect(try due(lifecycle, history) == "2020-06-18T13:20:00+01:00")
        history.append(event(2, .detentionExtended, "2020-06-18T12:00:00+01:00"))
        #expect(try due(lifecycle, history) == "2020-06-20T07:20:00+01:00")
    }

    @Test("cryptoassets: the cap is 3 years once the court extends it")
    func cryptoCap() throws {
        let lifecycle = Lifecycle(pack: Self.book.packs["cryptoassets"]!)
        let history = [event(1, .detained, "2024-05-01T10:00:00+01:00"), event(2, .detentionOrder, "2024-05-02T10:00:00+01:00"),
                       event(3, .extended, "2027-02-01T10:00:00Z")]
        // 6 months from 1 Feb 2027 would end 31 July 2027; the 3-year cap from 2 May 2024 ends 1 May 2027.
        #expect(try due(lifecycle, history) == "2027-05-01T23:59:59+01:00")
    }

    @Test("US CAFRA: notice no later than 60 days after seizure")
    func cafra() throws {
        let (book, problems) = RuleBook.shipped(.unitedStates)
        #expect(problems.isEmpty)
        let lifecycle = Lifecycle(pack: book.packs["cafra"]!)
        let seized = StatusEvent(sequence: 1, at: try ZonedDateTime(parsing: "2020-06-18T09:00:00-04:00", zone: "America/New_York"),
                                 items: ["I-1"], from: nil, to: .seized, actor: "t", previousHash: nil, hash: String(repeating: "0", count: 64))
        #expect(try lifecycle.deadline(in: .seized, history: [seized], seizedAt: seized.at)?.due.iso8601 == "2020-08-17T23:59:59-04:00")
    }
}

@Suite("Status moves under the packs")
struct MoveTests {
    var cash: Lifecycle { Lifecycle(pack: DeadlineTests.book.packs["cash"]!) }
    let seized = london("2020-06-18T07:20:00+01:00")

    func detained() -> [StatusEvent] {
        [StatusEvent(sequence: 1, at: seized, items: ["I-1"], from: .seized, to: .detained, actor: "t", previousHash: nil, hash: String(repeating: "0", count: 64))]
    }

    @Test("a move the pack does not allow is refused with the allowed moves listed")
    func illegal() {
        #expect { try cash.check(Move(to: .forfeited, at: london("2020-06-19T10:00:00+01:00")), history: detained(), seizedAt: seized, seizureValue: Money(30_000, .gbp)) } throws: { error in
            guard let error = error as? ProceedingsError else { return false }
            return error.code == .illegalMove
                && error.message == "Civil recovery of cash (POCA 2002 Part 5 Chapter 3) does not allow detained → forfeited on 2020-06-19; allowed from detained: detention-order, forfeiture-application, released"
        }
    }

    @Test("a move that needs a court order is refused without its reference")
    func authority() throws {
        #expect { try cash.check(Move(to: .detentionOrder, at: london("2020-06-19T10:00:00+01:00")), history: detained(), seizedAt: seized, seizureValue: Money(30_000, .gbp)) } throws: {
            ($0 as? ProceedingsError)?.code == .authorityRequired
        }
        let rule = try cash.check(Move(to: .detentionOrder, at: london("2020-06-19T10:00:00+01:00"), authority: "BRS-MC-2020-0619"), history: detained(), seizedAt: seized, seizureValue: Money(30_000, .gbp))
        #expect(rule.source.contains("s.295(2)"))
    }

    @Test("the £1,000 minimum across the seizure", arguments: [("999.99", false), ("1000", true), ("1000.01", true)])
    func threshold(amount: String, allowed: Bool) {
        let value = Money(FixedDecimal(amount)!, .gbp)
        let outcome = Result { try cash.check(Move(to: .detained, at: seized), history: [], seizedAt: seized, seizureValue: value) }
        switch outcome {
        case .success: #expect(allowed)
        case .failure(let error): #expect(!allowed && (error as? ProceedingsError)?.code == .belowThreshold)
        }
    }

    @Test("a move earlier than the last one is refused")
    func ordered() {
        #expect { try cash.check(Move(to: .released, at: london("2020-06-18T07:00:00+01:00")), history: detained(), seizedAt: seized, seizureValue: nil) } throws: {
            ($0 as? ProceedingsError)?.code == .invalidMove
        }
    }

    @Test("final states allow nothing; rules not yet in force allow nothing")
    func finalAndDated() {
        #expect(cash.allowedMoves(from: .final, on: try! CalendarDate(parsing: "2020-01-01")).isEmpty)
        let crypto = Lifecycle(pack: DeadlineTests.book.packs["cryptoassets"]!)
        #expect(crypto.allowedMoves(from: .seized, on: try! CalendarDate(parsing: "2024-04-25")).isEmpty)
        #expect(crypto.allowedMoves(from: .seized, on: try! CalendarDate(parsing: "2024-04-26")).map(\.to) == [.detained, .released])
    }
}

/// The disposal pack: where every item ends (returned, destroyed, sold, forfeited) and the
/// review of what is retained.
@Suite("Disposal of seized property")
struct DisposalTests {
    let deadlines = DeadlineTests()
    func event(_ sequence: Int, _ to: State, _ at: String) -> StatusEvent { deadlines.event(sequence, to, at) }
    func due(_ lifecycle: Lifecycle, _ history: [StatusEvent]) throws -> String? { try deadlines.due(lifecycle, history) }

    var disposal: Lifecycle { Lifecycle(pack: DeadlineTests.book.packs["disposal"]!) }

    @Test("disposal: retention reviewed 12 months beginning with the decision; a review restarts it; destruction needs its order; final states end the item")
    func disposalLifecycle() throws {
        // Retained Friday 19 June 2020: 12 months beginning with that day end on 18 June 2021.
        let retained = [event(1, .retained, "2020-06-19T10:00:00+01:00")]
        #expect(try due(disposal, retained) == "2021-06-18T23:59:59+01:00")
        // Reviewed on 10 June 2021: the next review falls due at the end of 9 June 2022.
        let reviewed = retained + [event(2, .retained, "2021-06-10T09:00:00+01:00")]
        #expect(try due(disposal, reviewed) == "2022-06-09T23:59:59+01:00")
        // The interval is illustrative policy, and the deadline says so.
        let deadline = try #require(try disposal.deadline(in: .retained, history: retained, seizedAt: retained[0].at))
        #expect(!deadline.isVerified)

        let destroy = Move(to: .destroyed, at: london("2021-01-10T10:00:00Z"), authority: nil)
        #expect { try disposal.check(destroy, history: retained, seizedAt: retained[0].at, seizureValue: nil) } throws: { error in
            (error as? ProceedingsError)?.code == .authorityRequired
        }
        let ordered = Move(to: .destroyed, at: london("2021-01-10T10:00:00Z"), authority: "Bromley MC 2021/0110 (Firearms Act 1968 s.52)")
        #expect(try disposal.check(ordered, history: retained, seizedAt: retained[0].at, seizureValue: nil).to == .destroyed)
        // Returned needs no order; after it nothing more can happen to the item.
        let returned = retained + [event(2, .returned, "2021-01-11T10:00:00Z")]
        #expect(disposal.allowedMoves(from: .returned, on: london("2021-01-12T10:00:00Z").date).isEmpty)
        #expect { try disposal.check(Move(to: .sold, at: london("2021-01-12T10:00:00Z"), authority: "x"), history: returned, seizedAt: retained[0].at, seizureValue: nil) } throws: { error in
            (error as? ProceedingsError)?.code == .illegalMove
        }
    }
}
