import Foundation
@testable import HaulCore
import Testing

@Suite("Quantities, dates and items")
struct ModelTests {
    private func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

    // MARK: Mass

    @Test("mass units convert by their exact legal definitions", arguments: [
        (MassUnit.milligram, "0.001"), (.gram, "1"), (.kilogram, "1000"),
        (.ounce, "28.349523125"), (.pound, "453.59237"), (.troyOunce, "31.1034768"),
    ])
    func gramsPerUnit(unit: MassUnit, grams: String) throws {
        #expect(try Mass(1, unit).grams == decimal(grams))
    }

    @Test("a pound is exactly 16 ounces; 2.5 kg is 2500 g")
    func conversions() throws {
        #expect(try Mass(1, .pound).value(in: .ounce) == 16)
        #expect(try Mass(parsing: "2.5", unit: .kilogram).grams == 2500)
        #expect(try Mass(parsing: "8", unit: .kilogram).value(in: .gram) == 8000)
    }

    @Test("a mass must be positive, and the error says which way it is wrong")
    func massRefusals() {
        #expect { try Mass(-1, .gram) } throws: { ($0 as? HaulCoreError)?.code == .negativeQuantity }
        #expect { try Mass(0, .gram) } throws: { ($0 as? HaulCoreError)?.code == .outOfRange }
        #expect { try Mass(parsing: "1,5", unit: .gram) } throws: { ($0 as? HaulCoreError)?.code == .invalidNumber }
    }

    @Test("counts are whole and at least one")
    func counts() throws {
        #expect(try UnitCount(500, .tablet).count == 500)
        #expect(throws: HaulCoreError.self) { try UnitCount(0, .square) }
        #expect(throws: HaulCoreError.self) { try UnitCount(-3, .plant) }
    }

    @Test("purity is 0 to 100 per cent inclusive")
    func purity() throws {
        #expect(try Purity(percent: 0, method: .laboratory).fraction == 0)
        #expect(try Purity(percent: 100, method: .laboratory).fraction == 1)
        #expect(try Purity(percent: decimal("61.5"), method: .laboratory).fraction == decimal("0.615"))
        #expect(throws: HaulCoreError.self) { try Purity(percent: decimal("100.01"), method: .assumed) }
        #expect(throws: HaulCoreError.self) { try Purity(percent: -1, method: .assumed) }
    }

    // MARK: Dates

    @Test("calendar dates honour leap years", arguments: [
        ("2020-02-29", true), ("2021-02-29", false), ("1900-02-29", false), ("2000-02-29", true),
        ("2020-04-31", false), ("2020-13-01", false), ("2020-00-10", false), ("9999-01-01", false),
        ("1899-12-31", false), ("2199-12-31", true), ("20-01-01", false), ("2020/01/01", false),
    ])
    func calendarDates(text: String, valid: Bool) {
        #expect(((try? CalendarDate(parsing: text)) != nil) == valid)
    }

    @Test("a seizure time pins the instant: 06:05 BST on 18 June 2020 is 05:05 UTC")
    func zonedInstant() throws {
        let seized = try ZonedDateTime(parsing: "2020-06-18T06:05:00+01:00", zone: "Europe/London")
        // `date -u -d 2020-06-18T05:05:00Z +%s` prints 1592456700.
        #expect(seized.epochSeconds == 1_592_456_700)
        #expect(seized.iso8601 == "2020-06-18T06:05:00+01:00")
        let leapNight = try ZonedDateTime(parsing: "2024-02-29T23:30:00Z", zone: "Europe/London")
        #expect(leapNight.epochSeconds == 1_709_249_400)
    }

    @Test("an offset that is not the zone's at that moment is refused")
    func offsetMustMatchZone() {
        // London is on BST (+01:00) in June and on GMT (+00:00) in January.
        #expect(throws: HaulCoreError.self) { try ZonedDateTime(parsing: "2020-06-18T06:05:00Z", zone: "Europe/London") }
        #expect(throws: HaulCoreError.self) { try ZonedDateTime(parsing: "2020-01-18T06:05:00+01:00", zone: "Europe/London") }
        #expect((try? ZonedDateTime(parsing: "2020-01-18T06:05:00Z", zone: "Europe/London")) != nil)
        #expect((try? ZonedDateTime(parsing: "2020-06-18T01:05:00-04:00", zone: "America/New_York")) != nil)
        #expect(throws: HaulCoreError.self) { try ZonedDateTime(parsing: "2020-06-18T06:05:00Z", zone: "Mars/Olympus") }
        #expect(throws: HaulCoreError.self) { try ZonedDateTime(parsing: "2020-06-18 06:05:00Z", zone: "UTC") }
        #expect(throws: HaulCoreError.self) { try ZonedDateTime(parsing: "2020-06-18T24:00:00Z", zone: "UTC") }
    }

    @Test("terms read and write as ISO 8601 durations", arguments: [("P5Y", 5, 0, 0), ("P6M", 0, 6, 0), ("P28D", 0, 0, 28), ("P1Y6M", 1, 6, 0)])
    func terms(text: String, years: Int, months: Int, days: Int) throws {
        let term = try TermLength(iso8601: text)
        #expect((term.years, term.months, term.days) == (years, months, days))
        #expect(term.iso8601 == text)
    }

    @Test("malformed terms are refused", arguments: ["5Y", "P", "PY", "P6M1Y", "P1.5Y", "P0D", "P-1Y", "P1W"])
    func badTerms(text: String) {
        #expect(throws: HaulCoreError.self) { try TermLength(iso8601: text) }
    }

    // MARK: Identifiers and items

    @Test("identifiers", arguments: [("HAL/AB/1", true), ("I-001", true), ("-x", false), ("", false), ("a b", false), (String(repeating: "a", count: 65), false)])
    func identifiers(text: String, valid: Bool) {
        #expect(Identifier.isValid(text) == valid)
    }

    @Test("a tracked item's kind is the item kind of the same name", arguments: NonValuedKind.allCases)
    func trackedKind(_ kind: NonValuedKind) {
        // The kinds share their codes: looked up by code, as the model's case file names them.
        #expect(kind.itemKind == ItemKind(rawValue: kind.rawValue))
        #expect(Item(id: "I-1", exhibit: "E/1", details: .nonValued(kind)).kind.rawValue == kind.rawValue)
    }

    @Test("cash face value from denominations: 6,000 × £50 + 10,000 × £20 = £500,000")
    func cashFromDenominations() throws {
        let cash = try CashItem(currency: .gbp, denominations: [
            Denomination(value: 50, form: .note, count: 6000), Denomination(value: 20, form: .note, count: 10000),
        ])
        #expect(cash.faceValue == Money(500_000, .gbp))
    }

    @Test("a counted amount must agree with its denominations and fit the currency")
    func cashConsistency() throws {
        let fifties = try Denomination(value: 50, form: .note, count: 10)
        #expect { try CashItem(currency: .gbp, countedAmount: 450, denominations: [fifties]) } throws: {
            ($0 as? HaulCoreError)?.code == .inconsistent
        }
        #expect(throws: HaulCoreError.self) { try CashItem(currency: .gbp, countedAmount: decimal("10.005")) }
        #expect(throws: HaulCoreError.self) { try CashItem(currency: Currency(code: "JPY"), countedAmount: decimal("10.5")) }
        #expect(throws: HaulCoreError.self) { try CashItem(currency: .gbp) }
        #expect(try CashItem(currency: .gbp, countedAmount: 500, denominations: [fifties]).faceValue.amount == 500)
    }

    @Test("fineness is in parts per thousand")
    func fineness() throws {
        let mass = try Mass(10, .gram)
        #expect(try JewelleryItem(metal: .gold, fineness: 750, mass: mass, isGemSet: false).fineness == 750)
        #expect(throws: HaulCoreError.self) { try JewelleryItem(metal: .gold, fineness: 0, mass: mass, isGemSet: false) }
        #expect(throws: HaulCoreError.self) { try JewelleryItem(metal: .gold, fineness: 1001, mass: mass, isGemSet: false) }
    }

    @Test("cryptoasset codes and units")
    func crypto() throws {
        #expect(try CryptoassetItem(asset: "BTC", units: decimal("0.85")).units == decimal("0.85"))
        #expect(throws: HaulCoreError.self) { try CryptoassetItem(asset: "btc", units: 1) }
        #expect(throws: HaulCoreError.self) { try CryptoassetItem(asset: "BTC", units: 0) }
    }

    @Test("valuations need low ≤ central ≤ high in one currency and a source")
    func valuationRules() throws {
        let source = PriceSource(table: "t.csv", line: 2, effectiveFrom: try CalendarDate(parsing: "2020-01-01"), confidence: .secondary, citation: "x")
        let day = try CalendarDate(parsing: "2020-06-18")
        #expect(throws: HaulCoreError.self) {
            try Valuation(basis: .street, valuedOn: day, low: Money(3, .gbp), central: Money(2, .gbp), high: Money(4, .gbp), sources: [source])
        }
        #expect(throws: HaulCoreError.self) {
            try Valuation(basis: .street, valuedOn: day, low: Money(1, .gbp), central: Money(2, .eur), high: Money(4, .gbp), sources: [source])
        }
        #expect(throws: HaulCoreError.self) {
            try Valuation(basis: .street, valuedOn: day, low: Money(1, .gbp), central: Money(2, .gbp), high: Money(4, .gbp), sources: [])
        }
    }

    @Test("totals add the items' valuations by kind and basis, leaving out upper bounds")
    func totals() throws {
        let source = PriceSource(table: "t.csv", line: 2, effectiveFrom: try CalendarDate(parsing: "2020-01-01"), confidence: .secondary, citation: "x")
        let day = try CalendarDate(parsing: "2020-06-18")
        func valuation(_ basis: ValuationBasis, _ low: FixedDecimal, _ central: FixedDecimal, _ high: FixedDecimal, upper: Bool = false) throws -> Valuation {
            try Valuation(basis: basis, valuedOn: day, low: Money(low, .gbp), central: Money(central, .gbp), high: Money(high, .gbp), isUpperBound: upper, sources: [source])
        }
        let cocaine = DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(1, .kilogram)))
        let items = [
            Item(id: "A", exhibit: "A", details: .drug(cocaine), valuations: [
                try valuation(.wholesale, 30000, 40000, 55000), try valuation(.street, 90000, 100000, 200000, upper: true),
            ]),
            Item(id: "B", exhibit: "B", details: .drug(cocaine), valuations: [try valuation(.wholesale, decimal("0.10"), decimal("0.20"), decimal("0.30"))]),
            Item(id: "C", exhibit: "C", details: .nonValued(.phone)),
        ]
        let seizure = Seizure(id: "S1", seizedAt: try ZonedDateTime(parsing: "2020-06-18T06:05:00+01:00", zone: "Europe/London"),
                              place: "x", power: .warrant, officer: "y", agency: "A1", items: items)
        let operation = Case(reference: "C1", jurisdiction: .englandAndWales, openedOn: day, agencies: [], seizures: [seizure])
        let totals = operation.totals()
        #expect(totals.count == 1)
        // 30000 + 0.10, 40000 + 0.20, 55000 + 0.30 — the street upper bound is not counted.
        #expect(totals.first == ValuationTotal(kind: .drug, basis: .wholesale, itemCount: 2,
                                               low: Money(decimal("30000.10"), .gbp), central: Money(decimal("40000.20"), .gbp),
                                               high: Money(decimal("55000.30"), .gbp)))
    }

    @Test("a revaluation the same to the penny is not a new valuation; a penny's difference is")
    func revaluedAtMinorUnits() throws {
        let source = PriceSource(table: "t.csv", line: 2, effectiveFrom: try CalendarDate(parsing: "2020-01-01"), confidence: .secondary, citation: "x")
        let day = try CalendarDate(parsing: "2020-06-18")
        func valuation(_ central: String) throws -> Valuation {
            let amount = Money(decimal(central), .gbp)
            return try Valuation(basis: .market, valuedOn: day, low: amount, central: amount, high: amount, sources: [source])
        }
        let gold = try JewelleryItem(metal: .gold, fineness: 750, mass: try Mass(decimal("48.6"), .gram), isGemSet: false)
        // Stored when products were rounded at 10⁻⁹; worked again at 10⁻¹⁸: both £1,669.52.
        var item = Item(id: "J1", exhibit: "J1", details: .jewellery(gold), valuations: [try valuation("1669.516364165")])
        #expect(!item.revalue(with: [try valuation("1669.516364164150292034")], on: day, reason: "tables updated"))
        #expect(item.earlierValuations.isEmpty && item.valuations.first?.central.amount == decimal("1669.516364165"))
        #expect(item.revalue(with: [try valuation("1669.53")], on: day, reason: "tables updated"))
        #expect(item.earlierValuations.count == 1 && item.valuations.first?.central.amount == decimal("1669.53"))
    }

    @Test("a date writes back as the ISO 8601 text it was read from", arguments: ["2020-06-09", "1999-12-31", "2000-02-29", "1900-01-01", "2199-12-31"])
    func dateText(_ text: String) throws {
        #expect(try CalendarDate(parsing: text).description == text)
    }
}
