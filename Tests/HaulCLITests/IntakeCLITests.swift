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

    @Test("a case with nothing seized, only a defendant, a benefit and an order: every export and document is written (xmllint agrees), reads change nothing, and export → import → export is byte-identical")
    func emptyCase() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        // A confiscation needs no seizure (POCA 2002 ss.6-7: the order follows from the benefit and the available amount, not from what was seized); Haul
        // accepts these writes, so it must be able to export what they made (schema 1.6).
        for arguments in [["case", "open", "E-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"],
                          ["person", "add", "E-1", "--id", "P-1", "--role", "defendant", "--name", "Jo Avery (illustrative)"],
                          ["confiscation", "benefit", "E-1", "--description", "Cash from supply", "--obtained", "2020-05-01", "--value", "150000"],
                          ["confiscation", "order", "E-1", "--order-reference", "T20210001", "--made", "2021-06-01", "--amount", "150000"]] {
            let written = try cli.haulArray(arguments, environment: env)
            #expect(written.status == 0, "\(arguments): \(written.stderr)")
        }
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        // At a glance: nothing seized said once, no empty values, statuses or items sections.
        let glance = try cli.haulArray(["case", "show", "E-1"], environment: env).stdout
        #expect(glance.contains("\nItems: nothing seized yet\n") && !glance.contains("Statuses:") && !glance.contains("Items by kind") && !glance.contains("not valued yet"), "\(glance)")
        let export = try cli.haulArray(["export", "E-1", "-o", folder + "/e1.xml"], environment: env)
        #expect(export.status == 0, "\(export.stderr)")
        let xml = try String(contentsOfFile: folder + "/e1.xml", encoding: .utf8)
        #expect(xml.contains("<seizures/>") && xml.contains("<description>Cash from supply</description>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/e1.xml") { #expect(accepted) }
        let filing = try cli.haulArray(["export", "E-1", "--profile", "ecf", "--attach", "haul", "--court", "Bristol Crown Court", "--court-id", "BCC",
                                        "-o", folder + "/f.xml"], environment: env)
        #expect(filing.status == 0, "\(filing.stderr)")
        #expect(try cli.haulArray(["export", "E-1", "--profile", "niem", "-o", folder + "/n.xml"], environment: env).status == 0)
        // The schedule says there is nothing to list rather than show an empty table, and still
        // carries the confiscation figures (the order's £150,000.00).
        let schedule = try cli.haulArray(["schedule", "E-1", "-o", folder + "/s.html"], environment: env)
        #expect(schedule.status == 0, "\(schedule.stderr)")
        let html = try String(contentsOfFile: folder + "/s.html", encoding: .utf8)
        #expect(html.contains("Nothing has been seized in this case") && !html.contains("class=\"summary\"") && !html.contains("Annex"))
        #expect(html.contains("150,000.00"))
        let statement = try cli.haulArray(["statement", "E-1", "-o", folder + "/st.html", "--author", "A. Lawyer"], environment: env)
        #expect(statement.status == 0, "\(statement.stderr)")
        // The order recorded (£150,000) is not the recoverable amount computed (nil available): said.
        let asked = try String(contentsOfFile: folder + "/st.html", encoding: .utf8)
        #expect(asked.contains("is already recorded in this case; it differs from the recoverable amount set out above") && asked.contains("T20210001"), "\(asked)")
        // Exports and documents are reads.
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
        // Imported into a new register and exported again: the same bytes.
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        let imported = try cli.haulArray(["import", folder + "/e1.xml"], environment: second)
        #expect(imported.stdout.contains("Imported case E-1: 0 seizures, 0 items"), "\(imported.stdout)\(imported.stderr)")
        #expect(try cli.haulArray(["export", "E-1", "-o", folder + "/e2.xml"], environment: second).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/e2.xml")) == Data(contentsOf: URL(fileURLWithPath: folder + "/e1.xml")))
        // A case just opened, nothing else recorded, goes out through the export streamed from the
        // register's rows: the same round trip.
        #expect(try cli.haulArray(["case", "open", "E-2", "--opened", "2021-03-02", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        #expect(try cli.haulArray(["export", "E-2", "-o", folder + "/opened.xml"], environment: env).status == 0)
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/opened.xml") { #expect(accepted) }
        #expect(try cli.haulArray(["import", folder + "/opened.xml"], environment: second).stdout.contains("Imported case E-2: 0 seizures, 0 items"))
        #expect(try cli.haulArray(["export", "E-2", "-o", folder + "/opened-again.xml"], environment: second).status == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/opened-again.xml")) == Data(contentsOf: URL(fileURLWithPath: folder + "/opened.xml")))
    }

    @Test("a sheet with its header and no item rows (or only blank lines) is refused at its second line; nothing is recorded")
    func headerOnly() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "H-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        let header = try String(contentsOf: HaulData.example("exhibits-template.csv"), encoding: .utf8).split(separator: "\n")[0]
        let before = try LedgerCLITests().dump(folder + "/r.sqlite")
        for (name, text) in [("header.csv", header + "\n"), ("blank.csv", header + "\n\n\n")] {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            let result = try cli.haulArray(["seize", "H-1", "--from", folder + "/" + name], environment: env)
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect((result.stdout + result.stderr).contains("\(folder)/\(name):2: the sheet has its header but no item rows: add one row per item"), "\(result.stdout)\(result.stderr)")
            #expect(!(result.stdout + result.stderr).contains("Fatal error"))
        }
        #expect(try LedgerCLITests().dump(folder + "/r.sqlite") == before)
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
        #expect(printed[100] == "… and 200 more (by column: mass 200)")
        #expect(printed[101] == "300 problems in \(folder)/bad.csv; nothing was added")
    }
}

/// Sheets as offices save them, written by an independent writer (Python's csv module).
@Suite("Spreadsheets as they come")
struct SpreadsheetHabitTests {
    let cli = CLITests()

    /// python3 (only its standard csv module is used), or nil when it is absent and not required.
    static func python() throws -> String? { try CLITests.python(importing: "csv", package: "python3") }

    /// Writes `rows` to `path` with Python's csv module in `encoding`, separated by `delimiter`.
    func write(_ rows: [[String]], to path: String, encoding: String, delimiter: String = ",", python: String) throws {
        let data = try JSONSerialization.data(withJSONObject: rows)
        try data.write(to: URL(fileURLWithPath: path + ".json"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import csv, json, sys
            rows = json.load(open(sys.argv[1], encoding='utf-8'))
            with open(sys.argv[2], 'w', encoding=sys.argv[3], newline='') as out:
                csv.writer(out, delimiter=sys.argv[4], lineterminator='\\r\\n').writerows(rows)
            """, path + ".json", path, encoding, delimiter]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static let header = ["exhibit", "id", "kind", "seizure", "description", "seized_at", "place", "power", "officer", "agency",
                         "currency", "amount", "make", "model", "year", "condition", "class", "registration", "first-registered"]

    func openCase() throws -> (folder: String, env: [String: String]) {
        let folder = try cli.temporaryFolder()
        let env = ["HAUL_DB": folder + "/r.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haulArray(["case", "open", "OP-4", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary"], environment: env).status == 0)
        return (folder, env)
    }

    @Test("Excel's plain CSV (Windows-1252) with UK dates and a row of empty cells: read, said so, every character kept")
    func windows1252() throws {
        guard let python = try Self.python() else { return }
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = [Self.header,
                    ["AB/1", "I-1", "cash", "S1", "Café float – 2 × £50 notes", "01/03/2021 06:10", "Bristol", "warrant", "DC 1", "ASC", "GBP", "100", "", "", "", "", "", "", ""],
                    Array(repeating: "", count: Self.header.count),
                    ["AB/2", "I-2", "vehicle", "S1", "Grey van", "", "", "", "", "", "", "", "Ford", "Transit", "2019", "average", "mainstream", "WU19 ABC", "15/04/2019"]]
        try write(rows, to: folder + "/sheet.csv", encoding: "cp1252", python: python)
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/sheet.csv"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Added 2 items from \(folder)/sheet.csv to case OP-4\n")
        #expect(result.stderr.contains("not UTF-8: read as Windows-1252 (Excel's 'CSV')"))
        let found = try cli.haulArray(["find", "café", "--json"], environment: env)
        #expect(found.stdout.contains("Café float – 2 × £50 notes"), "\(found.stdout)")
        // 1 March 2021 06:10 in London is GMT; the van was first registered on 15 April 2019.
        let export = try cli.haulArray(["export", "OP-4", "-o", folder + "/op4.xml"], environment: env)
        #expect(export.status == 0)
        let xml = try String(contentsOfFile: folder + "/op4.xml", encoding: .utf8)
        #expect(xml.contains(">2021-03-01T06:10:00Z<"))
        #expect(xml.contains("<firstRegistered>2019-04-15<"))
    }

    @Test("Excel's Unicode text (UTF-16, tab-separated) is read")
    func unicodeText() throws {
        guard let python = try Self.python() else { return }
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let rows = [Self.header,
                    ["AB/1", "I-1", "cash", "S1", "Złoty, in an envelope", "2021-03-01T06:10", "Bristol", "warrant", "DC 1", "ASC", "PLN", "500", "", "", "", "", "", "", ""]]
        try write(rows, to: folder + "/sheet.txt", encoding: "utf-16", delimiter: "\t", python: python)
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/sheet.txt"], environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("read as UTF-16, tab-separated (Excel's 'Unicode text')"))
        #expect(try cli.haulArray(["find", "złoty"], environment: env).stdout.contains("Złoty, in an envelope"))
    }

    @Test("a file in no encoding Haul reads is refused with its line and how to save it; nothing added")
    func unreadable() throws {
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // 0x81 has no character in Windows-1252 and cannot start a UTF-8 character.
        var bytes = Array((Self.header.joined(separator: ",") + "\nAB/1,I-1,cash,S1,").utf8)
        bytes += [0x81] + Array(",2021-03-01T06:10,Bristol,warrant,DC 1,ASC,GBP,100,,,,,,,\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/bad.csv"))
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/bad.csv"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr == "\(folder)/bad.csv:2: byte 0x81 is neither UTF-8 nor Windows-1252; save the sheet as 'CSV UTF-8 (Comma delimited)'\nnothing was added\n")
        #expect(try cli.haulArray(["case", "show", "OP-4"], environment: env).stdout.contains("0 seizures, 0 items"))
        // UTF-8 with one damaged byte is not read as Windows-1252 (its é would be kept as Ã©).
        var damaged = Array((Self.header.joined(separator: ",") + "\nAB/1,I-1,cash,S1,Café,2021-03-01T06:10,Bristol,warrant,DC 1,ASC,GBP,100,,,,,,,\nAB/2,I-2,cash,S1,").utf8)
        damaged += [0xE9] + Array(",,,,,,GBP,100,,,,,,,\n".utf8)
        try Data(damaged).write(to: URL(fileURLWithPath: folder + "/damaged.csv"))
        let refused = try cli.haulArray(["seize", "OP-4", "--from", folder + "/damaged.csv"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("\(folder)/damaged.csv:3: the file is UTF-8 but has a damaged character on this line"), "\(refused.stderr)")
        // A device is not an exhibit list.
        #expect(try cli.haulArray(["seize", "OP-4", "--from", "/dev/zero"], environment: env).stderr == "haul: /dev/zero is not a file (an exhibit list is a CSV file)\n")
    }

    @Test("a new seizure missing its place is named once, not again on each of its rows; a date with no time is asked for its time")
    func noCascade() throws {
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = [Self.header.joined(separator: ",")]
        lines.append("AB/1,I-1,cash,S1,Cash,2021-03-01T06:10,,warrant,DC 1,ASC,GBP,100,,,,,,,")
        for index in 2...4 { lines.append("AB/\(index),I-\(index),cash,S1,Cash,,,,,,GBP,100,,,,,,,") }
        lines.append("AB/5,I-5,cash,S2,Cash,01/03/2021,Bath,warrant,DC 1,ASC,GBP,100,,,,,,,")
        // A first row failing on its kind: the next row of its seizure is not told the seizure is new.
        lines.append("AB/6,I-6,bullion,S3,Gold,2021-03-01T06:10,Bath,warrant,DC 1,ASC,,,,,,,,,")
        lines.append("AB/7,I-7,cash,S3,Cash,,,,,,GBP,100,,,,,,,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/sheet.csv", atomically: true, encoding: .utf8)
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/sheet.csv"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr == """
            \(folder)/sheet.csv:2:4: seizure: seizure S1 is new: give seized_at, place, power, officer and agency on its first row (place is empty)
            \(folder)/sheet.csv:6:6: seized_at: '01/03/2021' has no time; give the time of the seizure too, e.g. '01/03/2021 06:10'
            \(folder)/sheet.csv:7:3: kind: unknown kind 'bullion'; use one of drug, cash, watch, vehicle, jewellery, cryptoasset, firearm, ammunition, phone, document, other
            3 problems in \(folder)/sheet.csv; nothing was added

            """)
    }

    @Test("a seizure dated in the future is named at its line and column, beside the sheet's other problems; nothing added")
    func futureSeizure() throws {
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Two days on in UTC is still to come in London, whatever the hour.
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        let later = formatter.string(from: Date().addingTimeInterval(2 * 86_400))
        let lines = [Self.header.joined(separator: ","),
                     "AB/1,I-1,cash,S1,Cash,\(later)T06:10,Bath,warrant,DC 1,ASC,GBP,100,,,,,,,",
                     "AB/2,I-2,bullion,S2,Gold,2021-03-01T06:10,Bath,warrant,DC 1,ASC,,,,,,,,,"]
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/sheet.csv", atomically: true, encoding: .utf8)
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/sheet.csv"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("\(folder)/sheet.csv:2:6: seized_at: seizure S1 is dated \(later)T06:10:00"), "\(result.stderr)")
        #expect(result.stderr.contains("in the future; record a seizure once it has happened\n\(folder)/sheet.csv:3:3: kind: unknown kind 'bullion'"), "\(result.stderr)")
        #expect(result.stderr.contains("2 problems in \(folder)/sheet.csv; nothing was added"))
    }

    @Test("a later row of a seizure may repeat its details, not change them or give a date that is none: each is named, nothing added")
    func laterRowsOfASeizure() throws {
        let (folder, env) = try openCase()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var lines = [Self.header.joined(separator: ",")]
        lines.append("AB/1,I-1,cash,S1,Cash,01/03/2021 10:00,Bath,warrant,DC 1,ASC,GBP,100,,,,,,,")
        // The same details again, written the other way: taken.
        lines.append("AB/2,I-2,cash,S1,Cash,2021-03-01T10:00,Bath,warrant,DC 1,ASC,GBP,100,,,,,,,")
        lines.append("AB/3,I-3,cash,S1,Cash,13/13/2021 10:00,,,,,GBP,100,,,,,,,")
        lines.append("AB/4,I-4,cash,S1,Cash,05/03/2021 10:00,Elsewhere,,,,GBP,100,,,,,,,")
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/sheet.csv", atomically: true, encoding: .utf8)
        let result = try cli.haulArray(["seize", "OP-4", "--from", folder + "/sheet.csv"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(folder)/sheet.csv:4:6: seized_at: "), "\(result.stderr)")
        #expect(result.stderr.contains("\(folder)/sheet.csv:5:6: seized_at: seizure S1 was recorded with seized_at 2021-03-01T10:00:00Z (its first row, or the case); this row says '05/03/2021 10:00'"), "\(result.stderr)")
        #expect(result.stderr.contains("\(folder)/sheet.csv:5:7: place: seizure S1 was recorded with place 'Bath' (its first row, or the case); this row says 'Elsewhere'"), "\(result.stderr)")
        #expect(result.stderr.contains("nothing was added"), "\(result.stderr)")
        #expect(!result.stderr.contains("sheet.csv:3:"), "\(result.stderr)")
    }
}
