import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulStore

struct Due: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the deadlines that fall due, soonest first (overdue ones first of all).",
        discussion: "Each line names the case, the item, its state, the rule and its source; unverified periods say so."
    )

    @Option(help: "How far ahead to look: 14d, 2w, 3m (default 14d).") var within: String = "14d"
    @Option(help: "Count from this date (YYYY-MM-DD; default today).") var on: String?
    @Option(name: .customLong("case"), help: "Only this case.") var reference: String?
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Also write the deadlines as an iCalendar file (RFC 5545) for Outlook and other calendars.") var ics: String?
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        guard DueReport.days(within) != nil else { throw ValidationError("--within '\(within)' is not a period such as 14d, 2w or 3m.") }
        if let on, (try? CalendarDate(parsing: on)) == nil { throw ValidationError("--on '\(on)' is not a date (YYYY-MM-DD).") }
    }

    func run() throws {
        let store = try register.openExisting()
        let today = try on.map { try CalendarDate(parsing: $0) } ?? DueReport.today()
        let horizon = today.dayNumber + DueReport.days(within)!
        let references = try attempt { try reference.map { [try Identifier($0)] } ?? store.list().map(\.reference) }
        var entries: [(case: Identifier, standing: ItemStanding, deadline: Deadline)] = []
        var problems: [String] = []
        for reference in references {
            let operation = try attempt { try store.loadState(reference) }
            for standing in CaseStanding.of(operation, rules: try Rules.book(operation.jurisdiction)) {
                if let deadline = standing.deadline, deadline.due.date.dayNumber <= horizon { entries.append((reference, standing, deadline)) }
                if let problem = standing.problem { problems.append("\(reference)/\(standing.item.id): \(problem)") }
            }
        }
        entries.sort { $0.deadline.due < $1.deadline.due }
        if let ics {
            let text = CalendarExport.calendar(entries.map { CalendarExport.Entry(reference: $0.case, standing: $0.standing, deadline: $0.deadline) },
                                               stamp: Int(Date().timeIntervalSince1970))
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: ics), options: .atomic) } catch {
                Output.error("haul: cannot write \(ics): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            if !json { print("Calendar: \(entries.count) deadline\(entries.count == 1 ? "" : "s") written to \(ics)") }
        }
        if json {
            print(Output.json(entries.map { entry -> [String: Any] in
                var value = StandingReport.json(entry.standing)
                value["case"] = entry.case.value
                value["overdue"] = entry.deadline.due.date < today
                return value
            }))
            return
        }
        print("Deadlines up to \(try CalendarDate(dayNumber: horizon)) (from \(today)), soonest first")
        if entries.isEmpty { print("  none") }
        for entry in entries {
            let flag = entry.deadline.due.date < today ? "OVERDUE " : ""
            print("  \(flag)\(DueReport.when(entry.deadline.due))  \(entry.case)/\(entry.standing.item.id) (\(entry.standing.item.exhibit))  \(entry.standing.state?.rawValue ?? "")")
            print("      \(entry.deadline.rule): \(entry.deadline.source)\(entry.deadline.isVerified ? "" : " [unverified]")")
            DueReport.lateLines(entry.standing, indent: "      ").forEach { print($0) }
        }
        problems.forEach { print("  ! \($0)") }
    }
}

enum DueReport {
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
    static func days(_ text: String) -> Int? {
        guard let unit = text.last, let number = Int(text.dropLast()), number >= 0 else { return nil }
        switch unit {
        case "d": return number
        case "w": return number * 7
        case "m": return number * 31
        default: return nil
        }
    }

    /// Today in London (the register's legal days), from the system clock.
    static func today() throws -> CalendarDate {
        try ZonedDateTime(epochSeconds: Int(Date().timeIntervalSince1970), zone: "Europe/London").date
    }
}
