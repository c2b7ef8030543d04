import Foundation
import HaulData
import Testing

/// The command line as investigators use it: regimes that fit the kind, jurisdictions that ship.
@Suite("a command line investigators can live in")
struct UsabilityCLITests {
    let cli = CLITests()
    let ledger = LedgerCLITests()

    func exampleRegister() throws -> (folder: String, db: String, env: [String: String]) { try cli.importedExample() }

    @Test("a gold chain moved under the cash regime is refused, naming the regime that takes it (s.289(6) cash; s.303B listed assets)")
    func regimeMustFitTheKind() throws {
        let (folder, db, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try ledger.dump(db)
        // I-012 is the gold chain of seizure S2 (18 June 2020 07:20).
        let refused = try cli.haul("status", "I-012", "detained", "--on", "2020-06-18T08:00", "--regime", "cash", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("I-012 is jewellery, which the cash regime does not take (POCA 2002 s.289(6): cash is notes and coins"), "\(refused.stderr)")
        #expect(refused.stderr.contains("use --regime confiscation or listed-assets"), "\(refused.stderr)")
        #expect(try ledger.dump(db) == before)
        // Cash under the listed-assets regime, likewise.
        let cash = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--regime", "listed-assets", environment: env)
        #expect(cash.status == 1)
        #expect(cash.stderr.contains("I-009 is cash, which the listed-assets regime does not take (POCA 2002 s.303B(2)"), "\(cash.stderr)")
        #expect(try ledger.dump(db) == before)
        // Its own regime takes it (£30,000 of cash: over the £1,000 minimum without a valuation).
        let own = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--regime", "cash", environment: env)
        #expect(own.status == 0, "\(own.stderr)")
    }

    @Test("words for what went wrong: an agency's unknown role is named with the roles there are, a missing file says why, one event verifies")
    func messages() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        let role = try cli.haul("case", "open", "M-1", "--opened", "2021-03-01", "--agency", "ASC:grabbing:Avon", environment: env)
        #expect(role.status != 0 && role.stderr.contains("'grabbing' is not a role; use investigating, prosecuting, seizing, enforcing"), "\(role.stderr)")
        #expect(try cli.haul("case", "open", "M-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon", environment: env).status == 0)
        let audit = try cli.haul("audit", environment: env)
        #expect(audit.stdout.hasPrefix("case M-1: 1 event verifies, rows equal the replay"), "\(audit.stdout)")
        let missing = try cli.haul("import", folder + "/absent.xml", environment: env)
        #expect(missing.status != 0 && missing.stderr.contains("cannot read \(folder)/absent.xml: there is no such file"), "\(missing.stderr)")
    }

    @Test("a regime that does not exist is named as such, and one unlike the item's (chosen by its first move) is refused, not ignored")
    func unknownOrChangedRegime() throws {
        let (folder, db, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try ledger.dump(db)
        let unknown = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--regime", "nonsense", environment: env)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("there is no regime 'nonsense' for GB-EAW; use one of account-freezing, cash, confiscation, cryptoassets, disposal, listed-assets"), "\(unknown.stderr)")
        #expect(try ledger.dump(db) == before)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--regime", "cash", environment: env).status == 0)
        let moved = try ledger.dump(db)
        // Its second move under another regime: refused, where it used to be ignored.
        let changed = try cli.haul("status", "I-009", "detention-order", "--on", "2020-06-19T10:00", "--authority", "Bristol MC 1",
                                   "--regime", "confiscation", environment: env)
        #expect(changed.status == 1)
        #expect(changed.stderr.contains("I-009 moves under the cash regime (its moves' regime, or its kind's when they name none); --regime confiscation cannot change it"), "\(changed.stderr)")
        #expect(try ledger.dump(db) == moved)
    }

    @Test("a usage error found while a subcommand runs shows that subcommand's usage and help hint, not the root's, exits 64 and records nothing")
    func usageErrorNamesItsSubcommand() throws {
        let (folder, db, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try ledger.dump(db)
        // The amount is read inside `run()` (argument-parser's own checks have passed by then).
        let payment = try cli.haul("confiscation", "payment", "SW-2020-0417", "--amount", "abc", "--on", "2021-01-04", environment: env)
        #expect(payment.status == 64)
        #expect(payment.stderr.contains("Error: --amount: amount 'abc' is not a plain decimal"), "\(payment.stderr)")
        #expect(payment.stderr.contains("Usage: haul confiscation payment <reference>"), "\(payment.stderr)")
        #expect(payment.stderr.contains("See 'haul confiscation payment --help' for more information."), "\(payment.stderr)")
        #expect(!payment.stderr.contains("Usage: haul <subcommand>"), "\(payment.stderr)")
        #expect(try ledger.dump(db) == before)
        // An unknown subcommand still answers with the root's usage.
        let unknown = try cli.haul("confiscate", environment: env)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Usage: haul <subcommand>"), "\(unknown.stderr)")
    }

    @Test("a case cannot be opened under a jurisdiction Haul ships no rule packs for; the message lists those it does; no register is made")
    func unsupportedJurisdiction() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        for place in ["GB-SCT", "GB-NIR", "NL"] {
            let refused = try cli.haul("case", "open", "X-1", "--opened", "2021-03-01", "--jurisdiction", place, "--agency", "A:seizing:Agency", environment: env)
            #expect(refused.status == 64)
            #expect(refused.stderr.contains("Haul ships no rule packs and price tables for \(place) yet; it keeps cases for GB-EAW, US"), "\(refused.stderr)")
        }
        let unknown = try cli.haul("case", "open", "X-1", "--opened", "2021-03-01", "--jurisdiction", "FR", "--agency", "A:seizing:Agency", environment: env)
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Unknown jurisdiction 'FR'; Haul keeps cases for GB-EAW, US"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/register.sqlite"))
        // A command that records into a case needs a register holding it: it makes none.
        let status = try cli.haul("status", "I-1", "detained", "--on", "2021-03-01T10:00", environment: env)
        #expect(status.status == 1)
        #expect(status.stderr.contains("there is no register at \(folder)/register.sqlite; `haul case open` or `haul import` creates one"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/register.sqlite"))
    }

    @Test("items are found by exhibit label, VIN, registration, serial number and CASE/ITEM; a key two items share lists both and picks neither")
    func lookups() throws {
        let (folder, db, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try cli.haul("case", "open", "BRS-2021-031", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary", environment: env).status == 0)
        #expect(try cli.haul("seize", "BRS-2021-031", "--from", HaulData.example("exhibits-template.csv").path, environment: env).status == 0)
        #expect(try cli.haul("seize", "BRS-2021-031", "watch", "--id", "I-107", "--exhibit", "JS/7", "--seizure", "S10", "brand=Omega", "model=Speedmaster",
                             "serial=81 234 567", "condition=good", "box=no", "papers=no", environment: env).status == 0)

        // The exhibit label as an officer types it.
        let exhibit = try cli.haul("history", "hal/ab/6", environment: env)
        #expect(exhibit.status == 0)
        #expect(exhibit.stdout.hasPrefix("Item I-006 of case SW-2020-0417:"))
        #expect(exhibit.stderr == "haul: hal/ab/6 is I-006 of case SW-2020-0417 (exhibit HAL/AB/6)\n")
        // A registration without its space, a serial as one run of digits.
        let registration = try cli.haul("history", "wu19abc", environment: env)
        #expect(registration.stdout.hasPrefix("Item I-104 of case BRS-2021-031:"))
        #expect(registration.stderr == "haul: wu19abc is I-104 of case BRS-2021-031 (registration WU19 ABC, exhibit JS/4)\n")
        let serial = try cli.haul("history", "81234567", environment: env)
        #expect(serial.stdout.hasPrefix("Item I-107 of case BRS-2021-031:"), "\(serial.stderr)")
        // The G63's VIN is in both cases: both listed, neither taken, nothing recorded.
        let before = try ledger.dump(db)
        let ambiguous = try cli.haul("status", "WDB4632761X312345", "retained", "--on", "2021-03-01T08:00", environment: env)
        #expect(ambiguous.status == 1)
        #expect(ambiguous.stderr == "haul: 'WDB4632761X312345' names 2 items: SW-2020-0417/I-006 (exhibit HAL/AB/6), BRS-2021-031/I-104 (exhibit JS/4); name one as CASE/ITEM\n")
        #expect(try ledger.dump(db) == before)
        // CASE/ITEM with the item as id or as any of its keys.
        let byCase = try cli.haul("status", "BRS-2021-031/WDB4632761X312345", "retained", "--on", "2021-03-01T08:00", "--regime", "disposal", environment: env)
        #expect(byCase.status == 0, "\(byCase.stderr)")
        #expect(byCase.stdout.hasPrefix("I-104: seized → retained"))
        #expect(try cli.haul("history", "BRS-2021-031/I-104", environment: env).stdout.contains("seized → retained"))
        let missing = try cli.haul("history", "ZZ99 ZZZ", environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no item 'ZZ99 ZZZ' in the register: not an item id, exhibit label, VIN, registration or serial number of any case"))
        #expect(try cli.haul("audit", environment: env).status == 0)
    }

    @Test("haul find searches every case by id, exhibit, keys and description, without regard to case")
    func find() throws {
        let (folder, _, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try cli.haul("case", "open", "BRS-2021-031", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary", environment: env).status == 0)
        #expect(try cli.haul("seize", "BRS-2021-031", "--from", HaulData.example("exhibits-template.csv").path, environment: env).status == 0)
        let rolex = try cli.haul("find", "rolex", environment: env)
        #expect(rolex.status == 0)
        #expect(rolex.stdout.split(separator: "\n").map(String.init) == [
            "3 items match 'rolex'",
            "  BRS-2021-031/I-103       JS/3         watch       Rolex wristwatch",
            "  SW-2020-0417/I-010       HAL/SH/2     watch       Rolex wristwatch, steel, black bezel",
            "  SW-2020-0417/I-011       HAL/SH/3     watch       Rolex wristwatch, steel, red and blue bezel",
        ])
        let plate = try cli.haul("find", "wu19 abc", "--json", environment: env)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(plate.stdout.utf8)) as? [String: Any])
        #expect(decoded["total"] as? Int == 1)
        let first = try #require((decoded["items"] as? [[String: Any]])?.first)
        #expect(first["item"] as? String == "I-104" && (first["keys"] as? [String]) == ["vin WDB4632761X312345", "registration WU19 ABC"])
        // What a user names an item by, beyond its description: a brand or model, a kind, an asset.
        #expect(try cli.haul("seize", "BRS-2021-031", "watch", "--id", "I-190", "--exhibit", "JS/90", "--seizure", "S9", "--at", "2021-03-01T10:00",
                             "--place", "Bristol", "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC", "--description", "A boxed wristwatch",
                             "brand=Omega", "model=Speedmaster", "condition=good", environment: env).status == 0)
        for text in ["omega", "SPEEDMASTER"] {
            let found = try cli.haul("find", text, environment: env)
            #expect(found.stdout.split(separator: "\n").map(String.init) == ["1 item matches '\(text)'", "  BRS-2021-031/I-190       JS/90        watch       A boxed wristwatch"], "\(found.stdout)")
        }
        let crypto = try cli.haul("find", "btc", environment: env)
        #expect(crypto.stdout.contains("SW-2020-0417/I-008") && crypto.stdout.hasPrefix("1 item matches"), "\(crypto.stdout)")
        let watches = try cli.haul("find", "watch", environment: env)
        #expect(watches.stdout.hasPrefix("4 items match 'watch'"), "\(watches.stdout)")
        // A % is looked for, not a wildcard.
        let none = try cli.haul("find", "100%", environment: env)
        #expect(none.status == 1 && none.stderr == "haul: no item of any case matches '100%'\n")
    }

    @Test("one spelling for a defendant's share: the old confiscation share records the one defendant's owner interest and says so")
    func shareIsAnInterest() throws {
        let (folder, db, env) = try cli.importedExample(bare: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // No defendant yet: refused, nothing recorded.
        let before = try ledger.dump(db)
        let none = try cli.haul("confiscation", "share", "I-006", "--percent", "50", environment: env)
        #expect(none.status == 1)
        #expect(none.stderr == "haul: case SW-2020-0417 has no defendant; name the owner: haul interest I-006 --person ID --owner 50\n")
        #expect(try ledger.dump(db) == before)
        #expect(try cli.haul("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A Defendant", environment: env).status == 0)
        let share = try cli.haul("confiscation", "share", "I-006", "--percent", "50", environment: env)
        #expect(share.status == 0, "\(share.stderr)")
        #expect(share.stderr == "haul: confiscation share is deprecated; recorded as: haul interest SW-2020-0417/I-006 --person P-1 --owner 50\n")
        #expect(share.stdout == "I-006: P-1 — owner, 50 %; defendants' share 50 %\n")
        // The same interest as haul interest records: recording it there again changes nothing in the share.
        let again = try cli.haul("interest", "I-006", "--person", "P-1", "--owner", "50", environment: env)
        #expect(again.stdout == "I-006: P-1 — owner, 50 %\n  defendants' share of I-006: 50 %\n")
        // Not in the help's list of commands.
        #expect(!(try cli.haul("confiscation", "--help", environment: env)).stdout.contains("  share "))
    }

    @Test("--actor on every recording command, kept in the chain; HAUL_ACTOR otherwise; due takes its case like every other command")
    func actorsAndCases() throws {
        let (folder, _, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try cli.haul("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A Defendant", "--actor", "DS 1234 Smith", environment: env).status == 0)
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--actor", "DC 77 Jones", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2019-09-01", "--value", "1000",
                             "--actor", "FI Patel", environment: env).status == 0)
        var named = env
        named["HAUL_ACTOR"] = "DC 4471"
        #expect(try cli.haul("interest", "I-006", "--person", "P-1", "--owner", "50", environment: named).status == 0)
        let xml = try cli.haul("export", "SW-2020-0417", "-o", "-", environment: env).stdout
        for actor in ["DS 1234 Smith", "DC 77 Jones", "FI Patel", "DC 4471"] { #expect(xml.contains("<actor>\(actor)</actor>"), "\(actor)") }
        #expect(try cli.haul("value", "SW-2020-0417", "--actor", "X", environment: env).status == 64)
        // The case positional in due, as everywhere; --case still read for old scripts.
        let due = try cli.haul("due", "SW-2020-0417", "--on", "2020-06-18", "--within", "7d", environment: env)
        #expect(due.status == 0 && due.stdout.contains("I-009"), "\(due.stdout)\(due.stderr)")
        #expect(try cli.haul("due", "--case", "SW-2020-0417", "--on", "2020-06-18", "--within", "7d", environment: env).stdout == due.stdout)
    }

    @Test("validate --profile ecf checks the filing and the document it carries; with --ecf-schemas, the filing against them")
    func validateECF() throws {
        let (folder, _, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let filing = folder + "/filing.xml"
        #expect(try cli.haul("export", "SW-2020-0417", "--profile", "ecf", "--court", "Bristol Crown Court", "-o", filing, environment: env).status == 0)
        let valid = try cli.haul("validate", "--profile", "ecf", filing, environment: env)
        #expect(valid.status == 0 && valid.stdout == "\(filing): valid\n", "\(valid.stdout)")

        // The attached case file altered (one actor renamed) and packed again: its chain no longer verifies.
        let wrapper = try String(contentsOfFile: filing, encoding: .utf8)
        let open = try #require(wrapper.range(of: "<nc:Base64BinaryObject>")), close = try #require(wrapper.range(of: "</nc:Base64BinaryObject>"))
        let attached = try #require(Data(base64Encoded: String(wrapper[open.upperBound..<close.lowerBound]), options: .ignoreUnknownCharacters))
        let original = String(decoding: attached, as: UTF8.self)
        let alteredText = original.replacingOccurrences(of: "<actor>", with: "<actor>x")
        #expect(alteredText != original)
        try wrapper.replacingCharacters(in: open.upperBound..<close.lowerBound, with: Data(alteredText.utf8).base64EncodedString())
            .write(toFile: folder + "/altered.xml", atomically: true, encoding: .utf8)
        let invalid = try cli.haul("validate", "--profile", "ecf", folder + "/altered.xml", environment: env)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("\(folder)/altered.xml (attachment):"), "\(invalid.stdout)")
        #expect(invalid.stdout.contains("hash"), "\(invalid.stdout)")

        // The attached body altered where no hash covers it (a seizure's place): its records no longer replay to it.
        let moved = original.replacingOccurrences(of: "<place>", with: "<place>Elsewhere, ")
        #expect(moved != original)
        try wrapper.replacingCharacters(in: open.upperBound..<close.lowerBound, with: Data(moved.utf8).base64EncodedString())
            .write(toFile: folder + "/moved.xml", atomically: true, encoding: .utf8)
        let replayed = try cli.haul("validate", "--profile", "ecf", folder + "/moved.xml", environment: env)
        #expect(replayed.status == 1)
        #expect(replayed.stdout.contains("\(folder)/moved.xml (attachment)") && replayed.stdout.contains("record"), "\(replayed.stdout)")

        // A stand-in for the OASIS schema (not shipped): the filing must carry an attribute it lacks.
        let schemas = folder + "/ecf"
        try FileManager.default.createDirectory(atPath: schemas + "/xsd", withIntermediateDirectories: true)
        func schema(requiring attribute: Bool) throws {
            try """
                <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified"
                    targetNamespace="https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0/filing">
                  <xs:element name="FilingMessage"><xs:complexType>
                    <xs:sequence><xs:any processContents="skip" namespace="##any" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
                    \(attribute ? "<xs:attribute name=\"courtCopy\" use=\"required\"/>" : "")<xs:anyAttribute processContents="skip"/>
                  </xs:complexType></xs:element>
                </xs:schema>
                """.write(toFile: schemas + "/xsd/filing.xsd", atomically: true, encoding: .utf8)
        }
        try schema(requiring: true)
        let strict = try cli.haul("validate", "--profile", "ecf", "--ecf-schemas", schemas, filing, environment: env)
        #expect(strict.status == 1 && strict.stdout.contains("courtCopy"), "\(strict.stdout)")
        try schema(requiring: false)
        #expect(try cli.haul("validate", "--profile", "ecf", "--ecf-schemas", schemas, filing, environment: env).status == 0)
        #expect(try cli.haul("validate", "--ecf-schemas", schemas, filing, environment: env).status == 64)
    }

    @Test("a name the case file cannot carry is refused as --actor or HAUL_ACTOR before anything is recorded")
    func badActors() throws {
        let (folder, db, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try ledger.dump(db)
        let empty = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--actor", " ", environment: env)
        #expect(empty.status == 64 && empty.stderr.contains("--actor must name who records this"), "\(empty.stderr)")
        let long = try cli.haul("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A", "--actor", String(repeating: "x", count: 201), environment: env)
        #expect(long.status == 64 && long.stderr.contains("--actor has 201 characters; it takes 1 to 200"), "\(long.stderr)")
        var broken = env
        broken["HAUL_ACTOR"] = "DC 1\nDC 2"
        let twoLines = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", environment: broken)
        #expect(twoLines.status == 64 && twoLines.stderr.contains("HAUL_ACTOR must name who records this, on one line"), "\(twoLines.stderr)")
        // A tables folder that is not there is refused at once, though this move would not have read it.
        let tables = try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T08:00", "--tables", folder + "/no-such-tables", environment: env)
        #expect(tables.status == 64 && tables.stderr.contains("--tables \(folder)/no-such-tables is not a folder of price tables"), "\(tables.stderr)")
        #expect(try ledger.dump(db) == before)
    }

    @Test("an exhibit label recorded in small letters is found typed in capitals")
    func exhibitInAnyCase() throws {
        let (folder, _, env) = try exampleRegister()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try cli.haul("seize", "SW-2020-0417", "phone", "--id", "I-099", "--exhibit", "hal/x/9", "--seizure", "S1", environment: env).status == 0)
        let found = try cli.haul("history", "HAL/X/9", environment: env)
        #expect(found.status == 0 && found.stdout.hasPrefix("Item I-099 of case SW-2020-0417:"), "\(found.stderr)")
    }
}
