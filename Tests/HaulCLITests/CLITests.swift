import Foundation
import HaulData
import Testing

/// Runs the built `haul` binary and compares its whole output, as a user would see it.
@Suite("haul command line")
struct CLITests {
    /// `haul` sits beside the test bundle in the build folder.
    static let binary: String = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("haul").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("haul").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func haul(_ arguments: String..., in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        try haulArray(arguments, in: directory, environment: environment)
    }

    /// A fresh register in a new folder holding the bundled example, valued with the shipped
    /// tables; the caller removes the folder.
    /// The example imported and valued (`bare`: without its people and proceedings).
    func valuedExample(bare: Bool = false) throws -> (folder: String, environment: [String: String]) {
        let (folder, _, environment) = try importedExample(bare: bare)
        #expect(try haul("value", "SW-2020-0417", "--save", environment: environment).status == 0)
        return (folder, environment)
    }

    func temporaryFolder() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-cli-XXXXXX").utf8CString)
        let made = try #require(mkdtemp(&template))
        return String(cString: made)
    }

    @Test("--version prints the version, the schema and register format, the newest shipped price and rule, the build and the data")
    func version() throws {
        let result = try haul("--version")
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "haul 0.3.0")
        #expect(lines.contains("case-file schema 1.6 (urn:haul:ns:case:1); register format 8"))
        #expect(lines.contains { $0.hasPrefix("newest shipped price: GB-EAW ") } && lines.contains { $0.hasPrefix("newest shipped rule: GB-EAW ") })
        #expect(lines.contains { $0.hasPrefix("build: ") } && lines.contains { $0.hasPrefix("data: ") })
        // The help's short form stays the version alone.
        #expect(try haul("status", "--version").stdout == "0.3.0\n")
    }

    @Test("validate with no file is a usage error (64)")
    func validateUsage() throws {
        let result = try haul("validate")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Missing expected argument '<files> ...'"))
    }

    @Test("validate: the bundled example is valid")
    func validateExample() throws {
        let example = HaulData.example("south-west-2020.xml").path
        let result = try haul("validate", example)
        #expect(result.status == 0)
        #expect(result.stdout == "\(example): valid\n")
    }

    @Test("validate: every problem as file:line: message, exit 1; a good file beside it still says valid")
    func validateInvalid() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var text = try String(contentsOf: HaulData.example("south-west-2020.xml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "<amount>30000.00</amount>", with: "<amount>30k</amount>")
        text = text.replacingOccurrences(of: #"<item id="I-014" exhibit="HAL/LDN/2">"#, with: #"<item id="I-013" exhibit="HAL/LDN/2">"#)
        try text.write(toFile: folder + "/bad.xml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: HaulData.example("south-west-2020.xml").path, toPath: folder + "/good.xml")

        let result = try haul("validate", "bad.xml", "good.xml", in: folder)
        #expect(result.status == 1)
        // Lines 111, 153 and 160 of the example (grep -n) hold the changed amount and the duplicated item.
        #expect(result.stdout == """
            bad.xml:111: Element 'amount': '30k' is not a valid value of the atomic type 'Amount'.
            bad.xml:160: item id 'I-013' is used again; it was first used on line 153
            bad.xml: invalid (2 problems)
            good.xml: valid

            """)
    }

    @Test("validate --json reports each file for scripts")
    func validateJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<!DOCTYPE x [<!ENTITY e SYSTEM \"/etc/passwd\">]><x>&e;</x>".write(toFile: folder + "/evil.xml", atomically: true, encoding: .utf8)
        let result = try haul("validate", "--json", "evil.xml", in: folder)
        #expect(result.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let entry = try #require(parsed?.first)
        #expect(entry["file"] as? String == "evil.xml")
        #expect(entry["valid"] as? Bool == false)
        #expect((entry["refused"] as? String)?.hasPrefix("evil.xml:1: the file has a document type declaration") == true)
    }

    @Test("demo writes a validated case file into --output and prints the summary; it can run again")
    func demoWithOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/out"
        let expected = """
            Haul demo: Operation Halite (illustrative), case SW-2020-0417 (GB-EAW)
            Illustrative case: details are made up for demonstration.
            Proceedings: R v D-1 and D-2, Bristol Crown Court, T20207041 (illustrative)

            Seizures (3)
              S1  2020-06-18 06:05 Europe/London    8 items  Residential address, Bath (warrant search)
              S2  2020-06-18 07:20 Europe/London    4 items  Address in Shirehampton, Bristol
              S3  2020-06-20 14:40 Europe/London    2 items  Roadside stop of a car driven by a couple from Dorset, south London

            Items by kind (14)
              drug         2
              cash         3
              watch        2
              vehicle      2
              jewellery    1
              cryptoasset  1
              firearm      1  (tracked, not valued)
              phone        1  (tracked, not valued)
              other        1  (tracked, not valued)

            Valued on each seizure date from valuations/GB-EAW, totals by kind and basis
            (upper bounds left out; details: haul value CASE-FILE)
              kind         basis       items          low      central         high
              drug         wholesale       1  £224,000.00  £272,000.00  £320,000.00
              cash         face            3  £610,000.00  £610,000.00  £610,000.00
              watch        market          2   £16,711.00   £20,520.00   £24,509.00
              watch        realisable      2   £11,936.42   £14,657.14   £17,506.43
              vehicle      wholesale       1   £75,367.09   £75,496.82   £75,626.56
              vehicle      market          1   £94,208.86   £94,371.03   £94,533.20
              vehicle      realisable      1   £71,598.73   £72,476.95   £73,357.76
              jewellery    market          1    £1,628.34    £1,628.34    £1,628.34
              jewellery    realisable      1      £977.00    £1,261.96    £1,546.92
              cryptoasset  market          1    £6,393.67    £6,393.67    £6,393.67
              I-002: no price for methamphetamine on 2020-06-18 in valuations/GB-EAW: no UK wholesale price for
                  methamphetamine is published; the one UK figure found is a 2019 retail price per gram
                  (UNODC, via an extract), which would overstate a bulk seizure: layer your agency's price
                  (the NCA's price list) with --tables (gaps.csv:3, [P] Haul's price research, 2026: UNODC WDR
                  annex 8.1 (UK 2019 retail US$190.84/g at 79 %, via an extract); no NCA or Home Office
                  figure)
              I-007: no price for a 2018 Land Rover Range Rover Sport on 2020-06-18 in valuations/GB-EAW
                  (vehicles.csv: neither an observed price for 2018 nor a new price)
              4 items have figures with warnings (stale prices, assumed purity, distant rates)
              Some figures use illustrative rows [I]: they show the method, not evidence of value.

            Register \(target)/demo-register.sqlite: 6 status moves recorded (illustrative), deadlines by the shipped rule packs
              2020-06-20 07:20  I-010  watch      detention-extended  gb-listed-extended-detention
              2020-06-20 07:20  I-011  watch      detention-extended  gb-listed-extended-detention
              2020-06-20 07:20  I-012  jewellery  detention-extended  gb-listed-extended-detention
              2020-06-22 07:20  I-009  cash       detained            gb-cash-initial-detention
              2020-06-24 00:00  I-013  cash       detained            gb-cash-initial-detention
              2020-12-18 23:59  I-005  cash       detention-order     gb-cash-detention-order

            Case file: \(target)/SW-2020-0417.xml
            Validated against the Haul case-file schema 1.6 (urn:haul:ns:case:1) and its semantic rules.
            Schedule of assets: \(target)/SW-2020-0417-schedule.html (made from the case file; haul schedule -o FILE.pdf sets it as A4 pages)

            """
        for _ in 0..<2 {
            let result = try haul("demo", "--output", target)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == expected)
        }
        // Haul validated the file before publishing it; xmllint, where installed, must agree.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") || ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] != nil {
            let lint = Process()
            lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            lint.arguments = ["--noout", "--schema", HaulData.caseSchemaV1.path, target + "/SW-2020-0417.xml"]
            lint.standardError = FileHandle.nullDevice
            try lint.run()
            lint.waitUntilExit()
            #expect(lint.terminationStatus == 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).filter { !$0.hasPrefix("demo-register") }.sorted() == ["SW-2020-0417-schedule.html", "SW-2020-0417.xml"])
        // The schedule names the defendants as the case file does, and gives the cash found on two men (I-009) in pounds.
        let schedule = try String(contentsOfFile: target + "/SW-2020-0417-schedule.html", encoding: .utf8)
        #expect(schedule.contains("R v Daniel Hale (illustrative) and Marcus Reed (illustrative)"))
        #expect(schedule.contains("£30,000.00"))
    }

    @Test("demo without --output works in a new temporary folder each time")
    func demoTemporary() throws {
        let first = try haul("demo")
        let second = try haul("demo")
        #expect(first.status == 0 && second.status == 0)
        func caseFile(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("Case file: ") }.map { String($0.dropFirst("Case file: ".count)) }
        }
        let firstFile = try #require(caseFile(first.stdout))
        let secondFile = try #require(caseFile(second.stdout))
        #expect(firstFile != secondFile)
        #expect(FileManager.default.fileExists(atPath: firstFile) && FileManager.default.fileExists(atPath: secondFile))
        for file in [firstFile, secondFile] { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path) }
    }

    // MARK: value, tables, rates

    @Test("value: the example's figures, sources and totals; -o writes a valid valued case file")
    func valueExample() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let example = HaulData.example("south-west-2020.xml").path
        let result = try haul("value", example, "-o", folder + "/valued.xml", environment: ["HAUL_HOME": folder])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // 8 kg × £28,000 / £34,000 / £40,000 per kg (the shipped kilo row of April 2020, line 10 of drugs.csv).
        #expect(lines.contains("  wholesale   £224,000.00 / £272,000.00 / £320,000.00 (low / central / high)"))
        #expect(lines.contains { $0.hasPrefix("      from valuations/GB-EAW/drugs.csv:10, 2020-04-03 [P] Lockdown 2020: NCA ~£28,000/kg") })
        #expect(lines.contains("  sentencing guideline: category 1 (indicative 5 kg) [V]"))
        #expect(lines.contains("  not valued: firearms are tracked, never priced"))
        #expect(lines.contains("  cash         face            3  £610,000.00  £610,000.00  £610,000.00"))
        #expect(lines.contains("2 items have no price; the rest of the case is valued."))
        #expect(lines.dropLast().last == "Valued case file: \(folder)/valued.xml (validated)")
        let check = try haul("validate", folder + "/valued.xml")
        #expect(check.status == 0)
        let written = try String(contentsOfFile: folder + "/valued.xml", encoding: .utf8)
        #expect(written.contains(#"<source table="valuations/GB-EAW/drugs.csv" line="10" effectiveFrom="2020-04-03" confidence="secondary">"#))
    }

    @Test("value --json --basis market --on: only market figures, on that date")
    func valueJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try haul("value", HaulData.example("south-west-2020.xml").path, "--json", "--basis", "market", "--on", "2020-07-01",
                              environment: ["HAUL_HOME": folder])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(json["items"] as? [[String: Any]])
        let figures = items.flatMap { ($0["figures"] as? [[String: Any]]) ?? [] }
        #expect(!figures.isEmpty && figures.allSatisfy { $0["basis"] as? String == "market" })
        #expect(items.allSatisfy { $0["valuedOn"] as? String == "2020-07-01" })
        // Gold on 2020-07-01: the LBMA GBP PM fix of that day; 48.6 × 0.75 × 1424.63 ÷ 31.1034768
        // = 1669.5163… (Python Decimal), 1669.52 to the penny.
        let gold = try #require(items.first { $0["id"] as? String == "I-012" })
        #expect(((gold["figures"] as? [[String: Any]])?.first?["central"] as? String) == "1669.52")
    }

    @Test("value refuses a bad date and a bad basis as usage errors")
    func valueUsage() throws {
        #expect(try haul("value", "x.xml", "--on", "2020-02-30").status == 64)
        #expect(try haul("value", "x.xml", "--basis", "retail").status == 64)
    }

    @Test("tables check: every problem as file:line:column, exit 1; the shipped tables pass")
    func tablesCheck() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "metal,low,central,high,currency,effective_from,source,confidence\ngold,1,2,x,USD,2020-01-01,s,V\nsilver,1,2,3,usd,2020-01-01,s,V\n"
            .write(toFile: folder + "/metals.csv", atomically: true, encoding: .utf8)
        let bad = try haul("tables", "check", folder)
        #expect(bad.status == 1)
        #expect(bad.stdout == """
            \(folder)/metals.csv:2:4: high: 'x' is not a plain decimal: use digits with an optional '.' and no thousands separators, spaces, exponent or currency sign (e.g. 1234.50)
            \(folder)/metals.csv:3:5: currency: 'usd' is not a currency code: use three capital letters from ISO 4217, e.g. GBP
            \(folder): 1 table, 0 rows
            2 problems found

            """)
        let good = try haul("tables", "check")
        #expect(good.status == 0)
        #expect(good.stdout.hasSuffix("all tables are sound\n"))
    }

    @Test("rates import stores an ECB file under HAUL_HOME and value then uses it")
    func ratesImport() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
              <Cube><Cube time="2020-06-18"><Cube currency="USD" rate="1.1200"/><Cube currency="GBP" rate="0.90000"/></Cube></Cube>
            </gesmes:Envelope>
            """
        try file.write(toFile: folder + "/daily.xml", atomically: true, encoding: .utf8)
        let imported = try haul("rates", "import", folder + "/daily.xml", environment: ["HAUL_HOME": folder + "/home"])
        #expect(imported.status == 0)
        #expect(imported.stdout == "Imported 1 day of ECB rates (2020-06-18 to 2020-06-18), 2 currencies.\nStored at \(folder)/home/rates/ecb-2020-06-18-2020-06-18.xml\n")
        let valued = try haul("value", HaulData.example("south-west-2020.xml").path, "--json", environment: ["HAUL_HOME": folder + "/home"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(valued.stdout.utf8)) as? [String: Any])
        let bitcoin = try #require((json["items"] as? [[String: Any]])?.first { $0["id"] as? String == "I-008" })
        let rate = try #require(((bitcoin["figures"] as? [[String: Any]])?.first?["exchangeRate"]) as? [String: Any])
        // 0.90 / 1.12, from the imported day
        #expect(rate["date"] as? String == "2020-06-18")
        #expect(rate["rate"] as? String == "0.803571429")
        let refused = try haul("rates", "import", HaulData.example("south-west-2020.xml").path, environment: ["HAUL_HOME": folder + "/home"])
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("no rates found"))
    }

    @Test("rates import never replaces a stored file whose lines saved valuations cite, and refuses a day after today")
    func ratesImportKeepsWhatItStored() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func daily(_ date: String, gbp: String) -> String {
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
              <Cube><Cube time="\(date)"><Cube currency="USD" rate="1.1200"/><Cube currency="GBP" rate="\(gbp)"/></Cube></Cube>
            </gesmes:Envelope>
            """
        }
        let home = ["HAUL_HOME": folder + "/home"]
        let stored = folder + "/home/rates/ecb-2021-03-01-2021-03-01.xml"
        try daily("2021-03-01", gbp: "0.90000").write(toFile: folder + "/a.xml", atomically: true, encoding: .utf8)
        #expect(try haul("rates", "import", folder + "/a.xml", environment: home).status == 0)
        let first = try String(contentsOfFile: stored, encoding: .utf8)
        // The same file again: nothing changes, and it says so.
        let again = try haul("rates", "import", folder + "/a.xml", environment: home)
        #expect(again.status == 0 && again.stdout == "These rates (2021-03-01 to 2021-03-01) are already stored, the same byte for byte, at \(stored); nothing changed.\n")
        // Other figures for the same day: refused, the stored file untouched.
        try daily("2021-03-01", gbp: "0.80000").write(toFile: folder + "/b.xml", atomically: true, encoding: .utf8)
        let other = try haul("rates", "import", folder + "/b.xml", environment: home)
        #expect(other.status == 1)
        #expect(other.stderr.hasPrefix("haul: rates for 2021-03-01 to 2021-03-01 are already stored, with other figures, at \(stored)."), "\(other.stderr)")
        #expect(try String(contentsOfFile: stored, encoding: .utf8) == first)
        // A day after today (the clock's, in London): a mistyped date, refused, nothing stored.
        try daily("2199-01-01", gbp: "0.80000").write(toFile: folder + "/c.xml", atomically: true, encoding: .utf8)
        let future = try haul("rates", "import", folder + "/c.xml", environment: home)
        #expect(future.status == 1)
        #expect(future.stderr.contains("c.xml:3: rates for 2199-01-01, after today"), "\(future.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/home/rates") == ["ecb-2021-03-01-2021-03-01.xml"])
    }

    @Test("value --tables: an overlay's row wins and the output names its file")
    func valueWithOverlay() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/agency", withIntermediateDirectories: true)
        try """
            substance,basis,from_quantity,quantity_unit,price_unit,reference_purity,low,central,high,currency,effective_from,source,confidence
            cocaine,wholesale,1,kg,kg,70,26000,28000,30000,GBP,2020-03-01,agency intelligence price list 2020-Q1,V
            """.write(toFile: folder + "/agency/drugs.csv", atomically: true, encoding: .utf8)
        let result = try haul("value", HaulData.example("south-west-2020.xml").path, "--tables", folder + "/agency", environment: ["HAUL_HOME": folder])
        #expect(result.status == 0, "\(result.stderr)")
        // 8 kg × £26,000 / £28,000 / £30,000
        #expect(result.stdout.contains("  wholesale   £208,000.00 / £224,000.00 / £240,000.00 (low / central / high)\n      from \(folder)/agency/drugs.csv:2, 2020-03-01 [V] agency intelligence price list 2020-Q1"))
        #expect(result.stdout.contains("Tables: \(folder)/agency over valuations/GB-EAW"))
        // A broken overlay stops the valuation with every problem named.
        try "substance,basis\ncocaine,street\n".write(toFile: folder + "/agency/drugs.csv", atomically: true, encoding: .utf8)
        let broken = try haul("value", HaulData.example("south-west-2020.xml").path, "--tables", folder + "/agency", environment: ["HAUL_HOME": folder])
        #expect(broken.status == 1)
        #expect(broken.stderr.hasPrefix("\(folder)/agency/drugs.csv:1: the header lacks the columns from_quantity"))
    }
}

extension CLITests {
    /// A python3 that can import `module` (Debian: `package`), or nil when there is none and the
    /// cross-check is not required (HAUL_REQUIRE_TOOLS unset).
    static func python(importing module: String, package: String) throws -> String? {
        for candidate in ["/usr/bin/python3", "/usr/local/bin/python3"] + (ProcessInfo.processInfo.environment["PATH"] ?? "")
            .split(separator: ":").map({ "\($0)/python3" }) where FileManager.default.isExecutableFile(atPath: candidate) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: candidate)
            process.arguments = ["-c", "import \(module)"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus == 0 { return candidate }
        }
        try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil,
                     "Python's \(module) is required here for an independent cross-check: apt-get install \(package)")
        return nil
    }
}

extension CLITests {
    /// A new folder with a register holding the bundled example, imported; the caller removes the folder.
    /// The example imported into a new register; `bare` leaves out its people and proceedings,
    /// for tests that record them from nothing.
    func importedExample(bare: Bool = false) throws -> (folder: String, db: String, env: [String: String]) {
        let folder = try temporaryFolder()
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        var example = HaulData.example("south-west-2020.xml").path
        if bare {
            let text = try String(contentsOfFile: example, encoding: .utf8)
            let start = try #require(text.range(of: "  <people>")), end = try #require(text.range(of: "</proceedings>\n"))
            example = folder + "/bare-example.xml"
            try text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: "").write(toFile: example, atomically: true, encoding: .utf8)
        }
        #expect(try haul("import", example, environment: env).status == 0)
        return (folder, db, env)
    }
}

extension CLITests {
    /// A system tool (`/usr/bin`, `/bin`, `/usr/local/bin`), or nil when it is absent and the
    /// cross-checks are not required (HAUL_REQUIRE_TOOLS unset); `package` is what installs it.
    static func tool(_ name: String, package: String? = nil) throws -> String? {
        for folder in ["/usr/bin", "/bin", "/usr/local/bin"] where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") { return "\(folder)/\(name)" }
        try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "\(name) is required here: apt-get install \(package ?? name)")
        return nil
    }

    /// Runs a tool other than haul with `arguments` in `directory`, with only `environment` and a plain PATH.
    func runTool(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": directory ?? NSTemporaryDirectory()].merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
