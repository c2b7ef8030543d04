import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulStore
import HaulXML

struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "List the deadlines that fall due, soonest first (overdue ones first of all).",
        discussion: "Each line names the case, the item, its state, the rule and its source; unverified periods say so."
    )

    @Option(help: "How far ahead to look: days, weeks, calendar months or years, such as 14d, 2w, 3m or 1y.") var within: String = "14d"
    @Option(help: "Count from this date (YYYY-MM-DD; default today).") var on: String?
    @Argument(help: "Only this case (every case when left out).", completion: Completions.cases) var caseReference: String?
    /// The earlier spelling, kept for scripts: the case is positional, as in every other command.
    @Option(name: .customLong("case"), help: .hidden) var caseOption: String?
    var reference: String? { caseReference ?? caseOption }
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Also write the deadlines as an iCalendar file (RFC 5545) for Outlook and other calendars (- for standard output).", completion: .file(extensions: ["ics"])) var ics: String?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if let caseReference, let caseOption, caseReference != caseOption { throw ValidationError("Name the case once: haul due \(caseReference).") }
        let start: CalendarDate
        do { start = try on.map { try CalendarDate(parsing: $0) } ?? DueReport.today() } catch { throw ValidationError("--on: \((error as? HaulCoreError)?.message ?? "\(error)")") }
        guard DueReport.horizon(within, from: start) != nil else {
            throw ValidationError("--within '\(within)' is not a period such as 14d, 2w, 3m or 1y (at most 100 years).")
        }
    }

    func run() throws {
        let store = try register.openExisting()
        let today = try on.map { try CalendarDate(parsing: $0) } ?? DueReport.today()
        let horizon = DueReport.horizon(within, from: today)!.dayNumber
        let only = try reference.map { text in try attempt { try Identifier(text) } }
        // One case: its own line, not the whole register's list.
        let listings = try attempt { try only.map { try store.listing(of: $0).map { [$0] } ?? [] } ?? store.list() }
        if let only, listings.isEmpty {
            _ = try attempt { try store.loadState(only, scope: .skeleton) }  // names the missing case
        }
        var entries: [DeadlineEntry] = []
        var problems: [String] = []
        for listing in listings where only == nil || listing.reference == only {
            let operation = try attempt { try store.loadState(listing.reference) }
            let rules = try Rules.book(operation.jurisdiction)
            let standings = CaseStanding.of(operation, rules: rules)
            // Deadlines that no longer run are only wanted in the calendar (as cancellations).
            let found = CaseDeadlines.items(of: operation, standings: standings, rules: rules, includingEnded: ics != nil)
                + CaseDeadlines.order(of: operation, asOf: today, revision: listing.events)
            entries += found.filter { $0.deadline.due.date.dayNumber <= horizon }
            problems += standings.compactMap { standing in standing.problem.map { "\(listing.reference)/\(standing.item.id): \($0)" } }
        }
        entries.sort { ($0.deadline.due, $0.key) < ($1.deadline.due, $1.key) }
        let running = entries.filter { !$0.isCancelled }
        if let ics {
            let text = CalendarExport.calendar(entries, stamp: Int(Date().timeIntervalSince1970))
            let target = outputOptions.target(ics)
            do {
                // By the one output rule: written privately, then moved (or copied) into place.
                let temporary = try Publishing.temporaryURL(beside: target)
                defer { Publishing.discard(temporary) }
                do { try Data(text.utf8).write(to: temporary) } catch { throw HaulXMLError(.io, "cannot write the calendar: \(error.localizedDescription)") }
                try Publishing.publish(temporary, as: target, what: "the calendar")
            } catch {
                Output.error("haul: \(Output.describe(error))")
                throw ExitCode(1)
            }
            if ics == "-" { return }
            let ended = entries.count - running.count
            if !json {
                print("Calendar: \(running.count) deadline\(running.count == 1 ? "" : "s")\(ended > 0 ? " and \(ended) no longer running" : "") written to \(ics)")
            }
        }
        if json {
            print(Output.json(running.map { entry -> [String: Any] in
                var value: [String: Any]
                if let standing = entry.standing {
                    value = StandingReport.json(standing)
                } else {
                    value = ["order": entry.subjectText,
                             "deadline": ["due": entry.deadline.due.iso8601, "rule": entry.deadline.rule.value, "source": entry.deadline.source,
                                          "verified": entry.deadline.isVerified] as [String: Any]]
                }
                value["case"] = entry.reference.value
                value["what"] = entry.deadline.title ?? entry.deadline.rule.value
                value["overdue"] = entry.isOverdue(on: today)
                DueReport.addEnded(entry, on: today, to: &value)
                return value
            }))
            return
        }
        print("Deadlines up to \(try CalendarDate(dayNumber: horizon)) (from \(today)), soonest first")
        if running.isEmpty { print("  none") }
        for entry in running {
            let flag = entry.isOverdue(on: today) ? Output.highlight("OVERDUE", .alarm) + " " : DueReport.endedFlag(entry, on: today)
            if let standing = entry.standing {
                print("  \(flag)\(DueReport.when(entry.deadline.due))  \(entry.reference)/\(standing.item.id) (\(standing.item.exhibit))  \(standing.state?.rawValue ?? "")")
            } else {
                print("  \(flag)\(DueReport.when(entry.deadline.due))  \(entry.reference) \(entry.subjectText)")
                if let title = entry.deadline.title { print("      \(title)") }
            }
            print("      \(entry.deadline.rule): \(entry.deadline.source)\(entry.deadline.isVerified ? "" : " [unverified]")")
            let opened = entry.movesOpened(on: today)
            if !opened.isEmpty { print("      the period has run: it may now move to \(opened.map(\.rawValue).joined(separator: " or "))") }
            if let standing = entry.standing { DueReport.lateLines(standing, indent: "      ").forEach { print($0) } }
        }
        problems.forEach { print("  " + Output.highlight("! \($0)", .warning)) }
    }
}

enum DueReport {
    /// "ENDED   " (as wide as "OVERDUE ") for a deadline past that was a period to wait out, else "".
    static func endedFlag(_ entry: DeadlineEntry, on today: CalendarDate) -> String {
        entry.deadline.due.date < today && !entry.isOverdue(on: today) ? "ENDED   " : ""
    }

    /// A period waited out that has run, for JSON: `ended` and the moves it opened.
    static func addEnded(_ entry: DeadlineEntry, on today: CalendarDate, to value: inout [String: Any]) {
        let opened = entry.movesOpened(on: today)
        guard !opened.isEmpty else { return }
        value["ended"] = true
        value["mayNowMoveTo"] = opened.map(\.rawValue)
    }

    /// "2020-06-23 18:00 (+01:00)".
    static func when(_ time: ZonedDateTime) -> String {
        "\(time.date) \(String(format: "%02d:%02d", time.hour, time.minute))"
    }

    /// "30 h 40 min", "3 days 2 h": how long after one instant another came.
    static func interval(from start: ZonedDateTime, to end: ZonedDateTime) -> String {
        let minutes = (end.epochSeconds - start.epochSeconds) / 60
        let days = minutes / 1440, hours = minutes % 1440 / 60, rest = minutes % 60
        var parts: [String] = []
        if days > 0 { parts.append("\(days) day\(days == 1 ? "" : "s")") }
        if hours > 0 { parts.append("\(hours) h") }
        if rest > 0 || parts.isEmpty { parts.append("\(rest) min") }
        return parts.joined(separator: " ")
    }

    /// One line per late move of an item: which move, and the reason recorded with it.
    static func lateLines(_ standing: ItemStanding, indent: String) -> [String] {
        standing.lateMoves.map { "\(indent)late: event \($0.sequence) (→ \($0.to.rawValue) at \(when($0.at))) was recorded after its deadline: \($0.late ?? "")" }
    }

    /// 14d, 2w, 3m → days (months as 31 days, to look far enough).
    /// The last day `text` (`14d`, `2w`, `3m`, `1y`) reaches from `start`: months and years are
    /// calendar ones (1 May + 6m = 1 November; 31 January + 1m = 28 or 29 February); nil for
    /// anything else, or a period beyond 100 years.
    static func horizon(_ text: String, from start: CalendarDate) -> CalendarDate? {
        // Bounded before any arithmetic: 100 years is at most 36,525 of the smallest unit.
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0, number <= 36_525 else { return nil }
        switch unit {
        case "d", "w":
            let days = unit == "d" ? number : number * 7
            guard days <= 36_525 else { return nil }
            return try? CalendarDate(dayNumber: start.dayNumber + days)
        case "m", "y":
            let months = unit == "m" ? number : number * 12
            guard months <= 1_200 else { return nil }
            let index = start.year * 12 + (start.month - 1) + months
            let (year, month) = (index / 12, index % 12 + 1)
            return try? CalendarDate(year: year, month: month, day: min(start.day, CalendarDate.daysIn(month: month, year: year)))
        default:
            return nil
        }
    }

    /// Today in London (the register's legal days), from the system clock.
    static func today() throws -> CalendarDate {
        try ZonedDateTime(epochSeconds: Int(Date().timeIntervalSince1970), zone: "Europe/London").date
    }
}
