import Foundation

/// A length of time in whole years, months and days (a default term, a period).
public struct TermLength: Hashable, Sendable, Codable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var days: Int

    public init(years: Int = 0, months: Int = 0, days: Int = 0) throws(HaulCoreError) {
        guard years >= 0, months >= 0, days >= 0, years + months + days > 0 else {
            throw HaulCoreError(.outOfRange, "a term needs a positive number of years, months or days")
        }
        self.years = years
        self.months = months
        self.days = days
    }

    /// Reads the subset of ISO 8601 durations Haul writes: `P5Y`, `P6M`, `P28D`, `P1Y6M`
    /// (designators in the order Y, M, D, each at most once).
    public init(iso8601 text: String) throws(HaulCoreError) {
        let invalid = HaulCoreError(.invalidDate, "'\(text)' is not a duration such as P5Y, P6M or P28D")
        guard text.hasPrefix("P") else { throw invalid }
        var values: [Character: Int] = [:]
        var remaining = Substring(text.dropFirst())
        for designator in ["Y", "M", "D"] as [Character] {
            let digits = remaining.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, remaining.dropFirst(digits.count).first == designator else { continue }
            guard digits.count <= 6, let value = Int(digits) else { throw invalid }
            values[designator] = value
            remaining = remaining.dropFirst(digits.count + 1)
        }
        guard remaining.isEmpty, !values.isEmpty else { throw invalid }
        try self.init(years: values["Y"] ?? 0, months: values["M"] ?? 0, days: values["D"] ?? 0)
    }

    /// `P5Y`, `P1Y6M`, `P28D`.
    public var iso8601: String {
        "P" + (years > 0 ? "\(years)Y" : "") + (months > 0 ? "\(months)M" : "") + (days > 0 ? "\(days)D" : "")
    }

    public var description: String {
        var parts: [String] = []
        if years > 0 { parts.append(years == 1 ? "1 year" : "\(years) years") }
        if months > 0 { parts.append(months == 1 ? "1 month" : "\(months) months") }
        if days > 0 { parts.append(days == 1 ? "1 day" : "\(days) days") }
        return parts.joined(separator: " ")
    }
}

/// A confiscation order as made by the court.
public struct ConfiscationOrder: Hashable, Sendable, Codable {
    public var reference: String
    public var madeOn: CalendarDate
    public var amount: Money
    public var dueOn: CalendarDate
    /// Judgments Act rate, percent a year, simple.
    public var interestRatePercent: Decimal
    public var interestAccrued: Money?
    public var paid: Money?
    public var maximumDefaultTerm: TermLength

    public init(reference: String, madeOn: CalendarDate, amount: Money, dueOn: CalendarDate, interestRatePercent: Decimal,
                interestAccrued: Money? = nil, paid: Money? = nil, maximumDefaultTerm: TermLength) {
        self.reference = reference
        self.madeOn = madeOn
        self.amount = amount
        self.dueOn = dueOn
        self.interestRatePercent = interestRatePercent
        self.interestAccrued = interestAccrued
        self.paid = paid
        self.maximumDefaultTerm = maximumDefaultTerm
    }
}

/// One recipient's share of receipts.
public struct DistributionShare: Hashable, Sendable, Codable {
    public var recipient: String
    public var percent: Decimal
    public var amount: Decimal

    public init(recipient: String, percent: Decimal, amount: Decimal) {
        self.recipient = recipient
        self.percent = percent
        self.amount = amount
    }
}

/// How receipts are split; the shares add up to the total exactly.
public struct Distribution: Hashable, Sendable, Codable {
    public var total: Money
    /// The rule that placed the rounding remainder, e.g. `largest-remainder`.
    public var remainderRule: Identifier
    public var shares: [DistributionShare]

    public init(total: Money, remainderRule: Identifier, shares: [DistributionShare]) {
        self.total = total
        self.remainderRule = remainderRule
        self.shares = shares
    }
}

/// The confiscation position of a case (POCA Part 2).
public struct ConfiscationFigures: Hashable, Sendable, Codable {
    public var decidedOn: CalendarDate
    public var benefit: Money
    public var availableAmount: Money
    public var recoverableAmount: Money
    public var order: ConfiscationOrder?
    public var distribution: Distribution?

    public init(decidedOn: CalendarDate, benefit: Money, availableAmount: Money, recoverableAmount: Money,
                order: ConfiscationOrder? = nil, distribution: Distribution? = nil) {
        self.decidedOn = decidedOn
        self.benefit = benefit
        self.availableAmount = availableAmount
        self.recoverableAmount = recoverableAmount
        self.order = order
        self.distribution = distribution
    }
}
