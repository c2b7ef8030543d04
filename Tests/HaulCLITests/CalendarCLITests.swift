import Foundation
import HaulData
import Testing

/// `haul due --ics`: the calendar file is read back by an independent RFC 5545 parser (Python's
/// `icalendar`), and the deadlines it holds are the statute's, converted to UTC by hand.
@Suite("haul due --ics")
struct CalendarCLITests {
    let cli = CLITests()

    /// A Python interpreter that can import `icalendar` (Debian: python3-icalendar), or nil.
    static func python() throws -> String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: candidate)
            process.arguments = ["-c", "import icalendar"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate }
        }
        try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil,
                     "Python's icalendar is required here to cross-check calendars: apt-get install python3-icalendar")
        return nil
    }

    /// The events of an .ics file as icalendar parses them: UID, DTSTART in UTC, SUMMARY.
    func events(_ path: String, python: String) throws -> [[String]] {
        let script = """
            import sys, icalendar, datetime
            calendar = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for event in calendar.walk('VEVENT'):
                start = event.decoded('DTSTART').astimezone(datetime.timezone.utc)
                print(str(event['UID']) + '\\t' + start.strftime('%Y-%m-%d %H:%M:%S') + '\\t' + str(event['SUMMARY']))
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
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
    }

    @Test("two deadlines, in UTC, with UIDs that survive a second export")
    func calendar() throws {
        guard let python = try Self.python() else { return }
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T07:20", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detained", "--on", "2020-06-20T14:40", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detention-order", "--on", "2020-06-22T11:00", "--authority", "Bromley MC 2020/0622", environment: env).status == 0)

        let first = try cli.haul("due", "--on", "2020-06-20", "--within", "200d", "--ics", folder + "/first.ics", environment: env)
        #expect(first.status == 0)
        #expect(first.stdout.hasPrefix("Calendar: 2 deadlines written to \(folder)/first.ics\n"))
        let parsed = try events(folder + "/first.ics", python: python)
        try #require(parsed.count == 2)
        // 22 June 2020 07:20 in London is BST (UTC+1): 06:20 UTC. 21 December is GMT: the end of
        // the day is the same in UTC.
        #expect(parsed[0][1] == "2020-06-22 06:20:00")
        #expect(parsed[0][2].hasPrefix("Deadline SW-2020-0417 I-009 (HAL/SH/1): detained"))
        #expect(parsed[1][1].hasPrefix("2020-12-21 23:59"))
        #expect(parsed[1][2].hasSuffix("gb-cash-detention-order"))
        #expect(Set(parsed.map { $0[0] }).count == 2)

        // Exported again later: the same UIDs, so a calendar updates rather than duplicates.
        let second = try cli.haul("due", "--on", "2020-06-21", "--within", "200d", "--ics", folder + "/second.ics", environment: env)
        #expect(second.status == 0)
        #expect(try events(folder + "/second.ics", python: python).map { $0[0] } == parsed.map { $0[0] })

        // Every line ends in CRLF and none is longer than 75 octets (RFC 5545 3.1).
        let raw = try Data(contentsOf: URL(fileURLWithPath: folder + "/first.ics"))
        let lines = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n")
        #expect(lines.last == "")
        #expect(lines.allSatisfy { $0.utf8.count <= 75 && !$0.contains("\n") })
    }
}
