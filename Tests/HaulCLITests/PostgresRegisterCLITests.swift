import Foundation
import HaulData
import Testing

/// A unit's register on PostgreSQL: each role through `haul` and through plain `psql` as that
/// user (the server's row-level security must hold for both), and the access log (DPA 2018 s.62).
@Suite("PostgreSQL register: roles and the access log", .serialized)
struct PostgresRegisterCLITests {
    let cli = CLITests()

    /// A fresh register holding the example (agencies ASC, SWROCU, MPS, CPS) and case NCA-1 of
    /// agency NCA, with five users: alice (investigator, ASC), bob (investigator, NCA), sue
    /// (supervisor), pete (prosecutor), ann (auditor).
    struct Unit {
        var admin: String
        var database: String
        var url: String
        var folder: String
        /// Logins belong to the whole server: each run's are its own (alice_3f9c…), dropped after.
        var suffix = String(UUID().uuidString.prefix(8)).lowercased()

        func login(_ name: String) -> String { "\(name)_\(suffix)" }
        func user(_ name: String) -> String { PostgresServer.url(url, database: database, user: login(name), password: "\(name)-secret'\";pw") }
    }

    func unit() throws -> Unit? {
        guard let admin = try PostgresServer.adminURL() else {
            print(PostgresServer.skipped)
            return nil
        }
        let database = try PostgresServer.freshDatabase(admin: admin)
        let unit = Unit(admin: admin, database: database.name, url: database.url, folder: try cli.temporaryFolder())
        try #require(try cli.haul("register", "init", "--db", unit.url).status == 0)
        try #require(try cli.haul("import", HaulData.example("south-west-2020.xml").path, "--db", unit.url).status == 0)
        try #require(try cli.haul("case", "open", "NCA-1", "--opened", "2021-01-04", "--agency", "NCA:seizing:National Crime Agency", "--db", unit.url).status == 0)
        for (name, role, agency) in [("alice", "investigator", "ASC"), ("bob", "investigator", "NCA"), ("sue", "supervisor", nil),
                                     ("pete", "prosecutor", nil), ("ann", "auditor", nil)] {
            // Quotes and a semicolon: the password must reach the server whole, and never be shown.
            let password = "\(name)-secret'\";pw"
            let granted = try cli.haulArray(["register", "grant", unit.login(name), role, "--password-stdin", "--db", unit.url] + (agency.map { ["--agency", $0] } ?? []),
                                            input: password + "\n")
            try #require(granted.status == 0, "\(granted.stderr)")
            #expect(!(granted.stdout + granted.stderr).contains(password), "a password was printed")
        }
        return unit
    }

    func drop(_ unit: Unit) {
        PostgresServer.drop(unit.database, admin: unit.admin)
        for name in ["alice", "bob", "sue", "pete", "ann"] { _ = try? PostgresServer.psql(unit.admin, "DROP ROLE IF EXISTS \(unit.login(name))") }
        try? FileManager.default.removeItem(atPath: unit.folder)
    }

    /// `haul ARGS --db` as `user`, with the password in the URL.
    func haul(_ unit: Unit, as user: String, _ arguments: String...) throws -> CLITests.Result {
        let result = try cli.haulArray(arguments + ["--db", unit.user(user)], in: unit.folder)
        #expect(!(result.stdout + result.stderr).contains("\(user)-secret"), "haul printed \(user)'s password")
        return result
    }

    /// `sql` through psql as `user`.
    func psql(_ unit: Unit, as user: String, _ sql: String) throws -> CLITests.Result {
        try PostgresServer.psql(unit.user(user), sql)
    }

    @Test("each role reads and writes what it may, through haul and through psql, and nothing more")
    func roles() throws {
        guard let unit = try unit() else { return }
        defer { drop(unit) }

        // Each grant is in the access log with whom it made what.
        let grants = try PostgresServer.psql(unit.url, "SELECT reason FROM haul.access_log WHERE command = 'register grant' ORDER BY id").stdout
        #expect(grants.contains("\(unit.login("alice")) made investigator of agency ASC, password set")
                && grants.contains("\(unit.login("ann")) made auditor, password set"), "\(grants)")

        // alice, investigator of ASC: sees the example (ASC seized in it), not NCA-1; records in it.
        let aliceList = try haul(unit, as: "alice", "case", "list")
        #expect(aliceList.stdout.contains("SW-2020-0417") && !aliceList.stdout.contains("NCA-1"), "\(aliceList.stdout)")
        #expect(try psql(unit, as: "alice", "SELECT count(*) FROM haul.items").stdout == "14\n")
        #expect(try psql(unit, as: "alice", "SELECT count(*) FROM haul.cases WHERE reference = 'NCA-1'").stdout == "0\n")
        #expect(try haul(unit, as: "alice", "person", "add", "SW-2020-0417", "--id", "P-9", "--role", "suspect", "--name", "A Person").status == 0)
        #expect(try haul(unit, as: "alice", "status", "I-005", "detained", "--on", "2020-06-18T12:00", "--regime", "cash").status == 0)
        // Not another agency's case, by either door.
        #expect(try haul(unit, as: "alice", "case", "show", "NCA-1").status == 1)
        #expect(try haul(unit, as: "alice", "person", "add", "NCA-1", "--id", "P-1", "--role", "suspect", "--name", "B").status != 0)
        #expect(try psql(unit, as: "alice", "INSERT INTO haul.records VALUES ('NCA-1', 2, 'person-added', 'x', 'UTC', 'alice', 'r', '[]', NULL, 'h', 'now')").status != 0)
        // A case opened for another agency is refused by the server.
        let foreign = try haul(unit, as: "alice", "case", "open", "NCA-2", "--opened", "2021-01-04", "--agency", "NCA:seizing:National Crime Agency")
        #expect(foreign.status == 1 && foreign.stderr.contains("refused"), "\(foreign.stderr)")
        // Nobody edits the chain, the log or the access log, whatever psql they have.
        #expect(try psql(unit, as: "alice", "UPDATE haul.records SET actor = 'someone' WHERE case_reference = 'SW-2020-0417'").status != 0)
        #expect(try psql(unit, as: "alice", "DELETE FROM haul.events").status != 0)

        // bob, investigator of NCA: sees NCA-1 only; the example's rows are invisible to psql too.
        let bobList = try haul(unit, as: "bob", "case", "list")
        #expect(bobList.stdout.contains("NCA-1") && !bobList.stdout.contains("SW-2020-0417"), "\(bobList.stdout)")
        // What bob may not see is not said to be absent: his log of another's entries, an audit of a case he cannot see.
        let bobLog = try haul(unit, as: "bob", "register", "log", "--user", unit.login("pete"))
        #expect(bobLog.stdout.contains("No entries by \(unit.login("pete")) that you may see (supervisors and auditors see every entry; anyone else their own)."), "\(bobLog.stdout)")
        #expect(try psql(unit, as: "bob", "SELECT count(*) FROM haul.items").stdout == "0\n")
        #expect(try psql(unit, as: "bob", "SELECT count(*) FROM haul.records WHERE case_reference = 'SW-2020-0417'").stdout == "0\n")
        #expect(try haul(unit, as: "bob", "export", "SW-2020-0417", "-o", unit.folder + "/bob.xml").status != 0)
        // Each refused attempt on another agency's case is in the access log, with the case as
        // asked for in the entry's reason (bob sees his own entries; nothing of the case's own).
        let bobShow = try haul(unit, as: "bob", "case", "show", "SW-2020-0417")
        #expect(bobShow.status != 0 && bobShow.stderr.contains("no case SW-2020-0417 in the register that you may see"), "\(bobShow.stderr)")
        let bobBenefit = try haul(unit, as: "bob", "confiscation", "benefit", "SW-2020-0417", "--description", "x", "--obtained", "2020-03-01", "--value", "1")
        #expect(bobBenefit.status != 0 && bobBenefit.stderr.contains("no case SW-2020-0417 in the register that you may see"), "\(bobBenefit.stderr)")
        let refusals = try psql(unit, as: "bob", "SELECT command || ' | ' || reason FROM haul.access_log WHERE action = 'refused' ORDER BY id").stdout
        #expect(refusals.components(separatedBy: "\n").filter { $0.contains("case SW-2020-0417: no case SW-2020-0417 in the register that") }.count == 3
                && refusals.contains("export |") && refusals.contains("case show |") && refusals.contains("confiscation benefit |"), "\(refusals)")

        // sue, supervisor: reads every case, corrects a move, makes no other record.
        let sueList = try haul(unit, as: "sue", "case", "list")
        #expect(sueList.stdout.contains("NCA-1") && sueList.stdout.contains("SW-2020-0417"))
        let history = try haul(unit, as: "sue", "history", "I-005")
        let moveNumber = try #require(history.stdout.components(separatedBy: "\n").first { $0.contains("seized → detained") }?
            .split(separator: " ").first { Int($0.trimmingCharacters(in: .punctuationCharacters)) != nil }
            .map { $0.trimmingCharacters(in: .punctuationCharacters) }, "\(history.stdout)")
        let corrected = try haul(unit, as: "sue", "correct", "SW-2020-0417/\(moveNumber)", "--reason", "the time was wrong", "--on", "2020-06-18T13:00")
        #expect(corrected.status == 0, "\(corrected.stderr)")
        // Refused with what a supervisor does, not with a check of the case's own.
        let sueMove = try haul(unit, as: "sue", "status", "I-009", "detained", "--on", "2020-06-18T12:00", "--regime", "cash")
        #expect(sueMove.status != 0 && sueMove.stderr.contains("`haul status` (a status move that corrects none) is not for you")
                && sueMove.stderr.contains("You are a supervisor in this register: a supervisor reads every case and records corrections of status moves"), "\(sueMove.stderr)")
        let sueAdd = try haul(unit, as: "sue", "person", "add", "SW-2020-0417", "--id", "P-10", "--role", "suspect", "--name", "C")
        #expect(sueAdd.status != 0 && sueAdd.stderr.contains("`haul person add` is not for you") && sueAdd.stderr.contains("You are a supervisor"), "\(sueAdd.stderr)")
        #expect(try psql(unit, as: "sue", "INSERT INTO haul.events (case_reference, sequence, at, zone, items, to_state, actor, hash, recorded_at) VALUES ('NCA-1', 2, 'x', 'UTC', 'I-1', 'detained', 'sue', 'h', 'now')").status != 0)

        // pete, prosecutor: reads every case, records confiscation inputs, nothing else.
        #expect(try haul(unit, as: "pete", "confiscation", "benefit", "SW-2020-0417", "--description", "proceeds of supply",
                         "--obtained", "2020-03-01", "--value", "25000").status == 0)
        #expect(try haul(unit, as: "pete", "person", "add", "SW-2020-0417", "--id", "P-11", "--role", "suspect", "--name", "D").status != 0)
        let peteMove = try haul(unit, as: "pete", "status", "I-009", "detained", "--on", "2020-06-18T12:00", "--regime", "cash")
        #expect(peteMove.status != 0 && peteMove.stderr.contains("`haul status` is not for you")
                && peteMove.stderr.contains("a prosecutor reads every case and records confiscation inputs, payments, shares and proceedings"), "\(peteMove.stderr)")
        #expect(try psql(unit, as: "pete", "INSERT INTO haul.records VALUES ('SW-2020-0417', 99, 'person-added', 'x', 'UTC', 'pete', 'r', '[]', NULL, 'h', 'now')").status != 0)

        // ann, auditor: reads and audits everything, changes nothing.
        let audit = try haul(unit, as: "ann", "audit")
        #expect(audit.status == 0 && audit.stdout.contains("case NCA-1") && audit.stdout.contains("case SW-2020-0417"), "\(audit.stdout)\(audit.stderr)")
        #expect(try haul(unit, as: "ann", "confiscation", "benefit", "SW-2020-0417", "--description", "x", "--obtained", "2020-03-01", "--value", "1").status != 0)
        // A payment with no order recorded: the auditor is told they record nothing, not to record the order first.
        let annPays = try haul(unit, as: "ann", "confiscation", "payment", "NCA-1", "--on", "2021-07-01", "--amount", "10")
        #expect(annPays.status != 0 && annPays.stderr.contains("You are an auditor in this register: an auditor reads every case and the access log, and records nothing")
                && !annPays.stderr.contains("order first"), "\(annPays.stderr)")
        #expect(try PostgresServer.psql(unit.url, "SELECT count(*) FROM haul.access_log WHERE action = 'refused' AND user_name = '\(unit.login("ann"))' AND command = 'confiscation payment'").stdout == "1\n")
        #expect(try psql(unit, as: "ann", "UPDATE haul.case_state SET head = 'x'").status != 0)
        #expect(try psql(unit, as: "ann", "SELECT count(*) FROM haul.cases").stdout == "2\n")

        // The users table (who is what) is the administrator's alone.
        #expect(try psql(unit, as: "alice", "UPDATE haul.users SET role = 'supervisor'").status != 0)
        #expect(try psql(unit, as: "alice", "SELECT * FROM haul.users").status != 0)
        // Attacks a second look found (each refused by the server):
        // bob writing rows for a case not yet opened, to land in it when another agency opens it;
        for sql in ["INSERT INTO haul.items VALUES ('FUTURE-1', 'I-1', 'E-1', 'cash', 'S1', 0, 1, '{}', '')",
                    "INSERT INTO haul.case_state VALUES ('FUTURE-1', '{}', 0, 'x')",
                    "INSERT INTO haul.events (case_reference, sequence, at, zone, items, to_state, actor, hash, recorded_at) VALUES ('FUTURE-1', 1, 'x', 'UTC', 'I-1', 'disposed', 'DS Smith', 'h', 'now')",
                    // forging a register-log entry, or writing one directly at all;
                    "INSERT INTO haul.register_log VALUES (100, 'GHOST-1', 'x', NULL, 'y', 'now')",
                    // an event that does not continue its case's chain (the chain's own trigger).
                    "INSERT INTO haul.events (case_reference, sequence, at, zone, items, to_state, actor, hash, recorded_at) VALUES ('NCA-1', 7, 'x', 'UTC', 'I-1', 'detained', 'x', 'h', 'now')"] {
            #expect(try psql(unit, as: "bob", sql).status != 0, "bob: \(sql)")
        }
        // bob learns nothing of other agencies' cases from the register log: its entries come
        // to him without their case.
        #expect(try psql(unit, as: "bob", "SELECT count(*) FROM haul.register_log").stdout == "1\n")
        #expect(try psql(unit, as: "bob", "SELECT string_agg(coalesce(case_reference, '-'), ',' ORDER BY entry) FROM haul.register_log_entries()").stdout == "-,NCA-1\n")
        // A prosecutor changes only what a prosecutor records: not a state row's head, not a case's
        // body under a confiscation label; a supervisor writes no state row at all.
        #expect(try psql(unit, as: "pete", "UPDATE haul.case_state SET head = 'forged'").status != 0)
        let headBefore = try PostgresServer.psql(unit.url, "SELECT head_sequence, head FROM haul.case_state WHERE case_reference = 'SW-2020-0417'").stdout
        let smuggled = try psql(unit, as: "pete", """
            INSERT INTO haul.records SELECT 'SW-2020-0417', head_sequence + 1, 'benefit', 'x', 'UTC', 'pete', 'r', '[{"baseline":{}}]', head, 'h', 'now'
            FROM haul.case_state WHERE case_reference = 'SW-2020-0417'
            """)
        #expect(smuggled.status != 0 && smuggled.stderr.contains("prosecutor"), "\(smuggled.stderr)")
        #expect(try psql(unit, as: "sue", "UPDATE haul.case_state SET document = '{}'").status != 0)
        #expect(try PostgresServer.psql(unit.url, "SELECT head_sequence, head FROM haul.case_state WHERE case_reference = 'SW-2020-0417'").stdout == headBefore)
        // A prosecutor records a defendant's share (an item's interests) through haul, but may not
        // change anything else of an item under that label.
        let share = try haul(unit, as: "pete", "interest", "I-010", "--person", "D-1", "--owner", "100")
        #expect(share.status == 0, "\(share.stderr)")
        let flour = try psql(unit, as: "pete", """
            INSERT INTO haul.records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
            SELECT 'SW-2020-0417', s.head_sequence + 1, 'interest', 'x', 'UTC', 'DC 4471', 'r',
                   jsonb_build_array(jsonb_build_object('itemsReplaced', jsonb_build_object('_0', jsonb_build_array(jsonb_set(i.document::jsonb, '{description}', '"flour"')))))::text,
                   s.head, 'h', 'now'
            FROM haul.case_state s, haul.items i WHERE s.case_reference = 'SW-2020-0417' AND i.case_reference = s.case_reference AND i.item_id = 'I-001'
            """)
        #expect(flour.status != 0 && flour.stderr.contains("interests and valuations"), "\(flour.stderr)")
        // A supervisor's "correction" must replace a status move of the case, and name a state.
        for sql in ["INSERT INTO haul.events (case_reference, sequence, at, zone, items, to_state, actor, previous_hash, hash, recorded_at, supersedes) SELECT 'SW-2020-0417', head_sequence + 1, 'x', 'UTC', 'I-005', 'released', 'x', head, 'h', 'now', 1 FROM haul.case_state WHERE case_reference = 'SW-2020-0417'",
                    "INSERT INTO haul.events (case_reference, sequence, at, zone, items, to_state, actor, previous_hash, hash, recorded_at, supersedes) SELECT 'SW-2020-0417', head_sequence + 1, 'x', 'UTC', 'I-005', 'bogus', 'x', head, 'h', 'now', \(moveNumber) FROM haul.case_state WHERE case_reference = 'SW-2020-0417'"] {
            #expect(try psql(unit, as: "sue", sql).status != 0, "sue: \(sql)")
        }
        // The access log takes no entry naming a case its writer may not see.
        #expect(try psql(unit, as: "bob", "SELECT haul.log_access('SW-2020-0417', 'forged', 'consultation', NULL, NULL)").status != 0)
        // Roles are the cluster's: sue made an investigator in another register stays only a
        // supervisor here (no role taken away, none gained).
        let other = try PostgresServer.freshDatabase(admin: unit.admin)
        defer { PostgresServer.drop(other.name, admin: unit.admin) }
        #expect(try cli.haul("register", "init", "--db", other.url).status == 0)
        #expect(try cli.haul("register", "grant", unit.login("sue"), "investigator", "--agency", "ASC", "--db", other.url).status == 0)
        #expect(try psql(unit, as: "sue", "WITH changed AS (UPDATE haul.items SET figures = '' RETURNING 1) SELECT count(*) FROM changed").stdout == "0\n")
        #expect(try psql(unit, as: "sue", "WITH gone AS (DELETE FROM haul.item_keys RETURNING 1) SELECT count(*) FROM gone").stdout == "0\n")
        #expect(try haul(unit, as: "sue", "case", "list").stdout.contains("NCA-1"), "sue lost her supervisor's view")
        // A user of the other register alone cannot even connect to this one.
        let stranger = unit.login("zed")
        defer { _ = try? PostgresServer.psql(unit.admin, "DROP ROLE IF EXISTS \(stranger)") }
        #expect(try cli.haulArray(["register", "grant", stranger, "auditor", "--password-stdin", "--db", other.url], input: "zed-secret\n").status == 0)
        let strangerURL = PostgresServer.url(unit.url, database: unit.database, user: stranger, password: "zed-secret")
        #expect(try PostgresServer.psql(strangerURL, "SELECT count(*) FROM haul.register_log_entries()").status != 0)
        let strangerList = try cli.haul("case", "list", "--db", strangerURL)
        #expect(strangerList.status != 0 && strangerList.stderr.contains("the login \(stranger) has no role in this register (an administrator's `haul register grant \(stranger) ROLE --db URL` gives one)"), "\(strangerList.stderr)")
        // No password to give, and no server there: each said in words, not the client's error code.
        let noPassword = try cli.haulArray(["case", "list", "--db", PostgresServer.url(unit.url, database: unit.database, user: stranger, password: nil)],
                                           environment: ["PGPASSFILE": "/nonexistent", "PGPASSWORD": ""])
        #expect(noPassword.status != 0 && noPassword.stderr.contains("asks for \(stranger)'s password and none was given"), "\(noPassword.stderr)")
        let nobody = try cli.haul("case", "list", "--db", "postgres://\(stranger)@127.0.0.1:1/\(unit.database)?sslmode=disable")
        #expect(nobody.status != 0 && nobody.stderr.contains("the server at 127.0.0.1:1 cannot be reached"), "\(nobody.stderr)")

        // After all that, every chain verifies.
        #expect(try cli.haul("audit", "--db", unit.url).status == 0)

        // A prosecutor may set an item's row to anything with psql (their writes update rows),
        // but the edit never reaches the chain: not by a record carrying it (judged against the
        // chain, not the row), nor by haul's next write (which checks the rows it carries).
        #expect(try psql(unit, as: "pete", """
            UPDATE haul.items SET document = jsonb_set(document::jsonb, '{description}', '"flour"')::text
            WHERE case_reference = 'SW-2020-0417' AND item_id = 'I-001'
            """).status == 0)
        let laundered = try psql(unit, as: "pete", """
            INSERT INTO haul.records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
            SELECT 'SW-2020-0417', s.head_sequence + 1, 'interest', 'x', 'UTC', 'DC 4471', 'r',
                   jsonb_build_array(jsonb_build_object('itemsReplaced', jsonb_build_object('_0', jsonb_build_array(i.document::jsonb))))::text,
                   s.head, 'h', 'now'
            FROM haul.case_state s, haul.items i WHERE s.case_reference = 'SW-2020-0417' AND i.case_reference = s.case_reference AND i.item_id = 'I-001'
            """)
        #expect(laundered.status != 0 && laundered.stderr.contains("interests and valuations"), "\(laundered.stderr)")
        // Nor with a key written twice, which jsonb and Haul's reader would take differently.
        let twice = try psql(unit, as: "pete", """
            INSERT INTO haul.records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
            SELECT 'SW-2020-0417', s.head_sequence + 1, 'interest', 'x', 'UTC', 'DC 4471', 'r',
                   '[{"itemsReplaced":{"_0":[' || i.document || '],"_0":[' || i.document || ']}}]', s.head, 'h', 'now'
            FROM haul.case_state s, haul.items i WHERE s.case_reference = 'SW-2020-0417' AND i.case_reference = s.case_reference AND i.item_id = 'I-001'
            """)
        #expect(twice.status != 0 && twice.stderr.contains("may not repeat a key within one object"), "\(twice.stderr)")
        let viaHaul = try haul(unit, as: "pete", "interest", "I-001", "--person", "D-1", "--owner", "50")
        #expect(viaHaul.status != 0 && viaHaul.stderr.contains("case SW-2020-0417: the rows and the chain differ in the description of item I-001"), "\(viaHaul.stderr)")
        let audited = try cli.haul("audit", "--db", unit.url)
        #expect(audited.status == 1 && audited.stdout.contains("(the description of item I-001)"), "\(audited.stdout)")
    }

    @Test("the access log holds one entry per read, export and write, and no role (nor the administrator) can change or delete one")
    func accessLog() throws {
        guard let unit = try unit() else { return }
        defer { drop(unit) }
        func entries() throws -> Int { Int(try PostgresServer.psql(unit.url, "SELECT count(*) FROM haul.access_log").stdout.trimmingCharacters(in: .whitespacesAndNewlines))! }
        // Each command, who runs it, and the entry it must leave.
        // A command that shows figures and records them (`value --save`) both consults and alters.
        let commands: [(user: String, arguments: [String], actions: [String], case: String?)] = [
            ("alice", ["case", "show", "SW-2020-0417"], ["consultation"], "SW-2020-0417"),
            ("alice", ["value", "SW-2020-0417"], ["consultation"], "SW-2020-0417"),
            ("alice", ["value", "SW-2020-0417", "--save", "--purpose", "valuation for the restraint application"], ["consultation", "alteration"], "SW-2020-0417"),
            ("alice", ["person", "add", "SW-2020-0417", "--id", "P-9", "--role", "suspect", "--name", "A Person"], ["alteration"], "SW-2020-0417"),
            ("alice", ["export", "SW-2020-0417", "-o", "case.xml", "--recipient", "CPS Proceeds of Crime Division", "--purpose", "disclosure for the s.16 statement"], ["disclosure"], "SW-2020-0417"),
            ("alice", ["due", "SW-2020-0417"], ["disclosure"], "SW-2020-0417"),
            ("sue", ["history", "I-005"], ["consultation"], "SW-2020-0417"),
            ("pete", ["confiscation", "show", "SW-2020-0417"], ["consultation"], "SW-2020-0417"),
            ("pete", ["schedule", "SW-2020-0417", "-o", "schedule.html", "--recipient", "Bristol Crown Court"], ["disclosure"], "SW-2020-0417"),
            ("ann", ["audit", "SW-2020-0417"], ["consultation"], "SW-2020-0417"),
            ("bob", ["case", "list"], ["consultation"], nil),
        ]
        for command in commands {
            let before = try entries()
            let result = try haul(unit, as: command.user, command.arguments)
            #expect(result.status == 0, "haul \(command.arguments.joined(separator: " ")): \(result.stderr)")
            let added = try PostgresServer.psql(unit.url, "SELECT user_name, action, coalesce(case_reference, '-'), command, coalesce(reason, ''), coalesce(recipient, '') FROM haul.access_log WHERE id > (SELECT max(id) FROM haul.access_log) - \(try entries() - before) ORDER BY id").stdout
            let lines = added.split(separator: "\n")
            // Entries naming no case (a look-up across cases) may come beside the case's own.
            let named = lines.filter { !$0.contains("|-|") || command.case == nil }
            #expect(named.count == command.actions.count, "haul \(command.arguments.joined(separator: " ")) left \(lines)")
            for (line, action) in zip(named, command.actions) {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                #expect(fields[0] == unit.login(command.user) && fields[1] == action && fields[2] == (command.case ?? "-"), "\(line)")
                if let purpose = command.arguments.firstIndex(of: "--purpose") { #expect(fields[4] == command.arguments[purpose + 1]) }
                if let recipient = command.arguments.firstIndex(of: "--recipient") { #expect(fields[5] == command.arguments[recipient + 1]) }
            }
        }
        // haul register log shows them: an auditor all, an investigator their own.
        let all = try haul(unit, as: "ann", "register", "log", "--case", "SW-2020-0417", "--json")
        #expect(all.status == 0)
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
        #expect(Set(parsed.compactMap { $0["user"] as? String }).isSuperset(of: ["alice", "pete", "ann"].map(unit.login)))
        let own = try haul(unit, as: "alice", "register", "log", "--json")
        let ownParsed = try #require(try JSONSerialization.jsonObject(with: Data(own.stdout.utf8)) as? [[String: Any]])
        #expect(!ownParsed.isEmpty && ownParsed.allSatisfy { $0["user"] as? String == unit.login("alice") })
        // Append-only for everyone: each role, and the administrator who owns the table.
        let count = try entries()
        for user in ["alice", "sue", "pete", "ann"] {
            #expect(try psql(unit, as: user, "DELETE FROM haul.access_log").status != 0)
            #expect(try psql(unit, as: user, "UPDATE haul.access_log SET user_name = 'nobody'").status != 0)
            #expect(try psql(unit, as: user, "INSERT INTO haul.access_log (command, action) VALUES ('forged', 'consultation')").status != 0)
        }
        #expect(try PostgresServer.psql(unit.url, "DELETE FROM haul.access_log").status != 0)
        #expect(try PostgresServer.psql(unit.url, "UPDATE haul.access_log SET reason = 'x'").status != 0)
        #expect(try PostgresServer.psql(unit.url, "TRUNCATE haul.access_log").status != 0)
        // Only the reading of the log by the administrator's psql queries above was not logged:
        // nothing was lost or changed.
        #expect(try entries() == count)
    }
}

extension PostgresRegisterCLITests {
    @Test("an empty database says how to make a register; init twice changes nothing; a register of a later format is refused naming both versions")
    func formats() throws {
        guard let admin = try PostgresServer.adminURL() else {
            print(PostgresServer.skipped)
            return
        }
        let database = try PostgresServer.freshDatabase(admin: admin)
        defer { PostgresServer.drop(database.name, admin: admin) }
        let empty = try cli.haul("case", "list", "--db", database.url)
        #expect(empty.status == 1 && empty.stderr.contains("holds no Haul register") && empty.stderr.contains("haul register init"), "\(empty.stderr)")
        #expect(try PostgresServer.psql(database.url, "SELECT count(*) FROM pg_namespace WHERE nspname = 'haul'").stdout == "0\n", "a read made something")
        #expect(try cli.haul("register", "init", "--db", database.url).status == 0)
        let again = try cli.haul("register", "init", "--db", database.url)
        #expect(again.status == 0 && again.stdout.contains("already holds a Haul register"))
        #expect(try PostgresServer.psql(database.url, "SELECT count(*) FROM haul.migrations").stdout == "3\n")
        // A register of format 2 (a prosecutor's item judged against its row, not the chain):
        // a user's command says how to bring it up to date; register init does.
        #expect(try PostgresServer.psql(database.url, """
            DROP FUNCTION haul.chain_item(text, text); DROP FUNCTION haul.normalised(jsonb); DROP FUNCTION haul.repeats_a_key(json);
            DROP FUNCTION haul.log_refusal(text, text, text);
            ALTER TABLE haul.access_log DROP CONSTRAINT access_log_action_check;
            ALTER TABLE haul.access_log ADD CONSTRAINT access_log_action_check
                CHECK (action IN ('collection', 'alteration', 'consultation', 'disclosure', 'combination', 'erasure'));
            CREATE OR REPLACE FUNCTION haul.check_record_changes() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
            DELETE FROM haul.migrations WHERE name LIKE '3 %'; UPDATE haul.haul_register SET format = 2
            """).status == 0)
        let two = try cli.haul("case", "list", "--db", database.url)
        #expect(two.status == 1 && two.stderr.contains("PostgreSQL register format 2") && two.stderr.contains("haul register init --db URL"), "\(two.stderr)")
        let upgraded = try cli.haul("register", "init", "--db", database.url)
        #expect(upgraded.status == 0 && upgraded.stdout.contains("from format 2 to 3: 3 a prosecutor's items judged against the chain, refusals logged"), "\(upgraded.stdout)\(upgraded.stderr)")
        #expect(try PostgresServer.psql(database.url, "SELECT count(*) FROM pg_proc WHERE proname = 'chain_item'").stdout == "1\n")
        #expect(try PostgresServer.psql(database.url, "SELECT prosrc LIKE '%chain_item%' AND prosrc LIKE '%repeats_a_key%' FROM pg_proc WHERE proname = 'check_record_changes'").stdout == "t\n")
        #expect(try PostgresServer.psql(database.url, "SELECT pg_get_constraintdef(oid) LIKE '%refused%' FROM pg_constraint WHERE conname = 'access_log_action_check'").stdout == "t\n")
        // One item written by two Haul versions compares equal: an empty list written or left out, 80000 or "80000.00".
        #expect(try PostgresServer.psql(database.url, """
            SELECT haul.normalised('{"denominations":[],"countedAmount":80000,"central":{"amount":"80000.00"},"on":"2021-01-04"}')
                 = haul.normalised('{"countedAmount":80000,"central":{"amount":"80000"},"on":"2021-01-04"}'),
                   haul.normalised('{"amount":"80000.01"}') = haul.normalised('{"amount":"80000"}'),
                   haul.normalised('{"serialNumber":"0012"}') = haul.normalised('{"serialNumber":"12"}')
            """).stdout == "t|f|f\n")
        // A later Haul's register: refused before anything is read or written.
        #expect(try PostgresServer.psql(database.url, "UPDATE haul.haul_register SET format = 99, written_by = '9.9.9'").status == 0)
        let newer = try cli.haul("case", "list", "--db", database.url)
        #expect(newer.status == 1 && newer.stderr.contains("Haul 9.9.9") && newer.stderr.contains("format 99") && newer.stderr.contains("formats up to 3"), "\(newer.stderr)")
        // A wrong password is refused by the server, and not printed.
        let wrong = try cli.haul("case", "list", "--db", PostgresServer.url(database.url, database: database.name, user: "haul_admin", password: "not-the-password"))
        #expect(wrong.status == 1 && wrong.stderr.contains("cannot connect") && !wrong.stderr.contains("not-the-password"), "\(wrong.stderr)")
    }

    @Test("register copy takes an investigator's SQLite register into PostgreSQL and back: chains verified, every export byte-identical")
    func copy() throws {
        guard let admin = try PostgresServer.adminURL() else {
            print(PostgresServer.skipped)
            return
        }
        let database = try PostgresServer.freshDatabase(admin: admin)
        defer { PostgresServer.drop(database.name, admin: admin) }
        let (folder, environment) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let sqlite = try #require(environment["HAUL_DB"])
        // A case with a move, a person and a confiscation input besides its valuation.
        #expect(try cli.haul("status", "I-005", "detained", "--on", "2020-06-18T12:00", "--regime", "cash", environment: environment).status == 0)
        #expect(try cli.haul("confiscation", "benefit", "SW-2020-0417", "--description", "proceeds", "--obtained", "2020-03-01", "--value", "25000",
                             environment: environment).status == 0)
        #expect(try cli.haul("case", "open", "SECOND-1", "--opened", "2021-01-04", "--agency", "ASC:seizing:Avon and Somerset", environment: environment).status == 0)
        #expect(try cli.haul("register", "init", "--db", database.url).status == 0)

        let there = try cli.haul("register", "copy", sqlite, database.url)
        #expect(there.status == 0, "\(there.stderr)")
        #expect(there.stdout.contains("Copied 2 cases"), "\(there.stdout)")
        #expect(!(there.stdout + there.stderr).contains("haul-test-superuser"), "the password was printed")
        let back = folder + "/back.sqlite"
        let returned = try cli.haul("register", "copy", database.url, back)
        #expect(returned.status == 0, "\(returned.stderr)")
        for (name, register) in [("sqlite", sqlite), ("postgres", database.url), ("back", back)] {
            #expect(try cli.haul("audit", "--db", register).status == 0, "\(name)")
            #expect(try cli.haul("export", "SW-2020-0417", "-o", "\(folder)/\(name).xml", "--db", register, environment: environment).status == 0)
        }
        let original = try Data(contentsOf: URL(fileURLWithPath: folder + "/sqlite.xml"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/postgres.xml")) == original, "the PostgreSQL copy exports differently")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/back.xml")) == original, "the copy back exports differently")
        // The same case list, item counts and chain lengths on each; find gives the same items
        // (by brand, kind and asset as well as description and keys).
        let lists = try [sqlite, database.url, back].map { try cli.haul("case", "list", "--db", $0).stdout }
        #expect(lists[0] == lists[1] && lists[1] == lists[2], "\(lists)")
        for text in ["rolex", "jewellery", "btc", "wu19 hxl", "mercedes-benz"] {
            let found = try [sqlite, database.url].map { try cli.haul("find", text, "--db", $0).stdout }
            #expect(found[0] == found[1] && found[0].contains("match"), "\(text): \(found)")
        }
        // A second copy finds the cases there with the same chains and leaves them (a copy stopped
        // part way is run again).
        let again = try cli.haul("register", "copy", sqlite, database.url)
        #expect(again.status == 0 && again.stdout.contains("Copied 0 cases") && again.stdout.contains("(2 already there with the same chain)"), "\(again.stdout)\(again.stderr)")
        // The same register twice, however spelled, is a usage error.
        let itself = try cli.haul("register", "copy", sqlite, folder + "/./" + URL(fileURLWithPath: sqlite).lastPathComponent)
        #expect(itself.status == 64 && itself.stderr.contains("FROM and TO name the same register"), "\(itself.stderr)")
        // A register holding another case of the same reference: the copy stops there, naming
        // that case and every case not copied, and the same command afterwards copies the rest.
        let clash = folder + "/clash.sqlite"
        #expect(try cli.haul("case", "open", "SECOND-1", "--opened", "2021-02-01", "--agency", "NCA:seizing:National Crime Agency", "--db", clash).status == 0)
        let stopped = try cli.haul("register", "copy", sqlite, clash)
        #expect(stopped.status == 1 && stopped.stderr.contains("case SECOND-1 was not copied: the register at \(clash) already has a case SECOND-1 whose chain is not this one")
                && stopped.stderr.contains("Copied 0 of 2 cases; not copied: SECOND-1, SW-2020-0417"), "\(stopped.stderr)")
        #expect(try cli.haul("case", "list", "--db", clash).stdout.contains("SW-2020-0417") == false)
        // Both backends' triggers index the status moves by seizure alike.
        let query = "SELECT sequence || ' ' || seizure_id FROM event_seizures WHERE case_reference = 'SW-2020-0417' ORDER BY sequence, seizure_id"
        let indexed = try PostgresServer.psql(database.url, "SET search_path TO haul; " + query).stdout
        #expect(indexed.split(separator: "\n").count == 1, "\(indexed)")
        if let sqlite3 = try CLITests.tool("sqlite3") {
            #expect(try cli.runTool(sqlite3, [back, query]).stdout == indexed)
        }
        // A register of format 1 (before the index): a user's command says how to bring it up to
        // date and changes nothing; register init fills the index from the moves already there.
        #expect(try PostgresServer.psql(database.url, """
            DROP TABLE haul.event_seizures; DROP FUNCTION haul.index_event_seizures() CASCADE;
            DELETE FROM haul.migrations WHERE name = '2 status moves by seizure'; UPDATE haul.haul_register SET format = 1
            """).status == 0)
        let old = try cli.haul("case", "list", "--db", database.url)
        #expect(old.status == 1 && old.stderr.contains("PostgreSQL register format 1") && old.stderr.contains("haul register init --db URL"), "\(old.stderr)")
        let brought = try cli.haul("register", "init", "--db", database.url)
        #expect(brought.status == 0 && brought.stdout.contains("from format 1 to 3: 2 status moves by seizure"), "\(brought.stdout)\(brought.stderr)")
        #expect(try PostgresServer.psql(database.url, "SET search_path TO haul; " + query).stdout == indexed)
        #expect(try cli.haul("audit", "--db", database.url).status == 0)
        // A row taken out by the tables' owner is named by the audit.
        #expect(try PostgresServer.psql(database.url, "DELETE FROM haul.event_seizures").status == 0)
        let audited = try cli.haul("audit", "--db", database.url)
        #expect(audited.status == 1 && audited.stdout.contains("case SW-2020-0417: its index of status moves by seizure differs from its chain (0 rows, 1 expected)"),
                "\(audited.stdout)\(audited.stderr)")
    }

    func haul(_ unit: Unit, as user: String, _ arguments: [String]) throws -> CLITests.Result {
        let result = try cli.haulArray(arguments + ["--db", unit.user(user)], in: unit.folder)
        #expect(!(result.stdout + result.stderr).contains("\(user)-secret"), "haul printed \(user)'s password")
        return result
    }
}
