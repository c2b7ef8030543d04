import Foundation
import HaulCore

/// An exchange rate as applied to a figure.
public struct RateUse: Hashable, Sendable {
    public var from: Currency
    public var to: Currency
    public var rate: Fixed
    public var date: CalendarDate
    public var isDerived: Bool
    public var file: String
    public var line: Int
}

/// A price-index uplift as applied to a figure.
public struct IndexUse: Hashable, Sendable {
    public var index: String
    public var from: IndexRow
    public var to: IndexRow
    public var factor: Fixed
}

/// How old a row may be before it is stale.
public enum StaleLimit: Hashable, Sendable, CustomStringConvertible {
    case years(Int)
    case days(Int)

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
    case streetPriceForBulk(grams: Fixed)
    case assumedPurity(percent: Fixed)
    case extrapolated(newPriceYear: Int, vehicleClass: VehicleClass)
    case rateDistant(rateDate: CalendarDate, days: Int)
    case indexAdjusted(fromYear: Int, factor: Fixed)
    case metalOnly
    case nilInAvailableAmount
    /// Capped at the next level's value at its threshold (the quantity there, in grams or units).
    case ladderCapped(threshold: Fixed, unit: String, basis: ValuationBasis)

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
        let parts = [years > 0 ? "\(years) year\(years == 1 ? "" : "s")" : nil, rest > 0 ? "\(rest) month\(rest == 1 ? "" : "s")" : nil].compactMap { $0 }
        return parts.joined(separator: " ")
    }

    /// The warning in words; `sources` are the figure's rows (for the [?] and [I] lists).
    public func message(sources: [RowOrigin] = []) -> String {
        func rows(_ confidence: Confidence) -> String {
            sources.filter { $0.confidence == confidence }.map { "\($0.file.split(separator: "/").last ?? ""):\($0.line)" }.joined(separator: ", ")
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
        case .indexAdjusted(let year, let factor): return "index-adjusted from \(year) (CPIH factor \(DecimalText.plain(factor.decimal, maximumScale: 4)))"
        case .metalOnly: return "gem-set: valued on metal content only; stones and workmanship not priced"
        case .nilInAvailableAmount: return "seized drugs count at nil in the available amount (R v Islam [2009] UKHL 30)"
        case .ladderCapped(let threshold, let unit, let basis):
            return "no more than the next level is worth at its threshold (\(threshold) \(unit) at \(basis.rawValue) prices): a larger quantity is never worth less"
        }
    }
}

/// One valuation figure in `Fixed` arithmetic, with its provenance.
public struct Figure: Hashable, Sendable {
    public var basis: ValuationBasis
    public var low: Fixed
    public var central: Fixed
    public var high: Fixed
    public var currency: Currency
    public var isUpperBound: Bool
    public var sources: [RowOrigin]
    public var rate: RateUse?
    public var indexUse: IndexUse?
    public var warnings: [FigureWarning]

    /// True when any source row is illustrative: every output must say so.
    public var isIllustrative: Bool { sources.contains { $0.confidence == .illustrative } }
}

/// The England & Wales sentencing-guideline category a drug quantity reaches.
public struct SentencingCategory: Hashable, Sendable {
    public var category: Int
    public var indicativeQuantity: Fixed
    public var unit: QuantityUnit
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
    public var itemID: Identifier
    public var kind: ItemKind
    public var valuedOn: CalendarDate
    public var figures: [Figure]
    public var notValued: NotValuedReason?
    public var sentencing: SentencingCategory?

    /// The figures as case-model valuations (`Decimal`), for the case file.
    public func valuations() -> [Valuation] {
        figures.map { figure in
            let sources = figure.sources.map {
                PriceSource(table: $0.file, line: $0.line > 0 ? $0.line : nil, effectiveFrom: $0.effectiveFrom, confidence: $0.confidence, citation: $0.source)
            }
            let rate = figure.rate.map {
                AppliedExchangeRate(from: $0.from, to: $0.to, rate: $0.rate.decimal, date: $0.date, source: "ECB euro reference rates", isDerived: $0.isDerived)
            }
            let index = figure.indexUse.map {
                IndexAdjustment(index: (try? Identifier($0.index)) ?? "CPIH", fromPeriod: $0.from.period, toPeriod: $0.to.period, factor: $0.factor.decimal)
            }
            // Figures are built low ≤ central ≤ high in one currency with a source, so this cannot fail.
            return try! Valuation(basis: figure.basis, valuedOn: valuedOn,
                                  low: Money(figure.low.decimal, figure.currency), central: Money(figure.central.decimal, figure.currency),
                                  high: Money(figure.high.decimal, figure.currency), isUpperBound: figure.isUpperBound,
                                  sources: sources, exchangeRate: rate, indexAdjustment: index,
                                  warnings: figure.warnings.map { ValuationWarning($0.code, $0.message(sources: figure.sources)) })
        }
    }
}
