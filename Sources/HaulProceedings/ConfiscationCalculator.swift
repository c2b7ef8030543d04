import Foundation
import HaulCore

/// The dated tables the confiscation calculator reads: the judgment-debt interest rate, the
/// default-term bands, the distribution schemes.
public struct ConfiscationRules: Sendable {
    /// The rate of interest on a sum not paid when due (POCA 2002 s.12, at the Judgments Act 1838
    /// rate), one row of `interest.csv`.
    public struct InterestRate: Sendable, Hashable {
        /// The rate in percent a year, simple, accruing daily at rate ÷ 365.
        public var percent: FixedDecimal
        /// The first day the rate applies; the latest rate in force on a date is used.
        public var effectiveFrom: CalendarDate
        /// The legal source of the rate, as the table cites it.
        public var source: String

        package init(percent: FixedDecimal, effectiveFrom: CalendarDate, source: String) {
            self.percent = percent
            self.effectiveFrom = effectiveFrom
            self.source = source
        }
    }

    /// One band of maximum default terms by the amount of the order (POCA 2002 s.35(2A) for
    /// orders from 1 June 2015), one row of `default-terms.csv`.
    public struct DefaultTermBand: Sendable, Hashable {
        /// Inclusive upper bound of the band; nil for the top band.
        public var upTo: FixedDecimal?
        /// The maximum default term for an order in this band.
        public var term: TermLength
        /// The first day the band applies; an order is judged by the bands in force on the day it is made.
        public var effectiveFrom: CalendarDate
        /// The legal source of the band, as the table cites it.
        public var source: String

        package init(upTo: FixedDecimal?, term: TermLength, effectiveFrom: CalendarDate, source: String) {
            self.upTo = upTo
            self.term = term
            self.effectiveFrom = effectiveFrom
            self.source = source
        }
    }

    /// One recipient's share of receipts under the Asset Recovery Incentivisation Scheme, paid
    /// after priority orders (s.13), one row of `distribution.csv`.
    public struct Share: Sendable, Hashable {
        /// The scheme the share belongs to, such as `confiscation`; a scheme's shares add up to 100 %.
        public var scheme: String
        /// Who receives the share, such as `Home Office` or `Investigating agency`.
        public var recipient: String
        /// The share of receipts, in percent.
        public var percent: FixedDecimal
        /// The first day the share applies.
        public var effectiveFrom: CalendarDate
        /// Where the share comes from, as the table cites it.
        public var source: String
        /// How well the share is sourced; an unverified share is marked so on its line.
        public var confidence: Confidence

        package init(scheme: String, recipient: String, percent: FixedDecimal, effectiveFrom: CalendarDate, source: String, confidence: Confidence) {
            self.scheme = scheme
            self.recipient = recipient
            self.percent = percent
            self.effectiveFrom = effectiveFrom
            self.source = source
            self.confidence = confidence
        }
    }

    /// The judgment-debt interest rates, each with the date it applies from.
    public var interest: [InterestRate]
    /// The default-term bands of every date; those of the latest date in force on the order's day apply.
    public var defaultTerms: [DefaultTermBand]
    /// The shares of receipts of every scheme and date.
    public var distribution: [Share]


    func interestRate(on date: CalendarDate) -> InterestRate? {
        interest.filter { $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The band for an order of `amount` made on `date`: the bands in force then, lowest first.
    public func defaultTerm(for amount: FixedDecimal, orderedOn date: CalendarDate) -> DefaultTermBand? {
        guard let inForce = defaultTerms.filter({ $0.effectiveFrom <= date }).map(\.effectiveFrom).max() else { return nil }
        let bands = defaultTerms.filter { $0.effectiveFrom == inForce }.sorted { ($0.upTo ?? .ceiling) < ($1.upTo ?? .ceiling) }
        return bands.first { $0.upTo.map { amount <= $0 } ?? true }
    }

    package init(interest: [InterestRate], defaultTerms: [DefaultTermBand], distribution: [Share]) {
        self.interest = interest
        self.defaultTerms = defaultTerms
        self.distribution = distribution
    }
}

/// Largest-remainder split of an amount, so that the shares add up to the total exactly.
public enum LargestRemainder {
    /// Splits `total` by `percents` (adding up to 100) in the currency's minor units: each share
    /// is rounded down, then the pennies left over go one by one to the largest remainders
    /// (ties to the earlier share).
    public static func split(_ total: Money, percents: [FixedDecimal]) -> [FixedDecimal] {
        let units = FixedDecimal(units: total.roundedMinorUnits, places: 0)
        let minorUnit = FixedDecimal(units: 1, places: total.currency.minorUnits)
        var floors: [FixedDecimal] = []
        var remainders: [(index: Int, remainder: FixedDecimal)] = []
        for (index, percent) in percents.enumerated() {
            let exact = units.scaled(by: percent, over: 100)
            let floor = exact.truncated(places: 0)  // shares are never negative: toward zero is down
            floors.append(floor)
            remainders.append((index, exact - floor))
        }
        var left = units - floors.reduce(0, +)
        for entry in remainders.sorted(by: { $0.remainder != $1.remainder ? $0.remainder > $1.remainder : $0.index < $1.index }) where left > 0 {
            floors[entry.index] += 1
            left -= 1
        }
        return floors.map { $0 * minorUnit }
    }
}

/// POCA 2002 Part 2, computed: benefit (s.76, s.80), available amount (s.9, s.79), recoverable
/// amount (s.7), time to pay (s.11), interest (s.12), default term (s.35), priority and
/// distribution of receipts (s.13, ARIS).
///
/// Every line carries its statutory basis; money is exact and rounded once, to the penny, where
/// a figure is stated.
public struct ConfiscationCalculator: Sendable {
    /// The dated interest, default-term and distribution tables the computation reads.
    public let rules: ConfiscationRules
    /// The price-index value (CPIH) for the month of a date, or the latest before it.
    public let index: @Sendable (CalendarDate) -> (period: CalendarDate, value: FixedDecimal)?
    /// The currency every amount must be entered in and is stated in; an amount in another is refused.
    public let currency: Currency

    /// Makes a calculator for one set of tables and one currency.
    ///
    /// - Parameters:
    ///   - rules: the dated interest, default-term and distribution tables.
    ///   - currency: the currency of every amount (pounds unless given).
    ///   - index: the price-index value (CPIH) for the month of a date, or the latest before it;
    ///     nil when there is none, and then values are not uplifted.
    public init(rules: ConfiscationRules, currency: Currency = .gbp, index: @escaping @Sendable (CalendarDate) -> (period: CalendarDate, value: FixedDecimal)?) {
        self.rules = rules
        self.currency = currency
        self.index = index
    }

    private func money(_ amount: FixedDecimal) -> Money { Money(amount, currency).rounded() }
    /// An amount at the penny, as its line shows it: totals add up the rounded lines, so the lines
    /// shown to a court foot to their totals.
    private func penny(_ amount: FixedDecimal) -> FixedDecimal { money(amount).amount }

    private func requireCurrency(_ value: Money, _ what: String) throws(ProceedingsError) {
        guard value.currency == currency else {
            throw ProceedingsError(.invalidMove, "\(what) is in \(value.currency); enter it in \(currency) (convert it at the rate of its date first)")
        }
    }

    /// The first day of the latest month whose CPIH is published on `date`. ONS publishes month M
    /// in the middle or second half of month M + 1 on a day it announces; without those dates in
    /// the table, a month is taken as published by the last day of the following month, so a
    /// figure is never used before it existed (on 1–29 September, July's; on 30 September, August's).
    static func latestPublishedMonth(on date: CalendarDate) -> CalendarDate {
        let isLastDay = date.day == CalendarDate.daysIn(month: date.month, year: date.year)
        let back = isLastDay ? 1 : 2
        let total = date.year * 12 + (date.month - 1) - back
        return (try? CalendarDate(year: total / 12, month: total % 12 + 1, day: 1)) ?? date
    }

    /// s.80: the greater of the value then adjusted for the value of money (the index) and the value now.
    func greaterOf(_ property: ObtainedProperty, decision: CalendarDate, section: ConfiscationLine.Section, basis: String) throws(ProceedingsError) -> (FixedDecimal, ConfiscationLine) {
        try requireCurrency(property.valueThen, property.description)
        var uplifted = property.valueThen.amount
        var note: String
        if let then = index(property.obtainedOn), let now = index(Self.latestPublishedMonth(on: decision)), then.value > 0 {
            uplifted = property.valueThen.amount * now.value / then.value
            note = "value then \(property.valueThen.readable) × CPIH \(DecimalText.plain(now.value)) (\(now.period.description.prefix(7)), the latest published by \(decision)) ÷ \(DecimalText.plain(then.value)) (\(then.period.description.prefix(7))) = \(money(uplifted).readable)"
        } else {
            note = "value then \(property.valueThen.readable); no index value for the dates, so not uplifted"
        }
        var counted = uplifted
        if let now = property.valueNow {
            try requireCurrency(now, property.description)
            note += "; value now \(now.readable); the greater counts"
            if now.amount > uplifted { counted = now.amount }
        }
        return (counted, ConfiscationLine(section: section, basis: basis, description: "\(property.description) (obtained \(property.obtainedOn))", amount: money(counted), note: note))
    }

    /// The items forfeited and still so — in a forfeited state, or final after one — with the
    /// event that forfeited them (corrections in force).
    static func forfeitedItems(_ operation: Case) -> [Identifier: StatusEvent] {
        var lastMove: [Identifier: StatusEvent] = [:]
        var forfeitedBy: [Identifier: StatusEvent] = [:]
        for event in StatusEvent.inForce(operation.history) {
            for item in event.items {
                lastMove[item] = event
                if event.to == .forfeited { forfeitedBy[item] = event }
            }
        }
        return forfeitedBy.filter { item, _ in lastMove[item].map { $0.to == .forfeited || $0.to == .final } ?? false }
    }

    /// Whether a figure rests on a price row marked illustrative [I]: it shows the method, not evidence of value.
    static func restsOnIllustrativeRows(_ valuation: Valuation) -> Bool { valuation.sources.contains { $0.confidence == .illustrative } }
    /// " [I]" after a line counting such a figure.
    static let illustrativeMark = " [I]"
    static let illustrativeNote = "includes values marked [I], which rest on illustrative price rows and are not evidence of value"

    /// The whole computation for `operation` as of `asOf`.
    /// `coDefendantPayments`: what the co-defendants of a joint benefit have paid, from their cases.
    public func compute(_ operation: Case, asOf: CalendarDate, coDefendantPayments: [Payment] = []) throws(ProceedingsError) -> ConfiscationFigures {
        let inputs = operation.confiscationInputs
        // As of a day before the order was made there was no order: the position is worked out as
        // it stood then, decided on that day.
        let madeOrder = inputs.order.flatMap { $0.madeOn <= asOf ? $0 : nil }
        let decision = madeOrder?.madeOn ?? asOf
        var lines: [ConfiscationLine] = []

        // Benefit.
        var benefit = FixedDecimal(0)
        // Whether a figure counted rests on an illustrative price row: said on its line and on the total.
        var illustrativeBenefit = false, illustrativeAvailable = false
        for entry in inputs.benefits {
            let (counted, line) = try greaterOf(entry, decision: decision, section: .benefit, basis: "POCA 2002 s.76, s.80")
            benefit += penny(counted)
            lines.append(line)
        }
        // The case's items listed once, not once for each benefit item.
        let items = inputs.benefitItems.isEmpty ? [] : operation.items
        for itemID in inputs.benefitItems {
            guard let item = items.first(where: { $0.id == itemID }) else {
                throw ProceedingsError(.invalidMove, "benefit item \(itemID) is not in case \(operation.reference)")
            }
            // Drugs: the value on the market where they would have been disposed of (R v Lister
            // [2014] EWCA Crim 2290): the level the quantity trades at, the item's main figure —
            // never the street re-cut upper bound.
            let found: Valuation?
            if case .drug(let drug) = item.details {
                found = item.valuations.first { !$0.isUpperBound && ($0.basis == .wholesale || $0.basis == .street) }
                if let valuation = found, valuation.basis == .street, case .mass(let mass) = drug.quantity, mass.grams >= 1000 {
                    lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.76, s.79; R v Lister [2014] EWCA Crim 2290",
                                                  description: "\(item.id) (\(item.exhibit)) counts as benefit, but its only price is a retail price per gram for \(DecimalText.plain(mass.grams / 1000)) kg",
                                                  note: "left out: a bulk quantity is worth what it fetches at its own level; the benefit is to be shown by evidence"))
                    continue
                }
            } else {
                found = [ValuationBasis.market, .face].lazy.compactMap({ basis in item.valuations.first { $0.basis == basis && !$0.isUpperBound } }).first
            }
            guard let valuation = found else {
                lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.79", description: "\(item.id) (\(item.exhibit)) counts as benefit but has no valuation", note: "no valuation recorded"))
                continue
            }
            try requireCurrency(valuation.central, "\(item.id)'s valuation")
            benefit += penny(valuation.central.amount)
            // Read once: a valuation fresh from the valuer lists its sources each time they are read.
            let illustrative = Self.restsOnIllustrativeRows(valuation)
            illustrativeBenefit = illustrativeBenefit || illustrative
            lines.append(ConfiscationLine(section: .benefit, basis: item.kind == .drug ? "POCA 2002 s.76; R v Lister [2014] EWCA Crim 2290" : "POCA 2002 s.76, s.79",
                                          description: "\(item.id) (\(item.exhibit)) \(item.kind.rawValue), \(valuation.basis.rawValue) value\(illustrative ? Self.illustrativeMark : "")",
                                          amount: money(valuation.central.amount)))
        }
        lines.append(ConfiscationLine(section: .benefit, basis: "POCA 2002 s.76", description: "Benefit", amount: money(benefit),
                                      note: illustrativeBenefit ? Self.illustrativeNote : nil))

        // Available amount.
        var available = FixedDecimal(0)
        let forfeited = Self.forfeitedItems(operation)
        for item in operation.items where item.kind.isValued {
            if let event = forfeited[item.id] {
                // s.82(2)-(3) (as amended by PCA 2009 Sch 7): property forfeited under Part 5 (a notice or an
                // order) or under another forfeiture order is not free property: it cannot count again here.
                lines.append(ConfiscationLine(section: .available, basis: "POCA 2002 s.82", description: "\(item.id) (\(item.exhibit)) forfeited", amount: money(0),
                                              note: "forfeited on \(event.at.date) (event \(event.sequence)): not free property"))
                continue
            }
            // Owners recorded with the item decide the defendant's share; otherwise a share input; otherwise all of it.
            let share = operation.defendantsShare(of: item) ?? inputs.shares.first { $0.item == item.id }?.percent ?? 100
            let charges = item.interests.filter { $0.kind == .charge }.compactMap(\.amount)
            for charge in charges { try requireCurrency(charge, "a charge on \(item.id)") }
            let charged = charges.reduce(FixedDecimal(0)) { $0 + $1.amount }
            let chargeNote = charged == 0 ? nil : "less \(money(charged).readable) secured on it by others"
            let shareParts = [chargeNote, share == 100 ? nil : "the defendant's \(DecimalText.plain(share)) % share"].compactMap { $0 }
            let shareNote = shareParts.isEmpty ? nil : shareParts.joined(separator: ", then ") + " (s.79(3))"
            /// The defendant's interest in a value: what others' charges leave, times the defendant's share.
            func interest(_ value: FixedDecimal) -> FixedDecimal { max(value - charged, 0) * share / 100 }
            if item.kind == .drug {
                lines.append(ConfiscationLine(section: .available, basis: "R v Islam [2009] UKHL 30", description: "\(item.id) (\(item.exhibit)) seized drugs", amount: money(0), note: "seized drugs count at nil"))
                continue
            }
            if let sale = inputs.realisations.first(where: { $0.item == item.id }) {
                try requireCurrency(sale.gross, "the sale of \(item.id)")
                let net = penny(interest(sale.gross.amount - sale.costs.amount))
                available += net
                var note = "sold on \(sale.soldOn) for \(sale.gross.readable), costs \(sale.costs.readable)"
                if let estimate = item.valuations.first(where: { $0.basis == .realisable })?.central, estimate.currency == currency,
                   sale.gross.amount - sale.costs.amount < estimate.amount {
                    note += "; below the estimate of \(estimate.readable)"
                    lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.23", description: "\(item.id) fetched less than its estimate",
                                                  note: "if the available amount proves inadequate, the defendant may apply for a reduction (s.23)"))
                }
                lines.append(ConfiscationLine(section: .available, basis: "POCA 2002 s.9, s.79", description: "\(item.id) (\(item.exhibit)) realised", amount: money(net),
                                              note: [note, shareNote].compactMap { $0 }.joined(separator: "; ")))
                continue
            }
            let preferred: [ValuationBasis] = [.realisable, .face, .market]
            guard let valuation = preferred.lazy.compactMap({ basis in item.valuations.first { $0.basis == basis && !$0.isUpperBound } }).first else {
                lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.9", description: "\(item.id) (\(item.exhibit)) has no valuation", note: "left out of the available amount: no valuation recorded"))
                continue
            }
            try requireCurrency(valuation.central, "\(item.id)'s valuation")
            let counted = penny(interest(valuation.central.amount))
            available += counted
            let illustrative = Self.restsOnIllustrativeRows(valuation)
            illustrativeAvailable = illustrativeAvailable || (counted != 0 && illustrative)
            lines.append(ConfiscationLine(section: .available, basis: "POCA 2002 s.9, s.79",
                                          description: "\(item.id) (\(item.exhibit)) \(item.kind.rawValue), \(valuation.basis.rawValue) value\(illustrative ? Self.illustrativeMark : "")",
                                          amount: money(counted), note: shareNote))
        }
        for obligation in inputs.obligations {
            try requireCurrency(obligation.amount, obligation.description)
            available -= penny(obligation.amount.amount)
            lines.append(ConfiscationLine(section: .available, basis: "POCA 2002 s.9(1)(a), s.9(2)", description: "less: \(obligation.description)", amount: money(-obligation.amount.amount)))
        }
        for gift in inputs.gifts {
            let (counted, line) = try greaterOf(gift, decision: decision, section: .available, basis: "POCA 2002 s.9(1)(b), s.77, s.81")
            available += penny(counted)
            lines.append(line)
        }
        available = max(available, 0)
        lines.append(ConfiscationLine(section: .available, basis: "POCA 2002 s.9", description: "Available amount", amount: money(available),
                                      note: illustrativeAvailable ? Self.illustrativeNote : nil))

        // Recoverable amount.
        let recoverable = available < benefit ? available : benefit
        let recoverableIllustrative = available < benefit ? illustrativeAvailable : illustrativeBenefit
        lines.append(ConfiscationLine(section: .recoverable, basis: "POCA 2002 s.7", description: "Recoverable amount", amount: money(recoverable),
                                      note: (available < benefit ? "the available amount, being less than the benefit" : "the benefit")
                                          + (recoverableIllustrative ? "; " + Self.illustrativeNote : "")))

        var figures = ConfiscationFigures(decidedOn: decision, benefit: money(benefit), availableAmount: money(available), recoverableAmount: money(recoverable), lines: [])
        if let details = madeOrder {
            if let ordered = details.amount { try requireCurrency(ordered, "the order") }
            if let joint = inputs.joint { try requireCurrency(joint.amount, "the joint benefit") }
            let (order, orderLines, kept) = try orderPosition(details, amount: details.amount?.rounded() ?? money(recoverable), payments: inputs.payments, asOf: asOf,
                                                        joint: inputs.joint.map { ($0, coDefendantPayments) })
            figures.order = order
            lines += orderLines
            let (distribution, distributionLines) = try split(receipts: kept, compensation: details.compensation, on: details.madeOn)
            figures.distribution = distribution
            lines += distributionLines
            // s.13(5)-(6): compensation is paid out of what the confiscation order recovers, so no
            // more of it than the order's amount can come from there.
            if let compensation = details.compensation, compensation.amount > order.amount.amount {
                lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.13(5)-(6)",
                                              description: "Compensation of \(compensation.readable) is more than the order's \(order.amount.readable)",
                                              note: "at most \(order.amount.readable) of it can be paid from what the order recovers; check the amounts recorded"))
            }
        }
        figures.lines = lines
        return figures
    }

    /// Time to pay, interest and the default term for an order of `amount`, and what of the
    /// payments the order keeps (all of them, less any overpayment).
    func orderPosition(_ details: OrderDetails, amount: Money, payments: [Payment], asOf: CalendarDate,
                       joint: (benefit: JointBenefit, coDefendantPayments: [Payment])? = nil) throws(ProceedingsError) -> (ConfiscationOrder, [ConfiscationLine], kept: Money) {
        var lines: [ConfiscationLine] = []
        let made = details.madeOn
        let post2015 = made >= (try! CalendarDate(parsing: "2015-06-01"))
        let zone = "Europe/London"
        func periodEnd(_ months: Int) -> CalendarDate {
            (try? DeadlineCalculator.end(of: months, .months, counting: .beginningWith, from: ZonedDateTime.endOfDay(made, zone: zone), calendar: nil).date) ?? made
        }
        let maximumTime = periodEnd(post2015 ? 3 : 6)
        let maximumExtension = periodEnd(post2015 ? 6 : 12)
        var due = details.timeToPayUntil ?? made
        lines.append(ConfiscationLine(section: .order, basis: "POCA 2002 s.6", description: "Confiscation order \(details.reference), made \(made)", amount: amount))
        if let until = details.timeToPayUntil, until > maximumTime {
            lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.11", description: "time to pay until \(until) is longer than the law allows",
                                          note: "at most \(post2015 ? "3" : "6") months beginning with the order: \(maximumTime)"))
        }
        var pending: ClosedRange<Int>?
        if let applied = details.extensionAppliedOn {
            if applied > due {
                lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.11", description: "the extension application of \(applied) was made after the time to pay ended (\(due))",
                                              note: "an extension needs an application within the period; interest is not suspended"))
            } else {
                // s.12(3): no interest while the application is undetermined and "the period of six
                // months starting with the day on which the confiscation order was made has not ended".
                let decided = details.extensionDecidedOn ?? asOf
                let suspensionEnds = min(decided.dayNumber, periodEnd(6).dayNumber)
                if applied.dayNumber <= suspensionEnds { pending = applied.dayNumber...suspensionEnds }
                if let extended = details.extendedUntil {
                    if extended > maximumExtension {
                        lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.11", description: "extension until \(extended) is longer than the law allows",
                                                      note: "at most \(post2015 ? "6" : "12") months beginning with the order: \(maximumExtension)"))
                    }
                    due = extended
                }
            }
        }
        lines.append(ConfiscationLine(section: .order, basis: "POCA 2002 s.11", description: "Due on \(due)",
                                      note: details.timeToPayUntil == nil ? "payable on the day of the order" : "time to pay allowed by the court"))

        // Simple interest on the unpaid part from the day after it was due, not while an in-time
        // extension application is pending; daily at rate ÷ 365.
        guard let rate = rules.interestRate(on: due) else { throw ProceedingsError(.noRulePack, "no judgment-debt interest rate in force on \(due)") }
        let sortedPayments = payments.filter { $0.paidOn <= asOf }.sorted { $0.paidOn < $1.paidOn }
        for payment in sortedPayments { try requireCurrency(payment.amount, "a payment") }
        var interest = FixedDecimal(0)
        var day = due.dayNumber + 1
        while day <= asOf.dayNumber {
            let paidSoFar = sortedPayments.filter { $0.paidOn.dayNumber <= day }.reduce(FixedDecimal(0)) { $0 + $1.amount.amount }
            let unpaid = amount.amount - paidSoFar
            if unpaid > 0, pending.map({ !$0.contains(day) }) ?? true {
                interest += unpaid * rate.percent / 100 / 365
            }
            day += 1
        }
        let paid = sortedPayments.reduce(FixedDecimal(0)) { $0 + $1.amount.amount }
        for payment in sortedPayments {
            lines.append(ConfiscationLine(section: .payment, basis: "POCA 2002 s.6", description: "Payment on \(payment.paidOn)", amount: payment.amount.rounded()))
        }
        lines.append(ConfiscationLine(section: .order, basis: "POCA 2002 s.12; Judgments Act 1838 s.17", description: "Interest to \(asOf) at \(DecimalText.plain(rate.percent)) % a year, simple",
                                      amount: money(interest), note: rate.source))
        let unpaid = max(amount.amount - paid, 0)
        // s.12(2): interest is treated as part of the amount to be paid, so what is paid beyond the
        // order's sum pays its interest; anything beyond both is an overpayment, shown, never lost.
        let beyondSum = max(paid - amount.amount, 0)
        let interestUnpaid = max(interest - beyondSum, 0)
        let overpaid = max(beyondSum - interest, 0)
        var enforceable = unpaid
        if let joint {
            // Ahmad: what co-defendants paid towards the joint sum is not recovered again; this
            // order stays enforceable only for what is left of that sum, never for more than its own balance.
            let counted = joint.coDefendantPayments.filter { $0.paidOn <= asOf }
            for payment in counted { try requireCurrency(payment.amount, "a co-defendant's payment") }
            let coPaid = counted.reduce(FixedDecimal(0)) { $0 + $1.amount.amount }
            // Only the joint part of the order is capped: what the order is for beyond the joint sum
            // rests on this defendant's own benefit. They owe that own part and what the
            // co-defendants have left of the joint sum; their own payments reduce the two together,
            // so no more than the order, and never the joint sum twice, is recovered.
            let ownPart = max(amount.amount - joint.benefit.amount.amount, 0)
            let leftByOthers = max(joint.benefit.amount.amount - coPaid, 0)
            let capped = max(ownPart + leftByOthers - paid, 0)
            enforceable = min(unpaid, capped)
            lines.append(ConfiscationLine(section: .order, basis: ConfiscationFigures.ahmadBasis, description: "Joint benefit: \(joint.benefit.description)",
                                          amount: joint.benefit.amount.rounded(), note: "obtained jointly with the defendants of \(joint.benefit.withCases.map(\.value).joined(separator: ", "))"))
            lines.append(ConfiscationLine(section: .order, basis: ConfiscationFigures.ahmadBasis, description: "\(ConfiscationFigures.coDefendantsPaidLabel) towards the joint benefit to \(asOf)",
                                          amount: money(coPaid), note: "not recovered twice: this order is enforceable for at most \(money(capped).readable), " + (ownPart > 0
                                            ? "the \(money(ownPart).readable) of the order beyond the joint sum and the \(money(leftByOthers).readable) the co-defendants have left of it, less what this order has had paid"
                                            : "what is left of the joint benefit")))
        }
        if beyondSum > 0 {
            lines.append(ConfiscationLine(section: .order, basis: "POCA 2002 s.12(2)", description: "Interest paid by what was paid beyond the order's sum",
                                          amount: money(min(beyondSum, interest))))
        }
        if money(overpaid).amount > 0 {
            lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.12(2)", description: "Payments exceed the order and its interest by \(money(overpaid).readable)",
                                          note: "paid \(money(paid).readable) against \(money(amount.amount).readable) and interest of \(money(interest).readable); a refund may be due"))
        }
        lines.append(ConfiscationLine(section: .order, basis: "POCA 2002 s.6, s.12", description: "\(ConfiscationFigures.outstandingLabel) \(asOf) (order less payments, plus interest)", amount: money(enforceable + interestUnpaid),
                                      note: enforceable < unpaid ? "principal capped at what is left of the joint benefit (R v Ahmad [2014] UKSC 36); interest on this order's unpaid sum" : nil))

        // Default term: the band of the order's amount in force on its date, reduced pro rata for payments.
        guard let band = rules.defaultTerm(for: amount.amount, orderedOn: made) else {
            throw ProceedingsError(.noRulePack, "no default-term bands in force on \(made)")
        }
        let termEnd = (try? DeadlineCalculator.end(of: band.term.years * 12 + band.term.months, .months, counting: .after, from: ZonedDateTime.endOfDay(made, zone: zone), calendar: nil).date.dayNumber) ?? made.dayNumber
        let termDays = termEnd - made.dayNumber + band.term.days
        var reducedNote = "maximum \(band.term) (\(termDays) days); \(band.source)"
        if paid > 0, amount.amount > 0 {
            // Magistrates' Courts Act 1980 s.79(2)-(3), applied by POCA s.35: the term is reduced by
            // the number of days that bears to "the total number of days in that period less one day"
            // the proportion paid bears to the sum, "any fraction of a day" left out. The sum is the
            // order's amount, interest left out (R (Gibson) v SSJ [2018] UKSC 2, as reported).
            let whole = FixedDecimal(Self.defaultTermReduction(termDays: termDays, paid: min(paid, amount.amount), amount: amount.amount))
            let remaining = FixedDecimal(termDays) - whole
            reducedNote += "; after \(money(paid).readable) paid, at most \(DecimalText.plain(remaining)) day\(remaining == 1 ? "" : "s") (reduced by \(DecimalText.plain(whole)) day\(whole == 1 ? "" : "s"), MCA 1980 s.79(2))"
        }
        lines.append(ConfiscationLine(section: .order, basis: made >= (try! CalendarDate(parsing: "2015-06-01")) ? "POCA 2002 s.35(2A)" : "POCA 2002 s.35; PCC(S)A 2000 s.139(4)",
                                      description: "Maximum default term \(band.term)", note: reducedNote))
        if unpaid > 0 && unpaid < 1000 {
            lines.append(ConfiscationLine(section: .flag, basis: "POCA 2002 s.24", description: "A balance under £1,000 is outstanding",
                                          note: "it may be written off if the shortfall is caused by exchange-rate movements or another prescribed cause"))
        }
        let order = ConfiscationOrder(reference: details.reference, madeOn: made, amount: amount, dueOn: due, interestRatePercent: rate.percent,
                                      interestAccrued: money(interest), paid: money(paid), maximumDefaultTerm: band.term)
        // What was paid beyond the order and its interest is owed back, not kept (nor shared out).
        return (order, lines, money(paid - overpaid))
    }

    /// Receipts go to compensation first (s.13), then by the incentive scheme's shares.
    func split(receipts: Money, compensation: Money?, on date: CalendarDate) throws(ProceedingsError) -> (Distribution?, [ConfiscationLine]) {
        var lines: [ConfiscationLine] = []
        var remainder = receipts.amount
        if let compensation {
            try requireCurrency(compensation, "compensation")
            let paidFirst = min(compensation.amount, remainder)
            remainder -= paidFirst
            lines.append(ConfiscationLine(section: .distribution, basis: "POCA 2002 s.13", description: "Compensation, paid first", amount: money(paidFirst),
                                          note: "of \(compensation.readable) ordered"))
        }
        let inForce = rules.distribution.filter { $0.scheme == "confiscation" && $0.effectiveFrom <= date }
        guard !inForce.isEmpty, remainder > 0 else { return (nil, lines) }
        let total = money(remainder)
        let amounts = LargestRemainder.split(total, percents: inForce.map(\.percent))
        let shares = zip(inForce, amounts).map { DistributionShare(recipient: $0.recipient, percent: $0.percent, amount: $1) }
        for share in shares {
            lines.append(ConfiscationLine(section: .distribution, basis: "Asset Recovery Incentivisation Scheme",
                                          description: "\(share.recipient) (\(DecimalText.plain(share.percent)) %)", amount: Money(share.amount, currency),
                                          note: inForce.first { $0.recipient == share.recipient }.map { "\($0.source)\($0.confidence == .unverified ? " [unverified]" : "")" }))
        }
        return (Distribution(total: total, remainderRule: "largest-remainder", shares: shares), lines)
    }
}

extension ConfiscationFigures {
    /// What is still enforceable under the order, interest included, as the calculator worked it
    /// out (capped by a joint benefit where there is one); nil before an order is recorded.
    public var outstanding: Money? {
        lines.first { $0.section == .order && $0.description.hasPrefix(Self.outstandingLabel) }?.amount
    }
}

extension ConfiscationCalculator {
    /// The whole days a default term of `termDays` is reduced by after `paid` of `amount`
    /// (Magistrates' Courts Act 1980 s.79(2)-(3)): (days − 1) × paid ÷ amount, "any fraction of a
    /// day" left out. A floor in integers: a quotient rounded at 10⁻¹⁸ first could reach the
    /// next whole day.
    static func defaultTermReduction(termDays: Int, paid: FixedDecimal, amount: FixedDecimal) -> Int {
        guard amount > .zero, paid > .zero else { return 0 }
        return Int((Int128(termDays - 1) * paid.raw) / amount.raw)
    }
}
