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
    /// `verified` [V]: seen in the statute or an official source; `secondary` [P]: seen only in a
    /// practitioner or secondary source; `unverified` [?]: not checked.
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
    /// The date the row's figure was observed or published (1 July where only the year is known).
    public var effectiveFrom: CalendarDate
    /// How far the row's source can be trusted: [V], [P], [?] or [I].
    public var confidence: Confidence
    /// The row's published source, e.g. "DrugWise Highways & Buyways 2016".
    public var citation: String

    /// Creates a reference to the row a figure came from.
    ///
    /// - Parameters:
    ///   - table: The table file, as the user would name it.
    ///   - line: The row's line in the table, or nil for a figure that needs no table.
    ///   - effectiveFrom: The date the row's figure was observed or published.
    ///   - confidence: How far the row's source can be trusted.
    ///   - citation: The row's published source.
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
    /// The currency converted from.
    public var from: Currency
    /// The currency converted to.
    public var to: Currency
    /// Units of `to` for one unit of `from`.
    public var rate: FixedDecimal
    /// The day the rate was published: the last on or before the valuation date, never interpolated.
    public var date: CalendarDate
    /// Who published the rate, e.g. "ECB euro reference rates".
    public var source: String
    /// True for a cross rate computed from two published rates.
    public var isDerived: Bool

    /// Creates a record of a conversion as applied.
    ///
    /// - Parameters:
    ///   - from: The currency converted from.
    ///   - to: The currency converted to.
    ///   - rate: Units of `to` for one unit of `from`.
    ///   - date: The day the rate was published.
    ///   - source: Who published the rate.
    ///   - isDerived: True for a cross rate computed from two published rates.
    public init(from: Currency, to: Currency, rate: FixedDecimal, date: CalendarDate, source: String, isDerived: Bool) {
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
    /// The price index used, e.g. `CPIH`.
    public var index: Identifier
    /// The index period taken for the price row's date (the latest on or before it).
    public var fromPeriod: CalendarDate
    /// The index period taken for the valuation date (the latest on or before it).
    public var toPeriod: CalendarDate
    /// The multiplier applied: index(toPeriod) ÷ index(fromPeriod).
    public var factor: FixedDecimal

    /// Creates a record of a price-index uplift.
    ///
    /// - Parameters:
    ///   - index: The price index used.
    ///   - fromPeriod: The index period of the price row's date.
    ///   - toPeriod: The index period of the valuation date.
    ///   - factor: The multiplier applied.
    public init(index: Identifier, fromPeriod: CalendarDate, toPeriod: CalendarDate, factor: FixedDecimal) {
        self.index = index
        self.fromPeriod = fromPeriod
        self.toPeriod = toPeriod
        self.factor = factor
    }
}

/// Why a valuation needs a second look, as a stable code the case file carries (the schema's
/// `WarningCode`).
public enum WarningCode: String, CaseIterable, Sendable, Codable {
    /// The price row is older than its table's staleness limit on the valuation date.
    case stalePrice = "stale-price"
    /// A source row is marked unverified [?].
    case unverifiedSource = "unverified-source"
    /// A source row is marked illustrative [I]: not an observed price.
    case illustrative
    /// Purity was not tested; the typical purity at the quantity's level was assumed.
    case assumedPurity = "assumed-purity"
    /// No observed price: a vehicle valued by the depreciation model, or a bulk quantity priced
    /// at street level for want of a wholesale row.
    case extrapolated
    /// The exchange rate used was published more than a set number of days (7 by default) before
    /// the valuation date.
    case rateDateDistant = "rate-date-distant"
    /// An older price was brought to the valuation date with the price index (CPIH).
    case indexAdjusted = "index-adjusted"
    /// No price could be found for the item.
    case noPrice = "no-price"
    /// Jewellery valued on its metal content only (stones, workmanship and brand not priced).
    case metalOnly = "metal-only"
    /// Seized drugs count at nil in the available amount (R v Islam [2009] UKHL 30).
    case nilInAvailableAmount = "nil-in-available-amount"
    /// A quantity between two levels of a drug price ladder valued no higher than the next level
    /// at its threshold: a larger quantity is never worth less (since 1.4).
    case ladderCapped = "ladder-capped"
}

/// Words for a warning that are put together only when they are read. A valuer makes a million
/// warnings a second and most are never shown one by one (they are stored, exported or counted),
/// so building each message as text up front was most of the cost of valuing into the case model.
/// A wording must give the same words every time it is read.
package protocol ValuationWarningWording: Sendable {
    /// The warning in words.
    var message: String { get }
}

/// A valuation's sources and warnings as a valuer holds them, listed in the case model's terms
/// only when they are read. A valuer makes a million valuations a second, each resting on up to
/// ten rows; copying every row into a `PriceSource` list, and every warning into words, was most
/// of the cost of valuing into the case model, and a valuation is read a few times at most (when
/// stored, exported, compared or worked into a confiscation figure), each read listing afresh.
/// A provenance must list the same sources and warnings every time it is read. (Not a class: a
/// class instance per valuation cost a tenth of the valuer's speed; the price is a valuation of
/// 392 bytes rather than 360, read from a file or not, for the existential's inline buffer.)
package protocol ValuationProvenance: Sendable {
    /// Whether there is at least one source row (a valuation must name one).
    var hasSources: Bool { get }
    /// The source rows, in order.
    func priceSources() -> [PriceSource]
    /// The warnings, in order.
    func valuationWarnings() -> [ValuationWarning]
}

/// A warning on a valuation: a stable code to match on and a message in words.
public struct ValuationWarning: Hashable, Sendable, Codable {
    /// The message as text, or a wording that gives it when read.
    private enum Words: Sendable {
        case text(String)
        case deferred(any ValuationWarningWording)
    }

    /// What kind of warning it is, for matching on.
    public var code: WarningCode
    private var words: Words

    /// The warning in words, e.g. "purity not tested: 30 % assumed, the typical purity at this level".
    public var message: String {
        get {
            switch words {
            case .text(let text): return text
            case .deferred(let wording): return wording.message
            }
        }
        set { words = .text(newValue) }
    }

    /// Creates a warning.
    ///
    /// - Parameters:
    ///   - code: What kind of warning it is.
    ///   - message: The warning in words.
    public init(_ code: WarningCode, _ message: String) {
        self.code = code
        self.words = .text(message)
    }

    /// A warning whose words `wording` gives when they are first read (and each time after).
    package init(_ code: WarningCode, wording: any ValuationWarningWording) {
        self.code = code
        self.words = .deferred(wording)
    }

    private enum CodingKeys: String, CodingKey { case code, message }

    /// Reads a warning's code and message.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when either is missing or the code is unknown.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(WarningCode.self, forKey: .code)
        words = .text(try container.decode(String.self, forKey: .message))
    }

    /// Writes the warning's code and message, in words.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: What the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
    }

    /// Whether two warnings have the same code and the same words.
    ///
    /// - Parameters:
    ///   - lhs: One warning.
    ///   - rhs: The other warning.
    /// - Returns: True when code and message are equal.
    public static func == (lhs: ValuationWarning, rhs: ValuationWarning) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// Hashes the code and the words.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

/// A valuation of one item on one basis: a low / central / high range with its provenance.
public struct Valuation: Hashable, Sendable, Codable {
    /// The basis the figures are stated on: face, wholesale, street, market, realisable or realised.
    public var basis: ValuationBasis
    /// The date the item is valued at.
    public var valuedOn: CalendarDate
    /// The low end of the range, exact and unrounded.
    public var low: Money
    /// The main figure, exact and unrounded; totals and the confiscation calculator use it.
    public var central: Money
    /// The high end of the range, exact and unrounded.
    public var high: Money
    /// True for a figure offered only as an upper bound (drugs re-cut to street purity); never totalled.
    public var isUpperBound: Bool
    /// The rows the figures rest on (price rows, and any rate or index rows); never empty.
    public var sources: [PriceSource] {
        get {
            switch provenance {
            case .listed(let sources, _): return sources
            case .deferred(let deferred): return deferred.priceSources()
            }
        }
        set { provenance = .listed(sources: newValue, warnings: warnings) }
    }
    /// The conversion applied to reach the valuation's currency; nil when none was needed.
    public var exchangeRate: AppliedExchangeRate?
    /// The price-index uplift applied; nil when none was.
    public var indexAdjustment: IndexAdjustment?
    /// Reasons the figures need a second look; empty when there are none.
    public var warnings: [ValuationWarning] {
        get {
            switch provenance {
            case .listed(_, let warnings): return warnings
            case .deferred(let deferred): return deferred.valuationWarnings()
            }
        }
        set { provenance = .listed(sources: sources, warnings: newValue) }
    }

    /// The sources and warnings as lists, or as the valuer gave them, listed when read.
    private enum Provenance: Sendable {
        case listed(sources: [PriceSource], warnings: [ValuationWarning])
        case deferred(any ValuationProvenance)
    }
    private var provenance: Provenance

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
        self.init(checked: basis, valuedOn: valuedOn, low: low, central: central, high: high, isUpperBound: isUpperBound,
                  provenance: .listed(sources: sources, warnings: warnings), exchangeRate: exchangeRate, indexAdjustment: indexAdjustment)
    }

    /// A valuation whose sources and warnings `provenance` lists when they are read, for a
    /// valuer whose figures meet the public initialiser's checks by construction (a figure that
    /// does not is a bug in the valuer, and stops it). Not throwing: a throwing initialiser
    /// copied the whole valuation out, a retain and a release for each thing it holds.
    package init(basis: ValuationBasis, valuedOn: CalendarDate, low: Money, central: Money, high: Money, isUpperBound: Bool,
                 provenance: consuming any ValuationProvenance, exchangeRate: AppliedExchangeRate?, indexAdjustment: IndexAdjustment?) {
        precondition(low.currency == central.currency && central.currency == high.currency, "a valuation's low, central and high must share one currency")
        precondition(low.amount <= central.amount && central.amount <= high.amount, "a valuation needs low ≤ central ≤ high")
        precondition(provenance.hasSources, "a valuation must name at least one source row")
        self.init(checked: basis, valuedOn: valuedOn, low: low, central: central, high: high, isUpperBound: isUpperBound,
                  provenance: .deferred(provenance), exchangeRate: exchangeRate, indexAdjustment: indexAdjustment)
    }

    /// The valuation from figures both initialisers above have checked.
    @inline(__always)
    private init(checked basis: ValuationBasis, valuedOn: CalendarDate, low: Money, central: Money, high: Money, isUpperBound: Bool,
                 provenance: consuming Provenance, exchangeRate: AppliedExchangeRate?, indexAdjustment: IndexAdjustment?) {
        self.basis = basis
        self.valuedOn = valuedOn
        self.low = low
        self.central = central
        self.high = high
        self.isUpperBound = isUpperBound
        self.provenance = provenance
        self.exchangeRate = exchangeRate
        self.indexAdjustment = indexAdjustment
    }

    // `==` and `hash(into:)` are written out (the lists may be deferred): a stored property added
    // to a valuation must be added to both, and to `CodingKeys`.

    /// Whether two valuations have the same figures, sources, conversion, uplift and warnings.
    ///
    /// - Parameters:
    ///   - lhs: One valuation.
    ///   - rhs: The other valuation.
    /// - Returns: True when every property is equal.
    public static func == (lhs: Valuation, rhs: Valuation) -> Bool {
        lhs.basis == rhs.basis && lhs.valuedOn == rhs.valuedOn && lhs.low == rhs.low && lhs.central == rhs.central && lhs.high == rhs.high
            && lhs.isUpperBound == rhs.isUpperBound && lhs.exchangeRate == rhs.exchangeRate && lhs.indexAdjustment == rhs.indexAdjustment
            && lhs.sources == rhs.sources && lhs.warnings == rhs.warnings
    }

    /// Hashes every property that equality compares.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(basis)
        hasher.combine(valuedOn)
        hasher.combine(low)
        hasher.combine(central)
        hasher.combine(high)
        hasher.combine(isUpperBound)
        hasher.combine(sources)
        hasher.combine(exchangeRate)
        hasher.combine(indexAdjustment)
        hasher.combine(warnings)
    }

    /// The currency of the figures, which low, central and high share.
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
        let warnings = self.warnings
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
    /// The kind of item summed.
    public var kind: ItemKind
    /// The basis of the valuations summed.
    public var basis: ValuationBasis
    /// How many valuations were added in (upper bounds are left out of totals).
    public var itemCount: Int
    /// The sum of the low figures, each rounded to the minor unit first.
    public var low: Money
    /// The sum of the central figures, each rounded to the minor unit first.
    public var central: Money
    /// The sum of the high figures, each rounded to the minor unit first.
    public var high: Money

    /// Creates a total.
    ///
    /// - Parameters:
    ///   - kind: The kind of item summed.
    ///   - basis: The basis of the valuations summed.
    ///   - itemCount: How many valuations were added in.
    ///   - low: The sum of the low figures.
    ///   - central: The sum of the central figures.
    ///   - high: The sum of the high figures.
    public init(kind: ItemKind, basis: ValuationBasis, itemCount: Int, low: Money, central: Money, high: Money) {
        self.kind = kind
        self.basis = basis
        self.itemCount = itemCount
        self.low = low
        self.central = central
        self.high = high
    }
}

extension Valuation {
    /// The valuation with its three figures rounded to their currency's minor unit: the precision
    /// a case file and a court see.
    var atMinorUnits: Valuation {
        var copy = self
        copy.low = low.rounded()
        copy.central = central.rounded()
        copy.high = high.rounded()
        return copy
    }
}
