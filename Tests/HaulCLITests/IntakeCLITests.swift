import Foundation
import HaulData
import Testing

@Suite("Exhibit intake from a spreadsheet")
struct IntakeCLITests {
    let cli = CLITests()

    /// A 40-row exhibit list: ten each of cash, drugs, phones and watches, in two seizures.
    static func sheet(badRow: Bool) -> String {
        var lines = ["exhibit,id,kind,seizure,description,seized_at,place,power,officer,agency,substance,form,mass,currency,amount,brand,model,condition,box,papers"]
        for index in 1...40 {
            let seizure = index <= 20 ? "S10" : "S11"
            let first = index == 1 || index == 21
            let where_ = first ? (index == 1 ? "2021-03-01T06:10,Bristol,warrant,DC 1,ASC" : "2021-03-02T09:30,Bath,pace-s32,DC 2,ASC") : ",,,,"
            let row: String
            switch index % 4 {
            case 0: row = "cash,\(seizure),Cash,\(where_),,,,GBP,\(index * 100),,,,,"
            case 1: row = "drug,\(seizure),Powder,\(where_),cocaine,powder,\(badRow && index == 17 ? "-5g" : "\(index)g"),,,,,,,"
            case 2: row = "phone,\(seizure),Phone,\(where_),,,,,,,,,,"
            default: row = "watch,\(seizure),Watch,\(where_),,,,,,Rolex,Submariner Date,good,yes,no"
            }
            lines.append("AB/\(index),I-\(index),\(row)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("40 rows with one bad: nothing added, the row and column named; fixed: 40 items added")
    func allOrNothing() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "OP-2", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        try Self.sheet(badRow: true).write(toFile: folder + "/exhibits.csv", atomically: true, encoding: .utf8)
        let bad = try cli.haulArray(["seize", "OP-2", "--from", folder + "/exhibits.csv"], environment: env)
        #expect(bad.status == 1)
        // Row 17 is on line 18 (after the header); mass is the 13th column.
        #expect(bad.stderr == "\(folder)/exhibits.csv:18:13: mass: mass -5 g must be greater than zero\n1 problem in \(folder)/exhibits.csv; nothing was added\n")
        #expect(try cli.haulArray(["case", "show", "OP-2"], environment: env).stdout.contains("0 seizures, 0 items"))
        try Self.sheet(badRow: false).write(toFile: folder + "/exhibits.csv", atomically: true, encoding: .utf8)
        let good = try cli.haulArray(["seize", "OP-2", "--from", folder + "/exhibits.csv"], environment: env)
        #expect(good.status == 0, "\(good.stdout)")
        #expect(good.stdout == "Added 40 items from \(folder)/exhibits.csv to case OP-2\n")
        #expect(try cli.haulArray(["case", "show", "OP-2"], environment: env).stdout.contains("2 seizures, 40 items"))
        #expect(try cli.haulArray(["export", "OP-2", "-o", folder + "/op2.xml"], environment: env).status == 0)
        // The same sheet again: every id is already there.
        let again = try cli.haulArray(["seize", "OP-2", "--from", folder + "/exhibits.csv"], environment: env)
        #expect(again.status == 1)
        #expect(again.stderr.contains("\(folder)/exhibits.csv:2:2: id: item I-1 is already in the case or the sheet"))
    }

    @Test("the shipped template adds its six example items")
    func template() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "T-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        let result = try cli.haulArray(["seize", "T-1", "--from", HaulData.example("exhibits-template.csv").path], environment: env)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("Added 6 items"))
        #expect(try cli.haulArray(["export", "T-1", "-o", folder + "/t1.xml"], environment: env).status == 0)
    }
}

@Suite("Bounded reports")
struct BoundedReportTests {
    let cli = CLITests()

    @Test("300 bad rows print the first 100 problems, then a count, then the summary")
    func cappedProblems() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "OP-3", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        var lines = ["exhibit,id,kind,seizure,description,seized_at,place,power,officer,agency,substance,form,mass"]
        lines.append("AB/0,I-0,drug,S1,Powder,2021-03-01T06:10,Bristol,warrant,DC 1,ASC,cocaine,powder,1g")
        for index in 1...300 { lines.append("AB/\(index),I-\(index),drug,S1,Powder,,,,,,cocaine,powder,-\(index)g") }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let result = try cli.haulArray(["seize", "OP-3", "--from", folder + "/bad.csv"], environment: env)
        #expect(result.status == 1)
        let printed = result.stderr.split(separator: "\n")
        #expect(printed.count == 102, "\(printed.count)")
        #expect(printed[100] == "… and 200 more")
        #expect(printed[101] == "300 problems in \(folder)/bad.csv; nothing was added")
    }
}
