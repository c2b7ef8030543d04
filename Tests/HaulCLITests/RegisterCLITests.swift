import Foundation
import HaulData
import Testing

/// The register through the command line, as an investigator uses it; tampering is done behind
/// haul's back with the sqlite3 shell.
@Suite("haul register commands")
struct RegisterCLITests {
    let cli = CLITests()

    static func tool(_ name: String) throws -> String? { try CLITests.tool(name) }

    /// xmllint's verdict on a case file against the schema: nil where xmllint is absent (never in CI).
    static func xmllintAccepts(_ path: String) throws -> Bool? {
        guard let lint = try tool("xmllint") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lint)
        process.arguments = ["--noout", "--schema", HaulData.caseSchemaV1.path, path]
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    func sqlite(_ database: String, _ sql: String) throws {
        guard let sqlite3 = try Self.tool("sqlite3") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [database, sql]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A register with the example imported and three moves made; returns its folder and db path.
    func prepared() throws -> (folder: String, db: String) {
        let folder = try cli.temporaryFolder()
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T07:20", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detained", "--on", "2020-06-20T14:40", environment: env).status == 0)
        #expect(try cli.haul("status", "I-013", "detention-order", "--on", "2020-06-22T11:00", "--authority", "Bromley MC 2020/0622", environment: env).status == 0)
        return (folder, db)
    }

    @Test("status: deadlines by the statute; an illegal move and a missing authority are refused, the register unchanged")
    func statusMoves() throws {
        let (folder, db) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        let illegal = try cli.haul("status", "I-013", "forfeited", "--on", "2020-06-23T10:00", environment: env)
        #expect(illegal.status == 1)
        #expect(illegal.stderr == "haul: Civil recovery of cash (POCA 2002 Part 5 Chapter 3) does not allow detention-order → forfeited on 2020-06-23; allowed from detention-order: detention-order, forfeiture-notice, forfeiture-application, released\n")
        let noAuthority = try cli.haul("status", "I-009", "detention-order", "--on", "2020-06-19T10:00", environment: env)
        #expect(noAuthority.status == 1)
        #expect(noAuthority.stderr.contains("needs the authority for it"))
        let history = try cli.haul("history", "I-013", environment: env)
        #expect(history.stdout.hasPrefix("Item I-013 of case SW-2020-0417: 2 events\n"))
        // Thursday 07:20 + 48 working hours = Monday 07:20; Saturday 14:40 = Wednesday 00:00;
        // the detention order of Monday 22 June runs 6 months beginning with that day.
        let due = try cli.haul("due", "--on", "2020-06-20", "--within", "200d", environment: env)
        #expect(due.stdout == """
            Deadlines up to 2021-01-06 (from 2020-06-20), soonest first
              2020-06-22 07:20  SW-2020-0417/I-009 (HAL/SH/1)  detained
                  gb-cash-initial-detention: POCA 2002 s.295(1): cash seized under s.294 may be detained initially for 48 hours, counted from the seizure, not counting Saturdays, Sundays, Christmas Day, Good Friday or bank holidays (s.295(1B))
              2020-12-21 23:59  SW-2020-0417/I-013 (HAL/LDN/1)  detention-order
                  gb-cash-detention-order: POCA 2002 s.295(2)(a) as amended by the Policing and Crime Act 2009 s.64 (in force 25 January 2010, SI 2009/3096 art 3): not beyond 6 months beginning with the date of the order

            """)
        let overdue = try cli.haul("due", "--on", "2020-06-25", "--within", "1d", environment: env)
        #expect(overdue.stdout.contains("  OVERDUE 2020-06-22 07:20  SW-2020-0417/I-009"))
    }

    @Test("export, import into an empty register, export again: the same XML, history included")
    func roundTrip() throws {
        let (folder, db) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let exported = try cli.haul("export", "SW-2020-0417", "-o", folder + "/first.xml", environment: ["HAUL_DB": db])
        #expect(exported.status == 0, "\(exported.stdout)\(exported.stderr)")
        let second = folder + "/second.sqlite"
        #expect(try cli.haul("import", folder + "/first.xml", environment: ["HAUL_DB": second]).status == 0)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/second.xml", environment: ["HAUL_DB": second]).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: folder + "/first.xml"))
        #expect(first == (try Data(contentsOf: URL(fileURLWithPath: folder + "/second.xml"))))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("<history chainHead="))
        #expect(text.contains("<state>detention-order</state>"))
        #expect(text.contains("<regime>gb-eaw-cash</regime>"))
        #expect(try cli.haul("import", folder + "/first.xml", environment: ["HAUL_DB": second]).status == 1)  // already there
    }

    @Test("audit names every tampering done with the sqlite3 shell, guards dropped: each kind of event edited, deleted, reordered or inserted, a case removed")
    func audit() throws {
        // Events: 1 the import, 2–4 status moves, 5 the valuation, 6 the order, 7 the payment.
        let dropGuards = "DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete; "
            + "DROP TRIGGER records_are_append_only_update; DROP TRIGGER records_are_append_only_delete; "
            + "DROP TRIGGER register_log_is_append_only_update; DROP TRIGGER register_log_is_append_only_delete; "
        let tampering: [(String, String)] = [
            ("UPDATE events SET note = 'edited' WHERE sequence = 3", "case SW-2020-0417: event 3 (status move) was altered"),
            ("UPDATE records SET payload = replace(payload, '\"272000', '\"372000') WHERE sequence = 5", "case SW-2020-0417: event 5 (valued) was altered"),
            ("UPDATE records SET payload = replace(payload, '100000', '1000') WHERE sequence = 7", "case SW-2020-0417: event 7 (payment) was altered"),
            ("UPDATE records SET actor = 'someone else' WHERE sequence = 7", "case SW-2020-0417: event 7 (payment) was altered"),
            ("DELETE FROM events WHERE sequence = 3", "case SW-2020-0417: event 3 is missing"),
            ("DELETE FROM records WHERE sequence = 5", "case SW-2020-0417: event 5 is missing"),
            ("DELETE FROM records WHERE sequence = 7", "case SW-2020-0417: the recorded head"),
            ("UPDATE events SET sequence = 99 WHERE sequence = 2; UPDATE events SET sequence = 2 WHERE sequence = 3; UPDATE events SET sequence = 3 WHERE sequence = 99",
             "case SW-2020-0417: event 2 (status move) does not follow event 1"),
            ("UPDATE records SET sequence = 99 WHERE sequence = 6; UPDATE records SET sequence = 6 WHERE sequence = 7; UPDATE records SET sequence = 7 WHERE sequence = 99",
             "case SW-2020-0417: event 6 (payment) does not follow event 5"),
            ("INSERT INTO records SELECT case_reference, 8, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at FROM records WHERE sequence = 7",
             "case SW-2020-0417: event 8 (payment) does not follow event 7"),
            ("DELETE FROM event_seizures WHERE sequence = 3", "case SW-2020-0417: its index of status moves by seizure differs from its chain"),
            ("DELETE FROM cases WHERE reference = 'SW-2020-0417'", "case SW-2020-0417 was removed from the register"),
            ("DELETE FROM events WHERE case_reference = 'SW-2020-0417'; DELETE FROM records WHERE case_reference = 'SW-2020-0417'; "
             + "DELETE FROM case_state WHERE case_reference = 'SW-2020-0417'; DELETE FROM items WHERE case_reference = 'SW-2020-0417'; "
             + "DELETE FROM cases WHERE reference = 'SW-2020-0417'; DELETE FROM register_log WHERE case_reference = 'SW-2020-0417'",
             "the register log skips from entry 0 to 2"),
        ]
        for (tamper, expected) in tampering {
            let (folder, db) = try prepared()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let env = ["HAUL_DB": db, "HAUL_HOME": folder]
            #expect(try cli.haul("value", "SW-2020-0417", "--save", environment: env).status == 0)
            #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
            #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env).status == 0)
            // A second case, so deleting the first whole leaves a log entry after it.
            #expect(try cli.haul("case", "open", "OTHER-1", "--opened", "2021-01-01", "--agency", "A:seizing:Agency", environment: env).status == 0)
            let clean = try cli.haul("audit", "SW-2020-0417", environment: env)
            #expect(clean.status == 0, "\(clean.stdout)")
            #expect(clean.stdout.hasPrefix("case SW-2020-0417: 7 events verify, rows equal the replay"))
            let head = String(clean.stdout.split(separator: " ").last!.dropLast())
            guard try Self.tool("sqlite3") != nil else { return }
            try sqlite(db, dropGuards + tamper)
            let audited = try cli.haul("audit", environment: env)
            #expect(audited.status == 1, "\(tamper)")
            let withHead = try cli.haul("audit", "SW-2020-0417", "--head", head, environment: env)
            #expect(withHead.status == 1, "\(tamper)")
            #expect((audited.stdout + withHead.stdout + withHead.stderr).contains(expected), "\(tamper): \(audited.stdout) \(withHead.stdout)")
        }
    }

    @Test("a state row edited behind haul's back (a payment's effect, an item's figure) is caught: rows must equal the replay")
    func editedRows() throws {
        guard try Self.tool("sqlite3") != nil else { return }
        let (folder, db) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env).status == 0)
        try sqlite(db, "UPDATE case_state SET document = replace(document, '100000', '1000')")
        let audited = try cli.haul("audit", environment: env)
        #expect(audited.status == 1)
        #expect(audited.stdout.contains("case SW-2020-0417: its stored state differs from what its chain replays to"))
        let (other, otherDB) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: other) }
        try sqlite(otherDB, "DELETE FROM items WHERE item_id = 'I-009'")
        let removed = try cli.haul("audit", environment: ["HAUL_DB": otherDB])
        #expect(removed.status == 1)
        #expect(removed.stdout.contains("its stored state differs from what its chain replays to (the items of seizure S2)"))
        // The columns commands find items by, edited apart from the item's stored form.
        let (third, thirdDB) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: third) }
        try sqlite(thirdDB, "UPDATE items SET exhibit = 'HAL/XX/1' WHERE item_id = 'I-009'")
        let index = try cli.haul("audit", environment: ["HAUL_DB": thirdDB])
        #expect(index.status == 1)
        #expect(index.stdout.contains("its item index differs from its chain"))
    }

    @Test("a row edited behind haul's back is never recorded by the next write as its own: a sale, a valuation, a revaluation and a benefit are refused, the register unchanged, audit still naming the edit")
    func editedRowsAreNotRecorded() throws {
        guard try Self.tool("sqlite3") != nil else { return }
        let ledger = LedgerCLITests()
        // The example's I-013 is £80,000 counted in a holdall; edited to £8,000 in its row, a sale
        // (which records the item whole, its estimates moved to its trail) would have put £8,000
        // into the chain as the sale's own, and audit would then have found rows equal to the replay.
        let itemEdit = "UPDATE items SET document = replace(document, '\"countedAmount\":80000', '\"countedAmount\":8000') WHERE item_id = 'I-013'"
        let writes: [[String]] = [
            ["confiscation", "sale", "I-013", "--on", "2021-01-10", "--gross", "8000"],
            ["value", "SW-2020-0417", "--save"],
            ["revalue", "I-013", "--reason", "counted again"],
        ]
        for write in writes {
            let (folder, db) = try prepared()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let env = ["HAUL_DB": db, "HAUL_HOME": folder]
            try sqlite(db, itemEdit)
            let before = try ledger.dump(db)
            let refused = try cli.haulArray(write, environment: env)
            #expect(refused.status != 0, "\(write)")
            #expect(refused.stderr.contains("case SW-2020-0417: the rows and the chain differ in the details of item I-013 (the chain's last version is in record 1)"), "\(write): \(refused.stderr)")
            #expect(refused.stderr.contains("nothing was recorded"))
            #expect(try ledger.dump(db) == before, "\(write)")
            let audited = try cli.haul("audit", environment: env)
            #expect(audited.status == 1)
            #expect(audited.stdout.contains("its stored state differs from what its chain replays to (the details of item I-013)"))
        }
        // The same sale on a register nobody edited is recorded.
        let (clean, cleanDB) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: clean) }
        #expect(try cli.haulArray(writes[0], environment: ["HAUL_DB": cleanDB, "HAUL_HOME": clean]).status == 0)
        #expect(try cli.haul("audit", environment: ["HAUL_DB": cleanDB]).status == 0)

        // The confiscation inputs are recorded whole by every input: a payment of £100,000 cut to
        // £1,000 in the state row would have been recorded with the next benefit.
        let (folder, db) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env).status == 0)
        try sqlite(db, "UPDATE case_state SET document = replace(document, '\"100000\"', '\"1000\"')")
        let before = try ledger.dump(db)
        let refused = try cli.haul("confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2020-01-01", "--value", "5000", environment: env)
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("case SW-2020-0417: the rows and the chain differ in the confiscation inputs (last set by record 6)"), "\(refused.stderr)")
        #expect(try ledger.dump(db) == before)
        #expect(try cli.haul("audit", environment: env).stdout.contains("(the confiscation inputs)"))
    }

    @Test("two processes appending 500 events each at once: all 1,000 are there and the chain verifies")
    func concurrentAppends() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: ["HAUL_DB": db]).status == 0)
        let stress = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("haul-stress").path
        let processes = try ["A", "B"].map { label -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: stress)
            process.arguments = [db, "SW-2020-0417", "500", label]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            return process
        }
        processes.forEach { $0.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let audit = try cli.haul("audit", "SW-2020-0417", environment: ["HAUL_DB": db])
        #expect(audit.status == 0)
        // The import's record, then the 1,000 moves.
        #expect(audit.stdout.hasPrefix("case SW-2020-0417: 1001 events verify"))
    }

    @Test("mixed writes racing on the same items (SQLite: three processes × 300; PostgreSQL: eight clients × 200): every success recorded once, no item leaves a state twice, audit clean",
          arguments: [("sqlite", 3, 300), ("postgresql", 8, 200)])
    func concurrentMixedWrites(backend: String, writerCount: Int, writes: Int) throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var db = folder + "/register.sqlite"
        var dropDatabase: (() -> Void)?
        if backend == "postgresql" {
            guard let admin = try PostgresServer.adminURL() else {
                print(PostgresServer.skipped)
                return
            }
            let database = try PostgresServer.freshDatabase(admin: admin)
            // The writers are an investigator of the case's agency, not the administrator, so
            // the row-level security and the locks are what they race through.
            let racer = "racer_" + UUID().uuidString.prefix(8).lowercased()
            dropDatabase = {
                PostgresServer.drop(database.name, admin: admin)
                _ = try? PostgresServer.psql(admin, "DROP ROLE IF EXISTS \(racer)")
            }
            #expect(try cli.haul("register", "init", "--db", database.url).status == 0)
            #expect(try cli.haulArray(["register", "grant", racer, "investigator", "--agency", "A1", "--password-stdin", "--db", database.url],
                                      input: "racer-password\n").status == 0)
            db = PostgresServer.url(database.url, database: database.name, user: racer, password: "racer-password")
        }
        defer { dropDatabase?() }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("case", "open", "RACE-1", "--opened", "2021-01-04", "--agency", "A1:seizing:Agency", environment: env).status == 0)
        for index in 1...8 {
            var arguments = ["seize", "RACE-1", "cash", "--id", "RACE-\(index)", "--exhibit", "R/\(index)", "--seizure", "S\(index)"]
            arguments += ["--at", "2021-01-04T08:00", "--place", "Bristol", "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "A1"]
            arguments += ["currency=GBP", "amount=5000"]
            #expect(try cli.haulArray(arguments, environment: env).status == 0)
        }
        // Payments are made under an order.
        #expect(try cli.haul("confiscation", "order", "RACE-1", "--order-reference", "O-1", "--made", "2021-06-01", "--amount", "1000000", environment: env).status == 0)
        let stress = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("haul-stress").path
        let labels = ["A", "B", "C", "D", "E", "F", "G", "H"].prefix(writerCount)
        let writers = try labels.map { label -> (Process, Pipe) in
            let process = Process()
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: stress)
            process.arguments = [db, "RACE-1", String(writes), label, "--mixed"]
            process.standardOutput = pipe
            try process.run()
            return (process, pipe)
        }
        // Read each writer's output as it comes (a full pipe would block it).
        let outputs = writers.map { String(decoding: $0.1.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        writers.forEach { $0.0.waitUntilExit() }
        #expect(writers.allSatisfy { $0.0.terminationStatus == 0 })
        let lines = outputs.flatMap { $0.split(separator: "\n").map(String.init) }
        #expect(lines.count == writerCount * writes)
        let succeeded = lines.filter { $0.hasPrefix("ok ") }
        // Items, people and payments never conflict: every one of them succeeds (a quarter of
        // each writer's writes is each kind).
        #expect(succeeded.filter { $0.hasPrefix("ok item ") }.count == writerCount * writes / 4)
        #expect(succeeded.filter { $0.hasPrefix("ok person ") }.count == writerCount * writes / 4)
        #expect(succeeded.filter { $0.hasPrefix("ok payment ") }.count == writerCount * writes / 4)
        // Eight items, each moved seized → detained at most once however the writers interleave.
        let moves = succeeded.filter { $0.hasPrefix("ok move ") }
        #expect(moves.count == 8, "\(moves)")
        #expect(Set(moves).count == moves.count)

        let audit = try cli.haul("audit", environment: env)
        #expect(audit.status == 0, "\(audit.stdout)")
        // 1 opening + 8 items + the order + every attempt that succeeded.
        #expect(audit.stdout.hasPrefix("case RACE-1: \(1 + 8 + 1 + succeeded.count) events verify, rows equal the replay"))
        #expect(try cli.haul("export", "RACE-1", "-o", folder + "/race.xml", environment: env).status == 0)
        let text = try String(contentsOfFile: folder + "/race.xml", encoding: .utf8)
        // What the file holds, each value counted: read once (the file is a few megabytes).
        func values(after marker: String, upTo end: Character) -> [String: Int] {
            var counts: [String: Int] = [:]
            for piece in text.components(separatedBy: marker).dropFirst() { counts[String(piece.prefix { $0 != end }), default: 0] += 1 }
            return counts
        }
        let items = values(after: "<item id=\"", upTo: "\"")
        let people = values(after: "<person id=\"", upTo: "\"")
        let payments = values(after: "paidOn=\"2021-07-01\">", upTo: "<")
        var paid: [String: Int] = [:]
        for line in succeeded {
            let parts = line.split(separator: " ")
            let (kind, id) = (parts[1], String(parts[2]))
            switch kind {
            case "item": #expect(items["I-\(id)"] == 1, "\(line)")
            case "person": #expect(people["P-\(id)"] == 1, "\(line)")
            case "payment": paid[id, default: 0] += 1
            default: break
            }
        }
        #expect(paid == payments)
        // In the file too: each racing item has exactly one move out of seized.
        let events = text.components(separatedBy: "<event sequence=").dropFirst()
        for index in 1...8 {
            let out = events.filter { $0.contains("<items>RACE-\(index)</items>") && $0.contains("<from>seized</from>") }
            #expect(out.count == 1, "RACE-\(index) left seized \(out.count) times")
        }
    }

    @Test("a process killed in the middle of its writes leaves a register that opens and verifies")
    func killedWriter() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: ["HAUL_DB": db]).status == 0)
        let stress = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("haul-stress").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: stress)
        process.arguments = [db, "SW-2020-0417", "1000000", "victim"]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // Let it get going, then kill it without warning.
        var count = 0
        for _ in 0..<200 {
            usleep(20_000)
            let list = try cli.haul("case", "list", "--json", environment: ["HAUL_DB": db])
            count = ((try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])?.first?["events"] as? Int) ?? 0
            if count > 50 { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(count > 50)
        let audit = try cli.haul("audit", environment: ["HAUL_DB": db])
        #expect(audit.status == 0, "\(audit.stdout)")
        #expect(audit.stdout.contains("events verify"))
    }
}
