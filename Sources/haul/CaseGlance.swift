import Foundation
import HaulCore
import HaulProceedings

/// `haul case show`: what a supervisor asks about a case, in an 80-column terminal — values by
/// kind and basis as last valued, statuses, the next deadlines, the confiscation position, and
/// the items grouped by kind.
struct CaseGlance {
    let operation: Case
    let standings: [ItemStanding]
    /// The rules the standings were worked out under (which periods are to be waited out).
    let rules: RuleBook
    let today: CalendarDate
    /// How many upcoming deadlines to list (overdue ones are always listed).
    var deadlineCount = 5

    static let width = 80

    /// The items' running deadlines and the confiscation order's, overdue ones first, then the next few.
    var deadlines: [DeadlineEntry] {
        let items = CaseDeadlines.items(of: operation, standings: standings, rules: rules, includingEnded: false)
        let order = CaseDeadlines.order(of: operation, asOf: today, revision: 0).filter { !$0.isCancelled }
        let dated = (items + order).sorted { $0.deadline.due < $1.deadline.due }
        // Periods that have run come first, overdue or (waited out) ended.
        let overdue = dated.filter { $0.deadline.due.date < today }
        return overdue + dated.filter { $0.deadline.due.date >= today }.prefix(deadlineCount)
    }

    /// "I-009" for an item, "order BCC-1" for the confiscation order.
    static func label(_ entry: DeadlineEntry) -> String {
        if let standing = entry.standing { return standing.item.id.value }
        if case .order(let reference) = entry.subject { return "order \(reference)" }
        return ""
    }

    var unvalued: [Item] { operation.items.filter { $0.kind.isValued && $0.valuations.isEmpty } }
    var withWarnings: [Item] { operation.items.filter { $0.valuations.contains { !$0.warnings.isEmpty } } }

    /// The state counts, most populous first; items not yet moved under a regime last.
    var stateCounts: [(String, Int)] {
        var counts: [String: Int] = [:]
        for standing in standings { counts[standing.state?.rawValue ?? "no regime yet", default: 0] += 1 }
        return counts.sorted { ($0.key == "no regime yet" ? 1 : 0, -$0.value, $0.key) < ($1.key == "no regime yet" ? 1 : 0, -$1.value, $1.key) }
    }

    /// The first non-upper-bound figure of an item: its central value on its main basis.
    static func headline(_ item: Item) -> String {
        guard let figure = item.currentValuation else { return item.kind.isValued ? "not valued" : "not priced" }
        return "\(Output.money(figure.central)) \(figure.basis.rawValue)"
    }

    /// The title of proceedings in one line: "R v P-1 and P-2, Bristol Crown Court, T20217001"
    /// (defendants by id: names are personal data and stay in the case file); nil when none are recorded.
    static func title(_ operation: Case) -> String? {
        guard let proceedings = operation.proceedings else { return nil }
        var parts: [String] = []
        if !proceedings.defendants.isEmpty {
            let names = proceedings.defendants.map(\.value)
            let defendants = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
            parts.append(Proceedings.prosecution(in: operation.jurisdiction).map { "\($0) \(defendants)" } ?? defendants)
        }
        parts.append(proceedings.court)
        if let number = proceedings.number { parts.append(number) }
        return parts.joined(separator: ", ")
    }

    /// Totals by kind and basis as a table: amounts right-aligned under their heading.
    static func totalsTable(_ totals: [ValuationTotal]) -> [String] {
        let cells = totals.map { [Output.money($0.low), Output.money($0.central), Output.money($0.high)] }
        let width = max(7, cells.flatMap { $0 }.map(\.count).max() ?? 0)
        var lines = ["  \(Output.pad("kind", 12)) \(Output.pad("basis", 11)) \(Output.right("items", 5))  \(Output.right("low", width))  \(Output.right("central", width))  \(Output.right("high", width))"]
        for (total, cell) in zip(totals, cells) {
            lines.append("  \(Output.pad(total.kind.rawValue, 12)) \(Output.pad(total.basis.rawValue, 11)) \(Output.right(String(total.itemCount), 5))  "
                         + cell.map { Output.right($0, width) }.joined(separator: "  "))
        }
        return lines
    }

    var text: String {
        var lines: [String] = []
        lines.append("Case \(operation.reference) (\(operation.jurisdiction.rawValue))\(operation.operationName.map { ", \($0)" } ?? ""), opened \(operation.openedOn)")
        lines.append("\(Output.count(operation.seizures.count, "seizure")), \(Output.count(operation.items.count, "item")), \(Output.count(operation.chain.count, "event")) (\(Output.count(operation.history.count, "status move")))"
                     + (operation.chainHead.map { "; chain head \($0.prefix(16))…" } ?? ""))
        if !operation.people.isEmpty {
            // Counts by role only: names are personal data and stay in `haul person list`.
            let roles = PersonRole.allCases.compactMap { role -> String? in
                let count = operation.people.filter { $0.role == role }.count
                guard count > 0 else { return nil }
                return "\(count) " + (count == 1 ? role.rawValue : role == .thirdParty ? "third parties" : role.rawValue + "s")
            }
            lines.append("People: " + roles.joined(separator: ", "))
        }
        if let title = Self.title(operation) { lines.append("Proceedings: " + title) }

        lines.append("")
        let totals = operation.totals()
        // A case with nothing seized yet (a confiscation on its benefit alone): said once, not as empty sections.
        let nothingSeized = !operation.seizures.contains { !$0.items.isEmpty }
        if nothingSeized {
            lines.append("Items: nothing seized yet")
        } else if totals.isEmpty {
            lines.append("Values: not valued yet (haul value \(operation.reference))")
        } else {
            let currencies = Set(totals.map(\.central.currency.code)).sorted().joined(separator: ", ")
            lines.append("Values as last valued (\(currencies); upper bounds left out)")
            lines.append(contentsOf: Self.totalsTable(totals))
            var notes: [String] = []
            if !withWarnings.isEmpty { notes.append("\(withWarnings.count) item\(withWarnings.count == 1 ? " has" : "s have") warnings (!)") }
            if !unvalued.isEmpty { notes.append("\(unvalued.count) without a value") }
            if !notes.isEmpty { lines.append("  " + notes.joined(separator: "; ") + "; details: haul value \(operation.reference)") }
        }

        if !nothingSeized {
            lines.append("")
            lines.append("Statuses: " + stateCounts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
        }

        lines.append("")
        let next = deadlines
        if next.isEmpty {
            lines.append("Deadlines: none running (from \(today))")
        } else {
            lines.append("Next deadlines (from \(today))")
            for entry in next {
                let deadline = entry.deadline
                let flag = entry.isOverdue(on: today) ? "OVERDUE " : DueReport.endedFlag(entry, on: today)
                lines.append("  \(flag)\(DueReport.when(deadline.due))  \(Output.pad(Self.label(entry), 7)) \(deadline.rule)\(deadline.isVerified ? "" : " [unverified]")")
            }
        }
        let late = standings.filter { !$0.lateMoves.isEmpty }
        if !late.isEmpty {
            lines.append("")
            lines.append("Moves recorded after their deadline (haul history ITEM for the reasons)")
            for standing in late {
                for move in standing.lateMoves {
                    lines.append("  \(Output.pad(standing.item.id.value, 7)) #\(move.sequence) → \(move.to.rawValue) \(DueReport.when(move.at)): \(move.late ?? "")")
                }
            }
        }

        if let confiscation = operation.confiscation {
            lines.append("")
            lines.append("Confiscation as of \(today) (decision date \(confiscation.decidedOn); \(confiscation.benefit.currency))")
            lines.append("  benefit \(Output.money(confiscation.benefit)), available \(Output.money(confiscation.availableAmount)), recoverable \(Output.money(confiscation.recoverableAmount))")
            if let order = confiscation.order {
                let paid = order.paid ?? Money(0, order.amount.currency)
                // What was paid beyond the order's sum pays its interest first (s.12(2)).
                let accrued = order.interestAccrued?.amount ?? 0
                let interestUnpaid = max(accrued - max(paid.amount - order.amount.amount, 0), 0)
                // The calculator's own outstanding line (which applies the joint-benefit cap) less the interest unpaid.
                let principal = confiscation.outstanding.map { $0.amount - interestUnpaid } ?? (order.amount.amount - paid.amount)
                let outstanding = Money(max(principal, 0), order.amount.currency)
                lines.append("  order \(Output.money(order.amount)) (\(order.reference)), due \(order.dueOn)")
                // "plus interest": `confiscation show`'s outstanding line is the two together.
                let interest = order.interestAccrued == nil ? "" : " plus interest \(Output.money(Money(interestUnpaid, order.amount.currency)))"
                let over = paid.amount > order.amount.amount + accrued ? " (overpaid \(Output.money(Money(paid.amount - order.amount.amount - accrued, order.amount.currency))))" : ""
                lines.append("  paid \(Output.money(paid)); outstanding \(Output.money(outstanding))\(interest)\(over)")
            } else if let later = operation.confiscationInputs.order {
                lines.append("  no order yet: the order \(later.reference) is made on \(later.madeOn)")
            } else {
                lines.append("  no order recorded yet")
            }
        }

        if !nothingSeized {
            lines.append("")
            lines.append("Items by kind")
        }
        for kind in ItemKind.allCases {
            let group = standings.filter { $0.item.kind == kind }
            if group.isEmpty { continue }
            lines.append("  \(kind.rawValue) (\(group.count))")
            for standing in group {
                let item = standing.item
                let flag = item.valuations.contains { !$0.warnings.isEmpty } ? "!" : " "
                let due = standing.deadline.map { DueReport.when($0.due) } ?? ""
                // 80 columns: id, exhibit, state, the figure right-aligned with its basis, the warning flag, the next deadline.
                let headline = item.currentValuation.map { "\(Output.right(Output.money($0.central), 13)) \(Output.pad($0.basis.rawValue, 10))" }
                    ?? Output.pad(item.kind.isValued ? "not valued" : "not priced", 24)
                lines.append("    \(Output.pad(item.id.value, 7)) \(Output.pad(item.exhibit.value, 9)) \(Output.pad(standing.state?.rawValue ?? "—", 15)) \(headline)\(flag) \(due)")
            }
        }
        // Trailing blanks trimmed; anything still wider than the terminal is cut with an ellipsis.
        return lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            line = line.count > Self.width ? String(line.prefix(Self.width - 1)) + "…" : line
            // Coloured after the cut, so the escape codes take no column.
            return line.hasPrefix("  OVERDUE ") ? "  " + Output.highlight("OVERDUE", .alarm) + line.dropFirst(9) : line
        }.joined(separator: "\n")
    }

    var json: [String: Any] {
        var result: [String: Any] = ["case": operation.reference.value, "jurisdiction": operation.jurisdiction.rawValue, "openedOn": operation.openedOn.description,
                                     "events": operation.chain.count, "statusMoves": operation.history.count, "today": today.description]
        if let head = operation.chainHead { result["chainHead"] = head }
        if let proceedings = operation.proceedings {
            // Defendants by id, as everywhere outside the case file.
            var entry: [String: Any] = ["court": proceedings.court, "defendants": proceedings.defendants.map(\.value), "title": Self.title(operation) ?? proceedings.court]
            if let id = proceedings.courtID { entry["courtId"] = id }
            if let number = proceedings.number { entry["number"] = number }
            if let prosecutor = proceedings.prosecutor { entry["prosecutor"] = prosecutor }
            if let convicted = proceedings.convictedOn { entry["convictedOn"] = convicted.description }
            if let hearing = proceedings.hearingOn { entry["hearingOn"] = hearing.description }
            result["proceedings"] = entry
        }
        result["items"] = standings.map { standing -> [String: Any] in
            var entry = StandingReport.json(standing)
            entry["valuations"] = standing.item.valuations.map {
                ["basis": $0.basis.rawValue, "upperBound": $0.isUpperBound, "currency": $0.currency.code, "low": $0.low.rounded().amountText,
                 "central": $0.central.rounded().amountText, "high": $0.high.rounded().amountText, "warnings": $0.warnings.map(\.code.rawValue)] as [String: Any]
            }
            return entry
        }
        result["totals"] = operation.totals().map {
            ["kind": $0.kind.rawValue, "basis": $0.basis.rawValue, "items": $0.itemCount, "currency": $0.central.currency.code,
             "low": $0.low.amountText, "central": $0.central.amountText, "high": $0.high.amountText] as [String: Any]
        }
        result["states"] = Dictionary(uniqueKeysWithValues: stateCounts)
        result["nextDeadlines"] = deadlines.map { entry -> [String: Any] in
            let deadline = entry.deadline
            var value: [String: Any] = ["due": deadline.due.iso8601, "rule": deadline.rule.value, "overdue": entry.isOverdue(on: today), "verified": deadline.isVerified]
            DueReport.addEnded(entry, on: today, to: &value)
            if let standing = entry.standing { value["item"] = standing.item.id.value } else { value["order"] = entry.subjectText }
            if let title = deadline.title { value["what"] = title }
            return value
        }
        if let confiscation = operation.confiscation {
            var position: [String: Any] = ["decidedOn": confiscation.decidedOn.description, "currency": confiscation.benefit.currency.code,
                                           "benefit": confiscation.benefit.amountText, "available": confiscation.availableAmount.amountText,
                                           "recoverable": confiscation.recoverableAmount.amountText]
            if let order = confiscation.order {
                position["order"] = ["reference": order.reference, "amount": order.amount.amountText, "dueOn": order.dueOn.description,
                                     "paid": (order.paid ?? Money(0, order.amount.currency)).amountText,
                                     "interestAccrued": order.interestAccrued?.amountText ?? "0"] as [String: Any]
                // What the text's "outstanding … plus interest …" adds up to: the calculator's own line.
                if let outstanding = confiscation.outstanding { position["outstanding"] = outstanding.amountText }
            }
            result["confiscation"] = position
        }
        return result
    }
}
