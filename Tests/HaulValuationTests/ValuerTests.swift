import Foundation
import HaulCore
import HaulTestSupport
@testable import HaulValuation
import Testing

/// Every expected figure is worked out by hand from the rows in `TestTables`.
@Suite("Valuers, against arithmetic done by hand")
struct ValuerTests {
    // MARK: Drugs

    @Test("below the ounce threshold: street price per gram, purity assumed")
    func streetLevel() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(drug(.cocaine, grams: "10"), on: day("2020-06-01"))
        #expect(result.figures.count == 1)
        let figure = try #require(result.figures.first)
        // 10 g × £40 / £60 / £80 per g (each below what 28 g fetch at the ounce level)
        #expect(figure.basis == .street)
        #expect(figure.range == [decimal("400"), decimal("600"), decimal("800")])
        #expect(figure.sources.map(\.line) == [2])
        #expect(figure.warnings.contains(.assumedPurity(percent: FixedDecimal(50))))
        #expect(figure.warnings.contains(.nilInAvailableAmount))
        #expect(!figure.warnings.contains { if case .ladderCapped = $0 { return true } else { return false } })
    }

    @Test("just below a level, no more than the next level is worth at its threshold, and it says so")
    func ladderCap() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        let below = try #require(valuer.value(drug(.cocaine, grams: "27.999"), on: day("2020-06-01")).figures.first)
        // At street prices 27.999 g would be £1,119.96 / £1,679.94 / £2,239.92, more than 28 g at the ounce
        // level (£790.14 / £987.67 / £1,185.21, see the next test): capped at those, bound by bound.
        #expect(below.range.map { $0.formatted(places: 9) } == ["790.136747671", "987.670934588", "1185.205121506"])
        #expect(below.sources.map(\.line) == [2, 3])
        #expect(below.warnings.contains(.ladderCapped(threshold: FixedDecimal(28), unit: "g", basis: .wholesale)))
        #expect(below.warnings.first { if case .ladderCapped = $0 { return true } else { return false } }?.message()
                == "no more than the next level is worth at its threshold (28 g at wholesale prices): a larger quantity is never worth less")
    }

    @Test("a larger quantity at the same purity is never worth less, across every level", arguments: [nil, "40"] as [String?])
    func ladderMonotonic(purity: String?) throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        let grams = ["1", "10", "14.8", "20", "27.999", "28", "100", "500", "999", "999.999", "1000", "5000"]
        let ranges = try grams.map { amount in try #require(valuer.value(drug(.cocaine, grams: amount, purity: purity), on: day("2020-06-01")).figures.first).range }
        for (smaller, larger) in zip(ranges, ranges.dropFirst()) {
            #expect(zip(smaller, larger).allSatisfy { $0 <= $1 }, "\(smaller) then \(larger)")
        }
    }

    @Test("exactly 28 g reaches the ounce level (the boundary is inclusive), with the re-cut upper bound")
    func ounceBoundary() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(drug(.cocaine, grams: "28"), on: day("2020-06-01"))
        #expect(result.figures.count == 2)
        let ounce = result.figures[0]
        // 28 g = 28 ÷ 28.349523125 oz; × £800 / £1,000 / £1,200 per oz, compared at nine places
        // (Python: Decimal(28) * 1000 / Decimal("28.349523125") = 987.67093458825…)
        #expect(ounce.basis == .wholesale && !ounce.isUpperBound)
        #expect(ounce.range.map { $0.formatted(places: 9) } == ["790.136747671", "987.670934588", "1185.205121506"])
        let recut = result.figures[1]
        // pure 28 g × 60 % (the ounce level's typical purity, assumed) = 16.8 g;
        // × (street £40 / £60 / £80 per g ÷ 50 % street purity)
        #expect(recut.basis == .street && recut.isUpperBound)
        #expect(recut.range == [decimal("1344"), decimal("2016"), decimal("2688")])
        #expect(recut.sources.map(\.line) == [2, 3])
    }

    @Test("a laboratory purity adjusts the value by purity ÷ the level's typical purity")
    func measuredPurity() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(drug(.cocaine, grams: "1000", purity: "37.5"), on: day("2020-06-01"))
        // 1 kg × £30,000 / £40,000 / £50,000 × 37.5 / 75
        #expect(result.figures[0].range == [15000, 20000, 25000])
        #expect(!result.figures[0].warnings.contains { if case .assumedPurity = $0 { return true } else { return false } })
        // Upper bound: 1000 g × 37.5 % × £60 ÷ 50 % = £45,000 central.
        #expect(result.figures[1].range == [30000, 45000, 60000])
    }

    @Test("price history: the latest row in force on the valuation date")
    func priceHistory() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        let kilo = drug(.cocaine, grams: "1000", purity: "75")
        #expect(valuer.value(kilo, on: day("2020-12-31")).figures[0].central == FixedDecimal(40000))
        #expect(valuer.value(kilo, on: day("2021-01-01")).figures[0].central == FixedDecimal(30000))
        let before = valuer.value(kilo, on: day("2018-12-31"))
        #expect(before.figures.isEmpty)
        #expect(before.notValued == .noPrice("no price for cocaine on 2018-12-31 in test"))
    }

    @Test("tablets are priced per unit")
    func tablets() throws {
        let tables = TestTables()
        let tablets = item(.drug(DrugItem(substance: .ecstasy, form: .tablet, quantity: .count(try UnitCount(500, .tablet)))))
        let result = Valuer(book: try tables.book()).value(tablets, on: day("2020-06-01"))
        #expect(result.figures.map(\.range) == [[1000, 2500, 4000]])
    }

    @Test("a row in another currency is converted at the last ECB rate on or before the date, and disclosed")
    func conversion() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(drug(.heroin, grams: "10"), on: day("2020-05-31"))
        let figure = try #require(result.figures.first)
        // 10 g × €30 / €40 / €50 × 0.85 (EUR→GBP published on Friday 29 May)
        #expect(figure.currency == .gbp)
        #expect(figure.range == [255, 340, 425])
        #expect(figure.rate == RateUse(from: .eur, to: .gbp, rate: fixed("0.85"), date: day("2020-05-29"), isDerived: false, file: "rates.xml", line: 10))
        #expect(figure.warnings.contains(.unverified))
        #expect(FigureWarning.unverified.message(sources: figure.sources) == "unverified source [?]: drugs.csv:7")
        #expect(!figure.warnings.contains { $0.code == .rateDateDistant })
    }

    @Test("a rate far from the valuation date is used but flagged")
    func distantRate() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(drug(.heroin, grams: "10"), on: day("2020-05-28"))
        // The last day on or before 28 May is 2 Dec 2019 (0.80): 178 days earlier.
        #expect(result.figures[0].range == [240, 320, 400])
        #expect(result.figures[0].warnings.contains(.rateDistant(rateDate: day("2019-12-02"), days: 178)))
    }

    @Test("stale after the table's limit: 3 years from 2019-01-01 ends on 2022-01-01")
    func staleness() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        let gram = drug(.cocaine, grams: "1")
        let isStale = { (date: String) in valuer.value(gram, on: day(date)).figures[0].warnings.contains { $0.code == .stalePrice } }
        #expect(!isStale("2022-01-01"))
        #expect(isStale("2022-01-02"))
    }

    @Test("sentencing category by gross weight, boundaries inclusive", arguments: [
        ("4", nil), ("5", 4), ("149.999", 4), ("150", 3), ("999", 3), ("1000", 2), ("4999.999", 2), ("5000", 1), ("80000", 1),
    ] as [(String, Int?)])
    func sentencing(grams: String, category: Int?) throws {
        let tables = TestTables()
        #expect(Valuer(book: try tables.book()).value(drug(.cocaine, grams: grams), on: day("2020-06-01")).sentencing?.category == category)
    }

    @Test("index adjustment only on rows priced in the index's own currency: a euro row is converted, never lifted by CPIH")
    func indexOnlyInItsCurrency() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book(), options: ValuationOptions(indexAdjust: true))
        // 10 g of heroin at €30 / €40 / €50 per g (a 2019 row), × 0.85 GBP per EUR: £255 / £340 / £425, no index.
        let heroin = valuer.value(drug(.heroin, grams: "10"), on: day("2020-06-15")).figures[0]
        #expect(heroin.indexUse == nil)
        #expect(!heroin.warnings.contains { $0.code == .indexAdjusted })
        #expect(heroin.range == [255, 340, 425])
    }

    @Test("warnings that are true: factors never go stale; a rate's age is given in years when it is years")
    func trueWarnings() throws {
        // A watch price from 2023; the condition and realisable factors are from 2019, older than the
        // tables' 3 years, but they are not prices.
        let tables = TestTables(extra: ["watches.csv": """
            brand,model,reference,low,central,high,currency,effective_from,source,confidence
            Rolex,Submariner Date,126610LN,9000,10000,11000,GBP,2023-01-01,test watch 2023,P
            """])
        let valuer = Valuer(book: try tables.book())
        let watch = WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", serialNumber: nil, condition: .good, hasBox: true, hasPapers: true)
        let figures = valuer.value(item(.watch(watch)), on: day("2023-06-01")).figures
        #expect(!figures.isEmpty)
        #expect(figures.allSatisfy { !$0.warnings.contains { $0.code == .stalePrice } }, "\(figures.map(\.warnings))")
        // 0.5 BTC priced in dollars on 1 June 2020, valued on 1 June 2022: the last rate (1 June 2020) is 730 days old.
        let bitcoin = valuer.value(item(.cryptoasset(try CryptoassetItem(asset: "BTC", units: decimal("0.5")))), on: day("2022-06-01")).figures[0]
        #expect(bitcoin.warnings.first { $0.code == .rateDateDistant }?.message() == "exchange rate from 2020-06-01, 2 years (730 days) before the valuation date")
    }

    @Test("index adjustment: CPIH 100.0 (Jan 2019) → 110.0 (Jun 2020) lifts £40,000 to £44,000, labelled")
    func indexAdjustment() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book(), options: ValuationOptions(indexAdjust: true))
        let figure = valuer.value(drug(.cocaine, grams: "1000", purity: "75"), on: day("2020-06-15")).figures[0]
        #expect(figure.range == [33000, 44000, 55000])
        #expect(figure.indexUse?.factor == fixed("1.1"))
        #expect(figure.warnings.contains(.indexAdjusted(fromYear: 2019, factor: fixed("1.1"))))
        #expect(figure.warnings.first { $0.code == .indexAdjusted }?.message() == "index-adjusted from 2019 (CPIH factor 1.1)")
    }

    @Test("an overlay's rows win over the defaults, even when older, and the output names the overlay's file")
    func overlayWins() throws {
        let tables = TestTables()
        let overlay = TestTables(only: ["drugs.csv": """
            substance,basis,from_quantity,quantity_unit,price_unit,reference_purity,low,central,high,currency,effective_from,source,confidence
            cocaine,wholesale,1,kg,kg,75,33000,35000,37000,GBP,2015-01-01,agency intelligence table,V
            """])
        let valuer = Valuer(book: try tables.book(overlay: overlay))
        let figure = valuer.value(drug(.cocaine, grams: "1000", purity: "75"), on: day("2020-06-01")).figures[0]
        #expect(figure.central == FixedDecimal(35000))
        #expect(figure.sources.first?.file == "overlay/drugs.csv")
        // Substances the overlay does not price still come from the defaults.
        #expect(valuer.value(drug(.heroin, grams: "1"), on: day("2020-06-01")).figures[0].sources.first?.file == "test/drugs.csv")
    }

    // MARK: Cash

    @Test("cash: face value; foreign cash converted with the rate and its date")
    func cash() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        let pounds = valuer.value(item(.cash(try CashItem(currency: .gbp, countedAmount: decimal("30000.00")))), on: day("2020-06-01"))
        #expect(pounds.figures.map(\.range) == [[30000, 30000, 30000]])
        #expect(pounds.figures[0].basis == .face && pounds.figures[0].rate == nil)
        let euros = valuer.value(item(.cash(try CashItem(currency: .eur, denominations: [Denomination(value: 50, form: .note, count: 20)]))), on: day("2020-06-01"))
        // €1,000 × 0.85
        #expect(euros.figures.map(\.range) == [[850, 850, 850]])
        #expect(euros.figures[0].rate?.date == day("2020-06-01"))
    }

    @Test("cash in a currency the euro replaced: its irrevocable rate, then the day's ECB rate")
    func legacyEuroCash() throws {
        let tables = TestTables()
        let valuer = Valuer(book: try tables.book())
        // CY£5,852.74 ÷ 0.585274 (Council Regulation (EC) No 1135/2007) = €10,000; × 0.85 GBP per EUR on 1 June 2020 = £8,500.
        let pounds = valuer.value(item(.cash(try CashItem(currency: Currency(code: "CYP"), countedAmount: decimal("5852.74")))), on: day("2020-06-01"))
        // Converted in one step (× 0.85 ÷ 0.585274), never through the rounded cross rate: exactly £8,500.
        #expect(pounds.figures.map(\.range) == [[8500, 8500, 8500]])
        let rate = try #require(pounds.figures.first?.rate)
        #expect(rate.date == day("2020-06-01"))
        #expect(rate.isDerived)
        #expect(pounds.figures[0].sources.contains { $0.source.contains("1 EUR = 0.585274 CYP (Council Regulation (EC) No 1135/2007") })
        // DM 1,955.83 ÷ 1.95583 (Council Regulation (EC) No 2866/98) = €1,000 = £850.
        let marks = valuer.value(item(.cash(try CashItem(currency: Currency(code: "DEM"), countedAmount: decimal("1955.83")))), on: day("2020-06-01"))
        #expect(marks.figures.map(\.range) == [[850, 850, 850]])
    }

    @Test("a currency the euro replaced, before it was replaced: the day's ECB market rate, not the irrevocable one")
    func legacyCurrencyBeforeAdoption() throws {
        // The ECB quoted CYP until 31 December 2007; the irrevocable rate 0.585274 holds from 1 January 2008
        // (Council Regulation (EC) No 1135/2007). Market rates here are made up so that the two differ.
        let rates = ReferenceRates(days: [
            .init(date: day("2007-12-31"), rates: ["CYP": decimal("0.5853"), "GBP": decimal("0.73335")], source: "rates.xml", line: 5),
            .init(date: day("2008-01-02"), rates: ["GBP": decimal("0.74")], source: "rates.xml", line: 6),
        ])
        let valuer = Valuer(book: try PriceBook(layers: [TestTables().tables(named: "test")], rates: rates))
        // CY£585.30 ÷ 0.5853 = €1,000; × 0.73335 = £733.35, at the market rate of 31 December 2007.
        let before = valuer.value(item(.cash(try CashItem(currency: Currency(code: "CYP"), countedAmount: decimal("585.30")))), on: day("2007-12-31"))
        #expect(before.figures.map(\.range) == [[decimal("733.35"), decimal("733.35"), decimal("733.35")]])
        #expect(before.figures.first?.rate?.date == day("2007-12-31"))
        #expect(before.figures.first?.sources.contains { $0.source.contains("Council Regulation") } == false)
        // CY£5,852.74 ÷ 0.585274 = €10,000; × 0.74 = £7,400 on 2 January 2008.
        let after = valuer.value(item(.cash(try CashItem(currency: Currency(code: "CYP"), countedAmount: decimal("5852.74")))), on: day("2008-01-02"))
        #expect(after.figures.map(\.range) == [[7400, 7400, 7400]])
        #expect(after.figures.first?.sources.contains { $0.source.contains("1 EUR = 0.585274 CYP") } == true)
    }

    @Test("a row's short citation names its file as splitting the path at \"/\" does", arguments: [
        "valuations/GB-EAW/drugs.csv", "drugs.csv", "", "/", "a/", "a//b", "/a", "dir/é.csv", "a/\u{301}b", "a/\u{200D}b", "a\u{600}/", "x/a\u{600}/",
    ])
    func shortCitation(_ file: String) {
        let origin = RowOrigin(file: file, line: 7, effectiveFrom: day("2020-01-01"), source: "s", confidence: .verified)
        #expect(origin.shortCitation == "\(file.split(separator: "/").last ?? ""):7")
    }

    // MARK: Watches

    @Test("watch: table price × condition × completeness; realisable after auction costs", arguments: [
        // (box, papers, market low/central/high, realisable)
        (true, true, [8100, 9000, 9900], [5670, 6300, 6930]),         // × 0.9 condition
        (false, false, [6480, 7200, 7920], [4536, 5040, 5544]),       // × 0.9 × 0.8 (Rolex, neither box nor papers)
        (true, false, [7290, 8100, 8910], [5103, 5670, 6237]),        // × 0.9 × 0.9 (one of the two)
    ] as [(Bool, Bool, [FixedDecimal], [FixedDecimal])])
    func watch(box: Bool, papers: Bool, market: [FixedDecimal], realisable: [FixedDecimal]) throws {
        let tables = TestTables()
        let watch = WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", condition: .good, hasBox: box, hasPapers: papers)
        let result = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2020-06-01"))
        #expect(result.figures.map(\.basis) == [.market, .realisable])
        #expect(result.figures.map(\.range) == [market, realisable])
    }

    @Test("a watch without box or papers before any such row is in force loses what one missing either loses (× 0.9), citing that row, never nothing")
    func watchWithoutSetBeforeItsRow() throws {
        let factors = TestTables.files["factors.csv"]!
            .replacingOccurrences(of: "watch,set-none,rolex,0.8,0.8,0.8,2019-01-01,test,P", with: "watch,set-none,rolex,0.8,0.8,0.8,2024-01-01,test,P")
        let tables = TestTables(extra: ["factors.csv": factors])
        let watch = WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", condition: .good, hasBox: false, hasPapers: false)
        // 2020: 10,000 × 0.9 condition × 0.9 set-partial (factors.csv:4) = 8,100, as a watch with its box alone.
        let before = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2020-06-01")).figures[0]
        #expect(before.range == [7290, 8100, 8910])
        #expect(before.sources.contains { $0.file.hasSuffix("factors.csv") && $0.line == 4 })
        // 2024, once its own row is in force: × 0.9 × 0.8 = 7,200.
        let after = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2024-06-01")).figures[0]
        #expect(after.range == [6480, 7200, 7920])
    }

    @Test("a watch without its reference in the table falls back to brand and model; illustrative rows say so")
    func watchByModel() throws {
        let tables = TestTables()
        let watch = WatchItem(brand: "OMEGA", model: "speedmaster", referenceNumber: "310.30.42.50.01.001", condition: .good, hasBox: true, hasPapers: true)
        let figure = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2020-06-01")).figures[0]
        #expect(figure.range == [3600, 4050, 4500])
        #expect(figure.isIllustrative)
        #expect(figure.warnings.contains(.illustrative))
        #expect(FigureWarning.illustrative.message(sources: figure.sources) == "illustrative [I], not an observed price: watches.csv:3")
    }

    @Test("an unknown watch has no price, named with the table")
    func unknownWatch() throws {
        let tables = TestTables()
        let watch = WatchItem(brand: "Casio", model: "F-91W", condition: .good, hasBox: false, hasPapers: false)
        let result = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2020-06-01"))
        #expect(result.notValued == .noPrice("no price for Casio F-91W on 2020-06-01 in test (watches.csv)"))
    }

    // MARK: Vehicles

    @Test("vehicle by the depreciation model, its age in months: £20,000 × 0.8 × 0.9² × (1 − 0.1 × 5/12) after 41 months", arguments: [
        // (miles, market, trade, realisable). No first registration: its age counts from 1 January 2018,
        // 41 whole months to 1 June 2021; 20,000 × 0.8 × 0.81 × 11.5/12 = 12,420.
        (10000, FixedDecimal(12420), decimal("9936"), decimal("9439.2")),
        // 34,000 miles is 6,666.67 over 8,000 × 41/12: × (1 − 6.66667 × 0.01) = × 11,200/12,000 → 11,592.
        (34000, FixedDecimal(11592), decimal("9273.6"), decimal("8809.92")),
    ] as [(Int, FixedDecimal, FixedDecimal, FixedDecimal)])
    func depreciation(miles: Int, market: FixedDecimal, trade: FixedDecimal, realisable: FixedDecimal) throws {
        let tables = TestTables()
        let car = VehicleItem(make: "Ford", model: "Focus", year: 2018, mileage: try Distance(miles, .miles), condition: .clean, vehicleClass: .mainstream)
        let result = Valuer(book: try tables.book()).value(item(.vehicle(car)), on: day("2021-06-01"))
        #expect(result.figures.map(\.basis) == [.market, .wholesale, .realisable])
        #expect(result.figures.map(\.central) == [market, trade, realisable])
        #expect(result.figures[0].warnings.contains(.extrapolated(newPriceYear: 2018, vehicleClass: .mainstream)))
    }

    @Test("a car six months old loses half the first year's depreciation; another year's new price is indexed to its model year")
    func youngVehicle() throws {
        let tables = TestTables(extra: ["vehicles.csv": """
            make,model,year,price_type,low,central,high,currency,effective_from,source,confidence
            Kia,Niro,2019,new,30000,30000,30000,GBP,2019-01-01,test new 2019,P
            """])
        // First registered 15 March 2020, valued 20 September 2020: 6 whole months. The 2019 new price
        // brought to 2020 by CPIH June 2019 (the latest: Jan 2019, 100.0) → June 2020 (110.0): £33,000;
        // less 20 % × 6/12: £29,700. (Counted in calendar years it was £24,000: a full first year, no index.)
        let car = VehicleItem(make: "Kia", model: "Niro", year: 2020, condition: .clean, vehicleClass: .mainstream, firstRegistered: day("2020-03-15"))
        let figures = Valuer(book: try tables.book()).value(item(.vehicle(car)), on: day("2020-09-20")).figures
        #expect(figures.map(\.central) == [29700, 23760, 22572])
        #expect(figures[0].warnings.contains(.indexAdjusted(fromYear: 2019, factor: fixed("1.1"))))
        #expect(Valuer.months(from: day("2020-03-15"), to: day("2020-09-14")) == 5)
        #expect(Valuer.months(from: day("2020-01-31"), to: day("2020-02-29")) == 0)
    }

    @Test("the mileage allowance's range flows into low and high")
    func mileageRange() throws {
        let factors = TestTables.files["factors.csv"]!.replacingOccurrences(of: "vehicle,expected-miles-per-year,*,8000,8000,8000", with: "vehicle,expected-miles-per-year,*,7000,8000,9000")
        let tables = TestTables(extra: ["factors.csv": factors])
        let car = VehicleItem(make: "Ford", model: "Focus", year: 2018, mileage: try Distance(34000, .miles), condition: .clean, vehicleClass: .mainstream)
        let market = try #require(Valuer(book: try tables.book()).value(item(.vehicle(car)), on: day("2021-06-01")).figures.first)
        // 41 months; before mileage £12,420. Low: 7,000 a year allows 23,916.67, 10,083.33 over → × (12,000 − 1,210)/12,000;
        // central as above; high: 9,000 a year allows 30,750, 3,250 over → × (12,000 − 390)/12,000.
        #expect(market.range == [decimal("11167.65"), 11592, decimal("12016.35")])
    }

    @Test("vehicle with an observed price for its year: observed × condition, no extrapolation")
    func observedVehicle() throws {
        let tables = TestTables()
        let car = VehicleItem(make: "ford", model: "FOCUS", year: 2019, condition: .average, vehicleClass: .mainstream)
        let result = Valuer(book: try tables.book()).value(item(.vehicle(car)), on: day("2020-06-01"))
        #expect(result.figures[0].range == [12600, 13500, 14400])
        #expect(!result.figures[0].warnings.contains { $0.code == .extrapolated })
    }

    @Test("a make and model the table spells two ways are one vehicle: every spelling of the item finds all its rows")
    func vehicleSpelledTwoWays() throws {
        // The 2018 new price spelled "Ford Focus", the 2019 observed price "FORD FOCUS".
        let vehicles = TestTables.files["vehicles.csv"]!.replacingOccurrences(of: "Ford,Focus,2019,observed", with: "FORD,FOCUS,2019,observed")
        let valuer = Valuer(book: try TestTables(extra: ["vehicles.csv": vehicles]).book())
        for (make, model) in [("Ford", "Focus"), ("FORD", "FOCUS"), ("ford", "focus"), ("fOrD", "Focus")] {
            // 2019: the observed price × average condition 0.9, as `observedVehicle` works it out.
            let observed = VehicleItem(make: make, model: model, year: 2019, condition: .average, vehicleClass: .mainstream)
            #expect(valuer.value(item(.vehicle(observed)), on: day("2020-06-01")).figures.first?.range == [12600, 13500, 14400], "\(make) \(model)")
            // 2020: no observed price, so the new price of 2018 depreciated; the same for every spelling.
            let extrapolated = VehicleItem(make: make, model: model, year: 2020, condition: .clean, vehicleClass: .mainstream)
            let figure = valuer.value(item(.vehicle(extrapolated)), on: day("2020-06-01")).figures.first
            #expect(figure?.sources.first?.line == 2 && figure?.warnings.contains { $0.code == .extrapolated } == true, "\(make) \(model)")
        }
    }

    @Test("a drug table's units weigh what the model's mass units weigh; counted units weigh nothing", arguments: QuantityUnit.allCases)
    func quantityUnitGrams(_ unit: QuantityUnit) {
        // Looked up by code in the model's MassUnit, whose factors are the legal definitions.
        #expect(unit.grams == MassUnit(rawValue: unit.rawValue)?.grams)
        #expect(unit.isCount == [.tablet, .square, .plant].contains(unit))
    }

    // MARK: Jewellery, crypto, non-valued

    @Test("gold: one troy ounce of 750 at £1,200 is £900 of metal; scrap 60–95 %")
    func gold() throws {
        let tables = TestTables()
        let chain = try JewelleryItem(metal: .gold, fineness: 750, mass: Mass(1, .troyOunce), isGemSet: true)
        let result = Valuer(book: try tables.book()).value(item(.jewellery(chain)), on: day("2020-06-01"))
        #expect(result.figures.map(\.range) == [[900, 900, 900], [540, 720, 855]])
        #expect(result.figures[0].currency == .gbp && result.figures[0].rate == nil)
        #expect(result.figures[0].warnings.contains(.metalOnly))
        let silver = try JewelleryItem(metal: .silver, fineness: 925, mass: Mass(10, .gram), isGemSet: false)
        #expect(Valuer(book: try tables.book()).value(item(.jewellery(silver)), on: day("2020-06-01")).notValued
                == .noPrice("no silver price on or before 2020-06-01 in test (metals.csv)"))
    }

    @Test("fineness with decimals: a troy ounce of 999.9 gold at £1,200 is £1,199.88; more than two places, or over 1000, refused")
    func decimalFineness() throws {
        let tables = TestTables()
        let bar = try JewelleryItem(metal: .gold, fineness: decimal("999.9"), mass: Mass(1, .troyOunce), isGemSet: false)
        // £1,200 × 999.9 ÷ 1000
        #expect(Valuer(book: try tables.book()).value(item(.jewellery(bar)), on: day("2020-06-01")).figures.first?.range == [decimal("1199.88"), decimal("1199.88"), decimal("1199.88")])
        for bad in ["999.999", "1000.01", "0"] {
            #expect(throws: HaulCoreError.self) { try JewelleryItem(metal: .gold, fineness: decimal(bad), mass: Mass(1, .gram), isGemSet: false) }
        }
        // Through intake, as a spreadsheet or `haul seize` gives it.
        let parsed = try ItemAttributes.details(kind: .jewellery, ["metal": "gold", "fineness": "999.9", "mass": "1kg"])
        guard case .jewellery(let read) = parsed else { Issue.record("not jewellery"); return }
        #expect(read.fineness == decimal("999.9"))
    }

    @Test("a fineness as a fraction or in carats is refused, saying how hallmarks write it", arguments: ["0.750", "18", "99.99"])
    func finenessNotPartsPerThousand(_ typed: String) {
        // 10 g of 18 ct gold at £1,200 an ounce is about £289; read as 0.75 ‰ it was £0.29, without a word.
        #expect {
            try ItemAttributes.details(kind: .jewellery, ["metal": "gold", "fineness": typed, "mass": "10g"])
        } throws: { error in
            (error as? HaulCoreError)?.message.hasPrefix("fineness: \(typed) is parts per thousand") == true
                && (error as? HaulCoreError)?.message.contains("750 for 18 ct") == true
        }
        #expect(throws: Never.self) { try ItemAttributes.details(kind: .jewellery, ["metal": "silver", "fineness": "100", "mass": "10g"]) }
    }

    @Test("a named value in other capitals is the same value; one that is no value's name is refused, listing them")
    func attributeValuesInAnyCapitals() throws {
        guard case .jewellery(let ring) = try ItemAttributes.details(kind: .jewellery, ["metal": "Gold", "fineness": "750", "mass": "10g"]),
              case .drug(let drug) = try ItemAttributes.details(kind: .drug, ["substance": "COCAINE", "form": "Powder", "mass": "1kg"]) else {
            Issue.record("not the kinds asked for"); return
        }
        #expect(ring.metal == .gold && drug.substance == .cocaine && drug.form == .powder)
        #expect {
            try ItemAttributes.details(kind: .jewellery, ["metal": "brass", "fineness": "750", "mass": "10g"])
        } throws: { error in
            (error as? HaulCoreError)?.message == "metal: unknown value 'brass'; use one of \(Metal.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    @Test("a purity under 1 needs its % sign; 85 and 85% are the same", arguments: [
        ("0.85", nil), ("0.85%", "0.85"), ("85", "85"), ("85%", "85"), ("1", "1"), ("0", "0"), ("0.999", nil),
    ] as [(String, String?)])
    func purityUnderOnePercent(_ typed: String, _ percent: String?) throws {
        let attributes = ["substance": "cocaine", "form": "powder", "mass": "2kg", "purity": typed]
        guard let percent else {
            // 2 kg at 0.85 % was valued at a hundredth of 2 kg at 85 %.
            #expect {
                try ItemAttributes.details(kind: .drug, attributes)
            } throws: { error in
                (error as? HaulCoreError)?.message == "purity: '\(typed)' is a percentage, so \(typed) %; write \(DecimalText.plain(decimal(typed) * 100)) for \(DecimalText.plain(decimal(typed) * 100)) %, or \(typed)% if the laboratory found under 1 %"
            }
            return
        }
        guard case .drug(let drug) = try ItemAttributes.details(kind: .drug, attributes) else { Issue.record("not a drug"); return }
        #expect(drug.purity?.percent == decimal(percent))
    }

    @Test("crypto: 0.5 BTC × $10,000 × (0.85 ÷ 1.25), a derived cross rate")
    func crypto() throws {
        let tables = TestTables()
        let coins = try CryptoassetItem(asset: "BTC", units: decimal("0.5"))
        let figure = Valuer(book: try tables.book()).value(item(.cryptoasset(coins)), on: day("2020-06-01")).figures[0]
        #expect(figure.range == [3060, 3400, 3740])
        #expect(figure.rate?.rate == fixed("0.68"))
        #expect(figure.rate?.isDerived == true)
    }

    @Test("firearms and phones are listed, not valued")
    func nonValued() throws {
        let tables = TestTables()
        let result = Valuer(book: try tables.book()).value(item(.nonValued(.firearm)), on: day("2020-06-01"))
        #expect(result.figures.isEmpty)
        #expect(result.notValued == .notValuedKind(.firearm))
    }

    @Test("each case-model valuation words its own [?] list from its own figure's rows")
    func sharedWarningsWordedPerFigure() throws {
        // The condition factor (factors.csv:2) and the realisable one (factors.csv:5) marked [?]:
        // the market figure rests on the first, the realisable figure on both.
        let factors = TestTables.files["factors.csv"]!
            .replacingOccurrences(of: "watch,condition,good,0.9,0.9,0.9,2019-01-01,test,P", with: "watch,condition,good,0.9,0.9,0.9,2019-01-01,test,?")
            .replacingOccurrences(of: "watch,realisable,*,0.7,0.7,0.7,2019-01-01,test,P", with: "watch,realisable,*,0.7,0.7,0.7,2019-01-01,test,?")
        let tables = TestTables(extra: ["factors.csv": factors])
        let watch = WatchItem(brand: "OMEGA", model: "speedmaster", condition: .good, hasBox: true, hasPapers: true)
        let result = Valuer(book: try tables.book()).value(item(.watch(watch)), on: day("2020-06-01"))
        let valuations = result.valuations()
        #expect(valuations.map(\.basis) == [.market, .realisable])
        func words(_ valuation: Valuation, _ code: WarningCode) -> [String] { valuation.warnings.filter { $0.code == code }.map(\.message) }
        #expect(words(valuations[0], .unverifiedSource) == ["unverified source [?]: factors.csv:2"])
        #expect(words(valuations[1], .unverifiedSource) == ["unverified source [?]: factors.csv:2, factors.csv:5"])
        // The [I] model row is on both, in the same words.
        #expect(words(valuations[0], .illustrative) == ["illustrative [I], not an observed price: watches.csv:3"])
        #expect(words(valuations[1], .illustrative) == words(valuations[0], .illustrative))
        // And every valuation's warnings are its figure's, each worded on its own.
        for (figure, valuation) in zip(result.figures, valuations) {
            #expect(valuation.warnings == figure.warnings.map { ValuationWarning($0.code, $0.message(sources: figure.sources)) })
        }
        // Their words are put together when read; stored and read back, they are the same warnings,
        // equal and hashing alike, and a message set by hand replaces the words.
        let stored = try JSONDecoder().decode([Valuation].self, from: JSONEncoder().encode(valuations))
        #expect(stored == valuations)
        #expect(Set(stored.flatMap(\.warnings)) == Set(valuations.flatMap(\.warnings)))
        #expect(stored[1].warnings.map(\.message) == valuations[1].warnings.map(\.message))
        var edited = valuations[1].warnings[0]
        edited.message = "checked by hand"
        #expect(edited.message == "checked by hand" && edited != valuations[1].warnings[0])
    }

    @Test("a case-model valuation lists its figure's rows and warnings when read, as one given them all would", arguments: [
        drug(.heroin, grams: "10"),
        item(.watch(WatchItem(brand: "Omega", model: "Speedmaster", condition: .good, hasBox: false, hasPapers: false))),
        item(.cryptoasset(try! CryptoassetItem(asset: "BTC", units: decimal("0.5")))),
    ])
    func listedWhenRead(_ valued: Item) throws {
        let result = Valuer(book: try TestTables().book()).value(valued, on: day("2020-06-01"))
        let valuations = result.valuations()
        #expect(valuations.count == result.figures.count && !valuations.isEmpty)
        for (figure, valuation) in zip(result.figures, valuations) {
            // The same valuation made with the public initialiser from the figure's fields, by hand.
            let sources = figure.sources.map {
                PriceSource(table: $0.file, line: $0.line > 0 ? $0.line : nil, effectiveFrom: $0.effectiveFrom, confidence: $0.confidence, citation: $0.source)
            }
            let given = try Valuation(basis: figure.basis, valuedOn: day("2020-06-01"), low: Money(figure.low, figure.currency),
                                      central: Money(figure.central, figure.currency), high: Money(figure.high, figure.currency),
                                      isUpperBound: figure.isUpperBound, sources: sources,
                                      exchangeRate: figure.rate.map { AppliedExchangeRate(from: $0.from, to: $0.to, rate: $0.rate, date: $0.date, source: "ECB euro reference rates", isDerived: $0.isDerived) },
                                      indexAdjustment: figure.indexUse.map { IndexAdjustment(index: try! Identifier($0.index), fromPeriod: $0.from.period, toPeriod: $0.to.period, factor: $0.factor) },
                                      warnings: figure.warnings.map { ValuationWarning($0.code, $0.message(sources: figure.sources)) })
            #expect(valuation.sources == sources)
            #expect(valuation == given && given == valuation)
            #expect(valuation.hashValue == given.hashValue)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(valuation) == encoder.encode(given))
            // Setting either list keeps the other as it was.
            var edited = valuation
            edited.sources = [sources[0]]
            #expect(edited.sources == [sources[0]] && edited.warnings == given.warnings)
            edited.warnings = []
            #expect(edited.sources == [sources[0]] && edited.warnings.isEmpty && valuation == given)
        }
    }

    @Test("a deferred valuation's words are the warning's words: heroin at the euro row, its rate and its [?] source")
    func deferredWords() throws {
        let valuation = try #require(Valuer(book: try TestTables().book()).value(drug(.heroin, grams: "10"), on: day("2020-06-01")).valuations().first)
        // Written out by hand from FigureWarning's wording and the test tables: drugs.csv:7 is the
        // heroin row, marked [?]; 10 g × €40 × 0.85 = £340.
        #expect(valuation.central == Money(340, .gbp))
        #expect(valuation.warnings.map(\.message) == [
            "seized drugs count at nil in the available amount (R v Islam [2009] UKHL 30)",
            "unverified source [?]: drugs.csv:7",
        ])
        #expect(valuation.sources.map(\.citation) == ["test euro row", "ECB euro foreign exchange reference rates"])
    }

    @Test("a factor for the item's key in any table beats a `*` factor in any table, whichever table is the overlay", arguments: [
        // (overlay's realisable row, base's extra realisable row, realisable central)
        ("watch,realisable,omega,0.5,0.5,0.5,2019-01-01,overlay,P", nil, "2025"),
        ("watch,realisable,*,0.6,0.6,0.6,2019-01-01,overlay,P", "watch,realisable,omega,0.5,0.5,0.5,2019-01-01,test,P", "2025"),
        ("watch,realisable,*,0.6,0.6,0.6,2019-01-01,overlay,P", nil, "2430"),
    ] as [(String, String?, String)])
    func factorFallback(overlayRow: String, baseRow: String?, central: String) throws {
        let header = "kind,factor,key,low,central,high,effective_from,source,confidence"
        let overlay = TestTables(only: ["factors.csv": header + "\n" + overlayRow])
        let base = TestTables(extra: baseRow.map { ["factors.csv": TestTables.files["factors.csv"]! + "\n" + $0] } ?? [:])
        // Omega Speedmaster (model row £4,500) in good condition (× 0.9), box and papers: £4,050;
        // realisable × 0.5 = £2,025 where an "omega" row exists in either table, else × 0.6 = £2,430.
        let watch = WatchItem(brand: "Omega", model: "Speedmaster", condition: .good, hasBox: true, hasPapers: true)
        let figures = Valuer(book: try base.book(overlay: overlay)).value(item(.watch(watch)), on: day("2020-06-01")).figures
        #expect(figures.map(\.basis) == [.market, .realisable])
        #expect(figures.last?.central == decimal(central))
    }

    @Test("an unpriced entry's reason is the latest gap in force on the day, not one before it or one not yet in force")
    func latestGapInForce() throws {
        // (The tables refuse two gaps for one entry from the same day, so there is no tie to break.)
        let gaps = """
            kind,entry,reason,effective_from,source,confidence
            drug,ketamine,an earlier reason,2019-01-01,test gap one,P
            drug,ketamine,the reason in force,2020-01-01,test gap two,?
            drug,ketamine,a later reason not yet in force,2021-01-01,test gap three,P
            drug,heroin,another drug's reason,2020-02-01,test gap four,P
            """
        let result = Valuer(book: try TestTables(extra: ["gaps.csv": gaps]).book()).value(drug(.ketamine, grams: "5"), on: day("2020-06-01"))
        guard case .noPrice(let message)? = result.notValued else { Issue.record("ketamine was priced"); return }
        #expect(message == "no price for ketamine on 2020-06-01 in test: the reason in force (gaps.csv:3, [?] test gap two)")
    }

    @Test("a watch brand, reference or model spelled otherwise than the table still finds its row")
    func watchSpelledOtherwise() throws {
        let valuer = Valuer(book: try TestTables().book())
        for (brand, model, reference) in [("Rolex", "Submariner Date", "126610LN"), ("ROLEX", "submariner date", "126610ln"), ("rolex", "x", "126610Ln")] {
            let watch = WatchItem(brand: brand, model: model, referenceNumber: reference, condition: .good, hasBox: true, hasPapers: true)
            // £10,000 × 0.9 (good) = £9,000, from watches.csv:2 whatever the spelling.
            let market = valuer.value(item(.watch(watch)), on: day("2020-06-01")).figures.first
            #expect(market?.central == 9000 && market?.sources.first?.line == 2, "\(brand) \(model) \(reference)")
        }
    }

    @Test("figures become case-model valuations that name their rows")
    func materialised() throws {
        let tables = TestTables()
        let valuations = Valuer(book: try tables.book()).value(drug(.heroin, grams: "10"), on: day("2020-06-01")).valuations()
        let valuation = try #require(valuations.first)
        #expect(valuation.central == Money(340, .gbp))
        #expect(valuation.sources.map(\.table) == ["test/drugs.csv", "rates.xml"])
        #expect(valuation.sources.map(\.line) == [7, 20])
        #expect(valuation.exchangeRate?.rate == decimal("0.85"))
        #expect(valuation.warnings.map(\.code).contains(.unverifiedSource))
    }
}
