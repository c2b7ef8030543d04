import Foundation
import HaulData
import Testing

/// `haul due --ics`: the calendar file is read back by an independent RFC 5545 parser (Python's
/// `icalendar`), and the deadlines it holds are the statute's, converted to UTC by hand.
@Suite("haul due --ics")
struct CalendarCLITests {
    let cli = CLITests()

    /// A Python interpreter that can import `icalendar` (Debian: python3-icalendar), or nil.
    static func python() throws -> String? { try CLITests.python(importing: "icalendar", package: "python3-icalendar") }

    /// One event of an .ics file as icalendar parses it.
    struct Event: Equatable {
        var uid, status, sequence, start, summary, reminder: String
    }

    /// The events of an .ics file as icalendar parses them: UID, STATUS, SEQUENCE, DTSTART (a
    /// date, or an instant in UTC), SUMMARY and the reminder's trigger.
    func events(_ path: String, python: String) throws -> [Event] {
        let script = """
            import sys, icalendar, datetime
            calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for event in calendar.walk('VEVENT'):
                start = event.decoded('DTSTART')
                if isinstance(start, datetime.datetime):
                    start = start.astimezone(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')
                else:
                    start = start.isoformat()
                alarms = [str(-alarm.decoded('TRIGGER')) for alarm in event.walk('VALARM')]
                print('\\t'.join([str(event['UID']), str(event['STATUS']), str(event['SEQUENCE']), start, str(event['SUMMARY']), ','.join(alarms)]))
            """
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, path]
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Event(uid: fields[0], status: fields[1], sequence: fields[2], start: fields[3], summary: fields[4], reminder: fields.count > 5 ? fields[5] : "")
        }
    }

    @Test("deadlines in UTC or as all-day entries, each with a reminder; a corrected deadline keeps its UID with a higher SEQUENCE; one that no longer runs is cancelled")
    func calendar() throws {
        guard let python = try Self.python() else { return }
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        // Events: 1 the import, 2 I-009 detained, 3 I-013 detained, 4 I-013's detention order.
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T07:20", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detained", "--on", "2020-06-20T14:40", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detention-order", "--on", "2020-06-22T11:00", "--authority", "Bromley MC 2020/0622", environment: env).status == 0)

        let first = try cli.haul("due", "--on", "2020-06-20", "--within", "200d", "--ics", folder + "/first.ics", environment: env)
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("Calendar: 2 deadlines and 1 no longer running written to \(folder)/first.ics\n"))
        let parsed = try events(folder + "/first.ics", python: python)
        try #require(parsed.count == 3)
        // I-009: seized Thursday 18 June 07:20 BST; 48 working hours end Monday 22 June 07:20 BST = 06:20 UTC;
        // reminded two hours before.
        #expect(parsed[0].start == "2020-06-22 06:20:00")
        #expect(parsed[0].status == "CONFIRMED")
        #expect(parsed[0].summary == "SW-2020-0417 I-009 (HAL/SH/1): Initial 48 hours of detention end: a detention order is needed to keep the cash")
        #expect(parsed[0].reminder == "2:00:00")
        // I-013's 48 hours (from Saturday 20 June 14:40 to Wednesday 24 June 00:00 BST = 23:00 UTC on the 23rd)
        // no longer run: the detention order was made. Cancelled, with the order's event as its revision.
        #expect(parsed[1].start == "2020-06-23 23:00:00")
        #expect(parsed[1].status == "CANCELLED")
        #expect(parsed[1].sequence == "4")
        #expect(parsed[1].reminder == "")
        // The order of Monday 22 June runs 6 months beginning with that day: to the end of 21 December,
        // an all-day entry, reminded a day before.
        #expect(parsed[2].start == "2020-12-21")
        #expect(parsed[2].status == "CONFIRMED")
        #expect(parsed[2].sequence == "4")
        #expect(parsed[2].summary == "SW-2020-0417 I-013 (HAL/LDN/1): Detention order ends")
        #expect(parsed[2].reminder == "1 day, 0:00:00")
        #expect(Set(parsed.map(\.uid)).count == 3)

        // Exported again later, nothing changed: the same entries.
        let again = try cli.haul("due", "--on", "2020-06-21", "--within", "200d", "--ics", folder + "/again.ics", environment: env)
        #expect(again.status == 0)
        #expect(try events(folder + "/again.ics", python: python) == parsed)

        // The order was in fact made on Tuesday 23 June (event 5 corrects event 4): the same UID, now
        // 22 December, SEQUENCE 5. I-009's detention is corrected to a release (event 6): its deadline
        // keeps its UID and is cancelled.
        #expect(try cli.haul("correct", "SW-2020-0417/4", "--on", "2020-06-23T10:00", "--reason", "order sealed on the 23rd", environment: env).status == 0)
        #expect(try cli.haul("correct", "SW-2020-0417/2", "--to", "released", "--reason", "released at the scene", environment: env).status == 0)
        #expect(try cli.haul("due", "--on", "2020-06-20", "--within", "200d", "--ics", folder + "/second.ics", environment: env).status == 0)
        let second = try events(folder + "/second.ics", python: python)
        try #require(second.count == 3)
        let byUID = Dictionary(uniqueKeysWithValues: second.map { ($0.uid, $0) })
        let order = try #require(byUID[parsed[2].uid])
        #expect(order.start == "2020-12-22")
        #expect(order.status == "CONFIRMED")
        #expect(order.sequence == "5")
        let released = try #require(byUID[parsed[0].uid])
        #expect(released.status == "CANCELLED")
        #expect(released.sequence == "6")
        #expect(released.start == "2020-06-22 06:20:00")
        #expect(byUID[parsed[1].uid]?.status == "CANCELLED")

        // Every line ends in CRLF and none is longer than 75 octets (RFC 5545 3.1).
        let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/first.ics"))
        let lines = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.last == "")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 && !$0.contains("\n") })
    }
}
