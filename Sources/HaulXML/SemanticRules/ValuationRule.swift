import HaulCore
import Foundation

/// Each valuation in one currency with low ≤ central ≤ high, one current valuation per basis
/// per item, and the totals section equal to the sums of the items' current valuations by
/// kind, basis and currency, none missing and none twice. Earlier valuations are checked for
/// their range only; upper bounds are never summed.
struct ValuationRule {
    typealias Units = SemanticUnits.Units

    private struct TotalKey: Hashable {
        var kind: String
        var basis: String
        var currency: String
    }

    private struct Range {
        var count = 0
        var low: Units = 0
        var central: Units = 0
        var high: Units = 0
    }

    private typealias Figure = (amount: Units?, currency: String)

    /// The kind of the item being read (its details element, or a non-valued item's kind).
    private var itemKind: String?
    /// The bases of the item's current valuations (one or two: a list beats a set).
    private var itemBases: [String] = []
    private var low: Figure?
    private var central: Figure?
    private var high: Figure?
    /// Sums by kind, basis and currency, in first-seen order.
    private var computedTotals = RecentKeyTable<TotalKey, Range>()
    /// Totals by kind, basis and currency; a nil range is a total whose own range was refused
    /// (already reported): it is there, but there is nothing to compare.
    private var declaredTotals: [(key: TotalKey, range: Range?, line: Int)] = []
    /// The kinds, bases and currencies with a valuation whose range was refused (already
    /// reported): their sums are not known, so their totals are not compared either.
    private var unsummable: Set<TotalKey> = []
    private var sawTotals = false

    mutating func item() {
        itemKind = nil
        itemBases.removeAll(keepingCapacity: true)
    }

    mutating func itemKind(_ kind: String?) { itemKind = kind }

    /// A valuation or total opens: its three figures start empty.
    mutating func openRange() {
        low = nil
        central = nil
        high = nil
    }

    mutating func low(_ text: String, currency: String?) { low = (SemanticUnits.parse(text), currency ?? "") }
    mutating func central(_ text: String, currency: String?) { central = (SemanticUnits.parse(text), currency ?? "") }
    mutating func high(_ text: String, currency: String?) { high = (SemanticUnits.parse(text), currency ?? "") }

    /// An earlier valuation: checked for its range, never counted in the totals.
    func earlierValuation(line: Int, _ report: inout SemanticReport) {
        _ = checkedRange(line: line, what: "earlier valuation", &report)
    }

    mutating func valuation(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        let basis = attributes["basis"] ?? ""
        let isUpperBound = ["true", "1"].contains(attributes["upperBound"] ?? "false")
        guard let range = checkedRange(line: line, what: "valuation", &report) else {
            if !isUpperBound, let kind = itemKind { unsummable.insert(TotalKey(kind: kind, basis: basis, currency: central?.currency ?? "")) }
            return
        }
        guard !isUpperBound else { return }
        if itemBases.contains(basis) {
            report.add(line, "the item has two current valuations on the '\(basis)' basis; keep one (earlier ones belong in its history)")
            return
        }
        itemBases.append(basis)
        guard let kind = itemKind else { return }
        let key = TotalKey(kind: kind, basis: basis, currency: central?.currency ?? "")
        let index = computedTotals.index(of: key, adding: Range())
        computedTotals[index].count += 1
        computedTotals[index].low += range.low
        computedTotals[index].central += range.central
        computedTotals[index].high += range.high
    }

    mutating func openTotals() { sawTotals = true }

    mutating func total(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        let key = TotalKey(kind: attributes["kind"] ?? "", basis: attributes["basis"] ?? "", currency: central?.currency ?? "")
        guard var declared = checkedRange(line: line, what: "total", &report) else {
            declaredTotals.append((key, nil, line))
            return
        }
        declared.count = Int(attributes["items"] ?? "") ?? 0
        declaredTotals.append((key, declared, line))
    }

    /// The totals section closes: each total against the sum it states. A kind the totals leave
    /// out is reported on `caseLine`, the line of the element holding the totals (the case).
    func closeTotals(caseLine: Int, _ report: inout SemanticReport) {
        var seen: Set<TotalKey> = []
        for declared in declaredTotals {
            let key = declared.key
            guard seen.insert(key).inserted else {
                report.add(declared.line, "the \(key.kind) / \(key.basis) / \(key.currency) total appears twice")
                continue
            }
            // A refused range (the total's own, or a valuation it sums) is reported where it is.
            guard let range = declared.range, !unsummable.contains(key) else { continue }
            guard let computed = computedTotals.value(for: key) else {
                report.add(declared.line, "there is a \(key.kind) / \(key.basis) / \(key.currency) total but no item valuation it could add up")
                continue
            }
            if computed.count != range.count || computed.low != range.low || computed.central != range.central || computed.high != range.high {
                let plain = SemanticUnits.plain
                report.add(declared.line, "the \(key.kind) / \(key.basis) total says \(range.count) items, \(plain(range.low)) / \(plain(range.central)) / \(plain(range.high)) \(key.currency), but the items' valuations add up to \(computed.count) items, \(plain(computed.low)) / \(plain(computed.central)) / \(plain(computed.high))")
            }
        }
        for key in computedTotals.keys where !seen.contains(key) && !unsummable.contains(key) {
            report.add(caseLine, "the totals leave out the \(key.kind) / \(key.basis) / \(key.currency) valuations")
        }
    }

    /// At the end of the case: valuations with no totals section at all.
    func finish(_ report: inout SemanticReport) {
        if !sawTotals, let key = computedTotals.keys.first {
            report.add(0, "the case has valuations (e.g. \(key.kind) / \(key.basis)) but no totals section")
        }
    }

    /// The low / central / high of the element just closed, if all three are present and coherent.
    private func checkedRange(line: Int, what: String, _ report: inout SemanticReport) -> Range? {
        guard let low, let central, let high,
              let lowAmount = low.amount, let centralAmount = central.amount, let highAmount = high.amount else { return nil }
        guard low.currency == central.currency, central.currency == high.currency else {
            report.add(line, "the \(what)'s low, central and high are in different currencies (\(low.currency), \(central.currency), \(high.currency))")
            return nil
        }
        guard lowAmount <= centralAmount, centralAmount <= highAmount else {
            let plain = SemanticUnits.plain
            report.add(line, "the \(what) needs low ≤ central ≤ high, not \(plain(lowAmount)) / \(plain(centralAmount)) / \(plain(highAmount))")
            return nil
        }
        return Range(count: 1, low: lowAmount, central: centralAmount, high: highAmount)
    }
}
