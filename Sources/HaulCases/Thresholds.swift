import Foundation
import HaulCore
import HaulProceedings
import HaulValuation

/// The value across a seizure that a statutory minimum is judged on.
public enum Thresholds {
    /// The value across the seizure that a minimum (£1,000 for cash and listed assets) is judged
    /// on — the face value (cash) or central market value (other items) of the seizure's items
    /// under the same regime — from each item's figures (`ItemFigures` in HaulCore), visited one by one
    /// from `figures` (a register reads them without decoding the items), with each conversion it
    /// rests on in words ("I-013 1100.00 EUR at 0.85 GBP per EUR, ECB 2020-06-01") for a refusal
    /// to name. Nil when an item counted has no figure and the minimum is not met without it.
    ///
    /// With `enough`, the visit stops as soon as the items seen are worth that much: the values
    /// are never negative, so the seizure meets a minimum once part of it does, whatever the rest
    /// (even items not valued yet). The value returned is then that part, at least `enough`.
    ///
    /// - Parameters:
    ///   - figures: visits each item's figures until the visitor returns false.
    ///   - seizedAt: when the seizure was made: cash is converted at the rate of that day.
    ///   - regime: the regime whose items count.
    ///   - moving: items about to make their first move under `regime` (named with `--regime`),
    ///     which count under it though their default regime is another.
    ///   - enough: the minimum, when the visit may stop once it is met.
    ///   - index: the case's status moves, indexed, for each item's regime.
    ///   - rules: the jurisdiction's rule packs.
    ///   - valuer: asked for only when needed — for cash with no figure recorded in the
    ///     minimum's currency, or for the book's currency when there is no minimum — so a move
    ///     over recorded figures loads no price tables.
    /// - Returns: The value (nil when an item counted has no figure and the minimum is not met
    ///   without it) and the conversions it rests on, in words.
    /// - Throws: When the valuer cannot be made or an item's figures cannot be read.
    public static func judged(figures: ((ItemFigures) -> Bool) throws -> Void, seizedAt: ZonedDateTime, regime: String,
                              moving: Set<Identifier> = [], enough: Money? = nil, index: CaseStanding.EventIndex, rules: RuleBook,
                              valuer: @escaping () throws -> Valuer) throws -> (value: Money?, conversions: [String]) {
        // The minimum is stated in a currency (pounds for POCA); figures are counted in it.
        let currency = try enough?.currency ?? valuer().book.manifest.currency
        // Most items of a large seizure were never moved: their regime is their kind's, worked out once per kind.
        var regimeOfKind: [ItemKind: String?] = [:]
        func counts(_ item: ItemFigures) -> Bool {
            if moving.contains(item.id) { return true }
            let history = index.events(of: item.id)
            guard history.isEmpty else { return CaseStanding.regime(of: item.kind, history: history, rules: rules) == regime }
            if regimeOfKind[item.kind] == nil { regimeOfKind[item.kind] = .some(CaseStanding.regime(of: item.kind, history: [], rules: rules)) }
            return regimeOfKind[item.kind]! == regime
        }
        var total = FixedDecimal(0)
        var conversions: [String] = []
        var counted = 0
        var unvalued = false
        var failure: (any Error)?
        try figures { item in
            guard failure == nil else { return false }
            guard counts(item) else { return true }
            counted += 1
            if let stored = item.recorded(in: currency) {
                total += stored.central.amount
                if let conversion = stored.conversion { conversions.append("\(item.id) \(conversion)") }
            } else if let face = item.cash, face.currency == currency {
                // Cash in the minimum's own currency is worth its face: no price book, no rate.
                total += face.amount
            } else if let face = item.cash, let cash = try? CashItem(currency: face.currency, countedAmount: face.amount),
                      let figure = { () -> Figure? in
                          do {
                              // Only a figure in the minimum's currency counts (the valuer converts into its book's).
                              return try valuer().value(Item(id: item.id, exhibit: item.id, description: nil, details: .cash(cash)), on: seizedAt.date)
                                  .figures.first { $0.currency == currency }
                          } catch {
                              failure = error
                              return nil
                          }
                      }() {
                // Cash needs no table: its face value (converted at the ECB rate) is computed here.
                total += figure.central
                if let rate = figure.rate {
                    conversions.append("\(item.id) \(face.formatted) at \(rate.rate) \(rate.to) per \(rate.from) (\(rate.file), \(rate.date))")
                }
            } else {
                unvalued = true
            }
            if let enough, enough.currency == currency, total >= enough.amount { return false }
            return true
        }
        if let failure { throw failure }
        if let enough, enough.currency == currency, total >= enough.amount { return (Money(total, currency), conversions) }
        return (counted == 0 || unvalued ? nil : Money(total, currency), unvalued ? [] : conversions)
    }
}
