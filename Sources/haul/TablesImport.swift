import ArgumentParser
import Crypto
import Foundation
import HaulTables
import HaulCore
import HaulValuation

/// `haul tables import`: a published series made into a dated, sourced table in Haul's format,
/// every row citing the file, the row it came from and the file's SHA-256, to layer over the
/// defaults with `--tables`.
struct TablesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Make a dated, sourced price table from a published series, to layer over the defaults with --tables.",
        discussion: """
        SOURCE is metals-monthly (a CSV of Date,Price: USD per troy ounce, one figure a month, as the World Bank \\
        Pink Sheet series in datasets/gold-prices), crypto-daily (a CSV with a date and a USD price column, e.g. \\
        Coin Metrics' time,PriceUSD or an exchange's timestamp,…,close), unodc (the UNODC World Drug Report \\
        annex, table 8.1 or the long-run table 8.3, XLSX, told apart by their sheets) or ecb (the ECB's eurofxref history, XML or CSV: stored as haul rates \\
        import stores it). Every row cites the file, its row and the file's SHA-256. The whole file is checked \\
        first; one bad row and nothing is written, every problem named as file:line:column.
        """
    )

    enum Source: String, ExpressibleByArgument, CaseIterable {
        case unodc
        case metalsMonthly = "metals-monthly"
        case cryptoDaily = "crypto-daily"
        case ecb
    }

    @Argument(help: "unodc, metals-monthly, crypto-daily or ecb.") var source: Source
    @Argument(help: "The published file.", completion: .file()) var file: String
    @Option(help: "The folder to write the table into (created if missing; default ./tables, for ecb the rates folder).", completion: .directory) var to: String?
    @Option(help: "metals-monthly: the metal the series prices (gold, silver, platinum, palladium).") var metal: String?
    @Option(help: "crypto-daily: the asset the series prices (e.g. BTC, ETH).") var asset: String?
    @Option(help: "unodc: the country, as an ISO 3166 alpha-3 code (GBR, NLD, USA…).") var country: String?
    @Option(help: "The date column's name (default: the first of date, time, timestamp, day, month).") var dateColumn: String?
    @Option(help: "The price column's name (default: the first of price, priceusd, close, value).") var priceColumn: String?
    @Option(help: "The currency of the series' prices (default USD).") var currency: String = "USD"
    @Option(help: "How each row names the series (default: the source and the file's name).") var series: String?
    @Option(help: "The series' licence or terms of use, repeated in each row.") var terms: String?
    @Option(help: "The rows' mark: V (verified in the named primary source), P (secondary source), ? (unverified), I (illustrative). Default V for unodc (the publication itself), else P.") var confidence: String?
    @Option(help: "Leave out rows dated before this day (YYYY-MM-DD).") var from: String?
    @Option(help: "Leave out rows dated after this day (YYYY-MM-DD).") var until: String?
    @Flag(help: "Where the table already prices an entry on a day the series also prices, replace the table's row.") var replace = false
    @Flag(help: "Where the table already prices an entry on a day the series also prices, keep the table's row and leave the imported one out.") var keep = false

    /// What to do with rows that price a day the table already prices.
    var clash: TableFile.Clash { replace ? .replace : keep ? .keep : .refuse }

    func validate() throws {
        if let confidence, !["V", "P", "?", "I"].contains(confidence) { throw ValidationError("--confidence must be V, P, ? or I.") }
        if replace && keep { throw ValidationError("--replace and --keep cannot both be given.") }
        for (name, value) in [("--from", from), ("--until", until)] {
            if let value, (try? CalendarDate(parsing: value)) == nil { throw ValidationError("\(name) '\(value)' is not a date (YYYY-MM-DD).") }
        }
        guard (try? Currency(code: currency)) != nil else { throw ValidationError("--currency '\(currency)' is not an ISO 4217 code.") }
        switch source {
        case .metalsMonthly:
            guard let metal else { throw ValidationError("metals-monthly needs --metal (gold, silver, platinum or palladium).") }
            guard Metal(rawValue: metal.lowercased()) != nil else { throw ValidationError("--metal '\(metal)': use gold, silver, platinum or palladium.") }
        case .cryptoDaily:
            guard let asset else { throw ValidationError("crypto-daily needs --asset (e.g. BTC).") }
            guard (2...10).contains(asset.count), asset.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
                throw ValidationError("--asset '\(asset)' is not an asset code (2 to 10 capital letters or digits, e.g. BTC).")
            }
        case .unodc:
            guard country != nil else { throw ValidationError("unodc needs --country (ISO 3166 alpha-3, e.g. GBR).") }
        case .ecb:
            break
        }
        for (name, value) in [("--series", series), ("--terms", terms)] {
            if let value, value.contains(where: { $0 == "\n" || $0 == "\r" }) { throw ValidationError("\(name) must be one line.") }
        }
    }

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: file) else {
            Output.error("haul: \(file): no such file")
            throw ExitCode(1)
        }
        if source == .ecb {
            try Rates.Import.store(file, in: to.map { URL(fileURLWithPath: $0) } ?? UserData.ratesDirectory)
            if to != nil { print("  Not where Haul looks for imported rates (\(UserData.ratesDirectory.path)): use the file with --rates FILE.") }
            return
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            Output.error("haul: \(file): cannot be read")
            throw ExitCode(1)
        }
        guard data.count <= 64 << 20 else {
            Output.error("haul: \(file) is \(data.count) bytes, more than the 64 MB a series file may be")
            throw ExitCode(1)
        }
        let digest = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        let name = URL(fileURLWithPath: file).lastPathComponent
        let folder = URL(fileURLWithPath: to ?? "tables")
        switch source {
        case .metalsMonthly, .cryptoDaily:
            guard let text = String(data: data, encoding: .utf8) else {
                Output.error("haul: \(file) is not UTF-8 text; save it as CSV UTF-8")
                throw ExitCode(1)
            }
            let frequency: PriceSeries.Frequency = source == .metalsMonthly ? .monthly : .daily
            let contents: PriceSeries.Contents
            switch PriceSeries.read(text, file: file, frequency: frequency, dateColumn: dateColumn, priceColumn: priceColumn,
                                    from: try from.map { try CalendarDate(parsing: $0) }, until: try until.map { try CalendarDate(parsing: $0) }) {
            case .success(let read): contents = read
            case .failure(let failure):
                Self.report(failure.problems, file: file)
                throw ExitCode(1)
            }
            let entry = source == .metalsMonthly ? metal!.lowercased() : asset!
            let seriesName = series ?? (source == .metalsMonthly ? "\(entry) monthly series" : "\(entry) daily close")
            // "<series>, <period>; <file> line <n>, SHA-256 <hash>; <terms>": it travels with every
            // figure into the case file, whose text fields hold 200 characters.
            func cited(_ row: PriceSeries.Row) -> String {
                "\(seriesName), \(row.period); \(name) line \(row.line), SHA-256 \(digest)" + (terms.map { "; \($0)" } ?? "")
            }
            if let longest = contents.rows.map(cited).max(by: { $0.count < $1.count }), longest.count > SchemaBounds.shortText.maximumLength {
                Output.error("haul: each row's source would be up to \(longest.count) characters (\(longest)); a case file carries \(SchemaBounds.shortText.maximumLength): shorten --series or --terms, or the file's name; nothing written")
                throw ExitCode(1)
            }
            let rows = contents.rows.map { row -> [String] in
                let price = DecimalText.plain(row.price)
                return [entry, price, price, price, currency, row.effectiveFrom.description, cited(row), confidence ?? "P"]
            }
            let table = source == .metalsMonthly ? "metals.csv" : "crypto.csv"
            let written = try TableFile.write(rows: rows, what: entry, table: table, in: folder, clash: clash,
                                              comment: "\(seriesName): \(entry) from \(name) (SHA-256 \(digest)), imported by haul tables import \(source.rawValue)")
            let first = contents.rows.first!.period, last = contents.rows.last!.period
            print("Wrote \(Output.count(rows.count - written.keptExisting, "\(entry) row")) (\(first) to \(last)) to \(written.path) from \(name), SHA-256 \(digest)"
                  + (written.replaced > 0 ? "; replaced the \(written.replaced) rows it held for those days" : "")
                  + (written.keptExisting > 0 ? "; kept the table's own rows on \(written.keptExisting) of those days" : ""))
            if contents.emptyPrices > 0 { print("  \(Output.count(contents.emptyPrices, "row")) with no price left out") }
            if contents.earlier > 0 { print("  \(Output.count(contents.earlier, "row")) dated before \(from ?? "1900") left out") }
            if contents.later > 0, let until { print("  \(Output.count(contents.later, "row")) dated after \(until) left out") }
            print("  Value with it: --tables \(folder.path) (or HAUL_TABLES)")
        case .unodc:
            try UNODCImport.run(file: file, name: name, digest: digest, country: country!, folder: folder, clash: clash,
                                series: series, terms: terms, confidence: confidence ?? "V")
        case .ecb:
            break
        }
    }
}

extension TablesImport {
    /// The first 20 problems, then a count: a file in the wrong layout fails on every row.
    static func report(_ problems: [TableProblem], file: String) {
        problems.prefix(20).forEach { Output.error(Output.describe($0)) }
        if problems.count > 20 { Output.error("… and \(problems.count - 20) more problems") }
        Output.error("haul: \(file): nothing imported")
    }
}

/// Writing one table file of an overlay folder: imported rows added to what the file holds,
/// checked as Haul reads tables, and published whole.
enum TableFile {
    struct Written {
        var path: String
        /// Rows of the file the import replaced (`--replace`), or imported rows left out because
        /// the file already priced their day (`--keep`).
        var replaced: Int
        var keptExisting: Int
    }

    /// What to do when the file already prices an entry on a day the import also prices.
    enum Clash { case refuse, replace, keep }

    /// Each row's key as the table loader tells duplicates apart (so "1" and "1.0" are the same
    /// ladder step here as there); the rows as a table of their own, in Haul's column order.
    static func keys(_ rows: [[String]], table: String, header: [String]) throws -> [String] {
        let text = ([header.joined(separator: ",")] + rows.map(TableWriter.line)).joined(separator: "\n") + "\n"
        guard let keys = TableLoader.rowKeys(text: text, fileName: table), keys.count == rows.count else {
            try requireSound(text, table: table, path: table, otherwise: "the rows made do not read as a table")
            throw ExitCode(1)
        }
        return keys
    }

    /// Stops, naming every problem, unless `text` reads as Haul reads the table.
    static func requireSound(_ text: String, table: String, path: String, otherwise: String) throws {
        var tables = TableSet(name: path)
        let problems = TableLoader.load(text: text, fileName: table, displayName: path, into: &tables)
        guard problems.isEmpty else {
            problems.prefix(20).forEach { Output.error(Output.describe($0)) }
            Output.error("haul: \(otherwise); nothing written")
            throw ExitCode(1)
        }
    }

    /// `check` sees each row the file holds (in Haul's column order) and may refuse the import
    /// with a message (a UNODC table of another country, say).
    static func write(rows: [[String]], what: String, table: String, in folder: URL, clash: Clash, comment: String,
                      check: (([String]) -> String?)? = nil) throws -> Written {
        guard let header = TableLoader.layouts[table] else { fatalError("no layout for \(table)") }
        let target = folder.appendingPathComponent(table)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
            Output.error("haul: --to \(folder.path) is a file, not a folder; nothing written")
            throw ExitCode(1)
        }
        var comments: [String] = []
        var kept: [[String]] = []
        var newRows = rows
        var replaced = 0, keptExisting = 0
        if FileManager.default.fileExists(atPath: target.path) {
            guard let data = FileManager.default.contents(atPath: target.path), let text = String(data: data, encoding: .utf8) else {
                Output.error("haul: \(target.path) cannot be read as UTF-8 text; nothing written")
                throw ExitCode(1)
            }
            try requireSound(text, table: table, path: target.path, otherwise: "\(target.path) has problems; fix it or write elsewhere with --to")
            // Every comment is kept (CRLF files too), gathered at the head of the file.
            comments = text.split(whereSeparator: \.isNewline).filter { $0.hasPrefix("#") }.map(String.init)
            let records = (try? CSVReader.parse(text)) ?? []
            // The file's rows in Haul's column order, whatever order its header gives.
            let names = records.first?.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
            let order = header.map { names.firstIndex(of: $0) }
            let existingRows = records.dropFirst().map { record in order.map { $0.map { index in index < record.fields.count ? record.fields[index] : "" } ?? "" } }
            for fields in existingRows {
                if let refusal = check?(fields) {
                    Output.error("haul: \(target.path): \(refusal); nothing written")
                    throw ExitCode(1)
                }
            }
            let importedKeyList = try keys(rows, table: table, header: header), existingKeyList = try keys(existingRows, table: table, header: header)
            let importedKeys = Set(importedKeyList), existingKeys = Set(existingKeyList)
            let clashes = existingKeyList.filter { importedKeys.contains($0) }.count
            switch clash {
            case .refuse where clashes > 0:
                Output.error("haul: \(target.path) already prices \(clashes) of these \(what) rows' days; --replace replaces its rows, --keep keeps them and leaves the imported ones out; nothing written")
                throw ExitCode(1)
            case .replace:
                kept = zip(existingRows, existingKeyList).filter { !importedKeys.contains($0.1) }.map(\.0)
                replaced = clashes
            case .keep, .refuse:
                kept = existingRows
                newRows = zip(rows, importedKeyList).filter { !existingKeys.contains($0.1) }.map(\.0)
                keptExisting = rows.count - newRows.count
            }
        }
        comments.append("# " + comment + (keptExisting > 0 ? " (\(keptExisting) imported rows fell on a day the table already priced and were left out)" : ""))
        let lines = comments + [header.joined(separator: ",")] + (kept + newRows).map(TableWriter.line)
        let text = lines.joined(separator: "\n") + "\n"
        // Read back as Haul reads tables before anything is published.
        try requireSound(text, table: table, path: target.path, otherwise: "the table made would not read back")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let temporary = folder.appendingPathComponent(".\(table).\(UUID().uuidString).tmp")
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                Output.error("haul: could not write \(target.path)")
                throw ExitCode(1)
            }
        } catch let error as ExitCode { throw error } catch {
            Output.error("haul: could not write \(target.path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        return Written(path: target.path, replaced: replaced, keptExisting: keptExisting)
    }
}
