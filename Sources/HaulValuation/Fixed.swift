import Foundation
import HaulCore

/// An exact decimal with nine fraction digits, held as a 128-bit integer count of 10⁻⁹.
///
/// Foundation `Decimal` costs about 200 ns an operation; valuing a million items a second needs
/// integers. Tables are parsed straight from text into `Fixed` (no `Double`, no `Decimal`), and
/// each multiplication or division rounds half away from zero to 10⁻⁹ — the stated precision of
/// intermediate results, seven digits finer than any currency's minor unit. A result becomes a
/// `Decimal` once, when a ``Valuation`` is made.
public struct Fixed: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale = 9
    static let one: Int128 = 1_000_000_000

    /// The value times 10⁹.
    public var raw: Int128

    public init(raw: Int128) { self.raw = raw }
    public init(_ integer: Int) { raw = Int128(integer) * Self.one }

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
    public init(_ decimal: Decimal) {
        var value = Rounding.halfAwayFromZero.round(decimal, scale: Self.scale)
        var power = Decimal(1)
        for _ in 0..<Self.scale { power *= 10 }
        value *= power
        raw = Int128(NSDecimalNumber(decimal: value).stringValue) ?? 0
    }

    /// The exact `Decimal` value.
    public var decimal: Decimal {
        let magnitude = raw < 0 ? -raw : raw
        var significand: Decimal
        if magnitude <= Int128(UInt64.max) {
            significand = Decimal(UInt64(magnitude))
        } else {
            significand = Decimal(string: String(magnitude))!
        }
        return Decimal(sign: raw < 0 ? .minus : .plus, exponent: -Self.scale, significand: significand)
    }

    public var description: String { DecimalText.plain(decimal) }

    public static func < (lhs: Fixed, rhs: Fixed) -> Bool { lhs.raw < rhs.raw }
    public static func + (lhs: Fixed, rhs: Fixed) -> Fixed { Fixed(raw: lhs.raw + rhs.raw) }
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

    /// The product, rounded to nine places.
    @inline(__always)
    public static func * (lhs: Fixed, rhs: Fixed) -> Fixed {
        Fixed(raw: divideRounded(lhs.raw * rhs.raw, one))
    }

    /// The quotient, rounded to nine places.
    @inline(__always)
    public static func / (lhs: Fixed, rhs: Fixed) -> Fixed {
        Fixed(raw: divideRounded(lhs.raw * one, rhs.raw))
    }

    /// `self × numerator ÷ denominator` with a single rounding.
    @inline(__always)
    public func scaled(by numerator: Fixed, over denominator: Fixed) -> Fixed {
        Fixed(raw: Self.divideRounded(raw * numerator.raw, denominator.raw))
    }

    public static func min(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? a : b }
    public static func max(_ a: Fixed, _ b: Fixed) -> Fixed { a < b ? b : a }
}
