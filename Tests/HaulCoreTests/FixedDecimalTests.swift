import Foundation
@testable import HaulCore
import Testing

/// Haul's exact number, judged two ways: against answers worked by hand, and against Foundation's
/// `Decimal` (38 significant digits, an independent implementation) on generated values.
@Suite("FixedDecimal, Haul's exact number")
struct FixedDecimalTests {
    private func value(_ text: String) -> FixedDecimal { FixedDecimal(text)! }
    private func foundation(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))! }

    @Test("products and quotients round once, half away from zero, at 10⁻¹⁸", arguments: [
        // 2 ÷ 3 = 0.666…6|66… → the 18th place rounds up.
        ("2", "/", "3", "0.666666666666666667"), ("-2", "/", "3", "-0.666666666666666667"),
        // 10⁻¹⁸ × 0.5 is exactly half a unit of the last place: away from zero.
        ("0.000000000000000001", "*", "0.5", "0.000000000000000001"), ("-0.000000000000000001", "*", "0.5", "-0.000000000000000001"),
        ("0.000000000000000001", "*", "0.49", "0"),
        ("38.50", "*", "12.5", "481.25"), ("0.1", "+", "0.2", "0.3"), ("100", "-", "100.000000000000000001", "-0.000000000000000001"),
        // A kilogram in avoirdupois ounces: 1000 ÷ 28.349523125 = 35.27396194958041291…
        ("1000", "/", "28.349523125", "35.273961949580412916"),
    ])
    func handWorked(_ lhs: String, _ operation: String, _ rhs: String, _ expected: String) {
        let a = value(lhs), b = value(rhs)
        let result: FixedDecimal
        switch operation {
        case "+": result = a + b
        case "-": result = a - b
        case "*": result = a * b
        default: result = a / b
        }
        #expect(result.description == expected)
    }

    @Test("28 g in ounces with one rounding: 28 × 1000 ÷ 28.349523125 is 987.67093458843…")
    func scaledRoundsOnce() {
        #expect(value("28").scaled(by: 1000, over: value("28.349523125")).formatted(places: 9) == "987.670934588")
    }

    @Test("text with a fixed number of places rounds half away from zero", arguments: [
        ("2.5", 2, "2.50"), ("-0.005", 2, "-0.01"), ("0.004", 2, "0.00"), ("-0.004", 2, "0.00"), ("1234.5678", 0, "1235"),
        ("-1234.5", 0, "-1235"), ("0.125", 2, "0.13"), ("999.995", 2, "1000.00"), ("20", 2, "20.00"),
        ("99999999999999999999.999999999999999999", 4, "100000000000000000000.0000"), ("0.000000000000000001", 4, "0.0000"),
    ])
    func formatted(_ text: String, _ places: Int, _ expected: String) {
        #expect(value(text).formatted(places: places) == expected)
    }

    @Test("where negatives are refused, so is -0")
    func negativeZero() {
        #expect(throws: DecimalText.Problem.negative("-0")) { try FixedDecimal(parsing: "-0", allowNegative: false) }
        #expect(throws: DecimalText.Problem.negative("-0.00")) { try FixedDecimal(parsing: "-0.00", allowNegative: false) }
        #expect(FixedDecimal("-0") == 0)
    }

    @Test("cut toward zero, and the places a value needs")
    func truncatedAndPlaces() {
        #expect(value("2.349").truncated(places: 2) == value("2.34"))
        #expect(value("-2.349").truncated(places: 0) == -2)
        #expect(value("1.50").fractionDigits == 1)
        #expect(value("7").fractionDigits == 0)
        #expect(value("0.000000000000000001").fractionDigits == 18)
    }

    @Test("a result beyond ±10²⁰ is held at the ceiling instead of stopping the process")
    func ceiling() {
        let big = value("99999999999999999999")
        #expect((big * big).isAtCeiling)
        #expect((big + big) == .ceiling)
        #expect((-big - big) == -FixedDecimal.ceiling)
        #expect((value("1") / 0).isAtCeiling)
        #expect((value("-1") / 0) == -FixedDecimal.ceiling)
        #expect(FixedDecimal(units: Int128.max, places: 0) == .ceiling)
        #expect(!big.isAtCeiling && (big + 1).isAtCeiling)
        // The schema's largest amount is far below the ceiling, so every bound check refuses it,
        // and the ceiling stays through further arithmetic: scaled back down, it is still refused.
        #expect(throws: HaulCoreError.self) { try SchemaBounds.amount.check(big * big, "amount") }
        #expect(((big * big) / 1_000_000).isAtCeiling)
        #expect(((big * big) - big) == .ceiling && (big - big * big) == -FixedDecimal.ceiling)
        #expect((big * big).scaled(by: 1, over: big).isAtCeiling)
        #expect(throws: HaulCoreError.self) { try SchemaBounds.amount.check((big * big) / 1_000_000, "amount") }
        // A quotient of exactly 2¹²⁸ − 1 with a remainder over half: held at the ceiling, not trapped
        // when rounded up.
        #expect((value("99996397190487739688.737652263721701923") / value("0.293863")) == .ceiling)
        // A raw count beyond ±10³⁸ is held at the ceiling too.
        #expect(FixedDecimal(raw: .max) == .ceiling && FixedDecimal(raw: .min) == -FixedDecimal.ceiling)
        var set = FixedDecimal.zero
        set.raw = .min
        #expect(set == -FixedDecimal.ceiling && set.description == "-100000000000000000000")
    }

    @Test("Decimal at the edge: exact both ways, refused past 18 places")
    func decimalEdge() throws {
        for text in ["0", "-0.5", "1234.5", "99999999999999999999.999999999999999999", "0.000000000000000001", "18446744073709551616.25"] {
            #expect(value(text).decimal == foundation(text), "\(text)")
            #expect(FixedDecimal(exactly: foundation(text)) == value(text), "\(text)")
        }
        #expect(FixedDecimal(exactly: foundation("0.0000000000000000001")) == nil)
        #expect(FixedDecimal(exactly: foundation("1000000000000000000000")) == nil)
        #expect(FixedDecimal(exactly: Decimal.nan) == nil)
    }

    @Test("JSON: written as a number, read back exactly; a number in exponent form too")
    func json() throws {
        let encoded = try JSONEncoder().encode([value("1234.5"), value("-0.000000000000000001")])
        #expect(try JSONDecoder().decode([FixedDecimal].self, from: encoded) == [value("1234.5"), value("-0.000000000000000001")])
        #expect(try JSONDecoder().decode([FixedDecimal].self, from: Data("[1.5e3, \"2.25\"]".utf8)) == [1500, value("2.25")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([FixedDecimal].self, from: Data("[\"1,5\"]".utf8)) }
    }

    @Test("a 256-bit product over a 64-bit divisor: the two hardware divisions give what the standard library's 256-by-128-bit division gives")
    func sixtyFourBitDivisor() {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        var checked = 0
        for index in 0..<100_000 {
            // Magnitudes up to about 2¹²⁷; divisors of any size to 2⁶⁴ − 1, 10¹⁸ (every product's) among them.
            let a = UInt128(next() >> (next() % 64)) << 63 | UInt128(next()), b = UInt128(next() >> (next() % 64)) << (next() % 64) | UInt128(next() % 7)
            let divisor = index % 3 == 0 ? 1_000_000_000_000_000_000 : max(1, next() >> (next() % 64))
            let product = a.multipliedFullWidth(by: b)
            guard product.high < UInt128(divisor) else { continue }
            let expected = UInt128(divisor).dividingFullWidth(product)
            let found = FixedDecimal.divide(product, by: divisor)
            #expect(found.quotient == expected.quotient && found.remainder == expected.remainder, "\(a) × \(b) ÷ \(divisor)")
            checked += 1
        }
        #expect(checked > 20_000, "only \(checked) products had a quotient within 128 bits")
    }

    /// Generated values with up to 10 digits before the point and 9 after, so every exact
    /// product stays within Foundation's 38 digits before it is rounded to 18 places; a result
    /// Foundation finds beyond ±10²⁰ must be held at the ceiling.
    @Test("agrees with Foundation's Decimal on 20,000 generated pairs: text, sum, difference, product, quotient, rounding")
    func agreesWithFoundation() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state }
        func generated() -> String {
            let whole = String(next() % 10_000_000_000)
            let places = Int(next() % 10)
            let fraction = String(String(next() % 1_000_000_000).reversed()).prefix(places)
            return (next() % 2 == 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
        }
        func rounded(_ decimal: Decimal, _ places: Int) -> Decimal {
            var input = decimal, result = Decimal()
            NSDecimalRound(&result, &input, places, .plain)  // .plain: half away from zero
            return result
        }
        for _ in 0..<20_000 {
            let lhsText = generated(), rhsText = generated()
            let a = value(lhsText), b = value(rhsText)
            let x = foundation(lhsText), y = foundation(rhsText)
            #expect(a.description == x.description, "\(lhsText)")
            #expect((a + b).decimal == x + y, "\(lhsText) + \(rhsText)")
            #expect((a - b).decimal == x - y, "\(lhsText) - \(rhsText)")
            func agrees(_ fixed: FixedDecimal, _ reference: Decimal, _ what: String) {
                if reference.magnitude >= Decimal(sign: .plus, exponent: 20, significand: 1) {
                    #expect(fixed.isAtCeiling && (fixed < 0) == (reference < 0), "\(what)")
                } else {
                    #expect(fixed.decimal == rounded(reference, 18), "\(what)")
                }
            }
            agrees(a * b, x * y, "\(lhsText) × \(rhsText)")
            if !b.isZero { agrees(a / b, x / y, "\(lhsText) ÷ \(rhsText)") }
            let places = Int(next() % 10)
            #expect(a.rounded(places: places).decimal == rounded(x, places), "\(lhsText) to \(places)")
            #expect((a < b) == (x < y))
        }
    }
}
