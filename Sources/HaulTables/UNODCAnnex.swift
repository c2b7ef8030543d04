import Foundation
import HaulCore
import HaulValuation

/// The UNODC World Drug Report statistical annex, table 8.1 "Prices and purities of drugs", read
/// into rows of Haul's `drugs.csv`. Pure: the sheets' cells in, rows or problems out (the XLSX is
/// read by `HaulXML.SpreadsheetReader`).
///
/// The sheet "Prices in USD" has, under a title, a header naming Region, SubRegion,
/// Country/Territory, DrugGroup, Drug, LevelOfSale (Retail, Wholesale), Year, Typical_USD,
/// Minimum_USD, Maximum_USD and Unit; "Purities" the same keys with Typical, Minimum, Maximum and
/// Unit (Percent, or mg/tablet). Each header row is found by its column names, wherever it is.
public enum UNODCAnnex {
    /// One sheet's rows as the spreadsheet numbers them, each row's cells by column (0 is A).
    public typealias Rows = [(number: Int, cells: [String])]

    /// The name of the annex sheet of prices (in US dollars); a workbook without it is not table 8.1.
    public static let pricesSheet = "Prices in USD"
    /// The name of the annex sheet of purities; when absent, rows have no reference purity.
    public static let puritiesSheet = "Purities"

    /// UNODC's names for the countries Haul is most asked about, by ISO 3166 alpha-3 code.
    public static let countries: [String: String] = [
        "GBR": "United Kingdom of Great Britain and Northern Ireland", "NLD": "Netherlands", "USA": "United States of America",
        "IRL": "Ireland", "BEL": "Belgium", "FRA": "France", "DEU": "Germany", "ESP": "Spain", "ITA": "Italy", "PRT": "Portugal",
        "CAN": "Canada", "AUS": "Australia", "NZL": "New Zealand",
    ]

    /// UNODC's drug names (lower case) and the substance each is in Haul.
    static let drugs: [String: Substance] = [
        "cocaine": .cocaine, "cocaine salt": .cocaine, "cocaine hydrochloride": .cocaine,
        "crack": .crackCocaine, "crack cocaine": .crackCocaine,
        "heroin": .heroin,
        "cannabis herb": .cannabisHerbal, "cannabis herb (marijuana)": .cannabisHerbal, "herbal cannabis": .cannabisHerbal, "marijuana": .cannabisHerbal,
        "cannabis resin": .cannabisResin, "cannabis resin (hashish)": .cannabisResin, "hashish": .cannabisResin,
        "ecstasy": .ecstasy, "ecstasy-type substances": .ecstasy, "mdma": .mdma,
        "amphetamine": .amphetamine, "amphetamines": .amphetamine,
        "methamphetamine": .methamphetamine, "crystalline methamphetamine": .methamphetamine, "methamphetamine crystalline": .methamphetamine,
        "ketamine": .ketamine, "lsd": .lsd,
    ]

    /// A row for `drugs.csv`, in its column order, with the key that makes it unique.
    public struct DrugRow: Sendable, Hashable {
        /// The row's fields in `drugs.csv` order: substance, basis, from quantity, quantity unit, price unit, reference purity, low, central, high, currency (USD), effective from (1 July of the year), source and confidence.
        public var fields: [String]
        /// Substance, basis, from quantity, quantity unit and year joined by `|`: a later row with the same key is left out.
        public var key: String
    }

    /// What the annex gave for one country.
    public struct Contents: Sendable {
        /// The rows read for the country, in sheet order; never empty.
        public var rows: [DrugRow]
        /// The earliest to the latest year of the rows read; nil when there are none.
        public var years: ClosedRange<Int>?
        /// Rows left out and why ("3 of drugs Haul has no substance for: Opium, Morphine").
        public var leftOut: [String]
    }

    /// Reads the country's rows. `citation(sheetRow, purityRow, derived)` gives each row's source.
    public static func read(sheets: [String: Rows], file: String, country code: String,
                            citation: (Int, Int?, Bool) -> String, confidence: String) -> Result<Contents, TableFailure> {
        guard let country = countries[code.uppercased()] else {
            return .failure(TableFailure([TableProblem(file: file, line: 0, column: 0,
                message: "--country \(code): Haul knows UNODC's names for \(countries.keys.sorted().joined(separator: ", ")); ask for another to be added")]))
        }
        guard let prices = sheets[pricesSheet] else {
            return .failure(TableFailure([TableProblem(file: file, line: 0, column: 0,
                message: "no sheet '\(pricesSheet)' (the workbook has \(sheets.keys.sorted().map { "'\($0)'" }.joined(separator: ", "))): is this the annex's table 8.1?")]))
        }
        let priceColumns = ["Country/Territory", "Drug", "LevelOfSale", "Year", "Typical_USD", "Minimum_USD", "Maximum_USD", "Unit"]
        let purityColumns = ["Country/Territory", "Drug", "LevelOfSale", "Year", "Typical", "Minimum", "Maximum", "Unit"]
        let priceHeader: (row: Int, columns: [String: Int])
        switch header(prices, named: priceColumns, sheet: pricesSheet, file: file) {
        case .success(let found): priceHeader = found
        case .failure(let failure): return .failure(failure)
        }
        var problems: [TableProblem] = []
        // "annex.xlsx:12:8: sheet 'Prices in USD', column H (Typical_USD): 'abc' is not a number"
        func problem(_ sheet: String, _ row: Int, _ column: Int?, _ message: String) {
            let place = column.map { ", column \(columnLetters($0))" } ?? ""
            problems.append(TableProblem(file: file, line: row, column: column.map { $0 + 1 } ?? 0, message: "sheet '\(sheet)'\(place) \(message)"))
        }
        // Purities, keyed by country, drug, level and year.
        var purities: [String: (percent: FixedDecimal, row: Int, isMidpoint: Bool)] = [:]
        if let sheet = sheets[puritiesSheet] {
            switch header(sheet, named: purityColumns, sheet: puritiesSheet, file: file) {
            case .failure(let failure): return .failure(failure)
            case .success(let found):
                for (number, cells) in sheet where number > found.row {
                    func cell(_ name: String) -> String { let index = found.columns[name]!; return index < cells.count ? cells[index].trimmingCharacters(in: .whitespaces) : "" }
                    guard cell("Country/Territory") == country, cell("Unit").lowercased().hasPrefix("percent") || cell("Unit") == "%" else { continue }
                    guard let typical = self.number(cells, found.columns["Typical"]!, sheet: puritiesSheet, row: number, name: "Typical", problem: problem),
                          let minimum = self.number(cells, found.columns["Minimum"]!, sheet: puritiesSheet, row: number, name: "Minimum", problem: problem),
                          let maximum = self.number(cells, found.columns["Maximum"]!, sheet: puritiesSheet, row: number, name: "Maximum", problem: problem) else { continue }
                    let percent = typical ?? ((minimum != nil && maximum != nil) ? (minimum! + maximum!) / 2 : nil)
                    guard let percent, percent > 0, percent <= 100 else { continue }
                    purities["\(cell("Drug").lowercased())|\(cell("LevelOfSale").lowercased())|\(cell("Year"))"] = (percent, number, typical == nil)
                }
            }
        }

        var rows: [DrugRow] = []
        var keys = Set<String>()
        var unknownDrugs: [String: Int] = [:], unknownUnits: [String: Int] = [:], noPrice = 0, duplicates = 0, otherLevels = 0
        var years: ClosedRange<Int>?
        for (number, cells) in prices where number > priceHeader.row {
            func cell(_ name: String) -> String { let index = priceHeader.columns[name]!; return index < cells.count ? cells[index].trimmingCharacters(in: .whitespaces) : "" }
            guard cell("Country/Territory") == country else { continue }
            let drugName = cell("Drug")
            guard let substance = drugs[drugName.lowercased()] else {
                unknownDrugs[drugName, default: 0] += 1
                continue
            }
            let basis: ValuationBasis
            switch cell("LevelOfSale").lowercased() {
            case "retail": basis = .street
            case "wholesale": basis = .wholesale
            default:
                otherLevels += 1
                continue
            }
            guard let year = Int(cell("Year")), CalendarDate.supportedYears.contains(year) else {
                problem(pricesSheet, number, priceHeader.columns["Year"], "(Year): '\(cell("Year"))' is not a year")
                continue
            }
            let unitName = cell("Unit").lowercased()
            let priceUnit: QuantityUnit
            switch unitName {
            case "gram", "grams", "g": priceUnit = .g
            case "kilogram", "kilograms", "kg": priceUnit = .kg
            case "tablet", "tablets", "pill", "pills": priceUnit = .tablet
            case "dose", "doses", "blotter", "unit dose", "square": priceUnit = substance == .lsd ? .square : .tablet
            default:
                unknownUnits[cell("Unit"), default: 0] += 1
                continue
            }
            guard let typical = self.number(cells, priceHeader.columns["Typical_USD"]!, sheet: pricesSheet, row: number, name: "Typical_USD", problem: problem),
                  let minimum = self.number(cells, priceHeader.columns["Minimum_USD"]!, sheet: pricesSheet, row: number, name: "Minimum_USD", problem: problem),
                  let maximum = self.number(cells, priceHeader.columns["Maximum_USD"]!, sheet: pricesSheet, row: number, name: "Maximum_USD", problem: problem) else { continue }
            let derived = typical == nil
            let central: FixedDecimal
            if let typical { central = typical } else if let minimum, let maximum { central = (minimum + maximum) / 2 } else {
                noPrice += 1
                continue
            }
            guard central > 0 else {
                noPrice += 1
                continue
            }
            let low = min(minimum ?? central, central), high = max(maximum ?? central, central)
            // A typical price outside the published minimum–maximum widens the range, and says so.
            let widened = (minimum.map { $0 > central } ?? false) || (maximum.map { $0 < central } ?? false)
            // Retail from the first gram or tablet; wholesale from a kilo (a thousand tablets).
            let isCount = priceUnit.isCount
            let (from, quantityUnit): (String, QuantityUnit) = basis == .street ? ("0", isCount ? priceUnit : .g) : (isCount ? "1000" : "1", isCount ? priceUnit : .kg)
            let purity = isCount ? nil : purities["\(drugName.lowercased())|\(cell("LevelOfSale").lowercased())|\(year)"]
            let key = "\(substance.rawValue)|\(basis.rawValue)|\(from)|\(quantityUnit.rawValue)|\(year)"
            guard keys.insert(key).inserted else {
                duplicates += 1
                continue
            }
            years = years.map { min($0.lowerBound, year)...max($0.upperBound, year) } ?? year...year
            rows.append(DrugRow(fields: [substance.rawValue, basis.rawValue, from, quantityUnit.rawValue, priceUnit.rawValue,
                                         purity.map { DecimalText.plain($0.percent) } ?? "", DecimalText.plain(low), DecimalText.plain(central), DecimalText.plain(high),
                                         "USD", "\(year)-07-01",
                                         citation(number, purity?.row, derived) + (widened ? "; range widened to the typical price" : "")
                                            + (purity?.isMidpoint == true ? "; purity = midpoint of min–max" : ""), confidence],
                                key: key))
        }
        guard problems.isEmpty else { return .failure(TableFailure(problems)) }
        var leftOut: [String] = []
        if !unknownDrugs.isEmpty {
            leftOut.append("\(unknownDrugs.values.reduce(0, +)) of drugs Haul has no substance for: \(unknownDrugs.keys.sorted().joined(separator: ", "))")
        }
        if !unknownUnits.isEmpty { leftOut.append("\(unknownUnits.values.reduce(0, +)) priced in units Haul has no measure for: \(unknownUnits.keys.sorted().joined(separator: ", "))") }
        if noPrice > 0 { leftOut.append("\(noPrice) with no typical price and no full range") }
        if otherLevels > 0 { leftOut.append("\(otherLevels) at a level of sale other than Retail or Wholesale") }
        if duplicates > 0 { leftOut.append("\(duplicates) repeating a substance, level and year already read (the first kept)") }
        if rows.isEmpty {
            return .failure(TableFailure([TableProblem(file: "\(file), sheet '\(pricesSheet)'", line: 0, column: 0,
                message: "no prices for \(country) (\(code.uppercased())) that Haul can use" + (leftOut.isEmpty ? "" : "; left out: " + leftOut.joined(separator: "; ")))]))
        }
        return .success(Contents(rows: rows, years: years, leftOut: leftOut))
    }

    /// Other names table 8.3 may give the countries (its sheets are narrower than 8.1's).
    static let shortNames: [String: [String]] = [
        "GBR": ["United Kingdom", "UK", "United Kingdom (England and Wales)"], "NLD": ["Netherlands", "Netherlands (Kingdom of the)"],
        "USA": ["United States", "USA"],
    ]

    /// Whether the workbook is table 8.3 (sheets such as `Heroin_WesternEurope`, `Cocaine_US`).
    public static func isLongRunSeries(_ sheetNames: [String]) -> Bool {
        !sheetNames.contains(pricesSheet) && sheetNames.contains { series(forSheet: $0) != nil }
    }

    /// `Heroin_WesternEurope` → (heroin, false); `Cocaine_US` → (cocaine, true).
    static func series(forSheet name: String) -> (substance: Substance, isUS: Bool)? {
        let key = name.lowercased().replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "_", with: "")
        for (prefix, substance) in [("heroin", Substance.heroin), ("cocaine", .cocaine)] where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            if rest == "us" || rest == "unitedstates" { return (substance, true) }
            if rest == "westerneurope" || rest == "westernandcentraleurope" { return (substance, false) }
        }
        return nil
    }

    /// Table 8.3, the long-run series: per drug and region a sheet holding a row of years, then
    /// retail prices in US$ a gram by country (for the United States, the row "Average, in US$"),
    /// and below them, after a row that names the wholesale table, wholesale prices in US$ a kilo
    /// laid out the same way. Each price becomes a row dated 1 July of its year.
    public static func readSeries(sheets: [String: Rows], file: String, country code: String,
                                  citation: (String, Int, Int) -> String, confidence: String) -> Result<Contents, TableFailure> {
        guard let country = countries[code.uppercased()] else {
            return .failure(TableFailure([TableProblem(file: file, line: 0, column: 0,
                message: "--country \(code): Haul knows UNODC's names for \(countries.keys.sorted().joined(separator: ", ")); ask for another to be added")]))
        }
        let isUS = code.uppercased() == "USA"
        let names = Set(([country] + (shortNames[code.uppercased()] ?? [])).map { $0.lowercased() })
        var rows: [DrugRow] = []
        var keys = Set<String>()
        var years: ClosedRange<Int>?
        var problems: [TableProblem] = []
        for (sheetName, sheetRows) in sheets.sorted(by: { $0.key < $1.key }) {
            guard let (substance, sheetIsUS) = series(forSheet: sheetName), sheetIsUS == isUS else { continue }
            var yearColumns: [Int: Int] = [:]
            var wholesale = false
            var found: Set<Bool> = []   // which blocks (retail false, wholesale true) gave a row
            for (number, cells) in sheetRows {
                let first = (cells.first ?? "").trimmingCharacters(in: .whitespaces)
                let lower = first.lowercased()
                // A row of years heads the table below it.
                let rowYears = cells.enumerated().compactMap { index, cell -> (Int, Int)? in
                    guard let year = Int(cell.trimmingCharacters(in: .whitespaces)), (1990...2100).contains(year) else { return nil }
                    return (index, year)
                }
                if rowYears.count >= 3 {
                    yearColumns = Dictionary(uniqueKeysWithValues: rowYears)
                    continue
                }
                if lower.contains("wholesale") && !found.isEmpty { wholesale = true }
                let matches = isUS ? lower.hasPrefix("average, in us$") : names.contains(lower)
                guard matches, !found.contains(wholesale), !yearColumns.isEmpty else { continue }
                found.insert(wholesale)
                for (column, year) in yearColumns.sorted(by: { $0.key < $1.key }) {
                    let text = column < cells.count ? cells[column].trimmingCharacters(in: .whitespaces) : ""
                    if text.isEmpty || text == "-" || text == "..." || text.lowercased() == "n/a" { continue }
                    guard let price = try? DecimalText.parse(text, allowNegative: false), price > 0 else {
                        problems.append(TableProblem(file: file, line: number, column: column + 1,
                                                     message: "sheet '\(sheetName)', column \(columnLetters(column)) (\(year)): '\(text)' is not a price"))
                        continue
                    }
                    let basis: ValuationBasis = wholesale ? .wholesale : .street
                    let (from, quantity, unit): (String, QuantityUnit, QuantityUnit) = wholesale ? ("1", .kg, .kg) : ("0", .g, .g)
                    let key = "\(substance.rawValue)|\(basis.rawValue)|\(from)|\(quantity.rawValue)|\(year)"
                    guard keys.insert(key).inserted else { continue }
                    years = years.map { min($0.lowerBound, year)...max($0.upperBound, year) } ?? year...year
                    let value = DecimalText.plain(price)
                    rows.append(DrugRow(fields: [substance.rawValue, basis.rawValue, from, quantity.rawValue, unit.rawValue, "", value, value, value,
                                                 "USD", "\(year)-07-01", citation(sheetName, number, year), confidence], key: key))
                }
            }
        }
        guard problems.isEmpty else { return .failure(TableFailure(problems)) }
        if rows.isEmpty {
            return .failure(TableFailure([TableProblem(file: file, line: 0, column: 0,
                message: "no prices for \(country) (\(code.uppercased())) in table 8.3's sheets (\(sheets.keys.sorted().joined(separator: ", ")))")]))
        }
        return .success(Contents(rows: rows, years: years, leftOut: []))
    }

    /// The first row holding every column `names` (compared without case or surrounding space).
    static func header(_ rows: Rows, named names: [String], sheet: String, file: String) -> Result<(row: Int, columns: [String: Int]), TableFailure> {
        for (number, cells) in rows.prefix(50) {
            let normalised = cells.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            var columns: [String: Int] = [:]
            for name in names { if let index = normalised.firstIndex(of: name.lowercased()) { columns[name] = index } }
            if columns.count == names.count { return .success((number, columns)) }
        }
        return .failure(TableFailure([TableProblem(file: "\(file), sheet '\(sheet)'", line: 0, column: 0,
            message: "no header row naming \(names.joined(separator: ", ")) in its first 50 rows: is this the annex's table 8.1?")]))
    }

    private static func number(_ cells: [String], _ column: Int, sheet: String, row: Int, name: String,
                               problem: (String, Int, Int?, String) -> Void) -> FixedDecimal?? {
        let text = column < cells.count ? cells[column].trimmingCharacters(in: .whitespaces) : ""
        if text.isEmpty || text == "-" || text.lowercased() == "n/a" || text == "..." { return .some(nil) }
        guard let value = try? DecimalText.parse(text, allowNegative: false) else {
            problem(sheet, row, column, "(\(name)): '\(text)' is not a number")
            return nil
        }
        return .some(value)
    }

    /// A 0-based column index as a spreadsheet letters it: 0 → A, 26 → AA.
    public static func columnLetters(_ index: Int) -> String {
        var index = index + 1, letters = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            index = (index - 1) / 26
        }
        return letters
    }
}
