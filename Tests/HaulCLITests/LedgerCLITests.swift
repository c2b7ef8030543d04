import Foundation
import HaulData
import Testing

/// The register as one ledger, through the command line: a register made by Haul 0.1.0
/// migrated with every figure unchanged, reads that change nothing, a register that is not
/// there left uncreated, the default location, and case files whose events were edited.
@Suite("the ledger through haul")
struct LedgerCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The register's content as SQL text (sqlite3's .dump): equal dumps, equal registers.
    func dump(_ db: String) throws -> String? {
        guard let sqlite3 = try RegisterCLITests.tool("sqlite3") else { return nil }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: sqlite3)
        process.arguments = [db, ".dump"]
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs haul with exactly `environment` (nothing inherited but PATH), in `directory`.
    func haulAlone(_ arguments: [String], environment: [String: String], in directory: String) throws -> CLITests.Result {
        try cli.haulArray(arguments, in: directory, environment: environment, inheriting: false)
    }

    @Test("a register made by Haul 0.1.0 is migrated: its 13 document versions become records, every figure reads the same")
    func migration() throws {
        // The fixture was made with the 0.1.0 binary: the example imported and valued, I-009
        // detained and corrected, a person, a benefit, a gift, an obligation, an order, a
        // £100,000 payment, an interest, a share and a sale, and `confiscation show` run twice
        // (which stored its figures then). Its figures as 0.1.0 printed them are kept beside it.
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        try FileManager.default.copyItem(atPath: Self.fixtures.appendingPathComponent("register-0.1.0.sqlite").path, toPath: db)
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]

        // A reader refuses to change it; the upgrade is an explicit write (any write does it too).
        let untouched = try dump(db)
        let refused = try cli.haul("audit", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("was made by an earlier Haul; run `haul upgrade` once"))
        #expect(try dump(db) == untouched)
        #expect(try cli.haul("upgrade", environment: env).status == 0)

        let audit = try cli.haul("audit", environment: env)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        // The upgrade keeps the file's 4,096-byte pages (a new register gets 16 KiB ones): SQLite's
        // header holds the page size big-endian in bytes 16-17 (sqlite.org/fileformat.html 1.3.2).
        let header = try Data(contentsOf: URL(fileURLWithPath: db)).prefix(18)
        #expect(Int(header[16]) << 8 | Int(header[17]) == 4_096)
        // Two status moves kept with their numbers and hashes, then one record per document version.
        #expect(audit.stdout.hasPrefix("case SW-2020-0417: 15 events verify, rows equal the replay"))

        // The figures 0.1.0 computed, except where the law-as-written fixes change them, each worked by hand:
        // CPIH is the latest published on the order's day, 1 June 2021 (April's, 110.4, not June's 111.4):
        // benefit 250,000 × 110.4 ÷ 107.9 (May 2019) = 255,792.40 (0.1.0: 258,109.36); the gift 12,000 × 110.4 ÷
        // 108.4 = 12,221.40 (12,332.10), so available 711,634.42 − 110.70 = 711,523.72; the order (the recoverable
        // amount) 255,792.40, outstanding 155,792.40 + interest 30 days × 8 % ÷ 365 = 1,024.39; the default term
        // reduced by ⌊1,825 × 100,000 ÷ 255,792.40⌋ = 713 days (MCA 1980 s.79(2)), 1,113 days left.
        let shown = try cli.haul("confiscation", "show", "SW-2020-0417", "--on", "2021-10-01", "--json", environment: env)
        #expect(shown.status == 0)
        // Every figure, line and basis as 0.1.0 gave them; the notes' words changed since (they no
        // longer tell the court to run a haul command), so they are compared without them, and a line
        // counting a figure from illustrative price rows now ends " [I]", so without that mark.
        func withoutNotes(_ value: Any) -> Any {
            if let dictionary = value as? [String: Any] {
                return dictionary.filter { $0.key != "note" }.mapValues(withoutNotes)
            }
            if let text = value as? String, text.hasSuffix(" [I]") { return String(text.dropLast(4)) }
            if let array = value as? [Any] { return array.map(withoutNotes) }
            return value
        }
        let now = withoutNotes(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8))) as? NSDictionary
        let then = withoutNotes(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("register-0.1.0-confiscation-2021-10-01.json")))) as? NSDictionary
        #expect(now != nil && now == then)

        // The supervisor's view: the same but for the chain's length and head, and what 0.1.0 got
        // wrong: the 48 hours run from the seizure (s.295(1)), and the order, unpaid past its time
        // to pay, is overdue.
        let glance = try cli.haul("case", "show", "SW-2020-0417", "--on", "2021-10-01", environment: env).stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let before = try String(contentsOf: Self.fixtures.appendingPathComponent("register-0.1.0-case-show-2021-10-01.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false)
        // The same figures in the same order, whatever the presentation (0.1.0 printed 1234.56, this
        // Haul £1,234.56 in right-aligned columns), and the same statuses and deadlines.
        func amounts(_ lines: [Substring]) -> [String] {
            lines.dropFirst(2).flatMap { line in
                line.matches(of: /\d[\d,]*\.\d\d/).map { String(line[$0.range]).replacingOccurrences(of: ",", with: "") }
            }
        }
        #expect(amounts(glance) == amounts(before))
        #expect(amounts(before).count > 30)
        for line in before where line.hasPrefix("Statuses:") || line.hasPrefix("  OVERDUE") { #expect(glance.contains(line), "\(line)") }
        #expect(glance[1].hasPrefix("3 seizures, 14 items, 15 events (2 status moves); chain head "))

        // Nothing lost: every version is in the chain, with its reason, and exports.
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/migrated.xml", environment: env).status == 0)
        let text = try String(contentsOfFile: folder + "/migrated.xml", encoding: .utf8)
        #expect(text.components(separatedBy: "kind=\"migrated\"").count == 14)
        #expect(text.contains("<reason>document version 8: payment of 100000.00 GBP on 2021-07-01</reason>"))
        #expect(text.contains("<reason>document version 13: confiscation computed as of 2021-10-01</reason>"))
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/migrated.xml") { #expect(accepted) }
        // The migrated file imports elsewhere and exports byte for byte the same.
        let second = ["HAUL_DB": folder + "/second.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", folder + "/migrated.xml", environment: second).status == 0)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/again.xml", environment: second).status == 0)
        #expect(try String(contentsOfFile: folder + "/again.xml", encoding: .utf8) == text)
    }

    @Test("reads are reads: the register's dump is the same after every read command")
    func readsDoNotWrite() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("value", "SW-2020-0417", "--save", environment: env).status == 0)
        #expect(try cli.haul("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A. Smith", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env).status == 0)
        guard let start = try dump(db) else { return }
        let reads: [[String]] = [
            ["value", "SW-2020-0417", "--basis", "market"],
            ["value", "SW-2020-0417", "--on", "2021-01-04"],
            ["value", "SW-2020-0417", "--json"],
            ["confiscation", "show", "SW-2020-0417", "--on", "2021-10-01"],
            ["confiscation", "SW-2020-0417"],
            ["case", "show", "SW-2020-0417"],
            ["case", "show", "SW-2020-0417", "--on", "2021-10-01", "--json"],
            ["case", "list"],
            ["person", "list", "SW-2020-0417"],
            ["due", "--on", "2020-06-20", "--within", "200d"],
            ["history", "I-013"],
            ["schedule", "SW-2020-0417", "-o", folder + "/schedule.html"],
            ["export", "SW-2020-0417", "-o", folder + "/case.xml"],
            ["export", "SW-2020-0417", "--profile", "niem", "-o", folder + "/case.niem.xml"],
            ["audit"],
        ]
        for arguments in reads {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status == 0, "haul \(arguments.joined(separator: " ")): \(result.stderr)")
            #expect(try dump(db) == start, "haul \(arguments.joined(separator: " ")) changed the register")
        }
        // What is shown is the ledger as it is now: the order and the payment just recorded.
        let glance = try cli.haul("case", "show", "SW-2020-0417", "--on", "2021-10-01", environment: env).stdout
        #expect(glance.contains("order £250,000.00 (BCC-1)"))
        #expect(glance.contains("paid £100,000.00"))
        let exported = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        #expect(exported.contains("<paid currency=\"GBP\">100000.00</paid>"))
    }

    @Test("a command on a register that is not there says so and creates nothing; the default register follows $HOME and $XDG_DATA_HOME")
    func registerLocation() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = folder + "/nowhere/register.sqlite"
        for arguments in [["audit", "--db", missing], ["case", "list", "--db", missing], ["case", "show", "X", "--db", missing],
                          ["due", "--db", missing], ["history", "I-1", "--db", missing], ["export", "X", "-o", folder + "/x.xml", "--db", missing]] {
            let result = try haulAlone(arguments, environment: ["HOME": folder], in: folder)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains("there is no register at \(missing)"), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/nowhere"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/x.xml"))

        let open = ["case", "open", "C-1", "--opened", "2021-01-04", "--agency", "A1:seizing:Agency"]
        #expect(try haulAlone(open, environment: ["HOME": folder + "/home"], in: folder).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/home/.local/share/haul/register.sqlite"))
        #expect(try haulAlone(open, environment: ["HOME": folder + "/home", "XDG_DATA_HOME": folder + "/xdg"], in: folder).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder + "/xdg/haul/register.sqlite"))
    }

    @Test("a register from a later Haul is refused by every command, naming both versions, and left as it was")
    func newerRegister() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard try RegisterCLITests.tool("sqlite3") != nil else { return }
        try register.sqlite(db, "UPDATE haul_register SET format = 9, written_by = '1.4.0'")
        let before = try dump(db)
        for arguments in [["audit"], ["case", "list"], ["status", "I-005", "detained", "--on", "2020-06-18T09:00"]] {
            let result = try cli.haulArray(arguments, environment: ["HAUL_DB": db, "HAUL_HOME": folder])
            #expect(result.status == 1)
            #expect(result.stderr.contains("was written by Haul 1.4.0 (register format 9); this is Haul"), "\(result.stderr)")
        }
        #expect(try dump(db) == before)
    }

    @Test("validate recomputes every event's hash: a payment changed in a record is named by its line, and import refuses the file")
    func alteredRecord() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        #expect(try cli.haul("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000", environment: env).status == 0)
        #expect(try cli.haul("confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "100000", environment: env).status == 0)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/case.xml", environment: env).status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        #expect(try cli.haul("validate", folder + "/case.xml").status == 0)
        // The payment's record: its payload says 100000; make it 10000, and its input too so the body agrees.
        let marker = "<record sequence=\"6\" kind=\"payment\">"
        #expect(text.contains(marker))
        var edited = text.replacingOccurrences(of: "\"amount\":\"100000\"", with: "\"amount\":\"10000\"")
        edited = edited.replacingOccurrences(of: "paidOn=\"2021-07-01\">100000.00</payment>", with: "paidOn=\"2021-07-01\">10000.00</payment>")
        #expect(edited != text)
        try edited.write(toFile: folder + "/edited.xml", atomically: true, encoding: .utf8)
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/edited.xml") { #expect(accepted, "the schema alone cannot see it") }
        let validated = try cli.haul("validate", folder + "/edited.xml")
        #expect(validated.status == 1)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains(marker) }.map { $0 + 1 }
        #expect(validated.stdout.contains("\(folder)/edited.xml:\(line ?? 0):"), "\(validated.stdout)")
        #expect(validated.stdout.contains("event 6 was altered"))
        // The body changed, every record intact: validate replays the records and names the item.
        let body = text.replacingOccurrences(of: "<description>Cash found on two men</description>", with: "<description>Cash found on three men</description>")
        #expect(body != text)
        try body.write(toFile: folder + "/body.xml", atomically: true, encoding: .utf8)
        let bodyChecked = try cli.haul("validate", folder + "/body.xml")
        #expect(bodyChecked.status == 1)
        let itemLine = text.components(separatedBy: "\n").firstIndex { $0.contains("<item id=\"I-009\"") }.map { $0 + 1 }
        #expect(bodyChecked.stdout.contains("\(folder)/body.xml:\(itemLine ?? 0): the description of item I-009: not what the case's records describe"), "\(bodyChecked.stdout)")
        #expect(try cli.haul("import", folder + "/body.xml", environment: ["HAUL_DB": folder + "/third.sqlite"]).status == 1)

        // Into a register not there yet: it is built beside its path, and nothing is left, there or beside it.
        let before = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        // Who imports is a usage error before anything is read or made, as into a register in use.
        let nobody = try cli.haul("import", folder + "/body.xml", "--actor", "", environment: ["HAUL_DB": folder + "/other.sqlite"])
        #expect(nobody.status == 64 && nobody.stderr.contains("--actor must name who records this"), "\(nobody.stderr)")
        let imported = try cli.haul("import", folder + "/edited.xml", environment: ["HAUL_DB": folder + "/other.sqlite"])
        #expect(imported.status == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == before)
        // Into a register in use: its 14 items were stored as they were read, in the transaction the refusal rolled back.
        #expect(try cli.haul("case", "open", "OTHER-1", "--opened", "2021-01-01", "--agency", "A:seizing:Agency", environment: ["HAUL_DB": folder + "/other.sqlite"]).status == 0)
        let before2 = try dump(folder + "/other.sqlite")
        #expect(try cli.haul("import", folder + "/edited.xml", environment: ["HAUL_DB": folder + "/other.sqlite"]).status == 1)
        #expect(try dump(folder + "/other.sqlite") == before2)
        #expect(try dump(folder + "/other.sqlite")?.contains("INSERT INTO items") == false)
    }
}
