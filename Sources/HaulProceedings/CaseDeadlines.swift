import Crypto
import Foundation
import HaulCore

/// One deadline of a case: an item's status deadline or one of its confiscation order's, running
/// or no longer running (the item moved on, the event that started it was corrected, the order
/// was paid), with the identity a calendar keeps for it.
public struct DeadlineEntry: Sendable {
    /// What the deadline concerns.
    public enum Subject: Sendable {
        /// An item, as it stands now.
        case item(ItemStanding)
        /// The case's confiscation order, by its reference.
        case order(String)
    }

    /// The case's reference.
    public var reference: Identifier
    /// The item or confiscation order the deadline concerns.
    public var subject: Subject
    /// When the period ends, the rule in the pack that sets it, and its legal source.
    public var deadline: Deadline
    /// Identifies the deadline, not its instant: the case, the item (or order), the rule and the
    /// event that started it (the first of a chain of corrections), so a corrected deadline keeps it.
    public var key: String
    /// Grows whenever the deadline changes: the chain sequence of the event it now follows.
    public var revision: Int
    /// True for a deadline that no longer runs.
    public var isCancelled: Bool
    /// The states the item may move to only once this period has run (an objection period, an
    /// appeal window): a period to wait out, not one to act within, so it is never overdue; once
    /// it has run, these moves are open. Empty for a deadline to act by.
    public var onceEnded: [State] = []

    /// Whether the period has run by `today` and someone should have acted by then (a period
    /// to wait out is never overdue).
    public func isOverdue(on today: CalendarDate) -> Bool { deadline.due.date < today && onceEnded.isEmpty }

    /// The moves a period waited out has opened by `today`: empty until it has run, and for a
    /// deadline to act by.
    public func movesOpened(on today: CalendarDate) -> [State] { deadline.due.date < today ? onceEnded : [] }

    /// Makes an entry from its parts.
    ///
    /// - Parameters:
    ///   - reference: the case's reference.
    ///   - subject: the item or confiscation order the deadline concerns.
    ///   - deadline: when the period ends, and the rule that sets it.
    ///   - key: identifies the deadline across corrections (case, item or order, rule, first event).
    ///   - revision: the chain sequence of the event the deadline now follows.
    ///   - isCancelled: true when the deadline no longer runs.
    public init(reference: Identifier, subject: Subject, deadline: Deadline, key: String, revision: Int, isCancelled: Bool) {
        self.reference = reference
        self.subject = subject
        self.deadline = deadline
        self.key = key
        self.revision = revision
        self.isCancelled = isCancelled
    }

    /// The item's standing, for an item's deadline.
    public var standing: ItemStanding? {
        if case .item(let standing) = subject { return standing }
        return nil
    }

    /// "I-009 (HAL/SH/1)" or "confiscation order BCC-1".
    public var subjectText: String {
        switch subject {
        case .item(let standing): return "\(standing.item.id) (\(standing.item.exhibit))"
        case .order(let reference): return "confiscation order \(reference)"
        }
    }

    /// A calendar UID for the key: stable across exports, the same for a corrected deadline.
    public var uid: String {
        let digest = SHA256.hash(data: Data(key.utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "@haul"
    }
}

/// Every deadline of a case, worked out from its events, its confiscation inputs and the rule
/// packs; nothing is stored.
public enum CaseDeadlines {
    /// The items' deadlines: each running one, and, with `includingEnded`, each that no longer
    /// runs because the item moved on or the event that started it was corrected.
    public static func items(of operation: Case, standings: [ItemStanding], rules: RuleBook, includingEnded: Bool) -> [DeadlineEntry] {
        let bySequence = Dictionary(operation.history.map { ($0.sequence, $0) }, uniquingKeysWith: { first, _ in first })
        /// The first event of a chain of corrections.
        func root(_ event: StatusEvent) -> Int {
            var current = event
            var seen = 0
            while let target = current.supersedes, let earlier = bySequence[target], seen < bySequence.count {
                current = earlier
                seen += 1
            }
            return current.sequence
        }
        var entries: [DeadlineEntry] = []
        for standing in standings {
            let itemKey = "\(operation.reference)|item|\(standing.item.id)"
            // The keys given to this item's entries, so one deadline is listed once.
            var seen: Set<String> = []
            if let deadline = standing.deadline {
                let started = standing.history.last
                let key = "\(itemKey)|\(deadline.rule)|\(started.map(root) ?? 0)"
                seen.insert(key)
                var entry = DeadlineEntry(reference: operation.reference, subject: .item(standing), deadline: deadline,
                                          key: key, revision: started?.sequence ?? 0, isCancelled: false)
                // A period that opens moves once it has run (forfeiture after the objection period,
                // finality after the appeal window) is one to wait out, whatever else could happen
                // within it; one that opens nothing, as a detention's, has something due by its end.
                if let state = standing.state, let pack = standing.regime.flatMap({ rules.packs[$0] }) {
                    entry.onceEnded = Lifecycle(pack: pack).allowedMoves(from: state, on: deadline.due.date).filter { $0.timing == .after }.map(\.to)
                }
                entries.append(entry)
            }
            guard includingEnded, let regime = standing.regime, let pack = rules.packs[regime] else { continue }
            let lifecycle = Lifecycle(pack: pack)
            let history = standing.history
            let seizedAt = standing.seizure.seizedAt
            func ended(_ deadline: Deadline, started: Int, revision: Int) {
                let key = "\(itemKey)|\(deadline.rule)|\(started)"
                guard seen.insert(key).inserted else { return }
                entries.append(DeadlineEntry(reference: operation.reference, subject: .item(standing), deadline: deadline, key: key, revision: revision, isCancelled: true))
            }
            // The initial state's deadline (CAFRA's notice), ended by the first move.
            if let first = history.first, let deadline = try? lifecycle.deadline(in: pack.initialState, history: [], seizedAt: seizedAt) {
                ended(deadline, started: 0, revision: first.sequence)
            }
            for position in history.indices {
                let prefix = Array(history[...position])
                // Each state the item has left.
                if position < history.count - 1, let deadline = try? lifecycle.deadline(in: history[position].to, history: prefix, seizedAt: seizedAt) {
                    ended(deadline, started: root(history[position]), revision: history[position + 1].sequence)
                }
                // Each earlier version of a corrected event whose deadline was another rule's.
                var replaced = history[position]
                let current = position < history.count - 1 ? nil : standing.deadline
                let inForceRule = current?.rule ?? (try? lifecycle.deadline(in: history[position].to, history: prefix, seizedAt: seizedAt))??.rule
                while let target = replaced.supersedes, let earlier = bySequence[target] {
                    var alternative = prefix
                    alternative[position] = earlier
                    if let deadline = try? lifecycle.deadline(in: earlier.to, history: alternative, seizedAt: seizedAt), deadline.rule != inForceRule {
                        ended(deadline, started: root(earlier), revision: history[position].sequence)
                    }
                    replaced = earlier
                }
            }
        }
        return entries
    }

    /// The confiscation order's deadlines under POCA 2002 (England and Wales): the end of the time
    /// to pay (s.11), after which interest runs (s.12); while an in-time application to extend it
    /// is undetermined, the day interest resumes in any case (s.12(3)). A deadline of an order
    /// paid in full by `asOf`, or of an application since decided, no longer runs.
    ///
    /// - Parameters:
    ///   - operation: The case, with its confiscation inputs.
    ///   - asOf: The day the deadlines are judged on (payments and decisions up to it count).
    ///   - revision: Grows with the case (its chain head's sequence): what the calendar
    ///     entries of the order carry as their revision.
    /// - Returns: The order's running deadlines, none outside England and Wales or without an order.
    public static func order(of operation: Case, asOf: CalendarDate, revision: Int) -> [DeadlineEntry] {
        guard operation.jurisdiction == .englandAndWales, let order = operation.confiscationInputs.order else { return [] }
        let zone = operation.jurisdiction.timeZone
        let paid = operation.confiscationInputs.payments.filter { $0.paidOn <= asOf }.reduce(FixedDecimal(0)) { $0 + $1.amount.amount }
        let paidInFull = order.amount.map { paid >= $0.amount } ?? false
        func endOf(_ date: CalendarDate) -> ZonedDateTime? { try? ZonedDateTime.endOfDay(date, zone: zone) }
        let base = "\(operation.reference)|order|\(order.reference)"
        var entries: [DeadlineEntry] = []

        let granted = order.extensionDecidedOn != nil ? order.extendedUntil : nil
        let dueDay = granted ?? order.timeToPayUntil ?? order.madeOn
        // s.12(3): no interest while an in-time application was undetermined (until its decision,
        // at most six months from the order), so a refusal starts interest after it, as the
        // calculator counts it.
        var interestDay = dueDay.dayNumber + 1
        if let applied = order.extensionAppliedOn, applied <= (order.timeToPayUntil ?? order.madeOn), let decided = order.extensionDecidedOn,
           let madeAt = endOf(order.madeOn), let sixMonths = try? DeadlineCalculator.end(of: 6, .months, counting: .beginningWith, from: madeAt, calendar: nil) {
            let suspensionEnds = min(decided.dayNumber, sixMonths.date.dayNumber)
            if applied.dayNumber <= interestDay && interestDay <= suspensionEnds { interestDay = suspensionEnds + 1 }
        }
        if let due = endOf(dueDay), let interestFrom = try? CalendarDate(dayNumber: interestDay) {
            let (rule, source, title): (Identifier, String, String)
            if granted != nil {
                (rule, source, title) = ("gb-conf-extension", "POCA 2002 s.11(4)-(5): time to pay extended by the court on an in-time application",
                                         "Extended time to pay for order \(order.reference) ends; interest runs from \(interestFrom) on what is unpaid (s.12)")
            } else if order.timeToPayUntil != nil {
                (rule, source, title) = ("gb-conf-time-to-pay", "POCA 2002 s.11(2)-(3): time to pay allowed by the court",
                                         "Time to pay for order \(order.reference) ends; interest runs from \(interestFrom) on what is unpaid (s.12)")
            } else {
                (rule, source, title) = ("gb-conf-due", "POCA 2002 s.11(1): payable on the day the order is made",
                                         "Order \(order.reference) is payable; interest runs from \(interestFrom) on what is unpaid (s.12)")
            }
            // One entry whichever period applies: an extension moves the same deadline.
            entries.append(DeadlineEntry(reference: operation.reference, subject: .order(order.reference),
                                         deadline: Deadline(due: due, rule: rule, source: source, isVerified: true, title: title),
                                         key: "\(base)|time-to-pay", revision: revision, isCancelled: paidInFull))
        }
        if let applied = order.extensionAppliedOn, applied <= (order.timeToPayUntil ?? order.madeOn),
           let madeAt = endOf(order.madeOn),
           let sixMonths = try? DeadlineCalculator.end(of: 6, .months, counting: .beginningWith, from: madeAt, calendar: nil) {
            let title = "Extension application of \(applied) for order \(order.reference) undetermined: interest suspended at most until \(sixMonths.date) (s.12(3))"
            entries.append(DeadlineEntry(reference: operation.reference, subject: .order(order.reference),
                                         deadline: Deadline(due: sixMonths, rule: "gb-conf-interest-suspension",
                                                            source: "POCA 2002 s.12(3)(c): no interest while the application is undetermined and six months starting with the day of the order have not ended",
                                                            isVerified: true, title: title),
                                         key: "\(base)|extension-pending", revision: revision, isCancelled: paidInFull || order.extensionDecidedOn != nil))
        }
        return entries
    }
}
