import Foundation
import HaulCore
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
        // Rates as the ECB published them on 28 January 2020: 1 EUR = 1.1005 USD = 0.84603 GBP.
        let rates = ReferenceRates(days: [.init(date: day("2020-01-28"), rates: ["USD": decimal("1.1005"), "GBP": decimal("0.84603")], source: "ecb", line: 1)])
        return try PriceBook(layers: layers, rates: rates)
    }

    @Test("8 kg of cocaine at the kilo level: 8 × £30,000 / £45,000 / £55,000 (Home Office c.2011; SOCA 2009)")
    func cocaineKilo() throws {
        let result = Valuer(book: try book()).value(drug(.cocaine, grams: "8000"), on: day("2020-06-18"))
        #expect(result.figures[0].basis == .wholesale)
        #expect(result.figures[0].range == [240_000, 360_000, 440_000])
        #expect(result.sentencing?.category == 1)
        #expect(result.figures[0].warnings.contains(.stale(row: day("2011-07-01"), limit: .years(5))))
    }

    @Test("48.6 g of 750 gold on 2020-06-18: the LBMA GBP fix of 2019-12-31 (£1,157.78 a troy ounce)")
    func gold() throws {
        let chain = try JewelleryItem(metal: .gold, fineness: 750, mass: Mass(decimal("48.6"), .gram), isGemSet: false)
        let figure = Valuer(book: try book()).value(item(.jewellery(chain)), on: day("2020-06-18")).figures[0]
        // 48.6 × 0.75 × 1157.78 ÷ 31.1034768 = 1356.80 (to the penny)
        #expect(Money(figure.central.decimal, .gbp).amountText == "1356.80")
        #expect(figure.sources.first?.effectiveFrom == day("2019-12-31"))
    }

    @Test("0.85 BTC on 2020-06-18 uses the 2020-01-01 close ($7,200.17) and says it is stale")
    func bitcoin() throws {
        let coins = try CryptoassetItem(asset: "BTC", units: decimal("0.85"))
        let figure = Valuer(book: try book()).value(item(.cryptoasset(coins)), on: day("2020-06-18")).figures[0]
        // 0.85 × 7200.17 × (0.84603 ÷ 1.1005) = 4704.98
        #expect(Money(figure.central.decimal, .gbp).amountText == "4704.98")
        #expect(figure.warnings.contains { $0.code == .stalePrice })
        #expect(figure.warnings.contains { $0.code == .rateDateDistant })
    }

    @Test("a 2019 G63 on 2020-06-18 by depreciation: the 2018 new price indexed to 2019, 17 months old, less 0.3 % per 1,000 miles over 7,500 a year")
    func gWagon() throws {
        let car = VehicleItem(make: "Mercedes-Benz", model: "AMG G63", year: 2019, mileage: try Distance(14200, .miles), condition: .clean, vehicleClass: .luxury)
        let figure = Valuer(book: try book()).value(item(.vehicle(car)), on: day("2020-06-18")).figures[0]
        // 143,305 (2018) × CPIH 107.9 (Jun 2019) ÷ 105.9 (Jun 2018) = 146,011.42; 1 January 2019 to 18 June 2020 is
        // 17 months: × 0.70 for year one, × (12 − 0.16 × 5)/12 for five months of year two = 95,394.13;
        // 14,200 − 7,500 × 17/12 = 3,575 miles over → × (1 − 3.575 × 0.003) = 94,371.03.
        #expect(Money(figure.central.decimal, .gbp).amountText == "94371.03")
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
