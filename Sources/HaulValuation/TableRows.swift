import Foundation
import HaulCore

/// Where a row came from and how far to trust it. Immutable and shared: a figure keeps a
/// reference to the row's origin rather than copies of its strings.
public final class RowOrigin: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let effectiveFrom: CalendarDate
    public let source: String
    public let confidence: Confidence
    /// `effectiveFrom` as a day number, for fast comparisons.
    public let effectiveDay: Int
    /// False for a row that is not a price (a factor, a sentencing band, an index value): such a
    /// row never makes a figure stale.
    public let isPrice: Bool

    public init(file: String, line: Int, effectiveFrom: CalendarDate, source: String, confidence: Confidence, isPrice: Bool = true) {
        self.isPrice = isPrice
        self.file = file
        self.line = line
        self.effectiveFrom = effectiveFrom
        self.effectiveDay = effectiveFrom.dayNumber
        self.source = source
        self.confidence = confidence
    }

    public static func == (lhs: RowOrigin, rhs: RowOrigin) -> Bool {
        lhs === rhs || (lhs.file == rhs.file && lhs.line == rhs.line && lhs.effectiveFrom == rhs.effectiveFrom
                        && lhs.source == rhs.source && lhs.confidence == rhs.confidence)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
    }

    public var description: String { "\(file):\(line)" }
}

/// A low / central / high price in one currency, exact to 10⁻⁹.
public struct PriceRange: Hashable, Sendable {
    public var low: Fixed
    public var central: Fixed
    public var high: Fixed
    public var currency: Currency

    package init(low: Fixed, central: Fixed, high: Fixed, currency: Currency) {
        self.low = low
        self.central = central
        self.high = high
        self.currency = currency
    }
}

/// The unit a drug quantity or price is stated in.
public enum QuantityUnit: String, CaseIterable, Sendable {
    case mg, g, kg, oz, lb, ozt, tablet, square, plant

    /// Grams per unit for masses; nil for counted units.
    public var grams: Fixed? {
        switch self {
        case .mg: return Fixed(raw: 1_000_000)
        case .g: return Fixed(1)
        case .kg: return Fixed(1000)
        case .oz: return Fixed(raw: 28_349_523_125)
        case .lb: return Fixed(raw: 453_592_370_000)
        case .ozt: return Fixed(raw: 31_103_476_800)
        case .tablet, .square, .plant: return nil
        }
    }

    public var isCount: Bool { grams == nil }
}

public struct DrugPriceRow: Hashable, Sendable {
    public var substance: Substance
    public var basis: ValuationBasis
    /// The row applies from this quantity up (a price ladder: gram, ounce, kilo).
    public var fromQuantity: Fixed
    public var quantityUnit: QuantityUnit
    /// The price is per one of this unit.
    public var priceUnit: QuantityUnit
    /// Typical purity at this level, percent.
    public var referencePurity: Fixed?
    public var price: PriceRange
    public var origin: RowOrigin

    package init(substance: Substance, basis: ValuationBasis, fromQuantity: Fixed, quantityUnit: QuantityUnit, priceUnit: QuantityUnit, referencePurity: Fixed? = nil, price: PriceRange, origin: RowOrigin) {
        self.substance = substance
        self.basis = basis
        self.fromQuantity = fromQuantity
        self.quantityUnit = quantityUnit
        self.priceUnit = priceUnit
        self.referencePurity = referencePurity
        self.price = price
        self.origin = origin
    }
}

public struct WatchPriceRow: Hashable, Sendable {
    public var brand: String
    public var model: String
    public var reference: String
    public var price: PriceRange
    public var origin: RowOrigin

    package init(brand: String, model: String, reference: String, price: PriceRange, origin: RowOrigin) {
        self.brand = brand
        self.model = model
        self.reference = reference
        self.price = price
        self.origin = origin
    }
}

public enum VehiclePriceType: String, Sendable, CaseIterable {
    /// The list price when new, for the depreciation model.
    case new
    /// An observed market (retail) price for that model year.
    case observed
}

public struct VehiclePriceRow: Hashable, Sendable {
    public var make: String
    public var model: String
    public var year: Int
    public var priceType: VehiclePriceType
    public var price: PriceRange
    public var origin: RowOrigin

    package init(make: String, model: String, year: Int, priceType: VehiclePriceType, price: PriceRange, origin: RowOrigin) {
        self.make = make
        self.model = model
        self.year = year
        self.priceType = priceType
        self.price = price
        self.origin = origin
    }
}

/// A reference metal price per troy ounce of the pure metal.
public struct MetalPriceRow: Hashable, Sendable {
    public var metal: Metal
    public var price: PriceRange
    public var origin: RowOrigin

    package init(metal: Metal, price: PriceRange, origin: RowOrigin) {
        self.metal = metal
        self.price = price
        self.origin = origin
    }
}

/// Why a table prices no row for an entry: a gap said, not a silence. The valuer gives the reason
/// with its "no price" (a British bulk seizure is never priced at a foreign retail figure).
public struct GapRow: Hashable, Sendable {
    public var kind: ItemKind
    /// The substance, model or asset with no price, as the table names it.
    public var entry: String
    public var reason: String
    public var origin: RowOrigin

    package init(kind: ItemKind, entry: String, reason: String, origin: RowOrigin) {
        self.kind = kind
        self.entry = entry
        self.reason = reason
        self.origin = origin
    }
}

public struct CryptoPriceRow: Hashable, Sendable {
    public var asset: String
    public var price: PriceRange
    public var origin: RowOrigin

    package init(asset: String, price: PriceRange, origin: RowOrigin) {
        self.asset = asset
        self.price = price
        self.origin = origin
    }
}

/// A dimensionless factor (condition, depreciation, costs of sale) with its range.
public struct FactorRow: Hashable, Sendable {
    public var kind: ItemKind
    public var factor: String
    /// What the factor applies to (a condition, a class, a brand), or `*` for any.
    public var key: String
    public var low: Fixed
    public var central: Fixed
    public var high: Fixed
    public var origin: RowOrigin

    package init(kind: ItemKind, factor: String, key: String, low: Fixed, central: Fixed, high: Fixed, origin: RowOrigin) {
        self.kind = kind
        self.factor = factor
        self.key = key
        self.low = low
        self.central = central
        self.high = high
        self.origin = origin
    }
}

/// A sentencing-guideline category threshold (England & Wales drug offences).
public struct SentencingRow: Hashable, Sendable {
    public var substance: Substance
    public var category: Int
    public var fromQuantity: Fixed
    public var quantityUnit: QuantityUnit
    public var origin: RowOrigin

    package init(substance: Substance, category: Int, fromQuantity: Fixed, quantityUnit: QuantityUnit, origin: RowOrigin) {
        self.substance = substance
        self.category = category
        self.fromQuantity = fromQuantity
        self.quantityUnit = quantityUnit
        self.origin = origin
    }
}

/// One month of a price index (CPIH).
public struct IndexRow: Hashable, Sendable {
    public var period: CalendarDate
    public var value: Fixed
    public var origin: RowOrigin

    package init(period: CalendarDate, value: Fixed, origin: RowOrigin) {
        self.period = period
        self.value = value
        self.origin = origin
    }
}

/// A jurisdiction's table settings.
public struct TableManifest: Hashable, Sendable {
    public var name: String
    public var currency: Currency
    /// Rows older than this (in years) carry a stale-price warning.
    public var stalenessYears: Int
    public var defaultBasis: ValuationBasis
    /// The price index used to bring old prices forward, if any.
    public var index: String?
    /// Crypto prices move daily: older than this many days is stale.
    public var cryptoStalenessDays: Int = 7
    /// Metal fixes older than this many days are stale.
    public var metalStalenessDays: Int = 31

    package init(name: String, currency: Currency, stalenessYears: Int, defaultBasis: ValuationBasis, index: String? = nil, cryptoStalenessDays: Int = 7, metalStalenessDays: Int = 31) {
        self.name = name
        self.currency = currency
        self.stalenessYears = stalenessYears
        self.defaultBasis = defaultBasis
        self.index = index
        self.cryptoStalenessDays = cryptoStalenessDays
        self.metalStalenessDays = metalStalenessDays
    }
}

/// The price tables of one folder (one jurisdiction, or a user's overlay of it).
public struct TableSet: Sendable {
    /// The folder as the user names it (e.g. `valuations/GB-EAW`).
    public var name: String
    /// Nil for an overlay folder without its own manifest.
    public var manifest: TableManifest?
    public var drugs: [DrugPriceRow] = []
    public var watches: [WatchPriceRow] = []
    public var vehicles: [VehiclePriceRow] = []
    public var metals: [MetalPriceRow] = []
    public var crypto: [CryptoPriceRow] = []
    public var factors: [FactorRow] = []
    public var sentencing: [SentencingRow] = []
    public var index: [IndexRow] = []
    /// Entries the table deliberately does not price, and why (`gaps.csv`).
    public var gaps: [GapRow] = []
    /// The table files read, as displayed.
    public var files: [String] = []

    /// Appends every row of `other` (not its manifest or files).
    package mutating func add(rowsOf other: TableSet) {
        drugs += other.drugs
        watches += other.watches
        vehicles += other.vehicles
        metals += other.metals
        crypto += other.crypto
        factors += other.factors
        sentencing += other.sentencing
        index += other.index
        gaps += other.gaps
    }

    public init(name: String) { self.name = name }

    /// The newest `effective_from` of any priced row (factors, bands and index values left out), or nil.
    public var newestPrice: CalendarDate? {
        let origins = drugs.map(\.origin) + watches.map(\.origin) + vehicles.map(\.origin) + metals.map(\.origin) + crypto.map(\.origin)
        return origins.max { $0.effectiveDay < $1.effectiveDay }?.effectiveFrom
    }

    /// The newest `effective_from` in each table that has rows: what a unit looks at to see which
    /// tables need a refresh.
    public var newestByTable: [String: CalendarDate] {
        func newest(_ origins: [RowOrigin]) -> CalendarDate? { origins.max { $0.effectiveDay < $1.effectiveDay }?.effectiveFrom }
        let tables: [(String, [RowOrigin])] = [("drugs", drugs.map(\.origin)), ("watches", watches.map(\.origin)), ("vehicles", vehicles.map(\.origin)),
                                              ("metals", metals.map(\.origin)), ("crypto", crypto.map(\.origin)), ("factors", factors.map(\.origin)),
                                              ("sentencing", sentencing.map(\.origin)), ("index-cpih", index.map(\.origin)), ("gaps", gaps.map(\.origin))]
        var found: [String: CalendarDate] = [:]
        for (table, origins) in tables { if let date = newest(origins) { found[table] = date } }
        return found
    }

    /// The number of priced rows, by table.
    public var rowCounts: [(table: String, rows: Int)] {
        [("drugs", drugs.count), ("watches", watches.count), ("vehicles", vehicles.count), ("metals", metals.count),
         ("crypto", crypto.count), ("factors", factors.count), ("sentencing", sentencing.count), ("index-cpih", index.count), ("gaps", gaps.count)]
            .filter { $0.rows > 0 }
    }
}
