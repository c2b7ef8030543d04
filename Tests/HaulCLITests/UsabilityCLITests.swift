import Foundation
import HaulData
import Testing

/// The command line as investigators use it: regimes that fit the kind, jurisdictions that ship.
@Suite("a command line investigators can live in")
struct UsabilityCLITests {
    let cli = CLITests()
    let ledger = LedgerCLITests()

    func exampleRegister() throws -> (folder: String, db: String, env: [String: String]) {
        let folder = try cli.temporaryFolder()
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        return (folder, db, env)
    }

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
        // A % is looked for, not a wildcard.
        let none = try cli.haul("find", "100%", environment: env)
        #expect(none.status == 1 && none.stderr == "haul: no item of any case matches '100%'\n")
    }
}
