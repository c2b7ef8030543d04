import Crypto
import Foundation
import HaulCore

/// Deadlines as an iCalendar file (RFC 5545) that Outlook and other calendar programs import:
/// one event per deadline, its summary in words, the case, item, rule and source in its
/// description, and one reminder before it. Its UID identifies the deadline (case, item or order,
/// rule, the event that started it), not its instant, so importing a later file updates the same
/// entry when a correction moves the deadline; deadlines that no longer run are written as
/// cancelled, with a higher SEQUENCE, for as long as the file is regenerated with the same options.
public enum CalendarExport {
    /// `20200622T062000Z` for an instant.
    static func utc(_ epochSeconds: Int) -> String {
        let time = try! ZonedDateTime(epochSeconds: epochSeconds, zone: "UTC")
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", time.date.year, time.date.month, time.date.day, time.hour, time.minute, time.second)
    }

    /// `20200622` for a date.
    static func day(_ date: CalendarDate) -> String { String(format: "%04d%02d%02d", date.year, date.month, date.day) }

    /// TEXT escaping (RFC 5545 3.3.11).
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
            .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
    }

    /// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var result = ""
        var current = ""
        var length = 0
        for character in line {
            let size = String(character).utf8.count
            if length + size > 75 {
                result += current + "\r\n "
                current = ""
                length = 1
            }
            current.append(character)
            length += size
        }
        return result + current + "\r\n"
    }

    /// "SW-2020-0417 I-009 (HAL/SH/1): Initial 48 hours of detention end…".
    public static func summary(_ entry: DeadlineEntry) -> String {
        let what = entry.deadline.title ?? "\(entry.deadline.rule) ends"
        return "\(entry.isCancelled ? "No longer running: " : "")\(entry.reference) \(entry.subjectText): \(what)"
    }

    /// The calendar; `stamp` is the DTSTAMP (the time of export, passed in).
    public static func calendar(_ entries: [DeadlineEntry], stamp: Int) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Haul//Haul deadlines//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        for entry in entries {
            let deadline = entry.deadline
            var description = ["Case: \(entry.reference)"]
            if let standing = entry.standing {
                let item = standing.item
                description.append("Item: \(item.id), exhibit \(item.exhibit), \(item.kind.rawValue)")
                description.append("State: \(standing.state?.rawValue ?? "") since \(standing.since?.iso8601 ?? "the seizure")")
            } else {
                description.append("Subject: \(entry.subjectText)")
            }
            description += [
                "Rule: \(deadline.rule)\(deadline.isVerified ? "" : " (unverified period)")",
                "Source: \(deadline.source)",
                "Due: \(deadline.due.iso8601) (\(deadline.due.zone))",
            ]
            if entry.isCancelled { description.append("This deadline no longer runs.") }
            lines += ["BEGIN:VEVENT", "UID:\(entry.uid)", "DTSTAMP:\(utc(stamp))", "SEQUENCE:\(entry.revision)",
                      "STATUS:\(entry.isCancelled ? "CANCELLED" : "CONFIRMED")"]
            if deadline.endsAtEndOfDay {
                // A period of days, months or years runs to the end of its last day: an all-day entry on that day.
                let next = (try? CalendarDate(dayNumber: deadline.due.date.dayNumber + 1)) ?? deadline.due.date
                lines += ["DTSTART;VALUE=DATE:\(day(deadline.due.date))", "DTEND;VALUE=DATE:\(day(next))"]
            } else {
                lines += ["DTSTART:\(utc(deadline.due.epochSeconds))", "DURATION:PT15M"]
            }
            lines += [
                "SUMMARY:\(escape(summary(entry)))",
                "DESCRIPTION:\(escape(description.joined(separator: "\n")))",
                "CATEGORIES:Haul,deadline",
                "TRANSP:TRANSPARENT",
            ]
            if !entry.isCancelled {
                // One reminder: the day before a day's deadline, two hours before an instant's.
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:\(deadline.endsAtEndOfDay ? "-P1D" : "-PT2H")",
                          "DESCRIPTION:\(escape("Reminder: " + summary(entry)))", "END:VALARM"]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined()
    }
}
