import Foundation
import HaulCore

/// Layered price tables and reference rates, ready for fast look-ups.
///
/// Layers are searched in order, first wins: a user's overlay (`--tables DIR`) before the
/// shipped defaults. Within the first layer that has rows for an entry in force on the date,
/// the latest row in force wins; a layer's old row still beats a lower layer's newer one,
/// because an agency's own table is deliberate. Nothing here depends on the item being valued,
/// so one book serves any number of valuations.
public struct PriceBook: Sendable {
    public let layers: [TableSet]
    public let manifest: TableManifest
    let rates: CompiledRates
    /// Index rows by month (day number of the 1st), from the first layer that has any.
    let index: [Int: IndexRow]
    let indexMonths: [Int]
    /// Watch rows by lower-cased reference and by lower-cased "brand|model", per layer.
    let watchesByReference: [[String: [WatchPriceRow]]]
    let watchesByModel: [[String: [WatchPriceRow]]]

    /// `layers` highest priority first; the manifest is the first one found among them.
    public init(layers: [TableSet], rates: ReferenceRates) throws(HaulCoreError) {
        guard let manifest = layers.compactMap(\.manifest).first else {
            throw HaulCoreError(.inconsistent, "none of the table folders (\(layers.map(\.name).joined(separator: ", "))) has a manifest.csv naming its currency")
        }
        self.layers = layers
        self.manifest = manifest
        self.rates = CompiledRates(rates)
        let indexRows = layers.first { !$0.index.isEmpty }?.index ?? []
        index = Dictionary(indexRows.map { ($0.period.dayNumber, $0) }, uniquingKeysWith: { first, _ in first })
        indexMonths = index.keys.sorted()
        watchesByReference = layers.map { Dictionary(grouping: $0.watches.filter { !$0.reference.isEmpty }, by: { $0.reference.lowercased() }) }
        watchesByModel = layers.map { Dictionary(grouping: $0.watches, by: { $0.brand.lowercased() + "|" + $0.model.lowercased() }) }
    }

    /// The latest row in force on `day` among `rows` that match, searching layers in order.
    @inline(__always)
    func latest<Row>(_ table: (TableSet) -> [Row], on day: Int, origin: (Row) -> RowOrigin, where matches: (Row) -> Bool) -> Row? {
        for layer in layers {
            var best: Row?
            var bestDay = Int.min
            for row in table(layer) where matches(row) {
                let rowDay = origin(row).effectiveFrom.dayNumber
                if rowDay <= day && rowDay > bestDay {
                    best = row
                    bestDay = rowDay
                }
            }
            if let best { return best }
        }
        return nil
    }

    /// A factor of `kind` by name for `key`, falling back to the `*` row.
    func factor(_ kind: ItemKind, _ name: String, key: String, on day: Int) -> FactorRow? {
        latest(\.factors, on: day, origin: \.origin) { $0.kind == kind && $0.factor == name && $0.key == key }
            ?? latest(\.factors, on: day, origin: \.origin) { $0.kind == kind && $0.factor == name && $0.key == "*" }
    }

    /// The index value for the month of `day`, or the latest month before it.
    func indexValue(onOrBefore day: Int) -> IndexRow? {
        let position = indexMonths.partitioningIndex { $0 > day } - 1
        return position >= 0 ? index[indexMonths[position]] : nil
    }
}

/// Reference rates as `Fixed`, per day, for conversion without `Decimal` arithmetic.
struct CompiledRates: Sendable {
    struct Day: Sendable {
        var dayNumber: Int
        var date: CalendarDate
        var rates: [String: Fixed]
        var source: String
        var line: Int
    }

    let days: [Day]

    init(_ rates: ReferenceRates) {
        days = rates.days.map { day in
            Day(dayNumber: day.date.dayNumber, date: day.date, rates: day.rates.mapValues { Fixed($0) }, source: day.source, line: day.line)
        }
    }

    /// 1 `from` = rate `to`, from the last day on or before `dayNumber` with both currencies.
    func quote(from: Currency, to: Currency, onOrBefore dayNumber: Int) -> (rate: Fixed, day: Day, derived: Bool)? {
        var index = days.partitioningIndex { $0.dayNumber > dayNumber } - 1
        while index >= 0 {
            let day = days[index]
            let fromRate = from.code == "EUR" ? Fixed(1) : day.rates[from.code]
            let toRate = to.code == "EUR" ? Fixed(1) : day.rates[to.code]
            if let fromRate, let toRate {
                return (toRate / fromRate, day, from.code != "EUR")
            }
            index -= 1
        }
        return nil
    }
}

