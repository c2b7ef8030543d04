import Foundation
import HaulTables
import HaulCore
@testable import HaulProceedings
import Testing

func gbp(_ text: String) -> Money { Money(FixedDecimal(text)!, .gbp) }
func day(_ text: String) -> CalendarDate { try! CalendarDate(parsing: text) }

/// Every expected figure is worked by hand from the statute, the shipped tables and CPIH.
@Suite("Confiscation calculator")
struct ConfiscationTests {
    static let rules: ConfiscationRules = {
        let (rules, problems) = ConfiscationRules.shipped()
        precondition(problems.isEmpty, "\(problems)")
        return rules
    }()

    /// CPIH from the domain notes: Jan 2016 99.9, Jun 2020 108.8, Jan 2024 130.0.
    static let cpih: [String: FixedDecimal] = ["2016-01": FixedDecimal("99.9")!, "2020-06": FixedDecimal("108.8")!, "2024-01": 130]

    var calculator: ConfiscationCalculator {
        ConfiscationCalculator(rules: Self.rules) { date in
            let key = String(date.description.prefix(7))
            return Self.cpih[key].map { (try! CalendarDate(parsing: key + "-01"), $0) }
        }
    }

    func operation(_ inputs: ConfiscationInputs, items: [Item] = []) -> Case {
        let seizure = Seizure(id: "S1", seizedAt: try! ZonedDateTime(parsing: "2020-06-18T07:20:00+01:00", zone: "Europe/London"),
                              place: "x", power: .warrant, officer: "y", agency: "A1", items: items)
        return Case(reference: "C-1", jurisdiction: .englandAndWales, openedOn: day("2020-06-18"), agencies: [Agency(id: "A1", name: "A", role: .seizing)],
                    seizures: [seizure], confiscationInputs: inputs)
    }

    @Test("default-term bands at and just above each boundary, orders since June 2015", arguments: [
        ("10000.00", "P6M"), ("10000.01", "P5Y"), ("500000.00", "P5Y"), ("500000.01", "P7Y"), ("1000000.00", "P7Y"), ("1000000.01", "P14Y"), ("0.01", "P6M"),
    ])
    func bandsPost2015(amount: String, term: String) {
        #expect(Self.rules.defaultTerm(for: FixedDecimal(amount)!, orderedOn: day("2015-06-01"))?.term.iso8601 == term)
    }

    @Test("the older general table for orders before June 2015", arguments: [
        ("200", "P7D"), ("200.01", "P14D"), ("10000", "P6M"), ("10000.01", "P12M"), ("500000", "P5Y"), ("1000000", "P5Y"), ("1000000.01", "P10Y"),
    ])
    func bandsPre2015(amount: String, term: String) {
        #expect(Self.rules.defaultTerm(for: FixedDecimal(amount)!, orderedOn: day("2015-05-31"))?.term.iso8601 == term)
    }

    @Test("s.80 greater-of: £10,000 obtained Jan 2016 is £10,890.89 at Jun 2020 prices (× 108.8 ÷ 99.9), unless worth more now")
    func greaterOf() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Proceeds", obtainedOn: day("2016-01-15"), valueThen: gbp("10000"), valueNow: gbp("9000"))]
        // Calculated on 1 August 2020: June's index is the latest published (July's comes out in August).
        #expect(try calculator.compute(operation(inputs), asOf: day("2020-08-01")).benefit == gbp("10890.89"))
        inputs.benefits[0].valueNow = gbp("12000")
        let figures = try calculator.compute(operation(inputs), asOf: day("2020-08-01"))
        #expect(figures.benefit == gbp("12000"))
        #expect(figures.lines.first?.note == "value then £10,000.00 × CPIH 108.8 (2020-06, the latest published by 2020-08-01) ÷ 99.9 (2016-01) = £10,890.89; value now £12,000.00; the greater counts")
    }

    @Test("CPIH for s.80: the latest index published on the day of the calculation, never the month's own", arguments: [
        ("2021-09-01", "2021-07-01"),   // August's index is published in September: not yet on the 1st
        ("2021-09-29", "2021-07-01"),
        ("2021-09-30", "2021-08-01"),   // by the month's end it is out
        ("2021-01-15", "2020-11-01"),   // across the year end
        ("2021-02-28", "2021-01-01"),
    ])
    func latestPublished(decision: String, month: String) {
        #expect(ConfiscationCalculator.latestPublishedMonth(on: day(decision)) == day(month))
    }

    @Test("available amount: the defendant's share of a joint car, drugs at nil, less a priority obligation; recoverable the lower")
    func available() throws {
        let source = PriceSource(table: "t", line: 1, effectiveFrom: day("2020-01-01"), confidence: .secondary, citation: "t")
        func valued(_ basis: ValuationBasis, _ amount: String) -> Valuation {
            try! Valuation(basis: basis, valuedOn: day("2020-06-18"), low: gbp(amount), central: gbp(amount), high: gbp(amount), sources: [source])
        }
        let car = Item(id: "I-1", exhibit: "E/1", details: .vehicle(VehicleItem(make: "Ford", model: "Focus", year: 2019, condition: .clean, vehicleClass: .mainstream)),
                       valuations: [valued(.market, "25000"), valued(.realisable, "20000")])
        let cocaine = Item(id: "I-2", exhibit: "E/2", details: .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(1, .kilogram)))),
                           valuations: [valued(.wholesale, "40000")])
        let cash = Item(id: "I-3", exhibit: "E/3", details: .cash(try CashItem(currency: .gbp, countedAmount: 3000)), valuations: [valued(.face, "3000")])
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Drug trafficking proceeds", obtainedOn: day("2020-06-01"), valueThen: gbp("100000"))]
        inputs.shares = [ItemShare(item: "I-1", percent: 50)]
        inputs.obligations = [PriorityObligation(description: "Fine", amount: gbp("2000"))]
        let figures = try calculator.compute(operation(inputs, items: [car, cocaine, cash]), asOf: day("2020-06-30"))
        // 50 % of £20,000 realisable + £0 drugs + £3,000 cash − £2,000 = £11,000
        #expect(figures.availableAmount == gbp("11000"))
        #expect(figures.benefit == gbp("100000"))   // Jun 2020 → Jun 2020: factor 1
        #expect(figures.recoverableAmount == gbp("11000"))
    }

    func cashItem(_ id: String, _ amount: String) -> Item {
        let source = PriceSource(table: "t", line: 1, effectiveFrom: day("2020-01-01"), confidence: .secondary, citation: "t")
        return Item(id: try! Identifier(id), exhibit: try! Identifier("E/\(id)"), details: .cash(try! CashItem(currency: .gbp, countedAmount: FixedDecimal(amount)!)),
                    valuations: [try! Valuation(basis: .face, valuedOn: day("2020-06-18"), low: gbp(amount), central: gbp(amount), high: gbp(amount), sources: [source])])
    }

    @Test("drugs as benefit at the level the quantity trades at (R v Lister): wholesale counts, a retail price for 4 kg does not, the re-cut upper bound never")
    func drugBenefit() throws {
        let source = PriceSource(table: "t", line: 1, effectiveFrom: day("2020-01-01"), confidence: .secondary, citation: "t")
        func valued(_ basis: ValuationBasis, _ amount: String, upper: Bool = false) -> Valuation {
            try! Valuation(basis: basis, valuedOn: day("2020-06-18"), low: gbp(amount), central: gbp(amount), high: gbp(amount), isUpperBound: upper, sources: [source])
        }
        let cocaine = Item(id: "I-1", exhibit: "E/1", details: .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(8, .kilogram)))),
                           valuations: [valued(.wholesale, "360000"), valued(.street, "900000", upper: true)])
        let methamphetamine = Item(id: "I-2", exhibit: "E/2", details: .drug(DrugItem(substance: .methamphetamine, form: .crystal, quantity: .mass(try Mass(4, .kilogram)))),
                                   valuations: [valued(.street, "587339.32")])
        let wraps = Item(id: "I-3", exhibit: "E/3", details: .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(20, .gram)))),
                         valuations: [valued(.street, "1130")])
        var inputs = ConfiscationInputs()
        inputs.benefitItems = ["I-1", "I-2", "I-3"]
        let figures = try calculator.compute(operation(inputs, items: [cocaine, methamphetamine, wraps]), asOf: day("2020-06-30"))
        // 8 kg at its wholesale figure (not the £900,000 re-cut) + 20 g wraps at street; the 4 kg priced only at retail is left out.
        #expect(figures.benefit == gbp("361130"))
        #expect(figures.lines.contains { $0.section == .flag && $0.description == "I-2 (E/2) counts as benefit, but its only price is a retail price per gram for 4 kg" })
    }

    @Test("lines foot to their totals: each line at the penny, the total the sum of the lines shown")
    func linesFoot() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Proceeds", obtainedOn: day("2020-06-01"), valueThen: gbp("1000"))]
        // The defendant's third of three £100 sums: 33.333 each, shown as 33.33; three lines shown add up to
        // 99.99, and so must the total (the unrounded sum, 99.999, would print as 100.00).
        inputs.shares = ["I-1", "I-2", "I-3"].map { ItemShare(item: try! Identifier($0), percent: FixedDecimal("33.333")!) }
        let figures = try calculator.compute(operation(inputs, items: [cashItem("I-1", "100"), cashItem("I-2", "100"), cashItem("I-3", "100")]), asOf: day("2020-06-30"))
        let available = figures.lines.filter { $0.section == .available }
        #expect(available.dropLast().map { $0.amount?.amount } == [FixedDecimal("33.33"), FixedDecimal("33.33"), FixedDecimal("33.33")])
        #expect(figures.availableAmount == gbp("99.99"))
        #expect(available.last?.amount == gbp("99.99"))
    }

    @Test("s.82: cash forfeited under Part 5 is not free property and is not counted again in the available amount")
    func forfeitedNotFree() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Proceeds", obtainedOn: day("2020-06-01"), valueThen: gbp("100000"))]
        var operation = operation(inputs, items: [cashItem("I-1", "30000"), cashItem("I-2", "5000")])
        let at = { (text: String) in try! ZonedDateTime(parsing: text, zone: "Europe/London") }
        operation.history = [
            StatusEvent(sequence: 1, at: at("2020-06-18T07:20:00+01:00"), items: ["I-1", "I-2"], from: .seized, to: .detained, actor: "t", previousHash: nil, hash: ""),
            StatusEvent(sequence: 2, at: at("2020-06-19T10:00:00+01:00"), items: ["I-1"], from: .detained, to: .detentionOrder, actor: "t", previousHash: nil, hash: ""),
            StatusEvent(sequence: 3, at: at("2020-07-01T10:00:00+01:00"), items: ["I-1"], from: .detentionOrder, to: .forfeitureNotice, actor: "t", previousHash: nil, hash: ""),
            StatusEvent(sequence: 4, at: at("2020-08-01T10:00:00+01:00"), items: ["I-1"], from: .forfeitureNotice, to: .forfeited, actor: "t", previousHash: nil, hash: ""),
        ]
        let figures = try calculator.compute(operation, asOf: day("2021-06-30"))
        // £30,000 forfeited by notice (s.297D) is not free property (s.82): only the £5,000 counts.
        #expect(figures.availableAmount == gbp("5000"))
        #expect(figures.lines.contains { $0.basis == "POCA 2002 s.82" && $0.description == "I-1 (E/I-1) forfeited" && $0.amount == gbp("0") })
        // Had the forfeiture been corrected away (a release), the £30,000 would count again.
        operation.history.append(StatusEvent(sequence: 5, at: at("2020-08-01T10:00:00+01:00"), items: ["I-1"], from: .forfeitureNotice, to: .released,
                                             actor: "t", previousHash: nil, hash: "", supersedes: 4))
        #expect(try calculator.compute(operation, asOf: day("2021-06-30")).availableAmount == gbp("35000"))
    }

    @Test("interest over a leap year: £100,000 unpaid for 366 days at 8 % ÷ 365 = £8,021.92")
    func leapYearInterest() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("100000"))]
        inputs.order = OrderDetails(reference: "T20240001", madeOn: day("2024-01-10"), amount: gbp("100000"))
        let figures = try calculator.compute(operation(inputs), asOf: day("2025-01-10"))
        #expect(figures.order?.amount == gbp("100000"))
        #expect(figures.order?.dueOn == day("2024-01-10"))
        #expect(figures.order?.interestAccrued == gbp("8021.92"))
    }

    @Test("no interest while an in-time extension application is pending: 30 days, not 51")
    func pendingExtension() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("100000"))]
        inputs.order = OrderDetails(reference: "T20240001", madeOn: day("2024-01-10"), amount: gbp("100000"), timeToPayUntil: day("2024-04-09"),
                                    extensionAppliedOn: day("2024-04-05"), extensionDecidedOn: day("2024-04-30"))
        let figures = try calculator.compute(operation(inputs), asOf: day("2024-05-30"))
        // Due 9 April; 10–30 April pending (refused on the 30th); 1–30 May: 30 days × £100,000 × 8 % ÷ 365.
        #expect(figures.order?.interestAccrued == gbp("657.53"))
        inputs.order?.extensionAppliedOn = nil
        inputs.order?.extensionDecidedOn = nil
        // Without the application: 10 April – 30 May, 51 days.
        #expect(try calculator.compute(operation(inputs), asOf: day("2024-05-30")).order?.interestAccrued == gbp("1117.81"))
        // The deadline list says what the calculator counts: refused on 30 April, interest runs from 1 May.
        inputs.order?.extensionAppliedOn = day("2024-04-05")
        inputs.order?.extensionDecidedOn = day("2024-04-30")
        let deadline = try #require(CaseDeadlines.order(of: operation(inputs), asOf: day("2024-05-30"), revision: 0).first)
        #expect(deadline.deadline.title == "Time to pay for order T20240001 ends; interest runs from 2024-05-01 on what is unpaid (s.12)", "\(deadline.deadline.title ?? "")")
        // Without the application it runs from the day after time to pay ends.
        inputs.order?.extensionAppliedOn = nil
        inputs.order?.extensionDecidedOn = nil
        #expect(CaseDeadlines.order(of: operation(inputs), asOf: day("2024-05-30"), revision: 0).first?.deadline.title?.contains("interest runs from 2024-04-10") == true)
    }

    @Test("s.12(3): interest is suspended while an extension application is pending only until six months starting with the order's day have ended")
    func suspensionEndsAtSixMonths() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2021-01-01"), valueThen: gbp("250000"))]
        inputs.order = OrderDetails(reference: "T20210001", madeOn: day("2021-06-01"), amount: gbp("250000"), timeToPayUntil: day("2021-08-31"),
                                    extensionAppliedOn: day("2021-08-20"))
        let figures = try calculator.compute(operation(inputs), asOf: day("2022-01-31"))
        // Due 31 August 2021; the application (20 August, in time) is still undetermined on 31 January 2022.
        // Six months starting with 1 June 2021 end on 30 November 2021: no interest 1 September–30 November,
        // then 1 December–31 January, 62 days × £250,000 × 8 % ÷ 365 = 3,397.260… → 3,397.26.
        #expect(figures.order?.interestAccrued == gbp("3397.26"))
    }

    @Test("payments reduce the balance interest runs on, and the default term in proportion")
    func payments() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("10000"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2024-01-10"), amount: gbp("10000"))
        inputs.payments = [Payment(paidOn: day("2024-02-09"), amount: gbp("4000"))]
        let figures = try calculator.compute(operation(inputs), asOf: day("2024-03-10"))
        // 11 Jan–8 Feb: 29 days on £10,000 = 63.5616…; 9 Feb–10 Mar: 31 days on £6,000 = 40.7671…; total 104.33.
        #expect(figures.order?.interestAccrued == gbp("104.33"))
        #expect(figures.order?.paid == gbp("4000"))
        #expect(figures.order?.maximumDefaultTerm.iso8601 == "P6M")
        // 6 months from 10 Jan 2024 = 182 days. MCA 1980 s.79(2): reduced by (182 − 1) × 4,000 / 10,000
        // = 72.4 days, the fraction left out (s.79(3)): 72 days off, at most 110 days remain.
        #expect(figures.lines.contains { $0.note?.hasSuffix("after £4,000.00 paid, at most 110 days (reduced by 72 days, MCA 1980 s.79(2))") == true })
    }

    @Test("s.12(2): interest is part of the sum to be paid, so a payment beyond the order pays its interest; beyond both it is flagged as an overpayment")
    func paymentsBeyondTheOrder() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("10000"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2024-01-10"), amount: gbp("10000"))
        func outstanding(_ figures: ConfiscationFigures) -> Money? { figures.outstanding }
        // Due 10 Jan; 11 Jan–8 Feb, 29 days on £10,000 at 8 % ÷ 365 = 63.5616… → £63.56; nothing unpaid after 9 Feb.
        // £10,050 paid: £50 of it pays interest, 63.5616… − 50 = 13.5616… → £13.56 outstanding (10,000 + 63.56 − 10,050).
        inputs.payments = [Payment(paidOn: day("2024-02-09"), amount: gbp("10050"))]
        let part = try calculator.compute(operation(inputs), asOf: day("2024-03-10"))
        #expect(part.order?.interestAccrued == gbp("63.56"))
        #expect(outstanding(part) == gbp("13.56"))
        #expect(part.lines.contains { $0.basis == "POCA 2002 s.12(2)" && $0.amount == gbp("50") })
        #expect(!part.lines.contains { $0.section == .flag && $0.description.hasPrefix("Payments exceed") })
        // £10,100 paid: the interest is paid in full and 100 − 63.5616… = 36.4383… → £36.44 is paid beyond
        // everything owed (10,100 − 10,000 − 63.56): nothing is outstanding, and the overpayment is flagged.
        inputs.payments = [Payment(paidOn: day("2024-02-09"), amount: gbp("10100"))]
        let over = try calculator.compute(operation(inputs), asOf: day("2024-03-10"))
        #expect(outstanding(over) == gbp("0"))
        #expect(over.lines.contains { $0.basis == "POCA 2002 s.12(2)" && $0.section == .order && $0.amount == gbp("63.56") })
        let flag = try #require(over.lines.first { $0.section == .flag && $0.basis == "POCA 2002 s.12(2)" })
        #expect(flag.description == "Payments exceed the order and its interest by £36.44", "\(flag.description)")
        #expect(flag.note == "paid £10,100.00 against £10,000.00 and interest of £63.56; a refund may be due", "\(flag.note ?? "")")
        // The £36.44 owed back is not shared out: the scheme splits the £10,063.56 the order took.
        #expect(over.distribution?.total == gbp("10063.56"))
        // Paid exactly the order on its day: no interest, nothing beyond it, nothing outstanding.
        inputs.payments = [Payment(paidOn: day("2024-01-10"), amount: gbp("10000"))]
        let exact = try calculator.compute(operation(inputs), asOf: day("2024-03-10"))
        #expect(outstanding(exact) == gbp("0"))
        #expect(!exact.lines.contains { $0.basis == "POCA 2002 s.12(2)" })
    }

    @Test("a sum finer than a penny is refused when it is new, never for one already held (an earlier Haul took 100.005)")
    func finerThanAPennyOnlyWhenNew() throws {
        var held = ConfiscationInputs()
        held.payments = [Payment(paidOn: day("2022-03-01"), amount: gbp("100.005"))]
        var next = held
        next.payments.append(Payment(paidOn: day("2022-04-01"), amount: gbp("50")))
        #expect(throws: Never.self) { try next.refuseFinerThanTheirUnit(before: held) }
        next.payments.append(Payment(paidOn: day("2022-05-01"), amount: gbp("0.001")))
        #expect {
            try next.refuseFinerThanTheirUnit(before: held)
        } throws: { error in
            (error as? HaulCoreError)?.message == "the payment of 2022-05-01: 0.001 GBP is finer than GBP's smallest unit; give it to 2 decimal places"
        }
        // A second sub-penny payment like the one held is new too.
        var twice = held
        twice.payments.append(Payment(paidOn: day("2022-03-01"), amount: gbp("100.005")))
        #expect(throws: HaulCoreError.self) { try twice.refuseFinerThanTheirUnit(before: held) }
    }

    @Test("as of a day before the order was made there is no order: no order, payment or outstanding line, decided on that day")
    func positionBeforeTheOrder() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2020-01-01"), valueThen: gbp("10000"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2022-01-14"), amount: gbp("10000"))
        inputs.payments = [Payment(paidOn: day("2022-02-01"), amount: gbp("1000"))]
        let before = try calculator.compute(operation(inputs), asOf: day("2021-06-01"))
        #expect(before.order == nil)
        #expect(before.decidedOn == day("2021-06-01"))
        #expect(before.outstanding == nil)
        #expect(!before.lines.contains { $0.section == .order || $0.section == .payment })
        // From its day on, the order is there, decided as at the day it was made.
        let after = try calculator.compute(operation(inputs), asOf: day("2022-01-14"))
        #expect(after.order?.amount == gbp("10000") && after.decidedOn == day("2022-01-14"))
        #expect(after.outstanding == gbp("10000"))
    }

    @Test("R v Ahmad caps only the joint part of an order: the part beyond the joint sum is the defendant's own and stays enforceable")
    func jointCapLeavesTheOwnPart() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Own and joint proceeds", obtainedOn: day("2020-01-01"), valueThen: gbp("150000"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2021-09-01"), amount: gbp("150000"), timeToPayUntil: day("2021-11-30"))
        inputs.joint = JointBenefit(amount: gbp("100000"), withCases: ["OP-B"], description: "Joint importation")
        inputs.payments = [Payment(paidOn: day("2021-10-20"), amount: gbp("20000"))]
        func outstanding(coDefendantsPaid: String) throws -> Money? {
            try calculator.compute(operation(inputs), asOf: day("2021-11-01"),
                                   coDefendantPayments: [Payment(paidOn: day("2021-10-15"), amount: gbp(coDefendantsPaid))]).outstanding
        }
        // The co-defendant paid the whole £100,000 joint sum: this defendant owes only the £50,000 of the
        // order beyond it (150,000 − 100,000), less the £20,000 paid: £30,000. In all 100,000 + 20,000 +
        // 30,000 = £150,000 is recovered, the order's amount, the joint sum once.
        #expect(try outstanding(coDefendantsPaid: "100000") == gbp("30000"))
        // £30,000 from the co-defendant: own 50,000 + (100,000 − 30,000) left of the joint sum − 20,000
        // paid = £100,000, under the £130,000 unpaid.
        #expect(try outstanding(coDefendantsPaid: "30000") == gbp("100000"))
        // Nothing from the co-defendant: capped by what is unpaid, 150,000 − 20,000 = £130,000.
        #expect(try outstanding(coDefendantsPaid: "0") == gbp("130000"))
    }

    @Test("the default-term reduction leaves out the fraction of a day even when it is 10⁻¹⁹ short of a whole one")
    func reductionFloor() throws {
        // (182 − 1) × 4,000 ÷ 10,000 = 72.4 → 72 (as in the test above).
        #expect(ConfiscationCalculator.defaultTermReduction(termDays: 182, paid: 4000, amount: 10000) == 72)
        // (365 − 1) × 722,527,472,527,472.5274 ÷ 999,999,999,999,999.9999 = 262.99999999999999999989… (Python's
        // Decimal at 80 digits): 262 whole days, where a quotient rounded at 18 places first would say 263.
        #expect(ConfiscationCalculator.defaultTermReduction(termDays: 365, paid: FixedDecimal("722527472527472.5274")!,
                                                            amount: FixedDecimal("999999999999999.9999")!) == 262)
    }

    @Test("a time to pay beyond 3 months, or a balance under £1,000, is flagged")
    func flags() throws {
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("1500"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2024-01-10"), amount: gbp("1500"), timeToPayUntil: day("2024-04-10"))
        inputs.payments = [Payment(paidOn: day("2024-02-01"), amount: gbp("600"))]
        let lines = try calculator.compute(operation(inputs), asOf: day("2024-03-01")).lines.filter { $0.section == .flag }
        #expect(lines.map(\.basis) == ["POCA 2002 s.11", "POCA 2002 s.24"])
        #expect(lines.first?.note == "at most 3 months beginning with the order: 2024-04-09")
    }

    @Test("receipts: compensation first, then the scheme's shares, adding up to the penny")
    func distribution() throws {
        #expect(LargestRemainder.split(gbp("1000.01"), percents: [50, FixedDecimal("18.75")!, FixedDecimal("18.75")!, FixedDecimal("12.5")!])
                == [FixedDecimal("500.01")!, FixedDecimal("187.5")!, FixedDecimal("187.5")!, 125])
        // A currency of four minor units near the schema's largest amount: 300,000,000,000,000 × 50 %
        // = 150,000,000,000,000 each, with no intermediate product beyond the number's range.
        let clf = try Currency(code: "CLF")
        #expect(LargestRemainder.split(Money(300_000_000_000_000, clf), percents: [50, 50]) == [150_000_000_000_000, 150_000_000_000_000])
        #expect(LargestRemainder.split(gbp("0.03"), percents: [50, FixedDecimal("18.75")!, FixedDecimal("18.75")!, FixedDecimal("12.5")!])
                == [FixedDecimal("0.01")!, FixedDecimal("0.01")!, FixedDecimal("0.01")!, 0])
        var inputs = ConfiscationInputs()
        inputs.benefits = [ObtainedProperty(description: "Benefit", obtainedOn: day("2024-01-01"), valueThen: gbp("50000"))]
        inputs.order = OrderDetails(reference: "T1", madeOn: day("2024-01-10"), amount: gbp("50000"), compensation: gbp("5000"))
        inputs.payments = [Payment(paidOn: day("2024-01-10"), amount: gbp("10000.01"))]
        let figures = try calculator.compute(operation(inputs), asOf: day("2024-01-10"))
        // £10,000.01 received: £5,000 compensation first, then £5,000.01 split 50 / 18.75 / 18.75 / 12.5.
        #expect(figures.distribution?.total == gbp("5000.01"))
        #expect(figures.distribution?.shares.map(\.amount) == [FixedDecimal("2500.01")!, FixedDecimal("937.5")!, FixedDecimal("937.5")!, FixedDecimal("625")!])
        #expect(figures.distribution?.shares.reduce(FixedDecimal(0)) { $0 + $1.amount } == FixedDecimal("5000.01")!)
        #expect(!figures.lines.contains { $0.basis == "POCA 2002 s.13(5)-(6)" })
        // Compensation beyond the order's own amount cannot all come from it: flagged, nothing changed.
        inputs.order?.compensation = gbp("999999")
        let over = try calculator.compute(operation(inputs), asOf: day("2024-01-10"))
        #expect(over.lines.contains { $0.section == .flag && $0.basis == "POCA 2002 s.13(5)-(6)" && $0.description == "Compensation of £999,999.00 is more than the order's £50,000.00" })
        #expect(over.distribution == nil)  // the £10,000.01 received all goes to compensation first
    }
}
