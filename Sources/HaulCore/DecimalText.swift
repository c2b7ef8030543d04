import Foundation

/// Strict conversion between plain decimal text and ``FixedDecimal``.
///
/// Foundation's `Decimal(string:)` accepts `"12.34abc"` (stopping at the first bad character) and
/// stops at a comma, and `Decimal(_: Double)` goes through binary floating point. Every amount,
/// price, rate and quantity in Haul is read through ``DecimalText/parse(_:allowNegative:)`` instead, which
/// accepts only `[-]digits[.digits]`.
///
/// ```swift
/// let amount = try DecimalText.parse("1234.50")   // 1234.5, exactly
/// try DecimalText.parse("1,234.50")               // throws .notPlainDecimal
/// ```
public enum DecimalText {
    /// Why a text is not a plain decimal.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text is empty.
        case empty
        /// The text, carried, is not `[-]digits[.digits]`: it has a separator, space, exponent, sign
        /// or other character out of place.
        case notPlainDecimal(String)
        /// The text, carried, has more than 20 digits before the point or a nonzero digit beyond
        /// the 18th after it: more than ``FixedDecimal`` holds.
        case tooManyDigits(String)
        /// The text, carried, is negative where only zero or more is allowed.
        case negative(String)

        /// What is wrong and how to write the number instead, e.g. "is empty; expected a plain decimal
        /// such as 1234.50".
        public var description: String {
            switch self {
            case .empty: return "is empty; expected a plain decimal such as 1234.50"
            case .notPlainDecimal(let text):
                return "'\(text)' is not a plain decimal: use digits with an optional '.' and no thousands separators, spaces, exponent or currency sign (e.g. 1234.50)"
            case .tooManyDigits(let text):
                return "'\(text)' has more digits than Haul keeps: at most 20 before the point (below 10²⁰) and 18 after it"
            case .negative(let text): return "'\(text)' is negative; expected zero or more"
            }
        }
    }

    /// Parses `[-]digits[.digits]` exactly. No sign other than a leading `-`, no exponent, no
    /// separators, no surrounding spaces.
    ///
    /// - Parameters:
    ///   - text: The number as plain decimal text.
    ///   - allowNegative: False to refuse a negative value.
    /// - Returns: The value, exactly.
    /// - Throws: ``Problem`` for anything else.
    public static func parse(_ text: String, allowNegative: Bool = true) throws(Problem) -> FixedDecimal {
        try FixedDecimal(parsing: text, allowNegative: allowNegative)
    }

    /// `magnitude` × 10^−`fractionDigits`, exactly, made from integers (no text, no locale). Nil
    /// from 39 digits on (the two-halves construction stops at 38), or for an exponent `Decimal`
    /// cannot carry.
    package static func decimal(magnitude: UInt128, fractionDigits: Int, negative: Bool) -> Decimal? {
        guard magnitude < tenToThe38, (0...127).contains(fractionDigits) else { return nil }
        if magnitude == 0 { return Decimal(0) }
        let sign: FloatingPointSign = negative ? .minus : .plus
        // Nearly every amount fits one 64-bit word: no 128-bit division for those.
        if magnitude < tenToThe19 { return Decimal(sign: sign, exponent: -fractionDigits, significand: Decimal(UInt64(magnitude))) }
        // Two 19-digit halves, each exact as a UInt64; their sum needs at most 38 digits, which
        // Decimal's 128-bit mantissa holds, so the addition does not round.
        let (high, low) = magnitude.quotientAndRemainder(dividingBy: tenToThe19)
        var significand = Decimal(UInt64(low))
        significand += Decimal(sign: .plus, exponent: 19, significand: Decimal(UInt64(high)))
        return Decimal(sign: sign, exponent: -fractionDigits, significand: significand)
    }

    private static let tenToThe19: UInt128 = 10_000_000_000_000_000_000
    private static let tenToThe38: UInt128 = tenToThe19 * tenToThe19

    /// Plain text for a value with exactly `scale` fraction digits, rounded half away from zero:
    /// 2.5 with scale 2 is `"2.50"`; −0.005 is `"-0.01"`.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - scale: The fraction digits to write, 0 to 18.
    /// - Returns: The text.
    public static func format(_ value: FixedDecimal, scale: Int) -> String {
        value.formatted(places: scale)
    }

    /// The shortest plain text for a value (no trailing zeros after the point, no exponent).
    ///
    /// - Parameter value: The value.
    /// - Returns: The text.
    public static func plain(_ value: FixedDecimal) -> String {
        value.description
    }

    /// The shortest plain text with at most `maximumScale` fraction digits, rounded half away
    /// from zero: 0.123456789 with at most 4 is `"0.1235"`, 2.5 is `"2.5"`.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - maximumScale: The most fraction digits to write, 0 to 18.
    /// - Returns: The text.
    public static func plain(_ value: FixedDecimal, maximumScale: Int) -> String {
        value.rounded(places: maximumScale).description
    }
}

/// A named rounding rule. Haul rounds once, at presentation or export (DESIGN.md).
public enum Rounding: String, Sendable, Codable {
    /// Half away from zero: 2.345 → 2.35, -2.345 → -2.35.
    case halfAwayFromZero = "half-away-from-zero"

    /// Rounds `value` to `scale` fraction digits by this rule.
    ///
    /// - Parameters:
    ///   - value: The value.
    ///   - scale: The fraction digits to keep, 0 to 18.
    /// - Returns: The rounded value.
    public func round(_ value: FixedDecimal, scale: Int) -> FixedDecimal {
        switch self {
        case .halfAwayFromZero: return value.rounded(places: scale)
        }
    }
}
