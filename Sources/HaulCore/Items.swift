import Foundation

/// A stable identifier: a letter or digit, then up to 63 of `A–Z a–z 0–9 . _ : / -`.
/// Used for case references, seizures, items, exhibits and agencies.
public struct Identifier: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The identifier's text, as given (already checked).
    public let value: String

    /// Checks `value` and makes it an identifier.
    ///
    /// - Parameter value: The text: a letter or digit, then up to 63 of `A–Z a–z 0–9 . _ : / -`.
    /// - Throws: `HaulCoreError` with code `invalidIdentifier` when `value` is not an identifier.
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

    /// Whether `text` is 1 to 64 ASCII characters, starting with a letter or digit, the rest letters, digits or `. _ : / -`.
    ///
    /// - Parameter text: The text to check.
    /// - Returns: True when `text` can be an identifier.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...64).contains(bytes.count), isAlphanumeric(bytes[0]) else { return false }
        return bytes.dropFirst().allSatisfy { isAlphanumeric($0) || $0 == 46 || $0 == 95 || $0 == 58 || $0 == 47 || $0 == 45 }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
    }

    /// The identifier's text, unchanged.
    public var description: String { value }
    /// Orders identifiers by their text, character by character (so `ITEM-10` comes before `ITEM-9`, and capitals before small letters).
    ///
    /// - Parameters:
    ///   - lhs: The first identifier.
    ///   - rhs: The second identifier.
    /// - Returns: True when `lhs` sorts before `rhs`.
    public static func < (lhs: Identifier, rhs: Identifier) -> Bool { lhs.value < rhs.value }
}

/// The kinds of seized item. The last five are never given a market value.
public enum ItemKind: String, CaseIterable, Sendable, Codable {
    /// The kinds Haul values: drugs, cash, watches, vehicles, jewellery and precious metals, cryptoassets.
    case drug, cash, watch, vehicle, jewellery, cryptoasset
    /// The kinds tracked but never valued: firearms, ammunition, phones, documents, and anything else.
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
    /// Cocaine (crack cocaine is its own substance).
    case cocaine
    /// Crack cocaine, written `crack-cocaine` in files and on the command line.
    case crackCocaine = "crack-cocaine"
    /// Heroin, methamphetamine, amphetamine, MDMA and ecstasy; MDMA and ecstasy are separate substances,
    /// priced differently (MDMA powder by the gram, ecstasy by the tablet).
    case heroin, methamphetamine, amphetamine, mdma, ecstasy
    /// Herbal cannabis, written `cannabis-herbal`.
    case cannabisHerbal = "cannabis-herbal"
    /// Cannabis resin, written `cannabis-resin`.
    case cannabisResin = "cannabis-resin"
    /// Cannabis plants, written `cannabis-plant`.
    case cannabisPlant = "cannabis-plant"
    /// Ketamine, and LSD (on blotter it is counted in squares and priced per square, not per gram).
    case ketamine, lsd
}

/// The physical form a drug was seized in. When an item's quantity is given as a `count`
/// attribute, the form sets the unit: `blotter` counts squares, `plant` counts plants, any other form counts tablets.
public enum DrugForm: String, CaseIterable, Sendable, Codable {
    /// Powder, crystal, rock, tablet, blotter (paper squares), herbal (dried plant matter), resin, whole plant, or liquid.
    case powder, crystal, rock, tablet, blotter, herbal, resin, plant, liquid
}

/// How much of a drug: a gross mass, or a count for tablets, squares and plants.
public enum DrugQuantity: Hashable, Sendable, Codable {
    /// A gross mass, as seized; purity is applied separately.
    case mass(Mass)
    /// A count of tablets, blotter squares or plants, which are priced per unit, not per gram.
    case count(UnitCount)
}

/// A seized drug, as found (gross), with purity when known.
public struct DrugItem: Hashable, Sendable, Codable {
    /// What the drug is; an unknown substance is refused rather than guessed.
    public var substance: Substance
    /// The form it was seized in.
    public var form: DrugForm
    /// How much was seized, gross: a mass or a count.
    public var quantity: DrugQuantity
    /// Nil when not yet tested; valuers then assume a typical purity and say so.
    public var purity: Purity?

    /// A drug as found.
    ///
    /// - Parameters:
    ///   - substance: What the drug is.
    ///   - form: The form it was seized in.
    ///   - quantity: How much was seized, gross: a mass or a count.
    ///   - purity: The measured purity, or nil when not yet tested.
    public init(substance: Substance, form: DrugForm, quantity: DrugQuantity, purity: Purity? = nil) {
        self.substance = substance
        self.form = form
        self.quantity = quantity
        self.purity = purity
    }
}

/// Whether a denomination is notes or coins (in the `denominations` attribute coins carry a trailing `c`, e.g. `1cx300`).
public enum CashForm: String, CaseIterable, Sendable, Codable {
    /// Banknotes.
    case note
    /// Coins, written with a trailing `c` in the `denominations` attribute.
    case coin
}

/// A count of notes or coins of one face value.
public struct Denomination: Hashable, Sendable, Codable {
    /// The face value of one note or coin, in the cash's currency; greater than zero.
    public var value: FixedDecimal
    /// Notes or coins.
    public var form: CashForm
    /// How many notes or coins of this value; at least 1.
    public var count: Int

    /// A count of notes or coins, checked.
    ///
    /// - Parameters:
    ///   - value: The face value of one note or coin; greater than zero.
    ///   - form: Notes or coins.
    ///   - count: How many; at least 1.
    /// - Throws: `HaulCoreError` when the value is not above zero, the count is below 1, or either is beyond what a case file can carry.
    public init(value: FixedDecimal, form: CashForm, count: Int) throws(HaulCoreError) {
        guard value > 0 else { throw HaulCoreError(.outOfRange, "denomination \(DecimalText.plain(value)) must be greater than zero") }
        guard count > 0 else { throw HaulCoreError(count < 0 ? .negativeQuantity : .outOfRange, "count of \(DecimalText.plain(value)) \(form.rawValue)s must be at least 1, not \(count)") }
        try SchemaBounds.amount.check(value, "denomination")
        try SchemaBounds.count.check(FixedDecimal(count), "count of \(DecimalText.plain(value)) \(form.rawValue)s")
        self.value = value
        self.form = form
        self.count = count
    }

    /// The face value of them all: value times count, in the cash's currency.
    public var total: FixedDecimal { value * FixedDecimal(count) }

    private enum CodingKeys: String, CodingKey { case value, form, count }

    /// Decoded through the checking initialiser (the register's rows, ledger payloads).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(value: try container.decode(FixedDecimal.self, forKey: .value), form: try container.decode(CashForm.self, forKey: .form),
                      count: try container.decode(Int.self, forKey: .count))
    }
}

/// Cash in one currency: a counted amount, denomination counts, or both (which must agree).
public struct CashItem: Hashable, Sendable, Codable {
    /// The currency of the notes and coins.
    public let currency: Currency
    /// The amount counted, to no more decimal places than the currency allows; nil when only denominations were counted.
    public let countedAmount: FixedDecimal?
    /// Counts of notes and coins by face value; empty when only an amount was recorded.
    public let denominations: [Denomination]

    /// Cash in one currency, checked: it needs an amount, denominations, or both.
    ///
    /// - Parameters:
    ///   - currency: The currency of the notes and coins.
    ///   - countedAmount: The amount counted, or nil when only denominations were counted.
    ///   - denominations: Counts of notes and coins by face value; empty when only an amount was counted.
    /// - Throws: `HaulCoreError` when neither is given, the amount is negative, out of range or has more
    ///   decimal places than the currency allows, or amount and denominations do not add up to the same.
    public init(currency: Currency, countedAmount: FixedDecimal? = nil, denominations: [Denomination] = []) throws(HaulCoreError) {
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
        let denominationTotal = denominations.reduce(FixedDecimal(0)) { $0 + $1.total }
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
                      countedAmount: try container.decodeIfPresent(FixedDecimal.self, forKey: .countedAmount),
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
        Money(countedAmount ?? denominations.reduce(FixedDecimal(0)) { $0 + $1.total }, currency)
    }
}

/// The condition a watch is in, best first: unworn, excellent, good, fair or poor. The valuer
/// multiplies the table price by the price tables' factor for it, when they have one.
public enum WatchCondition: String, CaseIterable, Sendable, Codable {
    /// Unworn: the best condition.
    case unworn
    /// Excellent: the second best; the tables' factor for it applies.
    case excellent
    /// Good: the middle condition.
    case good
    /// Fair: the second worst.
    case fair
    /// Poor: the worst condition.
    case poor
}

/// A seized watch, identified by brand and model and, where known, reference and serial numbers.
public struct WatchItem: Hashable, Sendable, Codable {
    /// The maker, e.g. Rolex; matched to the price tables without regard to case.
    public var brand: String
    /// The model name, e.g. Submariner Date; priced by it when no reference number matches.
    public var model: String
    /// The maker's reference number, e.g. 126610LN, priced first when the tables have it; nil when not known.
    public var referenceNumber: String?
    /// The watch's own serial number, nil when not known; the item can be found by it.
    public var serialNumber: String?
    /// Its condition, which scales the market price.
    public var condition: WatchCondition
    /// Whether it came with its box; a watch without both box and papers is priced down by the tables' factor.
    public var hasBox: Bool
    /// Whether it came with its papers; a watch without both box and papers is priced down by the tables' factor.
    public var hasPapers: Bool

    /// A watch as found.
    ///
    /// - Parameters:
    ///   - brand: The maker, e.g. Rolex.
    ///   - model: The model name, e.g. Submariner Date.
    ///   - referenceNumber: The maker's reference number, or nil when not known.
    ///   - serialNumber: The watch's own serial number, or nil when not known.
    ///   - condition: The condition it is in.
    ///   - hasBox: Whether it came with its box.
    ///   - hasPapers: Whether it came with its papers.
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

/// A vehicle's condition; the valuer multiplies its retail value by the price tables' factor
/// for it (the notes suggest clean 1.00, average 0.92, below average 0.80, unverified).
public enum VehicleCondition: String, CaseIterable, Sendable, Codable {
    /// Clean or average condition.
    case clean, average
    /// Below average, written `below-average`.
    case belowAverage = "below-average"
}

/// Depreciation classes of the vehicle model (valuation.md).
/// The notes give the rates as a loss in the first year, then a loss each further year:
/// `mainstream` petrol or diesel 20 % then 13 %, `luxury` 30 % then 16 %, `electric` 40 % then
/// 10 %, `performance` or collectable 10 % then 5 % (unverified); the price tables' factors decide.
public enum VehicleClass: String, CaseIterable, Sendable, Codable {
    /// A mainstream petrol or diesel model (the notes: 20 % the first year, then 13 %).
    case mainstream
    /// A luxury model (the notes: 30 % the first year, then 16 %).
    case luxury
    /// An electric model (the notes: 40 % the first year, then 10 %).
    case electric
    /// A performance or collectable model (the notes: 10 % the first year, then 5 %, unverified).
    case performance
}

/// The unit of a vehicle's mileage: miles (`mi`) or kilometres (`km`); kilometres are turned into miles for the mileage adjustment.
public enum DistanceUnit: String, CaseIterable, Sendable, Codable {
    /// Miles, written `mi`.
    case miles = "mi"
    /// Kilometres, written `km`; turned into miles for the mileage adjustment.
    case kilometres = "km"
}

/// A vehicle's odometer reading: a whole number of miles or kilometres, zero or more.
public struct Distance: Hashable, Sendable, Codable {
    /// The reading, in `unit`; zero or more.
    public var value: Int
    /// Miles or kilometres.
    public var unit: DistanceUnit

    /// An odometer reading, checked.
    ///
    /// - Parameters:
    ///   - value: The reading; zero or more.
    ///   - unit: Miles or kilometres.
    /// - Throws: `HaulCoreError` with code `negativeQuantity` when `value` is negative.
    public init(_ value: Int, _ unit: DistanceUnit) throws(HaulCoreError) {
        guard value >= 0 else { throw HaulCoreError(.negativeQuantity, "mileage \(value) \(unit.rawValue) is negative") }
        self.value = value
        self.unit = unit
    }
}

/// A seized vehicle: make, model, model year, identifiers, mileage, condition and depreciation class.
public struct VehicleItem: Hashable, Sendable, Codable {
    /// The manufacturer; matched to the price tables without regard to case.
    public var make: String
    /// The model name; matched to the price tables without regard to case.
    public var model: String
    /// The model year; its age counts from 1 January of it when `firstRegistered` is not known.
    public var year: Int
    /// The registration mark, e.g. `WU19 ABC`; nil when not known. The item can be found by it.
    public var registration: String?
    /// The vehicle identification number; nil when not known. The item can be found by it.
    public var vin: String?
    /// The odometer reading; nil when not known, and then no mileage adjustment is made.
    public var mileage: Distance?
    /// Its condition, which scales the retail value.
    public var condition: VehicleCondition
    /// Its depreciation class, which sets the rates used when the tables hold only a new price.
    public var vehicleClass: VehicleClass
    /// The day it was first registered (the V5C's "date of first registration"); its age counts
    /// from here, or from 1 January of the model year when this is not known.
    public var firstRegistered: CalendarDate?

    /// A vehicle as found.
    ///
    /// - Parameters:
    ///   - make: The manufacturer.
    ///   - model: The model name.
    ///   - year: The model year.
    ///   - registration: The registration mark, or nil when not known.
    ///   - vin: The vehicle identification number, or nil when not known.
    ///   - mileage: The odometer reading, or nil when not known.
    ///   - condition: The condition it is in.
    ///   - vehicleClass: Its depreciation class.
    ///   - firstRegistered: The date of first registration, or nil to count its age from 1 January of `year`.
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

/// The precious metal of jewellery or bullion: gold, silver, platinum or palladium, each priced per troy ounce from the metal price table.
public enum Metal: String, CaseIterable, Sendable, Codable {
    /// Gold.
    case gold
    /// Silver.
    case silver
    /// Platinum.
    case platinum
    /// Palladium.
    case palladium
}

/// Jewellery or bullion: metal, hallmark fineness in parts per thousand (999.9 for "four nines"
/// bullion, to two decimal places), and mass.
public struct JewelleryItem: Hashable, Sendable, Codable {
    /// The metal, which picks the price row.
    public var metal: Metal
    /// Hallmark fineness in parts per thousand (375, 750, 925, 999.9): above 0, at most 1000, to two decimal places.
    public var fineness: FixedDecimal
    /// The mass weighed; the valuer takes grams × fineness ÷ 1000 × price per troy ounce ÷ 31.1034768.
    public var mass: Mass
    /// True when set with stones; it is still valued on its metal content only, with a warning saying so.
    public var isGemSet: Bool

    /// Jewellery or bullion, checked.
    ///
    /// - Parameters:
    ///   - metal: The precious metal.
    ///   - fineness: Hallmark fineness in parts per thousand, e.g. 375, 750, 925, 999.9.
    ///   - mass: The mass weighed.
    ///   - isGemSet: Whether it is set with stones.
    /// - Throws: `HaulCoreError` when the fineness is not above 0, is over 1000 or has more than two decimal places.
    public init(metal: Metal, fineness: FixedDecimal, mass: Mass, isGemSet: Bool) throws(HaulCoreError) {
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
        try self.init(metal: try container.decode(Metal.self, forKey: .metal), fineness: try container.decode(FixedDecimal.self, forKey: .fineness),
                      mass: try container.decode(Mass.self, forKey: .mass), isGemSet: try container.decode(Bool.self, forKey: .isGemSet))
    }
}

/// Units of one cryptoasset, with the wallet or exchange they were held in, when known.
public struct CryptoassetItem: Hashable, Sendable, Codable {
    /// Ticker, e.g. BTC, ETH, USDT.
    public var asset: String
    /// How many units of the asset; above zero, to at most 18 decimal places.
    public var units: FixedDecimal
    /// The wallet they were held in, as recorded; nil when not known.
    public var wallet: String?
    /// The exchange they were held on, as recorded; nil when not known.
    public var exchange: String?

    /// A cryptoasset holding, checked.
    ///
    /// - Parameters:
    ///   - asset: The ticker: 2 to 10 capital letters or digits, e.g. BTC.
    ///   - units: How many units; above zero.
    ///   - wallet: The wallet they were held in, or nil.
    ///   - exchange: The exchange they were held on, or nil.
    /// - Throws: `HaulCoreError` when the ticker is not 2 to 10 capital letters or digits, or the units
    ///   are not above zero or are beyond what a case file can carry.
    public init(asset: String, units: FixedDecimal, wallet: String? = nil, exchange: String? = nil) throws(HaulCoreError) {
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
        try self.init(asset: try container.decode(String.self, forKey: .asset), units: try container.decode(FixedDecimal.self, forKey: .units),
                      wallet: try container.decodeIfPresent(String.self, forKey: .wallet), exchange: try container.decodeIfPresent(String.self, forKey: .exchange))
    }
}

/// Items that are tracked and disposed of but never given a market value.
public enum NonValuedKind: String, CaseIterable, Sendable, Codable {
    /// Firearms, ammunition, phones, documents, and anything else seized.
    case firearm, ammunition, phone, document, other

    /// The same kind as an `ItemKind`.
    public var itemKind: ItemKind {
        // A switch, not a look-up by raw value: every valuation of a tracked item asks.
        switch self {
        case .firearm: return .firearm
        case .ammunition: return .ammunition
        case .phone: return .phone
        case .document: return .document
        case .other: return .other
        }
    }
}

/// What an item is, with the attributes of its kind.
public enum ItemDetails: Hashable, Sendable, Codable {
    /// A drug: substance, form, quantity and purity.
    case drug(DrugItem)
    /// Cash in one currency.
    case cash(CashItem)
    /// A watch.
    case watch(WatchItem)
    /// A vehicle.
    case vehicle(VehicleItem)
    /// Jewellery or bullion.
    case jewellery(JewelleryItem)
    /// A holding of one cryptoasset.
    case cryptoasset(CryptoassetItem)
    /// Firearm, ammunition, phone, document or other: tracked, not valued.
    case nonValued(NonValuedKind)

    /// The item kind these details are for.
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
    /// The valuations as they stood before they were replaced.
    public var valuations: [Valuation]

    /// Valuations that were replaced, with when and why.
    ///
    /// - Parameters:
    ///   - replacedOn: The day they were replaced.
    ///   - reason: Why: a lab result, an updated table, a sale.
    ///   - valuations: The valuations as they stood before.
    public init(replacedOn: CalendarDate, reason: String, valuations: [Valuation]) {
        self.replacedOn = replacedOn
        self.reason = reason
        self.valuations = valuations
    }
}

/// One seized item with its exhibit reference, current valuations and status.
public struct Item: Hashable, Sendable, Codable {
    /// Haul's identifier for the item, unique within its case.
    public var id: Identifier
    /// The exhibit label officers gave the item.
    public var exhibit: Identifier
    /// A description in words; nil when none was given.
    public var description: String?
    /// What the item is, with the attributes of its kind.
    public var details: ItemDetails
    /// Current valuations, at most one per basis (plus upper bounds).
    public var valuations: [Valuation]
    /// Its current state and next deadline, filled in from the chain and the rule packs for export;
    /// nil when not filled in (a register keeps none, since it follows from them).
    public var status: ItemStatus?
    /// The valuations this item had before, oldest first: nothing is lost when it is revalued.
    public var earlierValuations: [EarlierValuation]
    /// Who owns the item, holds a charge over it or claims it.
    public var interests: [Interest] = []

    /// An item as recorded.
    ///
    /// - Parameters:
    ///   - id: Haul's identifier for the item.
    ///   - exhibit: The exhibit label.
    ///   - description: A description in words, or nil.
    ///   - details: What the item is, with the attributes of its kind.
    ///   - valuations: Current valuations, at most one per basis (plus upper bounds).
    ///   - status: Its current state and next deadline, or nil.
    ///   - earlierValuations: Valuations it had before, oldest first.
    ///   - interests: Who owns the item, holds a charge over it or claims it.
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

    /// Decodes an item; one stored without earlier valuations or interests gets empty lists.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: The decoder's error when a required field is missing or a value is refused.
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

    /// The item's kind, taken from its details.
    public var kind: ItemKind { details.kind }

    /// The figure an item is quoted at: its first valuation that is not only an upper bound
    /// (valuers put the basis the law prefers first). Nil when the item has no such figure.
    public var currentValuation: Valuation? { valuations.first { !$0.isUpperBound } }

    /// Replaces the current valuations with `new`; the old ones, if there were any and they
    /// differ, join `earlierValuations` with the day and the reason. Returns whether anything changed.
    ///
    /// Figures are compared at their currency's minor unit, the precision a court sees: a figure
    /// stored when intermediate results were rounded at 10⁻⁹, worked again at 10⁻¹⁸, is the same
    /// valuation, not a new one.
    @discardableResult
    public mutating func revalue(with new: [Valuation], on day: CalendarDate, reason: String) -> Bool {
        guard new.map(\.atMinorUnits) != valuations.map(\.atMinorUnits) else { return false }
        if !valuations.isEmpty {
            earlierValuations.append(EarlierValuation(replacedOn: day, reason: reason, valuations: valuations))
        }
        valuations = new
        return true
    }
}
