import Foundation
import HaulCore

/// A requested status move of one item.
public struct Move: Sendable {
    public var to: State
    public var at: ZonedDateTime
    public var authority: String?

    public init(to: State, at: ZonedDateTime, authority: String? = nil) {
        self.to = to
        self.at = at
        self.authority = authority
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
/// let rule = try lifecycle.check(Move(to: .detained, at: seizedAt), history: [], seizureValue: Money(30_000, .gbp))
/// let due = try lifecycle.deadline(in: .detained, history: events, seizedOn: seizedAt.date)
/// ```
public struct Lifecycle: Sendable {
    public let pack: RulePack

    public init(pack: RulePack) { self.pack = pack }

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
    /// authority where one is required, not earlier than the last move, and (where the law sets
    /// one) meeting the minimum across the seizure. Returns the rule that allows it.
    public func check(_ move: Move, history: [StatusEvent], seizureValue: Money?) throws(ProceedingsError) -> TransitionRule {
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
        if let threshold = latestThreshold(for: move.to, on: move.at.date) {
            guard let value = seizureValue else {
                throw ProceedingsError(.belowThreshold, "\(move.to.rawValue) needs the value across the seizure to check the minimum of \(threshold.minimum.formatted) (\(threshold.source)); value the case first")
            }
            if value.currency == threshold.minimum.currency && value.amount < threshold.minimum.amount {
                throw ProceedingsError(.belowThreshold, "the seizure is worth \(value.formatted), below the minimum of \(threshold.minimum.formatted) for \(move.to.rawValue) (\(threshold.source))")
            }
        }
        return rule
    }

    func latestThreshold(for state: State, on date: CalendarDate) -> ThresholdRule? {
        pack.thresholds.filter { $0.state == state && $0.effectiveFrom <= date }.max { $0.effectiveFrom < $1.effectiveFrom }
    }

    /// The deadline of `state` for an item whose history (ending with its move into `state`) is
    /// given: the earliest end among the state's rules in force, or nil when the state has none.
    public func deadline(in state: State, history: [StatusEvent], seizedOn: CalendarDate) throws -> Deadline? {
        guard let entry = history.last(where: { $0.to == state }) else { return nil }
        var best: (due: ZonedDateTime, rule: DeadlineRule)?
        // Group the state's rules by id: each id is one rule in its dated versions.
        let byID = Dictionary(grouping: pack.deadlines.filter { $0.state == state }, by: \.id)
        for (_, versions) in byID {
            guard let anchorEvent = anchor(for: versions[0].anchor, state: state, entry: entry, history: history) else { continue }
            let selecting = versions[0].selectedBy == .seizure ? seizedOn : anchorEvent.at.date
            guard let rule = versions.filter({ $0.effectiveFrom <= selecting }).max(by: { $0.effectiveFrom < $1.effectiveFrom }) else { continue }
            let due = try DeadlineCalculator.end(of: rule.amount, rule.unit, counting: rule.counting, from: anchorEvent.at, calendar: pack.calendar)
            if best == nil || due < best!.due { best = (due, rule) }
        }
        guard let best else { return nil }
        return Deadline(due: best.due, rule: best.rule.id, source: best.rule.source, isVerified: best.rule.confidence == .verified || best.rule.confidence == .secondary)
    }

    private func anchor(for anchor: DeadlineAnchor, state: State, entry: StatusEvent, history: [StatusEvent]) -> StatusEvent? {
        switch anchor {
        case .this: return entry
        case .firstInState: return history.first { $0.to == state }
        case .first(let other): return history.first { $0.to == other }
        }
    }
}
