import Foundation
import HaulCore

/// Working days for legal counting: weekends, the jurisdiction's bank holidays and Christmas Day
/// (named separately in POCA s.295) are excluded. Dates outside the shipped years are refused,
/// never guessed.
public struct WorkingCalendar: Sendable {
    public let years: ClosedRange<Int>
    let holidays: Set<Int>
    public let source: String

    public init(holidays: [CalendarDate], source: String) {
        self.holidays = Set(holidays.map(\.dayNumber))
        let years = holidays.map(\.year)
        self.years = (years.min() ?? 0)...(years.max() ?? 0)
        self.source = source
    }

    /// True for a day that counts: not a Saturday, Sunday, bank holiday or 25 December.
    public func isWorkingDay(_ date: CalendarDate) throws(ProceedingsError) -> Bool {
        guard years.contains(date.year) else {
            throw ProceedingsError(.outsideCalendar, "\(date) is outside the bank-holiday calendar (\(years.lowerBound)–\(years.upperBound), \(source)); add that year's holidays before counting working days in it")
        }
        let weekday = (date.dayNumber + 4) % 7  // 1970-01-01 was a Thursday; 0 = Sunday
        let normalised = weekday < 0 ? weekday + 7 : weekday
        if normalised == 0 || normalised == 6 { return false }
        if date.month == 12 && date.day == 25 { return false }
        return !holidays.contains(date.dayNumber)
    }
}

/// How a period is counted from its anchor.
public enum Counting: String, CaseIterable, Sendable {
    /// "A period of N days/months beginning with D": D is the first day.
    case beginningWith = "beginning-with"
    /// "N days after D": D is not counted.
    case after
    /// "N days starting with the day after D" (POCA s.297B's objection period, PCA 2009
    /// Explanatory Notes para 332): D + 1 is day one, so the period ends with D + N — the same
    /// day as "after", named as the statute words it.
    case startingDayAfter = "starting-day-after"
    /// Hours from the anchor instant.
    case fromInstant = "from-instant"
}

public enum PeriodUnit: String, CaseIterable, Sendable {
    case hours
    /// Hours counted only on working days (weekends, bank holidays, Christmas Day excluded).
    case workingHours = "working-hours"
    case days, months, years
}

/// What a deadline is counted from.
public enum DeadlineAnchor: Hashable, Sendable {
    /// The move into the state.
    case this
    /// The item's first move into the same state (a cap over renewals).
    case firstInState
    /// The item's first move into another state.
    case first(State)
    /// The item's latest move into another state (the detention order still running).
    case last(State)
    /// The seizure itself (s.295(1): cash "may be detained initially for 48 hours" from its
    /// seizure, whenever the detention is recorded; 18 U.S.C. 983(a)(1)(A): 60 days after seizure).
    case seizure
    /// The end of another of the pack's periods, by its id (s.297E: "30 days starting with the
    /// day on which the period for objecting ended"); that day is the anchor's date.
    case endOf(Identifier)
}

/// When a move may be made, judged against the deadline of the state it leaves.
public enum MoveTiming: String, CaseIterable, Sendable {
    /// At any time (a release, say).
    case any
    /// By the deadline: a later move is refused unless its lateness is recorded (`--late REASON`).
    case within
    /// Only once the period has run (forfeiture after the objection period, finality after the
    /// appeal window).
    case after
}

/// Which date chooses the version of a rule in force.
public enum RuleSelection: String, CaseIterable, Sendable {
    /// The date the period runs from.
    case anchor
    /// The date of the seizure.
    case seizure
}

public struct StateRule: Hashable, Sendable {
    public var state: State
    public var isFinal: Bool
    public var description: String

    package init(state: State, isFinal: Bool, description: String) {
        self.state = state
        self.isFinal = isFinal
        self.description = description
    }
}

public struct TransitionRule: Hashable, Sendable {
    /// Nil for `*`: from any state that is not final.
    public var from: State?
    public var to: State
    public var requiresAuthority: Bool
    /// When the move may be made against the deadline of the state it leaves.
    public var timing: MoveTiming
    public var effectiveFrom: CalendarDate
    public var source: String
    public var confidence: Confidence
    public var line: Int

    package init(from: State? = nil, to: State, requiresAuthority: Bool, timing: MoveTiming, effectiveFrom: CalendarDate, source: String, confidence: Confidence, line: Int) {
        self.from = from
        self.to = to
        self.requiresAuthority = requiresAuthority
        self.timing = timing
        self.effectiveFrom = effectiveFrom
        self.source = source
        self.confidence = confidence
        self.line = line
    }
}

public struct DeadlineRule: Hashable, Sendable {
    public var id: Identifier
    public var state: State
    public var amount: Int
    public var unit: PeriodUnit
    public var counting: Counting
    public var anchor: DeadlineAnchor
    /// When set, the rule applies only if the state was entered from this state (s.297E set-aside
    /// after a notice forfeiture; s.299 appeal after a forfeiture order).
    public var enteredFrom: State?
    /// What ends, in words, for calendars ("Initial detention ends"); nil when the pack gives none.
    public var title: String?
    public var selectedBy: RuleSelection
    public var effectiveFrom: CalendarDate
    public var source: String
    public var confidence: Confidence
    public var file: String
    public var line: Int

    /// "48 working hours", "6 months".
    public var period: String { "\(amount) \(unit.rawValue)" }

    package init(id: Identifier, state: State, amount: Int, unit: PeriodUnit, counting: Counting, anchor: DeadlineAnchor, enteredFrom: State? = nil, title: String? = nil, selectedBy: RuleSelection, effectiveFrom: CalendarDate, source: String, confidence: Confidence, file: String, line: Int) {
        self.id = id
        self.state = state
        self.amount = amount
        self.unit = unit
        self.counting = counting
        self.anchor = anchor
        self.enteredFrom = enteredFrom
        self.title = title
        self.selectedBy = selectedBy
        self.effectiveFrom = effectiveFrom
        self.source = source
        self.confidence = confidence
        self.file = file
        self.line = line
    }
}

public struct ThresholdRule: Hashable, Sendable {
    public var id: Identifier
    public var state: State
    public var minimum: Money
    public var effectiveFrom: CalendarDate
    public var source: String
    public var confidence: Confidence

    package init(id: Identifier, state: State, minimum: Money, effectiveFrom: CalendarDate, source: String, confidence: Confidence) {
        self.id = id
        self.state = state
        self.minimum = minimum
        self.effectiveFrom = effectiveFrom
        self.source = source
        self.confidence = confidence
    }
}

/// A dated rule pack: one regime's states, allowed moves, time limits and thresholds.
public struct RulePack: Sendable {
    public var id: Identifier
    public var name: String
    public var jurisdiction: Jurisdiction
    public var regime: String
    public var initialState: State
    public var states: [State: StateRule]
    public var transitions: [TransitionRule]
    public var deadlines: [DeadlineRule]
    public var thresholds: [ThresholdRule]
    public var calendar: WorkingCalendar?
    /// The folder as displayed, e.g. `rules/GB-EAW/cash`.
    public var folder: String
    /// The kinds of item the regime applies to (`kinds` in pack.csv; every kind when not stated):
    /// cash under Part 5 Chapter 3 is only what s.289(6) calls cash, listed assets only what
    /// s.303B lists.
    public var kinds: Set<ItemKind> = Set(ItemKind.allCases)
    /// Where the law says which kinds the regime admits (`kinds_source`).
    public var kindsSource: String?

    /// Whether the regime applies to an item of `kind`.
    public func admits(_ kind: ItemKind) -> Bool { kinds.contains(kind) }
    /// Each state's deadline rules, one entry per rule id holding its dated versions (worked out
    /// once: an item's deadline is looked up for every item of a case).
    public let deadlineVersions: [State: [[DeadlineRule]]]

    public init(id: Identifier, name: String, jurisdiction: Jurisdiction, regime: String, initialState: State, states: [State: StateRule],
                transitions: [TransitionRule], deadlines: [DeadlineRule], thresholds: [ThresholdRule], calendar: WorkingCalendar?, folder: String) {
        self.id = id
        self.name = name
        self.jurisdiction = jurisdiction
        self.regime = regime
        self.initialState = initialState
        self.states = states
        self.transitions = transitions
        self.deadlines = deadlines
        self.thresholds = thresholds
        self.calendar = calendar
        self.folder = folder
        var groups: [State: [[DeadlineRule]]] = [:]
        for (state, rules) in Dictionary(grouping: deadlines, by: \.state) {
            // By id, in the order of first appearance, so ties between rules break the same way every time.
            var order: [Identifier] = []
            var byID: [Identifier: [DeadlineRule]] = [:]
            for rule in rules {
                if byID[rule.id] == nil { order.append(rule.id) }
                byID[rule.id, default: []].append(rule)
            }
            groups[state] = order.map { byID[$0]! }
        }
        deadlineVersions = groups
    }
}
