import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulStore
import HaulValuation

struct Revalue: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revalue",
        abstract: "Revalue one item after a lab result, a table update or a correction; the earlier valuation stays in its trail.",
        discussion: """
        The item is valued again (on its seizure date unless --on says otherwise) from the tables \
        in force; its previous valuations are kept, with today's date and the reason, in its \
        earlier valuations, which exports carry. --purity records a laboratory (or field-test) \
        result for a drug first.
        """
    )

    @Argument(help: "An item id (or CASE/ITEM).", completion: Completions.items) var item: String
    @Option(help: "Why the item is revalued (kept in the record).") var reason: String
    @Option(parsing: .unconditional, help: "A drug's measured purity, in percent (e.g. 61); under 1 % needs its % sign (0.8%).") var purity: String?
    @Option(help: "How the purity was measured: laboratory or field-test.", completion: .list(["laboratory", "field-test"])) var purityMethod: String = "laboratory"
    @Option(help: "Value on this date (YYYY-MM-DD) instead of the seizure date.") var on: String?
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why the item is revalued.") }
        if let method = PurityMethod(rawValue: purityMethod), method != .assumed {} else {
            throw ValidationError("--purity-method must be laboratory or field-test.")
        }
    }

    func run() throws {
        let work = try register.casework(actor: recorded.actor)
        let found = try locateItem(work.register, item)
        var measured: Purity?
        if let purity {
            measured = try argument("purity") { try Purity(percent: try ItemAttributes.purityPercent(purity), method: PurityMethod(rawValue: purityMethod)!) }
        }
        let date = try on.map { text in try argument("on") { try CalendarDate(parsing: text) } }
        let jurisdiction = try attempt { try work.register.jurisdiction(of: found.case) }
        let book = try Pricing.book(for: jurisdiction, tables: tableOptions)
        let (before, after, wasRecorded) = try attempt {
            try work.revalue(found.item, in: found.case, purity: measured, on: date, valuer: Valuer(book: book), day: try DueReport.today(), reason: reason)
        }
        if recorded.json {
            print(Output.json(["case": found.case.value, "item": found.item.value, "recorded": wasRecorded ? "revalued" : "nothing", "reason": reason,
                               "valuations": after.valuations.map { figure -> [String: Any] in
                                   let old = before.valuations.first { $0.basis == figure.basis && $0.isUpperBound == figure.isUpperBound }
                                   var entry: [String: Any] = ["basis": figure.basis.rawValue, "upperBound": figure.isUpperBound, "currency": figure.currency.code,
                                                               "low": figure.low.rounded().amountText, "central": figure.central.rounded().amountText,
                                                               "high": figure.high.rounded().amountText]
                                   if let old { entry["was"] = old.central.rounded().amountText }
                                   return entry
                               }] as [String: Any]))
            return
        }
        if !wasRecorded {
            print("\(found.item): the valuation is unchanged; nothing recorded")
            return
        }
        print("\(found.item) (\(after.exhibit)) revalued: \(reason)")
        for figure in after.valuations {
            let old = before.valuations.first { $0.basis == figure.basis && $0.isUpperBound == figure.isUpperBound }
            let was = old.map { "  (was \(Output.money($0.central)))" } ?? ""
            let label = figure.isUpperBound ? "\(figure.basis.rawValue) (upper bound)" : figure.basis.rawValue
            print("  \(Output.pad(label, 24)) \(Output.money(figure.low)) / \(Output.money(figure.central)) / \(Output.money(figure.high))\(was)")
        }
        for warning in after.valuations.flatMap(\.warnings) where !warning.message.isEmpty {
            print("  " + Output.highlight("! \(warning.message)", .warning))
        }
        print("  \(Output.count(after.earlierValuations.count, "earlier valuation")) kept in the item's trail")
    }
}
