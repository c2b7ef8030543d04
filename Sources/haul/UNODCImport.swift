import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulValuation
import HaulXML

/// `haul tables import unodc`: the World Drug Report annex, table 8.1, for one country, as rows
/// of `drugs.csv` (USD as published; converted at valuation with the day's ECB rate).
enum UNODCImport {
    static func run(file: String, name: String, digest: String, country: String, folder: URL, clash: TableFile.Clash,
                    series: String?, terms: String?, confidence: String) throws {
        let workbook: SpreadsheetReader.Workbook
        do { workbook = try SpreadsheetReader().read(fileAt: file, displayName: file) } catch {
            Output.error(Output.describe(error))
            Output.error("haul: \(file): nothing imported")
            throw ExitCode(1)
        }
        var sheets: [String: UNODCAnnex.Rows] = [:]
        for sheet in workbook.sheets { sheets[sheet.name] = sheet.rows }
        let longRun = UNODCAnnex.isLongRunSeries(Array(sheets.keys))
        let seriesName = series ?? (longRun ? "UNODC WDR annex 8.3" : "UNODC WDR annex 8.1")
        let code = country.uppercased()
        // "<series>, GBR: prices row 12, purity row 7; <file>, SHA-256 <hash>[; central = midpoint][; terms]"
        func citation(_ row: Int, _ purityRow: Int?, _ derived: Bool) -> String {
            "\(seriesName), \(code): prices row \(row)\(purityRow.map { ", purity row \($0)" } ?? ""); \(name), SHA-256 \(digest)"
                + (derived ? "; central = midpoint of min–max" : "") + (terms.map { "; \($0)" } ?? "")
        }
        // "<series>, GBR: Heroin_WesternEurope row 7, 2019; <file>, SHA-256 <hash>[; terms]"
        func seriesCitation(_ sheet: String, _ row: Int, _ year: Int) -> String {
            "\(seriesName), \(code): \(sheet) row \(row), \(year); \(name), SHA-256 \(digest)" + (terms.map { "; \($0)" } ?? "")
        }
        let contents: UNODCAnnex.Contents
        let read = longRun
            ? UNODCAnnex.readSeries(sheets: sheets, file: file, country: country, citation: seriesCitation, confidence: confidence)
            : UNODCAnnex.read(sheets: sheets, file: file, country: country, citation: citation, confidence: confidence)
        switch read {
        case .success(let read): contents = read
        case .failure(let failure):
            TablesImport.report(failure.problems, file: file)
            throw ExitCode(1)
        }
        if let longest = contents.rows.map({ $0.fields[11] }).max(by: { $0.count < $1.count }), longest.count > SchemaBounds.shortText.maximumLength {
            Output.error("haul: each row's source would be up to \(longest.count) characters (\(longest)); a case file carries \(SchemaBounds.shortText.maximumLength): shorten --series or --terms, or the file's name; nothing written")
            throw ExitCode(1)
        }
        let countryName = UNODCAnnex.countries[code] ?? country
        // A drugs table prices one jurisdiction: another country's UNODC rows in it would price
        // this country's seizures without saying so.
        let written = try TableFile.write(rows: contents.rows.map(\.fields), what: "\(code) drug", table: "drugs.csv", in: folder, clash: clash,
                                          comment: "\(seriesName): \(countryName) from \(name) (SHA-256 \(digest)), imported by haul tables import unodc",
                                          check: { fields in
                                              let source = fields.count > 11 ? fields[11] : ""
                                              // "UNODC WDR annex 8.1, GBR: …" or "… 8.3, GBR: …"
                                              guard source.hasPrefix("UNODC WDR annex 8."), source.count > 26 else { return nil }
                                              let other = source.dropFirst("UNODC WDR annex 8.x, ".count).prefix(3)
                                              guard other != code else { return nil }
                                              return "it holds UNODC prices for \(other); a table prices one country: write \(code) to a folder of its own with --to"
                                          })
        let years = contents.years.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)" } ?? ""
        print("Wrote \(Output.count(contents.rows.count, "drug row")) for \(countryName) (\(years)) to \(written.path) from \(name), SHA-256 \(digest)"
              + (written.replaced > 0 ? "; replaced the \(written.replaced) rows it held for those drugs and years" : "")
              + (written.keptExisting > 0 ? "; kept the table's own rows for \(written.keptExisting) of them" : ""))
        for reason in contents.leftOut { print("  left out: \(reason)") }
        print("  Prices are in US dollars as published; a valuation converts them at the ECB rate of its date.")
        print("  Value with it: --tables \(folder.path) (or HAUL_TABLES)")
    }
}
