import Foundation
@testable import HaulCore
import Testing

/// Expected values here are written by hand from the rules (ISO 4217 minor units, half away
/// from zero), never captured from the code under test.
@Suite("Money and decimal text")
struct MoneyTests {
    private func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

    @Test("plain decimals parse exactly", arguments: [
        ("1234.50", "1234.5"), ("0", "0"), ("-0.5", "-0.5"), ("007.250", "7.25"),
        ("0.1", "0.1"), ("999999999999999.9999", "999999999999999.9999"),
    ])
    func parsesPlainDecimals(text: String, expected: String) throws {
        #expect(try DecimalText.parse(text) == decimal(expected))
    }

    /// Past 18 digits the value is made from two integer halves; Foundation's own parser (the
    /// independent reference here) must find the same number and print it the same way.
    @Test("long plain decimals parse exactly, made from integers", arguments: [
        "1234567890123456789", "12345678901234567890", "-9999999999999999999.99", "1234567890123456789012345678.901234",
        "0.0000000000000000000000000000000001", "000000000000000000001234567890123456789.5", "1000000000000000000000000000000000",
        "18446744073709551616", "3402823669209384634633746074317682",
    ])
    func parsesLongPlainDecimals(text: String) throws {
        let parsed = try DecimalText.parse(text)
        #expect(parsed == decimal(text))
        #expect(parsed.description == decimal(text).description)
    }

    @Test("money from minor units past 18 digits is exact")
    func moneyFromManyMinorUnits() throws {
        // 99,999,999,999,999,999,999.99 GBP: 22 digits of pence, beyond one 64-bit word.
        let money = Money(minorUnits: 9_999_999_999_999_999_999_999, .gbp)
        #expect(money.amount == decimal("99999999999999999999.99"))
        #expect(Money(minorUnits: -1_234_567_890_123_456_789_012, .gbp).amountText == "-12345678901234567890.12")
    }

    @Test("0.1 + 0.2 is exactly 0.3, as it is not in binary floating point")
    func exactSum() throws {
        #expect(try DecimalText.parse("0.1") + DecimalText.parse("0.2") == DecimalText.parse("0.3"))
    }

    @Test("anything but a plain decimal is refused", arguments: [
        "12.34abc", "1,234.5", "1e3", "", " 1", "1 ", "+1", ".5", "5.", "1.2.3", "£5", "--1", "-", "1_000", "٣",
    ])
    func refusesNonPlainText(text: String) {
        #expect(throws: DecimalText.Problem.self) { try DecimalText.parse(text) }
    }

    @Test("the refusal message says what a plain decimal looks like")
    func refusalMessage() {
        #expect(throws: DecimalText.Problem.notPlainDecimal("1,234.5")) { try DecimalText.parse("1,234.5") }
        let message = DecimalText.Problem.notPlainDecimal("1,234.5").description
        #expect(message.contains("no thousands separators"))
        #expect(DecimalText.Problem.empty.description.contains("is empty"))
    }

    @Test("more than 34 significant digits is refused rather than silently rounded")
    func tooManyDigits() {
        let text = String(repeating: "9", count: 35)
        #expect(throws: DecimalText.Problem.tooManyDigits(text)) { try DecimalText.parse(text) }
        #expect((try? DecimalText.parse(String(repeating: "9", count: 34))) != nil)
    }

    @Test("negative amounts can be refused where they make no sense")
    func negativeRefused() {
        #expect(throws: DecimalText.Problem.negative("-1")) { try DecimalText.parse("-1", allowNegative: false) }
    }

    @Test("minor units follow ISO 4217", arguments: [("GBP", 2), ("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("BHD", 3), ("KWD", 3), ("CLF", 4)])
    func minorUnits(code: String, units: Int) throws {
        #expect(try Currency(code: code).minorUnits == units)
    }

    @Test("retired currencies are known and marked")
    func retired() throws {
        #expect(try Currency(code: "CYP").isRetired)
        #expect(try Currency(code: "TRL").minorUnits == 0)
        #expect(try !Currency(code: "GBP").isRetired)
    }

    @Test("unknown or malformed codes are refused", arguments: ["GPB", "gbp", "GB", "GBPX", "", "XBT"])
    func unknownCurrency(code: String) {
        #expect(throws: HaulCoreError.self) { try Currency(code: code) }
    }

    @Test("rounding is half away from zero to the currency's minor unit", arguments: [
        ("2.345", "GBP", "2.35"), ("-2.345", "GBP", "-2.35"), ("2.344", "GBP", "2.34"), ("2.355", "GBP", "2.36"),
        ("0.005", "GBP", "0.01"), ("-0.005", "GBP", "-0.01"), ("0.004", "GBP", "0.00"),
        ("1234.5", "JPY", "1235"), ("-1234.5", "JPY", "-1235"), ("1234.4999", "JPY", "1234"),
        ("1.0005", "BHD", "1.001"), ("1.0004", "BHD", "1.000"), ("30000", "GBP", "30000.00"),
    ])
    func rounding(amount: String, code: String, expected: String) throws {
        let money = try Money(parsing: amount, currency: Currency(code: code))
        #expect(money.amountText == expected)
        #expect(money.rounded().amount == decimal(expected))
    }

    @Test("formatting shows the code after the amount")
    func formatted() throws {
        #expect(try Money(parsing: "610000", currency: .gbp).formatted == "610000.00 GBP")
        #expect(try Money(parsing: "1500", currency: Currency(code: "JPY")).formatted == "1500 JPY")
    }

    @Test("arithmetic refuses to mix currencies")
    func mixedCurrencies() throws {
        let pounds = try Money(parsing: "10", currency: .gbp)
        let euros = try Money(parsing: "10", currency: .eur)
        #expect(throws: HaulCoreError.self) { try pounds.adding(euros) }
        #expect(throws: HaulCoreError.self) { try pounds.subtracting(euros) }
        #expect(try pounds.adding(pounds).amount == 20)
        #expect(try pounds.subtracting(Money(parsing: "2.50", currency: .gbp)).amount == decimal("7.5"))
    }

    @Test("conversion multiplies by the rate exactly and keeps full precision until rounding")
    func conversion() throws {
        let euros = try Money(parsing: "100.00", currency: .eur)
        let pounds = euros.converted(to: .gbp, rate: decimal("0.88725"))
        #expect(pounds.amount == decimal("88.725"))
        #expect(pounds.amountText == "88.73")
    }

    @Test("whole minor units")
    func wholeMinorUnits() throws {
        #expect(try Money(parsing: "12.34", currency: .gbp).isWholeMinorUnits)
        #expect(try !Money(parsing: "12.345", currency: .gbp).isWholeMinorUnits)
        #expect(try !Money(parsing: "12.5", currency: Currency(code: "JPY")).isWholeMinorUnits)
    }

    @Test("plain text with a maximum scale rounds and trims")
    func plainMaximumScale() {
        #expect(DecimalText.plain(decimal("0.123456789"), maximumScale: 4) == "0.1235")
        #expect(DecimalText.plain(decimal("2.5"), maximumScale: 4) == "2.5")
        #expect(DecimalText.plain(decimal("0.0000001"), maximumScale: 12) == "0.0000001")
        #expect(DecimalText.plain(decimal("1000000000000"), maximumScale: 2) == "1000000000000")
    }
}

/// The fast formatter reads Decimal's stored parts; it must agree with Foundation's own rounding
/// and description on every value, and with hand-written answers.
@Suite("Decimal formatting from stored parts")
struct RawDecimalTests {
    /// Foundation's way, used as the reference: NSDecimalRound (.plain = half away from zero) and
    /// the plain description, padded to `scale` fraction digits.
    static func reference(_ value: Decimal, scale: Int) -> String {
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, scale, .plain)
        var text = rounded.isZero ? "0" : rounded.description
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? 0
        if scale > 0 { text += (fraction == 0 ? "." : "") + String(repeating: "0", count: scale - fraction) }
        return text
    }

    @Test("this platform's Decimal layout is the one the fast path reads")
    func layoutKnown() {
        #expect(RawDecimal.layoutIsKnown)
    }

    @Test("hand-worked values", arguments: [
        ("2.5", 2, "2.50"), ("-0.005", 2, "-0.01"), ("0.004", 2, "0.00"), ("-0.004", 2, "0.00"), ("1234.5678", 0, "1235"),
        ("1234.5", 0, "1235"), ("-1234.5", 0, "-1235"), ("0.125", 2, "0.13"), ("999.995", 2, "1000.00"), ("20", 2, "20.00"),
        ("123456789012345678901234567890", 2, "123456789012345678901234567890.00"), ("0.00000000000000000001", 4, "0.0000"),
    ])
    func handWorked(_ text: String, _ scale: Int, _ expected: String) throws {
        let value = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        #expect(RawDecimal.format(value, scale: scale) == expected)
        #expect(DecimalText.format(value, scale: scale) == expected)
    }

    @Test("agrees with Foundation on 20,000 generated values")
    func agreesWithFoundation() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        for _ in 0..<20_000 {
            let digits = String(next() % 1_000_000_000_000)
            let exponent = Int(next() % 24) - 14
            let sign = next() % 2 == 0 ? "-" : ""
            let value = try #require(Decimal(string: "\(sign)\(digits)e\(exponent)", locale: Locale(identifier: "en_US_POSIX")))
            let scale = Int(next() % 9)
            #expect(RawDecimal.format(value, scale: scale) == Self.reference(value, scale: scale), "\(value) at scale \(scale)")
        }
    }
}

@Suite("Money in minor units")
struct MinorUnitsTests {
    @Test("rounded half away from zero to the currency's minor unit, counted in minor units", arguments: [
        ("30000.005", "GBP", Int128(3_000_001)), ("-0.005", "GBP", Int128(-1)), ("0.004", "GBP", Int128(0)), ("1234.5", "JPY", Int128(1235)),
        ("1.2345", "BHD", Int128(1235)), ("999999999999999.99", "GBP", Int128(99_999_999_999_999_999)),
    ])
    func rounded(_ amount: String, _ code: String, _ expected: Int128) throws {
        let money = Money(try #require(Decimal(string: amount, locale: Locale(identifier: "en_US_POSIX"))), try Currency(code: code))
        #expect(money.roundedMinorUnits == expected)
    }

    @Test("made from minor units, it reads back as the same text")
    func fromMinorUnits() throws {
        #expect(Money(minorUnits: 3_000_001, .gbp).amountText == "30000.01")
        #expect(Money(minorUnits: -1, .gbp).amountText == "-0.01")
        #expect(Money(minorUnits: 1235, try Currency(code: "JPY")).amountText == "1235")
        #expect(Money(minorUnits: 1235, try Currency(code: "BHD")).amountText == "1.235")
        #expect(Money(minorUnits: 0, .gbp).amount == 0)
    }
}

@Suite("Plain decimal text built without Decimal(string:)")
struct PlainDecimalTests {
    @Test("equal to Foundation's parse, value and text, on 20,000 generated numbers and the edges")
    func agreesWithFoundation() throws {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var texts = ["0", "-0", "0.0", "7", "-7", "0.5", "-0.005", "000123.4500", "999999999999999999", "123456789.123456789", "20.00",
                     // Past one 64-bit word: up to the 38 digits Decimal holds.
                     "1234567890123456789", "12345678901234567890123456789012345678", "99999999999999999999999999999999999999",
                     "-0.00000000000000000000000000000000000001", "18446744073709551615.5", "18446744073709551616"]
        for _ in 0..<20_000 {
            let whole = String(next() % 10_000_000_000)
            let fraction = String(next() % 100_000_000)
            let shape = next() % 3
            texts.append((next() % 2 == 0 ? "-" : "") + (shape == 0 ? whole : whole + "." + fraction))
        }
        for text in texts {
            let fast = try #require(DecimalText.plainDecimal(text.utf8), "\(text)")
            let slow = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(fast == slow, "\(text)")
            #expect(fast.description == slow.description, "\(text)")
            #expect(DecimalText.format(fast, scale: 4) == DecimalText.format(slow, scale: 4), "\(text)")
        }
    }

    /// The two-halves route (19 to 38 digits): the same number as Foundation's parser, to the
    /// byte (the fast paths read `Decimal`'s layout), on generated texts with the point
    /// anywhere, trailing zeros and a low half of zero.
    @Test("equal to Foundation's parse, to the byte, on 20,000 generated numbers of 19 to 38 digits")
    func longAgreesWithFoundation() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var texts = ["10000000000000000000", "1000000000000000000000000000000000000", "99999999999999999999999999999999999999",
                     "12345678900000000000000000000000000000", "-1234567890123456789.0000000000000000000"]
        for _ in 0..<20_000 {
            let length = 19 + Int(next() % 20)
            var digits = String(1 + next() % 9)
            while digits.count < length { digits += String(next() % 10) }
            if next() % 4 == 0 {  // trailing zeros, sometimes a whole low half of them
                let zeros = Int(next() % UInt64(min(length - 1, 25)))
                digits = String(digits.prefix(length - zeros)) + String(repeating: "0", count: zeros)
            }
            let point = Int(next() % UInt64(length + 1))
            var text = point == 0 || point == length ? digits : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if point == 0 { text = "0." + digits }
            texts.append((next() % 2 == 0 ? "-" : "") + text)
        }
        for text in texts {
            let fast = try #require(DecimalText.plainDecimal(text.utf8), "\(text)")
            let slow = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
            #expect(fast == slow, "\(text)")
            #expect(fast.description == slow.description, "\(text)")
            #expect(withUnsafeBytes(of: fast) { Array($0) } == withUnsafeBytes(of: slow) { Array($0) }, "\(text)")
        }
    }

    /// Past 38 significant digits `Decimal` would round, so the integer route declines.
    @Test("anything else is declined", arguments: ["", "-", ".5", "5.", "1e5", "1.2.3", "12a", " 1", "+1",
                                                   "123456789012345678901234567890123456789", "0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"])
    func refused(_ text: String) {
        #expect(DecimalText.plainDecimal(text.utf8) == nil)
    }
}

@Suite("Reference rates layered")
struct RateOverlayTests {
    func day(_ date: String, _ gbp: String, _ source: String) -> ReferenceRates.Day {
        ReferenceRates.Day(date: try! CalendarDate(parsing: date), rates: ["GBP": Decimal(string: gbp)!], source: source, line: 1)
    }

    @Test("an imported history decides every date it covers: a shipped day inside its range no longer speaks")
    func importedHistoryWins() throws {
        var rates = ReferenceRates(days: [day("2020-01-02", "0.85", "shipped"), day("2020-01-03", "0.99", "shipped"), day("2020-01-10", "0.86", "shipped")])
        rates.overlay(ReferenceRates(days: [day("2020-01-02", "0.84", "imported"), day("2020-01-06", "0.87", "imported")]))
        // 3 January: the shipped day is gone (inside 2–6 January), so the imported 2 January rate applies.
        let third = try rates.quote(from: .eur, to: .gbp, on: try CalendarDate(parsing: "2020-01-03"))
        #expect(third.rate == Decimal(string: "0.84") && third.source == "imported")
        // Outside the imported range the shipped days stay.
        #expect(try rates.quote(from: .eur, to: .gbp, on: try CalendarDate(parsing: "2020-01-10")).source == "shipped")
        #expect(rates.days.map(\.source) == ["imported", "imported", "shipped"])
    }
}
