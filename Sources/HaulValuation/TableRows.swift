import Foundation
import HaulCore

/// Where a row came from and how far to trust it. Immutable and shared: a figure keeps a
/// reference to the row's origin rather than copies of its strings.
public final class RowOrigin: Hashable, Sendable, CustomStringConvertible {
    /// The file the row came from, as displayed (such as `valuations/GB-EAW/drugs.csv`), or a label such as `face value` for a figure no table gave.
    public let file: String
    /// The row's line in `file`, counted from 1; 0 when no line of a file gave it.
    public let line: Int
    /// The date the row takes effect (`effective_from`); a row is used only on or after it.
    public let effectiveFrom: CalendarDate
    /// The citation for the row's figure: the table's `source` column.
    public let source: String
    /// How far the row's source can be trusted: [V], [P], [?] or [I].
    public let confidence: Confidence
    /// `effectiveFrom` as a day number, for fast comparisons.
    public let effectiveDay: Int
    /// False for a row that is not a price (a factor, a sentencing band, an index value): such a
    /// row never makes a figure stale.
    public let isPrice: Bool
    /// The file's last path component (`drugs.csv`), taken once.
    private let fileName: Substring
    /// `drugs.csv:12`: the file's name and the line, as a warning lists the rows it is about.
    package var shortCitation: String { "\(fileName):\(line)" }
    /// The row as the case model cites it, made once: every figure priced from the row carries it.
    package let priceSource: PriceSource

    /// The origin of a row.
    ///
    /// - Parameters:
    ///   - file: The file the row came from, as displayed.
    ///   - line: The row's line, counted from 1; 0 for none.
    ///   - effectiveFrom: The date the row takes effect.
    ///   - source: The citation for the row's figure.
    ///   - confidence: How far the source can be trusted.
    ///   - isPrice: False for a factor, sentencing band or index value, which never makes a figure stale.
    public init(file: String, line: Int, effectiveFrom: CalendarDate, source: String, confidence: Confidence, isPrice: Bool = true) {
        self.isPrice = isPrice
        self.file = file
        // The last name, as `split(separator: "/").last` gives it, without building the array
        // (a counted cash figure makes one origin per item). Compared as characters, as `split`
        // does: a "/" with a combining mark after it is not a separator.
        var name = file[...]
        if file.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII has no combining marks: bytes will do, without breaking the text into characters.
            let slash = UInt8(ascii: "/")
            var end = file.utf8.endIndex
            while end > file.utf8.startIndex, file.utf8[file.utf8.index(before: end)] == slash { end = file.utf8.index(before: end) }
            name = file[file.startIndex..<end]
            if let last = name.utf8.lastIndex(of: slash) { name = name[name.utf8.index(after: last)...] }
        } else {
            while name.last == "/" { name = name.dropLast() }
            if let last = name.lastIndex(of: "/") { name = name[name.index(after: last)...] }
        }
        self.fileName = name
        self.line = line
        self.effectiveFrom = effectiveFrom
        self.effectiveDay = effectiveFrom.dayNumber
        self.source = source
        self.confidence = confidence
        self.priceSource = PriceSource(table: file, line: line > 0 ? line : nil, effectiveFrom: effectiveFrom, confidence: confidence, citation: source)
    }

    /// Whether two origins name the same row: the same object, or the same file, line, date, source and confidence.
    ///
    /// - Parameters:
    ///   - lhs: One origin.
    ///   - rhs: The other origin.
    /// - Returns: True when they are the same row.
    public static func == (lhs: RowOrigin, rhs: RowOrigin) -> Bool {
        lhs === rhs || (lhs.file == rhs.file && lhs.line == rhs.line && lhs.effectiveFrom == rhs.effectiveFrom
                        && lhs.source == rhs.source && lhs.confidence == rhs.confidence)
    }

    /// Hashes the file and line, which is enough to tell rows apart.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(line)
    }

    /// `file:line`, as a message cites the row.
    public var description: String { "\(file):\(line)" }
}

/// A low / central / high price in one currency, exactly as its table states it.
public struct PriceRange: Hashable, Sendable {
    /// The lowest price, in `currency`; no more than `central`.
    public var low: FixedDecimal
    /// The typical price, in `currency`.
    public var central: FixedDecimal
    /// The highest price, in `currency`; no less than `central`.
    public var high: FixedDecimal
    /// The currency of all three prices.
    public var currency: Currency

    package init(low: FixedDecimal, central: FixedDecimal, high: FixedDecimal, currency: Currency) {
        self.low = low
        self.central = central
        self.high = high
        self.currency = currency
    }
}

/// The unit a drug quantity or price is stated in.
public enum QuantityUnit: String, CaseIterable, Sendable {
    /// Milligram, gram, kilogram, avoirdupois ounce, pound and troy ounce (masses); tablet, square (of LSD blotter) and plant (counts).
    case mg, g, kg, oz, lb, ozt, tablet, square, plant

    /// Grams per unit for masses; nil for counted units.
    public var grams: FixedDecimal? {
        // The masses share their exact factors with the model's MassUnit. A switch, not a
        // look-up by code: every ladder row a drug is priced against asks.
        switch self {
        case .mg: return MassUnit.milligram.grams
        case .g: return MassUnit.gram.grams
        case .kg: return MassUnit.kilogram.grams
        case .oz: return MassUnit.ounce.grams
        case .lb: return MassUnit.pound.grams
        case .ozt: return MassUnit.troyOunce.grams
        case .tablet, .square, .plant: return nil
        }
    }

    /// True for the counted units (tablet, square, plant), which have no mass in grams.
    public var isCount: Bool { grams == nil }
}

/// A `drugs.csv` row: a drug's price at one level of sale, from a quantity up.
public struct DrugPriceRow: Hashable, Sendable {
    /// The drug priced.
    public var substance: Substance
    /// The level of sale the price is for: wholesale or street.
    public var basis: ValuationBasis
    /// The row applies from this quantity up (a price ladder: gram, ounce, kilo).
    public var fromQuantity: FixedDecimal
    /// The unit of `fromQuantity`: a mass, or a count when `priceUnit` is a count.
    public var quantityUnit: QuantityUnit
    /// The price is per one of this unit.
    public var priceUnit: QuantityUnit
    /// Typical purity at this level, percent.
    public var referencePurity: FixedDecimal?
    /// The price of one `priceUnit`, at the row's reference purity.
    public var price: PriceRange
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(substance: Substance, basis: ValuationBasis, fromQuantity: FixedDecimal, quantityUnit: QuantityUnit, priceUnit: QuantityUnit, referencePurity: FixedDecimal? = nil, price: PriceRange, origin: RowOrigin) {
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

/// A `watches.csv` row: the pre-owned market price of a watch model or reference.
public struct WatchPriceRow: Hashable, Sendable {
    /// The maker, matched without regard to case.
    public var brand: String
    /// The model, matched without regard to case.
    public var model: String
    /// The maker's reference number; empty when the row prices any reference of the model.
    public var reference: String
    /// The pre-owned market price of one watch, before condition and box-and-papers factors.
    public var price: PriceRange
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(brand: String, model: String, reference: String, price: PriceRange, origin: RowOrigin) {
        self.brand = brand
        self.model = model
        self.reference = reference
        self.price = price
        self.origin = origin
    }
}

/// What a `vehicles.csv` price is: the list price when new, or an observed price for the model year.
public enum VehiclePriceType: String, Sendable, CaseIterable {
    /// The list price when new, for the depreciation model.
    case new
    /// An observed market (retail) price for that model year.
    case observed
}

/// A `vehicles.csv` row: a price for a make, model and model year.
public struct VehiclePriceRow: Hashable, Sendable {
    /// The manufacturer, matched without regard to case.
    public var make: String
    /// The model, matched without regard to case.
    public var model: String
    /// The model year, 1885 to 2199.
    public var year: Int
    /// Whether the price is the new list price or an observed retail price.
    public var priceType: VehiclePriceType
    /// The price of one vehicle.
    public var price: PriceRange
    /// Where the row came from and how far to trust it.
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
    /// The metal priced.
    public var metal: Metal
    /// The price of one troy ounce of the pure metal.
    public var price: PriceRange
    /// Where the row came from and how far to trust it.
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
    /// The kind of item the table does not price.
    public var kind: ItemKind
    /// The substance, model or asset with no price, as the table names it.
    public var entry: String
    /// Why there is no price, given with the valuer's "no price".
    public var reason: String
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(kind: ItemKind, entry: String, reason: String, origin: RowOrigin) {
        self.kind = kind
        self.entry = entry
        self.reason = reason
        self.origin = origin
    }
}

/// A `crypto.csv` row: a cryptoasset's price per unit.
public struct CryptoPriceRow: Hashable, Sendable {
    /// The asset's code, 2 to 10 capital letters or digits (such as BTC).
    public var asset: String
    /// The price of one unit of the asset.
    public var price: PriceRange
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(asset: String, price: PriceRange, origin: RowOrigin) {
        self.asset = asset
        self.price = price
        self.origin = origin
    }
}

/// A dimensionless factor (condition, depreciation, costs of sale) with its range.
public struct FactorRow: Hashable, Sendable {
    /// The kind of item the factor applies to.
    public var kind: ItemKind
    /// The factor's name: a `FactorName` raw value such as `condition`.
    public var factor: String
    /// What the factor applies to (a condition, a class, a brand), or `*` for any.
    public var key: String
    /// The low end of the factor's range, a multiplier with no currency.
    public var low: FixedDecimal
    /// The central value of the factor.
    public var central: FixedDecimal
    /// The high end of the factor's range.
    public var high: FixedDecimal
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(kind: ItemKind, factor: String, key: String, low: FixedDecimal, central: FixedDecimal, high: FixedDecimal, origin: RowOrigin) {
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
    /// The drug the threshold is for.
    public var substance: Substance
    /// The guideline category, 1 to 4; category 1 is for the largest quantities.
    public var category: Int
    /// The indicative quantity from which the category applies, in `quantityUnit`.
    public var fromQuantity: FixedDecimal
    /// The unit of `fromQuantity`: a mass, or a count of tablets, squares or plants.
    public var quantityUnit: QuantityUnit
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(substance: Substance, category: Int, fromQuantity: FixedDecimal, quantityUnit: QuantityUnit, origin: RowOrigin) {
        self.substance = substance
        self.category = category
        self.fromQuantity = fromQuantity
        self.quantityUnit = quantityUnit
        self.origin = origin
    }
}

/// One month of a price index (CPIH).
public struct IndexRow: Hashable, Sendable {
    /// The month, as its first day.
    public var period: CalendarDate
    /// The index value for the month, in index points (2015 = 100).
    public var value: FixedDecimal
    /// Where the row came from and how far to trust it.
    public var origin: RowOrigin

    package init(period: CalendarDate, value: FixedDecimal, origin: RowOrigin) {
        self.period = period
        self.value = value
        self.origin = origin
    }
}

/// A jurisdiction's table settings.
public struct TableManifest: Hashable, Sendable {
    /// The tables' name for display: the manifest's `name`, else the folder's name.
    public var name: String
    /// The currency figures are stated in; prices in another currency are converted to it.
    public var currency: Currency
    /// Rows older than this (in years) carry a stale-price warning.
    public var stalenessYears: Int
    /// The tables' default basis (`default_basis`); market when the manifest does not set one.
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
    /// The rows of `drugs.csv`, in file order.
    public var drugs: [DrugPriceRow] = []
    /// The rows of `watches.csv`, in file order.
    public var watches: [WatchPriceRow] = []
    /// The rows of `vehicles.csv`, in file order.
    public var vehicles: [VehiclePriceRow] = []
    /// The rows of `metals.csv`, in file order.
    public var metals: [MetalPriceRow] = []
    /// The rows of `crypto.csv`, in file order.
    public var crypto: [CryptoPriceRow] = []
    /// The rows of `factors.csv`, in file order.
    public var factors: [FactorRow] = []
    /// The rows of `sentencing.csv`, in file order.
    public var sentencing: [SentencingRow] = []
    /// The price-index months of `index-cpih.csv`, in file order.
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

    /// An empty table set with no manifest.
    ///
    /// - Parameter name: The folder as the user names it (e.g. `valuations/GB-EAW`).
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
