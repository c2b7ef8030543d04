import Foundation
import HaulData
import Testing

/// The court proceedings on a case: recorded as an event, checked against the case's people,
/// carried by the case file (schema 1.5) and its round trip, shown as the title of proceedings,
/// and the court an ECF filing goes to.
@Suite("the proceedings on a case")
struct ProceedingsCLITests {
    let cli = CLITests()
    let ledger = LedgerCLITests()

    @Test("recorded, shown, exported (xmllint agrees), imported and exported again byte for byte; the filing takes its court from them")
    func roundTrip() throws {
        let (folder, db, env) = try cli.importedExample(bare: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "Aaron Bell").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-2", "--role", "defendant", "--name", "Carl Dunn").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-3", "--role", "third-party", "--name", "Eve Fox").status == 0)

        // Before any proceedings, a filing needs its court named.
        let noCourt = try run("export", "SW-2020-0417", "--profile", "ecf", "-o", folder + "/filing.xml")
        #expect(noCourt.status == 1 && noCourt.stderr.contains("has no proceedings recorded; give --court NAME"), "\(noCourt.stderr)")

        // A third party is not a defendant; an unknown person is no one; a defendant named twice is
        // one mistake: each refused, nothing recorded (the chain's length and the dump unchanged).
        func events() throws -> Int? {
            let shown = try run("case", "show", "SW-2020-0417", "--json")
            return (try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["events"] as? Int
        }
        let before = try ledger.dump(db)
        let eventsBefore = try #require(try events())
        let thirdParty = try run("case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--defendant", "P-3")
        #expect(thirdParty.status == 1 && thirdParty.stderr.contains("P-3 is recorded as third-party, not as a defendant"), "\(thirdParty.stderr)")
        let nobody = try run("case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--defendant", "P-9")
        #expect(nobody.status == 1 && nobody.stderr.contains("has no person P-9"))
        let twice = try run("case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--defendant", "P-1", "--defendant", "P-1")
        #expect(twice.status == 1 && twice.stderr.contains("a defendant is named twice"), "\(twice.stderr)")
        let blank = try run("case", "proceedings", "SW-2020-0417", "--court", "  ")
        #expect(blank.status == 64)
        #expect(try events() == eventsBefore)
        #expect(try ledger.dump(db) == before)

        // Recorded whole: a second call replaces the first.
        #expect(try run("case", "proceedings", "SW-2020-0417", "--court", "Bath Magistrates' Court", "--defendant", "P-2").stdout
                == "Recorded for case SW-2020-0417: R v P-2, Bath Magistrates' Court\n")

        let recorded = try run("case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--court-id", "BRS-CC", "--number", "T20217001",
                               "--defendant", "P-1", "--defendant", "P-2", "--prosecutor", "Crown Prosecution Service", "--convicted", "2021-05-14",
                               "--hearing", "2021-09-01", "--actor", "CPS Lawyer")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout == "Recorded for case SW-2020-0417: R v P-1 and P-2, Bristol Crown Court, T20217001\n")
        #expect(try run("case", "show", "SW-2020-0417").stdout.contains("\nProceedings: R v P-1 and P-2, Bristol Crown Court, T20217001\n"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try run("case", "show", "SW-2020-0417", "--json").stdout.utf8)) as? [String: Any])
        let shown = try #require(json["proceedings"] as? [String: Any])
        #expect(shown["defendants"] as? [String] == ["P-1", "P-2"] && shown["number"] as? String == "T20217001" && shown["hearingOn"] as? String == "2021-09-01")

        let file = folder + "/case.xml"
        #expect(try run("export", "SW-2020-0417", "-o", file).status == 0)
        let xml = try String(contentsOfFile: file, encoding: .utf8)
        #expect(xml.contains("schemaVersion=\"1.6\""))
        #expect(xml.contains("""
              <proceedings>
                <court>Bristol Crown Court</court>
                <courtId>BRS-CC</courtId>
                <number>T20217001</number>
                <defendant person="P-1"/>
                <defendant person="P-2"/>
                <prosecutor>Crown Prosecution Service</prosecutor>
                <convictedOn>2021-05-14</convictedOn>
                <hearingOn>2021-09-01</hearingOn>
              </proceedings>
            """), "\(xml.suffix(1500))")
        if let accepted = try RegisterCLITests.xmllintAccepts(file) { #expect(accepted) }
        // Into another register and out again: the same bytes.
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["import", file], environment: second).status == 0)
        #expect(try cli.haulArray(["export", "SW-2020-0417", "-o", folder + "/again.xml"], environment: second).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/again.xml")) == Data(contentsOf: URL(fileURLWithPath: file)))

        // The schedule gives the title with the defendants' names.
        #expect(try run("schedule", "SW-2020-0417", "-o", folder + "/schedule.html").status == 0)
        let schedule = try String(contentsOfFile: folder + "/schedule.html", encoding: .utf8)
        #expect(schedule.contains("In the Bristol Crown Court"), "\(schedule.prefix(3000))")
        #expect(schedule.contains("R v Aaron Bell and Carl Dunn"))

        // The filing goes to the recorded court; --court still overrides.
        let filing = try run("export", "SW-2020-0417", "--profile", "ecf", "-o", folder + "/filing.xml")
        #expect(filing.status == 0, "\(filing.stderr)")
        #expect(filing.stdout.contains("as an ECF 5.0 filing for Bristol Crown Court"))
        let filed = try String(contentsOfFile: folder + "/filing.xml", encoding: .utf8)
        #expect(filed.contains("<nc:OrganizationName>Bristol Crown Court</nc:OrganizationName>") && filed.contains("BRS-CC"))
        #expect(filed.contains("<j:CaseNumberText>T20217001</j:CaseNumberText>"))
        #expect(try run("export", "SW-2020-0417", "--profile", "ecf", "--court", "Crown Court at Bath", "-o", folder + "/bath.xml").stdout
            .contains("for Crown Court at Bath"))
        let bath = try String(contentsOfFile: folder + "/bath.xml", encoding: .utf8)
        // Another court: the recorded court's identifier is not carried to it.
        #expect(bath.contains("<nc:OrganizationName>Crown Court at Bath</nc:OrganizationName>") && !bath.contains("BRS-CC"))
        #expect(try run("audit").status == 0)
    }

    @Test("a case file whose proceedings name someone not listed as a defendant is invalid, the line named")
    func fileChecks() throws {
        let (folder, _, env) = try cli.importedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "Aaron Bell").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-3", "--role", "third-party", "--name", "Eve Fox").status == 0)
        #expect(try run("case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--defendant", "P-1").status == 0)
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/case.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        for (name, changed, message) in [("third-party.xml", "<defendant person=\"P-3\"/>", "the proceedings name 'P-3' as a defendant, but the case's people list them as third-party"),
                                         ("nobody.xml", "<defendant person=\"P-9\"/>", "the proceedings name defendant 'P-9', whom the case's people do not list")] {
            try text.replacingOccurrences(of: "<defendant person=\"P-1\"/>", with: changed).write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            let validated = try run("validate", folder + "/" + name)
            #expect(validated.status == 1)
            #expect(validated.stdout.contains(message), "\(validated.stdout)")
            let line = (text.components(separatedBy: "\n").firstIndex { $0.contains("<defendant person=\"P-1\"/>") } ?? 0) + 1
            #expect(validated.stdout.contains("\(folder)/\(name):\(line): "), "\(validated.stdout)")
        }
    }

    @Test("the title names the prosecution as the jurisdiction does, and three defendants with commas and 'and'")
    func titles() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "US-1", "--opened", "2020-06-18", "--jurisdiction", "US", "--agency", "DEA:seizing:Drug Enforcement Administration").status == 0)
        for id in ["P-1", "P-2", "P-3"] { #expect(try run("person", "add", "US-1", "--id", id, "--role", "defendant", "--name", "Name \(id)").status == 0) }
        let recorded = try run("case", "proceedings", "US-1", "--court", "U.S. District Court for the District of Maryland", "--number", "1:20-cr-00123",
                               "--defendant", "P-3", "--defendant", "P-1", "--defendant", "P-2")
        #expect(recorded.stdout == "Recorded for case US-1: United States v. P-3, P-1 and P-2, U.S. District Court for the District of Maryland, 1:20-cr-00123\n")
    }

    @Test("a statement of information is one defendant's: proceedings naming two are refused, nothing written")
    func statementIsOneDefendants() throws {
        // The example's proceedings name two defendants, D-1 and D-2.
        let (folder, _, env) = try cli.importedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let refused = try cli.haulArray(["statement", "SW-2020-0417", "--author", "Jane Smith", "-o", folder + "/statement.html"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("haul: the proceedings of case SW-2020-0417 name 2 defendants (D-1, D-2); a statement of information gives one defendant's benefit and available amount (POCA 2002 s.16)"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/statement.html"))
        // The schedule of the case's assets is still made, saying the court decides each defendant's figures.
        #expect(try cli.haulArray(["confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2019-09-01", "--value", "1000"], environment: env).status == 0)
        #expect(try cli.haulArray(["schedule", "SW-2020-0417", "-o", folder + "/schedule.html"], environment: env).status == 0)
        #expect(try String(contentsOfFile: folder + "/schedule.html", encoding: .utf8).contains("The court determines the benefit and the available amount for each defendant separately."))
    }
}
