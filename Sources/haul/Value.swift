import ArgumentParser
import Foundation
import HaulCore
import HaulValuation
import HaulXML

struct Value: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value",
        abstract: "Value the items of a case file from the price tables.",
        discussion: """
        Each figure is a low / central / high range on a named basis, with the table row, source, \
        date, exchange rate and warnings it carries. Items are valued on their seizure date unless \
        --on names another. With -o the valued case file is written (validated first, as every export). \
        On a case in the register this only shows figures; --save records them (every basis, on the \
        seizure dates, earlier figures kept in each item's trail) as one event of the case's chain. \
        --on and --basis only shape what is shown.
        """
    )

    @Argument(help: "A case file, or the reference of a case in the register.", completion: Completions.caseFile)
    var target: String

    @Option(help: "Value every item on this date (YYYY-MM-DD) instead of its seizure date.")
    var on: String?

    @Option(help: "Show only figures on this basis (face, wholesale, street, market, realisable); repeatable.", completion: Completions.bases)
    var basis: [String] = []

    @Flag(help: "Bring old drug and watch prices forward with the price index (labelled index-adjusted).")
    var indexAdjust = false

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(name: .shortAndLong, help: "Write the valued case file here (- for standard output; the report then goes to standard error).", completion: Completions.caseFile)
    var output: String?
    @OptionGroup var outputOptions: OutputOptions

    @Flag(help: "For a case in the register: record the valuation (every basis, on the seizure dates) as an event of its chain.")
    var save = false
    @Option(help: ArgumentHelp("With --save: who records the valuation (default HAUL_ACTOR, else your login name).", valueName: "name"))
    var actor: String?

    @OptionGroup var tableOptions: TableOptions
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if actor != nil && !save { throw ValidationError("--actor names who records the valuation; it goes with --save.") }
        if let on, (try? CalendarDate(parsing: on)) == nil { throw ValidationError("--on '\(on)' is not a date; use YYYY-MM-DD.") }
        for name in basis where ValuationBasis(rawValue: name) == nil {
            throw ValidationError("Unknown basis '\(name)'; use \(ValuationBasis.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    func run() throws {
        var operation: Case
        // A path that exists is a case file; anything else names a case in the register.
        let fromRegister = !FileManager.default.fileExists(atPath: target)
        if save && !fromRegister {
            throw ValidationError("--save records a valuation in the register; '\(target)' is a case file (use -o to write a valued copy).")
        }
        if fromRegister && output != nil && !save {
            // A copy whose figures are not in its chain would not import again.
            throw ValidationError("-o with a register case needs --save: the valuation is recorded first, then written with the case's chain (or use haul export).")
        }
        if fromRegister {
            operation = try attempt { try (save ? register.open() : register.openExisting()).loadState(try Identifier(target)) }
        } else {
            do { operation = try CaseFileReader().read(fileAt: target) } catch {
                print(Output.describe(error))
                throw ExitCode(1)
            }
        }
        let book = try Pricing.book(for: operation.jurisdiction, tables: tableOptions)
        let date = try on.map { try CalendarDate(parsing: $0) }
        let bases = basis.isEmpty ? nil : Set(basis.compactMap(ValuationBasis.init(rawValue:)))
        let valuer = Valuer(book: book, options: ValuationOptions(indexAdjust: indexAdjust))
        var saved: [RecordEvent] = []
        if save {
            // Recorded whole: every basis on the seizure dates, checked against the case as it
            // stands in the transaction; what is shown below is shaped by --on and --basis.
            let reason = "valued on the seizure dates (tables: \(book.layers.map(\.name).joined(separator: " over ")))"
            let stored = try attempt { try register.casework(actor: actor).saveValuation(of: try Identifier(target), valuer: valuer, day: try DueReport.today(), reason: reason) }
            saved = stored.records
            operation = try attempt { try register.open().load(try Identifier(target)) }
        }
        let result = CaseValuer(valuer: valuer).value(operation, on: date, bases: bases)

        if let output {
            do { try CaseFileExporter().export(fromRegister ? operation : result.valued, to: outputOptions.target(output)) } catch {
                Output.error(Output.describe(error))
                throw ExitCode(1)
            }
        }
        // With the case file on standard output, the report goes to standard error.
        let say: (String) -> Void = output == "-" ? { Output.error($0) } : { print($0) }
        if json {
            say(Output.json(ValuationReport.json(result, book: book)))
        } else {
            say(ValuationReport(result: result, book: book, date: date).text)
            if let output { say("\nValued case file: \(output) (validated)") }
            if save {
                if let first = saved.first, let last = saved.last {
                    let events = first.sequence == last.sequence ? "event \(first.sequence)" : "events \(first.sequence)–\(last.sequence)"
                    say("\nRecorded as \(events) of case \(target) in \(register.shown).")
                } else {
                    say("\nThe figures are unchanged; nothing recorded.")
                }
            } else if fromRegister {
                say("\nShown only; nothing recorded (haul value \(target) --save records the valuation).")
            }
        }
    }
}

/// The human-readable and JSON forms of a case valuation.
struct ValuationReport {
    let result: CaseValuer.Result
    let book: PriceBook
    let date: CalendarDate?

    static func amount(_ value: FixedDecimal, _ currency: Currency) -> String { Money(value, currency).amountText }

    static func describe(_ item: Item) -> String {
        switch item.details {
        case .drug(let drug):
            let quantity: String
            switch drug.quantity {
            case .mass(let mass): quantity = "\(DecimalText.plain(mass.value)) \(mass.unit.rawValue) gross"
            case .count(let count): quantity = "\(count.count) \(count.unit.rawValue)s"
            }
            let purity = drug.purity.map { ", \(DecimalText.plain($0.percent)) % (\($0.method.rawValue))" } ?? ", purity not tested"
            return "\(drug.substance.rawValue), \(quantity)\(purity)"
        case .cash(let cash): return "cash, \(Output.money(cash.faceValue))"
        case .watch(let watch): return "\(watch.brand) \(watch.model)\(watch.referenceNumber.map { " \($0)" } ?? ""), \(watch.condition.rawValue)\(watch.hasBox && watch.hasPapers ? ", box and papers" : "")"
        case .vehicle(let vehicle): return "\(vehicle.year) \(vehicle.make) \(vehicle.model)\(vehicle.mileage.map { ", \($0.value) \($0.unit.rawValue)" } ?? "")"
        case .jewellery(let jewellery): return "\(jewellery.metal.rawValue) \(DecimalText.plain(jewellery.fineness)), \(DecimalText.plain(jewellery.mass.value)) \(jewellery.mass.unit.rawValue)"
        case .cryptoasset(let crypto): return "\(DecimalText.plain(crypto.units)) \(crypto.asset)"
        case .nonValued(let kind): return kind.rawValue
        }
    }

    var text: String {
        var lines: [String] = []
        let when = date.map { "valued on \($0)" } ?? "valued on each seizure date"
        lines.append("Case \(result.valued.reference) (\(result.valued.jurisdiction.rawValue)), \(when), amounts in \(book.manifest.currency)")
        lines.append("Tables: " + book.layers.map(\.name).joined(separator: " over "))
        let items = result.valued.items
        for (item, valuation) in zip(items, result.items) {
            lines.append("")
            lines.append(Output.wrap("\(item.id)  \(item.exhibit)  \(item.kind.rawValue): \(Self.describe(item))", width: 100, indent: "    "))
            for figure in valuation.figures {
                let label = figure.isUpperBound ? "\(figure.basis.rawValue) (upper bound only: re-cut to street purity)" : figure.basis.rawValue
                lines.append("  \(Output.pad(label, 11)) \(Output.money(figure.low, figure.currency)) / \(Output.money(figure.central, figure.currency)) / \(Output.money(figure.high, figure.currency)) (low / central / high)")
                for source in figure.sources {
                    let place = source.line > 0 ? "\(source.file):\(source.line)" : source.file
                    lines.append("      from \(place), \(source.effectiveFrom) [\(source.confidence.mark)] \(source.source)")
                }
                if let rate = figure.rate {
                    lines.append("      rate 1 \(rate.from) = \(DecimalText.plain(rate.rate)) \(rate.to), ECB \(rate.date)\(rate.isDerived ? " (derived)" : "")")
                }
                for warning in figure.warnings { lines.append("      " + Output.highlight("! \(warning.message(sources: figure.sources))", .warning)) }
            }
            if let category = valuation.sentencing {
                lines.append("  sentencing guideline: category \(category.category) (indicative \(category.indicativeQuantity) \(category.unit.rawValue)) [\(category.origin.confidence.mark)]")
            }
            switch valuation.notValued {
            case .notValuedKind(let kind)?: lines.append("  not valued: \(kind.rawValue)s are tracked, never priced")
            case .noPrice(let message)?: lines.append("  no price: \(message)")
            case nil: break
            }
        }
        let totals = result.valued.totals()
        if !totals.isEmpty {
            lines.append("")
            lines.append("Totals by kind and basis (upper bounds left out)")
            lines.append(contentsOf: CaseGlance.totalsTable(totals))
        }
        let unpriced = result.items.filter { if case .noPrice? = $0.notValued { return true } else { return false } }.count
        if unpriced > 0 { lines.append("\n\(unpriced) item\(unpriced == 1 ? " has" : "s have") no price; the rest of the case is valued.") }
        if result.items.contains(where: { $0.figures.contains(where: \.isIllustrative) }) {
            lines.append("Some figures use illustrative rows [I]: they demonstrate the method and are not evidence of value.")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ result: CaseValuer.Result, book: PriceBook) -> [String: Any] {
        let items: [[String: Any]] = zip(result.valued.items, result.items).map { item, valuation in
            var entry: [String: Any] = ["id": item.id.value, "exhibit": item.exhibit.value, "kind": item.kind.rawValue, "valuedOn": valuation.valuedOn.description]
            entry["figures"] = valuation.figures.map { figure -> [String: Any] in
                var value: [String: Any] = [
                    "basis": figure.basis.rawValue, "upperBound": figure.isUpperBound, "currency": figure.currency.code,
                    "low": amount(figure.low, figure.currency), "central": amount(figure.central, figure.currency), "high": amount(figure.high, figure.currency),
                    "sources": figure.sources.map { ["file": $0.file, "line": $0.line, "effectiveFrom": $0.effectiveFrom.description, "confidence": $0.confidence.rawValue, "source": $0.source] as [String: Any] },
                    "warnings": figure.warnings.map { ["code": $0.code.rawValue, "message": $0.message(sources: figure.sources)] },
                ]
                if let rate = figure.rate {
                    value["exchangeRate"] = ["from": rate.from.code, "to": rate.to.code, "rate": DecimalText.plain(rate.rate), "date": rate.date.description, "derived": rate.isDerived] as [String: Any]
                }
                return value
            }
            if let category = valuation.sentencing { entry["sentencingCategory"] = category.category }
            switch valuation.notValued {
            case .notValuedKind?: entry["notValued"] = "tracked, not valued"
            case .noPrice(let message)?: entry["noPrice"] = message
            case nil: break
            }
            return entry
        }
        let totals = result.valued.totals().map {
            ["kind": $0.kind.rawValue, "basis": $0.basis.rawValue, "items": $0.itemCount, "currency": $0.central.currency.code,
             "low": $0.low.amountText, "central": $0.central.amountText, "high": $0.high.amountText] as [String: Any]
        }
        return ["case": result.valued.reference.value, "currency": book.manifest.currency.code, "items": items, "totals": totals]
    }
}
