import Foundation
@testable import HaulCore
import Testing

/// Expected values here are written by hand from the rules (ISO 4217 minor units, half away
/// from zero), never captured from the code under test.
@Suite("Money and decimal text")
struct MoneyTests {
    private func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

    @Test("plain decimals parse exactly", arguments: [
        ("1234.50", "1234.5"), ("0", "0"), ("-0.5", "-0.5"), ("007.250", "7.25"),
        ("0.1", "0.1"), ("999999999999999.9999", "999999999999999.9999"),
    ])
    func parsesPlainDecimals(text: String, expected: String) throws {
        #expect(try DecimalText.parse(text).description == expected)
    }

    /// Foundation's own parser is the independent reference: the same number, printed the same way.
    @Test("long plain decimals parse exactly", arguments: [
        "1234567890123456789", "12345678901234567890", "-9999999999999999999.99", "12345678901234567890.123456789012345678",
        "0.000000000000000001", "000000000000000000001234567890123456789.5", "99999999999999999999.999999999999999999",
        "18446744073709551616", "-0.000000000000000001",
    ])
    func parsesLongPlainDecimals(text: String) throws {
        let parsed = try DecimalText.parse(text)
        let foundation = try #require(Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
        #expect(parsed.decimal == foundation)
        #expect(parsed.description == foundation.description)
    }

    @Test("money from minor units past 18 digits is exact")
    func moneyFromManyMinorUnits() throws {
        // 99,999,999,999,999,999.99 GBP: 19 digits of pence; 21 with the sign's example below.
        let money = Money(minorUnits: 9_999_999_999_999_999_999, .gbp)
        #expect(money.amountText == "99999999999999999.99")
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

    @Test("more digits than Haul keeps (20 before the point, 18 after) are refused rather than silently rounded")
    func tooManyDigits() throws {
        let whole = String(repeating: "9", count: 21)
        #expect(throws: DecimalText.Problem.tooManyDigits(whole)) { try DecimalText.parse(whole) }
        #expect((try? DecimalText.parse(String(repeating: "9", count: 20))) != nil)
        let fine = "0." + String(repeating: "0", count: 18) + "1"
        #expect(throws: DecimalText.Problem.tooManyDigits(fine)) { try DecimalText.parse(fine) }
        // Zeros past the 18th place lose nothing, and a leading run of zeros is not a digit kept.
        #expect(try DecimalText.parse("1." + String(repeating: "0", count: 25)) == 1)
        #expect(try DecimalText.parse(String(repeating: "0", count: 30) + "7") == 7)
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

@Suite("Money in minor units")
struct MinorUnitsTests {
    @Test("rounded half away from zero to the currency's minor unit, counted in minor units", arguments: [
        ("30000.005", "GBP", Int128(3_000_001)), ("-0.005", "GBP", Int128(-1)), ("0.004", "GBP", Int128(0)), ("1234.5", "JPY", Int128(1235)),
        ("1.2345", "BHD", Int128(1235)), ("999999999999999.99", "GBP", Int128(99_999_999_999_999_999)),
    ])
    func rounded(_ amount: String, _ code: String, _ expected: Int128) throws {
        let money = Money(try #require(FixedDecimal(amount)), try Currency(code: code))
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

@Suite("Reference rates layered")
struct RateOverlayTests {
    func day(_ date: String, _ gbp: String, _ source: String) -> ReferenceRates.Day {
        ReferenceRates.Day(date: try! CalendarDate(parsing: date), rates: ["GBP": FixedDecimal(gbp)!], source: source, line: 1)
    }

    @Test("an imported history decides every date it covers: a shipped day inside its range no longer speaks")
    func importedHistoryWins() throws {
        var rates = ReferenceRates(days: [day("2020-01-02", "0.85", "shipped"), day("2020-01-03", "0.99", "shipped"), day("2020-01-10", "0.86", "shipped")])
        rates.overlay(ReferenceRates(days: [day("2020-01-02", "0.84", "imported"), day("2020-01-06", "0.87", "imported")]))
        // 3 January: the shipped day is gone (inside 2–6 January), so the imported 2 January rate applies.
        let third = try rates.quote(from: .eur, to: .gbp, on: try CalendarDate(parsing: "2020-01-03"))
        #expect(third.rate == FixedDecimal("0.84") && third.source == "imported")
        // Outside the imported range the shipped days stay.
        #expect(try rates.quote(from: .eur, to: .gbp, on: try CalendarDate(parsing: "2020-01-10")).source == "shipped")
        #expect(rates.days.map(\.source) == ["imported", "imported", "shipped"])
    }
}
