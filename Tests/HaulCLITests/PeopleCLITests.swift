import Foundation
import HaulData
import Testing

/// People and their interests: only the defendant's interest counts in the available amount
/// (POCA 2002 s.79(3)); names stay out of messages; the case file carries both and its checker
/// refuses interests that do not add up.
@Suite("haul person and haul interest")
struct PeopleCLITests {
    let cli = CLITests()

    @Test("a jointly owned car under finance, sold: (40,000 − 2,000 − 5,000) × 50 % = 16,500; jointly owned cash: 30,000 × 60 % = 18,000")
    func defendantsShare() throws {
        // Without the example's own defendants: one defendant, his wife and a finance company.
        let (folder, env) = try cli.valuedExample(bare: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "John Example").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-2", "--role", "third-party", "--name", "Jane Example").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-3", "--role", "third-party", "--name", "Northside Motor Finance").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-2", "--role", "suspect", "--name", "Someone Else").stderr == "haul: case SW-2020-0417 already has a person P-2\n")
        // A name is one line on every list and document: a line break or tab in it is refused, nothing recorded.
        let people = try LedgerCLITests().dump(env["HAUL_DB"]!)
        for name in ["Someone\nElse", "Someone\r\nElse", "Someone\tElse"] {
            #expect(try run("person", "add", "SW-2020-0417", "--id", "P-4", "--role", "suspect", "--name", name).stderr
                    == "haul: the name of P-4 holds a line break or tab; give the name on one line\n")
        }
        #expect(try LedgerCLITests().dump(env["HAUL_DB"]!) == people)

        // The Range Rover (I-006): owned half and half by the defendant and his wife, £5,000
        // of hire-purchase finance secured on it; sold for £40,000 with £2,000 of costs.
        #expect(try run("interest", "I-006", "--person", "P-1", "--owner", "50").status == 0)
        #expect(try run("interest", "I-006", "--person", "P-2", "--owner", "50").status == 0)
        #expect(try run("interest", "I-006", "--person", "P-3", "--charge", "5000", "--note", "HP agreement 77-1234").status == 0)
        #expect(try run("confiscation", "sale", "I-006", "--on", "2021-03-01", "--gross", "40000", "--costs", "2000").status == 0)
        // The cash in the car (I-009): 60 % his, 40 % hers.
        #expect(try run("interest", "I-009", "--person", "P-1", "--owner", "60").status == 0)
        #expect(try run("interest", "I-009", "--person", "P-2", "--owner", "40").status == 0)

        // Refused, nothing recorded, and no name in any message.
        let over = try run("interest", "I-006", "--person", "P-2", "--owner", "60")
        #expect(over.stderr == "haul: the owners' shares of I-006 would add up to 110 %; nothing recorded\n")
        let nobody = try run("interest", "I-006", "--person", "P-9", "--owner", "10")
        #expect(nobody.stderr == "haul: case SW-2020-0417 has no person P-9; add them with haul person add\n")
        #expect(try run("interest", "I-006", "--person", "P-1").status != 0)

        let shown = try run("confiscation", "SW-2020-0417", "--on", "2021-04-01", "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let lines = try #require(json["lines"] as? [[String: Any]])
        let car = try #require(lines.first { ($0["description"] as? String)?.hasPrefix("I-006") == true && $0["section"] as? String == "available" })
        #expect(car["amount"] as? String == "16500.00")
        #expect((car["note"] as? String)?.contains("less £5,000.00 secured on it by others, then the defendant's 50 % share (s.79(3))") == true)
        let cash = try #require(lines.first { ($0["description"] as? String)?.hasPrefix("I-009") == true && $0["section"] as? String == "available" })
        #expect(cash["amount"] as? String == "18000.00")

        let glance = try run("case", "show", "SW-2020-0417").stdout
        #expect(glance.contains("\nPeople: 1 defendant, 2 third parties\n"))
        let everything = [shown.stdout, over.stderr, nobody.stderr, glance].joined()
        #expect(!everything.contains("Jane Example") && !everything.contains("John Example"))
        let list = try run("person", "list", "SW-2020-0417").stdout
        #expect(list.contains("  P-2      third-party  Jane Example\n      I-006 (HAL/AB/6): owner, 50 %\n      I-009 (HAL/SH/1): owner, 40 %\n"))

        // The case file carries people and interests, validates (xmllint agrees) and round-trips.
        #expect(try run("export", "SW-2020-0417", "-o", folder + "/case.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        #expect(text.contains("<person id=\"P-2\" role=\"third-party\">Jane Example</person>"))
        #expect(text.contains("<interest person=\"P-1\" kind=\"owner\" percent=\"50\"/>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/case.xml") { #expect(accepted) }
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["import", folder + "/case.xml"], environment: second).status == 0)
        #expect(try cli.haulArray(["export", "SW-2020-0417", "-o", folder + "/again.xml"], environment: second).status == 0)
        #expect(try String(contentsOfFile: folder + "/again.xml", encoding: .utf8) == text)

        // Files that break the rules the schema cannot express are refused with their lines.
        let tampered = text.replacingOccurrences(of: "<interest person=\"P-2\" kind=\"owner\" percent=\"50\"/>", with: "<interest person=\"P-9\" kind=\"owner\" percent=\"60\"/>")
        try tampered.write(toFile: folder + "/bad.xml", atomically: true, encoding: .utf8)
        let refused = try cli.haul("validate", folder + "/bad.xml")
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("the owners' shares add up to 110 %, more than 100 %"))
        #expect(refused.stdout.contains("the interest names person 'P-9', which the case's people do not list"))
    }
}
