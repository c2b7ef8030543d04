import Foundation
import HaulCore

/// An error from the proceedings module: a stable code and a message that says what to do.
public struct ProceedingsError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case illegalMove = "illegal-move"
        case authorityRequired = "authority-required"
        case belowThreshold = "below-threshold"
        case outsideCalendar = "outside-calendar"
        case noRulePack = "no-rule-pack"
        case invalidMove = "invalid-move"
        /// The move comes after the deadline it had to meet and gives no reason (`--late`).
        case late
        /// The move comes before a period it must wait for has run (an objection period).
        case tooEarly = "too-early"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

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
}

public struct ThresholdRule: Hashable, Sendable {
    public var id: Identifier
    public var state: State
    public var minimum: Money
    public var effectiveFrom: CalendarDate
    public var source: String
    public var confidence: Confidence
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

/// Reads rule packs from folders of CSV files; every problem is reported as `file:line:column`.
public enum RulePackLoader {
    /// Columns a pack may leave out (packs written before they existed): `timing` defaults to
    /// `any`, `entered_from` to any state.
    static let optionalColumns: [String: [String]] = [
        "transitions.csv": ["timing"],
        "deadlines.csv": ["entered_from", "title"],
    ]

    static let layouts: [String: [String]] = [
        "pack.csv": ["key", "value"],
        "states.csv": ["state", "final", "description"],
        "transitions.csv": ["from", "to", "authority", "effective_from", "source", "confidence"],
        "deadlines.csv": ["id", "state", "amount", "unit", "counting", "anchor", "selected_by", "effective_from", "source", "confidence"],
        "thresholds.csv": ["id", "state", "minimum", "currency", "effective_from", "source", "confidence"],
    ]

    /// Loads the pack in `folder`; `calendars` resolves the pack's calendar file name.
    public static func load(folder: URL, displayName: String, calendar: (String) -> WorkingCalendar?) -> (RulePack?, [TableProblem]) {
        var problems: [TableProblem] = []
        var settings: [String: (value: String, line: Int)] = [:]
        var states: [State: StateRule] = [:]
        var transitions: [TransitionRule] = []
        var deadlines: [DeadlineRule] = []
        var thresholds: [ThresholdRule] = []
        var anchorColumn = 0
        for name in layouts.keys.sorted() {
            let display = displayName + "/" + name
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path), let text = String(data: data, encoding: .utf8) else {
                problems.append(TableProblem(file: display, line: 0, column: 0, message: "missing: a rule pack needs \(layouts.keys.sorted().joined(separator: ", "))"))
                continue
            }
            let records: [CSVRecord]
            do { records = try CSVReader.parse(text) } catch {
                problems.append(TableProblem(file: display, line: error.line, column: error.column, message: error.message))
                continue
            }
            guard let header = records.first else {
                problems.append(TableProblem(file: display, line: 1, column: 0, message: "empty; it needs a header row"))
                continue
            }
            let fields: CSVFields
            switch CSVFields.header(header, file: display, fileName: name, required: layouts[name]!, optional: optionalColumns[name] ?? []) {
            case .success(let reader): fields = reader
            case .failure(let failure): problems += failure.problems; continue
            }
            for record in records.dropFirst() {
                fields.start(record)
                guard record.fields.count == header.fields.count else {
                    fields.report(column: 0, "the row has \(record.fields.count) fields; the header has \(header.fields.count)")
                    continue
                }
                switch name {
                case "pack.csv":
                    if let key = fields.text("key") { settings[key] = (fields.raw("value"), record.line) }
                case "states.csv":
                    guard let state: State = fields.enumeration("state"), let isFinal = boolean(fields, "final") else { continue }
                    states[state] = StateRule(state: state, isFinal: isFinal, description: fields.raw("description"))
                case "transitions.csv":
                    let from: State? = fields.raw("from") == "*" ? nil : fields.enumeration("from")
                    guard fields.raw("from") == "*" || from != nil, let to: State = fields.enumeration("to"),
                          let authority = authorityFlag(fields), let date = fields.date("effective_from"),
                          let confidence = fields.confidenceMark("confidence"), let source = fields.text("source") else { continue }
                    let timing: MoveTiming
                    if fields.raw("timing").isEmpty { timing = .any } else {
                        guard let given: MoveTiming = fields.enumeration("timing") else { continue }
                        timing = given
                    }
                    transitions.append(TransitionRule(from: from, to: to, requiresAuthority: authority, timing: timing, effectiveFrom: date,
                                                      source: source, confidence: confidence, line: record.line))
                case "deadlines.csv":
                    anchorColumn = (fields.columns["anchor"] ?? -1) + 1
                    guard let id = identifier(fields, "id"), let state: State = fields.enumeration("state"),
                          let amount = fields.integer("amount", in: 1...100_000), let unit: PeriodUnit = fields.enumeration("unit"),
                          let counting: Counting = fields.enumeration("counting"), let anchor = anchor(fields),
                          let selectedBy: RuleSelection = fields.enumeration("selected_by"), let date = fields.date("effective_from"),
                          let confidence = fields.confidenceMark("confidence"), let source = fields.text("source") else { continue }
                    var enteredFrom: State?
                    if !fields.raw("entered_from").isEmpty {
                        guard let state: State = fields.enumeration("entered_from") else { continue }
                        enteredFrom = state
                    }
                    if (unit == .hours || unit == .workingHours) != (counting == .fromInstant) {
                        fields.report("counting", "hours count from-instant, and only hours do; '\(counting.rawValue)' does not fit '\(unit.rawValue)'")
                        continue
                    }
                    deadlines.append(DeadlineRule(id: id, state: state, amount: amount, unit: unit, counting: counting, anchor: anchor,
                                                  enteredFrom: enteredFrom, title: fields.text("title", required: false), selectedBy: selectedBy, effectiveFrom: date, source: source, confidence: confidence,
                                                  file: display, line: record.line))
                case "thresholds.csv":
                    guard let id = identifier(fields, "id"), let state: State = fields.enumeration("state"), let minimum = fields.decimal("minimum"),
                          let currency = fields.currency("currency"), let date = fields.date("effective_from"),
                          let confidence = fields.confidenceMark("confidence"), let source = fields.text("source") else { continue }
                    thresholds.append(ThresholdRule(id: id, state: state, minimum: Money(minimum, currency), effectiveFrom: date, source: source, confidence: confidence))
                default: break
                }
            }
            problems += fields.problems
        }
        // Cross-checks: every state a rule names must be declared.
        let packFile = displayName + "/pack.csv"
        for transition in transitions {
            for state in [transition.from, transition.to].compactMap({ $0 }) where states[state] == nil {
                problems.append(TableProblem(file: displayName + "/transitions.csv", line: transition.line, column: 0, message: "state '\(state.rawValue)' is not declared in states.csv"))
            }
        }
        for deadline in deadlines where states[deadline.state] == nil {
            problems.append(TableProblem(file: deadline.file, line: deadline.line, column: 2, message: "state: '\(deadline.state.rawValue)' is not declared in states.csv"))
        }
        let ruleIDs = Set(deadlines.map(\.id))
        for deadline in deadlines {
            if case .endOf(let other) = deadline.anchor, !ruleIDs.contains(other) || other == deadline.id {
                problems.append(TableProblem(file: deadline.file, line: deadline.line, column: anchorColumn,
                                             message: "anchor: 'end:\(other.value)' names no other deadline of this pack"))
            }
        }
        func setting(_ key: String) -> String? {
            guard let value = settings[key]?.value, !value.isEmpty else {
                problems.append(TableProblem(file: packFile, line: 0, column: 0, message: "the pack has no '\(key)' setting"))
                return nil
            }
            return value
        }
        guard let idText = setting("id"), let id = try? Identifier(idText), let name = setting("name"),
              let jurisdictionText = setting("jurisdiction"), let regime = setting("regime"), let initialText = setting("initial_state") else {
            return (nil, problems)
        }
        guard let jurisdiction = Jurisdiction(rawValue: jurisdictionText) else {
            problems.append(TableProblem(file: packFile, line: settings["jurisdiction"]?.line ?? 0, column: 2, message: "value: unknown jurisdiction '\(jurisdictionText)'"))
            return (nil, problems)
        }
        guard let initial = State(rawValue: initialText), states[initial] != nil else {
            problems.append(TableProblem(file: packFile, line: settings["initial_state"]?.line ?? 0, column: 2, message: "value: initial state '\(initialText)' is not declared in states.csv"))
            return (nil, problems)
        }
        var workingCalendar: WorkingCalendar?
        if let calendarName = settings["calendar"]?.value, !calendarName.isEmpty {
            workingCalendar = calendar(calendarName)
            if workingCalendar == nil {
                problems.append(TableProblem(file: packFile, line: settings["calendar"]?.line ?? 0, column: 2, message: "value: no calendar '\(calendarName)' beside the pack"))
            }
        } else if deadlines.contains(where: { $0.unit == .workingHours }) {
            problems.append(TableProblem(file: packFile, line: 0, column: 0, message: "working-hours deadlines need a 'calendar' setting"))
        }
        var kinds = Set(ItemKind.allCases)
        if let kindsText = settings["kinds"]?.value, !kindsText.isEmpty, kindsText != "any" {
            kinds = []
            for word in kindsText.split(separator: " ") {
                if let kind = ItemKind(rawValue: String(word)) { kinds.insert(kind) } else {
                    problems.append(TableProblem(file: packFile, line: settings["kinds"]?.line ?? 0, column: 2,
                                                 message: "value: unknown item kind '\(word)' (kinds are \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")), or any)"))
                }
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        var pack = RulePack(id: id, name: name, jurisdiction: jurisdiction, regime: regime, initialState: initial, states: states,
                            transitions: transitions, deadlines: deadlines, thresholds: thresholds, calendar: workingCalendar,
                            folder: displayName)
        pack.kinds = kinds
        pack.kindsSource = settings["kinds_source"]?.value
        return (pack, [])
    }

    /// Reads a bank-holiday file (`date,name,source,confidence`).
    public static func loadCalendar(file: URL, displayName: String) -> (WorkingCalendar?, [TableProblem]) {
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            return (nil, [TableProblem(file: displayName, line: 0, column: 0, message: "cannot be read")])
        }
        let records: [CSVRecord]
        do { records = try CSVReader.parse(text) } catch {
            return (nil, [TableProblem(file: displayName, line: error.line, column: error.column, message: error.message)])
        }
        guard let header = records.first else { return (nil, [TableProblem(file: displayName, line: 1, column: 0, message: "empty")]) }
        let fields: CSVFields
        switch CSVFields.header(header, file: displayName, fileName: "bank holidays", required: ["date", "name", "source", "confidence"]) {
        case .success(let reader): fields = reader
        case .failure(let failure): return (nil, failure.problems)
        }
        var dates: [CalendarDate] = []
        for record in records.dropFirst() {
            fields.start(record)
            if let date = fields.date("date") { dates.append(date) }
        }
        guard fields.problems.isEmpty else { return (nil, fields.problems) }
        return (WorkingCalendar(holidays: dates, source: displayName), [])
    }

    private static func boolean(_ fields: CSVFields, _ name: String) -> Bool? {
        switch fields.raw(name) {
        case "true": return true
        case "false": return false
        default: fields.report(name, "'\(fields.raw(name))' is not true or false"); return nil
        }
    }

    private static func authorityFlag(_ fields: CSVFields) -> Bool? {
        switch fields.raw("authority") {
        case "required": return true
        case "none": return false
        default: fields.report("authority", "'\(fields.raw("authority"))' is not 'required' or 'none'"); return nil
        }
    }

    private static func identifier(_ fields: CSVFields, _ name: String) -> Identifier? {
        do { return try Identifier(fields.raw(name)) } catch { fields.report(name, error.message); return nil }
    }

    private static func anchor(_ fields: CSVFields) -> DeadlineAnchor? {
        let text = fields.raw("anchor")
        switch text {
        case "this": return .this
        case "first": return .firstInState
        case "seizure": return .seizure
        default:
            if text.hasPrefix("first:"), let state = State(rawValue: String(text.dropFirst("first:".count))) { return .first(state) }
            if text.hasPrefix("last:"), let state = State(rawValue: String(text.dropFirst("last:".count))) { return .last(state) }
            if text.hasPrefix("end:"), let rule = try? Identifier(String(text.dropFirst("end:".count))) { return .endOf(rule) }
            fields.report("anchor", "'\(text)' is not this, first, first:STATE, last:STATE, seizure or end:RULE")
            return nil
        }
    }
}
