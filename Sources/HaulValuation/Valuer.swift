import Foundation
import HaulCore

/// Options that change how figures are reached.
public struct ValuationOptions: Sendable {
    /// Bring drug and watch prices older than the valuation month forward with the price index
    /// (labelled "index-adjusted from YEAR"). Off by default: an uplift is a judgement.
    public var indexAdjust: Bool
    /// Warn when the exchange rate used is more than this many days older than the valuation date.
    public var rateDistanceWarningDays: Int

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
/// result.figures.first?.central   // exact to 10⁻⁹
/// ```
public struct Valuer: Sendable {
    public let book: PriceBook
    public var options: ValuationOptions

    public init(book: PriceBook, options: ValuationOptions = ValuationOptions()) {
        self.book = book
        self.options = options
    }

    static let troyOunceGrams = Fixed(raw: 31_103_476_800)
    static let kilometresPerMile = Fixed(raw: 1_609_344_000)
    static let hundred = Fixed(100)

    /// Values one item on `date`. Never throws: what cannot be priced says why in `notValued`.
    public func value(_ item: Item, on date: CalendarDate) -> ItemValuation {
        var result = ItemValuation(itemID: item.id, kind: item.kind, valuedOn: date, figures: [], notValued: nil, sentencing: nil)
        let day = date.dayNumber
        do {
            switch item.details {
            case .drug(let drug):
                result.sentencing = sentencingCategory(drug, day: day)
                result.figures = try valueDrug(drug, date: date, day: day)
            case .cash(let cash):
                result.figures = try valueCash(cash, date: date, day: day)
            case .watch(let watch):
                result.figures = try valueWatch(watch, date: date, day: day)
            case .vehicle(let vehicle):
                result.figures = try valueVehicle(vehicle, date: date, day: day)
            case .jewellery(let jewellery):
                result.figures = try valueJewellery(jewellery, date: date, day: day)
            case .cryptoasset(let crypto):
                result.figures = try valueCrypto(crypto, date: date, day: day)
            case .nonValued(let kind):
                result.notValued = .notValuedKind(kind)
            }
        } catch {
            result.figures = []
            result.notValued = .noPrice(error.message)
        }
        return result
    }

    struct NoPrice: Error { var message: String }

    private var tableNames: String { book.layers.map(\.name).joined(separator: " + ") }

    // MARK: Figures, conversion and warnings

    /// Builds a figure: converts to the book's currency, adds row warnings, applies the index.
    private func figure(_ basis: ValuationBasis, low: Fixed, central: Fixed, high: Fixed, currency: Currency, rows: [RowOrigin],
                        date: CalendarDate, day: Int, upperBound: Bool = false, indexable: Bool = false,
                        staleAfterDays: Int? = nil, warnings extra: [FigureWarning] = []) throws(NoPrice) -> Figure {
        var figure = Figure(basis: basis, low: low, central: central, high: high, currency: currency, isUpperBound: upperBound,
                            sources: rows, rate: nil, indexUse: nil, warnings: extra)
        for row in rows where isStale(row.effectiveFrom, on: date, days: staleAfterDays) {
            figure.warnings.append(.stale(row: row.effectiveFrom, limit: staleAfterDays.map { "\($0)-day" } ?? "\(book.manifest.stalenessYears)-year"))
        }
        let place = { (row: RowOrigin) in "\(row.file.split(separator: "/").last ?? ""):\(row.line)" }
        let unverified = rows.filter { $0.confidence == .unverified }.map(place)
        let illustrative = rows.filter { $0.confidence == .illustrative }.map(place)
        if !unverified.isEmpty { figure.warnings.append(.unverified(rows: unverified)) }
        if !illustrative.isEmpty { figure.warnings.append(.illustrative(rows: illustrative)) }
        if indexable && options.indexAdjust, let row = rows.first { try applyIndex(&figure, from: row.effectiveFrom, day: day) }
        if currency != book.manifest.currency { try convert(&figure, to: book.manifest.currency, date: date, day: day) }
        return figure
    }

    /// Older than `days` when given (market prices that move daily), else than the table's years.
    private func isStale(_ rowDate: CalendarDate, on date: CalendarDate, days: Int?) -> Bool {
        if let days { return date.dayNumber - rowDate.dayNumber > days }
        let years = book.manifest.stalenessYears
        let limitDay = min(rowDate.day, CalendarDate.daysIn(month: rowDate.month, year: rowDate.year + years))
        let limit = ZonedDateTime.daysFromCivil(rowDate.year + years, rowDate.month, limitDay)
        return date.dayNumber > limit
    }

    private func convert(_ figure: inout Figure, to target: Currency, date: CalendarDate, day: Int) throws(NoPrice) {
        guard let quote = book.rates.quote(from: figure.currency, to: target, onOrBefore: day) else {
            throw NoPrice(message: "no exchange rate from \(figure.currency) to \(target) on or before \(date); import ECB rates with `haul rates import`")
        }
        figure.low = figure.low * quote.rate
        figure.central = figure.central * quote.rate
        figure.high = figure.high * quote.rate
        figure.rate = RateUse(from: figure.currency, to: target, rate: quote.rate, date: quote.day.date, isDerived: quote.derived,
                              file: quote.day.source, line: quote.day.line)
        figure.currency = target
        figure.sources.append(RowOrigin(file: quote.day.source, line: quote.day.line, effectiveFrom: quote.day.date,
                                        source: "ECB euro foreign exchange reference rates", confidence: .verified))
        let distance = day - quote.day.dayNumber
        if distance > options.rateDistanceWarningDays { figure.warnings.append(.rateDistant(rateDate: quote.day.date, days: distance)) }
    }

    private func applyIndex(_ figure: inout Figure, from rowDate: CalendarDate, day: Int) throws(NoPrice) {
        guard let indexName = book.manifest.index, let to = book.indexValue(onOrBefore: day),
              let from = book.indexValue(onOrBefore: rowDate.dayNumber), from.period < to.period else { return }
        let factor = to.value / from.value
        figure.low = figure.low * factor
        figure.central = figure.central * factor
        figure.high = figure.high * factor
        figure.indexUse = IndexUse(index: indexName, from: from, to: to, factor: factor)
        figure.sources += [from.origin, to.origin]
        figure.warnings.append(.indexAdjusted(fromYear: rowDate.year, factor: factor))
    }

    /// Range arithmetic: each bound times the same bound of a factor.
    private func times(_ range: (Fixed, Fixed, Fixed), _ factor: FactorRow?) -> (Fixed, Fixed, Fixed) {
        guard let factor else { return range }
        return (range.0 * factor.low, range.1 * factor.central, range.2 * factor.high)
    }

    // MARK: Drugs

    private func quantity(of drug: DrugItem) -> (amount: Fixed, countUnit: QuantityUnit?) {
        switch drug.quantity {
        case .mass(let mass): return (Fixed(mass.grams), nil)
        case .count(let count): return (Fixed(count.count), QuantityUnit(rawValue: count.unit.rawValue))
        }
    }

    /// The row's threshold in the item's terms (grams, or a count), if the row applies to it.
    @inline(__always)
    private func threshold(_ row: DrugPriceRow, countUnit: QuantityUnit?) -> Fixed? {
        if let countUnit { return row.quantityUnit == countUnit ? row.fromQuantity : nil }
        guard let grams = row.quantityUnit.grams else { return nil }
        return row.fromQuantity * grams
    }

    /// The ladder row for a quantity: the highest threshold it reaches, latest in force.
    private func ladderRow(_ drug: DrugItem, amount: Fixed, countUnit: QuantityUnit?, day: Int, basis: ValuationBasis? = nil, lowest: Bool = false) -> DrugPriceRow? {
        for layer in book.layers {
            var best: DrugPriceRow?
            var bestThreshold = Fixed.zero
            var bestDay = Int.min
            for row in layer.drugs where row.substance == drug.substance && (basis == nil || row.basis == basis) {
                let rowDay = row.origin.effectiveFrom.dayNumber
                guard rowDay <= day, let limit = threshold(row, countUnit: countUnit), lowest || limit <= amount else { continue }
                let better: Bool
                if best == nil { better = true }
                else if limit != bestThreshold { better = lowest ? limit < bestThreshold : limit > bestThreshold }
                else { better = rowDay > bestDay }
                if better {
                    best = row
                    bestThreshold = limit
                    bestDay = rowDay
                }
            }
            if let best { return best }
        }
        return nil
    }

    private func valueDrug(_ drug: DrugItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let (amount, countUnit) = quantity(of: drug)
        guard let row = ladderRow(drug, amount: amount, countUnit: countUnit, day: day) else {
            let what = countUnit.map { "\($0.rawValue)s of \(drug.substance.rawValue)" } ?? drug.substance.rawValue
            throw NoPrice(message: "no price for \(what) on \(date) in \(tableNames)")
        }
        var priced = (row.price.low, row.price.central, row.price.high)
        if let grams = row.priceUnit.grams {
            priced = (amount.scaled(by: priced.0, over: grams), amount.scaled(by: priced.1, over: grams), amount.scaled(by: priced.2, over: grams))
        } else {
            priced = (amount * priced.0, amount * priced.1, amount * priced.2)
        }
        var warnings: [FigureWarning] = [.nilInAvailableAmount]
        if row.basis == .street, countUnit == nil, amount >= Fixed(1000) { warnings.append(.streetPriceForBulk(grams: amount)) }
        let measured = drug.purity.flatMap { $0.method == .assumed ? nil : Fixed($0.percent) }
        if countUnit == nil, let reference = row.referencePurity, reference > .zero {
            if let purity = measured {
                priced = (priced.0.scaled(by: purity, over: reference), priced.1.scaled(by: purity, over: reference), priced.2.scaled(by: purity, over: reference))
            } else {
                warnings.append(.assumedPurity(percent: drug.purity.map { Fixed($0.percent) } ?? reference))
            }
        }
        var figures = [try figure(row.basis, low: priced.0, central: priced.1, high: priced.2, currency: row.price.currency,
                                  rows: [row.origin], date: date, day: day, indexable: true, warnings: warnings)]

        // The "re-cut to street purity" figure, only as a labelled upper bound.
        if row.basis != .street, countUnit == nil,
           let street = ladderRow(drug, amount: amount, countUnit: nil, day: day, basis: .street, lowest: true),
           let streetPurity = street.referencePurity, streetPurity > .zero, let streetGrams = street.priceUnit.grams,
           let purity = measured ?? drug.purity.map({ Fixed($0.percent) }) ?? row.referencePurity {
            // pure grams × (street price per gram ÷ street purity)
            let recut = { (price: Fixed) in amount.scaled(by: price, over: streetGrams).scaled(by: purity, over: streetPurity) }
            var rows = [street.origin]
            if measured == nil { rows.append(row.origin) }
            figures.append(try figure(.street, low: recut(street.price.low), central: recut(street.price.central), high: recut(street.price.high),
                                      currency: street.price.currency, rows: rows, date: date, day: day, upperBound: true, indexable: true))
        }
        return figures
    }

    private func sentencingCategory(_ drug: DrugItem, day: Int) -> SentencingCategory? {
        let (amount, countUnit) = quantity(of: drug)
        var best: SentencingCategory?
        for category in 1...4 {
            guard let row = book.latest(\.sentencing, on: day, origin: \.origin, where: {
                $0.substance == drug.substance && $0.category == category && ($0.quantityUnit.isCount == (countUnit != nil))
            }) else { continue }
            let limit = countUnit != nil ? (row.quantityUnit == countUnit ? row.fromQuantity : nil) : row.quantityUnit.grams.map { row.fromQuantity * $0 }
            if let limit, limit <= amount, best == nil {
                best = SentencingCategory(category: category, indicativeQuantity: row.fromQuantity, unit: row.quantityUnit, origin: row.origin)
            }
        }
        return best
    }

    // MARK: Cash

    private func valueCash(_ cash: CashItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let face = Fixed(cash.faceValue.amount)
        let counted = RowOrigin(file: "face value", line: 0, effectiveFrom: date, source: "counted face value", confidence: .verified)
        return [try figure(.face, low: face, central: face, high: face, currency: cash.currency, rows: [counted], date: date, day: day)]
    }

    // MARK: Watches

    private func valueWatch(_ watch: WatchItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let brand = watch.brand.lowercased()
        var row: WatchPriceRow?
        for (index, _) in book.layers.enumerated() where row == nil {
            if let reference = watch.referenceNumber?.lowercased(), let rows = book.watchesByReference[index][reference] {
                row = latestRow(rows.filter { $0.brand.lowercased() == brand }, day: day, origin: \.origin)
            }
            if row == nil, let rows = book.watchesByModel[index][brand + "|" + watch.model.lowercased()] {
                row = latestRow(rows.filter { $0.reference.isEmpty || $0.reference.lowercased() == watch.referenceNumber?.lowercased() }, day: day, origin: \.origin)
            }
        }
        guard let row else {
            throw NoPrice(message: "no price for \(watch.brand) \(watch.model)\(watch.referenceNumber.map { " \($0)" } ?? "") on \(date) in \(tableNames) (watches.csv)")
        }
        let condition = book.factor(.watch, "condition", key: watch.condition.rawValue, on: day)
        let set: FactorRow? = watch.hasBox && watch.hasPapers ? nil
            : book.factor(.watch, watch.hasBox || watch.hasPapers ? "set-partial" : "set-none", key: brand, on: day)
        let market = times(times((row.price.low, row.price.central, row.price.high), condition), set)
        let factorRows = [condition, set].compactMap { $0?.origin }
        var figures = [try figure(.market, low: market.0, central: market.1, high: market.2, currency: row.price.currency,
                                  rows: [row.origin] + factorRows, date: date, day: day, indexable: true)]
        if let realisable = book.factor(.watch, "realisable", key: brand, on: day) {
            let net = times(market, realisable)
            figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: row.price.currency,
                                      rows: [row.origin] + factorRows + [realisable.origin], date: date, day: day, indexable: true))
        }
        return figures
    }

    private func latestRow<Row>(_ rows: [Row], day: Int, origin: (Row) -> RowOrigin) -> Row? {
        var best: Row?
        var bestDay = Int.min
        for row in rows {
            let rowDay = origin(row).effectiveFrom.dayNumber
            if rowDay <= day && rowDay > bestDay { best = row; bestDay = rowDay }
        }
        return best
    }

    // MARK: Vehicles

    private func valueVehicle(_ vehicle: VehicleItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        let make = vehicle.make.lowercased(), model = vehicle.model.lowercased()
        let same = { (row: VehiclePriceRow) in row.make.lowercased() == make && row.model.lowercased() == model }
        let age = max(1, date.year - vehicle.year)
        var retail: (Fixed, Fixed, Fixed)
        var rows: [RowOrigin]
        var warnings: [FigureWarning] = []
        var currency: Currency
        if let observed = book.latest(\.vehicles, on: day, origin: \.origin, where: { same($0) && $0.priceType == .observed && $0.year == vehicle.year }) {
            retail = (observed.price.low, observed.price.central, observed.price.high)
            rows = [observed.origin]
            currency = observed.price.currency
        } else {
            // The new price of the latest model year not after the vehicle's (else the earliest).
            var newRow: VehiclePriceRow?
            for layer in book.layers where newRow == nil {
                let candidates = layer.vehicles.filter { same($0) && $0.priceType == .new && $0.origin.effectiveFrom.dayNumber <= day }
                newRow = candidates.filter { $0.year <= vehicle.year }.max { ($0.year, $0.origin.effectiveFrom) < ($1.year, $1.origin.effectiveFrom) }
                    ?? candidates.min { ($0.year, $1.origin.effectiveFrom) < ($1.year, $0.origin.effectiveFrom) }
            }
            guard let newRow else {
                throw NoPrice(message: "no price for a \(vehicle.year) \(vehicle.make) \(vehicle.model) on \(date) in \(tableNames) (vehicles.csv: neither an observed price for \(vehicle.year) nor a new price)")
            }
            let key = vehicle.vehicleClass.rawValue
            guard let first = book.factor(.vehicle, "first-year-depreciation", key: key, on: day),
                  let annual = book.factor(.vehicle, "annual-depreciation", key: key, on: day) else {
                throw NoPrice(message: "no depreciation rates for the \(key) class in \(tableNames) (factors.csv)")
            }
            // value = new × (1 − d1) × (1 − r)^(age − 1); the low bound takes the steeper rates.
            func depreciated(_ price: Fixed, _ d1: Fixed, _ r: Fixed) -> Fixed {
                var value = price * (Fixed(1) - d1)
                for _ in 1..<age { value = value * (Fixed(1) - r) }
                return value
            }
            retail = (depreciated(newRow.price.low, first.high, annual.high),
                      depreciated(newRow.price.central, first.central, annual.central),
                      depreciated(newRow.price.high, first.low, annual.low))
            rows = [newRow.origin, first.origin, annual.origin]
            currency = newRow.price.currency
            warnings.append(.extrapolated(newPriceYear: newRow.year, vehicleClass: vehicle.vehicleClass))
        }
        if let condition = book.factor(.vehicle, "condition", key: vehicle.condition.rawValue, on: day) {
            retail = times(retail, condition)
            rows.append(condition.origin)
        }
        if let mileage = vehicle.mileage, let expected = book.factor(.vehicle, "expected-miles-per-year", key: "*", on: day),
           let perThousand = book.factor(.vehicle, "mileage-per-1000-over", key: "*", on: day) {
            let miles = mileage.unit == .miles ? Fixed(mileage.value) : Fixed(mileage.value) / Self.kilometresPerMile
            let over = miles - expected.central * Fixed(age)
            if over > .zero {
                // 1 − (miles over ÷ 1000) × rate, never below zero; the low bound takes the higher rate.
                func adjustment(_ rate: Fixed) -> Fixed { Fixed.max(.zero, Fixed(1) - over.scaled(by: rate, over: Fixed(1000))) }
                retail = (retail.0 * adjustment(perThousand.high), retail.1 * adjustment(perThousand.central), retail.2 * adjustment(perThousand.low))
                rows += [expected.origin, perThousand.origin]
            }
        }
        var figures = [try figure(.market, low: retail.0, central: retail.1, high: retail.2, currency: currency, rows: rows, date: date, day: day, warnings: warnings)]
        if let trade = book.factor(.vehicle, "trade", key: "*", on: day) {
            let tradeValue = times(retail, trade)
            figures.append(try figure(.wholesale, low: tradeValue.0, central: tradeValue.1, high: tradeValue.2, currency: currency,
                                      rows: rows + [trade.origin], date: date, day: day, warnings: warnings))
            if let realisable = book.factor(.vehicle, "realisable", key: "*", on: day) {
                let net = times(tradeValue, realisable)
                figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: currency,
                                          rows: rows + [trade.origin, realisable.origin], date: date, day: day, warnings: warnings))
            }
        }
        return figures
    }

    // MARK: Jewellery and precious metals

    private func valueJewellery(_ jewellery: JewelleryItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        var row: MetalPriceRow?
        for layer in book.layers where row == nil {
            for candidate in layer.metals where candidate.metal == jewellery.metal && candidate.origin.effectiveFrom.dayNumber <= day {
                guard let current = row else { row = candidate; continue }
                let (a, b) = (candidate.origin.effectiveFrom, current.origin.effectiveFrom)
                // Latest fix; on the same day prefer the book's own currency (no conversion).
                if a > b || (a == b && candidate.price.currency == book.manifest.currency) { row = candidate }
            }
        }
        guard let row else {
            throw NoPrice(message: "no \(jewellery.metal.rawValue) price on or before \(date) in \(tableNames) (metals.csv)")
        }
        // grams × fineness/1000 × price per troy ounce ÷ 31.1034768
        let grams = Fixed(jewellery.mass.grams)
        let metal = { (price: Fixed) in grams.scaled(by: price, over: Self.troyOunceGrams).scaled(by: Fixed(jewellery.fineness), over: Fixed(1000)) }
        let content = (metal(row.price.low), metal(row.price.central), metal(row.price.high))
        let warnings: [FigureWarning] = jewellery.isGemSet ? [.metalOnly] : []
        let stale = book.manifest.metalStalenessDays
        var figures = [try figure(.market, low: content.0, central: content.1, high: content.2, currency: row.price.currency,
                                  rows: [row.origin], date: date, day: day, staleAfterDays: stale, warnings: warnings)]
        if let scrap = book.factor(.jewellery, "scrap", key: jewellery.metal.rawValue, on: day) {
            let net = times(content, scrap)
            figures.append(try figure(.realisable, low: net.0, central: net.1, high: net.2, currency: row.price.currency,
                                      rows: [row.origin, scrap.origin], date: date, day: day, staleAfterDays: stale, warnings: warnings))
        }
        return figures
    }

    // MARK: Cryptoassets

    private func valueCrypto(_ crypto: CryptoassetItem, date: CalendarDate, day: Int) throws(NoPrice) -> [Figure] {
        guard let row = book.latest(\.crypto, on: day, origin: \.origin, where: { $0.asset == crypto.asset }) else {
            throw NoPrice(message: "no price for \(crypto.asset) on or before \(date) in \(tableNames) (crypto.csv)")
        }
        let units = Fixed(crypto.units)
        return [try figure(.market, low: units * row.price.low, central: units * row.price.central, high: units * row.price.high,
                           currency: row.price.currency, rows: [row.origin], date: date, day: day, staleAfterDays: book.manifest.cryptoStalenessDays)]
    }
}
