import Foundation
import HaulCore

/// Options that change how figures are reached.
public struct ValuationOptions: Sendable {
    /// Bring drug and watch prices older than the valuation month forward with the price index
    /// (labelled "index-adjusted from YEAR"). Off by default: an uplift is a judgement.
    public var indexAdjust: Bool
    /// Warn when the exchange rate used is more than this many days older than the valuation date.
    public var rateDistanceWarningDays: Int

    /// Options for a valuer; the defaults leave prices unindexed and warn of a rate more than 7 days old.
    ///
    /// - Parameters:
    ///   - indexAdjust: Whether to bring old drug and watch prices forward with the price index.
    ///   - rateDistanceWarningDays: How many days older than the valuation date an exchange rate may be before a warning.
    public init(indexAdjust: Bool = false, rateDistanceWarningDays: Int = 7) {
        self.indexAdjust = indexAdjust
        self.rateDistanceWarningDays = rateDistanceWarningDays
    }
}

/// Values items from a ``PriceBook``: one method per asset kind, each returning figures on
/// named bases with the rows, rates and index they used.
///
/// ```swift
/// let valuer = Valuer(book: book)
/// let result = valuer.value(item, on: try CalendarDate(parsing: "2020-06-18"))
/// result.figures.first?.central   // a FixedDecimal, exact to 10⁻¹⁸
/// ```
public struct Valuer: Sendable {
    /// The layered price tables and reference rates items are priced from.
    public let book: PriceBook
    /// The options that change how figures are reached (index adjustment, rate-age warning).
    public var options: ValuationOptions

    /// A valuer pricing from `book`.
    ///
    /// - Parameters:
    ///   - book: The price tables and rates to price from.
    ///   - options: How figures are reached; by default unindexed, warning of a rate more than 7 days old.
    public init(book: PriceBook, options: ValuationOptions = ValuationOptions()) {
        self.book = book
        self.options = options
    }

    /// The places a derived exchange rate (two per-euro rates divided) and a price-index factor
    /// are stated to, in a figure's working and the case file: nine, within the schema's twelve
    /// for a rate, and more than the six significant digits the ECB publishes.
    static let statedQuotientPlaces = 9

    /// `numerator ÷ denominator` stated to ``statedQuotientPlaces``: a derived rate or an index factor.
    static func stated(_ numerator: FixedDecimal, over denominator: FixedDecimal) -> FixedDecimal {
        (numerator / denominator).rounded(places: statedQuotientPlaces)
    }

    static let troyOunceGrams = MassUnit.troyOunce.grams
    /// Kilometres in a statute mile, exactly (international mile, 1,609.344 m).
    static let kilometresPerMile = FixedDecimal(units: 1_609_344, places: 6)
    static let hundred = FixedDecimal(100)

    /// Values one item on `date`. Never throws: what cannot be priced says why in `notValued`.
    public func value(_ item: Item, on date: CalendarDate) -> ItemValuation {
        let day = date.dayNumber
        var sentencing: SentencingCategory?
        var notValued: NotValuedReason?
        // The figures first and the result built once at the end: a result filled in inside the
        // `do` was copied, with all it held, for the `catch`.
        let figures: [Figure]
        do {
            switch item.details {
            case .drug(let drug):
                sentencing = sentencingCategory(drug, day: day)
                figures = try valueDrug(drug, date: date, day: day)
            case .cash(let cash):
                figures = try valueCash(cash, date: date, day: day)
            case .watch(let watch):
                figures = try valueWatch(watch, date: date, day: day)
            case .vehicle(let vehicle):
                figures = try valueVehicle(vehicle, date: date, day: day)
            case .jewellery(let jewellery):
                figures = try valueJewellery(jewellery, date: date, day: day)
            case .cryptoasset(let crypto):
                figures = try valueCrypto(crypto, date: date, day: day)
            case .nonValued(let kind):
                figures = []
                notValued = .notValuedKind(kind)
            }
        } catch {
            figures = []
            notValued = .noPrice(error.message)
        }
        return ItemValuation(itemID: item.id, kind: item.kind, valuedOn: date, figures: figures, notValued: notValued, sentencing: sentencing)
    }

    struct NoPrice: Error { var message: String }

    private var tableNames: String { book.tableNames }

    /// "; why: …" when the first layer saying anything about the entry says why it has no price.
    private func gapReason(_ kind: ItemKind, _ entry: String, day: Int) -> String {
        for gaps in book.gaps {
            // The latest gap in force, found in one pass (an unpriced item is common: no list is built).
            var latest: Int?
            for index in gaps.indices where gaps[index].kind == kind && gaps[index].origin.effectiveDay <= day && gaps[index].entry == entry {
                // Strictly later, as `max(by:)` keeps the first of equals.
                if latest.map({ gaps[index].origin.effectiveDay > gaps[$0].origin.effectiveDay }) ?? true { latest = index }
            }
            guard let latest else { continue }
            let gap = gaps[latest]
            return ": \(gap.reason) (\(gap.origin.shortCitation), [\(gap.origin.confidence.mark)] \(gap.origin.source))"
        }
        return ""
    }

    // MARK: Figures, conversion and warnings

    /// Builds a figure: converts to the book's currency, adds row warnings, applies the index.
    private func figure(_ basis: ValuationBasis, low: FixedDecimal, central: FixedDecimal, high: FixedDecimal, currency: Currency, rows: [RowOrigin],
                        date: CalendarDate, day: Int, upperBound: Bool = false, indexable: Bool = false,
                        staleAfterDays: Int? = nil, warnings extra: [FigureWarning] = [],
                        newer: (RowOrigin) -> String? = { _ in nil }) throws(NoPrice) -> Figure {
        // (`newer` is not optional so that it is not escaping: an escaping closure was a heap
        // context holding a copy of the valuer, a retain for each table it holds, on every drug.)
        var figure = Figure(basis: basis, low: low, central: central, high: high, currency: currency, isUpperBound: upperBound,
                            sources: rows, rate: nil, indexUse: nil, warnings: extra)
        let limit: StaleLimit = staleAfterDays.map { .days($0) } ?? .years(book.stalenessYears)
        var unverified = false, illustrative = false
        for index in rows.indices {
            // Factors (condition, depreciation, auction costs) are not prices and do not go stale.
            if rows[index].isPrice && isStale(rows[index], on: date, day: day, days: staleAfterDays) {
                figure.warnings.append(.stale(row: rows[index].effectiveFrom, limit: limit, valuedOn: date, newer: newer(rows[index])))
            }
            unverified = unverified || rows[index].confidence == .unverified
            illustrative = illustrative || rows[index].confidence == .illustrative
        }
        if unverified { figure.warnings.append(.unverified) }
        if illustrative { figure.warnings.append(.illustrative) }
        // The index measures prices in the tables' own currency (CPIH: pounds); a row priced in
        // another currency is converted at its date's rate instead, never indexed.
        if indexable && options.indexAdjust && currency == book.currency, let row = rows.first { try applyIndex(&figure, from: row.effectiveFrom, day: day) }
        if currency != book.currency { try convert(&figure, to: book.currency, date: date, day: day) }
        // A case file holds sums below 10¹⁵ (the schema's Amount): a larger figure comes from a
        // mistaken quantity or rate, and is refused here rather than recorded and never exportable.
        if figure.high > SchemaBounds.amount.maximum || figure.low < .zero {
            throw NoPrice(message: "the \(basis.rawValue) figure comes to \(figure.high.isAtCeiling ? "more than 10^20" : "\(figure.high)") \(figure.currency), beyond the 999,999,999,999,999.9999 a case file can hold; check the quantity and the rates")
        }
        return figure
    }


    /// Older than `days` when given (market prices that move daily), else than the table's years.
    /// (A row from 29 February is stale from 1 March of its last year.)
    @inline(__always)
    private func isStale(_ row: RowOrigin, on date: CalendarDate, day: Int, days: Int?) -> Bool {
        if let days { return day - row.effectiveDay > days }
        let from = row.effectiveFrom
        return (date.year, date.month, date.day) > (from.year + book.stalenessYears, from.month, from.day)
    }

    private func convert(_ figure: inout Figure, to target: Currency, date: CalendarDate, day: Int) throws(NoPrice) {
        guard let quote = book.rates.quote(from: figure.currency, to: target, onOrBefore: day) else {
            throw NoPrice(message: "no exchange rate from \(figure.currency) to \(target) on or before \(date); import ECB rates with `haul rates import`")
        }
        // amount × to-rate ÷ from-rate in one step (Council Regulation 1103/97 art. 4: a sum in a
        // replaced currency is divided by its conversion rate, never multiplied by a rounded inverse).
        figure.low = figure.low.scaled(by: quote.ratio.to, over: quote.ratio.from)
        figure.central = figure.central.scaled(by: quote.ratio.to, over: quote.ratio.from)
        figure.high = figure.high.scaled(by: quote.ratio.to, over: quote.ratio.from)
        figure.rate = RateUse(from: figure.currency, to: target, rate: quote.rate, date: quote.day.date, isDerived: quote.derived,
                              file: quote.day.source, line: quote.day.line)
        figure.currency = target
        figure.sources.append(quote.day.origin)
        let distance = day - quote.day.dayNumber
        if distance > options.rateDistanceWarningDays { figure.warnings.append(.rateDistant(rateDate: quote.day.date, days: distance)) }
    }

    private func applyIndex(_ figure: inout Figure, from rowDate: CalendarDate, day: Int) throws(NoPrice) {
        guard let indexName = book.manifest.index, let to = book.indexValue(onOrBefore: day),
              let from = book.indexValue(onOrBefore: rowDate.dayNumber), from.period < to.period else { return }
        let factor = Self.stated(to.value, over: from.value)
        figure.low = figure.low * factor
        figure.central = figure.central * factor
        figure.high = figure.high * factor
        figure.indexUse = IndexUse(index: indexName, from: from, to: to, factor: factor)
        figure.sources += [from.origin, to.origin]
        figure.warnings.append(.indexAdjusted(fromYear: rowDate.year, factor: factor))
    }

    /// Range arithmetic: each bound times the same bound of a factor.
    private func times(_ range: (FixedDecimal, FixedDecimal, FixedDecimal), _ factor: CompiledFactor?) -> (FixedDecimal, FixedDecimal, FixedDecimal) {
        guard let factor else { return range }
        return (range.0 * factor.low, range.1 * factor.central, range.2 * factor.high)
    }

    // MARK: Drugs

    private func quantity(of drug: DrugItem) -> (amount: FixedDecimal, countUnit: QuantityUnit?) {
        switch drug.quantity {
        case .mass(let mass): return (mass.value * mass.unit.grams, nil)
        case .count(let count): return (FixedDecimal(count.count), QuantityUnit(rawValue: count.unit.rawValue))
        }
    }

    /// A row's threshold in the item's terms (grams, or a count), if the row applies to it; from
    /// the row's two fields, read in place (passing the row copied it).
    @inline(__always)
    private func threshold(from quantity: FixedDecimal, in unit: QuantityUnit, countUnit: QuantityUnit?) -> FixedDecimal? {
        if let countUnit { return unit == countUnit ? quantity : nil }
        guard let grams = unit.grams else { return nil }
        return quantity * grams
    }

    /// The ladder row for a quantity: the highest threshold it reaches, latest in force.
    private func ladderRow(_ drug: DrugItem, amount: FixedDecimal, countUnit: QuantityUnit?, day: Int, basis: ValuationBasis? = nil, lowest: Bool = false) -> DrugPriceRow? {
        for layer in book.compiled {
            guard let entries = layer.drugs[drug.substance] else { continue }
            // The best entry's index, not a copy of its row: rows are large and hold a reference.
            var best: Int?
            var bestThreshold = FixedDecimal.zero
            for index in entries.indices where entries[index].day <= day {
                guard basis == nil || entries[index].row.basis == basis, let limit = threshold(from: entries[index].row.fromQuantity, in: entries[index].row.quantityUnit, countUnit: countUnit),
                      lowest || limit <= amount else { continue }
                // Entries are sorted by day, so on equal thresholds a later one is the newer row.
                if best == nil || limit == bestThreshold || (lowest ? limit < bestThreshold : limit > bestThreshold) {
                    best = index
                    bestThreshold = limit
                }
            }
            if let best { return entries[best].row }
        }
        return nil
    }

    /// The ladder row just above a quantity: the smallest threshold above it, latest in force, in
    /// the first table that prices the drug in the item's terms at all.
    private func nextLadderRow(_ drug: DrugItem, above amount: FixedDecimal, countUnit: QuantityUnit?, day: Int) -> (row: DrugPriceRow, threshold: FixedDecimal)? {
        for layer in book.compiled {
            guard let entries = layer.drugs[drug.substance] else { continue }
            var best: (index: Int, threshold: FixedDecimal)?
            var applies = false
            for index in entries.indices where entries[index].day <= day {
                guard let limit = threshold(from: entries[index].row.fromQuantity, in: entries[index].row.quantityUnit, countUnit: countUnit) else { continue }
                applies = true
                // Entries are sorted by day: on equal thresholds a later one is the newer row.
                if limit > amount, best == nil || limit <= best!.threshold { best = (index, limit) }
            }
            if applies { return best.map { (entries[$0.index].row, $0.threshold) } }
        }
        return nil
    }

    /// A ladder row's range for `amount` (grams, or units) of the drug, at the tested purity when
    /// there is one (else at the row's own reference purity).
    private func priced(_ row: DrugPriceRow, amount: FixedDecimal, countUnit: QuantityUnit?, measured: FixedDecimal?) -> (FixedDecimal, FixedDecimal, FixedDecimal) {
        var priced = (row.price.low, row.price.central, row.price.high)
        if let grams = row.priceUnit.grams {
            priced = (amount.scaled(by: priced.0, over: grams), amount.scaled(by: priced.1, over: grams), amount.scaled(by: priced.2, over: grams))
        } else {
            priced = (amount * priced.0, amount * priced.1, amount * priced.2)
        }
        if countUnit == nil, let reference = row.referencePurity, reference > .zero, let purity = measured {
            priced = (priced.0.scaled(by: purity, over: reference), priced.1.scaled(by: purity, over: reference), priced.2.scaled(by: purity, over: reference))
        }
        return priced
    }

    private func valueDrug(_ drug: DrugItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let (amount, countUnit) = quantity(of: drug)
        guard let row = ladderRow(drug, amount: amount, countUnit: countUnit, day: day) else {
            let what = countUnit.map { "\($0.rawValue)s of \(drug.substance.rawValue)" } ?? drug.substance.rawValue
            throw NoPrice(message: "no price for \(what) on \(date) in \(tableNames)" + gapReason(.drug, drug.substance.rawValue, day: day))
        }
        let measured = drug.purity.flatMap { $0.method == .assumed ? nil : $0.percent }
        let range = priced(row, amount: amount, countUnit: countUnit, measured: measured)
        var warnings: [FigureWarning] = [.nilInAvailableAmount]
        if row.basis == .street, countUnit == nil, amount >= FixedDecimal(1000) { warnings.append(.streetPriceForBulk(grams: amount)) }
        if countUnit == nil, measured == nil, let reference = row.referencePurity, reference > .zero {
            warnings.append(.assumedPurity(percent: drug.purity.map(\.percent) ?? reference))
        }
        var main = try figure(row.basis, low: range.0, central: range.1, high: range.2, currency: row.price.currency,
                              rows: [row.origin], date: date, day: day, indexable: true, warnings: warnings,
                              newer: { stale in newerDrugRow(drug.substance, than: stale, day: day) })
        // Between two levels, no more than the next level is worth at its threshold (999 g of
        // cocaine at street prices would otherwise be worth more than 1 kg at wholesale).
        if let next = nextLadderRow(drug, above: amount, countUnit: countUnit, day: day) {
            let capRange = priced(next.row, amount: next.threshold, countUnit: countUnit, measured: measured)
            if let cap = try? figure(next.row.basis, low: capRange.0, central: capRange.1, high: capRange.2, currency: next.row.price.currency,
                                     rows: [next.row.origin], date: date, day: day, indexable: true),
               cap.currency == main.currency, cap.low < main.low || cap.central < main.central || cap.high < main.high {
                main.low = FixedDecimal.min(main.low, cap.low)
                main.central = FixedDecimal.min(main.central, cap.central)
                main.high = FixedDecimal.min(main.high, cap.high)
                main.sources += cap.sources.filter { !main.sources.contains($0) }
                main.warnings.append(.ladderCapped(threshold: next.threshold,
                                                   unit: countUnit?.rawValue ?? "g", basis: next.row.basis))
            }
        }
        var figures: [Figure] = []
        figures.reserveCapacity(2)
        figures.append(main)

        // The "re-cut to street purity" figure, only as a labelled upper bound.
        if row.basis != .street, countUnit == nil,
           let street = ladderRow(drug, amount: amount, countUnit: nil, day: day, basis: .street, lowest: true),
           let streetPurity = street.referencePurity, streetPurity > .zero, let streetGrams = street.priceUnit.grams,
           let purity = measured ?? drug.purity.map(\.percent) ?? row.referencePurity {
            // pure grams × (street price per gram ÷ street purity)
            let recut = { (price: FixedDecimal) in amount.scaled(by: price, over: streetGrams).scaled(by: purity, over: streetPurity) }
            var rows = [street.origin]
            if measured == nil { rows.append(row.origin) }
            figures.append(try figure(.street, low: recut(street.price.low), central: recut(street.price.central), high: recut(street.price.high),
                                      currency: street.price.currency, rows: rows, date: date, day: day, upperBound: true, indexable: true))
        }
        return figures
    }

    /// What the newest row of the same drug at another level or ladder step says, when it is
    /// newer than the stale row a figure used: "street from 2018-07-01, £30–£120 a g (drugs.csv:7)".
    private func newerDrugRow(_ substance: Substance, than stale: RowOrigin, day: Int) -> String? {
        var newest: DrugPriceRow?
        for layer in book.compiled {
            for entry in layer.drugs[substance] ?? [] where entry.day <= day && entry.row.origin.effectiveDay > stale.effectiveDay {
                if newest == nil || entry.row.origin.effectiveDay > newest!.origin.effectiveDay { newest = entry.row }
            }
        }
        guard let newest else { return nil }
        let price = newest.price
        let money = { (value: FixedDecimal) in DecimalText.plain(value) }
        let range = price.low == price.high ? money(price.central) : "\(money(price.low))–\(money(price.high))"
        return "\(newest.basis.rawValue) from \(newest.origin.effectiveFrom), \(range) \(price.currency.code) a \(newest.priceUnit.rawValue) (\(newest.origin.file.split(separator: "/").last ?? ""):\(newest.origin.line))"
    }

    private func sentencingCategory(_ drug: DrugItem, day: Int) -> SentencingCategory? {
        let (amount, countUnit) = quantity(of: drug)
        for layer in book.compiled {
            guard let entries = layer.sentencing[drug.substance] else { continue }
            // The latest row in force per category (entries are sorted by day): four slots holding
            // indices into the entries, not copies of their rows; no allocation.
            var latest: (Int?, Int?, Int?, Int?) = (nil, nil, nil, nil)
            for index in entries.indices where entries[index].day <= day && entries[index].row.quantityUnit.isCount == (countUnit != nil) {
                switch entries[index].row.category {
                case 1: latest.0 = index
                case 2: latest.1 = index
                case 3: latest.2 = index
                default: latest.3 = index
                }
            }
            var found = false
            // Category 1 (the largest quantities) first.
            for category in 0..<4 {
                let candidate = category == 0 ? latest.0 : category == 1 ? latest.1 : category == 2 ? latest.2 : latest.3
                guard let candidate else { continue }
                let row = entries[candidate].row
                found = true
                let limit = countUnit != nil ? (row.quantityUnit == countUnit ? row.fromQuantity : nil) : row.quantityUnit.grams.map { row.fromQuantity * $0 }
                if let limit, limit <= amount {
                    return SentencingCategory(category: row.category, indicativeQuantity: row.fromQuantity, unit: row.quantityUnit, origin: row.origin)
                }
            }
            if found { return nil }
        }
        return nil
    }

    // MARK: Cash

    private func valueCash(_ cash: CashItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let face = cash.countedAmount ?? cash.denominations.reduce(FixedDecimal.zero) { $0 + $1.value * FixedDecimal($1.count) }
        let counted = RowOrigin(file: "face value", line: 0, effectiveFrom: date, source: "counted face value", confidence: .verified)
        return [try figure(.face, low: face, central: face, high: face, currency: cash.currency, rows: [counted], date: date, day: day)]
    }

    // MARK: Watches

    private func valueWatch(_ watch: WatchItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let brand = watch.brand.lowercased()
        // The price and origin only, read in place: a whole row copied is four strings retained.
        var row: (price: PriceRange, origin: RowOrigin)?
        for layer in book.compiled where row == nil {
            if let reference = watch.referenceNumber, let entries = layer.watchesByReference[brand]?[caseInsensitive: reference],
               let index = entries.latestIndex(onOrBefore: day) {
                row = (entries[index].row.price, entries[index].row.origin)
            }
            if row == nil, let entries = layer.watchesByModel[brand]?[caseInsensitive: watch.model], let index = entries.latestIndex(onOrBefore: day) {
                row = (entries[index].row.price, entries[index].row.origin)
            }
        }
        guard let row else {
            throw NoPrice(message: "no price for \(watch.brand) \(watch.model)\(watch.referenceNumber.map { " \($0)" } ?? "") on \(date) in \(tableNames) (watches.csv)")
        }
        let condition = book.factor(.watch, .condition, key: watch.condition.rawValue, on: day)
        // A watch missing box and papers loses at least what one missing either loses: where no
        // row for the first is in force that day, the second's applies (and is cited), rather than none.
        let set: CompiledFactor? = watch.hasBox && watch.hasPapers ? nil
            : watch.hasBox || watch.hasPapers ? book.factor(.watch, .setPartial, key: brand, on: day)
            : book.factor(.watch, .setNone, key: brand, on: day) ?? book.factor(.watch, .setPartial, key: brand, on: day)
        let market = times(times((row.price.low, row.price.central, row.price.high), condition), set)
        var rows: [RowOrigin] = []
        rows.reserveCapacity(5)
        rows.append(row.origin)
        if let condition { rows.append(condition.origin) }
        if let set { rows.append(set.origin) }
        var figures: [Figure] = []
        figures.reserveCapacity(2)
        figures.append(try figure(.market, low: market.0, central: market.1, high: market.2, currency: row.price.currency,
                                  rows: rows, date: date, day: day, indexable: true))
        if let realisable = book.factor(.watch, .realisable, key: brand, on: day) {
            let net = times(market, realisable)
            rows.append(realisable.origin)
            figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: row.price.currency,
                                      rows: rows, date: date, day: day, indexable: true))
        }
        return figures
    }

    // MARK: Vehicles

    /// Whole months from `start` to `end` (a month is complete once its day of the month is reached).
    static func months(from start: CalendarDate, to end: CalendarDate) -> Int {
        let months = (end.year - start.year) * 12 + (end.month - start.month) - (end.day < start.day ? 1 : 0)
        return max(0, months)
    }

    private func valueVehicle(_ vehicle: VehicleItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        // Its age in whole months, from the first registration, or 1 January of the model year.
        let registered = vehicle.firstRegistered ?? (try? CalendarDate(year: vehicle.year, month: 1, day: 1)) ?? date
        let months = Self.months(from: registered, to: date)
        var retail: (FixedDecimal, FixedDecimal, FixedDecimal)
        var rows: [RowOrigin]
        var warnings: [FigureWarning] = []
        var currency: Currency
        // The observed price for the vehicle's model year, else the new price of the latest
        // model year not after it (else the earliest), first layer that has one.
        // The price, origin and model year only, read in place: a whole row copied retains its strings.
        var observed: (price: PriceRange, origin: RowOrigin, year: Int)?
        var newRow: (price: PriceRange, origin: RowOrigin, year: Int)?
        for layer in book.compiled where observed == nil && newRow == nil {
            guard let entries = layer.vehicles[caseInsensitive: vehicle.make]?[caseInsensitive: vehicle.model] else { continue }
            // Indices into the entries, not copies of their rows, until the choice is made.
            var observedIndex: Int?
            var newIndex: Int?
            for index in entries.indices where entries[index].day <= day {
                let year = entries[index].row.year
                switch entries[index].row.priceType {
                case .observed:
                    if year == vehicle.year { observedIndex = index }  // sorted by day: the last is the latest
                case .new:
                    guard let current = newIndex.map({ entries[$0].row.year }) else { newIndex = index; continue }
                    let fits = year <= vehicle.year, currentFits = current <= vehicle.year
                    if fits != currentFits { if fits { newIndex = index } }
                    else if fits ? year >= current : year <= current { newIndex = index }
                }
            }
            observed = observedIndex.map { (entries[$0].row.price, entries[$0].row.origin, entries[$0].row.year) }
            newRow = newIndex.map { (entries[$0].row.price, entries[$0].row.origin, entries[$0].row.year) }
        }
        if let observed {
            retail = (observed.price.low, observed.price.central, observed.price.high)
            rows = []
            rows.reserveCapacity(8)
            rows.append(observed.origin)
            currency = observed.price.currency
        } else {
            guard let newRow else {
                throw NoPrice(message: "no price for a \(vehicle.year) \(vehicle.make) \(vehicle.model) on \(date) in \(tableNames) (vehicles.csv: neither an observed price for \(vehicle.year) nor a new price)")
            }
            let vehicleClass = vehicle.vehicleClass.rawValue
            guard let first = book.factor(.vehicle, .firstYearDepreciation, key: vehicleClass, on: day),
                  let annual = book.factor(.vehicle, .annualDepreciation, key: vehicleClass, on: day) else {
                throw NoPrice(message: "no depreciation rates for the \(vehicleClass) class in \(tableNames) (factors.csv)")
            }
            // In its first year it loses d1 in proportion to the months; then r a year, and a
            // year's part in months: new × (1 − d1) × (1 − r)^years × (1 − r × months/12). Each
            // step is one exact multiplication and division. The low bound takes the steeper rates.
            func depreciated(_ price: FixedDecimal, _ d1: FixedDecimal, _ r: FixedDecimal) -> FixedDecimal {
                if months < 12 { return price.scaled(by: FixedDecimal(12) - d1 * FixedDecimal(months), over: FixedDecimal(12)) }
                var value = price * (FixedDecimal(1) - d1)
                let after = months - 12
                for _ in 0..<(after / 12) { value = value * (FixedDecimal(1) - r) }
                return value.scaled(by: FixedDecimal(12) - r * FixedDecimal(after % 12), over: FixedDecimal(12))
            }
            var newPrice = (newRow.price.low, newRow.price.central, newRow.price.high)
            rows = []
            rows.reserveCapacity(10)
            rows.append(newRow.origin)
            rows.append(first.origin)
            rows.append(annual.origin)
            // Another model year's new price, brought to the vehicle's own year by the price index
            // (June to June; never past the valuation date), when the row is in the index's currency.
            if newRow.year != vehicle.year, newRow.price.currency == book.currency, book.manifest.index != nil,
               let modelYear = try? CalendarDate(year: vehicle.year, month: 6, day: 1), let rowYear = try? CalendarDate(year: newRow.year, month: 6, day: 1),
               let to = book.indexValue(onOrBefore: min(modelYear.dayNumber, day)), let from = book.indexValue(onOrBefore: rowYear.dayNumber),
               from.period != to.period, from.value > .zero {
                newPrice = (newPrice.0.scaled(by: to.value, over: from.value), newPrice.1.scaled(by: to.value, over: from.value),
                            newPrice.2.scaled(by: to.value, over: from.value))
                rows += [from.origin, to.origin]
                warnings.append(.indexAdjusted(fromYear: newRow.year, factor: Self.stated(to.value, over: from.value)))
            }
            retail = (depreciated(newPrice.0, first.high, annual.high),
                      depreciated(newPrice.1, first.central, annual.central),
                      depreciated(newPrice.2, first.low, annual.low))
            currency = newRow.price.currency
            warnings.append(.extrapolated(newPriceYear: newRow.year, vehicleClass: vehicle.vehicleClass))
        }
        if let condition = book.factor(.vehicle, .condition, key: vehicle.condition.rawValue, on: day) {
            retail = times(retail, condition)
            rows.append(condition.origin)
        }
        if let mileage = vehicle.mileage, let expected = book.factor(.vehicle, .expectedMilesPerYear, key: "*", on: day),
           let perThousand = book.factor(.vehicle, .mileagePer1000Over, key: "*", on: day) {
            let miles = mileage.unit == .miles ? FixedDecimal(mileage.value) : FixedDecimal(mileage.value) / Self.kilometresPerMile
            // Miles over the allowance for its age in months cost rate per 1,000, never below zero:
            // value × (1 − (miles − allowance × months/12) × rate / 1000), as one exact step. The
            // low bound takes the lower allowance and the higher rate, the high bound the reverse.
            func adjusted(_ value: FixedDecimal, allowance: FixedDecimal, rate: FixedDecimal) -> FixedDecimal {
                let overTwelveFold = FixedDecimal(12) * miles - allowance * FixedDecimal(months)
                guard overTwelveFold > .zero else { return value }
                return FixedDecimal.max(.zero, value.scaled(by: FixedDecimal(12_000) - overTwelveFold * rate, over: FixedDecimal(12_000)))
            }
            let adjustedRange = (adjusted(retail.0, allowance: expected.low, rate: perThousand.high),
                                 adjusted(retail.1, allowance: expected.central, rate: perThousand.central),
                                 adjusted(retail.2, allowance: expected.high, rate: perThousand.low))
            if adjustedRange != retail {
                retail = adjustedRange
                rows += [expected.origin, perThousand.origin]
            }
        }
        var figures: [Figure] = []
        figures.reserveCapacity(3)
        figures.append(try figure(.market, low: retail.0, central: retail.1, high: retail.2, currency: currency, rows: rows, date: date, day: day, warnings: warnings))
        if let trade = book.factor(.vehicle, .trade, key: "*", on: day) {
            let tradeValue = times(retail, trade)
            rows.append(trade.origin)
            figures.append(try figure(.wholesale, low: tradeValue.0, central: tradeValue.1, high: tradeValue.2, currency: currency,
                                      rows: rows, date: date, day: day, warnings: warnings))
            if let realisable = book.factor(.vehicle, .realisable, key: "*", on: day) {
                let net = times(tradeValue, realisable)
                rows.append(realisable.origin)
                figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: currency,
                                          rows: rows, date: date, day: day, warnings: warnings))
            }
        }
        return figures
    }

    // MARK: Jewellery and precious metals

    private func valueJewellery(_ jewellery: JewelleryItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        // The price and origin of the fix, read in place rather than copying rows.
        var row: (price: PriceRange, origin: RowOrigin)?
        for layer in book.compiled where row == nil {
            guard let entries = layer.metals[jewellery.metal], var index = entries.latestIndex(onOrBefore: day) else { continue }
            // The latest fix in force; on that day prefer the book's own currency (no conversion).
            let latestDay = entries[index].day
            var chosen = index
            while index >= 0 && entries[index].day == latestDay {
                if entries[index].row.price.currency == book.currency { chosen = index; break }
                index -= 1
            }
            row = (entries[chosen].row.price, entries[chosen].row.origin)
        }
        guard let row else {
            throw NoPrice(message: "no \(jewellery.metal.rawValue) price on or before \(date) in \(tableNames) (metals.csv)")
        }
        // grams × fineness/1000 × price per troy ounce ÷ 31.1034768
        let grams = jewellery.mass.value * jewellery.mass.unit.grams
        let metal = { (price: FixedDecimal) in grams.scaled(by: price, over: Self.troyOunceGrams).scaled(by: jewellery.fineness, over: FixedDecimal(1000)) }
        let content = (metal(row.price.low), metal(row.price.central), metal(row.price.high))
        let warnings: [FigureWarning] = jewellery.isGemSet ? [.metalOnly] : []
        let stale = book.metalStalenessDays
        var figures = [try figure(.market, low: content.0, central: content.1, high: content.2, currency: row.price.currency,
                                  rows: [row.origin], date: date, day: day, staleAfterDays: stale, warnings: warnings)]
        if let scrap = book.factor(.jewellery, .scrap, key: jewellery.metal.rawValue, on: day) {
            let net = times(content, scrap)
            figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: row.price.currency,
                                      rows: [row.origin, scrap.origin], date: date, day: day, staleAfterDays: stale, warnings: warnings))
        }
        return figures
    }

    // MARK: Cryptoassets

    private func valueCrypto(_ crypto: CryptoassetItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        // The price and origin only, read in place rather than copying the row.
        var row: (price: PriceRange, origin: RowOrigin)?
        for layer in book.compiled {
            if let entries = layer.crypto[crypto.asset], let index = entries.latestIndex(onOrBefore: day) {
                row = (entries[index].row.price, entries[index].row.origin)
                break
            }
        }
        guard let row else {
            throw NoPrice(message: "no price for \(crypto.asset) on or before \(date) in \(tableNames) (crypto.csv)")
        }
        let units = crypto.units
        return [try figure(.market, low: units * row.price.low, central: units * row.price.central, high: units * row.price.high,
                           currency: row.price.currency, rows: [row.origin], date: date, day: day, staleAfterDays: book.cryptoStalenessDays)]
    }
}
