import Foundation

/// Units of mass, with exact factors to grams.
public enum MassUnit: String, CaseIterable, Sendable, Codable {
    /// Milligram (`mg`), 0.001 g.
    case milligram = "mg"
    /// Gram (`g`).
    case gram = "g"
    /// Kilogram (`kg`), 1,000 g.
    case kilogram = "kg"
    /// Avoirdupois ounce, 28.349523125 g exactly.
    case ounce = "oz"
    /// Avoirdupois pound, 453.59237 g exactly (the international pound).
    case pound = "lb"
    /// Troy ounce, 31.1034768 g exactly (precious metals).
    case troyOunce = "ozt"

    /// Grams in one of this unit, exact.
    public var grams: FixedDecimal {
        switch self {
        case .milligram: return FixedDecimal(units: 1, places: 3)
        case .gram: return 1
        case .kilogram: return 1000
        case .ounce: return FixedDecimal(units: 28_349_523_125, places: 9)
        case .pound: return FixedDecimal(units: 45_359_237, places: 5)
        case .troyOunce: return FixedDecimal(units: 311_034_768, places: 7)
        }
    }
}

/// A mass: an exact positive decimal value in a unit.
///
/// ```swift
/// let block = try Mass(parsing: "1", unit: .kilogram)
/// block.grams   // 1000
/// ```
public struct Mass: Hashable, Sendable, Codable {
    /// The amount in `unit`: above 0, at most 10⁹, at most six decimal places.
    public let value: FixedDecimal
    /// The unit `value` is stated in.
    public let unit: MassUnit

    /// A mass must be greater than zero, and within what a case file carries (10⁹ of its unit,
    /// six decimal places).
    public init(_ value: FixedDecimal, _ unit: MassUnit) throws(HaulCoreError) {
        guard value > 0 else {
            throw HaulCoreError(value < 0 ? .negativeQuantity : .outOfRange,
                                "mass \(DecimalText.plain(value)) \(unit.rawValue) must be greater than zero")
        }
        try SchemaBounds.quantity.check(value, "mass (\(unit.rawValue))")
        self.value = value
        self.unit = unit
    }

    private enum CodingKeys: String, CodingKey { case value, unit }

    /// Decoded through the checking initialiser: a stored mass of −5 kg is refused, not built.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(try container.decode(FixedDecimal.self, forKey: .value), try container.decode(MassUnit.self, forKey: .unit))
    }

    /// Reads a mass from plain decimal text, e.g. `"1.5"`, checked as `init(_:_:)` checks it.
    ///
    /// - Parameters:
    ///   - text: The value as plain decimal text.
    ///   - unit: The unit it is in.
    /// - Throws: `HaulCoreError`: `invalidNumber` for text that is not a plain decimal;
    ///   `negativeQuantity` or `outOfRange` for a value not above 0 or outside what a case file carries.
    public init(parsing text: String, unit: MassUnit) throws(HaulCoreError) {
        let value: FixedDecimal
        do { value = try DecimalText.parse(text) } catch { throw HaulCoreError(.invalidNumber, "mass \(error)") }
        try self.init(value, unit)
    }

    /// The mass in grams, exact.
    public var grams: FixedDecimal { value * unit.grams }

    /// The mass in another unit (exact where the factors divide; otherwise rounded at 18 places).
    public func value(in target: MassUnit) -> FixedDecimal { grams / target.grams }
}

/// Units counted one by one.
public enum CountUnit: String, CaseIterable, Sendable, Codable {
    /// A tablet, priced per unit (ecstasy, for instance).
    case tablet
    /// A blotter square (LSD).
    case square
    /// A plant, priced per unit.
    case plant
}

/// A whole number of units: tablets, squares, plants.
public struct UnitCount: Hashable, Sendable, Codable {
    /// The number of units, 1 to 10⁹.
    public let count: Int
    /// What is counted: tablets, squares or plants.
    public let unit: CountUnit

    /// Creates a count of at least 1 and at most 10⁹.
    ///
    /// - Parameters:
    ///   - count: The number of units.
    ///   - unit: What is counted.
    /// - Throws: `HaulCoreError`: `negativeQuantity` for a negative count, `outOfRange` for zero or
    ///   more than 10⁹.
    public init(_ count: Int, _ unit: CountUnit) throws(HaulCoreError) {
        guard count > 0 else {
            throw HaulCoreError(count < 0 ? .negativeQuantity : .outOfRange, "count of \(unit.rawValue)s must be at least 1, not \(count)")
        }
        try SchemaBounds.count.check(FixedDecimal(count), "count of \(unit.rawValue)s")
        self.count = count
        self.unit = unit
    }

    private enum CodingKeys: String, CodingKey { case count, unit }

    /// Decoded through the checking initialiser: a stored count of zero is refused, not built.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `HaulCoreError` for a count out of range; `DecodingError` for a missing or
    ///   malformed value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(try container.decode(Int.self, forKey: .count), try container.decode(CountUnit.self, forKey: .unit))
    }
}

/// How a purity figure was obtained.
public enum PurityMethod: String, CaseIterable, Sendable, Codable {
    /// Measured by laboratory analysis.
    case laboratory
    /// Measured by a field test rather than in a laboratory.
    case fieldTest = "field-test"
    /// Not measured: a typical figure assumed for valuation (valuations warn about it).
    case assumed
}

/// Purity as a percentage, 0 to 100 inclusive, exact.
public struct Purity: Hashable, Sendable, Codable {
    /// The purity in percent, 0 to 100 inclusive, at most four decimal places.
    public let percent: FixedDecimal
    /// How the figure was obtained; an `assumed` one makes valuations warn.
    public let method: PurityMethod

    /// Creates a purity, checking it is 0 to 100 with at most four decimal places.
    ///
    /// - Parameters:
    ///   - percent: The purity in percent.
    ///   - method: How the figure was obtained.
    /// - Throws: `HaulCoreError` (`outOfRange`) for a figure outside 0 to 100 or with more places.
    public init(percent: FixedDecimal, method: PurityMethod) throws(HaulCoreError) {
        guard percent >= 0, percent <= 100 else {
            throw HaulCoreError(.outOfRange, "purity \(DecimalText.plain(percent)) % is outside 0 to 100")
        }
        try SchemaBounds.percent.check(percent, "purity")
        self.percent = percent
        self.method = method
    }

    private enum CodingKeys: String, CodingKey { case percent, method }

    /// Decoded through the checking initialiser: a stored purity of 250 % is refused, not built.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(percent: try container.decode(FixedDecimal.self, forKey: .percent), method: try container.decode(PurityMethod.self, forKey: .method))
    }

    /// The purity as a fraction (85 % → 0.85).
    public var fraction: FixedDecimal { percent / 100 }
}
