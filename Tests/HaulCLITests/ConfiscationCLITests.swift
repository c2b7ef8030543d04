import Foundation
import HaulData
import Testing

@Suite("haul confiscation and schedule")
struct ConfiscationCLITests {
    let cli = CLITests()

    @Test("what has not happened yet is refused (a case, a seizure, a benefit, an order, a payment dated after today; an extension decided before it was asked for); nothing is recorded")
    func futureDates() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        // Two years on: after today in London whatever the machine's zone and the day of the year.
        let next = Calendar(identifier: .gregorian).component(.year, from: Date()) + 2
        let opened = try cli.haulArray(["case", "open", "F-0", "--opened", "\(next)-01-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env)
        #expect(opened.status == 1 && opened.stderr.contains("the case is opened on \(next)-01-01, after today"), "\(opened.stderr)")
        #expect(try cli.haulArray(["case", "open", "F-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        #expect(try cli.haulArray(["confiscation", "benefit", "F-1", "--description", "Cash", "--obtained", "2020-05-01", "--value", "5000"], environment: env).status == 0)
        #expect(try cli.haulArray(["confiscation", "order", "F-1", "--order-reference", "O1", "--made", "2021-06-01", "--amount", "5000"], environment: env).status == 0)
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let refused: [([String], String)] = [
            (["seize", "F-1", "phone", "--id", "I-1", "--exhibit", "E/1", "--seizure", "S1", "--at", "\(next)-03-01T06:10", "--place", "Bristol",
              "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC"], "seizure S1 is dated \(next)-03-01T06:10:00"),
            (["confiscation", "benefit", "F-1", "--description", "Later", "--obtained", "\(next)-01-10", "--value", "5"], "a benefit obtained on \(next)-01-10 is after today"),
            (["confiscation", "gift", "F-1", "--description", "Car", "--given", "\(next)-01-10", "--value", "5"], "a gift given on \(next)-01-10 is after today"),
            (["confiscation", "payment", "F-1", "--on", "\(next)-04-01", "--amount", "100"], "a payment on \(next)-04-01 is after today"),
            (["confiscation", "order", "F-1", "--order-reference", "O2", "--made", "\(next)-02-01", "--replacing", "varied"], "the order made on \(next)-02-01 is after today"),
            (["confiscation", "extension", "F-1", "--applied", "2022-04-20", "--decided", "2022-04-10"], "the extension is decided on 2022-04-10, before it was applied for on 2022-04-20"),
        ]
        for (arguments, message) in refused {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status == 1 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // A seizure from a sheet dated in the future, and a move corrected into the future.
        let sheet = "exhibit,id,kind,seizure,description,seized_at,place,power,officer,agency,substance,form,mass\n"
            + "AB/0,I-0,drug,S9,Powder,\(next)-03-01T06:10,Bristol,warrant,DC 1,ASC,cocaine,powder,1g\n"
        try sheet.write(toFile: folder + "/future.csv", atomically: true, encoding: .utf8)
        let intake = try cli.haulArray(["seize", "F-1", "--from", folder + "/future.csv"], environment: env)
        #expect(intake.status == 1 && intake.stderr.contains("seizure S9 is dated \(next)-03-01T06:10:00"), "\(intake.stdout)\(intake.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        #expect(try cli.haulArray(["seize", "F-1", "cash", "--id", "I-1", "--exhibit", "E/1", "--seizure", "S1", "--at", "2021-03-01T06:10", "--place", "Bristol",
                                   "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC", "amount=5000", "currency=GBP"], environment: env).status == 0)
        #expect(try cli.haulArray(["status", "I-1", "detained", "--on", "2021-03-01T07:00"], environment: env).status == 0)
        let moved = try LedgerCLITests().dump(folder + "/r.sqlite")
        let events = try #require(try cli.haulArray(["history", "I-1"], environment: env).stdout.split(separator: "#").dropFirst().first?.prefix { $0.isNumber })
        let corrected = try cli.haulArray(["correct", "F-1/\(events)", "--on", "\(next)-03-01T07:00", "--reason", "wrong year"], environment: env)
        #expect(corrected.status == 1 && corrected.stderr.contains("the corrected move is dated \(next)-03-01T07:00:00"), "\(corrected.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == moved)
        // The same inputs dated today or before are recorded.
        #expect(try cli.haulArray(["confiscation", "payment", "F-1", "--on", "2021-07-01", "--amount", "100"], environment: env).status == 0)
    }

    @Test("an order dated before the conviction recorded is refused, and so is a conviction recorded after the order (POCA 2002 s.6(2)(a)); nothing is recorded")
    func orderAfterConviction() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        for arguments in [["case", "open", "C-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"],
                          ["case", "proceedings", "C-1", "--court", "Bristol Crown Court", "--convicted", "2021-09-10"],
                          ["confiscation", "benefit", "C-1", "--description", "Cash", "--obtained", "2020-05-01", "--value", "5000"]] {
            #expect(try cli.haulArray(arguments, environment: env).status == 0, "\(arguments)")
        }
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let early = try cli.haulArray(["confiscation", "order", "C-1", "--order-reference", "CO/1", "--made", "2021-01-01", "--amount", "5000"], environment: env)
        #expect(early.status == 1 && early.stderr.contains("the order CO/1 made on 2021-01-01 would come before the conviction on 2021-09-10"), "\(early.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        #expect(try cli.haulArray(["confiscation", "order", "C-1", "--order-reference", "CO/1", "--made", "2021-11-01", "--amount", "5000"], environment: env).status == 0)
        let ordered = try LedgerCLITests().dump(folder + "/r.sqlite")
        let later = try cli.haulArray(["case", "proceedings", "C-1", "--court", "Bristol Crown Court", "--convicted", "2021-12-01"], environment: env)
        #expect(later.status == 1 && later.stderr.contains("would come before the conviction on 2021-12-01"), "\(later.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == ordered)
    }

    @Test("a negative amount is refused by its range, naming the option's figure, not taken for an unknown option; nothing is recorded")
    func negativeAmounts() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "N-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let benefit = try cli.haulArray(["confiscation", "benefit", "N-1", "--description", "Cash", "--obtained", "2020-05-01", "--value", "-5"], environment: env)
        #expect(benefit.status == 1)
        #expect(benefit.stderr.contains("value then -5 is out of range: it must be at least 0"), "\(benefit.stderr)")
        #expect(!benefit.stderr.contains("Missing value"))
        let gift = try cli.haulArray(["confiscation", "gift", "N-1", "--description", "Car", "--given", "2020-05-01", "--value", "10", "--value-now", "-1"], environment: env)
        #expect(gift.status != 0 && !gift.stderr.contains("Missing value"), "\(gift.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
    }

    @Test("a sum finer than a penny (100.005) is refused, naming it, whatever input it is; nothing is recorded and the case still exports and validates")
    func wholePence() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        for arguments in [["case", "open", "P-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"],
                          ["seize", "P-1", "cash", "--id", "I-001", "--exhibit", "E/1", "--seizure", "S1", "--at", "2021-03-01T10:00", "--place", "Bristol",
                           "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC", "currency=GBP", "amount=5000"],
                          ["person", "add", "P-1", "--id", "P-1", "--role", "defendant", "--name", "A Defendant"],
                          ["case", "proceedings", "P-1", "--court", "Bristol Crown Court", "--convicted", "2021-09-10"],
                          ["confiscation", "benefit", "P-1", "--description", "Cash", "--obtained", "2020-05-01", "--value", "5000"],
                          ["confiscation", "order", "P-1", "--order-reference", "CO/1", "--made", "2021-11-01", "--amount", "5000"]] {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        var refusals: [([String], String)] = [
            (["confiscation", "payment", "P-1", "--on", "2022-03-01", "--amount", "100.005"], "the payment of 2022-03-01: 100.005 GBP is finer than GBP's smallest unit; give it to 2 decimal places"),
            (["confiscation", "benefit", "P-1", "--description", "Car", "--obtained", "2020-05-01", "--value", "10.001"], "Car: value then: 10.001 GBP is finer than GBP's smallest unit"),
            (["confiscation", "obligation", "P-1", "--description", "Fine", "--amount", "0.125"], "Fine: amount: 0.125 GBP is finer than GBP's smallest unit"),
            (["interest", "I-001", "--person", "P-1", "--charge", "99.999"], "the charge: 99.999 GBP is finer than GBP's smallest unit"),
        ]
        refusals.append((["confiscation", "payment", "P-1", "--on", "2022-03-01", "--amount", "0"], "a payment of £0.00 pays nothing; record what was paid"))
        for (arguments, message) in refusals {
            let refused = try cli.haulArray(arguments, environment: env)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
        }
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        // Whole pence are taken, and the case exports and validates.
        #expect(try cli.haulArray(["confiscation", "payment", "P-1", "--on", "2022-03-01", "--amount", "100.01"], environment: env).status == 0)
        #expect(try cli.haulArray(["export", "P-1", "-o", folder + "/p.xml"], environment: env).status == 0)
        let validated = try cli.haulArray(["validate", folder + "/p.xml"], environment: env)
        #expect(validated.status == 0, "\(validated.stdout)\(validated.stderr)")

        // The figures are worked out again from the inputs the records replay to: a figure changed
        // in the file (or the benefit changed in every place it is stated) is named at its line.
        let text = try String(contentsOfFile: folder + "/p.xml", encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        func edited(_ from: String, _ to: String, everywhere: Bool = false) throws -> (path: String, line: Int) {
            let index = try #require(lines.firstIndex { $0.contains(from) }, "\(from)")
            let changed = everywhere ? text.replacingOccurrences(of: from, with: to) : lines.enumerated().map { $0.offset == index ? $0.element.replacingOccurrences(of: from, with: to) : $0.element }.joined(separator: "\n")
            let path = folder + "/edited.xml"
            try changed.write(toFile: path, atomically: true, encoding: .utf8)
            return (path, index + 1)
        }
        // The benefit as stated (£5,000 obtained May 2020, uplifted by CPIH to the order's day).
        let benefitRange = try #require(text.range(of: "<benefit currency=\"GBP\">[0-9.]+</benefit>", options: .regularExpression))
        let benefit = String(text[benefitRange].dropFirst("<benefit currency=\"GBP\">".count).dropLast("</benefit>".count))
        let cases: [(from: String, to: String, everywhere: Bool, message: String)] = [
            ("<paid currency=\"GBP\">100.01</paid>", "<paid currency=\"GBP\">150.00</paid>", false, "what has been paid is £150.00 in the file, but £100.01 worked out from its inputs as of"),
            ("<maximumDefaultTerm>P6M</maximumDefaultTerm>", "<maximumDefaultTerm>P2Y</maximumDefaultTerm>", false, "the maximum default term is P2Y in the file, but P6M worked out"),
            ("<interestRate>8</interestRate>", "<interestRate>4</interestRate>", false, "the interest rate is 4 % in the file, but 8 % worked out"),
            (">\(benefit)<", ">1.00<", true, "the benefit is £1.00 in the file, but £"),
        ]
        // An input changed in the body (not in the records): named at its own element's line.
        let (paymentEdited, paymentLine) = try edited("paidOn=\"2022-03-01\">100.01</payment>", "paidOn=\"2022-03-01\">90.00</payment>")
        let inputChecked = try cli.haulArray(["validate", paymentEdited], environment: env)
        #expect(inputChecked.stdout.hasPrefix("\(paymentEdited):\(paymentLine): the confiscation inputs: not what the case's records describe"), "\(inputChecked.stdout)")
        for change in cases {
            let (path, line) = try edited(change.from, change.to, everywhere: change.everywhere)
            let result = try cli.haulArray(["validate", path], environment: env)
            #expect(result.status == 1, "\(change.to)")
            #expect(result.stdout.contains(change.message), "\(change.to): \(result.stdout)")
            if !change.everywhere { #expect(result.stdout.hasPrefix("\(path):\(line): the confiscation figures: "), "\(result.stdout)") }
        }
    }

    @Test("an order's own dates may not run backwards, nor a sale come before its seizure; seized drugs are not sold; nothing refused is recorded")
    func orderAndSaleDates() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        let seizure = ["--seizure", "S1", "--at", "2021-03-01T10:00", "--place", "Bristol", "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC"]
        for arguments in [["case", "open", "D-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"],
                          ["seize", "D-1", "cash", "--id", "I-001", "--exhibit", "E/1"] + seizure + ["currency=GBP", "amount=5000"],
                          ["seize", "D-1", "drug", "--id", "I-002", "--exhibit", "E/2", "--seizure", "S1", "substance=cocaine", "form=powder", "mass=10g"],
                          ["case", "proceedings", "D-1", "--court", "Bristol Crown Court", "--convicted", "2021-09-10"],
                          ["confiscation", "benefit", "D-1", "--description", "Cash", "--obtained", "2020-05-01", "--value", "5000"]] {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        func refuses(_ arguments: [String], _ message: String) throws {
            let before = try LedgerCLITests().dump(folder + "/r.sqlite")
            let refused = try cli.haulArray(arguments, environment: env)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
            #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before, "\(arguments)")
        }
        try refuses(["confiscation", "order", "D-1", "--order-reference", "CO/1", "--made", "2022-01-14", "--amount", "5000", "--time-to-pay-until", "2022-01-01"],
                    "time to pay until 2022-01-01 would end before the order CO/1 was made (2022-01-14)")
        #expect(try cli.haulArray(["confiscation", "order", "D-1", "--order-reference", "CO/1", "--made", "2021-11-01", "--amount", "5000",
                                   "--time-to-pay-until", "2021-12-01"], environment: env).status == 0)
        try refuses(["confiscation", "extension", "D-1", "--applied", "2021-10-01"],
                    "the application to extend the time to pay is dated 2021-10-01, before the order CO/1 was made (2021-11-01)")
        try refuses(["confiscation", "extension", "D-1", "--applied", "2021-11-20", "--decided", "2021-11-25", "--until", "2021-11-30"],
                    "an extension until 2021-11-30 does not extend the time to pay, which ends on 2021-12-01")
        #expect(try cli.haulArray(["confiscation", "extension", "D-1", "--applied", "2021-11-20", "--decided", "2021-11-25", "--until", "2022-02-01"], environment: env).status == 0)
        try refuses(["confiscation", "sale", "I-001", "--on", "2021-02-01", "--gross", "100", "--costs", "0"],
                    "I-001 was seized on 2021-03-01; a sale on 2021-02-01 would come before it")
        try refuses(["confiscation", "sale", "I-002", "--on", "2021-06-01", "--gross", "100", "--costs", "0"],
                    "I-002 is a controlled drug: seized drugs are destroyed, not sold")
        #expect(try cli.haulArray(["confiscation", "sale", "I-001", "--on", "2021-03-01", "--gross", "100", "--costs", "0"], environment: env).status == 0)
        try refuses(["confiscation", "sale", "I-001", "--on", "2021-03-02", "--gross", "120"],
                    "I-001 was already sold on 2021-03-01 for £100.00 (costs £0.00); to record this sale in its place, say why with --replacing REASON")
        #expect(try cli.haulArray(["confiscation", "sale", "I-001", "--on", "2021-03-02", "--gross", "120", "--replacing", "the auction house's corrected statement"],
                                  environment: env).status == 0)
        // CASE/ITEM and CASE/N take the case's reference up to a "/": a reference holding one is refused.
        try refuses(["case", "open", "A/B", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"],
                    "the case reference A/B holds a \"/\", which CASE/ITEM and CASE/N use to name an item or event; use another character, such as A-B")

        // `due --within` counts calendar months and years: the extended time to pay ends 1 February
        // 2022 (23:59); two months from 30 November 2021 reach 30 January, from 1 December 1 February.
        let short = try cli.haulArray(["due", "--on", "2021-11-30", "--within", "2m"], environment: env)
        #expect(short.stdout.hasPrefix("Deadlines up to 2022-01-30 (from 2021-11-30)") && !short.stdout.contains("CO/1"), "\(short.stdout)")
        let reaches = try cli.haulArray(["due", "--on", "2021-12-01", "--within", "2m"], environment: env)
        #expect(reaches.stdout.hasPrefix("Deadlines up to 2022-02-01 (from 2021-12-01)") && reaches.stdout.contains("2022-02-01 23:59  D-1 confiscation order CO/1"), "\(reaches.stdout)")
        // 31 January + 1 month is the last day of February; a year is twelve of them.
        #expect(try cli.haulArray(["due", "--on", "2021-01-31", "--within", "1m"], environment: env).stdout.hasPrefix("Deadlines up to 2021-02-28 (from 2021-01-31)"))
        #expect(try cli.haulArray(["due", "--on", "2020-02-29", "--within", "1y"], environment: env).stdout.hasPrefix("Deadlines up to 2021-02-28 (from 2020-02-29)"))
        for period in ["100000d", "2000000000000000000w", "1000000000000000000y"] {
            let far = try cli.haulArray(["due", "--within", period], environment: env)
            #expect(far.status == 64 && far.stderr.contains("--within '\(period)' is not a period such as 14d, 2w, 3m or 1y (at most 100 years)"), "\(far.stderr)")
        }
        let badDay = try cli.haulArray(["due", "--on", "2022-02-30"], environment: env)
        #expect(badDay.status == 64 && badDay.stderr.contains("--on: 2022-02-30 is not a calendar date"), "\(badDay.stderr)")
    }

    @Test("the example case gets a full computation; its XML validates; the schedule renders the figures")
    func fullComputation() throws {
        let (folder, env) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2019-09-01", "--value", "750000").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A Defendant").status == 0)
        #expect(try run("interest", "I-006", "--person", "P-1", "--owner", "50").status == 0)
        #expect(try run("confiscation", "order", "SW-2020-0417", "--order-reference", "T1", "--made", "2021-09-01", "--amount", "700000",
                        "--time-to-pay-until", "2021-11-30").status == 0)
        #expect(try run("confiscation", "payment", "SW-2020-0417", "--on", "2021-10-15", "--amount", "600000").status == 0)
        let shown = try run("confiscation", "SW-2020-0417", "--on", "2022-03-01", "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        // Order made 1 September 2021: July's CPIH is the latest published. 750,000 × 111.4 (Jul 2021) ÷ 108.4 (Sep 2019)
        // = 770,756.457… → 770,756.46
        #expect(json["benefit"] as? String == "770756.46")
        let lines = try #require(json["lines"] as? [[String: Any]])
        // £100,000 unpaid from 1 December 2021 to 1 March 2022: 91 days × 8 % ÷ 365 = 1,994.52
        #expect(lines.contains { ($0["description"] as? String)?.hasPrefix("Interest to 2022-03-01") == true && $0["amount"] as? String == "1994.52" })
        // The case at a glance carries the stored position: 700,000 ordered, 600,000 paid.
        let glance = try run("case", "show", "SW-2020-0417", "--on", "2022-03-01").stdout
        #expect(glance.contains("\n  order £700,000.00 (T1), due 2021-11-30\n  paid £600,000.00; outstanding £100,000.00 plus interest £1,994.52\n"))
        // The JSON carries the outstanding figure the text adds up to.
        let glanceJSON = try #require(try JSONSerialization.jsonObject(with: Data(try run("case", "show", "SW-2020-0417", "--on", "2022-03-01", "--json").stdout.utf8)) as? [String: Any])
        #expect((glanceJSON["confiscation"] as? [String: Any])?["outstanding"] as? String == "101994.52")
        #expect(glance.contains("\n  benefit £770,756.46, available "))
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/case.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        #expect(text.contains("<benefit currency=\"GBP\">770756.46</benefit>"))
        #expect(text.contains("<interest person=\"P-1\" kind=\"owner\" percent=\"50\"/>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/case.xml") { #expect(accepted) }
        // Round trip: the inputs and figures come back through import.
        #expect(try cli.haulArray(["import", folder + "/case.xml"], environment: ["HAUL_DB": folder + "/second.sqlite"]).status == 0)
        #expect(try cli.haulArray(["export", "SW-2020-0417", "-o", folder + "/again.xml"], environment: ["HAUL_DB": folder + "/second.sqlite"]).status == 0)
        #expect(try String(contentsOfFile: folder + "/again.xml", encoding: .utf8) == text)
        let schedule = try run("schedule", "SW-2020-0417", "-o", folder + "/schedule.html")
        #expect(schedule.status == 0, "\(schedule.stdout)")
        let html = try String(contentsOfFile: folder + "/schedule.html", encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>Schedule of assets — SW-2020-0417</title>"))
        #expect(html.contains("<strong>£272,000.00</strong>"))          // 8 kg of cocaine, wholesale central (£34,000 a kilo, June 2020)
        #expect(html.contains("£770,756.46"))
        #expect(html.contains("POCA 2002 s.35(2A)"))
        // A summary (one line per item) first, the annex with every figure's sources after the figures.
        let summary = try #require(html.range(of: "<h2>Summary of assets</h2>")), annex = try #require(html.range(of: "Annex: every valuation with its sources and warnings"))
        let confiscation = try #require(html.range(of: "<h2>Confiscation"))
        #expect(summary.lowerBound < confiscation.lowerBound && confiscation.lowerBound < annex.lowerBound)
        // Each section of the figures once, under its own heading, in the Act's order, whatever order
        // the calculator wrote its flags and payments in.
        let headings = ["The benefit", "The available amount", "The recoverable amount", "The order"].map { "<tr class=\"group\"><td colspan=\"3\">\($0)</td></tr>" }
        for heading in headings { #expect(html.components(separatedBy: heading).count == 2, "\(heading)") }
        let positions = headings.compactMap { html.range(of: $0)?.lowerBound }
        #expect(positions.count == 4 && positions == positions.sorted())
        #expect(html.contains("<strong>Prepared on</strong> "))
        // Prepared as of a named day, written as an English court writes dates; the benefit and the
        // available amount are decided as at the order's date (made 2021-09-01 above).
        #expect(try run("schedule", "SW-2020-0417", "--on", "2021-10-01", "-o", folder + "/dated.html").status == 0)
        let dated = try String(contentsOfFile: folder + "/dated.html", encoding: .utf8)
        #expect(dated.contains("<strong>Prepared on</strong> 1 October 2021") && dated.contains("Decision date 1 September 2021."))

        // £102,000 paid on 1 March 2022, more than the £100,000 balance: interest ran 1 December 2021 –
        // 28 February 2022, 90 days × £100,000 × 8 % ÷ 365 = 1,972.6027… → £1,972.60, paid from the £2,000
        // beyond the order (s.12(2)); 2,000 − 1,972.6027… = 27.397… → £27.40 overpaid (702,000 − 700,000 − 1,972.60).
        #expect(try run("confiscation", "payment", "SW-2020-0417", "--on", "2022-03-01", "--amount", "102000").status == 0)
        let settled = try run("confiscation", "SW-2020-0417", "--on", "2022-06-01", "--json")
        let settledLines = try #require((try JSONSerialization.jsonObject(with: Data(settled.stdout.utf8)) as? [String: Any])?["lines"] as? [[String: Any]])
        #expect(settledLines.contains { ($0["description"] as? String)?.hasPrefix("Outstanding on 2022-06-01") == true && $0["amount"] as? String == "0.00" })
        #expect(settledLines.contains { $0["description"] as? String == "Payments exceed the order and its interest by £27.40" })
        let settledGlance = try run("case", "show", "SW-2020-0417", "--on", "2022-06-01").stdout
        #expect(settledGlance.contains("\n  paid £702,000.00; outstanding £0.00 plus interest £0.00 (overpaid £27.40)\n"), "\(settledGlance)")
        // Whatever is accepted exports: the overpaid case's file validates.
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/overpaid.xml").status == 0)
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/overpaid.xml") { #expect(accepted) }
    }

    @Test("a bad amount or date is a usage error naming the option")
    func usage() throws {
        let bad = try cli.haul("confiscation", "payment", "X", "--on", "2021-02-30", "--amount", "1")
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("--on: 2021-02-30 is not a calendar date"))
        let comma = try cli.haul("confiscation", "payment", "X", "--on", "2021-02-01", "--amount", "1,000")
        #expect(comma.status == 64)
        #expect(comma.stderr.contains("--amount: amount '1,000' is not a plain decimal"))
        // A document is prepared on a day that has come, and named for what it is.
        let ahead = try cli.haul("statement", "X", "--author", "A", "--on", "2199-01-01", "-o", "s.html")
        #expect(ahead.status == 64 && ahead.stderr.contains("--on 2199-01-01 is after today"), "\(ahead.stderr)")
        let impossible = try cli.haul("schedule", "X", "--on", "2021-02-30", "-o", "s.html")
        #expect(impossible.status == 64 && impossible.stderr.contains("--on: 2021-02-30 is not a calendar date"), "\(impossible.stderr)")
        for name in ["s.txt", "s.docx", "folder"] {
            let named = try cli.haul("schedule", "X", "-o", name)
            #expect(named.status == 64 && named.stderr.contains("-o \(name): name a .pdf or .html file (or - for HTML on standard output)."), "\(named.stderr)")
        }
    }
}

extension CLITests {
    /// Runs haul with this process's environment plus `environment` (or, with `inheriting:
    /// false`, `environment` alone and PATH).
    func haulArray(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], inheriting: Bool = true,
                   input: String? = nil) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "haul not built at \(Self.binary)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let base = inheriting ? ProcessInfo.processInfo.environment : ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]
        process.environment = base.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
