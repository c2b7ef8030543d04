import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulValuation

struct Tables: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tables",
        abstract: "Check, list and show the price tables.",
        subcommands: [Check.self, List.self, Show.self, TablesImport.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check price tables: every problem as file:line:column: message.",
            discussion: "Without DIR, checks every shipped jurisdiction. Exit 0 when all tables are sound, 1 otherwise."
        )

        @Argument(help: "A folder of tables (e.g. your overlay, or valuations/GB-EAW).", completion: .directory)
        var directory: String?
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            var problems: [TableProblem] = []
            var summaries: [String] = []
            let folders: [(String, URL)] = directory.map { [($0, URL(fileURLWithPath: $0))] }
                ?? ShippedTables.jurisdictions.map { ShippedTables.folder(for: $0) }
            for (name, url) in folders {
                let (tables, found) = TableLoader.load(folder: url, displayName: name)
                problems += found
                let rows = tables.rowCounts.map(\.rows).reduce(0, +)
                summaries.append("\(name): \(Output.count(tables.files.count, "table")), \(Output.count(rows, "row"))")
            }
            if json {
                print(Output.json(["sound": problems.isEmpty, "problems": problems.map {
                    ["file": $0.file, "line": $0.line, "column": $0.column, "message": $0.message] as [String: Any]
                }, "summaries": summaries] as [String: Any]))
                if !problems.isEmpty { throw ExitCode(1) }
                return
            }
            problems.forEach { print(Output.describe($0)) }
            summaries.forEach { print($0) }
            if !problems.isEmpty {
                print("\(problems.count) problem\(problems.count == 1 ? "" : "s") found")
                throw ExitCode(1)
            }
            print("all tables are sound")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the tables in force: how many rows each holds and the date of its newest.")

        @OptionGroup var tableOptions: TableOptions
        @Option(help: "Jurisdiction (GB-EAW, US, NL).", completion: Completions.jurisdictions)
        var jurisdiction: String = Jurisdiction.englandAndWales.rawValue
        @Flag(help: "Every jurisdiction Haul ships tables for, one after another (JSON: a list).") var all = false
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            guard let place = Jurisdiction(rawValue: jurisdiction) else { throw ValidationError("Unknown jurisdiction '\(jurisdiction)'.") }
            let places = all ? ShippedTables.jurisdictions : [place]
            var objects: [[String: Any]] = []
            for (index, place) in places.enumerated() {
                let book = try Pricing.book(for: place, tables: tableOptions)
                if json {
                    objects.append(["jurisdiction": place.rawValue, "name": book.manifest.name, "currency": book.manifest.currency.code,
                                    "stalenessYears": book.manifest.stalenessYears,
                                    "layers": book.layers.map { layer in
                                        let newest = layer.newestByTable
                                        return ["name": layer.name, "tables": layer.rowCounts.map {
                                            ["table": $0.0, "rows": $0.1, "newest": newest[$0.0]?.description ?? NSNull()] as [String: Any]
                                        }] as [String: Any]
                                    }])
                    continue
                }
                if index > 0 { print("") }
                print("\(book.manifest.name) (\(place.rawValue)): amounts in \(book.manifest.currency), prices flagged stale when older than \(book.manifest.stalenessYears) years (metal fixes \(book.manifest.metalStalenessDays) days, cryptoasset prices \(book.manifest.cryptoStalenessDays) days)")
                for layer in book.layers {
                    print("\(layer.name)")
                    let newest = layer.newestByTable
                    for (table, rows) in layer.rowCounts {
                        print("  \(Output.pad(table, 12)) \(Output.right(String(rows), 5)) \(rows == 1 ? "row " : "rows")" + (newest[table].map { "  newest \($0)" } ?? ""))
                    }
                }
            }
            if json { print(all ? Output.json(objects) : Output.json(objects[0])) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the rows of one table: drugs, watches, vehicles, metals, crypto, factors, sentencing or index-cpih.")

        @Argument(help: "The table to show.", completion: .list(["drugs", "watches", "vehicles", "metals", "crypto", "factors", "sentencing", "index-cpih"]))
        var kind: String
        @OptionGroup var tableOptions: TableOptions
        @Option(help: "Jurisdiction (GB-EAW, US, NL).", completion: Completions.jurisdictions)
        var jurisdiction: String = Jurisdiction.englandAndWales.rawValue
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            guard let place = Jurisdiction(rawValue: jurisdiction) else { throw ValidationError("Unknown jurisdiction '\(jurisdiction)'.") }
            let book = try Pricing.book(for: place, tables: tableOptions)
            var listed: [[String: Any]] = []
            for layer in book.layers {
                let rows: [(String, RowOrigin)]
                func range(_ price: PriceRange) -> String { "\(price.low) / \(price.central) / \(price.high) \(price.currency)" }
                switch kind {
                case "drugs": rows = layer.drugs.map { ("\($0.substance.rawValue) \($0.basis.rawValue) from \($0.fromQuantity) \($0.quantityUnit.rawValue): \(range($0.price)) per \($0.priceUnit.rawValue)", $0.origin) }
                case "watches": rows = layer.watches.map { ("\($0.brand) \($0.model) \($0.reference): \(range($0.price))", $0.origin) }
                case "vehicles": rows = layer.vehicles.map { ("\($0.make) \($0.model) \($0.year) \($0.priceType.rawValue): \(range($0.price))", $0.origin) }
                case "metals": rows = layer.metals.map { ("\($0.metal.rawValue): \(range($0.price)) per troy oz", $0.origin) }
                case "crypto": rows = layer.crypto.map { ("\($0.asset): \(range($0.price))", $0.origin) }
                case "factors": rows = layer.factors.map { ("\($0.kind.rawValue) \($0.factor) \($0.key): \($0.low) / \($0.central) / \($0.high)", $0.origin) }
                case "sentencing": rows = layer.sentencing.map { ("\($0.substance.rawValue) category \($0.category): \($0.fromQuantity) \($0.quantityUnit.rawValue)", $0.origin) }
                case "index-cpih": rows = layer.index.map { ("\($0.period.description.prefix(7)): \($0.value)", $0.origin) }
                default: throw ValidationError("Unknown table '\(kind)'; use drugs, watches, vehicles, metals, crypto, factors, sentencing or index-cpih.")
                }
                guard !rows.isEmpty else { continue }
                if json {
                    listed += rows.map { text, origin in
                        ["layer": layer.name, "row": text, "file": origin.file, "line": origin.line, "effectiveFrom": origin.effectiveFrom.description,
                         "confidence": origin.confidence.mark, "source": origin.source] as [String: Any]
                    }
                    continue
                }
                print(layer.name)
                for (text, origin) in rows {
                    print("  \(origin.file.split(separator: "/").last ?? ""):\(origin.line)  \(origin.effectiveFrom)  [\(origin.confidence.mark)]  \(text)")
                    print("      \(origin.source)")
                }
            }
            if json { print(Output.json(listed)) }
        }
    }
}
