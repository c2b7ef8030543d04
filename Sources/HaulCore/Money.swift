import Foundation

/// An ISO 4217 currency with its number of minor units (GBP 2, JPY 0, BHD 3).
///
/// ```swift
/// let pound = try Currency(code: "GBP")
/// pound.minorUnits   // 2
/// ```
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The three ASCII letters packed into an integer: copying a currency costs no reference
    /// counting, which matters when a million figures a second carry one.
    private let packed: UInt32
    /// Digits after the decimal point in the currency's smallest unit.
    public let minorUnits: Int
    /// True for a code ISO has withdrawn (kept for old seizures and rate history).
    public let isRetired: Bool

    /// The three-letter code.
    public var code: String {
        String(decoding: [UInt8(truncatingIfNeeded: packed >> 16), UInt8(truncatingIfNeeded: packed >> 8), UInt8(truncatingIfNeeded: packed)], as: UTF8.self)
    }

    /// Looks a code up in the ISO 4217 table; throws for anything else.
    public init(code: String) throws(HaulCoreError) {
        guard let entry = CurrencyTable.entries[code] else {
            if code.utf8.count == 3, code.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) {
                throw HaulCoreError(.unknownCurrency, "'\(code)' is not an ISO 4217 currency code Haul knows")
            }
            throw HaulCoreError(.unknownCurrency, "'\(code)' is not a currency code: use three capital letters from ISO 4217, e.g. GBP")
        }
        self.packed = code.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        self.minorUnits = entry.minorUnits
        self.isRetired = entry.retired
    }

    /// Whether two currencies have the same code.
    ///
    /// - Parameters:
    ///   - lhs: A currency.
    ///   - rhs: The currency to compare it with.
    /// - Returns: True for the same code.
    public static func == (lhs: Currency, rhs: Currency) -> Bool { lhs.packed == rhs.packed }
    /// Hashes the currency's code.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(packed) }

    /// Every code in the table, sorted.
    public static var allCodes: [String] { CurrencyTable.entries.keys.sorted() }

    /// The three-letter code, e.g. `GBP`.
    public var description: String { code }
    /// Orders currencies alphabetically by code.
    ///
    /// - Parameters:
    ///   - lhs: A currency.
    ///   - rhs: The currency to compare it with.
    /// - Returns: True when `lhs`'s code comes first.
    public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.packed < rhs.packed }

    // Convenience values for the currencies the shipped tables use.
    /// Pound sterling (`GBP`), two minor units.
    public static let gbp = try! Currency(code: "GBP")
    /// Euro (`EUR`), two minor units.
    public static let eur = try! Currency(code: "EUR")
    /// US dollar (`USD`), two minor units.
    public static let usd = try! Currency(code: "USD")
}

/// An exact amount of money in one currency.
///
/// The amount keeps full precision; rounding to the currency's minor unit happens once, by a
/// named ``Rounding`` rule, at presentation or export (``rounded(_:)``, ``formatted``).
/// Arithmetic refuses to mix currencies.
///
/// ```swift
/// let cash = try Money(parsing: "30000.00", currency: .gbp)
/// let total = try cash.adding(Money(parsing: "80000", currency: .gbp))
/// total.formatted   // "110000.00 GBP"
/// ```
public struct Money: Hashable, Sendable, CustomStringConvertible {
    /// The amount, exact and unrounded; it may be negative or carry more places than the currency's
    /// minor unit.
    public let amount: FixedDecimal
    /// The currency the amount is in.
    public let currency: Currency

    /// Creates money from an exact amount, kept as given (not rounded).
    ///
    /// - Parameters:
    ///   - amount: The amount.
    ///   - currency: Its currency.
    public init(_ amount: FixedDecimal, _ currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// Reads a plain decimal (`1234.50`); refuses `"12.34abc"`, `"1,234.5"`, `"1e3"`, `""`.
    public init(parsing text: String, currency: Currency) throws(HaulCoreError) {
        do {
            self.amount = try DecimalText.parse(text)
        } catch {
            throw HaulCoreError(.invalidNumber, "amount \(error)")
        }
        self.currency = currency
    }

    /// Zero in `currency`.
    public static func zero(_ currency: Currency) -> Money { Money(0, currency) }

    /// The sum; throws when the currencies differ.
    public func adding(_ other: Money) throws(HaulCoreError) -> Money {
        try requireSameCurrency(other, "add")
        return Money(amount + other.amount, currency)
    }

    /// The difference; throws when the currencies differ.
    public func subtracting(_ other: Money) throws(HaulCoreError) -> Money {
        try requireSameCurrency(other, "subtract")
        return Money(amount - other.amount, currency)
    }

    /// The amount times an exact factor (a quantity, a percentage as a fraction, a rate).
    public func multiplied(by factor: FixedDecimal) -> Money { Money(amount * factor, currency) }

    /// Converts with a rate meaning 1 unit of this currency = `rate` units of `target`.
    public func converted(to target: Currency, rate: FixedDecimal) -> Money { Money(amount * rate, target) }

    /// Rounded to the currency's minor unit by `rule`.
    public func rounded(_ rule: Rounding = .halfAwayFromZero) -> Money {
        Money(rule.round(amount, scale: currency.minorUnits), currency)
    }

    /// Refuses an amount finer than the currency's smallest unit (100.005 GBP): a sum ordered,
    /// paid or owed is in whole minor units, and the case file states it so.
    ///
    /// - Parameter what: What the amount is, as the message names it.
    /// - Throws: `HaulCoreError` (`out-of-range`) naming the amount and the unit.
    package func checkWholeMinorUnits(_ what: String) throws(HaulCoreError) {
        guard rounded() != self else { return }
        let unit = currency.minorUnits == 0 ? "whole \(currency.code)" : "\(currency.minorUnits) decimal place\(currency.minorUnits == 1 ? "" : "s")"
        throw HaulCoreError(.outOfRange, "\(what): \(DecimalText.plain(amount)) \(currency.code) is finer than \(currency.code)'s smallest unit; give it to \(unit)")
    }

    /// The amount rounded half away from zero to the currency's minor unit, counted in minor
    /// units (30000.005 GBP → 3000001).
    public var roundedMinorUnits: Int128 {
        FixedDecimal.divideRounded(amount.raw, FixedDecimal.powers[FixedDecimal.scale - currency.minorUnits])
    }

    /// Money from a count of minor units (3000001 GBP pence → 30000.01 GBP).
    public init(minorUnits: Int128, _ currency: Currency) {
        self.init(FixedDecimal(units: minorUnits, places: currency.minorUnits), currency)
    }

    /// The amount as plain text with exactly the currency's minor-unit digits (`"30000.00"`).
    public var amountText: String { DecimalText.format(amount, scale: currency.minorUnits) }

    /// `"30000.00 GBP"`.
    public var formatted: String { "\(amountText) \(currency.code)" }

    /// The amount as people read it, in a terminal, a document for a court or a calculation's
    /// working: rounded to the currency's minor units (half away from zero), grouped in thousands
    /// as en-GB writes them, with the currency's symbol where one is unambiguous (£, €; US$) and
    /// its code otherwise: `£1,234,567.89`, `US$12.50`, `CHF 3,000.00`. Amounts as data (JSON
    /// fields, case-file elements) keep the plain figures.
    public var readable: String {
        let text = rounded().amountText
        let negative = text.hasPrefix("-")
        let digits = negative ? String(text.dropFirst()) : text
        let parts = digits.split(separator: ".", maxSplits: 1)
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        grouped = whole + grouped + (parts.count == 2 ? "." + parts[1] : "")
        let symbols = ["GBP": "£", "EUR": "€", "USD": "US$"]
        let shown = symbols[currency.code].map { $0 + grouped } ?? "\(currency.code) \(grouped)"
        return (negative ? "-" : "") + shown
    }

    /// The amount rounded half away from zero to the currency's minor unit, then its code, e.g.
    /// `30000.00 GBP` (the same as `formatted`).
    public var description: String { formatted }

    /// True when the amount has no more fraction digits than the currency's minor unit allows.
    public var isWholeMinorUnits: Bool { rounded().amount == amount }

    private func requireSameCurrency(_ other: Money, _ verb: String) throws(HaulCoreError) {
        guard other.currency == currency else {
            throw HaulCoreError(.currencyMismatch, "cannot \(verb) \(other.currency.code) and \(currency.code): convert one of them first with a dated rate")
        }
    }
}

extension Money: Comparable {
    /// Orders amounts of the same currency; amounts of different currencies order by code first.
    public static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.currency == rhs.currency ? lhs.amount < rhs.amount : lhs.currency < rhs.currency
    }
}
