import Foundation
import HaulCore
import HaulProceedings
import HaulValuation

/// The value across a seizure that a statutory minimum is judged on.
public enum Thresholds {
    /// The value across the seizure that a minimum (£1,000 for cash and listed assets) is judged
    /// on: the face value (cash) or central market value (other items) of the seizure's items
    /// under the same regime, in the tables' currency. Nil when an item has no such figure yet.
    ///
    /// - Parameter index: the case's events in force, built once per command.
    public static func seizureValue(seizure: Seizure, regime: String, index: CaseStanding.EventIndex, rules: RuleBook, valuer: Valuer) -> Money? {
        judged(seizure: seizure, regime: regime, index: index, rules: rules, valuer: valuer).value
    }

    /// The value across the seizure, with each conversion it rests on in words ("I-013 1100.00 EUR
    /// at 0.85 GBP per EUR, ECB 2020-06-01"), for a refusal to name.
    /// - Parameter moving: items about to make their first move under `regime` (named with
    ///   `--regime`), which count under it though their default regime is another.
    public static func judged(seizure: Seizure, regime: String, moving: Set<Identifier> = [], index: CaseStanding.EventIndex, rules: RuleBook,
                              valuer: Valuer) -> (value: Money?, conversions: [String]) {
        judged(figures: { visit in for item in seizure.items { guard visit(ItemFigures(item)) else { return } } },
               seizedAt: seizure.seizedAt, regime: regime, moving: moving, index: index, rules: rules, valuer: valuer)
    }

    /// The same from each item's figures (``ItemFigures``), visited one by one from `figures`
    /// (a register reads them without decoding the items).
    ///
    /// With `enough`, the visit stops as soon as the items seen are worth that much: the values
    /// are never negative, so the seizure meets a minimum once part of it does, whatever the rest
    /// (even items not valued yet). The value returned is then that part, at least `enough`.
    /// - Parameter seizedAt: when the seizure was made: cash is converted at the rate of that day.
    public static func judged(figures: ((ItemFigures) -> Bool) throws -> Void, seizedAt: ZonedDateTime, regime: String,
                              moving: Set<Identifier> = [], enough: Money? = nil, index: CaseStanding.EventIndex, rules: RuleBook,
                              valuer: Valuer) rethrows -> (value: Money?, conversions: [String]) {
        let currency = valuer.book.manifest.currency
        // Most items of a large seizure were never moved: their regime is their kind's, worked out once per kind.
        var regimeOfKind: [ItemKind: String?] = [:]
        func counts(_ item: ItemFigures) -> Bool {
            if moving.contains(item.id) { return true }
            let history = index.events(of: item.id)
            guard history.isEmpty else { return CaseStanding.regime(of: item.kind, history: history, rules: rules) == regime }
            if regimeOfKind[item.kind] == nil { regimeOfKind[item.kind] = .some(CaseStanding.regime(of: item.kind, history: [], rules: rules)) }
            return regimeOfKind[item.kind]! == regime
        }
        var total = Decimal(0)
        var conversions: [String] = []
        var counted = 0
        var unvalued = false
        try figures { item in
            guard counts(item) else { return true }
            counted += 1
            if let stored = item.recorded(in: currency) {
                total += stored.central.amount
                if let conversion = stored.conversion { conversions.append("\(item.id) \(conversion)") }
            } else if let face = item.cash, let cash = try? CashItem(currency: face.currency, countedAmount: face.amount),
                      let figure = valuer.value(Item(id: item.id, exhibit: item.id, description: nil, details: .cash(cash)), on: seizedAt.date).figures.first {
                // Cash needs no table: its face value (converted at the ECB rate) is computed here.
                total += figure.central.decimal
                if let rate = figure.rate {
                    conversions.append("\(item.id) \(face.formatted) at \(rate.rate) \(rate.to) per \(rate.from) (\(rate.file), \(rate.date))")
                }
            } else {
                unvalued = true
            }
            if let enough, enough.currency == currency, total >= enough.amount { return false }
            return true
        }
        if let enough, enough.currency == currency, total >= enough.amount { return (Money(total, currency), conversions) }
        return (counted == 0 || unvalued ? nil : Money(total, currency), unvalued ? [] : conversions)
    }
}
