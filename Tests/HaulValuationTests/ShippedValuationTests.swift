import Foundation
import HaulTables
import HaulCore
import HaulTestSupport
import HaulData
@testable import HaulValuation
import Testing

/// Values items with the shipped default tables, so the defaults cannot stay empty, checking
/// figures by hand against the rows the domain notes give.
@Suite("Shipped GB-EAW tables")
struct ShippedValuationTests {
    private func book() throws -> PriceBook {
        let (layers, problems) = ShippedTables.layers(for: .englandAndWales, overlay: nil)
        #expect(problems.isEmpty)
        // Rates as the ECB published them on 18 June 2020 (eurofxref-hist): 1 EUR = 1.1222 USD = 0.90028 GBP.
        let rates = ReferenceRates(days: [.init(date: day("2020-06-18"), rates: ["USD": decimal("1.1222"), "GBP": decimal("0.90028")], source: "ecb", line: 1)])
        return try PriceBook(layers: layers, rates: rates)
    }

    @Test("8 kg of cocaine in June 2020 at the kilo level: 8 × £28,000 / £34,000 / £40,000 (NCA, lockdown 2020; a London wholesaler to Sky News, April 2020)")
    func cocaineKilo() throws {
        let result = Valuer(book: try book()).value(drug(.cocaine, grams: "8000"), on: day("2020-06-18"))
        #expect(result.figures[0].basis == .wholesale)
        #expect(result.figures[0].range == [224_000, 272_000, 320_000])
        #expect(result.figures[0].sources.first?.effectiveFrom == day("2020-04-03"))
        #expect(result.sentencing?.category == 1)
        #expect(!result.figures[0].warnings.contains { $0.code == .stalePrice })
        // Before lockdown, late 2019: the NCA's £21,000 a kilo.
        let before = Valuer(book: try book()).value(drug(.cocaine, grams: "8000"), on: day("2020-01-15"))
        #expect(before.figures[0].range == [168_000, 168_000, 168_000])
    }

    @Test("US: 4 kg of methamphetamine at the DEA's 2019 kilo price, 4 × $2,000 / $3,000 / $4,000; an ounce at the 2018 ounce price")
    func usMethamphetamine() throws {
        let (layers, problems) = ShippedTables.layers(for: .unitedStates, overlay: nil)
        #expect(problems.isEmpty)
        let book = try PriceBook(layers: layers, rates: ReferenceRates())
        let bulk = Valuer(book: book).value(drug(.methamphetamine, grams: "4000"), on: day("2020-06-18"))
        #expect(bulk.figures.first?.basis == .wholesale && bulk.figures.first?.range == [8_000, 12_000, 16_000])
        // Two ounces (56.69904625 g; 28.349523125 g an avoirdupois ounce), 2 × $250 / $350 / $450.
        let ounces = Valuer(book: book).value(drug(.methamphetamine, grams: "56.699046"), on: day("2020-06-18"))
        let range = try #require(ounces.figures.first?.range)
        #expect(zip(range, [500, 700, 900] as [FixedDecimal]).allSatisfy { ($0 - $1).magnitude < FixedDecimal("0.01")! }, "\(range)")
    }

    @Test("a stale price says how old it is on the day and what the newest row of the drug at another level gives")
    func staleSaysWhatIsNewer() throws {
        // 1 June 2019: the kilo row in force is the Home Office's of 1 July 2011 (the NCA's 2019 and 2020
        // rows come later); 2011-07-01 to 2019-06-01 is 95 whole months, 7 years 11 months.
        let result = Valuer(book: try book()).value(drug(.cocaine, grams: "1000"), on: day("2019-06-01"))
        let stale = try #require(result.figures[0].warnings.first { $0.code == .stalePrice })
        #expect(stale.message() == "price from 2011-07-01 is 7 years 11 months old on 2019-06-01, beyond the table's 5-year limit; newer: street from 2018-07-01, 30–120 GBP a g (drugs.csv:7)")
        #expect(FigureWarning.age(from: day("2020-01-31"), to: day("2020-02-29")) == "29 days")
        #expect(FigureWarning.age(from: day("2019-02-28"), to: day("2020-02-28")) == "1 year")
    }

    @Test("4 kg of methamphetamine: no price, and the reason (no UK wholesale figure; the one UK retail figure would overstate it)")
    func methamphetamineHasNoPrice() throws {
        let result = Valuer(book: try book()).value(drug(.methamphetamine, grams: "4000"), on: day("2020-06-18"))
        #expect(result.figures.isEmpty)
        guard case .noPrice(let message)? = result.notValued else { Issue.record("methamphetamine was priced"); return }
        #expect(message.hasPrefix("no price for methamphetamine on 2020-06-18 in valuations/GB-EAW: no UK wholesale price for methamphetamine is published"))
        #expect(message.contains("(gaps.csv:3, [P]"))
    }

    @Test("48.6 g of 750 gold on 2020-06-18: the World Bank's June 2020 average ($1,732 a troy ounce), at the day's ECB rate")
    func gold() throws {
        let chain = try JewelleryItem(metal: .gold, fineness: 750, mass: Mass(decimal("48.6"), .gram), isGemSet: false)
        let figure = Valuer(book: try book()).value(item(.jewellery(chain)), on: day("2020-06-18")).figures[0]
        // 48.6 × 0.75 × 1732 ÷ 31.1034768 × (0.90028 ÷ 1.1222) = 1628.34 (to the penny): £1,389.50 an ounce, within a
        // month's movement of the LBMA's £1,383.51 PM fix that day.
        #expect(Money(figure.central, .gbp).amountText == "1628.34")
        #expect(figure.sources.first?.effectiveFrom == day("2020-06-01"))
        #expect(!figure.warnings.contains { $0.code == .stalePrice || $0.code == .rateDateDistant })
    }

    @Test("0.85 BTC on 2020-06-18 at that day's close ($9,376.14, Coinbase), at the day's ECB rate")
    func bitcoin() throws {
        let coins = try CryptoassetItem(asset: "BTC", units: decimal("0.85"))
        let figure = Valuer(book: try book()).value(item(.cryptoasset(coins)), on: day("2020-06-18")).figures[0]
        // 0.85 × 9376.14 × (0.90028 ÷ 1.1222) = 6393.67
        #expect(Money(figure.central, .gbp).amountText == "6393.67")
        #expect(figure.sources.first?.effectiveFrom == day("2020-06-18"))
        #expect(!figure.warnings.contains { $0.code == .stalePrice || $0.code == .rateDateDistant })
    }

    @Test("a 2019 G63 on 2020-06-18 by depreciation: the 2018 new price indexed to 2019, 17 months old, less 0.3 % per 1,000 miles over 7,500 a year")
    func gWagon() throws {
        let car = VehicleItem(make: "Mercedes-Benz", model: "AMG G63", year: 2019, mileage: try Distance(14200, .miles), condition: .clean, vehicleClass: .luxury)
        let figure = Valuer(book: try book()).value(item(.vehicle(car)), on: day("2020-06-18")).figures[0]
        // 143,305 (2018) × CPIH 107.9 (Jun 2019) ÷ 105.9 (Jun 2018) = 146,011.42; 1 January 2019 to 18 June 2020 is
        // 17 months: × 0.70 for year one, × (12 − 0.16 × 5)/12 for five months of year two = 95,394.13;
        // 14,200 − 7,500 × 17/12 = 3,575 miles over → × (1 − 3.575 × 0.003) = 94,371.03.
        #expect(Money(figure.central, .gbp).amountText == "94371.03")
    }

    @Test("every shipped table of every jurisdiction loads clean: each row with a source a case file can carry, a date and a mark")
    func everyShippedRowSourced() throws {
        #expect(ShippedTables.jurisdictions.count >= 3)
        for jurisdiction in ShippedTables.jurisdictions {
            let (layers, problems) = ShippedTables.layers(for: jurisdiction, overlay: nil)
            #expect(problems.isEmpty, "\(jurisdiction): \(problems.prefix(3))")
            for layer in layers {
                let origins = layer.drugs.map(\.origin) + layer.watches.map(\.origin) + layer.vehicles.map(\.origin) + layer.metals.map(\.origin)
                    + layer.crypto.map(\.origin) + layer.factors.map(\.origin) + layer.sentencing.map(\.origin) + layer.index.map(\.origin) + layer.gaps.map(\.origin)
                #expect(!origins.isEmpty)
                for origin in origins {
                    #expect(!origin.source.trimmingCharacters(in: .whitespaces).isEmpty && origin.source.count <= 200, "\(origin.file):\(origin.line)")
                    #expect(CalendarDate.supportedYears.contains(origin.effectiveFrom.year), "\(origin.file):\(origin.line)")
                }
            }
        }
    }

    @Test("the example case: every valued kind gets figures from the shipped tables; what cannot be priced says why")
    func example() throws {
        let reader = try Data(contentsOf: HaulData.example("south-west-2020.xml"))
        #expect(!reader.isEmpty)
        let (layers, problems) = ShippedTables.layers(for: .englandAndWales, overlay: nil)
        #expect(problems.isEmpty)
        let counts = Dictionary(uniqueKeysWithValues: layers[0].rowCounts.map { ($0.table, $0.rows) })
        for table in ["drugs", "watches", "vehicles", "metals", "crypto", "factors", "sentencing", "index-cpih"] {
            #expect((counts[table] ?? 0) > 0, "the shipped \(table) table is empty")
        }
    }
}
