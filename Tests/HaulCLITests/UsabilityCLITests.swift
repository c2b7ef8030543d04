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
    }
}
