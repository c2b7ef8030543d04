import Foundation

/// Strict conversion between plain decimal text and `Decimal`.
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
    /// The most significant digits Haul reads: `Decimal` keeps 38, so 34 leaves room for exact sums.
    public static let maximumDigits = 34

    /// Why a text is not a plain decimal.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// The text is empty.
        case empty
        /// The text, carried, is not `[-]digits[.digits]`: it has a separator, space, exponent, sign
        /// or other character out of place.
        case notPlainDecimal(String)
        /// The text, carried, has more than `maximumDigits` (34) significant digits, or more than 42
        /// digits in all.
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
                return "'\(text)' has more than \(DecimalText.maximumDigits) significant digits"
            case .negative(let text): return "'\(text)' is negative; expected zero or more"
            }
        }
    }

    /// Parses `[-]digits[.digits]` exactly. No sign other than a leading `-`, no exponent, no
    /// separators, no surrounding spaces.
    public static func parse(_ text: String, allowNegative: Bool = true) throws(Problem) -> Decimal {
        guard !text.isEmpty else { throw .empty }
        var digits = 0
        var sawPoint = false
        var digitsAfterPoint = 0
        var digitsBeforePoint = 0
        var leadingZeros = true
        var significant = 0
        let bytes = Array(text.utf8)
        var index = 0
        if bytes[0] == UInt8(ascii: "-") {
            guard allowNegative else { throw .negative(text) }
            index = 1
        }
        guard index < bytes.count else { throw .notPlainDecimal(text) }
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if sawPoint { digitsAfterPoint += 1 } else { digitsBeforePoint += 1 }
                if byte != UInt8(ascii: "0") { leadingZeros = false }
                if !leadingZeros { significant += 1 }
            case UInt8(ascii: "."):
                guard !sawPoint else { throw .notPlainDecimal(text) }
                sawPoint = true
            default:
                throw .notPlainDecimal(text)
            }
            index += 1
        }
        guard digitsBeforePoint > 0, !sawPoint || digitsAfterPoint > 0 else { throw .notPlainDecimal(text) }
        guard significant <= maximumDigits, digits <= maximumDigits + 8 else { throw .tooManyDigits(text) }
        // Within the limits just checked, the integer construction always succeeds.
        guard let value = plainDecimal(bytes) else { throw .notPlainDecimal(text) }
        return value
    }

    /// `[-]digits[.digits]` with at most 38 significant digits, built from its integer digits and
    /// exponent: about 25 times cheaper than `Decimal(string:)`, which matters when a register
    /// reads back millions of amounts, and it never touches the locale (`Decimal(string:)` loads
    /// ICU's number formats on first use, several milliseconds of every command's start). Nil for
    /// anything else (the caller refuses it or parses it the slow way).
    package static func plainDecimal<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Decimal? {
        var significand: UInt128 = 0
        var digits = 0
        var significantDigits = 0
        var fractionDigits = -1
        var negative = false
        var first = true
        for byte in bytes {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "."):
                guard fractionDigits < 0, digits > 0 else { return nil }
                fractionDigits = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if significand > 0 || byte != UInt8(ascii: "0") { significantDigits += 1 }
                guard significantDigits <= 38 else { return nil }
                significand = significand * 10 + UInt128(byte - UInt8(ascii: "0"))
                if fractionDigits >= 0 { fractionDigits += 1 }
            default:
                return nil
            }
        }
        guard digits > 0, fractionDigits != 0, fractionDigits <= 127 else { return nil }
        return decimal(magnitude: significand, fractionDigits: max(fractionDigits, 0), negative: negative)
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

    /// Plain text for a decimal with exactly `scale` fraction digits, rounded half away from zero.
    ///
    /// `format(Decimal(string: "2.5")!, scale: 2)` is `"2.50"`; `format(-0.005, scale: 2)` is `"-0.01"`.
    public static func format(_ value: Decimal, scale: Int) -> String {
        precondition(scale >= 0 && scale <= 18, "scale out of range")
        if let fast = RawDecimal.format(value, scale: scale) { return fast }
        // One rounding and one description; the fraction is padded as text. Decimal's
        // description is always plain digits, never exponent notation.
        let rounded = Rounding.halfAwayFromZero.round(value, scale: scale)
        if rounded.isZero { return scale == 0 ? "0" : "0." + String(repeating: "0", count: scale) }
        var text = rounded.description
        let fractionDigits = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
        if scale > 0 {
            if fractionDigits < 0 { text += "." }
            text += String(repeating: "0", count: scale - max(fractionDigits, 0))
        }
        return text
    }

    /// The shortest plain text for a decimal (no trailing zeros after the point, no exponent).
    public static func plain(_ value: Decimal) -> String {
        value.description
    }

    /// The shortest plain text with at most `maximumScale` fraction digits, rounded half away
    /// from zero: `plain(0.123456789, maximumScale: 4)` is `"0.1235"`, `plain(2.5, maximumScale: 4)` is `"2.5"`.
    public static func plain(_ value: Decimal, maximumScale: Int) -> String {
        Rounding.halfAwayFromZero.round(value, scale: maximumScale).description
    }
}

/// A named rounding rule. Haul rounds once, at presentation or export (DESIGN.md).
public enum Rounding: String, Sendable, Codable {
    /// Half away from zero: 2.345 → 2.35, -2.345 → -2.35.
    case halfAwayFromZero = "half-away-from-zero"

    /// Rounds `value` to `scale` fraction digits by this rule.
    public func round(_ value: Decimal, scale: Int) -> Decimal {
        var input = value
        var result = Decimal()
        switch self {
        case .halfAwayFromZero:
            // NSDecimalRound's .plain rounds halves away from zero for both signs.
            NSDecimalRound(&result, &input, scale, .plain)
        }
        return result
    }
}

/// Formatting a `Decimal` from its stored parts with integer arithmetic: exports format millions
/// of amounts, and Foundation's rounding and description cost about a microsecond each.
///
/// `Decimal` keeps an 8-bit exponent, a length, sign and compact flags, and a mantissa of eight
/// 16-bit words (NSDecimal). That layout is not public API, so it is checked against known
/// values once, and if it ever differs every call falls back to Foundation (nil here).
enum RawDecimal {
    struct Parts: Equatable {
        var mantissa: UInt128
        var exponent: Int
        var isNegative: Bool
    }

    static func parts(_ value: Decimal) -> Parts? {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        var copy = value
        return withUnsafeBytes(of: &copy) { bytes -> Parts? in
            let exponent = Int(Int8(bitPattern: bytes[0]))
            let length = Int(bytes[1] >> 4)
            let negative = bytes[1] & 0x08 != 0
            guard length <= 8, !(length == 0 && negative) else { return nil }  // NaN
            var mantissa: UInt128 = 0
            for word in (0..<length).reversed() {
                mantissa = mantissa << 16 | UInt128(UInt16(bytes[4 + 2 * word]) | UInt16(bytes[5 + 2 * word]) << 8)
            }
            return Parts(mantissa: mantissa, exponent: exponent, isNegative: negative)
        }
    }

    /// Whether `parts` reads this platform's Decimal correctly, judged on values whose parts are known.
    static let layoutIsKnown: Bool = {
        // The values are made from integers (as DecimalText makes every value), not parsed:
        // Decimal(string:) would load ICU's locale data for this check alone. None ends in a
        // zero, so no construction could store it another way.
        func check(_ text: String, _ mantissa: UInt128, _ exponent: Int, _ negative: Bool) -> Bool {
            guard let value = DecimalText.plainDecimal(text.utf8) else { return false }
            return parts(value) == Parts(mantissa: mantissa, exponent: exponent, isNegative: negative)
        }
        return check("-1234.5678", 12_345_678, -4, true) && check("65537", 65537, 0, false)
            && check("4294967297", 4_294_967_297, 0, false) && check("0.0001", 1, -4, false)
            && check("18446744073709551617", 18_446_744_073_709_551_617, 0, false)
            && check("123456789012345678901234567891", 123_456_789_012_345_678_901_234_567_891, 0, false)
    }()

    private static let powers: [UInt128] = (0...38).map { power in (0..<power).reduce(UInt128(1)) { value, _ in value * 10 } }

    /// `value` × 10^scale rounded half away from zero, as an integer; nil when the layout is
    /// unknown or the figure needs more than 128 bits.
    static func scaledUnits(_ value: Decimal, scale: Int) -> Int128? {
        guard layoutIsKnown, let parts = parts(value) else { return nil }
        let shift = parts.exponent + scale
        var units: UInt128
        if shift >= 0 {
            guard shift <= 38 else { return nil }
            let (product, overflow) = parts.mantissa.multipliedReportingOverflow(by: powers[shift])
            guard !overflow else { return nil }
            units = product
        } else if -shift > 38 {
            units = 0
        } else {
            let divisor = powers[-shift]
            let (quotient, remainder) = parts.mantissa.quotientAndRemainder(dividingBy: divisor)
            units = quotient
            if remainder >= divisor - remainder { units += 1 }
        }
        guard units <= UInt128(Int128.max) else { return nil }
        return parts.isNegative ? -Int128(units) : Int128(units)
    }

    /// `value` with exactly `scale` fraction digits, rounded half away from zero; nil when the
    /// layout is unknown or the figure needs more than 128 bits.
    static func format(_ value: Decimal, scale: Int) -> String? {
        guard let units = scaledUnits(value, scale: scale) else { return nil }
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.utf8.count <= scale { digits = String(repeating: "0", count: scale - digits.utf8.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return units < 0 ? "-" + digits : digits
    }
}
