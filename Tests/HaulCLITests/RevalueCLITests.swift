import Foundation
import HaulData
import Testing

/// `haul revalue`: a lab result replaces an assumed purity; the new figures follow by hand
/// arithmetic, and the old valuation stays in the item's trail, in the register and the export.
@Suite("haul revalue")
struct RevalueCLITests {
    let cli = CLITests()

    @Test("a 61 % lab result lowers the 8 kg cocaine valued at an assumed 70 %; the earlier figures are kept")
    func purityResult() throws {
        let (folder, env) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/before.xml").status == 0)

        // Refused without a trace: a non-drug, an impossible purity, a comma decimal.
        #expect(try run("revalue", "I-003", "--purity", "61", "--reason", "x").stderr == "haul: I-003 is not a drug; --purity applies to drugs only\n")

        // A bad --purity is a usage error (64), named.
        #expect(try run("revalue", "I-001", "--purity", "101", "--reason", "x").status == 64)
        #expect(try run("revalue", "I-001", "--purity", "61,5", "--reason", "x").stderr.contains("--purity: '61,5' is not a plain decimal"))
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/unchanged.xml").status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/unchanged.xml")) == (try Data(contentsOf: URL(fileURLWithPath: folder + "/before.xml"))))

        // Wholesale £28,000 / £34,000 / £40,000 a kilo (June 2020) at 70 % reference purity, 8 kg:
        // 224,000 / 272,000 / 320,000; at 61 %: × 61/70 = 195,200 / 237,028.571… / 278,857.142…
        let revalued = try run("revalue", "I-001", "--purity", "61", "--reason", "Lab report LGC/2020/1234: 61 % cocaine")
        #expect(revalued.status == 0, "\(revalued.stderr)")
        #expect(revalued.stdout.hasPrefix("I-001 (HAL/AB/1) revalued: Lab report LGC/2020/1234: 61 % cocaine\n"))
        #expect(revalued.stdout.contains("  wholesale                £195,200.00 / £237,028.57 / £278,857.14  (was £272,000.00)\n"))
        #expect(!revalued.stdout.contains("purity not tested"))
        #expect(revalued.stdout.hasSuffix("  1 earlier valuation kept in the item's trail\n"))
        #expect(try run("revalue", "I-001", "--purity", "61", "--reason", "again").stdout == "I-001: the valuation is unchanged; nothing recorded\n")
        // Valuing the whole case again changes nothing more: the trail does not grow.
        #expect(try run("value", "SW-2020-0417", "--save").status == 0)

        #expect(try run("export", "SW-2020-0417", "-o", folder + "/after.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/after.xml", encoding: .utf8)
        #expect(text.components(separatedBy: "<earlier replacedOn=").count == 2)
        #expect(text.contains("reason=\"Lab report LGC/2020/1234: 61 % cocaine\">\n              <valuation basis=\"wholesale\" valuedOn=\"2020-06-18\">\n                <low currency=\"GBP\">224000.00</low>\n                <central currency=\"GBP\">272000.00</central>"))
        // The totals count the current figure only.
        #expect(text.contains("<total kind=\"drug\" basis=\"wholesale\" items=\"1\">\n      <low currency=\"GBP\">195200.00</low>\n      <central currency=\"GBP\">237028.57</central>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/after.xml") { #expect(accepted) }
        // The trail survives a round trip through another register.
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["import", folder + "/after.xml"], environment: second).status == 0)
        #expect(try cli.haulArray(["export", "SW-2020-0417", "-o", folder + "/again.xml"], environment: second).status == 0)
        #expect(try String(contentsOfFile: folder + "/again.xml", encoding: .utf8) == text)
    }

    @Test("a sale revalues the car at what it fetched, net of costs; the estimates stay in its trail; valuing again keeps the sale")
    func sale() throws {
        let (folder, env) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("confiscation", "sale", "I-006", "--on", "2021-03-01", "--gross", "40000", "--costs", "2000").stdout
                == "Recorded for case SW-2020-0417: sale of I-006; realised £38,000.00 net of costs, its estimates kept in its trail\n")
        #expect(try run("confiscation", "sale", "I-006", "--on", "2021-03-01", "--gross", "1000", "--costs", "2000").status != 0)
        #expect(try run("value", "SW-2020-0417", "--save").status == 0)
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/sold.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/sold.xml", encoding: .utf8)
        // 40,000 − 2,000 = 38,000, the one current figure; the three estimates moved to the trail, once.
        #expect(text.contains("<valuation basis=\"realised\" valuedOn=\"2021-03-01\">\n              <low currency=\"GBP\">38000.00</low>"))
        #expect(text.components(separatedBy: "<earlier replacedOn=\"2021-03-01\" reason=\"sold on 2021-03-01\">").count == 2)
        #expect(text.contains("<total kind=\"vehicle\" basis=\"realised\" items=\"1\">\n      <low currency=\"GBP\">38000.00</low>"))
        #expect(!text.contains("<total kind=\"vehicle\" basis=\"market\""))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/sold.xml") { #expect(accepted) }
    }

    /// A new register (in a new folder, the caller removes it) with case T-1 holding one drug I-1
    /// of `attributes`, and a way to run haul on it.
    func oneDrug(_ attributes: String...) throws -> (folder: String, run: (String...) throws -> CLITests.Result) {
        let folder = try cli.temporaryFolder()
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        let cli = cli
        let run: (String...) throws -> CLITests.Result = { arguments in try cli.haulArray(arguments, environment: env) }
        #expect(try run("case", "open", "T-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary").status == 0)
        #expect(try cli.haulArray(["seize", "T-1", "drug", "--id", "I-1", "--exhibit", "T/1", "--seizure", "S1", "--at", "2021-03-01T10:00", "--place", "Bristol",
                                   "--power", "pace-s19", "--officer", "DC 1", "--agency", "ASC"] + attributes, environment: env).status == 0)
        return (folder, run)
    }

    @Test("tablets are priced by the unit: a purity for them would change nothing, so it is refused and nothing recorded")
    func countedDrugs() throws {
        let (folder, run) = try oneDrug("substance=ecstasy", "form=tablet", "count=500")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let tablets = try run("revalue", "I-1", "--purity", "50", "--reason", "lab")
        #expect(tablets.status == 1)
        #expect(tablets.stderr == "haul: I-1 is counted, not weighed: its price is by the unit and no purity changes it; --purity applies to drugs weighed\n", "\(tablets.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
    }

    @Test("a value on a day still to come is refused and nothing recorded; today is taken")
    func futureDay() throws {
        let (folder, run) = try oneDrug("substance=cocaine", "form=powder", "mass=1kg", "purity=60%")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Two days on in UTC is a day still to come in London, whatever the hour.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let later = formatter.string(from: Date().addingTimeInterval(2 * 86_400))
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let refused = try run("revalue", "I-1", "--reason", "a later table", "--on", later)
        #expect(refused.status == 1)
        #expect(refused.stderr == "haul: I-1 cannot be valued on \(later), a day still to come; give --on a day up to today, or leave it out to value on the seizure date\n", "\(refused.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        #expect(try run("revalue", "I-1", "--reason", "on the seizure date").status == 0)
    }

    @Test("a derived exchange rate is shown as stated, to the nine places the figure was worked with")
    func derivedRateShownWhole() throws {
        let (folder, env) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shown = try cli.haulArray(["value", "SW-2020-0417"], environment: env).stdout
        // USD → GBP on 18 June 2020 (eurofxref-hist.csv): 0.90028 GBP ÷ 1.1222 USD per euro = 0.80224558902…,
        // stated to nine places: 0.802245589 (it was shown as 0.802246).
        #expect(shown.contains("rate 1 USD = 0.802245589 GBP, ECB 2020-06-18 (derived)"), "\(shown)")
    }
}
