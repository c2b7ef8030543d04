import Foundation
import HaulData
import Testing

@Suite("haul case and seize")
struct SeizeCLITests {
    let cli = CLITests()

    /// A new register (in a new folder, the caller removes it) holding case OP-1, opened by the MPS.
    func openedCase() throws -> (folder: String, env: [String: String]) {
        let folder = try cli.temporaryFolder()
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("case", "open", "OP-1", "--opened", "2021-03-01", "--agency", "MPS:seizing:Metropolitan Police Service", environment: env).status == 0)
        return (folder, env)
    }

    @Test("open a case, seize items of several kinds, refuse a bad attribute, export a valid file")
    func openAndSeize() throws {
        let (folder, env) = try openedCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = try cli.haul("seize", "OP-1", "cash", "--id", "I-1", "--exhibit", "AB/1", "--seizure", "S1", "--at", "2021-03-01T10:15",
                                 "--place", "Peckham", "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "MPS",
                                 "currency=GBP", "amount=12500", "denominations=50x200,20x125", environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try cli.haul("seize", "OP-1", "drug", "--id", "I-2", "--exhibit", "AB/2", "--seizure", "S1",
                             "substance=cocaine", "form=powder", "mass=28.5g", "purity=61", environment: env).status == 0)
        let bad = try cli.haul("seize", "OP-1", "drug", "--id", "I-3", "--exhibit", "AB/3", "--seizure", "S1",
                               "substance=unobtainium", "form=powder", "mass=1kg", environment: env)
        #expect(bad.status == 1)
        #expect(bad.stderr.hasPrefix("haul: substance: unknown value 'unobtainium'; use one of cocaine"))
        let negative = try cli.haul("seize", "OP-1", "drug", "--id", "I-3", "--exhibit", "AB/3", "--seizure", "S1",
                                    "substance=cocaine", "form=powder", "mass=-1kg", environment: env)
        #expect(negative.status == 1)
        #expect(negative.stderr.contains("mass:"))
        // An attribute given twice is a mistake in one of them, not the last one winning.
        let twice = try cli.haul("seize", "OP-1", "cash", "--id", "I-4", "--exhibit", "AB/4", "--seizure", "S1",
                                 "currency=GBP", "amount=5000", "amount=6000", environment: env)
        #expect(twice.status == 64)
        #expect(twice.stderr.contains("Error: amount is given twice ('amount=5000' and 'amount=6000'); give it once."), "\(twice.stderr)")
        let show = try cli.haul("case", "show", "OP-1", environment: env)
        // Opening, then each item: three events, none of them a status move.
        #expect(show.stdout.contains("1 seizure, 2 items, 3 events (0 status moves)"))
        #expect(try cli.haul("export", "OP-1", "-o", folder + "/op1.xml", environment: env).status == 0)
        #expect(try cli.haul("validate", folder + "/op1.xml").status == 0)
        let text = try String(contentsOfFile: folder + "/op1.xml", encoding: .utf8)
        #expect(text.contains("<seizedAt zone=\"Europe/London\">2021-03-01T10:15:00Z</seizedAt>"))
        #expect(text.contains("<denomination value=\"50.00\" form=\"note\">200</denomination>"))
    }

    @Test("valuations whose total a case file could not hold are not saved, and the case still exports")
    func totalBeyondTheSchema() throws {
        let (folder, env) = try openedCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Each at the schema's largest whole Amount (999,999,999,999,999.9999 with four places):
        // their face-value total, £1,999,999,999,999,998.00, is not an Amount.
        for (id, extra) in [("I-1", ["--at", "2021-03-01T10:15", "--place", "Peckham", "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "MPS"]), ("I-2", [])] {
            let seized = try cli.haulArray(["seize", "OP-1", "cash", "--id", id, "--exhibit", "AB/\(id)", "--seizure", "S1"] + extra
                                      + ["currency=GBP", "amount=999999999999999"], environment: env)
            #expect(seized.status == 0, "\(seized.stderr)")
        }
        let before = try cli.haul("history", "OP-1", environment: env).stdout
        let valued = try cli.haul("value", "OP-1", "--save", environment: env)
        #expect(valued.status == 1)
        #expect(valued.stderr == "haul: the cash / face total of 2 items would come to £1,999,999,999,999,998.00, beyond the 999999999999999.9999 a case file can hold; check the amounts (nothing recorded)\n", "\(valued.stderr)")
        #expect(try cli.haul("history", "OP-1", environment: env).stdout == before)
        #expect(try cli.haul("export", "OP-1", "-o", folder + "/op1.xml", environment: env).status == 0)
    }
}
