import Foundation
import HaulCore
import HaulProceedings
import HaulValuation

enum Thresholds {
    /// The value across the seizure that a minimum (£1,000 for cash and listed assets) is judged
    /// on: the face value (cash) or central market value (other items) of the seizure's items
    /// under the same regime, in the tables' currency. Nil when an item has no such figure yet.
    static func seizureValue(_ operation: Case, seizure: Seizure, regime: String, rules: RuleBook, book: PriceBook) -> Money? {
        let items = seizure.items.filter { item in
            CaseStanding.standing(of: item, in: seizure, events: operation.history, rules: rules).regime.map { $0 == regime } ?? (rules.defaultRegime(for: item.kind) == regime)
        }
        let valuer = Valuer(book: book)
        var total = Decimal(0)
        for item in items {
            let stored = item.valuations.first { !$0.isUpperBound && ($0.basis == .face || $0.basis == .market) && $0.currency == book.manifest.currency }
            if let stored { total += stored.central.amount; continue }
            // Cash needs no table: its face value (converted at the ECB rate) is computed here.
            guard case .cash = item.details, let figure = valuer.value(item, on: seizure.seizedAt.date).figures.first else { return nil }
            total += figure.central.decimal
        }
        return items.isEmpty ? nil : Money(total, book.manifest.currency)
    }
}
