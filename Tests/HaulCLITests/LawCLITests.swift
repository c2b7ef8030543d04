import Foundation
import HaulData
import Testing

/// Deadlines and moves as the statute counts them, through `haul`: the 48 hours from the
/// seizure with a warning for a late record, a late detention order refused without a reason
/// and flagged everywhere with one, an early forfeiture refused, the register left as it was.
@Suite("the law as written, through haul")
struct LawCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()
    let ledger = LedgerCLITests()

    @Test("the 48 hours from the seizure; a late detention order needs --late and is flagged in due, case show, history and the export")
    func lateDetentionOrder() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        // S3 was seized Saturday 20 June 2020 14:40; the detention is recorded Monday 09:00. The 48 hours
        // run from the seizure: the weekend is not counted, Monday and Tuesday give 48 hours, due
        // Wednesday 24 June 00:00 — not Wednesday 09:00 as counted from the record.
        let detained = try cli.haul("status", "I-013", "detained", "--on", "2020-06-22T09:00", environment: env)
        #expect(detained.status == 0)
        #expect(detained.stdout.contains("  I-013 next deadline: 2020-06-24 00:00 — gb-cash-initial-detention"))
        #expect(detained.stderr == "haul: warning: I-013 was seized at 2020-06-20T14:40:00+01:00; gb-cash-initial-detention counts from the seizure, not from this move recorded 1 day 18 h 20 min later\n")

        // The order comes Wednesday 10:00, after the 48 hours: refused, nothing recorded.
        let before = try ledger.dump(db)
        let refused = try cli.haul("status", "I-013", "detention-order", "--on", "2020-06-24T10:00", "--authority", "Bromley MC 2020/0624", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("detained → detention-order at 2020-06-24T10:00:00+01:00 is late: the period ran out at 2020-06-24T00:00:00+01:00 (gb-cash-initial-detention"))
        #expect(refused.stderr.contains("record it with --late REASON"))
        #expect(try ledger.dump(db) == before)

        let reason = "application lodged Tuesday 15:00; listed by the court on Wednesday"
        let recorded = try cli.haul("status", "I-013", "detention-order", "--on", "2020-06-24T10:00", "--authority", "Bromley MC 2020/0624",
                                    "--late", reason, environment: env)
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.contains("  recorded as late: \(reason)\n"))

        let due = try cli.haul("due", "--on", "2020-06-24", "--within", "200d", environment: env).stdout
        #expect(due.contains("      late: event 3 (→ detention-order at 2020-06-24 10:00) was recorded after its deadline: \(reason)\n"), "\(due)")
        let shown = try cli.haul("case", "show", "SW-2020-0417", "--on", "2020-06-24", environment: env).stdout
        // The glance cuts long lines at the terminal's width.
        #expect(shown.contains("\nMoves recorded after their deadline (haul history ITEM for the reasons)\n  I-013   #3 → detention-order 2020-06-24 10:00: application lodged"), "\(shown)")
        let json = try cli.haul("due", "--on", "2020-06-24", "--within", "200d", "--json", environment: env).stdout
        #expect(json.contains("\"reason\" : \"\(reason)\"") || json.contains("\"reason\":\"\(reason)\""), "\(json)")

        // The export carries the reason in the event (hashed with it); Haul and xmllint accept it, and
        // a file with the reason edited is refused.
        let file = folder + "/case.xml"
        #expect(try cli.haul("export", "SW-2020-0417", "-o", file, environment: env).status == 0)
        let xml = try String(contentsOfFile: file, encoding: .utf8)
        #expect(xml.contains("<late>\(reason)</late>"))
        #expect(xml.contains("schemaVersion=\"1.6\""))
        if let accepted = try RegisterCLITests.xmllintAccepts(file) { #expect(accepted) }
        try xml.replacingOccurrences(of: "<late>\(reason)</late>", with: "<late>listed promptly</late>").write(toFile: folder + "/edited.xml", atomically: true, encoding: .utf8)
        let edited = try cli.haul("validate", folder + "/edited.xml", environment: env)
        #expect(edited.status != 0)
        #expect((edited.stdout + edited.stderr).contains("event 3 was altered"))
        // Imported into a fresh register it keeps the reason.
        let second = folder + "/second.sqlite"
        #expect(try cli.haul("import", file, environment: ["HAUL_DB": second, "HAUL_HOME": folder]).status == 0)
        #expect(try cli.haul("history", "I-013", environment: ["HAUL_DB": second]).stdout.contains("late: \(reason)"))
    }

    @Test("a cash forfeiture notice: forfeiture refused until 30 days starting with the day after the notice have run")
    func earlyForfeiture() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        // I-013 is under a detention order since Monday 22 June 2020. Notice given Wednesday 1 July:
        // day one is 2 July, the 30th is 31 July.
        let notice = try cli.haul("status", "I-013", "forfeiture-notice", "--on", "2020-07-01T10:00", "--authority", "AFN-2020-0701 (s.297A)", environment: env)
        #expect(notice.status == 0, "\(notice.stderr)")
        #expect(notice.stdout.contains("  I-013 next deadline: 2020-07-31 23:59 — gb-cash-notice-objection"))
        // Whatever Haul accepts it can export: the notice's deadline goes into the case file with
        // its rule's source (it was longer than the 200 characters the file carries).
        let underNotice = try cli.haul("export", "SW-2020-0417", "-o", folder + "/notice.xml", environment: env)
        #expect(underNotice.status == 0, "\(underNotice.stderr)")
        let before = try ledger.dump(db)
        let early = try cli.haul("status", "I-013", "forfeited", "--on", "2020-07-31T17:00", environment: env)
        #expect(early.status == 1)
        #expect(early.stderr.contains("forfeiture-notice → forfeited is allowed only once the period has run: it ends 2020-07-31T23:59:59+01:00"))
        #expect(try ledger.dump(db) == before)
        // Once the objection period has run nothing is overdue of it: it was a period to wait out,
        // and forfeiture is now open. I-009's initial detention (48 hours from 18 June) still is.
        let waited = try cli.haul("due", "SW-2020-0417", "--on", "2020-08-01", "--within", "1d", environment: env)
        #expect(waited.stdout.contains("  ENDED   2020-07-31 23:59  SW-2020-0417/I-013 (HAL/LDN/1)  forfeiture-notice\n"), "\(waited.stdout)")
        #expect(waited.stdout.contains("      the period has run: it may now move to forfeited\n"))
        #expect(waited.stdout.contains("OVERDUE 2020-06-22 07:20  SW-2020-0417/I-009 (HAL/SH/1)  detained"), "\(waited.stdout)")
        let waitedJSON = try cli.haul("due", "SW-2020-0417", "--on", "2020-08-01", "--within", "1d", "--json", environment: env)
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(waitedJSON.stdout.utf8)) as? [[String: Any]])
        let objection = try #require(listed.first { ($0["rule"] as? String) == "gb-cash-notice-objection" || (($0["deadline"] as? [String: Any])?["rule"] as? String) == "gb-cash-notice-objection" })
        #expect(objection["overdue"] as? Bool == false && objection["ended"] as? Bool == true && objection["mayNowMoveTo"] as? [String] == ["forfeited"], "\(objection)")
        let glance = try cli.haul("case", "show", "SW-2020-0417", "--on", "2020-08-01", environment: env)
        #expect(glance.stdout.contains("  ENDED   2020-07-31 23:59  I-013   gb-cash-notice-objection"), "\(glance.stdout)")
        // The day after, it is forfeited; the set-aside window (s.297E) runs 30 days starting with 31 July.
        let forfeited = try cli.haul("status", "I-013", "forfeited", "--on", "2020-08-01T09:00", environment: env)
        #expect(forfeited.status == 0, "\(forfeited.stderr)")
        #expect(forfeited.stdout.contains("  I-013 next deadline: 2020-08-29 23:59 — gb-cash-set-aside"))
        let afterForfeiture = try cli.haul("export", "SW-2020-0417", "-o", folder + "/forfeited.xml", environment: env)
        #expect(afterForfeiture.status == 0, "\(afterForfeiture.stderr)")
        if let valid = try RegisterCLITests.xmllintAccepts(folder + "/forfeited.xml") { #expect(valid) }
    }

    @Test("a payment with no confiscation order, or dated before it, is refused and nothing is recorded")
    func paymentNeedsOrder() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        let before = try ledger.dump(db)
        let orphan = try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env)
        #expect(orphan.status == 1)
        #expect(orphan.stderr.contains("case SW-2020-0417 has no confiscation order to pay; record the order first"))
        #expect(try ledger.dump(db) == before)
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
        let early = try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-05-31", "--amount", "100", environment: env)
        #expect(early.status == 1)
        #expect(early.stderr.contains("is dated before the order BCC-1 was made (2021-06-01)"))
    }

    @Test("the confiscation order's deadlines in due, case show and the calendar: time to pay, a pending extension, overdue with money outstanding, none once paid")
    func confiscationDeadlines() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        // Made 1 June 2021, time to pay allowed to 31 August (s.11): interest runs from 1 September (s.12).
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000",
                             "--time-to-pay-until", "2021-08-31", environment: env).status == 0)
        let due = try cli.haul("due", "--on", "2021-08-20", "--within", "30d", environment: env).stdout
        #expect(due.contains("""
              2021-08-31 23:59  SW-2020-0417 confiscation order BCC-1
                  Time to pay for order BCC-1 ends; interest runs from 2021-09-01 on what is unpaid (s.12)
                  gb-conf-time-to-pay: POCA 2002 s.11(2)-(3): time to pay allowed by the court

            """), "\(due)")
        // Seven weeks later, £100,000 paid, £150,000 outstanding: overdue.
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-09-10", "--amount", "100000", environment: env).status == 0)
        let late = try cli.haul("due", "--on", "2021-10-19", "--within", "1d", environment: env).stdout
        #expect(late.contains("  OVERDUE 2021-08-31 23:59  SW-2020-0417 confiscation order BCC-1\n"), "\(late)")
        let shown = try cli.haul("case", "show", "SW-2020-0417", "--on", "2021-10-19", environment: env).stdout
        #expect(shown.contains("Next deadlines (from 2021-10-19)\n  OVERDUE 2021-08-31 23:59  order BCC-1 gb-conf-time-to-pay\n"), "\(shown)")
        #expect(!shown.contains("Deadlines: none running"))

        // An application to extend, made in time on 20 August and not yet decided: interest is suspended
        // at most until six months starting with 1 June 2021 have ended, the end of 30 November (s.12(3)).
        #expect(try cli.haul("confiscation", "extension", "SW-2020-0417", "--applied", "2021-08-20", environment: env).status == 0)
        let pending = try cli.haul("due", "--on", "2021-10-19", "--within", "60d", environment: env).stdout
        #expect(pending.contains("  2021-11-30 23:59  SW-2020-0417 confiscation order BCC-1\n      Extension application of 2021-08-20 for order BCC-1 undetermined: interest suspended at most until 2021-11-30 (s.12(3))\n"), "\(pending)")
        guard let python = try CalendarCLITests.python() else { return }
        #expect(try cli.haul("due", "--on", "2021-10-19", "--within", "60d", "--ics", folder + "/pending.ics", environment: env).status == 0)
        let before = try CalendarCLITests().events(folder + "/pending.ics", python: python)
        #expect(before.map(\.start) == ["2021-08-31", "2021-11-30"])
        #expect(before.allSatisfy { $0.status == "CONFIRMED" })

        // Granted to 30 November on 1 November, then paid in full: the time to pay moves (same UID) and then no
        // longer runs; the application's entry is cancelled.
        #expect(try cli.haul("confiscation", "extension", "SW-2020-0417", "--applied", "2021-08-20", "--decided", "2021-11-01", "--until", "2021-11-30", environment: env).status == 0)
        #expect(try cli.haul("due", "--on", "2021-11-02", "--within", "60d", "--ics", folder + "/granted.ics", environment: env).status == 0)
        let granted = try CalendarCLITests().events(folder + "/granted.ics", python: python)
        let timeToPay = try #require(granted.first { $0.uid == before[0].uid })
        #expect(timeToPay.start == "2021-11-30")
        #expect(Int(timeToPay.sequence)! > Int(before[0].sequence)!)
        #expect(granted.first { $0.uid == before[1].uid }?.status == "CANCELLED")
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-11-20", "--amount", "150000", environment: env).status == 0)
        let paid = try cli.haul("due", "--on", "2021-11-21", "--within", "60d", environment: env).stdout
        #expect(!paid.contains("confiscation order BCC-1"), "\(paid)")
    }

    @Test("the exported available-amount lines add up to the stated total; validate refuses a file whose lines do not")
    func linesFoot() throws {
        let (folder, env) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2019-09-01", "--value", "750000").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A Defendant").status == 0)
        #expect(try run("interest", "I-006", "--person", "P-1", "--owner", "33.333").status == 0)
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/case.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        // Read back independently: every <line section="available"> amount, summed here with Decimal.
        let pieces = text.components(separatedBy: "<line section=\"available\"").dropFirst()
        let amounts = pieces.compactMap { piece -> Decimal? in
            guard let start = piece.range(of: "<amount currency=\"GBP\">"), let end = piece.range(of: "</amount>", range: start.upperBound..<piece.endIndex) else { return nil }
            return Decimal(string: String(piece[start.upperBound..<end.lowerBound]))
        }
        try #require(amounts.count >= 3)
        let total = try #require(amounts.last)
        #expect(amounts.dropLast().reduce(0, +) == total)
        #expect(text.contains("<availableAmount currency=\"GBP\">\(DecimalFormat.plain(total))</availableAmount>"), "\(total)")
        // The total line altered by a penny: named by validate, whose line it is.
        let totalLine = "<description>Available amount</description>\n      <amount currency=\"GBP\">\(DecimalFormat.plain(total))</amount>"
        #expect(text.contains(totalLine))
        let edited = text.replacingOccurrences(of: totalLine, with: "<description>Available amount</description>\n      <amount currency=\"GBP\">\(DecimalFormat.plain(total + Decimal(string: "0.01")!))</amount>")
        try edited.write(toFile: folder + "/edited.xml", atomically: true, encoding: .utf8)
        let validated = try cli.haul("validate", folder + "/edited.xml")
        #expect(validated.status == 1)
        #expect(validated.stdout.contains("the available amount lines add up to \(DecimalFormat.plain(total)), but the total line says"), "\(validated.stdout)")
        // A file written before 1.4, when lines were not yet footed, stays valid as it was.
        try edited.replacingOccurrences(of: "schemaVersion=\"1.6\"", with: "schemaVersion=\"1.3\"").write(toFile: folder + "/older.xml", atomically: true, encoding: .utf8)
        let older = try cli.haul("validate", folder + "/older.xml")
        #expect(older.status == 0, "\(older.stdout)")
    }

    /// An ECB rates file of one day.
    func ratesFile(_ path: String, day: String, gbp: String) throws {
        try """
            <?xml version="1.0" encoding="UTF-8"?>
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
              <Cube><Cube time="\(day)"><Cube currency="USD" rate="1.1200"/><Cube currency="GBP" rate="\(gbp)"/></Cube></Cube>
            </gesmes:Envelope>
            """.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test("the £1,000 minimum across euro cash names the rate and its day when it refuses; --rates values with that file alone")
    func minimumNamesTheRate() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "EUR-1", "--opened", "2020-06-18", "--agency", "ASC:seizing:Avon and Somerset Constabulary").status == 0)
        #expect(try run("seize", "EUR-1", "cash", "--id", "I-1", "--exhibit", "E/1", "--seizure", "S1", "--at", "2020-06-18T07:20", "--place", "Bristol",
                        "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "ASC", "currency=EUR", "amount=1100").status == 0)
        // €1,100 at 0.85 GBP per EUR = £935, under £1,000 (POCA s.294(3)): refused, naming the rate, its file and day.
        try ratesFile(folder + "/low.xml", day: "2020-06-17", gbp: "0.85000")
        let refused = try run("status", "I-1", "detained", "--on", "2020-06-18T07:20", "--regime", "cash", "--rates", folder + "/low.xml")
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("the seizure is worth 935.00 GBP, below the minimum of 1000.00 GBP"), "\(refused.stderr)")
        #expect(refused.stderr.contains("converted: I-1 1100.00 EUR at 0.85 GBP per EUR (\(folder)/low.xml, 2020-06-17)"), "\(refused.stderr)")
        // At 0.95 (£1,045) the same move is allowed: --rates decided it, not the shipped days.
        try ratesFile(folder + "/high.xml", day: "2020-06-17", gbp: "0.95000")
        let allowed = try run("status", "I-1", "detained", "--on", "2020-06-18T07:20", "--regime", "cash", "--rates", folder + "/high.xml")
        #expect(allowed.status == 0, "\(allowed.stderr)")
        let valued = try run("value", "EUR-1", "--rates", folder + "/low.xml", "--json")
        #expect(valued.stdout.contains("\"central\" : \"935.00\"") || valued.stdout.contains("935.00"), "\(valued.stdout)")
    }

    @Test("CAFRA through haul: the 60-day notice runs from the seizure for an item never moved; adoption gives 90 days; a late notice needs --late")
    func cafra() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "US-1", "--opened", "2020-06-18", "--jurisdiction", "US", "--agency", "DEA:seizing:Drug Enforcement Administration").status == 0)
        for (id, seizure) in [("I-1", "S1"), ("I-2", "S2")] {
            #expect(try run("seize", "US-1", "cash", "--id", id, "--exhibit", "E/\(id)", "--seizure", seizure, "--at", "2020-06-18T09:00", "--place", "Newark",
                            "--power", "us-federal-seizure", "--officer", "SA 1", "--agency", "DEA", "currency=USD", "amount=25000").status == 0)
        }
        // Seized Thursday 18 June 2020: "in no case more than 60 days after the date of the seizure", 17 August.
        let due = try run("due", "--on", "2020-06-19", "--within", "90d").stdout
        #expect(due.contains("  2020-08-17 23:59  US-1/I-1 (E/I-1)  seized\n      us-cafra-notice: 18 U.S.C. 983(a)(1)(A)(i)"), "\(due)")
        // I-2 was a State seizure turned over on 1 July: 90 days after the State seizure, 16 September.
        #expect(try run("status", "I-2", "adopted", "--on", "2020-07-01T10:00", "--authority", "DEA adoption 20-0701").status == 0)
        #expect(try run("due", "--on", "2020-06-19", "--within", "120d").stdout.contains("  2020-09-16 23:59  US-1/I-2 (E/I-2)  adopted\n"))
        // A notice for I-1 on 18 August is late; with the reason it is recorded.
        let late = try run("status", "I-1", "notice-sent", "--on", "2020-08-18T10:00", "--authority", "DEA letter 20-0818")
        #expect(late.status == 1)
        #expect(late.stderr.contains("is late: the period ran out at 2020-08-17T23:59:59-04:00 (us-cafra-notice"), "\(late.stderr)")
        #expect(try run("status", "I-1", "notice-sent", "--on", "2020-08-18T10:00", "--authority", "DEA letter 20-0818", "--late", "letter returned undelivered; resent").status == 0)
    }

    @Test("commencement through haul: no account freezing order before Chapter 3B came into force on 31 January 2018 (SI 2018/78)")
    func commencement() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "AFO-1", "--opened", "2018-01-29", "--agency", "ASC:seizing:Avon and Somerset Constabulary").status == 0)
        // Money in a bank account, recorded as cash of £20,000 (over the £1,000 minimum of s.303Z8).
        #expect(try run("seize", "AFO-1", "cash", "--id", "I-1", "--exhibit", "E/1", "--seizure", "S1", "--at", "2018-01-29T10:00", "--place", "Bristol",
                        "--power", "other", "--officer", "DC 1", "--agency", "ASC", "currency=GBP", "amount=20000").status == 0)
        let early = try run("status", "I-1", "frozen", "--on", "2018-01-30T10:00", "--authority", "Bristol MC AFO 1", "--regime", "account-freezing")
        #expect(early.status == 1)
        #expect(early.stderr.contains("does not allow seized → frozen on 2018-01-30"), "\(early.stderr)")
        let inForce = try run("status", "I-1", "frozen", "--on", "2018-01-31T10:00", "--authority", "Bristol MC AFO 1", "--regime", "account-freezing")
        #expect(inForce.status == 0, "\(inForce.stderr)")
        // Two years starting with the day the order is made (s.303Z3(4)): to the end of 30 January 2020.
        #expect(inForce.stdout.contains("  I-1 next deadline: 2020-01-30 23:59 — gb-afo-cap"), "\(inForce.stdout)")
    }

    @Test("--late: a reason the case file could not carry is refused; of several items, it goes with the move when any is late")
    func lateReasons() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "TWO-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary").status == 0)
        for id in ["I-1", "I-2"] {
            #expect(try run("seize", "TWO-1", "cash", "--id", id, "--exhibit", "E/\(id)", "--seizure", "S1", "--at", "2021-03-01T10:00", "--place", "Bristol",
                            "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "ASC", "currency=GBP", "amount=5000").status == 0)
        }
        #expect(try run("status", "S1", "detained", "--on", "2021-03-01T10:00").status == 0)
        // Both ordered on 2 March (to the end of 1 September); I-2's renewed on 1 April (to the end of 30 September).
        #expect(try run("status", "S1", "detention-order", "--on", "2021-03-02T10:00", "--authority", "Bristol MC 1").status == 0)
        #expect(try run("status", "I-2", "detention-order", "--on", "2021-04-01T10:00", "--authority", "Bristol MC 2").status == 0)
        // A control character would make the case unexportable: refused, nothing recorded.
        let control = try run("status", "S1", "detention-order", "--on", "2021-09-15T10:00", "--authority", "Bristol MC 3", "--late", "listed late\u{01}")
        #expect(control.status == 1)
        #expect(control.stderr.contains("U+0001"), "\(control.stderr)")
        #expect(try run("status", "S1", "detention-order", "--on", "2021-09-15T10:00", "--authority", "Bristol MC 3", "--late", "   ").status == 64)
        // On 15 September I-1's order has ended, I-2's has not: without a reason refused, with one recorded.
        #expect(try run("status", "S1", "detention-order", "--on", "2021-09-15T10:00", "--authority", "Bristol MC 3").status == 1)
        let both = try run("status", "S1", "detention-order", "--on", "2021-09-15T10:00", "--authority", "Bristol MC 3", "--late", "renewal listed after I-1's order ended")
        #expect(both.status == 0, "\(both.stderr)")
        #expect(both.stdout.contains("  recorded as late: renewal listed after I-1's order ended\n"))
    }

    @Test("an order re-recorded with a later date may not leave a payment before it")
    func orderAfterPayment() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("import", HaulData.example("south-west-2020.xml").path).status == 0)
        #expect(try run("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000").status == 0)
        #expect(try run("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "1000").status == 0)
        let before = try ledger.dump(folder + "/register.sqlite")
        // Recorded again without saying why, it is refused for that first; with a reason, for the payment.
        let unexplained = try run("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-08-01", "--amount", "250000")
        #expect(unexplained.status == 1)
        #expect(unexplained.stderr.contains("case SW-2020-0417 already has the order BCC-1 made 2021-06-01 for £250,000.00; to record this order in its place, say why with --replacing REASON"),
                "\(unexplained.stderr)")
        let moved = try run("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-08-01", "--amount", "250000",
                            "--replacing", "the order's date was mistyped")
        #expect(moved.status == 1)
        #expect(moved.stderr.contains("the payment of 2021-07-01 would come before the order BCC-1 made 2021-08-01"), "\(moved.stderr)")
        #expect(try ledger.dump(folder + "/register.sqlite") == before)
    }
}


/// Amounts as the case file writes them: two decimal places.
enum DecimalFormat {
    static func plain(_ value: Decimal) -> String {
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 2, .plain)
        let formatter = NumberFormatter()
        formatter.minimumFractionDigits = 2
        formatter.maximumFractionDigits = 2
        formatter.usesGroupingSeparator = false
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: rounded as NSDecimalNumber) ?? ""
    }
}