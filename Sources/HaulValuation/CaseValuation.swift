import Foundation
import HaulCore

/// Values every item of a case and writes the figures into it.
///
/// ```swift
/// let result = CaseValuer(valuer: valuer).value(operation, on: nil)   // each item on its seizure date
/// result.valued.totals()
/// ```
public struct CaseValuer: Sendable {
    /// The valuer each item is priced with: its price book and options.
    public let valuer: Valuer

    /// A case valuer that prices every item with `valuer`.
    ///
    /// - Parameter valuer: The valuer to price items with.
    public init(valuer: Valuer) { self.valuer = valuer }

    /// What valuing a case gave: the case holding the new figures, and each item's valuation.
    public struct Result: Sendable {
        /// The case with every item's valuations replaced by the new figures.
        public var valued: Case
        /// One entry per item valued, in case order.
        public var items: [ItemValuation]
    }

    /// Values each item on `date`, or on its seizure date when `date` is nil; keeps only
    /// figures on `bases` when given. With `trail`, valuations that change are kept in each
    /// item's `earlierValuations` with that day and reason; without it they are replaced.
    public func value(_ operation: Case, on date: CalendarDate?, bases: Set<ValuationBasis>? = nil,
                      trail: (day: CalendarDate, reason: String)? = nil, only items: Set<Identifier>? = nil) -> Result {
        var valued = operation
        var results: [ItemValuation] = []
        for seizureIndex in valued.seizures.indices {
            let seizure = valued.seizures[seizureIndex]
            let day = date ?? seizure.seizedAt.date
            for itemIndex in seizure.items.indices {
                if let items, !items.contains(seizure.items[itemIndex].id) { continue }
                // A sold item is worth what it fetched; estimates no longer apply to it.
                if seizure.items[itemIndex].valuations.contains(where: { $0.basis == .realised }) { continue }
                var result = valuer.value(seizure.items[itemIndex], on: day)
                if let bases { result.figures = result.figures.filter { bases.contains($0.basis) } }
                if let trail {
                    valued.seizures[seizureIndex].items[itemIndex].revalue(with: result.valuations(), on: trail.day, reason: trail.reason)
                } else {
                    valued.seizures[seizureIndex].items[itemIndex].valuations = result.valuations()
                }
                results.append(result)
            }
        }
        return Result(valued: valued, items: results)
    }
}
