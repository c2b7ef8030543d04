import Foundation
import Testing

/// `haul tables import`: published series made into dated, sourced tables. The fixture files are
/// written by Python's csv module (an independent writer) in each source's documented layout, and
/// their SHA-256 computed by Python's hashlib.
@Suite("haul tables import")
struct TablesImportCLITests {
    let cli = CLITests()

    /// Python with openpyxl, or nil where it is absent and the cross-checks are not required.
    func openpyxl() throws -> String? {
        guard let python = try CLITests.tool("python3") else { return nil }
        if try cli.runTool(python, ["-c", "import openpyxl"]).status == 0 { return python }
        try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "openpyxl is required here: apt-get install python3-openpyxl")
        return nil
    }

    /// Writes `rows` as CSV with Python's csv module; returns the file's SHA-256 as hashlib gives it.
    func writeWithPython(_ path: String, _ rows: [[String]]) throws -> String {
        let python = try #require(try CLITests.tool("python3"))
        let data = try JSONSerialization.data(withJSONObject: rows)
        let script = """
            import csv, hashlib, json, sys
            rows = json.loads(sys.argv[2])
            with open(sys.argv[1], 'w', newline='') as f:
                csv.writer(f, lineterminator='\\n').writerows(rows)
            print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())
            """
        let result = try cli.runTool(python, ["-c", script, path, String(decoding: data, as: UTF8.self)])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The data rows of a table file Haul wrote, parsed by Python's csv module.
    func rowsWithPython(_ path: String) throws -> [[String]] {
        let python = try #require(try CLITests.tool("python3"))
        let script = "import csv, json, sys\nprint(json.dumps([r for r in csv.reader(l for l in open(sys.argv[1]) if not l.startswith('#'))][1:]))"
        let result = try cli.runTool(python, ["-c", script, path])
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String]])
    }

    @Test("metals-monthly: each month a row dated its first day at the series' price, citing the series, the line and the file's SHA-256; --from leaves earlier months out; the table is in force with --tables")
    func metalsMonthly() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The datasets/gold-prices layout: Date,Price (USD per troy ounce), a month a line.
        let digest = try writeWithPython(folder + "/monthly.csv", [["Date", "Price"], ["1959-12", "35.10"], ["2020-05", "1715.91"], ["2020-06", "1732.22"], ["2020-07", ""]])
        let result = try cli.haul("tables", "import", "metals-monthly", folder + "/monthly.csv", "--metal", "gold", "--to", folder + "/tables",
                                  "--from", "1960-01-01", "--series", "World Bank Pink Sheet gold", "--terms", "public domain")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Wrote 2 gold rows (2020-05 to 2020-06) to \(folder)/tables/metals.csv from monthly.csv, SHA-256 \(digest)\n"))
        #expect(result.stdout.contains("  1 row with no price left out\n  1 row dated before 1960-01-01 left out\n"))
        #expect(try rowsWithPython(folder + "/tables/metals.csv") == [
            ["gold", "1715.91", "1715.91", "1715.91", "USD", "2020-05-01", "World Bank Pink Sheet gold, 2020-05; monthly.csv line 3, SHA-256 \(digest); public domain", "P"],
            ["gold", "1732.22", "1732.22", "1732.22", "USD", "2020-06-01", "World Bank Pink Sheet gold, 2020-06; monthly.csv line 4, SHA-256 \(digest); public domain", "P"],
        ])
        // Layered over the defaults: the June row is what a gold item on 18 June 2020 is priced from.
        let shown = try cli.haul("tables", "show", "metals", "--tables", folder + "/tables", "--json")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [[String: Any]])
        #expect(rows.first?["layer"] as? String == folder + "/tables" && rows.first?["row"] as? String == "gold: 1715.91 / 1715.91 / 1715.91 USD per troy oz")
        #expect(try cli.haul("tables", "check", folder + "/tables").status == 0)
    }

    @Test("crypto-daily: Coin Metrics' time,PriceUSD layout, a day a row; an overlapping import is refused without --replace and changes nothing; a later period is added")
    func cryptoDaily() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let digest = try writeWithPython(folder + "/btc.csv", [["time", "PriceUSD", "CapMrktCurUSD"],
                                                              ["2020-06-17T00:00:00.000000000Z", "9452.13", "1"], ["2020-06-18T00:00:00.000000000Z", "9376.14", "1"]])
        let first = try cli.haul("tables", "import", "crypto-daily", folder + "/btc.csv", "--asset", "BTC", "--to", folder + "/t")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try rowsWithPython(folder + "/t/crypto.csv") == [
            ["BTC", "9452.13", "9452.13", "9452.13", "USD", "2020-06-17", "BTC daily close, 2020-06-17; btc.csv line 2, SHA-256 \(digest)", "P"],
            ["BTC", "9376.14", "9376.14", "9376.14", "USD", "2020-06-18", "BTC daily close, 2020-06-18; btc.csv line 3, SHA-256 \(digest)", "P"],
        ])
        let before = try String(contentsOfFile: folder + "/t/crypto.csv", encoding: .utf8)
        let again = try cli.haul("tables", "import", "crypto-daily", folder + "/btc.csv", "--asset", "BTC", "--to", folder + "/t")
        #expect(again.status == 1 && again.stderr.contains("already prices 2 of these BTC rows' days; --replace replaces its rows, --keep keeps them and leaves the imported ones out; nothing written"))
        #expect(try String(contentsOfFile: folder + "/t/crypto.csv", encoding: .utf8) == before)
        _ = try writeWithPython(folder + "/later.csv", [["time", "PriceUSD"], ["2020-06-19", "9300.00"]])
        #expect(try cli.haul("tables", "import", "crypto-daily", folder + "/later.csv", "--asset", "BTC", "--to", folder + "/t").status == 0)
        #expect(try rowsWithPython(folder + "/t/crypto.csv").map { $0[5] } == ["2020-06-17", "2020-06-18", "2020-06-19"])
        #expect(try cli.haul("tables", "import", "crypto-daily", folder + "/btc.csv", "--asset", "BTC", "--to", folder + "/t", "--replace").status == 0)
        #expect(try rowsWithPython(folder + "/t/crypto.csv").count == 3)
        // --keep: the table's own row for a day stays, the imported one is left out; a row of
        // another currency on the same day is no clash; comments anywhere are kept, CRLF or not.
        let own = "# our licensed feed\r\nasset,low,central,high,currency,effective_from,source,confidence\r\n"
            + "BTC,9000,9000,9000,USD,2020-06-18,our feed,V\r\n# a note after the header\r\nBTC,7000,7000,7000,GBP,2020-06-17,our feed in pounds,V\r\n"
        try FileManager.default.createDirectory(atPath: folder + "/k", withIntermediateDirectories: true)
        try own.write(toFile: folder + "/k/crypto.csv", atomically: true, encoding: .utf8)
        let kept = try cli.haul("tables", "import", "crypto-daily", folder + "/btc.csv", "--asset", "BTC", "--to", folder + "/k", "--keep")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdout.contains("Wrote 1 BTC row") && kept.stdout.contains("kept the table's own rows on 1 of those days"))
        #expect(try rowsWithPython(folder + "/k/crypto.csv").map { "\($0[1]) \($0[4]) \($0[5])" } == ["9000 USD 2020-06-18", "7000 GBP 2020-06-17", "9452.13 USD 2020-06-17"])
        let written = try String(contentsOfFile: folder + "/k/crypto.csv", encoding: .utf8)
        #expect(written.contains("# our licensed feed\n") && written.contains("# a note after the header\n"))
    }

    @Test("a damaged series is refused whole: every problem as file:line:column, nothing written")
    func damaged() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try writeWithPython(folder + "/bad.csv", [["Date", "Price"], ["2020-05", "1715.91"], ["2020-13", "1700"], ["2020-06", "-3"], ["2020-05", "1716"], ["2020-07", "1,715.91"]])
        let result = try cli.haul("tables", "import", "metals-monthly", folder + "/bad.csv", "--metal", "gold", "--to", folder + "/t")
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(folder)/bad.csv:3:1: '2020-13' is not a month (YYYY-MM, or a date YYYY-MM-DD)
            \(folder)/bad.csv:4:2: '-3' is not a positive plain decimal (no separators or currency signs)
            \(folder)/bad.csv:5:1: 2020-05 appears twice; first on line 2
            \(folder)/bad.csv:6:2: '1,715.91' is not a positive plain decimal (no separators or currency signs)
            haul: \(folder)/bad.csv: nothing imported

            """, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/t"))
        // A header without the columns: named, with what was looked for.
        _ = try writeWithPython(folder + "/cols.csv", [["when", "usd"], ["2020-05", "1"]])
        let columns = try cli.haul("tables", "import", "metals-monthly", folder + "/cols.csv", "--metal", "gold", "--to", folder + "/t")
        #expect(columns.status == 1 && columns.stderr.contains("cols.csv:1: no date column (looked for date, time, timestamp, day, month); name it with --date-column"))
        // A citation longer than a case file carries is refused before anything is written.
        _ = try writeWithPython(folder + "/ok.csv", [["Date", "Price"], ["2020-05", "1"]])
        let long = try cli.haul("tables", "import", "metals-monthly", folder + "/ok.csv", "--metal", "gold", "--to", folder + "/t", "--series", String(repeating: "s", count: 150))
        #expect(long.status == 1 && long.stderr.contains("a case file carries 200: shorten --series or --terms"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/t"))
    }

    @Test("ecb: the ECB's CSV stored as rates import stores it, in --to")
    func ecb() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try writeWithPython(folder + "/eurofxref-hist.csv", [["Date", "USD", "GBP", ""], ["2020-06-18", "1.1222", "0.90028", ""], ["2020-06-17", "1.1232", "0.89448", ""]])
        let result = try cli.haul("tables", "import", "ecb", folder + "/eurofxref-hist.csv", "--to", folder + "/rates")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Imported 2 days of ECB rates (2020-06-17 to 2020-06-18), 2 currencies."))
        #expect(FileManager.default.fileExists(atPath: folder + "/rates/ecb-2020-06-17-2020-06-18.csv"))
    }

    /// The annex's table 8.1 in its published layout (a title row, then the header; a Purities
    /// sheet), written by openpyxl: the United Kingdom's cocaine at both levels (the retail row
    /// with no typical price), ecstasy per tablet, opium (no substance in Haul), and a Dutch row.
    func annex(_ path: String, typicalWholesale: String = "40800.5", header: Bool = true) throws -> String? {
        guard let python = try openpyxl() else { return nil }
        let script = """
            import hashlib, sys
            from openpyxl import Workbook
            wb = Workbook()
            ws = wb.active; ws.title = "Prices in USD"
            ws.append(["Table 8.1 Prices and purities of drugs: prices in US dollars"])
            ws.append([])
            if sys.argv[3] == "yes":
                ws.append(["Region","SubRegion","Country/Territory","DrugGroup","Drug","LevelOfSale","Year","Typical_USD","Minimum_USD","Maximum_USD","Unit"])
            UK = "United Kingdom of Great Britain and Northern Ireland"
            typical = sys.argv[2]
            typical = float(typical) if typical.replace(".", "").isdigit() else typical
            ws.append(["Europe","Western and Central Europe",UK,"Cocaine-type","Cocaine","Wholesale",2020,typical,36000,52000,"Kilogram"])
            ws.append(["Europe","Western and Central Europe",UK,"Cocaine-type","Cocaine","Retail",2020,None,60,120,"Gram"])
            ws.append(["Europe","Western and Central Europe",UK,"ATS","Ecstasy","Retail",2020,5.2,3,10,"Tablet"])
            ws.append(["Europe","Western and Central Europe",UK,"Opioids","Opium","Retail",2020,30,20,40,"Gram"])
            ws.append(["Europe","Western and Central Europe","Netherlands","Cocaine-type","Cocaine","Wholesale",2019,30000,25000,35000,"Kilogram"])
            p = wb.create_sheet("Purities")
            p.append(["Purities"])
            p.append(["Region","SubRegion","Country/Territory","DrugGroup","Drug","LevelOfSale","Year","Typical","Minimum","Maximum","Unit"])
            p.append(["Europe","Western and Central Europe",UK,"Cocaine-type","Cocaine","Wholesale",2020,68,60,80,"Percent"])
            p.append(["Europe","Western and Central Europe",UK,"ATS","Ecstasy","Retail",2020,90,None,None,"mg/tablet"])
            wb.save(sys.argv[1])
            print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())
            """
        let result = try cli.runTool(python, ["-c", script, path, typicalWholesale, header ? "yes" : "no"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("unodc: the annex's rows for a country, retail as street from the first gram, wholesale from a kilo, tablets per tablet, purity matched, the typical price or the midpoint said so, US dollars kept")
    func unodc() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let digest = try annex(folder + "/annex.xlsx") else { return }
        let result = try cli.haul("tables", "import", "unodc", folder + "/annex.xlsx", "--country", "GBR", "--to", folder + "/t")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Wrote 3 drug rows for United Kingdom of Great Britain and Northern Ireland (2020) to \(folder)/t/drugs.csv"))
        #expect(result.stdout.contains("  left out: 1 of drugs Haul has no substance for: Opium\n"))
        let cited = "annex.xlsx, SHA-256 \(digest)"
        #expect(try rowsWithPython(folder + "/t/drugs.csv") == [
            // Row 4: typical 40,800.5 within 36,000–52,000; the purities sheet's row 3 gives 68 % for that level and year.
            ["cocaine", "wholesale", "1", "kg", "kg", "68", "36000", "40800.5", "52000", "USD", "2020-07-01", "UNODC WDR annex 8.1, GBR: prices row 4, purity row 3; \(cited)", "V"],
            // Row 5: no typical price, so the midpoint of 60–120 is 90, and the row says so.
            ["cocaine", "street", "0", "g", "g", "", "60", "90", "120", "USD", "2020-07-01", "UNODC WDR annex 8.1, GBR: prices row 5; \(cited); central = midpoint of min–max", "V"],
            // Row 6: per tablet; the mg/tablet purity is no percentage, so none.
            ["ecstasy", "street", "0", "tablet", "tablet", "", "3", "5.2", "10", "USD", "2020-07-01", "UNODC WDR annex 8.1, GBR: prices row 6; \(cited)", "V"],
        ])
        #expect(try cli.haul("tables", "check", folder + "/t").status == 0)
        // A clash is a clash as the table loader sees duplicates: the kilo step written "1.000" is the annex's "1".
        let own = "substance,basis,from_quantity,quantity_unit,price_unit,reference_purity,low,central,high,currency,effective_from,source,confidence\n"
            + "cocaine,wholesale,1.000,kg,kg,,30000,30000,30000,GBP,2020-07-01,our price list,V\n"
        try FileManager.default.createDirectory(atPath: folder + "/own", withIntermediateDirectories: true)
        try own.write(toFile: folder + "/own/drugs.csv", atomically: true, encoding: .utf8)
        let clash = try cli.haul("tables", "import", "unodc", folder + "/annex.xlsx", "--country", "GBR", "--to", folder + "/own")
        #expect(clash.status == 1 && clash.stderr.contains("already prices 1 of these GBR drug rows' days"), "\(clash.stderr)")
        #expect(try String(contentsOfFile: folder + "/own/drugs.csv", encoding: .utf8) == own)
        // Another country is never mixed into the table (it would price British seizures unsaid):
        // refused, the table unchanged; in a folder of its own it is written.
        let before = try String(contentsOfFile: folder + "/t/drugs.csv", encoding: .utf8)
        let mixed = try cli.haul("tables", "import", "unodc", folder + "/annex.xlsx", "--country", "NLD", "--to", folder + "/t")
        #expect(mixed.status == 1 && mixed.stderr.contains("it holds UNODC prices for GBR; a table prices one country: write NLD to a folder of its own with --to"), "\(mixed.stderr)")
        #expect(try String(contentsOfFile: folder + "/t/drugs.csv", encoding: .utf8) == before)
        let dutch = try cli.haul("tables", "import", "unodc", folder + "/annex.xlsx", "--country", "NLD", "--to", folder + "/nl")
        #expect(dutch.status == 0, "\(dutch.stderr)")
        #expect(try rowsWithPython(folder + "/nl/drugs.csv").map { "\($0[0]) \($0[1]) \($0[7]) \($0[10])" } == ["cocaine wholesale 30000 2019-07-01"])
    }

    @Test("unodc refuses what is not the annex, naming the sheet, row and column; nothing written")
    func unodcRefusals() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard try annex(folder + "/bad.xlsx", typicalWholesale: "about 40k") != nil else { return }
        let bad = try cli.haul("tables", "import", "unodc", folder + "/bad.xlsx", "--country", "GBR", "--to", folder + "/t")
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("\(folder)/bad.xlsx:4:8: sheet 'Prices in USD', column H (Typical_USD): 'about 40k' is not a number\n"), "\(bad.stderr)")
        _ = try annex(folder + "/headless.xlsx", header: false)
        let headless = try cli.haul("tables", "import", "unodc", folder + "/headless.xlsx", "--country", "GBR", "--to", folder + "/t")
        #expect(headless.status == 1 && headless.stderr.contains("sheet 'Prices in USD': no header row naming Country/Territory, Drug, LevelOfSale, Year"))
        let country = try cli.haul("tables", "import", "unodc", folder + "/bad.xlsx", "--country", "XYZ", "--to", folder + "/t")
        #expect(country.status == 1 && country.stderr.contains("--country XYZ: Haul knows UNODC's names for"))
        try "Region,Drug\n".write(toFile: folder + "/annex.csv", atomically: true, encoding: .utf8)
        let csv = try cli.haul("tables", "import", "unodc", folder + "/annex.csv", "--country", "GBR", "--to", folder + "/t")
        #expect(csv.status == 1 && csv.stderr.contains("is not an XLSX workbook (it does not open as a zip package)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/t"))
    }

    @Test("tables list --all: every shipped jurisdiction, each table's rows and the date of its newest")
    func listNewest() throws {
        let listed = try cli.haul("tables", "list", "--all", "--json")
        #expect(listed.status == 0)
        let books = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(books.compactMap { $0["jurisdiction"] as? String } == ["GB-EAW", "US", "NL"])
        let tables = try #require(((books[0]["layers"] as? [[String: Any]])?.first?["tables"]) as? [[String: Any]])
        // The World Bank series shipped runs to June 2026; the CPIH index to its August 2026 figure.
        #expect(tables.first { $0["table"] as? String == "metals" }?["newest"] as? String == "2026-06-01")
        #expect(tables.first { $0["table"] as? String == "index-cpih" }?["newest"] as? String == "2026-08-01")
        let text = try cli.haul("tables", "list", "--all").stdout
        #expect(text.contains("\nNetherlands defaults (NL): amounts in EUR") && text.contains("  drugs            8 rows  newest 2021-07-01\n"))
        // Each kind's staleness limit, as the valuer applies it (NL's manifest leaves the day limits at 31 and 7).
        #expect(text.contains("(NL): amounts in EUR, prices flagged stale when older than 5 years (metal fixes 31 days, cryptoasset prices 7 days)\n"))
    }

    @Test("unodc, table 8.3: the long-run series, retail US$ a gram stacked above wholesale US$ a kilo, by country (the US: its average row), a row a year")
    func unodcLongRun() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard let python = try openpyxl() else { return }
        let script = """
            import hashlib, sys
            from openpyxl import Workbook
            wb = Workbook()
            ws = wb.active; ws.title = "Heroin_WesternEurope"
            ws.append(["Heroin: retail prices, US$ per gram"])
            ws.append(["Country/Territory", 2018, 2019, 2020])
            ws.append(["United Kingdom", 53, 64, 64])
            ws.append(["Netherlands", 41, 40.72, 32.52])
            ws.append(["Average (weighted by population)", 47, 52, 48])
            ws.append([])
            ws.append(["Heroin: wholesale prices, US$ per kilogram"])
            ws.append(["Country/Territory", 2018, 2019, 2020])
            ws.append(["United Kingdom", 20000, 21000, None])
            us = wb.create_sheet("Cocaine_US")
            us.append(["Cocaine, United States", 2018, 2019, 2020])
            us.append(["Average, in US$", 101, 120, 120])
            us.append(["Average, inflation-adjusted in 2020 US$", 108, 125, 120])
            us.append(["Wholesale, US$ per kilogram"])
            us.append(["", 2018, 2019, 2020])
            us.append(["Average, in US$", 28000, 29000, 30000])
            wb.save(sys.argv[1])
            print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())
            """
        let made = try cli.runTool(python, ["-c", script, folder + "/series.xlsx"])
        let digest = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let uk = try cli.haul("tables", "import", "unodc", folder + "/series.xlsx", "--country", "GBR", "--to", folder + "/gb")
        #expect(uk.status == 0, "\(uk.stderr)")
        let cited = { (row: Int, year: Int) in "UNODC WDR annex 8.3, GBR: Heroin_WesternEurope row \(row), \(year); series.xlsx, SHA-256 \(digest)" }
        #expect(try rowsWithPython(folder + "/gb/drugs.csv") == [
            ["heroin", "street", "0", "g", "g", "", "53", "53", "53", "USD", "2018-07-01", cited(3, 2018), "V"],
            ["heroin", "street", "0", "g", "g", "", "64", "64", "64", "USD", "2019-07-01", cited(3, 2019), "V"],
            ["heroin", "street", "0", "g", "g", "", "64", "64", "64", "USD", "2020-07-01", cited(3, 2020), "V"],
            ["heroin", "wholesale", "1", "kg", "kg", "", "20000", "20000", "20000", "USD", "2018-07-01", cited(9, 2018), "V"],
            ["heroin", "wholesale", "1", "kg", "kg", "", "21000", "21000", "21000", "USD", "2019-07-01", cited(9, 2019), "V"],
        ])
        let us = try cli.haul("tables", "import", "unodc", folder + "/series.xlsx", "--country", "USA", "--to", folder + "/us")
        #expect(us.status == 0, "\(us.stderr)")
        // The nominal average only (not the inflation-adjusted row), retail then wholesale.
        #expect(try rowsWithPython(folder + "/us/drugs.csv").map { "\($0[0]) \($0[1]) \($0[7]) \($0[10])" } == [
            "cocaine street 101 2018-07-01", "cocaine street 120 2019-07-01", "cocaine street 120 2020-07-01",
            "cocaine wholesale 28000 2018-07-01", "cocaine wholesale 29000 2019-07-01", "cocaine wholesale 30000 2020-07-01",
        ])
    }
}
