import Foundation
import HaulCore

/// The factors the valuers read from `factors.csv`.
public enum FactorName: String, CaseIterable, Sendable {
    /// Vehicles, by class: the share of the new price lost in the first year, in proportion to the months.
    case firstYearDepreciation = "first-year-depreciation"
    /// Vehicles, by class: the share of the value lost each later year, a part year in proportion to its months.
    case annualDepreciation = "annual-depreciation"
    /// Watches and vehicles, by condition: the multiplier for the item's condition.
    case condition
    /// Vehicles: the trade (wholesale) value as a multiple of the retail value.
    case trade
    /// Watches (by brand) and vehicles: the multiplier leaving what a sale realises after its costs.
    case realisable
    /// Vehicles: the miles a year allowed for before the mileage lowers the value.
    case expectedMilesPerYear = "expected-miles-per-year"
    /// Vehicles: the share of the value lost for each 1,000 miles over that allowance.
    case mileagePer1000Over = "mileage-per-1000-over"
    /// Jewellery, by metal: the share of the metal content's value a scrap sale realises.
    case scrap
    /// Watches, by brand: the multiplier for a watch with neither box nor papers.
    case setNone = "set-none"
    /// Watches, by brand: the multiplier for a watch with its box or its papers but not both.
    case setPartial = "set-partial"
}

/// A factor's range and origin, without the strings that named it (cheap to copy).
struct CompiledFactor: Sendable {
    let low: FixedDecimal
    let central: FixedDecimal
    let high: FixedDecimal
    let origin: RowOrigin
}

/// A row with the day number it takes effect, so look-ups compare integers.
struct Dated<Row: Sendable>: Sendable {
    let day: Int
    let row: Row
}

extension Array {
    /// The latest entry in force on `day`, for entries sorted by day.
    @inline(__always)
    func latest<Row>(onOrBefore day: Int) -> Row? where Element == Dated<Row> {
        latestIndex(onOrBefore: day).map { self[$0].row }
    }

    /// The index of the latest entry in force on `day`, for reading a large row's fields in place.
    @inline(__always)
    func latestIndex<Row>(onOrBefore day: Int) -> Int? where Element == Dated<Row> {
        // A binary search reading each probe's day in place: `partitioningIndex` handed its
        // closure a copy of each probed entry, row and all.
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].day > day { high = middle } else { low = middle + 1 }
        }
        return low > 0 ? low - 1 : nil
    }
}

/// One layer's rows, indexed for look-ups that cost a hash or two rather than a scan. A class,
/// so that walking the layers does not copy (and retain) every index.
final class CompiledLayer: Sendable {
    let drugs: [Substance: [Dated<DrugPriceRow>]]
    /// brand → reference → rows, keyed in lower case and as each table spells them.
    let watchesByReference: [String: [String: [Dated<WatchPriceRow>]]]
    /// brand → model → rows without a reference (they price a model in general), keyed as above.
    let watchesByModel: [String: [String: [Dated<WatchPriceRow>]]]
    /// make → model → rows, keyed as above.
    let vehicles: [String: [String: [Dated<VehiclePriceRow>]]]
    let metals: [Metal: [Dated<MetalPriceRow>]]
    let crypto: [String: [Dated<CryptoPriceRow>]]
    let sentencing: [Substance: [Dated<SentencingRow>]]
    /// Indexed by kind × factor name, then by key (lower case, or `*`).
    let factors: [[String: [Dated<CompiledFactor>]]]
    /// The `*` rows of each kind × factor name, held apart: a vehicle's value takes four of them,
    /// and an array read costs no hashing.
    let starFactors: [[Dated<CompiledFactor>]?]

    static func factorSlot(_ kind: ItemKind, _ name: FactorName) -> Int {
        kind.ordinal * 10 + name.ordinal
    }

    init(_ tables: TableSet) {
        func dated<Row>(_ rows: [Row], _ origin: (Row) -> RowOrigin) -> [Dated<Row>] {
            rows.map { Dated(day: origin($0).effectiveFrom.dayNumber, row: $0) }.sorted { $0.day < $1.day }
        }
        drugs = Dictionary(grouping: tables.drugs, by: \.substance).mapValues { dated($0, \.origin) }
        /// Rows grouped in lower case, each group also under every spelling the table gives it,
        /// so an item spelled as its table is found at the first hash, without lower-casing.
        func spelledBothWays<Value>(_ groups: [String: Value], spellings: [String]) -> [String: Value] {
            var keyed = groups
            for spelling in spellings where keyed[spelling] == nil { keyed[spelling] = groups[spelling.lowercased()] }
            return keyed
        }
        func nested<Row>(_ rows: [Row], _ outer: (Row) -> String, _ inner: (Row) -> String, _ origin: (Row) -> RowOrigin) -> [String: [String: [Dated<Row>]]] {
            spelledBothWays(Dictionary(grouping: rows, by: { outer($0).lowercased() }).mapValues { group in
                spelledBothWays(Dictionary(grouping: group, by: { inner($0).lowercased() }).mapValues { dated($0, origin) }, spellings: group.map(inner))
            }, spellings: rows.map(outer))
        }
        watchesByReference = nested(tables.watches.filter { !$0.reference.isEmpty }, \.brand, \.reference, \.origin)
        watchesByModel = nested(tables.watches.filter { $0.reference.isEmpty }, \.brand, \.model, \.origin)
        vehicles = nested(tables.vehicles, \.make, \.model, \.origin)
        metals = Dictionary(grouping: tables.metals, by: \.metal).mapValues { dated($0, \.origin) }
        crypto = Dictionary(grouping: tables.crypto, by: \.asset).mapValues { dated($0, \.origin) }
        sentencing = Dictionary(grouping: tables.sentencing, by: \.substance).mapValues { dated($0, \.origin) }
        var factors: [[String: [Dated<CompiledFactor>]]] = Array(repeating: [:], count: 11 * 10)
        for row in tables.factors {
            guard let name = FactorName(rawValue: row.factor) else { continue }
            factors[Self.factorSlot(row.kind, name)][row.key, default: []]
                .append(Dated(day: row.origin.effectiveDay, row: CompiledFactor(low: row.low, central: row.central, high: row.high, origin: row.origin)))
        }
        self.factors = factors.map { $0.mapValues { $0.sorted { $0.day < $1.day } } }
        starFactors = self.factors.map { $0["*"] }
    }
}

extension Dictionary where Key == String {
    /// The value for `key` as written, else for its lower-case form (tables are indexed in lower
    /// case and as they spell each key; most items are spelled as their table, so the common case
    /// hashes once and allocates nothing).
    @inline(__always)
    subscript(caseInsensitive key: String) -> Value? {
        self[key] ?? self[key.lowercased()]
    }
}

extension ItemKind {
    /// A dense index for table slots (a switch: no allocation, no hashing).
    var ordinal: Int {
        switch self {
        case .drug: return 0
        case .cash: return 1
        case .watch: return 2
        case .vehicle: return 3
        case .jewellery: return 4
        case .cryptoasset: return 5
        case .firearm: return 6
        case .ammunition: return 7
        case .phone: return 8
        case .document: return 9
        case .other: return 10
        }
    }
}

extension FactorName {
    var ordinal: Int {
        switch self {
        case .firstYearDepreciation: return 0
        case .annualDepreciation: return 1
        case .condition: return 2
        case .trade: return 3
        case .realisable: return 4
        case .expectedMilesPerYear: return 5
        case .mileagePer1000Over: return 6
        case .scrap: return 7
        case .setNone: return 8
        case .setPartial: return 9
        }
    }
}

/// Layered price tables and reference rates, ready for fast look-ups.
///
/// Layers are searched in order, first wins: a user's overlay (`--tables DIR`) before the
/// shipped defaults. Within the first layer that has rows for an entry in force on the date,
/// the latest row in force wins; a layer's old row still beats a lower layer's newer one,
/// because an agency's own table is deliberate. Nothing here depends on the item being valued,
/// so one book serves any number of valuations.
public struct PriceBook: Sendable {
    /// The table folders, highest priority first: a user's overlay before the shipped defaults.
    public let layers: [TableSet]
    /// The settings of the first layer that has a manifest: the book's currency, staleness limits, default basis and index.
    public let manifest: TableManifest
    // The manifest's numbers, held apart so the hot path reads them without copying strings.
    let currency: Currency
    let stalenessYears: Int
    let cryptoStalenessDays: Int
    let metalStalenessDays: Int
    let compiled: [CompiledLayer]
    /// Each layer's gaps (rows saying why an entry has no price), apart from the layers: a table
    /// set is large, and copying one to read its gaps retained everything it holds.
    let gaps: [[GapRow]]
    /// The layers' names joined, as a message that no table prices an item gives them.
    let tableNames: String
    let rates: CompiledRates
    /// Index rows by month (day number of the 1st), from the first layer that has any.
    let index: [Dated<IndexRow>]

    /// `layers` highest priority first; the manifest is the first one found among them.
    public init(layers: [TableSet], rates: ReferenceRates) throws(HaulCoreError) {
        guard let manifest = layers.compactMap(\.manifest).first else {
            throw HaulCoreError(.inconsistent, "none of the table folders (\(layers.map(\.name).joined(separator: ", "))) has a manifest.csv naming its currency")
        }
        self.layers = layers
        self.manifest = manifest
        currency = manifest.currency
        stalenessYears = manifest.stalenessYears
        cryptoStalenessDays = manifest.cryptoStalenessDays
        metalStalenessDays = manifest.metalStalenessDays
        self.rates = CompiledRates(rates)
        compiled = layers.map(CompiledLayer.init)
        gaps = layers.map(\.gaps)
        tableNames = layers.map(\.name).joined(separator: " + ")
        let indexRows = layers.first { !$0.index.isEmpty }?.index ?? []
        index = indexRows.map { Dated(day: $0.period.dayNumber, row: $0) }.sorted { $0.day < $1.day }
    }

    /// A factor by name for `key` (lower case), falling back to the `*` row, layer by layer.
    func factor(_ kind: ItemKind, _ name: FactorName, key: String, on day: Int) -> CompiledFactor? {
        let slot = CompiledLayer.factorSlot(kind, name)
        if key != "*" {
            for index in compiled.indices {
                if let entries = compiled[index].factors[slot][key], let factor = entries.latest(onOrBefore: day) { return factor }
            }
        }
        for index in compiled.indices {
            if let entries = compiled[index].starFactors[slot], let factor = entries.latest(onOrBefore: day) { return factor }
        }
        return nil
    }

    /// The index value for the month of `day`, or the latest month before it.
    func indexValue(onOrBefore day: Int) -> IndexRow? { index.latest(onOrBefore: day) }

    /// The price index (CPIH) for the month of `date`, or the latest month before it.
    public func indexPoint(onOrBefore date: CalendarDate) -> (period: CalendarDate, value: FixedDecimal)? {
        indexValue(onOrBefore: date.dayNumber).map { ($0.period, $0.value) }
    }
}

/// Reference rates per day. A currency's rates for every day are read from the file lines the
/// first time a figure is converted from or to it, then kept as a column: a full history is
/// 7,000 days of up to 40 currencies, a book converts a handful, and each conversion after the
/// first costs two array reads rather than two parses of a CSV line.
struct CompiledRates: Sendable {
    struct Day: Sendable {
        var dayNumber: Int
        var date: CalendarDate
        var source: String
        var line: Int
        /// The day as a source row, shared by every figure converted with it.
        var origin: RowOrigin
    }

    /// Each currency's per-euro rate by day (index into `days`), zero where the day has none (a
    /// zero stands for "not quoted": the ECB readers refuse a rate that is not positive, and a
    /// zero given by hand is passed over for an earlier day rather than divided by). Filled on
    /// first use, shared by every copy of the book.
    /// (`@unchecked Sendable`: `filled` is only touched under `lock`; NSLock rather than
    /// `Mutex`, which needs macOS 15 and the package supports 13.)
    final class Columns: @unchecked Sendable {
        private let published: [ReferenceRates.Day]
        private let lock = NSLock()
        private var filled: [(currency: Currency, rates: [FixedDecimal])] = []

        init(_ published: [ReferenceRates.Day]) { self.published = published }

        /// The column of `currency`, read from every day the first time it is asked for.
        func rates(of currency: Currency) -> [FixedDecimal] {
            lock.lock()
            defer { lock.unlock() }
            return column(of: currency)
        }

        /// The columns of two currencies under one lock (a conversion needs both); the euro's is
        /// empty, as it is 1 every day.
        func rates(of first: Currency, and second: Currency) -> (first: [FixedDecimal], second: [FixedDecimal]) {
            lock.lock()
            defer { lock.unlock() }
            return (first == .eur ? [] : column(of: first), second == .eur ? [] : column(of: second))
        }

        /// Called with `lock` held.
        private func column(of currency: Currency) -> [FixedDecimal] {
            if let column = filled.first(where: { $0.currency == currency }) { return column.rates }
            let code = currency.code
            let column = published.map { $0.rate(code) ?? .zero }
            filled.append((currency, column))
            return column
        }
    }

    let days: [Day]
    /// The days' numbers alone, for the binary search that finds a date's day (a `Day` is large).
    let dayNumbers: [Int]
    let columns: Columns
    /// The currencies the euro replaced, whose irrevocable rates stand in for a daily one.
    let fixedCurrencies: [Currency]

    init(_ rates: ReferenceRates) {
        days = rates.days.map { day in
            Day(dayNumber: day.date.dayNumber, date: day.date, source: day.source, line: day.line,
                origin: RowOrigin(file: day.source, line: day.line, effectiveFrom: day.date, source: "ECB euro foreign exchange reference rates", confidence: .verified))
        }
        dayNumbers = days.map(\.dayNumber)
        columns = Columns(rates.days)
        fixedCurrencies = IrrevocableEuroRate.rates.keys.compactMap { try? Currency(code: $0) }
    }

    /// 1 `from` = rate `to`, from the last day on or before `dayNumber` with both currencies.
    /// The quote, with the two per-euro rates it divides (`to` over `from`), so an amount can be
    /// converted in one exact step rather than through the rounded quotient.
    func quote(from: Currency, to: Currency, onOrBefore dayNumber: Int) -> (rate: FixedDecimal, day: Day, derived: Bool, ratio: (to: FixedDecimal, from: FixedDecimal))? {
        if let fixed = fixedQuote(from: from, to: to, onOrBefore: dayNumber) { return fixed }
        var index = dayNumbers.partitioningIndex { $0 > dayNumber } - 1
        let fromIsEuro = from == .eur, toIsEuro = to == .eur
        let (fromColumn, toColumn) = columns.rates(of: from, and: to)
        while index >= 0 {
            let fromRate = fromIsEuro ? FixedDecimal(1) : fromColumn[index]
            let toRate = toIsEuro ? FixedDecimal(1) : toColumn[index]
            if !fromRate.isZero && !toRate.isZero {
                return (Valuer.stated(toRate, over: fromRate), days[index], !fromIsEuro, (toRate, fromRate))
            }
            index -= 1
        }
        return nil
    }

    /// A quote where one side (or both) is a currency the euro replaced by then: its irrevocable
    /// rate stands for its euro value; the other side, if neither euro nor fixed, comes from the
    /// day's ECB rates as usual. Nil when neither side has a fixed rate.
    private func fixedQuote(from: Currency, to: Currency, onOrBefore dayNumber: Int) -> (rate: FixedDecimal, day: Day, derived: Bool, ratio: (to: FixedDecimal, from: FixedDecimal))? {
        // Most conversions involve none of them: settled before any string is made for the table.
        guard fixedCurrencies.contains(from) || fixedCurrencies.contains(to), let date = try? CalendarDate(dayNumber: dayNumber) else { return nil }
        let fromFixed = IrrevocableEuroRate.rate(for: from.code, on: date), toFixed = IrrevocableEuroRate.rate(for: to.code, on: date)
        guard fromFixed != nil || toFixed != nil else { return nil }
        let fixedText = [(from, fromFixed), (to, toFixed)].compactMap { currency, rate in
            rate.map { "1 EUR = \(DecimalText.plain($0.perEuro)) \(currency.code) (\($0.source))" }
        }.joined(separator: "; ")
        // Each side's column, taken once for the walk back through the days.
        let fromColumn = fromFixed == nil && from != .eur ? columns.rates(of: from) : []
        let toColumn = toFixed == nil && to != .eur ? columns.rates(of: to) : []
        func perEuro(_ currency: Currency, _ fixed: IrrevocableEuroRate.Rate?, _ dayIndex: Int?) -> FixedDecimal? {
            if currency == .eur { return FixedDecimal(1) }
            if let fixed { return fixed.perEuro }
            guard let dayIndex else { return nil }
            let rate = (currency == from ? fromColumn : toColumn)[dayIndex]
            return rate.isZero ? nil : rate
        }
        let needsDay = (fromFixed == nil && from != .eur) || (toFixed == nil && to != .eur)
        var dayIndex: Int?
        if needsDay {
            var index = dayNumbers.partitioningIndex { $0 > dayNumber } - 1
            while index >= 0, perEuro(from, fromFixed, index) == nil || perEuro(to, toFixed, index) == nil { index -= 1 }
            guard index >= 0 else { return nil }
            dayIndex = index
        }
        let day = dayIndex.map { days[$0] }
        guard let fromRate = perEuro(from, fromFixed, dayIndex), let toRate = perEuro(to, toFixed, dayIndex) else { return nil }
        let effective = day?.date ?? (fromFixed ?? toFixed)!.from
        let source = day.map { "\($0.source), with the irrevocable rate \(fixedText)" } ?? "irrevocable rate \(fixedText)"
        let origin = RowOrigin(file: day?.source ?? "irrevocable euro conversion rates", line: day?.line ?? 0, effectiveFrom: effective,
                               source: source, confidence: .verified)
        // A fixed rate holds on the valuation day itself, so it is never "distant".
        let quoted = Day(dayNumber: day?.dayNumber ?? dayNumber, date: day?.date ?? date, source: day?.source ?? "irrevocable euro conversion rates",
                         line: day?.line ?? 0, origin: origin)
        return (Valuer.stated(toRate, over: fromRate), quoted, from != .eur && to != .eur, (toRate, fromRate))
    }
}
