import Foundation
import Testing

/// Co-defendants with a joint benefit (R v Ahmad [2014] UKSC 36): each order is for the whole
/// £100,000, but what one pays is not recovered again from the other.
@Suite("haul confiscation joint")
struct CoDefendantCLITests {
    let cli = CLITests()

    @Test("B pays £30,000: A's order is enforceable for £70,000; A pays £20,000: each has £50,000 left")
    func ahmad() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        func outstanding(_ reference: String) throws -> (String?, String?) {
            let shown = try run("confiscation", reference, "--on", "2021-11-01", "--json")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "\(shown.stderr)")
            let lines = try #require(json["lines"] as? [[String: Any]])
            let line = lines.first { ($0["description"] as? String)?.hasPrefix("Outstanding on 2021-11-01") == true }
            let co = lines.first { ($0["description"] as? String)?.hasPrefix("Paid by co-defendants") == true }
            return (line?["amount"] as? String, co?["amount"] as? String)
        }
        for reference in ["OP-A", "OP-B"] {
            #expect(try run("case", "open", reference, "--opened", "2020-01-10", "--agency", "NCA:seizing:National Crime Agency").status == 0)
            // A phone each, never valued, so it changes no figure.
            #expect(try run("seize", reference, "phone", "--id", "\(reference)-1", "--exhibit", "\(reference)/1", "--seizure", "S-\(reference)", "--at", "2020-01-10T06:00",
                            "--place", "Dover", "--power", "pace-s19", "--officer", "DC 1", "--agency", "NCA").status == 0)
            #expect(try run("confiscation", "benefit", reference, "--description", "Share of the proceeds", "--obtained", "2020-01-01", "--value", "100000").status == 0)
            // Time to pay to 30 November: no interest runs before the 1 November position.
            #expect(try run("confiscation", "order", reference, "--order-reference", "T-\(reference)", "--made", "2021-09-01", "--amount", "100000",
                            "--time-to-pay-until", "2021-11-30").status == 0)
        }
        // Each names the other, once both cases are in the register.
        for (reference, other) in [("OP-A", "OP-B"), ("OP-B", "OP-A")] {
            #expect(try run("confiscation", "joint", reference, "--with", other, "--amount", "100000", "--description", "Proceeds of the joint importation").status == 0)
        }
        #expect(try outstanding("OP-A") == ("100000.00", "0.00"))
        #expect(try run("confiscation", "payment", "OP-B", "--on", "2021-10-15", "--amount", "30000").status == 0)
        // A: own balance 100,000; left of the joint sum 100,000 − 30,000 = 70,000.
        #expect(try outstanding("OP-A") == ("70000.00", "30000.00"))
        #expect(try run("confiscation", "payment", "OP-A", "--on", "2021-10-20", "--amount", "20000").status == 0)
        // A: own balance 80,000; joint left 100,000 − 20,000 − 30,000 = 50,000.
        // B: own balance 70,000; joint left the same 50,000.
        #expect(try outstanding("OP-A") == ("50000.00", "30000.00"))
        #expect(try outstanding("OP-B") == ("50000.00", "20000.00"))

        #expect(try run("case", "show", "OP-A", "--on", "2021-11-01").stdout.contains("\n  paid £20,000.00; outstanding £50,000.00 plus interest £0.00\n"))
        // The joint benefit travels in the case file and validates.
        #expect(try run("export", "OP-A", "-o", folder + "/a.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/a.xml", encoding: .utf8)
        #expect(text.contains("<withCase>OP-B</withCase>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/a.xml") { #expect(accepted) }
        // A co-defendant's case the register does not hold is refused when the joint benefit is
        // recorded: its payments could never be read. Nothing is recorded.
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        let unknown = try run("confiscation", "joint", "OP-A", "--with", "OP-Z", "--amount", "100000", "--description", "x")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("the co-defendant's case OP-Z is not in this register; import or open it first"), "\(unknown.stderr)")
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        // A case imported without its co-defendant's is still worked out and exported, never with a
        // silent zero: the figures say the co-defendant's payments are not counted. A: paid 20,000,
        // B's 30,000 unknown here, so 100,000 − 20,000 = 80,000 is left of the joint sum.
        let lonely = ["HAUL_DB": folder + "/lonely.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["import", folder + "/a.xml"], environment: lonely).status == 0)
        let missing = try cli.haulArray(["confiscation", "OP-A", "--on", "2021-11-01", "--json"], environment: lonely)
        #expect(missing.status == 0, "\(missing.stderr)")
        let lines = try #require((try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])?["lines"] as? [[String: Any]])
        #expect(lines.contains { ($0["description"] as? String) == "The co-defendant's case OP-B is not in this register: what its defendant paid towards the joint benefit is not counted" })
        #expect(lines.contains { ($0["description"] as? String)?.hasPrefix("Outstanding on 2021-11-01") == true && $0["amount"] as? String == "80000.00" })
        #expect(try cli.haulArray(["export", "OP-A", "-o", folder + "/lonely.xml"], environment: lonely).status == 0)
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/lonely.xml") { #expect(accepted) }
    }
}
