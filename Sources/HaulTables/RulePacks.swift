import Foundation
import HaulCore
import HaulData
import HaulProceedings

extension RuleBook {
    /// Loads the shipped packs of `jurisdiction` (`rules/<JURISDICTION>/*/`). Every problem in
    /// every file is returned, as `file:line:column: message`.
    public static func shipped(_ jurisdiction: Jurisdiction) -> (RuleBook, [TableProblem]) {
        load(folder: HaulData.rulesDirectory.appendingPathComponent(jurisdiction.rawValue), displayName: "rules/\(jurisdiction.rawValue)", jurisdiction: jurisdiction)
    }

    /// Loads a jurisdiction's rule packs from `folder`: the working-calendar `.csv` files at its top, then each subfolder as a pack, keyed by its regime. Every problem in every file is returned, as `file:line:column: message`.
    ///
    /// - Parameters:
    ///   - folder: The jurisdiction's rules folder.
    ///   - displayName: The name files are reported under, such as `rules/GB-EAW`.
    ///   - jurisdiction: The jurisdiction the rule book is for.
    /// - Returns: The rule book of the packs that loaded, and every problem found.
    public static func load(folder: URL, displayName: String, jurisdiction: Jurisdiction) -> (RuleBook, [TableProblem]) {
        var problems: [TableProblem] = []
        var calendars: [String: WorkingCalendar] = [:]
        var packs: [String: RulePack] = [:]
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for name in entries where name.hasSuffix(".csv") {
            let (calendar, found) = RulePackLoader.loadCalendar(file: folder.appendingPathComponent(name), displayName: "\(displayName)/\(name)")
            problems += found
            if let calendar { calendars[name] = calendar }
        }
        for name in entries {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let (pack, found) = RulePackLoader.load(folder: folder.appendingPathComponent(name), displayName: "\(displayName)/\(name)") { calendars[$0] }
            problems += found
            if let pack { packs[pack.regime] = pack }
        }
        return (RuleBook(jurisdiction: jurisdiction, packs: packs), problems)
    }
}

extension ConfiscationRules {
    /// The shipped tables in `rules/GB-EAW/confiscation/`.
    public static func shipped() -> (ConfiscationRules, [TableProblem]) {
        load(folder: HaulData.rulesDirectory.appendingPathComponent("GB-EAW/confiscation"), displayName: "rules/GB-EAW/confiscation")
    }

    /// Loads confiscation tables from `folder`: `interest.csv`, `default-terms.csv` and `distribution.csv`, checking that each scheme's distribution shares add up to 100 %. Every problem is returned, as `file:line:column: message`.
    ///
    /// - Parameters:
    ///   - folder: The folder holding the three tables.
    ///   - displayName: The name files are reported under, such as `rules/GB-EAW/confiscation`.
    /// - Returns: The rows that read cleanly, and every problem found (a missing file included).
    public static func load(folder: URL, displayName: String) -> (ConfiscationRules, [TableProblem]) {
        var problems: [TableProblem] = []
        var rules = ConfiscationRules(interest: [], defaultTerms: [], distribution: [])
        func table(_ name: String, _ columns: [String], _ row: (CSVFields) -> Void) {
            let display = "\(displayName)/\(name)"
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path), let text = String(data: data, encoding: .utf8) else {
                problems.append(TableProblem(file: display, line: 0, column: 0, message: "missing"))
                return
            }
            do {
                let records = try CSVReader.parse(text)
                guard let header = records.first else { return }
                switch CSVFields.header(header, file: display, fileName: name, required: columns) {
                case .failure(let failure): problems += failure.problems
                case .success(let fields):
                    for record in records.dropFirst() {
                        fields.start(record)
                        row(fields)
                    }
                    problems += fields.problems
                }
            } catch {
                problems.append(TableProblem(file: display, line: error.line, column: error.column, message: error.message))
            }
        }
        table("interest.csv", ["rate_percent", "effective_from", "source", "confidence"]) { fields in
            guard let rate = fields.decimal("rate_percent"), let date = fields.date("effective_from"), let source = fields.text("source"),
                  fields.confidenceMark("confidence") != nil else { return }
            rules.interest.append(InterestRate(percent: rate, effectiveFrom: date, source: source))
        }
        table("default-terms.csv", ["up_to", "term", "effective_from", "source", "confidence"]) { fields in
            let upTo = fields.raw("up_to").isEmpty ? nil : fields.decimal("up_to")
            guard fields.raw("up_to").isEmpty || upTo != nil, let date = fields.date("effective_from"), let source = fields.text("source"),
                  fields.confidenceMark("confidence") != nil else { return }
            do {
                rules.defaultTerms.append(DefaultTermBand(upTo: upTo, term: try TermLength(iso8601: fields.raw("term")), effectiveFrom: date, source: source))
            } catch { fields.report("term", (error as? HaulCoreError)?.message ?? "\(error)") }
        }
        table("distribution.csv", ["scheme", "recipient", "percent", "effective_from", "source", "confidence"]) { fields in
            guard let scheme = fields.text("scheme"), let recipient = fields.text("recipient"), let percent = fields.decimal("percent"),
                  let date = fields.date("effective_from"), let source = fields.text("source"), let confidence = fields.confidenceMark("confidence") else { return }
            rules.distribution.append(Share(scheme: scheme, recipient: recipient, percent: percent, effectiveFrom: date, source: source, confidence: confidence))
        }
        for scheme in Set(rules.distribution.map(\.scheme)) {
            let total = rules.distribution.filter { $0.scheme == scheme }.reduce(FixedDecimal(0)) { $0 + $1.percent }
            if total != 100 {
                problems.append(TableProblem(file: "\(displayName)/distribution.csv", line: 0, column: 0, message: "the \(scheme) shares add up to \(DecimalText.plain(total)) %, not 100 %"))
            }
        }
        return (rules, problems)
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
                    // Exported with each deadline it sets: a case file carries it as ShortText.
                    do { try SchemaBounds.shortText.check(source, "the source") } catch {
                        fields.report("source", "\(error.message), as a case file carries it with each deadline this rule sets")
                        continue
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
