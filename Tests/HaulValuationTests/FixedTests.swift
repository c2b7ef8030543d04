import Foundation
import HaulCore
import HaulTestSupport
@testable import HaulValuation
import Testing

@Suite("The valuer's fixed-point numbers")
struct FixedTests {
    @Test("Decimal converts to Fixed by the fast route on this Foundation, and agrees with the slow one")
    func fastDecimalConversion() {
        #expect(Fixed.fastDecimalLayoutWorks, "Foundation's Decimal layout changed: conversions fall back to the slow route")
        for text in ["0.123456789012345678", "-99999999999.5", "1e-12", "340282366920938463463", "18446744073709551616.25"] {
            let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))!
            #expect(Fixed.fastRaw(value) == Fixed.slowRaw(value), "\(text)")
        }
    }

    @Test("Fixed parses exactly and rounds half away from zero at 10⁻⁹")
    func fixedArithmetic() throws {
        #expect(try Fixed(parsing: "1234.5").decimal == decimal("1234.5"))
        #expect(throws: DecimalText.Problem.self) { try Fixed(parsing: "1.0000000001") }
        #expect(throws: DecimalText.Problem.self) { try Fixed(parsing: "1e3") }
        #expect((fixed("2") / fixed("3")).decimal == decimal("0.666666667"))
        #expect((fixed("-2") / fixed("3")).decimal == decimal("-0.666666667"))
        #expect((fixed("0.000000001") * fixed("0.5")).decimal == decimal("0.000000001"))
        #expect(Fixed(decimal("12.3456789015")).decimal == decimal("12.345678902"))
        #expect(fixed("28").scaled(by: fixed("1000"), over: fixed("28.349523125")).decimal == decimal("987.670934588"))
    }
}
