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

/// One line of a confiscation computation, with its statutory basis, for the court schedule.
public struct ConfiscationLine: Hashable, Sendable, Codable {
    public enum Section: String, CaseIterable, Sendable, Codable { case benefit, available, recoverable, order, payment, distribution, flag }

    public var section: Section
    /// The statutory basis, e.g. "POCA 2002 s.80".
    public var basis: String
    public var description: String
    public var amount: Money?
    public var note: String?

    public init(section: Section, basis: String, description: String, amount: Money? = nil, note: String? = nil) {
        self.section = section
        self.basis = basis
        self.description = description
        self.amount = amount
        self.note = note
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
    /// The computation line by line (since 1.1).
    public var lines: [ConfiscationLine]

    public init(decidedOn: CalendarDate, benefit: Money, availableAmount: Money, recoverableAmount: Money,
                order: ConfiscationOrder? = nil, distribution: Distribution? = nil, lines: [ConfiscationLine] = []) {
        self.decidedOn = decidedOn
        self.benefit = benefit
        self.availableAmount = availableAmount
        self.recoverableAmount = recoverableAmount
        self.order = order
        self.distribution = distribution
        self.lines = lines
    }
}

/// Property obtained (benefit) or given away (a tainted gift), valued by the greater-of rule of
/// POCA s.80: its value then, uplifted by the price index, or its value now.
public struct ObtainedProperty: Hashable, Sendable, Codable {
    public var description: String
    public var obtainedOn: CalendarDate
    public var valueThen: Money
    public var valueNow: Money?

    public init(description: String, obtainedOn: CalendarDate, valueThen: Money, valueNow: Money? = nil) {
        self.description = description
        self.obtainedOn = obtainedOn
        self.valueThen = valueThen
        self.valueNow = valueNow
    }
}

/// An obligation having priority over the confiscation order (s.9(2)).
public struct PriorityObligation: Hashable, Sendable, Codable {
    public var description: String
    public var amount: Money

    public init(description: String, amount: Money) {
        self.description = description
        self.amount = amount
    }
}

/// The defendant's share of an item held with others (s.79: only the defendant's interest counts).
public struct ItemShare: Hashable, Sendable, Codable {
    public var item: Identifier
    public var percent: Decimal

    public init(item: Identifier, percent: Decimal) {
        self.item = item
        self.percent = percent
    }
}

/// What an asset actually fetched when sold, and what the sale cost.
public struct Realisation: Hashable, Sendable, Codable {
    public var item: Identifier
    public var soldOn: CalendarDate
    public var gross: Money
    public var costs: Money

    public init(item: Identifier, soldOn: CalendarDate, gross: Money, costs: Money) {
        self.item = item
        self.soldOn = soldOn
        self.gross = gross
        self.costs = costs
    }
}

/// A payment towards the order.
public struct Payment: Hashable, Sendable, Codable {
    public var paidOn: CalendarDate
    public var amount: Money

    public init(paidOn: CalendarDate, amount: Money) {
        self.paidOn = paidOn
        self.amount = amount
    }
}

/// The order as the court made it: date, reference, time to pay and any extension.
public struct OrderDetails: Hashable, Sendable, Codable {
    public var reference: String
    public var madeOn: CalendarDate
    /// The amount the court ordered; nil to take the recoverable amount as computed.
    public var amount: Money?
    /// The date the court allowed for payment (s.11); nil when due on the day of the order.
    public var timeToPayUntil: CalendarDate?
    /// An application to extend, made within the time allowed; interest does not run while it is pending.
    public var extensionAppliedOn: CalendarDate?
    public var extensionDecidedOn: CalendarDate?
    public var extendedUntil: CalendarDate?
    /// Compensation ordered alongside, paid first out of receipts (s.13).
    public var compensation: Money?

    public init(reference: String, madeOn: CalendarDate, amount: Money? = nil, timeToPayUntil: CalendarDate? = nil, extensionAppliedOn: CalendarDate? = nil,
                extensionDecidedOn: CalendarDate? = nil, extendedUntil: CalendarDate? = nil, compensation: Money? = nil) {
        self.reference = reference
        self.madeOn = madeOn
        self.amount = amount
        self.timeToPayUntil = timeToPayUntil
        self.extensionAppliedOn = extensionAppliedOn
        self.extensionDecidedOn = extensionDecidedOn
        self.extendedUntil = extendedUntil
        self.compensation = compensation
    }
}

/// Benefit obtained jointly with co-defendants whose confiscation runs in other cases: each order
/// may be for the full sum, but the state must not recover it twice (R v Ahmad [2014] UKSC 36).
public struct JointBenefit: Hashable, Sendable, Codable {
    public var amount: Money
    /// The co-defendants' cases, whose payments count towards the joint sum.
    public var withCases: [Identifier]
    public var description: String

    public init(amount: Money, withCases: [Identifier], description: String) {
        self.amount = amount
        self.withCases = withCases
        self.description = description
    }
}

/// What the confiscation calculator works from, entered for the case.
public struct ConfiscationInputs: Hashable, Sendable, Codable {
    public var benefits: [ObtainedProperty] = []
    /// Items of the case that count as benefit, at their current central valuation.
    public var benefitItems: [Identifier] = []
    public var gifts: [ObtainedProperty] = []
    public var obligations: [PriorityObligation] = []
    public var shares: [ItemShare] = []
    public var realisations: [Realisation] = []
    public var order: OrderDetails?
    public var payments: [Payment] = []
    public var joint: JointBenefit?

    public init() {}

    public var isEmpty: Bool { self == ConfiscationInputs() }

    /// Refuses a sum a case file could not carry (below 0, from 10¹⁵, more than four places),
    /// naming it; shares as percentages.
    public func checkBounds() throws(HaulCoreError) {
        for property in benefits + gifts {
            try SchemaBounds.shortText.check(property.description, "a benefit's or gift's description")
            try SchemaBounds.amount.check(property.valueThen.amount, "\(property.description): value then")
            if let now = property.valueNow { try SchemaBounds.amount.check(now.amount, "\(property.description): value now") }
        }
        for obligation in obligations {
            try SchemaBounds.shortText.check(obligation.description, "an obligation's description")
            try SchemaBounds.amount.check(obligation.amount.amount, "\(obligation.description): amount")
        }
        for share in shares { try SchemaBounds.percent.check(share.percent, "the defendant's share of \(share.item)") }
        for sale in realisations {
            try SchemaBounds.amount.check(sale.gross.amount, "the sale of \(sale.item): gross")
            try SchemaBounds.amount.check(sale.costs.amount, "the sale of \(sale.item): costs")
        }
        if let order {
            try SchemaBounds.shortText.check(order.reference, "the order's reference")
            if let amount = order.amount { try SchemaBounds.amount.check(amount.amount, "the order's amount") }
            if let compensation = order.compensation { try SchemaBounds.amount.check(compensation.amount, "the compensation") }
        }
        for payment in payments { try SchemaBounds.amount.check(payment.amount.amount, "the payment of \(payment.paidOn)") }
        if let joint {
            try SchemaBounds.amount.check(joint.amount.amount, "the joint benefit")
            try SchemaBounds.shortText.check(joint.description, "the joint benefit's description")
        }
    }
}
