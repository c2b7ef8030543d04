import Foundation

/// A length of time in whole years, months and days (a default term, a period).
public struct TermLength: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Whole years, zero or more (5 in `P5Y`).
    public var years: Int
    /// Whole months, zero or more (6 in `P1Y6M`).
    public var months: Int
    /// Whole days, zero or more (28 in `P28D`).
    public var days: Int

    /// Creates a term; no part may be negative and at least one must be positive.
    ///
    /// - Parameters:
    ///   - years: Whole years.
    ///   - months: Whole months.
    ///   - days: Whole days.
    /// - Throws: `HaulCoreError` (`outOfRange`) when a part is negative or all three are zero.
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

    /// The term in words, e.g. "1 year 6 months" or "28 days".
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
    /// The order's reference as the court gave it.
    public var reference: String
    /// The day the court made the order; the time-to-pay limits run from it and it selects the
    /// default-term band.
    public var madeOn: CalendarDate
    /// The amount ordered: the sum the court stated or, failing that, the recoverable amount,
    /// rounded to the minor unit.
    public var amount: Money
    /// The day payment falls due: the day of the order, the end of the time to pay allowed (s.11),
    /// or the end of an extension; interest runs from the day after.
    public var dueOn: CalendarDate
    /// Judgments Act rate, percent a year, simple.
    public var interestRatePercent: FixedDecimal
    /// Simple interest on the unpaid sum up to the day the figures were worked out (s.12), rounded
    /// to the minor unit; nil when not stated.
    public var interestAccrued: Money?
    /// The total paid by the day the figures were worked out; nil when not stated.
    public var paid: Money?
    /// The longest term in default the court may set for the order's amount (s.35), from the band
    /// in force on the order's date, before any reduction for payments.
    public var maximumDefaultTerm: TermLength

    /// Creates an order's position.
    ///
    /// - Parameters:
    ///   - reference: The order's reference as the court gave it.
    ///   - madeOn: The day the court made the order.
    ///   - amount: The amount ordered.
    ///   - dueOn: The day payment falls due.
    ///   - interestRatePercent: The Judgments Act rate, percent a year, simple.
    ///   - interestAccrued: Interest accrued so far, or nil.
    ///   - paid: The total paid so far, or nil.
    ///   - maximumDefaultTerm: The longest term in default for the amount.
    public init(reference: String, madeOn: CalendarDate, amount: Money, dueOn: CalendarDate, interestRatePercent: FixedDecimal,
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
    /// Who receives the share, as the distribution scheme names them, e.g. "Home Office".
    public var recipient: String
    /// The recipient's percentage of the receipts split (0 to 100).
    public var percent: FixedDecimal
    /// The share's amount in the distribution total's currency, a whole number of minor units
    /// (12.34, not 1234); the shares add up to the total exactly.
    public var amount: FixedDecimal

    /// Creates one recipient's share.
    ///
    /// - Parameters:
    ///   - recipient: Who receives the share.
    ///   - percent: The recipient's percentage of the receipts.
    ///   - amount: The share's amount in the total's currency.
    public init(recipient: String, percent: FixedDecimal, amount: FixedDecimal) {
        self.recipient = recipient
        self.percent = percent
        self.amount = amount
    }
}

/// How receipts are split; the shares add up to the total exactly.
public struct Distribution: Hashable, Sendable, Codable {
    /// The receipts split: what has been paid under the order, less any compensation paid first
    /// (s.13), rounded to the minor unit.
    public var total: Money
    /// The rule that placed the rounding remainder, e.g. `largest-remainder`.
    public var remainderRule: Identifier
    /// The recipients' shares in the scheme's order; their amounts add up to `total` exactly.
    public var shares: [DistributionShare]

    /// Creates a split of receipts.
    ///
    /// - Parameters:
    ///   - total: The receipts split.
    ///   - remainderRule: The rule that placed the rounding remainder, e.g. `largest-remainder`.
    ///   - shares: The recipients' shares, adding up to `total`.
    public init(total: Money, remainderRule: Identifier, shares: [DistributionShare]) {
        self.total = total
        self.remainderRule = remainderRule
        self.shares = shares
    }
}

/// One line of a confiscation computation, with its statutory basis, for the court schedule.
public struct ConfiscationLine: Hashable, Sendable, Codable {
    /// The part of the computation a line belongs to: `benefit`, `available` (the available
    /// amount), `recoverable` (the recoverable amount), `order` (the order, interest and default
    /// term), `payment`, `distribution` (the split of receipts) or `flag` (a point for the court
    /// to look at, with no amount).
    public enum Section: String, CaseIterable, Sendable, Codable {
        /// The defendant's benefit from crime.
        case benefit
        /// The available amount: what the defendant has to pay with.
        case available
        /// The recoverable amount: the lesser of the benefit and the available amount.
        case recoverable
        /// The order, its interest and the default term.
        case order
        /// A payment towards the order.
        case payment
        /// How receipts are split between those owed.
        case distribution
        /// A point for the court to look at, with no amount.
        case flag
    }

    /// The part of the computation the line belongs to.
    public var section: Section
    /// The statutory basis, e.g. "POCA 2002 s.80".
    public var basis: String
    /// What the line counts, in words, e.g. "Benefit" or an item with its exhibit number.
    public var description: String
    /// The line's figure, rounded to the minor unit; nil for a line with none (a flag, the due date).
    public var amount: Money?
    /// How the figure was reached or why the line matters (the working, a source); nil when there
    /// is nothing to add.
    public var note: String?

    /// Creates a line of the computation.
    ///
    /// - Parameters:
    ///   - section: The part of the computation the line belongs to.
    ///   - basis: The statutory basis, e.g. "POCA 2002 s.80".
    ///   - description: What the line counts, in words.
    ///   - amount: The line's figure, or nil.
    ///   - note: The working or a remark, or nil.
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
    /// The date the figures are valued at: the order's date once an order is recorded, else the
    /// day they were worked out.
    public var decidedOn: CalendarDate
    /// The defendant's benefit (POCA s.76, s.80), rounded to the minor unit.
    public var benefit: Money
    /// The available amount (s.9): free property, less obligations having priority, plus tainted
    /// gifts; never below zero.
    public var availableAmount: Money
    /// The recoverable amount (s.7): the benefit, or the available amount when that is less.
    public var recoverableAmount: Money
    /// The order's position (amount, due date, interest, payments, default term); nil until an
    /// order is recorded.
    public var order: ConfiscationOrder?
    /// How the receipts so far are split; nil without an order, when nothing is left after
    /// compensation, or when no scheme is in force.
    public var distribution: Distribution?
    /// The computation line by line (since 1.1).
    public var lines: [ConfiscationLine]

    /// Creates a confiscation position.
    ///
    /// - Parameters:
    ///   - decidedOn: The date the figures are valued at.
    ///   - benefit: The defendant's benefit.
    ///   - availableAmount: The available amount.
    ///   - recoverableAmount: The recoverable amount.
    ///   - order: The order's position, or nil.
    ///   - distribution: The split of receipts, or nil.
    ///   - lines: The computation line by line.
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
/// POCA s.80 (property obtained) or s.81 (a tainted gift): its value then, uplifted by the price index, or its value now.
public struct ObtainedProperty: Hashable, Sendable, Codable {
    /// What the property was, in words (at most 200 characters).
    public var description: String
    /// The day it was obtained or given; the price-index uplift runs from here.
    public var obtainedOn: CalendarDate
    /// Its value when obtained, before the uplift for later changes in the value of money.
    public var valueThen: Money
    /// Its value now, or that of what now represents it; nil when not known, so the uplifted value
    /// counts.
    public var valueNow: Money?

    /// Creates an entry of obtained or given property.
    ///
    /// - Parameters:
    ///   - description: What the property was.
    ///   - obtainedOn: The day it was obtained or given.
    ///   - valueThen: Its value then.
    ///   - valueNow: Its value now, or nil.
    public init(description: String, obtainedOn: CalendarDate, valueThen: Money, valueNow: Money? = nil) {
        self.description = description
        self.obtainedOn = obtainedOn
        self.valueThen = valueThen
        self.valueNow = valueNow
    }
}

/// An obligation having priority over the confiscation order (s.9(2)).
public struct PriorityObligation: Hashable, Sendable, Codable {
    /// What the obligation is, in words (at most 200 characters).
    public var description: String
    /// The sum owed, deducted from the available amount.
    public var amount: Money

    /// Creates an obligation having priority.
    ///
    /// - Parameters:
    ///   - description: What the obligation is.
    ///   - amount: The sum owed.
    public init(description: String, amount: Money) {
        self.description = description
        self.amount = amount
    }
}

/// The defendant's share of an item held with others (s.79: only the defendant's interest counts).
public struct ItemShare: Hashable, Sendable, Codable {
    /// The item of the case the share is in.
    public var item: Identifier
    /// The defendant's share in percent (0 to 100); used only when the item's owners are not
    /// recorded with it.
    public var percent: FixedDecimal

    /// Creates the defendant's share of an item.
    ///
    /// - Parameters:
    ///   - item: The item of the case.
    ///   - percent: The defendant's share in percent.
    public init(item: Identifier, percent: FixedDecimal) {
        self.item = item
        self.percent = percent
    }
}

/// What an asset actually fetched when sold, and what the sale cost.
public struct Realisation: Hashable, Sendable, Codable {
    /// The item of the case that was sold.
    public var item: Identifier
    /// The day of the sale.
    public var soldOn: CalendarDate
    /// What the sale fetched, before costs.
    public var gross: Money
    /// The costs of the sale; the available amount counts `gross` less these.
    public var costs: Money

    /// Creates a record of a sale.
    ///
    /// - Parameters:
    ///   - item: The item of the case that was sold.
    ///   - soldOn: The day of the sale.
    ///   - gross: What the sale fetched.
    ///   - costs: The costs of the sale.
    public init(item: Identifier, soldOn: CalendarDate, gross: Money, costs: Money) {
        self.item = item
        self.soldOn = soldOn
        self.gross = gross
        self.costs = costs
    }
}

/// A payment towards the order.
public struct Payment: Hashable, Sendable, Codable {
    /// The day of the payment; from that day it reduces the sum interest runs on.
    public var paidOn: CalendarDate
    /// The sum paid, in the order's currency.
    public var amount: Money

    /// Creates a payment towards the order.
    ///
    /// - Parameters:
    ///   - paidOn: The day of the payment.
    ///   - amount: The sum paid.
    public init(paidOn: CalendarDate, amount: Money) {
        self.paidOn = paidOn
        self.amount = amount
    }
}

/// The order as the court made it: date, reference, time to pay and any extension.
public struct OrderDetails: Hashable, Sendable, Codable {
    /// The order's reference as the court gave it (at most 200 characters).
    public var reference: String
    /// The day the court made the order; the confiscation figures are valued at this date.
    public var madeOn: CalendarDate
    /// The amount the court ordered; nil to take the recoverable amount as computed.
    public var amount: Money?
    /// The date the court allowed for payment (s.11); nil when due on the day of the order.
    public var timeToPayUntil: CalendarDate?
    /// An application to extend, made within the time allowed; interest does not run while it is pending.
    public var extensionAppliedOn: CalendarDate?
    /// The day the court decided the extension application; nil while it is undecided.
    public var extensionDecidedOn: CalendarDate?
    /// The new date for payment when the court extended the time (s.11); nil when not extended.
    public var extendedUntil: CalendarDate?
    /// Compensation ordered alongside, paid first out of receipts (s.13).
    public var compensation: Money?

    /// Records the order as the court made it.
    ///
    /// - Parameters:
    ///   - reference: The order's reference.
    ///   - madeOn: The day the court made the order.
    ///   - amount: The amount ordered, or nil to take the recoverable amount.
    ///   - timeToPayUntil: The date allowed for payment, or nil when due on the day of the order.
    ///   - extensionAppliedOn: The day an application to extend was made, or nil.
    ///   - extensionDecidedOn: The day the application was decided, or nil.
    ///   - extendedUntil: The extended date for payment, or nil.
    ///   - compensation: Compensation ordered alongside, or nil.
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
    /// The whole sum obtained jointly; this order and the co-defendants' together may recover it
    /// only once.
    public var amount: Money
    /// The co-defendants' cases, whose payments count towards the joint sum.
    public var withCases: [Identifier]
    /// What the joint benefit was, in words (at most 200 characters).
    public var description: String

    /// Creates a joint benefit.
    ///
    /// - Parameters:
    ///   - amount: The whole sum obtained jointly.
    ///   - withCases: The co-defendants' cases.
    ///   - description: What the joint benefit was.
    public init(amount: Money, withCases: [Identifier], description: String) {
        self.amount = amount
        self.withCases = withCases
        self.description = description
    }
}

/// What the confiscation calculator works from, entered for the case.
public struct ConfiscationInputs: Hashable, Sendable, Codable {
    /// Property the defendant obtained, each counted by the greater-of rule of s.80.
    public var benefits: [ObtainedProperty] = []
    /// Items of the case that count as benefit, at their current central valuation.
    public var benefitItems: [Identifier] = []
    /// Tainted gifts, added to the available amount at their s.81 value (s.9(1)(b), s.77).
    public var gifts: [ObtainedProperty] = []
    /// Obligations having priority, deducted from the available amount (s.9(2)).
    public var obligations: [PriorityObligation] = []
    /// The defendant's shares of items held with others, for items whose owners are not recorded.
    public var shares: [ItemShare] = []
    /// Sales of items: a sold item counts in the available amount at what it fetched less costs.
    public var realisations: [Realisation] = []
    /// The order as the court made it; nil before an order, when only the benefit, available and
    /// recoverable amounts are worked out.
    public var order: OrderDetails?
    /// Payments made towards the order.
    public var payments: [Payment] = []
    /// Benefit obtained jointly with co-defendants in other cases (R v Ahmad); nil when there is none.
    public var joint: JointBenefit?

    /// Empty inputs: nothing entered yet.
    public init() {}

    /// True when nothing has been entered, so there is nothing to work confiscation figures out from.
    public var isEmpty: Bool { self == ConfiscationInputs() }

    /// Every sum of the inputs with what it is, as messages name it.
    package var namedSums: [(what: String, money: Money)] {
        var sums: [(String, Money)] = []
        for property in benefits + gifts {
            sums.append(("\(property.description): value then", property.valueThen))
            if let now = property.valueNow { sums.append(("\(property.description): value now", now)) }
        }
        sums += obligations.map { ("\($0.description): amount", $0.amount) }
        for sale in realisations { sums += [("the sale of \(sale.item): gross", sale.gross), ("the sale of \(sale.item): costs", sale.costs)] }
        if let amount = order?.amount { sums.append(("the order's amount", amount)) }
        if let compensation = order?.compensation { sums.append(("the compensation", compensation)) }
        sums += payments.map { ("the payment of \($0.paidOn)", $0.amount) }
        if let joint { sums.append(("the joint benefit", joint.amount)) }
        return sums
    }

    /// Refuses a sum new since `before` that is finer than its currency's smallest unit (a
    /// court's sums are whole pence). Only new sums are judged, so one recorded by an earlier
    /// Haul never blocks a later write.
    ///
    /// - Parameter before: The inputs as they stood; an empty set judges every sum.
    /// - Throws: `HaulCoreError` (`out-of-range`) naming the sum.
    package func refuseFinerThanTheirUnit(before: ConfiscationInputs) throws(HaulCoreError) {
        var held: [String: Int] = [:]
        for (what, money) in before.namedSums where money.rounded() != money { held["\(what) \(money.amount)", default: 0] += 1 }
        for (what, money) in namedSums where money.rounded() != money {
            let key = "\(what) \(money.amount)"
            if let count = held[key], count > 0 { held[key] = count - 1; continue }
            try money.checkWholeMinorUnits(what)
        }
    }

    /// Refuses a sum a case file could not carry (below 0, from 10¹⁵, more than four places),
    /// naming it; shares as percentages.
    public func checkBounds() throws(HaulCoreError) {
        for property in benefits + gifts { try SchemaBounds.shortText.check(property.description, "a benefit's or gift's description") }
        for obligation in obligations { try SchemaBounds.shortText.check(obligation.description, "an obligation's description") }
        for share in shares { try SchemaBounds.percent.check(share.percent, "the defendant's share of \(share.item)") }
        if let order { try SchemaBounds.shortText.check(order.reference, "the order's reference") }
        if let joint { try SchemaBounds.shortText.check(joint.description, "the joint benefit's description") }
        for (what, money) in namedSums { try SchemaBounds.amount.check(money.amount, what) }
    }
}

extension ConfiscationFigures {
    /// How the calculator's outstanding line begins ("Outstanding on 2022-03-01 (…)"); the day
    /// after it is the day the figures are worked out as of.
    package static let outstandingLabel = "Outstanding on"
    /// How the calculator's line of what co-defendants paid towards a joint benefit begins.
    package static let coDefendantsPaidLabel = "Paid by co-defendants"
    /// The basis the joint-benefit lines cite.
    package static let ahmadBasis = "R v Ahmad [2014] UKSC 36"
}
