import Foundation
import HaulCore

/// An exact decimal with nine fraction digits, held as a 128-bit integer count of 10⁻⁹.
///
/// Foundation `Decimal` costs about 200 ns an operation; valuing a million items a second needs
/// integers. Tables are parsed straight from text into `Fixed` (no `Double`, no `Decimal`), and
/// each multiplication or division rounds half away from zero to 10⁻⁹ — the stated precision of
/// intermediate results, seven digits finer than any currency's minor unit. A result becomes a
/// `Decimal` once, when a `Valuation` is made.
public struct Fixed: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The number of fraction digits every value keeps: `raw` counts units of 10⁻⁹.
    public static let scale = 9
    static let one: Int128 = 1_000_000_000

    /// The value times 10⁹.
    public var raw: Int128

    /// The value whose count of 10⁻⁹ is `raw` (a raw 1_500_000_000 is 1.5).
    ///
    /// - Parameter raw: The value times 10⁹.
    public init(raw: Int128) { self.raw = raw }
    /// The whole number `integer`, exactly.
    ///
    /// - Parameter integer: The whole number.
    public init(_ integer: Int) { raw = Int128(integer) * Self.one }

    /// Nought: the start of a sum, and the floor a figure's low end is checked against.
    public static let zero = Fixed(raw: 0)

    /// Parses `[-]digits[.digits]` with at most nine fraction digits and 20 integer digits.
    public init(parsing text: String) throws(DecimalText.Problem) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { throw .empty }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; index = 1 }
        var integerDigits = 0, fractionDigits = 0, sawPoint = false
        var value: Int128 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                guard !sawPoint, integerDigits > 0 else { throw .notPlainDecimal(text) }
                sawPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if sawPoint { fractionDigits += 1 } else { integerDigits += 1 }
                guard integerDigits <= 20, fractionDigits <= Self.scale else { throw .tooManyDigits(text) }
                value = value * 10 + Int128(byte - UInt8(ascii: "0"))
            } else {
                throw .notPlainDecimal(text)
            }
            index += 1
        }
        guard integerDigits > 0, !sawPoint || fractionDigits > 0 else { throw .notPlainDecimal(text) }
        for _ in fractionDigits..<Self.scale { value *= 10 }
        raw = negative ? -value : value
    }

    /// Converts an exact `Decimal`, rounding half away from zero to nine places.
    ///
    /// `Decimal` offers no public access to its digits, and going through text or
    /// `NSDecimalNumber` costs more than a whole valuation; so this reads the value's documented
    /// in-memory form (exponent, flags, eight 16-bit mantissa words), which a self-check at first
    /// use confirms against the slow, public route, falling back to it if this Foundation differs.
    public init(_ decimal: Decimal) {
        if Self.fastDecimalLayoutWorks, let raw = Self.fastRaw(decimal) {
            self.raw = raw
        } else {
            self.raw = Self.slowRaw(decimal)
        }
    }

    static let powersOfTen: [UInt128] = (0...38).map { exponent in (0..<exponent).reduce(UInt128(1)) { value, _ in value * 10 } }

    /// Reads sign, exponent and mantissa from the value's bytes; nil when out of range.
    @inline(__always)
    static func fastRaw(_ decimal: Decimal) -> Int128? {
        withUnsafeBytes(of: decimal) { bytes -> Int128? in
            guard bytes.count == 20 else { return nil }
            let exponent = Int(Int8(bitPattern: bytes[0]))
            let negative = bytes[1] & 0x08 != 0
            var mantissa: UInt128 = 0
            for word in stride(from: 7, through: 0, by: -1) {
                let value = UInt128(bytes[4 + 2 * word]) | UInt128(bytes[5 + 2 * word]) << 8
                mantissa = mantissa << 16 | value
            }
            let shift = exponent + scale
            var magnitude: UInt128
            if shift >= 0 {
                guard shift <= 38 else { return mantissa == 0 ? 0 : nil }
                let (product, overflow) = mantissa.multipliedReportingOverflow(by: powersOfTen[shift])
                guard !overflow, product <= UInt128(Int128.max) else { return nil }
                magnitude = product
            } else {
                guard -shift <= 38 else { return 0 }
                let divisor = powersOfTen[-shift]
                magnitude = mantissa / divisor
                if (mantissa % divisor) * 2 >= divisor { magnitude += 1 }
                guard magnitude <= UInt128(Int128.max) else { return nil }
            }
            return negative ? -Int128(magnitude) : Int128(magnitude)
        }
    }

    /// The public route: round, scale, and read the integer back as text.
    static func slowRaw(_ decimal: Decimal) -> Int128 {
        var value = Rounding.halfAwayFromZero.round(decimal, scale: scale)
        var power = Decimal(1)
        for _ in 0..<scale { power *= 10 }
        value *= power
        return Int128(NSDecimalNumber(decimal: value).stringValue) ?? 0
    }

    /// Checks the fast route against the slow one on values that exercise sign, exponent and
    /// several mantissa words.
    static let fastDecimalLayoutWorks: Bool = {
        // Made from integers, not parsed: Decimal(string:) would load ICU's locale data for this check alone.
        let values = ["-1234.5678", "65537", "0.001", "123456789012345678901", "0", "-7.0000000005", "31.1034768"].map { DecimalText.plainDecimal($0.utf8)! }
            + [Decimal(sign: .plus, exponent: -11, significand: 25)]  // 2.5e-10
        return values.allSatisfy { fastRaw($0) == slowRaw($0) }
    }()

    /// The exact `Decimal` value.
    public var decimal: Decimal {
        let magnitude = raw < 0 ? -raw : raw
        if magnitude <= Int128(UInt64.max) {
            return Decimal(sign: raw < 0 ? .minus : .plus, exponent: -Self.scale, significand: Decimal(UInt64(magnitude)))
        }
        // Exact from the integer; from 39 digits (no price reaches them) through the parser, as before.
        return DecimalText.decimal(magnitude: UInt128(magnitude), fractionDigits: Self.scale, negative: raw < 0)
            ?? Decimal(sign: raw < 0 ? .minus : .plus, exponent: -Self.scale, significand: Decimal(string: String(magnitude))!)
    }

    /// The value as plain decimal text, with no trailing zeros after the point and no exponent.
    public var description: String { DecimalText.plain(decimal) }

    /// Whether `lhs` is the smaller value.
    ///
    /// - Parameters:
    ///   - lhs: The first value.
    ///   - rhs: The second value.
    /// - Returns: True when `lhs` is less than `rhs`.
    public static func < (lhs: Fixed, rhs: Fixed) -> Bool { lhs.raw < rhs.raw }
    /// The exact sum; no rounding is needed.
    ///
    /// - Parameters:
    ///   - lhs: The first value.
    ///   - rhs: The second value.
    /// - Returns: `lhs` plus `rhs`.
    public static func + (lhs: Fixed, rhs: Fixed) -> Fixed { Fixed(raw: lhs.raw + rhs.raw) }
    /// The exact difference; no rounding is needed.
    ///
    /// - Parameters:
    ///   - lhs: The value taken from.
    ///   - rhs: The value taken away.
    /// - Returns: `lhs` minus `rhs`.
    public static func - (lhs: Fixed, rhs: Fixed) -> Fixed { Fixed(raw: lhs.raw - rhs.raw) }

    /// Integer division rounding half away from zero.
    @inline(__always)
    static func divideRounded(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        let twice = (remainder < 0 ? -remainder : remainder) * 2
        let absDenominator = denominator < 0 ? -denominator : denominator
        guard twice >= absDenominator else { return quotient }
        return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
    }

    /// `(a × b) ÷ c`, rounded half away from zero, with one rounding. Uses a 64 × 64 → 128-bit
    /// multiply and a single 128 ÷ 64 division when the operands fit in 64 bits, which they do
    /// for every realistic price, quantity and factor; otherwise 128-bit arithmetic.
    @inline(__always)
    static func multiplyDivide(_ a: Int128, _ b: Int128, _ c: Int128) -> Int128 {
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        let ua = a.magnitude, ub = b.magnitude, uc = c.magnitude
        if ua <= UInt128(UInt64.max) && ub <= UInt128(UInt64.max) && uc <= UInt128(UInt64.max) {
            let product = UInt64(ua).multipliedFullWidth(by: UInt64(ub))
            let divisor = UInt64(uc)
            if product.high < divisor {
                let (quotient, remainder) = divisor.dividingFullWidth(product)
                var result = UInt128(quotient)
                if remainder >= divisor - remainder { result += 1 }
                return negative ? -Int128(result) : Int128(result)
            }
        }
        // The full 256-bit product, so no operands can trap; a quotient beyond ``ceiling`` (or a
        // division by zero) is held at the ceiling, which every figure is checked against
        // before it is used, so the value is refused rather than the process stopped.
        guard uc != 0 else { return negative ? -ceiling : ceiling }
        let product = ua.multipliedFullWidth(by: ub)
        guard product.high < uc else { return negative ? -ceiling : ceiling }
        let (quotient, remainder) = uc.dividingFullWidth(product)
        var result = quotient
        if remainder >= uc - remainder { result += 1 }
        guard result <= UInt128(ceiling) else { return negative ? -ceiling : ceiling }
        return negative ? -Int128(result) : Int128(result)
    }

    /// The largest magnitude a product or quotient is held at (10²¹, as raw 10³⁰): far beyond any
    /// sum a case file can carry (below 10¹⁵), and small enough that adding millions of such
    /// figures still fits in 128 bits.
    public static let ceiling: Int128 = 1_000_000_000_000_000_000_000 * one
    /// Whether the value reached ``ceiling`` (an arithmetic result too large to be meaningful).
    public var isAtCeiling: Bool { raw.magnitude >= Self.ceiling.magnitude }

    /// The product, rounded to nine places.
    @inline(__always)
    public static func * (lhs: Fixed, rhs: Fixed) -> Fixed {
        Fixed(raw: multiplyDivide(lhs.raw, rhs.raw, one))
    }

    /// The quotient, rounded to nine places.
    @inline(__always)
    public static func / (lhs: Fixed, rhs: Fixed) -> Fixed {
        Fixed(raw: multiplyDivide(lhs.raw, one, rhs.raw))
    }

    /// `self × numerator ÷ denominator` with a single rounding.
    @inline(__always)
    public func scaled(by numerator: Fixed, over denominator: Fixed) -> Fixed {
        Fixed(raw: Self.multiplyDivide(raw, numerator.raw, denominator.raw))
    }

    /// The smaller of two values (`b` when they are equal).
    ///
    /// - Parameters:
    ///   - a: The first value.
    ///   - b: The second value.
    /// - Returns: The smaller value.
    public static func min(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? a : b }
    /// The larger of two values (`a` when they are equal).
    ///
    /// - Parameters:
    ///   - a: The first value.
    ///   - b: The second value.
    /// - Returns: The larger value.
    public static func max(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? b : a }
}
