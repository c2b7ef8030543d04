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
        let currency = valuer.book.manifest.currency
        let items = seizure.items.filter { item in
            moving.contains(item.id)
                || (CaseStanding.standing(of: item, in: seizure, history: index.events(of: item.id), rules: rules).regime.map { $0 == regime }
                    ?? (rules.defaultRegime(for: item.kind) == regime))
        }
        var total = Decimal(0)
        var conversions: [String] = []
        for item in items {
            let stored = item.valuations.first { !$0.isUpperBound && ($0.basis == .face || $0.basis == .market) && $0.currency == currency }
            if let stored {
                total += stored.central.amount
                if let rate = stored.exchangeRate {
                    conversions.append("\(item.id) at \(DecimalText.plain(rate.rate)) \(rate.to) per \(rate.from) (\(rate.source), \(rate.date))")
                }
                continue
            }
            // Cash needs no table: its face value (converted at the ECB rate) is computed here.
            guard case .cash(let cash) = item.details, let figure = valuer.value(item, on: seizure.seizedAt.date).figures.first else { return (nil, []) }
            total += figure.central.decimal
            if let rate = figure.rate {
                let face = cash.countedAmount.map { Money($0, cash.currency).formatted } ?? "its cash"
                conversions.append("\(item.id) \(face) at \(rate.rate) \(rate.to) per \(rate.from) (\(rate.file), \(rate.date))")
            }
        }
        return (items.isEmpty ? nil : Money(total, currency), conversions)
    }
}
