import Foundation
import HaulCore

/// An exchange rate as applied to a figure.
public struct RateUse: Hashable, Sendable {
    /// The currency the figure was priced in.
    public var from: Currency
    /// The currency it was converted to: the price book's currency.
    public var to: Currency
    /// Units of `to` for one unit of `from`.
    public var rate: FixedDecimal
    /// The day the rate is from: the latest day on or before the valuation date that quotes both currencies.
    public var date: CalendarDate
    /// True when the rate is not one the ECB published as it stands but worked out from two per-euro rates.
    public var isDerived: Bool
    /// Where the rate's day was read from (for an irrevocable euro rate alone, `irrevocable euro conversion rates`).
    public var file: String
    /// The line of that day in its file; 0 when no file was read.
    public var line: Int
}

/// A price-index uplift as applied to a figure.
public struct IndexUse: Hashable, Sendable {
    /// The index's name, as the manifest gives it (such as CPIH).
    public var index: String
    /// The index month of the price row's date, or the latest month before it.
    public var from: IndexRow
    /// The index month of the valuation date, or the latest month before it.
    public var to: IndexRow
    /// `to.value ÷ from.value`: what each bound of the figure was multiplied by.
    public var factor: FixedDecimal
}

/// How old a row may be before it is stale.
public enum StaleLimit: Hashable, Sendable, CustomStringConvertible {
    /// Stale once this many years have passed since the row's date: the manifest's `staleness_years`.
    case years(Int)
    /// Stale after this many days: for prices that move daily (crypto, metal fixes), from the manifest.
    case days(Int)

    /// The limit as words for a message: `5-year` or `7-day`.
    public var description: String {
        switch self {
        case .years(let years): return "\(years)-year"
        case .days(let days): return "\(days)-day"
        }
    }
}

/// Why a figure needs a second look; turned into words only when shown or exported.
public enum FigureWarning: Hashable, Sendable {
    /// A row older than the table's limit on `valuedOn`; `newer` says what a newer row of the
    /// same entry in force that day gives (another level of the drug, another series), if any.
    case stale(row: CalendarDate, limit: StaleLimit, valuedOn: CalendarDate, newer: String? = nil)
    /// Some source row is marked [?]; the message lists them from the figure's sources.
    case unverified
    /// Some source row is marked [I]; the message lists them from the figure's sources.
    case illustrative
    /// A bulk quantity priced at street level because the table has no higher level for it.
    case streetPriceForBulk(grams: FixedDecimal)
    /// Purity was not tested: `percent` % is assumed (the item's stated assumption, else the price row's typical purity).
    case assumedPurity(percent: FixedDecimal)
    /// No observed price for the vehicle: its value is the `newPriceYear` new price depreciated by the rates for its class.
    case extrapolated(newPriceYear: Int, vehicleClass: VehicleClass)
    /// The exchange rate is from `rateDate`, `days` days before the valuation date: more than the options allow without a warning.
    case rateDistant(rateDate: CalendarDate, days: Int)
    /// A price from `fromYear` brought forward by the price index, multiplied by `factor`.
    case indexAdjusted(fromYear: Int, factor: FixedDecimal)
    /// Gem-set jewellery valued on its metal content only; stones and workmanship are not priced.
    case metalOnly
    /// Seized drugs count at nil in the available amount for confiscation (R v Islam [2009] UKHL 30); on every drug figure.
    case nilInAvailableAmount
    /// Capped at the next level's value at its threshold (the quantity there, in grams or units).
    case ladderCapped(threshold: FixedDecimal, unit: String, basis: ValuationBasis)

    /// The warning's code as the case file records it; a bulk quantity at street prices counts as `extrapolated`.
    public var code: WarningCode {
        switch self {
        case .stale: return .stalePrice
        case .unverified: return .unverifiedSource
        case .illustrative: return .illustrative
        case .assumedPurity: return .assumedPurity
        case .extrapolated, .streetPriceForBulk: return .extrapolated
        case .rateDistant: return .rateDateDistant
        case .indexAdjusted: return .indexAdjusted
        case .metalOnly: return .metalOnly
        case .nilInAvailableAmount: return .nilInAvailableAmount
        case .ladderCapped: return .ladderCapped
        }
    }

    /// "8 years 11 months", "40 days": how old a row is on the day it is used.
    static func age(from: CalendarDate, to: CalendarDate) -> String {
        let days = to.dayNumber - from.dayNumber
        var months = (to.year - from.year) * 12 + (to.month - from.month)
        if to.day < from.day { months -= 1 }
        guard months >= 1 else { return "\(days) day\(days == 1 ? "" : "s")" }
        let years = months / 12, rest = months % 12
        // Appended in place, not joined from an array: a stale warning is worded for every figure it is on.
        var text = ""
        if years > 0 { text += years == 1 ? "1 year" : "\(years) years" }
        if rest > 0 { text += (text.isEmpty ? "" : " ") + (rest == 1 ? "1 month" : "\(rest) months") }
        return text
    }

    /// The warning in words; `sources` are the figure's rows (for the [?] and [I] lists).
    public func message(sources: [RowOrigin] = []) -> String {
        /// `drugs.csv:7, factors.csv:12`: the rows of that confidence, in one string built in place.
        func rows(_ confidence: Confidence) -> String {
            var text = ""
            for row in sources where row.confidence == confidence {
                if !text.isEmpty { text += ", " }
                text += row.shortCitation
            }
            return text
        }
        switch self {
        case .stale(let row, let limit, let valuedOn, let newer):
            return "price from \(row) is \(Self.age(from: row, to: valuedOn)) old on \(valuedOn), beyond the table's \(limit) limit" + (newer.map { "; newer: \($0)" } ?? "")
        case .unverified: return "unverified source [?]: " + rows(.unverified)
        case .illustrative: return "illustrative [I], not an observed price: " + rows(.illustrative)
        case .streetPriceForBulk(let grams):
            return "priced at street level: the table has no wholesale row for \(grams) g, so this overstates a bulk quantity"
        case .assumedPurity(let percent): return "purity not tested: \(percent) % assumed, the typical purity at this level"
        case .extrapolated(let year, let vehicleClass):
            return "no observed price: depreciation model from the \(year) new price (\(vehicleClass.rawValue) class)"
        case .rateDistant(let date, let days):
            // An age in years when it is years: 800 days is "2 years and 70 days", not a count to work out.
            let years = days / 365, rest = days % 365
            let age = years == 0 ? "\(days) days" : "\(years) year\(years == 1 ? "" : "s")\(rest == 0 ? "" : " and \(rest) day\(rest == 1 ? "" : "s")") (\(days) days)"
            return "exchange rate from \(date), \(age) before the valuation date"
        case .indexAdjusted(let year, let factor): return "index-adjusted from \(year) (CPIH factor \(DecimalText.plain(factor, maximumScale: 4)))"
        case .metalOnly: return "gem-set: valued on metal content only; stones and workmanship not priced"
        case .nilInAvailableAmount: return "seized drugs count at nil in the available amount (R v Islam [2009] UKHL 30)"
        case .ladderCapped(let threshold, let unit, let basis):
            return "no more than the next level is worth at its threshold (\(threshold) \(unit) at \(basis.rawValue) prices): a larger quantity is never worth less"
        }
    }
}

/// One valuation figure in `FixedDecimal` arithmetic, with its provenance.
public struct Figure: Hashable, Sendable {
    /// The basis the figure is stated on (market, street, realisable and so on).
    public var basis: ValuationBasis
    /// The low end of the range, in `currency`.
    public var low: FixedDecimal
    /// The central estimate, in `currency`, between `low` and `high`.
    public var central: FixedDecimal
    /// The high end of the range, in `currency`.
    public var high: FixedDecimal
    /// The currency of the three amounts: always the price book's, a row in another currency being converted.
    public var currency: Currency
    /// True for a figure given only as a labelled upper bound, such as a drug re-cut to street purity.
    public var isUpperBound: Bool
    /// Every row the figure used: prices, factors, index months and the exchange-rate day.
    public var sources: [RowOrigin]
    /// The exchange rate applied; nil when the price was already in the book's currency.
    public var rate: RateUse?
    /// The price-index uplift applied to the figure when `ValuationOptions.indexAdjust` is on; nil when none was.
    public var indexUse: IndexUse?
    /// What the figure's reader should look at twice; empty when nothing needs it.
    public var warnings: [FigureWarning]

    /// True when any source row is illustrative: every output must say so.
    public var isIllustrative: Bool { sources.contains { $0.confidence == .illustrative } }
}

/// The England & Wales sentencing-guideline category a drug quantity reaches.
public struct SentencingCategory: Hashable, Sendable {
    /// The category reached, 1 to 4; category 1 is for the largest quantities.
    public var category: Int
    /// The quantity from which the category applies, in `unit`, as the guideline table gives it.
    public var indicativeQuantity: FixedDecimal
    /// The unit of `indicativeQuantity`: a mass or a count.
    public var unit: QuantityUnit
    /// The `sentencing.csv` row the category came from.
    public var origin: RowOrigin
}

/// Why an item has no figure.
public enum NotValuedReason: Hashable, Sendable {
    /// Firearms, phones and the like are tracked, never priced.
    case notValuedKind(NonValuedKind)
    /// No table row (or rate) could price it; the message names what is missing and where.
    case noPrice(String)
}

/// Everything the valuer found for one item.
public struct ItemValuation: Hashable, Sendable {
    /// The identifier of the item valued.
    public var itemID: Identifier
    /// The item's kind, which decides how it is priced.
    public var kind: ItemKind
    /// The date the figures are for.
    public var valuedOn: CalendarDate
    /// The figures reached, one per basis; empty when the item could not be or is not valued.
    public var figures: [Figure]
    /// Why the item has no figures; nil when it was valued.
    public var notValued: NotValuedReason?
    /// For a drug, the sentencing category its quantity reaches; nil for other items, or when no category's quantity is reached.
    public var sentencing: SentencingCategory?

    /// The figures as case-model valuations (`FixedDecimal`), for the case file. Each valuation
    /// lists its sources and words its warnings from the figure's own rows when they are read.
    public func valuations() -> [Valuation] {
        var valuations: [Valuation] = []
        valuations.reserveCapacity(figures.count)
        for index in figures.indices {
            let rate = figures[index].rate.map {
                AppliedExchangeRate(from: $0.from, to: $0.to, rate: $0.rate, date: $0.date, source: "ECB euro reference rates", isDerived: $0.isDerived)
            }
            let indexAdjustment = figures[index].indexUse.map {
                IndexAdjustment(index: (try? Identifier($0.index)) ?? "CPIH", fromPeriod: $0.from.period, toPeriod: $0.to.period, factor: $0.factor)
            }
            // Figures are built low ≤ central ≤ high in one currency with a source, as the
            // initialiser requires. (Read in place, by index: a copy of each figure would retain all it holds.)
            let currency = figures[index].currency
            let valuation = Valuation(basis: figures[index].basis, valuedOn: valuedOn,
                                           low: Money(figures[index].low, currency), central: Money(figures[index].central, currency),
                                           high: Money(figures[index].high, currency), isUpperBound: figures[index].isUpperBound,
                                           provenance: FigureProvenance(sources: figures[index].sources, warnings: figures[index].warnings),
                                           exchangeRate: rate, indexAdjustment: indexAdjustment)
            valuations.append(consume valuation)
        }
        return valuations
    }
}

/// A figure's rows and warnings, listed as the case model's sources and warnings when read.
struct FigureProvenance: ValuationProvenance {
    let sources: [RowOrigin]
    let warnings: [FigureWarning]

    var hasSources: Bool { !sources.isEmpty }

    func priceSources() -> [PriceSource] { sources.map(\.priceSource) }

    func valuationWarnings() -> [ValuationWarning] {
        warnings.map { ValuationWarning($0.code, wording: FigureWarningWording(warning: $0, sources: sources)) }
    }
}

/// A figure's warning in words, put together each time they are read: the warning and the rows
/// it may list are immutable, so the words are the same each time.
struct FigureWarningWording: ValuationWarningWording {
    let warning: FigureWarning
    let sources: [RowOrigin]
    var message: String { warning.message(sources: sources) }
}
