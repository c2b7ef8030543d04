import Foundation
import HaulCore

/// A requested status move of one item.
public struct Move: Sendable {
    /// The state the item moves to.
    public var to: State
    /// When the move happened, with its zone; it may not be earlier than the item's last move.
    public var at: ZonedDateTime
    /// The court order or notice reference the move rests on; required where the pack's
    /// transition says so, nil otherwise.
    public var authority: String?
    /// Why the move is made after the deadline it had to meet; required for such a move, refused
    /// for a move in time.
    public var late: String?

    /// Makes a move to be checked.
    ///
    /// - Parameters:
    ///   - to: the state the item moves to.
    ///   - at: when the move happened.
    ///   - authority: the court order or notice reference, where the move needs one.
    ///   - late: why the move is late, for a move after its deadline.
    public init(to: State, at: ZonedDateTime, authority: String? = nil, late: String? = nil) {
        self.to = to
        self.at = at
        self.authority = authority
        self.late = late
    }
}

/// Judges status moves and computes deadlines for one item under a rule pack.
///
/// The item's history is the list of events that name it, oldest first; its state is the last
/// event's `to` (the pack's initial state before any). Transitions, deadlines and thresholds
/// are each taken in the version in force on their date.
///
/// ```swift
/// let lifecycle = Lifecycle(pack: cashPack)
/// let rule = try lifecycle.check(Move(to: .detained, at: seizedAt), history: [], seizedAt: seizedAt, seizureValue: Money(30_000, .gbp))
/// let due = try lifecycle.deadline(in: .detained, history: events, seizedAt: seizedAt)
/// ```
public struct Lifecycle: Sendable {
    /// The rule pack moves and deadlines are judged by.
    public let pack: RulePack

    /// Makes a lifecycle judged by one rule pack.
    ///
    /// - Parameter pack: the item's rule pack (its regime).
    public init(pack: RulePack) { self.pack = pack }

    /// The item's state after its moves: the last event's `to`, or the pack's initial state when it has none.
    ///
    /// - Parameter history: the events in force naming the item, oldest first.
    /// - Returns: The state the item is in.
    public func state(after history: [StatusEvent]) -> State { history.last?.to ?? pack.initialState }

    /// The moves the pack allows from `state` on `date`.
    public func allowedMoves(from state: State, on date: CalendarDate) -> [TransitionRule] {
        guard pack.states[state]?.isFinal != true else { return [] }
        var seen: Set<State> = []
        return pack.transitions
            .filter { ($0.from == state || $0.from == nil) && $0.effectiveFrom <= date }
            .sorted { $0.line < $1.line }
            .filter { seen.insert($0.to).inserted }
    }

    /// Checks a move against the pack: allowed from the current state on its date, carrying an
    /// authority where one is required, not earlier than the last move, in time for the deadline
    /// of the state it leaves (or with the reason it is late) and not before a period it must
    /// wait for has run, and (where the law sets one) meeting the minimum across the seizure.
    /// Returns the rule that allows it.
    public func check(_ move: Move, history: [StatusEvent], seizedAt: ZonedDateTime, seizureValue: Money?) throws(ProceedingsError) -> TransitionRule {
        let current = state(after: history)
        if let last = history.last, move.at < last.at {
            throw ProceedingsError(.invalidMove, "the move is dated \(move.at.iso8601), before the item's last move (\(last.at.iso8601)); record moves in order, or correct the earlier one")
        }
        let allowed = allowedMoves(from: current, on: move.at.date)
        guard let rule = allowed.first(where: { $0.to == move.to }) else {
            let options = allowed.map(\.to.rawValue).joined(separator: ", ")
            throw ProceedingsError(.illegalMove, "\(pack.name) does not allow \(current.rawValue) → \(move.to.rawValue) on \(move.at.date); allowed from \(current.rawValue): \(options.isEmpty ? "none (a final state)" : options)")
        }
        if rule.requiresAuthority && (move.authority ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ProceedingsError(.authorityRequired, "\(current.rawValue) → \(move.to.rawValue) needs the authority for it (\(rule.source)); give the court order or notice reference with --authority")
        }
        let missed = try missedDeadline(move, rule: rule, from: current, history: history, seizedAt: seizedAt)
        let reason = (move.late ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if let missed, reason.isEmpty {
            throw ProceedingsError(.late, "\(current.rawValue) → \(move.to.rawValue) at \(move.at.iso8601) is late: the period ran out at \(missed.due.iso8601) (\(missed.rule), \(missed.source)); if it was made late, record it with --late REASON")
        }
        if missed == nil && move.late != nil {
            throw ProceedingsError(.invalidMove, "--late was given, but \(current.rawValue) → \(move.to.rawValue) at \(move.at.iso8601) is within its period; leave --late out")
        }
        if let threshold = latestThreshold(for: move.to, on: move.at.date) {
            guard let value = seizureValue else {
                throw ProceedingsError(.belowThreshold, "\(move.to.rawValue) needs the value across the seizure to check the minimum of \(threshold.minimum.formatted) (\(threshold.source)); value the case first")
            }
            guard value.currency == threshold.minimum.currency else {
                throw ProceedingsError(.belowThreshold, "the seizure's value is in \(value.currency), the minimum of \(threshold.minimum.formatted) in \(threshold.minimum.currency) (\(threshold.source)); value the items in \(threshold.minimum.currency)")
            }
            if value.amount < threshold.minimum.amount {
                throw ProceedingsError(.belowThreshold, "the seizure is worth \(value.formatted), below the minimum of \(threshold.minimum.formatted) for \(move.to.rawValue) (\(threshold.source))")
            }
        }
        return rule
    }

    /// The deadline `move` would miss (nil when it is in time, has none to meet or is not allowed at all).
    public func lateness(of move: Move, history: [StatusEvent], seizedAt: ZonedDateTime) throws(ProceedingsError) -> Deadline? {
        let current = state(after: history)
        guard let rule = allowedMoves(from: current, on: move.at.date).first(where: { $0.to == move.to }), rule.timing == .within else { return nil }
        return try missedDeadline(move, rule: rule, from: current, history: history, seizedAt: seizedAt)
    }

    /// The deadline a move made under `rule` missed (nil when it is in time or has none to meet);
    /// throws when the move must wait for the period to run.
    private func missedDeadline(_ move: Move, rule: TransitionRule, from current: State, history: [StatusEvent],
                                seizedAt: ZonedDateTime) throws(ProceedingsError) -> Deadline? {
        guard rule.timing != .any else { return nil }
        let running: Deadline?
        do { running = try deadline(in: current, history: history, seizedAt: seizedAt) } catch let error as ProceedingsError {
            throw error
        } catch {
            throw ProceedingsError(.invalidMove, "the deadline of \(current.rawValue) cannot be worked out: \(error: error)")
        }
        guard let running else { return nil }
        switch rule.timing {
        case .any: return nil
        case .within: return move.at > running.due ? running : nil
        case .after:
            if move.at <= running.due {
                throw ProceedingsError(.tooEarly, "\(current.rawValue) → \(move.to.rawValue) is allowed only once the period has run: it ends \(running.due.iso8601) (\(running.rule), \(running.source)); nothing recorded")
            }
            return nil
        }
    }

    /// The minimum across the seizure that a move into `state` on `date` must meet, if the law sets one.
    public func minimum(for state: State, on date: CalendarDate) -> Money? { latestThreshold(for: state, on: date)?.minimum }

    func latestThreshold(for state: State, on date: CalendarDate) -> ThresholdRule? {
        pack.thresholds.filter { $0.state == state && $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The deadline of `state` for an item whose history (ending with its move into `state`, or
    /// empty for an item still in the pack's initial state) is given: the earliest end among the
    /// state's rules in force, or nil when the state has none.
    public func deadline(in state: State, history: [StatusEvent], seizedAt: ZonedDateTime) throws -> Deadline? {
        let entryIndex = history.lastIndex(where: { $0.to == state })
        guard entryIndex != nil || (history.isEmpty && state == pack.initialState) else { return nil }
        let entry = entryIndex.map { history[$0] }
        // The state the item came from, as its history in force works it out (an event's own
        // `from` is as recorded, and a correction of the move before can change it).
        let cameFrom = entryIndex.map { $0 > 0 ? history[$0 - 1].to : pack.initialState }
        var best: (due: ZonedDateTime, rule: DeadlineRule)?
        for versions in pack.deadlineVersions[state] ?? [] {
            if let required = versions[0].enteredFrom, cameFrom != required { continue }
            guard let found = try end(of: versions, entry: entry, history: history, seizedAt: seizedAt, depth: 0) else { continue }
            if best == nil || found.due < best!.due || (found.due == best!.due && found.rule.id.value < best!.rule.id.value) { best = found }
        }
        guard let best else { return nil }
        return Deadline(due: best.due, rule: best.rule.id, source: best.rule.source, isVerified: best.rule.confidence == .verified || best.rule.confidence == .secondary,
                        title: best.rule.title)
    }

    /// When one rule's period ends (with the version in force), or nil when its anchor has not happened.
    private func end(of versions: [DeadlineRule], entry: StatusEvent?, history: [StatusEvent], seizedAt: ZonedDateTime,
                     depth: Int) throws -> (due: ZonedDateTime, rule: DeadlineRule)? {
        let state = versions[0].state
        let anchorTime: ZonedDateTime
        switch versions[0].anchor {
        case .this:
            guard let entry else { return nil }
            anchorTime = entry.at
        case .firstInState:
            guard let first = history.first(where: { $0.to == state }) else { return nil }
            anchorTime = first.at
        case .first(let other):
            guard let first = history.first(where: { $0.to == other }) else { return nil }
            anchorTime = first.at
        case .last(let other):
            guard let latest = history.last(where: { $0.to == other }) else { return nil }
            anchorTime = latest.at
        case .seizure:
            anchorTime = seizedAt
        case .endOf(let other):
            let otherVersions = pack.deadlines.filter { $0.id == other }
            guard !otherVersions.isEmpty, depth < pack.deadlines.count else {
                throw ProceedingsError(.noRulePack, "\(pack.folder): \(versions[0].id) counts from the end of \(other), which cannot be resolved")
            }
            let otherEntry = history.last(where: { $0.to == otherVersions[0].state })
            guard let ended = try end(of: otherVersions, entry: otherEntry, history: history, seizedAt: seizedAt, depth: depth + 1) else { return nil }
            anchorTime = ended.due
        }
        let selecting = versions[0].selectedBy == .seizure ? seizedAt.date : anchorTime.date
        guard let rule = versions.filter({ $0.effectiveFrom <= selecting }).max(by: { $0.effectiveFrom < $1.effectiveFrom }) else { return nil }
        let due = try DeadlineCalculator.end(of: rule.amount, rule.unit, counting: rule.counting, from: anchorTime, calendar: pack.calendar)
        return (due, rule)
    }
}
