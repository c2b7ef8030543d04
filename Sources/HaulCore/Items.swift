import Foundation

/// A stable identifier: a letter or digit, then up to 63 of `A–Z a–z 0–9 . _ : / -`.
/// Used for case references, seizures, items, exhibits and agencies.
public struct Identifier: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let value: String

    public init(_ value: String) throws(HaulCoreError) {
        guard Self.isValid(value) else {
            throw HaulCoreError(.invalidIdentifier, "'\(value)' is not an identifier: start with a letter or digit, then up to 63 letters, digits or . _ : / -")
        }
        self.value = value
    }

    /// For literals in code and tests; a bad literal is a programming error.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "invalid identifier literal '\(value)'")
        self.value = value
    }

    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), isAlphanumeric(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == 46 || $0 == 95 || $0 == 58 || $0 == 47 || $0 == 45 }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    public var description: String { value }
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.value < rhs.value }
}

/// The kinds of seized item. The last five are never given a market value.
public enum ItemKind: String, CaseIterable, Sendable, Codable {
    case drug, cash, watch, vehicle, jewellery, cryptoasset
    case firearm, ammunition, phone, document, other

    /// False for firearms, ammunition, phones, documents and other items: they are tracked, not valued.
    public var isValued: Bool {
        switch self {
        case .drug, .cash, .watch, .vehicle, .jewellery, .cryptoasset: return true
        case .firearm, .ammunition, .phone, .document, .other: return false
        }
    }
}

/// Controlled drugs Haul prices. An unknown substance is refused rather than guessed.
public enum Substance: String, CaseIterable, Sendable, Codable {
    case cocaine
    case crackCocaine = "crack-cocaine"
    case heroin, methamphetamine, amphetamine, mdma, ecstasy
    case cannabisHerbal = "cannabis-herbal"
    case cannabisResin = "cannabis-resin"
    case cannabisPlant = "cannabis-plant"
    case ketamine, lsd
}

public enum DrugForm: String, CaseIterable, Sendable, Codable {
    case powder, crystal, rock, tablet, blotter, herbal, resin, plant, liquid
}

/// How much of a drug: a gross mass, or a count for tablets, squares and plants.
public enum DrugQuantity: Hashable, Sendable, Codable {
    case mass(Mass)
    case count(UnitCount)
}

/// A seized drug, as found (gross), with purity when known.
public struct DrugItem: Hashable, Sendable, Codable {
    public var substance: Substance
    public var form: DrugForm
    public var quantity: DrugQuantity
    /// Nil when not yet tested; valuers then assume a typical purity and say so.
    public var purity: Purity?

    public init(substance: Substance, form: DrugForm, quantity: DrugQuantity, purity: Purity? = nil) {
        self.substance = substance
        self.form = form
        self.quantity = quantity
        self.purity = purity
    }
}

public enum CashForm: String, CaseIterable, Sendable, Codable { case note, coin }

/// A count of notes or coins of one face value.
public struct Denomination: Hashable, Sendable, Codable {
    public var value: Decimal
    public var form: CashForm
    public var count: Int

    public init(value: Decimal, form: CashForm, count: Int) throws(HaulCoreError) {
        guard value > 0 else { throw HaulCoreError(.outOfRange, "denomination \(DecimalText.plain(value)) must be greater than zero") }
        guard count > 0 else { throw HaulCoreError(count < 0 ? .negativeQuantity : .outOfRange, "count of \(DecimalText.plain(value)) \(form.rawValue)s must be at least 1, not \(count)") }
        try SchemaBounds.amount.check(value, "denomination")
        try SchemaBounds.count.check(Decimal(count), "count of \(DecimalText.plain(value)) \(form.rawValue)s")
        self.value = value
        self.form = form
        self.count = count
    }

    public var total: Decimal { value * Decimal(count) }

    private enum CodingKeys: String, CodingKey { case value, form, count }

    /// Decoded through the checking initialiser (the register's rows, ledger payloads).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(value: try container.decode(Decimal.self, forKey: .value), form: try container.decode(CashForm.self, forKey: .form),
                      count: try container.decode(Int.self, forKey: .count))
    }
}

/// Cash in one currency: a counted amount, denomination counts, or both (which must agree).
public struct CashItem: Hashable, Sendable, Codable {
    public let currency: Currency
    public let countedAmount: Decimal?
    public let denominations: [Denomination]

    public init(currency: Currency, countedAmount: Decimal? = nil, denominations: [Denomination] = []) throws(HaulCoreError) {
        guard countedAmount != nil || !denominations.isEmpty else {
            throw HaulCoreError(.inconsistent, "cash needs an amount, denomination counts, or both")
        }
        if let countedAmount {
            guard countedAmount >= 0 else { throw HaulCoreError(.negativeQuantity, "cash amount \(DecimalText.plain(countedAmount)) is negative") }
            try SchemaBounds.amount.check(countedAmount, "cash amount")
            guard Money(countedAmount, currency).isWholeMinorUnits else {
                throw HaulCoreError(.outOfRange, "cash amount \(DecimalText.plain(countedAmount)) has more decimal places than \(currency.code) allows (\(currency.minorUnits))")
            }
        }
        let denominationTotal = denominations.reduce(Decimal(0)) { $0 + $1.total }
        try SchemaBounds.amount.check(denominationTotal, "the denominations' total")
        if let countedAmount, !denominations.isEmpty, countedAmount != denominationTotal {
            throw HaulCoreError(.inconsistent, "cash amount \(DecimalText.plain(countedAmount)) \(currency.code) does not match its denominations, which add up to \(DecimalText.plain(denominationTotal))")
        }
        self.currency = currency
        self.countedAmount = countedAmount
        self.denominations = denominations
    }

    private enum CodingKeys: String, CodingKey { case currency, countedAmount, denominations }

    /// Decoded through the checking initialiser.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(currency: try container.decode(Currency.self, forKey: .currency),
                      countedAmount: try container.decodeIfPresent(Decimal.self, forKey: .countedAmount),
                      denominations: try container.decodeIfPresent([Denomination].self, forKey: .denominations) ?? [])
    }

    /// Stored compactly: `denominations` only when counted.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(currency, forKey: .currency)
        try container.encodeIfPresent(countedAmount, forKey: .countedAmount)
        if !denominations.isEmpty { try container.encode(denominations, forKey: .denominations) }
    }

    /// Face value: the counted amount, or else the sum of the denominations.
    public var faceValue: Money {
        Money(countedAmount ?? denominations.reduce(Decimal(0)) { $0 + $1.total }, currency)
    }
}

public enum WatchCondition: String, CaseIterable, Sendable, Codable { case unworn, excellent, good, fair, poor }

public struct WatchItem: Hashable, Sendable, Codable {
    public var brand: String
    public var model: String
    public var referenceNumber: String?
    public var serialNumber: String?
    public var condition: WatchCondition
    public var hasBox: Bool
    public var hasPapers: Bool

    public init(brand: String, model: String, referenceNumber: String? = nil, serialNumber: String? = nil,
                condition: WatchCondition, hasBox: Bool, hasPapers: Bool) {
        self.brand = brand
        self.model = model
        self.referenceNumber = referenceNumber
        self.serialNumber = serialNumber
        self.condition = condition
        self.hasBox = hasBox
        self.hasPapers = hasPapers
    }
}

public enum VehicleCondition: String, CaseIterable, Sendable, Codable {
    case clean, average
    case belowAverage = "below-average"
}

/// Depreciation classes of the vehicle model (valuation.md).
public enum VehicleClass: String, CaseIterable, Sendable, Codable { case mainstream, luxury, electric, performance }

public enum DistanceUnit: String, CaseIterable, Sendable, Codable { case miles = "mi", kilometres = "km" }

public struct Distance: Hashable, Sendable, Codable {
    public var value: Int
    public var unit: DistanceUnit

    public init(_ value: Int, _ unit: DistanceUnit) throws(HaulCoreError) {
        guard value >= 0 else { throw HaulCoreError(.negativeQuantity, "mileage \(value) \(unit.rawValue) is negative") }
        self.value = value
        self.unit = unit
    }
}

public struct VehicleItem: Hashable, Sendable, Codable {
    public var make: String
    public var model: String
    public var year: Int
    public var registration: String?
    public var vin: String?
    public var mileage: Distance?
    public var condition: VehicleCondition
    public var vehicleClass: VehicleClass
    /// The day it was first registered (the V5C's "date of first registration"); its age counts
    /// from here, or from 1 January of the model year when this is not known.
    public var firstRegistered: CalendarDate?

    public init(make: String, model: String, year: Int, registration: String? = nil, vin: String? = nil,
                mileage: Distance? = nil, condition: VehicleCondition, vehicleClass: VehicleClass, firstRegistered: CalendarDate? = nil) {
        self.firstRegistered = firstRegistered
        self.make = make
        self.model = model
        self.year = year
        self.registration = registration
        self.vin = vin
        self.mileage = mileage
        self.condition = condition
        self.vehicleClass = vehicleClass
    }
}

public enum Metal: String, CaseIterable, Sendable, Codable { case gold, silver, platinum, palladium }

/// Jewellery or bullion: metal, hallmark fineness in parts per thousand (999.9 for "four nines"
/// bullion, to two decimal places), and mass.
public struct JewelleryItem: Hashable, Sendable, Codable {
    public var metal: Metal
    public var fineness: Decimal
    public var mass: Mass
    public var isGemSet: Bool

    public init(metal: Metal, fineness: Decimal, mass: Mass, isGemSet: Bool) throws(HaulCoreError) {
        try SchemaBounds.fineness.check(fineness, "fineness (parts per thousand, e.g. 375, 750, 925, 999.9)")
        self.metal = metal
        self.fineness = fineness
        self.mass = mass
        self.isGemSet = isGemSet
    }

    private enum CodingKeys: String, CodingKey { case metal, fineness, mass, isGemSet }

    /// Decoded through the checking initialiser.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(metal: try container.decode(Metal.self, forKey: .metal), fineness: try container.decode(Decimal.self, forKey: .fineness),
                      mass: try container.decode(Mass.self, forKey: .mass), isGemSet: try container.decode(Bool.self, forKey: .isGemSet))
    }
}

public struct CryptoassetItem: Hashable, Sendable, Codable {
    /// Ticker, e.g. BTC, ETH, USDT.
    public var asset: String
    public var units: Decimal
    public var wallet: String?
    public var exchange: String?

    public init(asset: String, units: Decimal, wallet: String? = nil, exchange: String? = nil) throws(HaulCoreError) {
        let bytes = Array(asset.utf8)
        guard (2...10).contains(bytes.count), bytes.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) else {
            throw HaulCoreError(.unknownValue, "'\(asset)' is not an asset code: use 2–10 capital letters or digits, e.g. BTC")
        }
        guard units > 0 else { throw HaulCoreError(units < 0 ? .negativeQuantity : .outOfRange, "\(asset) units must be greater than zero") }
        try SchemaBounds.cryptoUnits.check(units, "\(asset) units")
        self.asset = asset
        self.units = units
        self.wallet = wallet
        self.exchange = exchange
    }

    private enum CodingKeys: String, CodingKey { case asset, units, wallet, exchange }

    /// Decoded through the checking initialiser.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(asset: try container.decode(String.self, forKey: .asset), units: try container.decode(Decimal.self, forKey: .units),
                      wallet: try container.decodeIfPresent(String.self, forKey: .wallet), exchange: try container.decodeIfPresent(String.self, forKey: .exchange))
    }
}

/// Items that are tracked and disposed of but never given a market value.
public enum NonValuedKind: String, CaseIterable, Sendable, Codable {
    case firearm, ammunition, phone, document, other

    public var itemKind: ItemKind { ItemKind(rawValue: rawValue)! }
}

/// What an item is, with the attributes of its kind.
public enum ItemDetails: Hashable, Sendable, Codable {
    case drug(DrugItem)
    case cash(CashItem)
    case watch(WatchItem)
    case vehicle(VehicleItem)
    case jewellery(JewelleryItem)
    case cryptoasset(CryptoassetItem)
    /// Firearm, ammunition, phone, document or other: tracked, not valued.
    case nonValued(NonValuedKind)

    public var kind: ItemKind {
        switch self {
        case .drug: return .drug
        case .cash: return .cash
        case .watch: return .watch
        case .vehicle: return .vehicle
        case .jewellery: return .jewellery
        case .cryptoasset: return .cryptoasset
        case .nonValued(let kind): return kind.itemKind
        }
    }
}

/// Valuations an item had before it was revalued, kept with when and why they were replaced.
public struct EarlierValuation: Hashable, Sendable, Codable {
    /// The day the valuations were replaced.
    public var replacedOn: CalendarDate
    /// Why: a lab result, an updated table, a sale.
    public var reason: String
    public var valuations: [Valuation]

    public init(replacedOn: CalendarDate, reason: String, valuations: [Valuation]) {
        self.replacedOn = replacedOn
        self.reason = reason
        self.valuations = valuations
    }
}

/// One seized item with its exhibit reference, current valuations and status.
public struct Item: Hashable, Sendable, Codable {
    public var id: Identifier
    public var exhibit: Identifier
    public var description: String?
    public var details: ItemDetails
    /// Current valuations, at most one per basis (plus upper bounds).
    public var valuations: [Valuation]
    public var status: ItemStatus?
    /// The valuations this item had before, oldest first: nothing is lost when it is revalued.
    public var earlierValuations: [EarlierValuation]
    /// Who owns the item, holds a charge over it or claims it.
    public var interests: [Interest] = []

    public init(id: Identifier, exhibit: Identifier, description: String? = nil, details: ItemDetails,
                valuations: [Valuation] = [], status: ItemStatus? = nil, earlierValuations: [EarlierValuation] = [], interests: [Interest] = []) {
        self.id = id
        self.exhibit = exhibit
        self.description = description
        self.details = details
        self.valuations = valuations
        self.status = status
        self.earlierValuations = earlierValuations
        self.interests = interests
    }

    enum CodingKeys: String, CodingKey { case id, exhibit, description, details, valuations, status, earlierValuations, interests }

    /// Stored compactly: the trail of earlier valuations and the interests only when there are some.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(exhibit, forKey: .exhibit)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(details, forKey: .details)
        try container.encode(valuations, forKey: .valuations)
        try container.encodeIfPresent(status, forKey: .status)
        if !earlierValuations.isEmpty { try container.encode(earlierValuations, forKey: .earlierValuations) }
        if !interests.isEmpty { try container.encode(interests, forKey: .interests) }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(Identifier.self, forKey: .id)
        exhibit = try container.decode(Identifier.self, forKey: .exhibit)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        details = try container.decode(ItemDetails.self, forKey: .details)
        valuations = try container.decode([Valuation].self, forKey: .valuations)
        status = try container.decodeIfPresent(ItemStatus.self, forKey: .status)
        // Registers written before revaluation trails existed have no such key.
        earlierValuations = try container.decodeIfPresent([EarlierValuation].self, forKey: .earlierValuations) ?? []
        interests = try container.decodeIfPresent([Interest].self, forKey: .interests) ?? []
    }

    public var kind: ItemKind { details.kind }

    /// The figure an item is quoted at: its first valuation that is not only an upper bound
    /// (valuers put the basis the law prefers first). Nil when the item has no such figure.
    public var currentValuation: Valuation? { valuations.first { !$0.isUpperBound } }

    /// Replaces the current valuations with `new`; the old ones, if there were any and they
    /// differ, join `earlierValuations` with the day and the reason. Returns whether anything changed.
    @discardableResult
    public mutating func revalue(with new: [Valuation], on day: CalendarDate, reason: String) -> Bool {
        guard new != valuations else { return false }
        if !valuations.isEmpty {
            earlierValuations.append(EarlierValuation(replacedOn: day, reason: reason, valuations: valuations))
        }
        valuations = new
        return true
    }
}
