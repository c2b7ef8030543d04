import Foundation

/// The basis a figure is stated on (valuation.md: never mix bases silently).
public enum ValuationBasis: String, CaseIterable, Sendable, Codable {
    /// Face value of cash in its own or a converted currency.
    case face
    /// The price at the quantity's trading level above retail (drugs by the kilo, say).
    case wholesale
    /// Retail ("street") price.
    case street
    /// Open-market value (POCA s.79).
    case market
    /// Market value less the costs of sale.
    case realisable
    /// What the item actually fetched when sold, net of the costs of sale (since 1.2). A sold
    /// item keeps this figure: valuing the case again does not re-estimate it.
    case realised
}

/// How far a figure's source can be trusted: [V], [P], [?], [I] in the domain notes.
public enum Confidence: String, CaseIterable, Sendable, Codable {
    case verified, secondary, unverified
    /// A plausible figure for demonstration; outputs say "illustrative".
    case illustrative

    /// The one-letter mark used in tables and notes.
    public var mark: String {
        switch self {
        case .verified: return "V"
        case .secondary: return "P"
        case .unverified: return "?"
        case .illustrative: return "I"
        }
    }
}

/// The table row a figure came from.
public struct PriceSource: Hashable, Sendable, Codable {
    /// The table file, as the user would name it (e.g. `valuations/GB-EAW/drugs.csv`).
    public var table: String
    /// The row's line in the table; nil for a figure that needs no table (cash counted at face).
    public var line: Int?
    public var effectiveFrom: CalendarDate
    public var confidence: Confidence
    /// The row's published source, e.g. "DrugWise Highways & Buyways 2016".
    public var citation: String

    public init(table: String, line: Int?, effectiveFrom: CalendarDate, confidence: Confidence, citation: String) {
        self.table = table
        self.line = line
        self.effectiveFrom = effectiveFrom
        self.confidence = confidence
        self.citation = citation
    }
}

/// An exchange rate as applied: 1 `from` = `rate` `to`, published on `date`.
public struct AppliedExchangeRate: Hashable, Sendable, Codable {
    public var from: Currency
    public var to: Currency
    public var rate: Decimal
    public var date: CalendarDate
    public var source: String
    /// True for a cross rate computed from two published rates.
    public var isDerived: Bool

    public init(from: Currency, to: Currency, rate: Decimal, date: CalendarDate, source: String, isDerived: Bool) {
        self.from = from
        self.to = to
        self.rate = rate
        self.date = date
        self.source = source
        self.isDerived = isDerived
    }
}

/// A price-index uplift: the figure was multiplied by index(toPeriod) ÷ index(fromPeriod).
public struct IndexAdjustment: Hashable, Sendable, Codable {
    public var index: Identifier
    public var fromPeriod: CalendarDate
    public var toPeriod: CalendarDate
    public var factor: Decimal

    public init(index: Identifier, fromPeriod: CalendarDate, toPeriod: CalendarDate, factor: Decimal) {
        self.index = index
        self.fromPeriod = fromPeriod
        self.toPeriod = toPeriod
        self.factor = factor
    }
}

public enum WarningCode: String, CaseIterable, Sendable, Codable {
    case stalePrice = "stale-price"
    case unverifiedSource = "unverified-source"
    case illustrative
    case assumedPurity = "assumed-purity"
    case extrapolated
    case rateDateDistant = "rate-date-distant"
    case indexAdjusted = "index-adjusted"
    case noPrice = "no-price"
    /// Jewellery valued on its metal content only (stones, workmanship and brand not priced).
    case metalOnly = "metal-only"
    /// Seized drugs count at nil in the available amount (R v Islam [2009] UKHL 30).
    case nilInAvailableAmount = "nil-in-available-amount"
    /// A quantity between two levels of a drug price ladder valued no higher than the next level
    /// at its threshold: a larger quantity is never worth less (since 1.4).
    case ladderCapped = "ladder-capped"
}

public struct ValuationWarning: Hashable, Sendable, Codable {
    public var code: WarningCode
    public var message: String

    public init(_ code: WarningCode, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// A valuation of one item on one basis: a low / central / high range with its provenance.
public struct Valuation: Hashable, Sendable, Codable {
    public var basis: ValuationBasis
    public var valuedOn: CalendarDate
    public var low: Money
    public var central: Money
    public var high: Money
    /// True for a figure offered only as an upper bound (drugs re-cut to street purity); never totalled.
    public var isUpperBound: Bool
    public var sources: [PriceSource]
    public var exchangeRate: AppliedExchangeRate?
    public var indexAdjustment: IndexAdjustment?
    public var warnings: [ValuationWarning]

    /// Checks low ≤ central ≤ high in one currency, and that there is at least one source.
    public init(basis: ValuationBasis, valuedOn: CalendarDate, low: Money, central: Money, high: Money,
                isUpperBound: Bool = false, sources: [PriceSource], exchangeRate: AppliedExchangeRate? = nil,
                indexAdjustment: IndexAdjustment? = nil, warnings: [ValuationWarning] = []) throws(HaulCoreError) {
        guard low.currency == central.currency, central.currency == high.currency else {
            throw HaulCoreError(.currencyMismatch, "a valuation's low, central and high must share one currency (\(low.currency), \(central.currency), \(high.currency))")
        }
        guard low.amount <= central.amount, central.amount <= high.amount else {
            throw HaulCoreError(.inconsistent, "a valuation needs low ≤ central ≤ high, not \(low.amountText) / \(central.amountText) / \(high.amountText)")
        }
        guard !sources.isEmpty else {
            throw HaulCoreError(.inconsistent, "a valuation must name at least one source row")
        }
        self.basis = basis
        self.valuedOn = valuedOn
        self.low = low
        self.central = central
        self.high = high
        self.isUpperBound = isUpperBound
        self.sources = sources
        self.exchangeRate = exchangeRate
        self.indexAdjustment = indexAdjustment
        self.warnings = warnings
    }

    public var currency: Currency { central.currency }

    private enum CodingKeys: String, CodingKey { case basis, valuedOn, low, central, high, isUpperBound, sources, exchangeRate, indexAdjustment, warnings }

    /// Stored compactly: `isUpperBound` only when true and `warnings` only when there are some
    /// (a register holds a valuation per item per basis, so every byte counts a million times).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(basis, forKey: .basis)
        try container.encode(valuedOn, forKey: .valuedOn)
        try container.encode(low, forKey: .low)
        try container.encode(central, forKey: .central)
        try container.encode(high, forKey: .high)
        if isUpperBound { try container.encode(true, forKey: .isUpperBound) }
        try container.encode(sources, forKey: .sources)
        try container.encodeIfPresent(exchangeRate, forKey: .exchangeRate)
        try container.encodeIfPresent(indexAdjustment, forKey: .indexAdjustment)
        if !warnings.isEmpty { try container.encode(warnings, forKey: .warnings) }
    }

    /// Read through the checking initialiser; the keys the compact form leaves out (and
    /// registers written before it had them all) take their defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(basis: try container.decode(ValuationBasis.self, forKey: .basis), valuedOn: try container.decode(CalendarDate.self, forKey: .valuedOn),
                      low: try container.decode(Money.self, forKey: .low), central: try container.decode(Money.self, forKey: .central),
                      high: try container.decode(Money.self, forKey: .high),
                      isUpperBound: try container.decodeIfPresent(Bool.self, forKey: .isUpperBound) ?? false,
                      sources: try container.decode([PriceSource].self, forKey: .sources),
                      exchangeRate: try container.decodeIfPresent(AppliedExchangeRate.self, forKey: .exchangeRate),
                      indexAdjustment: try container.decodeIfPresent(IndexAdjustment.self, forKey: .indexAdjustment),
                      warnings: try container.decodeIfPresent([ValuationWarning].self, forKey: .warnings) ?? [])
    }
}

/// The sum of the items' valuations of one kind on one basis in one currency.
public struct ValuationTotal: Hashable, Sendable, Codable {
    public var kind: ItemKind
    public var basis: ValuationBasis
    public var itemCount: Int
    public var low: Money
    public var central: Money
    public var high: Money

    public init(kind: ItemKind, basis: ValuationBasis, itemCount: Int, low: Money, central: Money, high: Money) {
        self.kind = kind
        self.basis = basis
        self.itemCount = itemCount
        self.low = low
        self.central = central
        self.high = high
    }
}
