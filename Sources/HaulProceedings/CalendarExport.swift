import Crypto
import Foundation
import HaulCore

/// Deadlines as an iCalendar file (RFC 5545) that Outlook and other calendar programs import:
/// one event per deadline, with the case, item, rule and source in its description, and a UID
/// that stays the same for the same deadline, so importing the file again updates rather than
/// duplicates.
public enum CalendarExport {
    public struct Entry: Sendable {
        public var reference: Identifier
        public var standing: ItemStanding
        public var deadline: Deadline

        public init(reference: Identifier, standing: ItemStanding, deadline: Deadline) {
            self.reference = reference
            self.standing = standing
            self.deadline = deadline
        }
    }

    /// The UID of a deadline: a hash of the case, item, rule and due instant.
    public static func uid(_ entry: Entry) -> String {
        let key = "\(entry.reference)|\(entry.standing.item.id)|\(entry.deadline.rule)|\(entry.deadline.due.epochSeconds)"
        let digest = SHA256.hash(data: Data(key.utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "@haul"
    }

    /// `20200622T062000Z` for an instant.
    static func utc(_ epochSeconds: Int) -> String {
        let time = try! ZonedDateTime(epochSeconds: epochSeconds, zone: "UTC")
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", time.date.year, time.date.month, time.date.day, time.hour, time.minute, time.second)
    }

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

    /// The calendar; `stamp` is the DTSTAMP (the time of export, passed in).
    public static func calendar(_ entries: [Entry], stamp: Int) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Haul//Haul deadlines//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        for entry in entries {
            let item = entry.standing.item
            let summary = "Deadline \(entry.reference) \(item.id) (\(item.exhibit)): \(entry.standing.state?.rawValue ?? "") — \(entry.deadline.rule)"
            let description = [
                "Case: \(entry.reference)",
                "Item: \(item.id), exhibit \(item.exhibit), \(item.kind.rawValue)",
                "State: \(entry.standing.state?.rawValue ?? "") since \(entry.standing.since?.iso8601 ?? "")",
                "Rule: \(entry.deadline.rule)\(entry.deadline.isVerified ? "" : " (unverified period)")",
                "Source: \(entry.deadline.source)",
                "Due: \(entry.deadline.due.iso8601) (\(entry.deadline.due.zone))",
            ].joined(separator: "\n")
            lines += [
                "BEGIN:VEVENT",
                "UID:\(uid(entry))",
                "DTSTAMP:\(utc(stamp))",
                "DTSTART:\(utc(entry.deadline.due.epochSeconds))",
                "DURATION:PT15M",
                "SUMMARY:\(escape(summary))",
                "DESCRIPTION:\(escape(description))",
                "CATEGORIES:Haul,deadline",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined()
    }
}
