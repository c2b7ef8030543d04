import Foundation
import HaulTables
import HaulCore
import HaulTestSupport
@testable import HaulValuation
import Testing

func day(_ text: String) -> CalendarDate { try! CalendarDate(parsing: text) }
func fixed(_ text: String) -> FixedDecimal { try! FixedDecimal(parsing: text) }

/// Hand-written test tables with round numbers, so every expected figure below can be worked
/// out on paper. They are parsed from the text in memory: the valuer is tested on rows, never
/// on files.
struct TestTables {
    /// File name → its text.
    var files: [String: String]

    static let files: [String: String] = [
        "manifest.csv": """
            key,value
            name,Test tables
            currency,GBP
            staleness_years,3
            index,CPIH
            """,
        "drugs.csv": """
            substance,basis,from_quantity,quantity_unit,price_unit,reference_purity,low,central,high,currency,effective_from,source,confidence
            cocaine,street,0,g,g,50,40,60,80,GBP,2019-01-01,test street,P
            cocaine,wholesale,28,g,oz,60,800,1000,1200,GBP,2019-01-01,test ounce,P
            cocaine,wholesale,1,kg,kg,75,30000,40000,50000,GBP,2019-01-01,test kilo,P
            cocaine,wholesale,1,kg,kg,75,20000,30000,40000,GBP,2021-01-01,test kilo 2021,P
            ecstasy,street,0,tablet,tablet,,2,5,8,GBP,2019-01-01,test tablets,P
            heroin,street,0,g,g,,30,40,50,EUR,2019-01-01,test euro row,?
            """,
        "watches.csv": """
            brand,model,reference,low,central,high,currency,effective_from,source,confidence
            Rolex,Submariner Date,126610LN,9000,10000,11000,GBP,2020-01-01,test watch,P
            Omega,Speedmaster,,4000,4500,5000,GBP,2020-01-01,test model row,I
            """,
        "vehicles.csv": """
            make,model,year,price_type,low,central,high,currency,effective_from,source,confidence
            Ford,Focus,2018,new,20000,20000,20000,GBP,2018-01-01,test new,P
            Ford,Focus,2019,observed,14000,15000,16000,GBP,2020-01-01,test observed,P
            """,
        "metals.csv": """
            metal,low,central,high,currency,effective_from,source,confidence
            gold,1500,1500,1500,USD,2020-01-02,test gold usd,V
            gold,1200,1200,1200,GBP,2020-01-02,test gold gbp,V
            """,
        "crypto.csv": """
            asset,low,central,high,currency,effective_from,source,confidence
            BTC,9000,10000,11000,USD,2020-06-01,test btc,V
            """,
        "factors.csv": """
            kind,factor,key,low,central,high,effective_from,source,confidence
            watch,condition,good,0.9,0.9,0.9,2019-01-01,test,P
            watch,set-none,rolex,0.8,0.8,0.8,2019-01-01,test,P
            watch,set-partial,*,0.9,0.9,0.9,2019-01-01,test,P
            watch,realisable,*,0.7,0.7,0.7,2019-01-01,test,P
            vehicle,first-year-depreciation,mainstream,0.2,0.2,0.2,2019-01-01,test,P
            vehicle,annual-depreciation,mainstream,0.1,0.1,0.1,2019-01-01,test,P
            vehicle,condition,clean,1,1,1,2019-01-01,test,P
            vehicle,condition,average,0.9,0.9,0.9,2019-01-01,test,P
            vehicle,trade,*,0.8,0.8,0.8,2019-01-01,test,P
            vehicle,realisable,*,0.95,0.95,0.95,2019-01-01,test,P
            vehicle,expected-miles-per-year,*,8000,8000,8000,2019-01-01,test,P
            vehicle,mileage-per-1000-over,*,0.01,0.01,0.01,2019-01-01,test,P
            jewellery,scrap,*,0.6,0.8,0.95,2019-01-01,test,P
            """,
        "sentencing.csv": """
            substance,category,from_quantity,quantity_unit,effective_from,source,confidence
            cocaine,1,5,kg,2012-02-27,test,V
            cocaine,2,1,kg,2012-02-27,test,?
            cocaine,3,150,g,2012-02-27,test,?
            cocaine,4,5,g,2012-02-27,test,?
            """,
        "index-cpih.csv": """
            period,value,source,confidence
            2019-01,100.0,test,V
            2020-06,110.0,test,V
            """,
    ]

    /// 1 EUR = 1.25 USD = 0.85 GBP on 2020-05-29 and 2020-06-01; 0.80 GBP on 2019-12-02.
    static let rates = ReferenceRates(days: [
        .init(date: day("2019-12-02"), rates: ["USD": decimal("1.1"), "GBP": decimal("0.80")], source: "rates.xml", line: 3),
        .init(date: day("2020-05-29"), rates: ["USD": decimal("1.25"), "GBP": decimal("0.85")], source: "rates.xml", line: 10),
        .init(date: day("2020-06-01"), rates: ["USD": decimal("1.25"), "GBP": decimal("0.85")], source: "rates.xml", line: 20),
    ])

    /// The tables above, with `extra` files added or replacing theirs.
    init(extra: [String: String] = [:]) {
        files = Self.files.merging(extra, uniquingKeysWith: { $1 })
    }

    /// Only the files given (an overlay of a few rows).
    init(only files: [String: String]) { self.files = files }

    /// The rows, as `TableLoader` reads each file's text; any problem fails the test.
    func tables(named name: String) -> TableSet {
        var tables = TableSet(name: name)
        var problems: [TableProblem] = []
        for (fileName, text) in files.sorted(by: { $0.key < $1.key }) {
            problems += TableLoader.load(text: text + "\n", fileName: fileName, displayName: "\(name)/\(fileName)", into: &tables)
        }
        #expect(problems.isEmpty, "\(problems)")
        return tables
    }

    /// A price book of these tables (named `test`), under `overlay` (named `overlay`) when given.
    func book(overlay: TestTables? = nil) throws -> PriceBook {
        try PriceBook(layers: (overlay.map { [$0.tables(named: "overlay")] } ?? []) + [tables(named: "test")], rates: Self.rates)
    }
}

func item(_ details: ItemDetails) -> Item { Item(id: "I-1", exhibit: "E/1", details: details) }

func drug(_ substance: Substance, grams: String, purity: String? = nil) -> Item {
    item(.drug(DrugItem(substance: substance, form: .powder, quantity: .mass(try! Mass(decimal(grams), .gram)),
                        purity: purity.map { try! Purity(percent: decimal($0), method: .laboratory) })))
}

extension Figure {
    /// (low, central, high) as exact decimals.
    var range: [FixedDecimal] { [low, central, high] }
}
