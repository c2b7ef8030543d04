import Foundation

/// Haul's exact number: a decimal with eighteen fraction digits, held as a 128-bit count of 10⁻¹⁸.
///
/// Every amount, price, rate, quantity, purity and share in Haul is a `FixedDecimal`. It is
/// read from text exactly (never through `Double`), sums and differences are exact, and a
/// product or quotient rounds once, half away from zero, to 10⁻¹⁸: the finest place the case
/// file's schema allows (a cryptoasset's units), fourteen places finer than any currency's
/// minor unit. The range is ±10²⁰, five orders beyond the schema's largest amount
/// (999,999,999,999,999.9999); a result beyond it is held at ``ceiling``, and stays there
/// through any further arithmetic, so every bound check refuses it: a hostile figure is
/// reported rather than wrapped, trapped or scaled back into range.
///
/// Foundation `Decimal` appears only at the edge: ``decimal`` and ``init(exactly:)`` convert
/// exactly, for a program that works in `Decimal`.
///
/// ```swift
/// let price = try FixedDecimal(parsing: "38.50")
/// let grams = try FixedDecimal(parsing: "12.5")
/// (price * grams).description          // "481.25"
/// (price / 3).formatted(places: 2)     // "12.83"
/// ```
public struct FixedDecimal: Hashable, Comparable, Sendable, LosslessStringConvertible, ExpressibleByIntegerLiteral {
    /// The number of fraction digits every value keeps: ``raw`` counts units of 10⁻¹⁸.
    public static let scale = 18
    /// 10¹⁸, the raw count of one.
    package static let one: Int128 = 1_000_000_000_000_000_000

    // Stored as two 64-bit words, not an `Int128`: a 16-byte-aligned value kept in an async
    // frame or a test's argument list was loaded with aligned instructions from an 8-byte-aligned
    // slot on this toolchain (x86_64), and crashed. The arithmetic still runs in 128 bits.
    private var low: UInt64
    private var high: Int64

    /// The value times 10¹⁸ (set beyond ±10³⁸, it is held at ``ceiling``, as ``init(raw:)`` holds it).
    public var raw: Int128 {
        @inline(__always) get { Int128(high) << 64 | Int128(low) }
        @inline(__always) set { self = FixedDecimal(raw: newValue) }
    }

    /// The value whose count of 10⁻¹⁸ is `raw` (a raw 1_500_000_000_000_000_000 is 1.5); a raw
    /// count beyond ±10³⁸ is held at ``ceiling``.
    ///
    /// - Parameter raw: The value times 10¹⁸.
    @inline(__always)
    public init(raw: Int128) {
        let held = raw > Self.ceilingRaw ? Self.ceilingRaw : raw < -Self.ceilingRaw ? -Self.ceilingRaw : raw
        low = UInt64(truncatingIfNeeded: held)
        high = Int64(truncatingIfNeeded: held >> 64)
    }

    /// The whole number `integer`, exactly.
    ///
    /// - Parameter integer: The whole number.
    public init(_ integer: Int) { self.init(raw: Int128(integer) * Self.one) }

    /// The whole number a literal writes, exactly: `let hundred: FixedDecimal = 100`.
    ///
    /// - Parameter value: The literal.
    public init(integerLiteral value: Int) { self.init(value) }

    /// `units` × 10^−`places`, exactly: `FixedDecimal(units: 3105, places: 2)` is 31.05.
    ///
    /// - Parameters:
    ///   - units: The value's digits as an integer.
    ///   - places: How many of them follow the point, 0 to 18.
    public init(units: Int128, places: Int) {
        precondition((0...Self.scale).contains(places), "places must be 0 to 18")
        self.init(raw: Self.clamp(units.multipliedReportingOverflow(by: Self.powers[Self.scale - places]), overflowNegative: units < 0))
    }

    /// Nought: the start of a sum.
    public static var zero: FixedDecimal { FixedDecimal(raw: 0) }

    /// The largest magnitude a value is held at: 10²⁰. Far beyond any figure a case file can
    /// carry, so a result that reaches it is refused by the bound it is checked against.
    public static var ceiling: FixedDecimal { FixedDecimal(raw: ceilingRaw) }
    /// 10³⁸, the ceiling's raw count, as a literal: a stored static built by an initialiser is
    /// checked for initialisation at every use, and the arithmetic uses it at every step.
    static var ceilingRaw: Int128 { 100_000_000_000_000_000_000_000_000_000_000_000_000 }

    /// Whether the value reached ``ceiling`` (an arithmetic result too large to be meaningful).
    public var isAtCeiling: Bool { raw.magnitude >= Self.ceilingRaw.magnitude }

    static let powers: [Int128] = (0...38).map { exponent in (0..<exponent).reduce(Int128(1)) { value, _ in value * 10 } }

    /// A result, or the ceiling with the result's sign when it overflowed (`overflowNegative`
    /// says which sign the true result had) or passed the ceiling.
    @inline(__always)
    static func clamp(_ result: (partialValue: Int128, overflow: Bool), overflowNegative: Bool) -> Int128 {
        if result.overflow { return overflowNegative ? -ceilingRaw : ceilingRaw }
        if result.partialValue.magnitude > ceilingRaw.magnitude { return result.partialValue < 0 ? -ceilingRaw : ceilingRaw }
        return result.partialValue
    }

    // MARK: Text

    /// Reads `[-]digits[.digits]` exactly: no sign other than a leading `-`, no exponent,
    /// separators or surrounding spaces (`Decimal(string:)` would take `"12.34abc"` as 12.34).
    ///
    /// - Parameters:
    ///   - text: The number as plain decimal text, e.g. `1234.50`.
    ///   - allowNegative: False to refuse a negative value.
    /// - Throws: `DecimalText.Problem`: `empty`, `notPlainDecimal`, `negative`, or `tooManyDigits`
    ///   for more than 20 digits before the point or a nonzero digit beyond the 18th after it.
    public init(parsing text: String, allowNegative: Bool = true) throws(DecimalText.Problem) {
        guard !text.isEmpty else { throw .empty }
        switch Self.read(contiguous: text) {
        case .value(let value):
            guard allowNegative || (value.raw >= 0 && !text.hasPrefix("-")) else { throw .negative(text) }
            self = value
        case .notPlain: throw .notPlainDecimal(text)
        case .tooManyDigits: throw .tooManyDigits(text)
        }
    }

    /// Reads plain decimal text the way ``init(parsing:allowNegative:)`` does; nil for anything
    /// it would refuse.
    ///
    /// - Parameter description: `[-]digits[.digits]`, e.g. `1234.50`.
    public init?(_ description: String) {
        guard case .value(let value) = Self.read(contiguous: description) else { return nil }
        self = value
    }

    /// Reads plain decimal bytes the way ``init(parsing:allowNegative:)`` reads text; nil for
    /// anything it would refuse. For readers that hold bytes, not strings (the register's JSON,
    /// rate files).
    ///
    /// - Parameter bytes: UTF-8 `[-]digits[.digits]`.
    package init?<Bytes: Collection<UInt8>>(plainBytes bytes: Bytes) {
        guard case .value(let value) = bytes.withContiguousStorageIfAvailable({ Self.read($0) }) ?? Self.read(bytes) else { return nil }
        self = value
    }

    enum Reading { case value(FixedDecimal), notPlain, tooManyDigits }

    /// Reads a string's UTF-8 in place.
    static func read(contiguous text: String) -> Reading {
        var text = text
        return text.withUTF8 { read($0) }
    }

    static func read<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Reading {
        var negative = false
        var integerDigits = 0, fractionDigits = 0, sawPoint = false, significantInteger = 0
        // The first 19 digits gather in 64 bits (most numbers have no more); the rest in 128.
        var small: UInt64 = 0, gathered = 0
        var magnitude: Int128 = 0, isWide = false
        var first = true
        var tooMany = false
        for byte in bytes {
            defer { first = false }
            switch byte {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "."):
                guard !sawPoint, integerDigits > 0 else { return .notPlain }
                sawPoint = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = byte &- UInt8(ascii: "0")
                if sawPoint {
                    fractionDigits += 1
                    // Zeros beyond the eighteenth place change nothing; any other digit would be lost.
                    if fractionDigits > scale { if digit != 0 { tooMany = true }; continue }
                } else {
                    integerDigits += 1
                    if significantInteger > 0 || digit != 0 { significantInteger += 1 }
                    if significantInteger > 20 { tooMany = true; continue }
                }
                guard !tooMany else { continue }
                if !isWide && gathered < 19 {
                    small = small &* 10 &+ UInt64(digit)
                    gathered += 1
                } else {
                    if !isWide { magnitude = Int128(small); isWide = true }
                    magnitude = magnitude * 10 + Int128(digit)
                }
            default:
                return .notPlain
            }
        }
        guard integerDigits > 0, !sawPoint || fractionDigits > 0 else { return .notPlain }
        if tooMany { return .tooManyDigits }
        if !isWide { magnitude = Int128(small) }
        let scaled = magnitude.multipliedReportingOverflow(by: powers[scale - Swift.min(fractionDigits, scale)])
        guard !scaled.overflow, scaled.partialValue <= ceilingRaw else { return .tooManyDigits }
        return .value(FixedDecimal(raw: negative ? -scaled.partialValue : scaled.partialValue))
    }

    /// The shortest plain text: no exponent, no trailing zeros after the point (`"1234.5"`, `"-0.25"`, `"7"`).
    public var description: String {
        let places = fractionDigits
        return Self.text(raw: Self.divideTruncating(raw, Self.powers[Self.scale - places]), places: places)
    }

    /// Plain text with exactly `places` fraction digits, rounded half away from zero:
    /// 2.5 with 2 places is `"2.50"`, −0.005 is `"-0.01"`.
    ///
    /// - Parameter places: The fraction digits to write, 0 to 18.
    /// - Returns: The text.
    public func formatted(places: Int) -> String {
        precondition((0...Self.scale).contains(places), "places must be 0 to 18")
        return Self.text(raw: Self.divideRounded(raw, Self.powers[Self.scale - places]), places: places)
    }


    /// `units` × 10^−`places` as text, written from the integer's digits.
    static func text(raw units: Int128, places: Int) -> String {
        // Digits from the right in 64-bit arithmetic (an Int128's own description divides in
        // software, digit by digit): exports write millions of amounts.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buffer -> String in
            var index = buffer.count
            var written = 0
            func emit(_ digit: UInt64) {
                if written == places && places > 0 { index -= 1; buffer[index] = UInt8(ascii: ".") }
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: digit)
                written += 1
            }
            let magnitude = units.magnitude
            var chunk: UInt64
            if magnitude <= UInt128(UInt64.max) {
                chunk = UInt64(magnitude)
            } else {
                // Below 2¹²⁷, so the high part fits 64 bits; the low part is exactly 19 digits.
                let (high, low) = FixedDecimal.divide(magnitude, by: 10_000_000_000_000_000_000)
                var lowDigits = UInt64(low)
                for _ in 0..<19 { emit(lowDigits % 10); lowDigits /= 10 }
                chunk = UInt64(high)
            }
            repeat { emit(chunk % 10); chunk /= 10 } while chunk > 0 || written <= places
            if units < 0 { index -= 1; buffer[index] = UInt8(ascii: "-") }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[index...]), as: UTF8.self)
        }
    }

    /// How many fraction digits the value needs: 0 for 7, 1 for 2.5, 18 for 10⁻¹⁸.
    public var fractionDigits: Int {
        var fraction = Self.divide(raw.magnitude, by: UInt64(Self.one)).remainder
        guard fraction != 0 else { return 0 }
        var places = Self.scale
        while fraction % 10 == 0 { fraction /= 10; places -= 1 }
        return places
    }

    // MARK: Foundation Decimal, at the edge

    /// The exact `Decimal` value (`Decimal` keeps 38 digits; every `FixedDecimal` has at most 39,
    /// and the last of those is then a trailing zero it drops).
    public var decimal: Decimal {
        let places = fractionDigits
        let magnitude = Self.divideTruncating(raw, Self.powers[Self.scale - places]).magnitude
        if let exact = DecimalText.decimal(magnitude: magnitude, fractionDigits: places, negative: raw < 0) { return exact }
        // 39 significant digits, reachable only through init(raw:) beyond the ceiling: the
        // nearest Decimal, one digit fewer (rounded half away from zero).
        let (tens, last) = magnitude.quotientAndRemainder(dividingBy: 10)
        let shortened = DecimalText.decimal(magnitude: tens + (last >= 5 ? 1 : 0), fractionDigits: 0, negative: raw < 0) ?? 0
        return Decimal(sign: raw < 0 ? .minus : .plus, exponent: 1 - places, significand: shortened.magnitude)
    }

    /// The `Decimal`'s value, exactly; nil when it has a nonzero digit beyond the 18th fraction
    /// place, lies beyond ±10²⁰ or is not a number.
    ///
    /// - Parameter decimal: The value to convert.
    public init?(exactly decimal: Decimal) {
        // Decimal's description is plain digits, never exponent notation, and locale-free.
        guard case .value(let value) = Self.read(decimal.description.utf8) else { return nil }
        self = value
    }

    // MARK: Arithmetic

    /// Whether `lhs` is the smaller value.
    ///
    /// - Parameters:
    ///   - lhs: The first value.
    ///   - rhs: The second value.
    /// - Returns: True when `lhs` is less than `rhs`.
    public static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool { lhs.raw < rhs.raw }

    /// The exact sum (held at ``ceiling`` beyond it).
    ///
    /// - Parameters:
    ///   - lhs: The first value.
    ///   - rhs: The second value.
    /// - Returns: `lhs` plus `rhs`.
    @inline(__always)
    public static func + (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        // The ceiling stands for "too large to mean anything": it stays, whatever is added.
        if lhs.isAtCeiling { return lhs }
        if rhs.isAtCeiling { return rhs }
        return FixedDecimal(raw: clamp(lhs.raw.addingReportingOverflow(rhs.raw), overflowNegative: lhs.raw < 0))
    }

    /// The exact difference (held at ``ceiling`` beyond it).
    ///
    /// - Parameters:
    ///   - lhs: The value taken from.
    ///   - rhs: The value taken away.
    /// - Returns: `lhs` minus `rhs`.
    @inline(__always)
    public static func - (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        if lhs.isAtCeiling { return lhs }
        if rhs.isAtCeiling { return -rhs }
        return FixedDecimal(raw: clamp(lhs.raw.subtractingReportingOverflow(rhs.raw), overflowNegative: lhs.raw < 0))
    }

    /// The value with its sign reversed.
    ///
    /// - Parameter value: The value.
    /// - Returns: `-value`.
    public static prefix func - (value: FixedDecimal) -> FixedDecimal { FixedDecimal(raw: clamp(Int128.zero.subtractingReportingOverflow(value.raw), overflowNegative: value.raw > 0)) }

    /// Adds `rhs` to `lhs`.
    ///
    /// - Parameters:
    ///   - lhs: The running value.
    ///   - rhs: The value to add.
    public static func += (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs = lhs + rhs }

    /// Takes `rhs` from `lhs`.
    ///
    /// - Parameters:
    ///   - lhs: The running value.
    ///   - rhs: The value to take away.
    public static func -= (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs = lhs - rhs }

    /// Multiplies `lhs` by `rhs`, rounding as ``*(_:_:)`` does.
    ///
    /// - Parameters:
    ///   - lhs: The running value.
    ///   - rhs: The factor.
    public static func *= (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs = lhs * rhs }

    /// Divides `lhs` by `rhs`, rounding as ``/(_:_:)`` does.
    ///
    /// - Parameters:
    ///   - lhs: The running value.
    ///   - rhs: The divisor.
    public static func /= (lhs: inout FixedDecimal, rhs: FixedDecimal) { lhs = lhs / rhs }

    /// The product, rounded half away from zero to 18 places.
    ///
    /// - Parameters:
    ///   - lhs: The first factor.
    ///   - rhs: The second factor.
    /// - Returns: `lhs` times `rhs`.
    @inline(__always)
    public static func * (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        FixedDecimal(raw: multiplyDivide(lhs.raw, rhs.raw, one))
    }

    /// The quotient, rounded half away from zero to 18 places; a division by zero gives ``ceiling``.
    ///
    /// - Parameters:
    ///   - lhs: The dividend.
    ///   - rhs: The divisor.
    /// - Returns: `lhs` divided by `rhs`.
    @inline(__always)
    public static func / (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal {
        FixedDecimal(raw: multiplyDivide(lhs.raw, one, rhs.raw))
    }

    /// `self × numerator ÷ denominator` with a single rounding (half away from zero, 18 places).
    ///
    /// - Parameters:
    ///   - numerator: What to multiply by.
    ///   - denominator: What to divide by.
    /// - Returns: The scaled value.
    @inline(__always)
    public func scaled(by numerator: FixedDecimal, over denominator: FixedDecimal) -> FixedDecimal {
        FixedDecimal(raw: Self.multiplyDivide(raw, numerator.raw, denominator.raw))
    }

    /// The value rounded half away from zero to `places` fraction digits: 2.345 → 2.35, −2.345 → −2.35.
    ///
    /// - Parameter places: The fraction digits to keep, 0 to 18.
    /// - Returns: The rounded value.
    public func rounded(places: Int) -> FixedDecimal {
        precondition((0...Self.scale).contains(places), "places must be 0 to 18")
        let unit = Self.powers[Self.scale - places]
        return FixedDecimal(raw: Self.clamp(Self.divideRounded(raw, unit).multipliedReportingOverflow(by: unit), overflowNegative: raw < 0))
    }

    /// The value cut to `places` fraction digits, toward zero: 2.349 → 2.34, −2.349 → −2.34 (the
    /// statutes' "any fraction … left out").
    ///
    /// - Parameter places: The fraction digits to keep, 0 to 18.
    /// - Returns: The truncated value.
    public func truncated(places: Int) -> FixedDecimal {
        precondition((0...Self.scale).contains(places), "places must be 0 to 18")
        let unit = Self.powers[Self.scale - places]
        return FixedDecimal(raw: raw / unit * unit)
    }

    /// The value without its sign.
    public var magnitude: FixedDecimal { raw < 0 ? -self : self }
    /// Whether the value is nought.
    public var isZero: Bool { raw == 0 }

    /// `magnitude ÷ divisor` for a divisor that fits 64 bits, in two hardware divisions (a
    /// 128-bit division is a software loop): text and rounding divide by powers of ten.
    @inline(__always)
    static func divide(_ magnitude: UInt128, by divisor: UInt64) -> (quotient: UInt128, remainder: UInt64) {
        let high = UInt64(truncatingIfNeeded: magnitude >> 64), low = UInt64(truncatingIfNeeded: magnitude)
        let (upper, carried) = high.quotientAndRemainder(dividingBy: divisor)
        let (lower, remainder) = divisor.dividingFullWidth((high: carried, low: low))
        return (UInt128(upper) << 64 | UInt128(lower), remainder)
    }

    /// A 256-bit `product` whose high half is below `divisor` divided by that 64-bit divisor,
    /// in two hardware divisions: every product divides by 10¹⁸, and the 128-bit software
    /// division took about a twentieth of valuing an item.
    @inline(__always)
    static func divide(_ product: (high: UInt128, low: UInt128), by divisor: UInt64) -> (quotient: UInt128, remainder: UInt128) {
        // The high half is below the divisor, so it fits 64 bits and is the first remainder.
        let middle = UInt64(truncatingIfNeeded: product.low >> 64), low = UInt64(truncatingIfNeeded: product.low)
        let (upper, carried) = divisor.dividingFullWidth((high: UInt64(truncatingIfNeeded: product.high), low: middle))
        let (lower, remainder) = divisor.dividingFullWidth((high: carried, low: low))
        return (UInt128(upper) << 64 | UInt128(lower), UInt128(remainder))
    }

    /// `numerator ÷ denominator` toward zero, for a power of ten up to 10¹⁸ (any positive
    /// denominator that fits 64 bits).
    @inline(__always)
    static func divideTruncating(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = Int128(divide(numerator.magnitude, by: UInt64(denominator)).quotient)
        return numerator < 0 ? -quotient : quotient
    }

    /// Integer division rounding half away from zero.
    @inline(__always)
    static func divideRounded(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        if denominator > 0 && denominator <= Int128(UInt64.max) && numerator.magnitude <= UInt128(Int128.max) {
            let divisor = UInt64(denominator)
            let (quotient, remainder) = divide(numerator.magnitude, by: divisor)
            let rounded = Int128(remainder >= divisor - remainder ? quotient + 1 : quotient)
            return numerator < 0 ? -rounded : rounded
        }
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        let twice = remainder.magnitude * 2
        guard twice >= denominator.magnitude else { return quotient }
        return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
    }

    /// `(a × b) ÷ c`, rounded half away from zero, with one rounding, held at ``ceiling``; a
    /// division by zero gives the ceiling.
    /// A 64 × 64 → 128-bit product and one hardware division when everything fits in 64 bits;
    /// otherwise the full 256-bit product, so no operands can trap (the quotient is checked
    /// against the ceiling before it is rounded up).
    @inline(__always)
    static func multiplyDivide(_ a: Int128, _ b: Int128, _ c: Int128) -> Int128 {
        let negative = ((a < 0) != (b < 0)) != (c < 0)
        let ua = a.magnitude, ub = b.magnitude, uc = c.magnitude
        let limit = UInt128(ceilingRaw)
        // An operand at the ceiling makes the result meaningless too: it stays at the ceiling,
        // so scaling it back down can never bring it within a bound.
        if ua >= limit || ub >= limit || uc >= limit { return negative ? -ceilingRaw : ceilingRaw }
        if ua <= UInt128(UInt64.max) && ub <= UInt128(UInt64.max) && uc <= UInt128(UInt64.max) && uc != 0 {
            let product = UInt64(ua).multipliedFullWidth(by: UInt64(ub))
            let divisor = UInt64(uc)
            if product.high < divisor {
                let (quotient, remainder) = divisor.dividingFullWidth(product)
                var result = UInt128(quotient)
                if remainder >= divisor - remainder { result += 1 }
                return negative ? -Int128(result) : Int128(result)
            }
        }
        guard uc != 0 else { return negative ? -ceilingRaw : ceilingRaw }
        let product = ua.multipliedFullWidth(by: ub)
        guard product.high < uc else { return negative ? -ceilingRaw : ceilingRaw }
        let (quotient, remainder) = uc <= UInt128(UInt64.max) ? divide(product, by: UInt64(uc)) : uc.dividingFullWidth(product)
        // Checked before rounding up: a quotient of 2¹²⁸ − 1 would overflow when rounded.
        guard quotient <= limit else { return negative ? -ceilingRaw : ceilingRaw }
        var result = quotient
        if remainder >= uc - remainder { result += 1 }
        guard result <= limit else { return negative ? -ceilingRaw : ceilingRaw }
        return negative ? -Int128(result) : Int128(result)
    }

    /// The smaller of two values (`b` when they are equal).
    ///
    /// - Parameters:
    ///   - a: The first value.
    ///   - b: The second value.
    /// - Returns: The smaller value.
    public static func min(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal { a < b ? a : b }
    /// The larger of two values (`a` when they are equal).
    ///
    /// - Parameters:
    ///   - a: The first value.
    ///   - b: The second value.
    /// - Returns: The larger value.
    public static func max(_ a: FixedDecimal, _ b: FixedDecimal) -> FixedDecimal { a < b ? b : a }
}

extension FixedDecimal: Codable {
    /// Decodes a JSON number (or plain decimal text) exactly.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` for a value with a nonzero digit beyond the 18th
    ///   place or beyond ±10²⁰.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            do { self = try FixedDecimal(parsing: text) } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
            }
            return
        }
        let decimal = try container.decode(Decimal.self)
        guard let value = FixedDecimal(exactly: decimal) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(decimal) is beyond what Haul's numbers hold (18 places, ±10²⁰)"))
        }
        self = value
    }

    /// Encodes the value as a JSON number, exactly (as `Decimal` writes it).
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: Any error the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }
}
