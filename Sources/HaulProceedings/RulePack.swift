import Foundation
import HaulCore

/// Working days for legal counting: weekends, the jurisdiction's bank holidays and Christmas Day
/// (named separately in POCA s.295) are excluded. Dates outside the shipped years are refused,
/// never guessed.
public struct WorkingCalendar: Sendable {
    /// The years the calendar covers, from its first holiday's year to its last's; a date outside them is refused.
    public let years: ClosedRange<Int>
    let holidays: Set<Int>
    /// Where the holidays come from (the bank-holiday file as displayed), named when a date is refused.
    public let source: String

    /// Makes a calendar from a jurisdiction's bank holidays.
    ///
    /// - Parameters:
    ///   - holidays: the bank holidays; their years set the years the calendar covers.
    ///   - source: where the holidays come from, for messages.
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

/// The unit a deadline's period is counted in (`unit` in `deadlines.csv`).
public enum PeriodUnit: String, CaseIterable, Sendable {
    /// Hours around the clock: N × 3600 seconds after the anchor instant.
    case hours
    /// Hours counted only on working days (weekends, bank holidays, Christmas Day excluded).
    case workingHours = "working-hours"
    /// Calendar days, months (by the corresponding date) or years, ending at the end of a day in the anchor's zone.
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

/// One state a rule pack declares, one row of its `states.csv`.
public struct StateRule: Hashable, Sendable {
    /// The state declared.
    public var state: State
    /// True for a state no move leaves.
    public var isFinal: Bool
    /// What the state means, in words (e.g. "Detained under s.295(1) for the initial 48 hours").
    public var description: String

    package init(state: State, isFinal: Bool, description: String) {
        self.state = state
        self.isFinal = isFinal
        self.description = description
    }
}

/// A move a rule pack allows, from one state (or any) to another, one row of its `transitions.csv`.
public struct TransitionRule: Hashable, Sendable {
    /// Nil for `*`: from any state that is not final.
    public var from: State?
    /// The state moved to.
    public var to: State
    /// True when the move needs the authority for it (a court order or notice reference).
    public var requiresAuthority: Bool
    /// When the move may be made against the deadline of the state it leaves.
    public var timing: MoveTiming
    /// The first day the move is allowed; a move is judged by the rules in force on its date.
    public var effectiveFrom: CalendarDate
    /// The legal source of the move, such as `POCA 2002 s.40–41`.
    public var source: String
    /// How well the source is verified (the row's confidence mark).
    public var confidence: Confidence
    /// The row's line in `transitions.csv`; allowed moves are listed in this order.
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

/// A statutory period a rule pack sets for a state, one dated row of its `deadlines.csv`.
public struct DeadlineRule: Hashable, Sendable {
    /// The rule's identifier in its pack, e.g. `gb-cash-initial-detention`; its dated versions share it.
    public var id: Identifier
    /// The state whose deadline the rule sets.
    public var state: State
    /// The length of the period, in `unit`s (a pack's table may give 1 to 100,000).
    public var amount: Int
    /// What the period is counted in.
    public var unit: PeriodUnit
    /// How the period is counted from its anchor (hours always from the instant).
    public var counting: Counting
    /// What the period is counted from.
    public var anchor: DeadlineAnchor
    /// When set, the rule applies only if the state was entered from this state (s.297E set-aside
    /// after a notice forfeiture; s.299 appeal after a forfeiture order).
    public var enteredFrom: State?
    /// What ends, in words, for calendars ("Initial detention ends"); nil when the pack gives none.
    public var title: String?
    /// Which date chooses the version of the rule in force: the anchor's or the seizure's.
    public var selectedBy: RuleSelection
    /// The first day this version of the rule applies.
    public var effectiveFrom: CalendarDate
    /// The legal source of the period, such as `POCA 2002 s.295(1)`.
    public var source: String
    /// How well the source is verified; a deadline from an unverified (or illustrative) row is marked unverified.
    public var confidence: Confidence
    /// The table the rule was read from, as displayed (e.g. `rules/GB-EAW/cash/deadlines.csv`).
    public var file: String
    /// The rule's line in `file`.
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

/// A minimum value the law sets for a move into a state, judged across all the items seized
/// together (e.g. £1,000 of cash, POCA 2002 s.294(3)), one dated row of a pack's `thresholds.csv`.
public struct ThresholdRule: Hashable, Sendable {
    /// The rule's identifier in its pack, e.g. `gb-cash-minimum`.
    public var id: Identifier
    /// The state a move into which must meet the minimum.
    public var state: State
    /// The minimum across the seizure, in the currency the law states it in.
    public var minimum: Money
    /// The first day the minimum applies; the latest in force on the move's date is used.
    public var effectiveFrom: CalendarDate
    /// The legal source of the minimum.
    public var source: String
    /// How well the source is verified.
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
    /// The pack's identifier, as events record it (e.g. `gb-eaw-cash`).
    public var id: Identifier
    /// The pack's name in words, e.g. "Civil recovery of cash (POCA 2002 Part 5 Chapter 3)".
    public var name: String
    /// The jurisdiction whose law the pack encodes.
    public var jurisdiction: Jurisdiction
    /// The regime the pack encodes, as commands name it (`cash`, `listed-assets`, `confiscation`, …).
    public var regime: String
    /// The state an item is in before its first move (e.g. `seized`).
    public var initialState: State
    /// The states the pack declares, by state.
    public var states: [State: StateRule]
    /// The moves the pack allows, every dated version, in the table's order.
    public var transitions: [TransitionRule]
    /// The statutory periods, every dated version.
    public var deadlines: [DeadlineRule]
    /// The minimum values moves must meet, every dated version; empty when the law sets none.
    public var thresholds: [ThresholdRule]
    /// The bank holidays working hours are counted against; nil when the pack names no calendar.
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

    /// Makes a pack from its parts, grouping each state's deadline rules by id (a pack admits every
    /// item kind until `kinds` is set).
    ///
    /// - Parameters:
    ///   - id: the pack's identifier, as events record it.
    ///   - name: the pack's name in words.
    ///   - jurisdiction: the jurisdiction whose law it encodes.
    ///   - regime: the regime, as commands name it.
    ///   - initialState: the state an item is in before its first move.
    ///   - states: the states declared, by state.
    ///   - transitions: the moves allowed.
    ///   - deadlines: the statutory periods.
    ///   - thresholds: the minimum values moves must meet.
    ///   - calendar: the bank holidays for working hours, or nil.
    ///   - folder: the pack's folder as displayed, e.g. `rules/GB-EAW/cash`.
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
