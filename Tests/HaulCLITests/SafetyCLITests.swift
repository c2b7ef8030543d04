import Foundation
import HaulData
import Testing

// Safe by construction (issue 16), through `haul`: where it writes, foreign elements, bounds,
// times, exit codes, JSON views and signed imports.

/// One output rule for every writer: `-` is standard output; a regular file (or a new path) is
/// written beside and renamed into place, keeping the original's permissions or private (0600)
/// when new; a symbolic link is refused unless `--follow`; a device, FIFO or socket is written
/// through, never replaced; a missing folder is named; nothing temporary is left behind.
/// Every path here is inside the test's own temporary folder (the device node too).
@Suite("where haul writes")
struct OutputPathCLITests {
    let cli = CLITests()

    /// A register with the example imported; returns the folder and the environment.
    func prepared() throws -> (String, [String: String]) {
        let folder = try cli.temporaryFolder()
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        return (folder, env)
    }

    /// The mode bits of a file.
    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    /// Names in `folder` left by an interrupted or finished write (Haul's private folders).
    func leftovers(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".haul-") }
    }

    @Test("-o - writes the validated file to standard output alone; the message goes to standard error")
    func standardOutput() throws {
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try cli.haul("export", "SW-2020-0417", "-o", "-", environment: env)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("<?xml"))
        #expect(result.stdout.hasSuffix("</case>\n"))
        #expect(result.stderr.hasPrefix("Exported case SW-2020-0417 to standard output (validated)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/-"))
        // xmllint judges what came through the pipe.
        try result.stdout.write(toFile: folder + "/piped.xml", atomically: true, encoding: .utf8)
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/piped.xml") { #expect(accepted) }
        // The calendar and the schedule too.
        let calendar = try cli.haul("due", "--on", "2020-06-20", "--ics", "-", environment: env)
        #expect(calendar.status == 0)
        #expect(calendar.stdout.hasPrefix("BEGIN:VCALENDAR\r\n"))
        let schedule = try cli.haul("schedule", "SW-2020-0417", "-o", "-", environment: env)
        #expect(schedule.status == 0)
        #expect(schedule.stdout.contains("<html"))
        #expect(try leftovers(folder).isEmpty)
    }

    @Test("a reader that has gone (`2>&1 | head -3`) is a failed write, exit 1, not a crash when the message about it finds no reader either")
    func messageToAClosedPipe() throws {
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for arguments in [["export", "SW-2020-0417", "-o", "-"], ["schedule", "SW-2020-0417", "-o", "-"]] {
            // Both streams to one pipe whose reader is already closed: the document and then the
            // message about it meet EPIPE (SIGPIPE is ignored). The message used to stop the process (SIGILL).
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLITests.binary)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try pipe.fileHandleForReading.close()
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationReason == .exit, "\(arguments)")
            // The document could not be written (no reader): refused with exit 1, its message dropped.
            #expect(process.terminationStatus == 1, "\(arguments): \(process.terminationStatus)")
        }
    }

    @Test("--db naming a folder, an empty file, a file that is not SQLite or another program's database: each named, nothing changed; a register is made in an empty file only by a command that creates one")
    func registerPathsThatAreNotRegisters() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let open = ["case", "open", "X-1", "--opened", "2021-01-01", "--agency", "A:seizing:Agency"]
        // A folder: named, with the file to give instead.
        try FileManager.default.createDirectory(atPath: folder + "/registers", withIntermediateDirectories: false)
        for arguments in [["case", "list"], open] {
            let result = try cli.haulArray(arguments + ["--db", folder + "/registers"])
            #expect(result.status == 1 && result.stderr == "haul: \(folder)/registers is a folder; name the register's file, such as \(folder)/registers/register.sqlite\n", "\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/registers").isEmpty)
        // An empty file is not a register to read or upgrade (it was called "made by an earlier Haul").
        #expect(FileManager.default.createFile(atPath: folder + "/empty.sqlite", contents: Data()))
        for arguments in [["case", "list"], ["upgrade"], ["status", "I-1", "detained", "--on", "2021-01-01T10:00"]] {
            let result = try cli.haulArray(arguments + ["--db", folder + "/empty.sqlite"])
            #expect(result.status == 1 && result.stderr.contains("the file at \(folder)/empty.sqlite is empty, not a Haul register"), "\(arguments): \(result.stderr)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: folder + "/empty.sqlite")[.size] as? Int == 0)
        // Bytes that are not SQLite: refused as a damaged register is (exit 2), left as they were.
        let noise = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) })
        #expect(FileManager.default.createFile(atPath: folder + "/noise.sqlite", contents: noise))
        for arguments in [["case", "list"], open] {
            let result = try cli.haulArray(arguments + ["--db", folder + "/noise.sqlite"])
            #expect(result.status == 2 && result.stderr.contains("is not a Haul register: it is not an SQLite database, or its first page is damaged"), "\(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/noise.sqlite")) == noise)
        // Another program's database, one built on GRDB (which has a migrations table too) among
        // them: not touched (not switched to WAL, no tables added).
        if let sqlite = try CLITests.tool("sqlite3") {
            for (name, schema) in [("other", "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('x');"),
                                   ("grdb", "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); CREATE TABLE notes (text TEXT);")] {
                let path = folder + "/\(name).sqlite"
                let process = Process()
                process.executableURL = URL(fileURLWithPath: sqlite)
                process.arguments = [path, schema]
                try process.run()
                process.waitUntilExit()
                let before = try Data(contentsOf: URL(fileURLWithPath: path))
                let result = try cli.haulArray(open + ["--db", path])
                #expect(result.status == 1 && result.stderr.contains("is an SQLite database but not a Haul register (it has none of Haul's tables); nothing was changed"), "\(result.stderr)")
                #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
                #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            }
        }
        // `case open` makes its register in an empty file it is given, private as a new one is.
        #expect(try cli.haulArray(open + ["--db", folder + "/empty.sqlite"]).status == 0)
        #expect(try mode(folder + "/empty.sqlite") == 0o600)
        #expect(try cli.haulArray(["case", "list", "--db", folder + "/empty.sqlite"]).stdout.contains("X-1"))
    }

    @Test("a new file is private (0600); a file replaced keeps its permissions; a missing folder is named")
    func regularFiles() throws {
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/new.xml", environment: env).status == 0)
        #expect(try mode(folder + "/new.xml") == 0o600)
        try "old".write(toFile: folder + "/shared.xml", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: folder + "/shared.xml")
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/shared.xml", environment: env).status == 0)
        #expect(try mode(folder + "/shared.xml") == 0o640)
        #expect(try String(contentsOfFile: folder + "/shared.xml", encoding: .utf8).hasPrefix("<?xml"))
        let missing = try cli.haul("export", "SW-2020-0417", "-o", folder + "/absent/case.xml", environment: env)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("the folder \(folder)/absent does not exist"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/absent"))
        #expect(try leftovers(folder).isEmpty)
    }

    @Test("a symbolic link is refused and left as it was; --follow writes the file it points to")
    func symbolicLink() throws {
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "kept".write(toFile: folder + "/target.xml", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.xml", withDestinationPath: folder + "/target.xml")
        let refused = try cli.haul("export", "SW-2020-0417", "-o", folder + "/link.xml", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is a symbolic link; Haul does not replace it"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.xml") == folder + "/target.xml")
        #expect(try String(contentsOfFile: folder + "/target.xml", encoding: .utf8) == "kept")
        let followed = try cli.haul("export", "SW-2020-0417", "-o", folder + "/link.xml", "--follow", environment: env)
        #expect(followed.status == 0, "\(followed.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link.xml") == folder + "/target.xml")
        #expect(try String(contentsOfFile: folder + "/target.xml", encoding: .utf8).hasPrefix("<?xml"))
        #expect(try leftovers(folder).isEmpty)
    }

    @Test("a FIFO's reader gets the whole file, and the FIFO stays a FIFO")
    func fifo() throws {
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/pipe"
        #expect(mkfifo(path, 0o600) == 0)
        // The reader runs beside haul: opening a FIFO for writing waits for it.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [path]
        let received = Pipe()
        reader.standardOutput = received
        try reader.run()
        let result = try cli.haul("export", "SW-2020-0417", "-o", path, environment: env)
        let data = received.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: data, as: UTF8.self).hasSuffix("</case>\n"))
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test("a character device is written through, never replaced by a file (a null device made in the test's folder)")
    func characterDevice() throws {
        guard geteuid() == 0 else {
            try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "making a device node needs root")
            return
        }
        let (folder, env) = try prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/null"
        // Major 1, minor 3: the null device, in this test's own folder (never /dev).
        #expect(mknod(path, S_IFCHR | 0o600, makedev(1, 3)) == 0)
        let result = try cli.haul("export", "SW-2020-0417", "-o", path, environment: env)
        #expect(result.status == 0, "\(result.stderr)")
        var info = stat()
        #expect(lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        #expect(try leftovers(folder).isEmpty)
    }
}

/// `makedev` is a macro in glibc; the Linux encoding of a device number.
private func makedev(_ major: UInt32, _ minor: UInt32) -> dev_t {
    dev_t((UInt64(major & 0xfff) << 8) | UInt64(minor & 0xff) | (UInt64(minor & ~0xff) << 12) | (UInt64(major & ~0xfff) << 32))
}

/// The signature's namespace is only for the signature: an element named like one of Haul's in
/// it is neither valid nor read.
@Suite("foreign elements in a case file")
struct NamespaceCLITests {
    let cli = CLITests()

    @Test("<ds:confiscationInputs> passes the schema's signature slot but not validate, and import refuses it with the register unchanged")
    func signatureNamespaceBypass() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/case.xml", environment: env).status == 0)
        let text = try String(contentsOfFile: folder + "/case.xml", encoding: .utf8)
        let hostile = text.replacingOccurrences(of: "</case>", with: """
            <ds:confiscationInputs xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:payment paidOn="2021-07-01" currency="GBP">1000000000000000000000000000000000</ds:payment></ds:confiscationInputs>
            </case>
            """)
        try hostile.write(toFile: folder + "/hostile.xml", atomically: true, encoding: .utf8)
        // The schema alone lets it through (one element of the signature namespace may end the case).
        if let accepted = try RegisterCLITests.xmllintAccepts(folder + "/hostile.xml") { #expect(accepted) }
        let validated = try cli.haul("validate", folder + "/hostile.xml")
        #expect(validated.status == 1)
        #expect(validated.stdout.contains("'confiscationInputs' in namespace 'http://www.w3.org/2000/09/xmldsig#' is not part of a Haul case file"), "\(validated.stdout)")
        let other = folder + "/other.sqlite"
        let imported = try cli.haul("import", folder + "/hostile.xml", environment: ["HAUL_DB": other, "HAUL_HOME": folder])
        #expect(imported.status == 1)
        // Refused before any register was made, or with the register left empty.
        if FileManager.default.fileExists(atPath: other) {
            #expect(try cli.haul("case", "list", environment: ["HAUL_DB": other, "HAUL_HOME": folder]).stdout.contains("has no cases yet"))
        }
    }
}

/// What the command line accepts, a case file can carry: values past the schema's bounds are
/// refused where they enter, naming the field and the limit, and nothing is recorded.
@Suite("bounds at the command line")
struct BoundsCLITests {
    let cli = CLITests()
    let ledger = LedgerCLITests()

    @Test("a mass over 10⁹ kg, cash of 10¹⁵, a purity of 250 %, a 201-character name, a 34-digit payment: each refused, the register unchanged")
    func refusedAtEntry() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let db = folder + "/register.sqlite"
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("import", HaulData.example("south-west-2020.xml").path).status == 0)
        #expect(try run("confiscation", "order", "SW-2020-0417", "--order-reference", "BCC-1", "--made", "2021-06-01", "--amount", "250000").status == 0)
        let before = try ledger.dump(db)
        let seizure = ["--seizure", "S1"]
        let cases: [([String], String)] = [
            (["seize", "SW-2020-0417", "drug", "--id", "I-90", "--exhibit", "X/90"] + seizure + ["substance=cocaine", "form=powder", "mass=1000000001kg"],
             "mass (kg) 1000000001 is out of range: it must be greater than 0 and at most 1000000000"),
            (["seize", "SW-2020-0417", "cash", "--id", "I-91", "--exhibit", "X/91"] + seizure + ["currency=GBP", "amount=1000000000000000"],
             "cash amount 1000000000000000 is out of range"),
            (["seize", "SW-2020-0417", "drug", "--id", "I-92", "--exhibit", "X/92"] + seizure + ["substance=cocaine", "form=powder", "mass=1kg", "purity=250"],
             "purity 250 % is outside 0 to 100"),
            (["person", "add", "SW-2020-0417", "--id", "P-9", "--role", "suspect", "--name", String(repeating: "N", count: 201)],
             "the name of P-9 has 201 characters; it takes 1 to 200"),
            (["confiscation", "payment", "SW-2020-0417", "--on", "2021-07-01", "--amount", "1000000000000000000000000000000000"],
             "has more digits than Haul keeps"),
        ]
        for (arguments, message) in cases {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        #expect(try ledger.dump(db) == before)
    }
}

/// Times as `--on` takes them: local, or with an offset; never guessed across a clock change;
/// never before the seizure or in the future.
@Suite("times at the command line")
struct TimesCLITests {
    let cli = CLITests()

    @Test("--on with Z or an offset; the hour that happens twice needs one; the hour that never happens, a move before its seizure and one in the future are refused")
    func times() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> CLITests.Result { try cli.haulArray(arguments, environment: env) }
        #expect(try run("import", HaulData.example("south-west-2020.xml").path).status == 0)
        // I-009 was seized at 07:20 BST on 18 June 2020 = 06:20 UTC.
        let early = try run("status", "I-009", "detained", "--on", "2020-06-18T07:19")
        #expect(early.status == 1)
        #expect(early.stderr.contains("before its seizure S2 at 2020-06-18T07:20:00+01:00"), "\(early.stderr)")
        let utc = try run("status", "I-009", "detained", "--on", "2020-06-18T06:20Z")
        #expect(utc.status == 0, "\(utc.stderr)")
        #expect(utc.stdout.contains("seized → detained at 2020-06-18T07:20:00+01:00"))
        // 25 October 2020, 01:30 in London happened twice; 29 March 2020, 01:30 never did.
        let twice = try run("status", "I-013", "detained", "--on", "2020-10-25T01:30")
        #expect(twice.status != 0)
        #expect(twice.stderr.contains("happens twice in Europe/London (the clocks went back); give its offset: 2020-10-25T01:30+00:00 or 2020-10-25T01:30+01:00"), "\(twice.stderr)")
        let never = try run("status", "I-013", "detained", "--on", "2020-03-29T01:30")
        #expect(never.stderr.contains("does not exist in Europe/London"), "\(never.stderr)")
        let future = try run("status", "I-013", "detained", "--on", "2199-01-01T10:00")
        #expect(future.status == 1)
        #expect(future.stderr.contains("in the future"), "\(future.stderr)")
    }
}

/// Exit codes: 64 for a usage error, 1 for refused data, 2 for a damaged register.
@Suite("exit codes")
struct ExitCodeCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    @Test("a bad date is a usage error (64) in every command; refused data exits 1; a damaged register exits 2")
    func exitCodes() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        for arguments in [["status", "I-013", "released", "--on", "18/06/2020"], ["revalue", "I-001", "--reason", "x", "--on", "2020-13-01"],
                          ["correct", "SW-2020-0417/2", "--reason", "x", "--on", "yesterday"], ["case", "show", "SW-2020-0417", "--on", "2020-02-30"]] {
            let result = try cli.haulArray(arguments, environment: env)
            #expect(result.status == 64, "\(arguments): \(result.status) \(result.stderr)")
        }
        // Refused data: a move the pack does not allow.
        #expect(try cli.haul("status", "I-013", "forfeited", "--on", "2020-06-23T10:00", environment: env).status == 1)
        // Damaged: the stored state of the case made unreadable behind haul's back.
        guard try RegisterCLITests.tool("sqlite3") != nil else { return }
        try register.sqlite(db, "UPDATE case_state SET document = 'not json'")
        let damaged = try cli.haul("case", "show", "SW-2020-0417", environment: env)
        #expect(damaged.status == 2, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("cannot be read"))
    }
}

/// `--json` on the commands that show something, read back as JSON.
@Suite("JSON from every view")
struct JSONViewsCLITests {
    let cli = CLITests()
    let register = RegisterCLITests()

    @Test("history, audit and person list print JSON that parses, with the same facts as the text")
    func views() throws {
        let (folder, db) = try register.prepared()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": db, "HAUL_HOME": folder]
        let history = try cli.haul("history", "I-013", "--json", environment: env)
        let events = try #require((try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(events.map { $0["to"] as? String } == ["detained", "detention-order"])
        #expect(events.last?["authority"] as? String == "Bromley MC 2020/0622")
        let audit = try cli.haul("audit", "--json", environment: env)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        #expect(report["clean"] as? Bool == true)
        #expect((report["cases"] as? [[String: Any]])?.first?["events"] as? Int == 4)
        #expect(try cli.haul("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "A. Defendant", environment: env).status == 0)
        let people = try cli.haul("person", "list", "SW-2020-0417", "--json", environment: env)
        let listed = try #require((try JSONSerialization.jsonObject(with: Data(people.stdout.utf8)) as? [String: Any])?["people"] as? [[String: Any]])
        // The example's two defendants (D-1, D-2) and the one added.
        #expect(listed.map { $0["role"] as? String } == ["defendant", "defendant", "defendant"])
        #expect(listed.first { $0["id"] as? String == "P-1" }?["name"] as? String == "A. Defendant")
    }
}

/// A signed case file is imported only as it was signed.
@Suite("importing signed case files")
struct SignedImportCLITests {
    let cli = CLITests()
    let ledger = LedgerCLITests()

    @Test("a signed file imports and says who signed it; the same file with its signature value altered is refused, nothing stored")
    func signedImport() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "openssl is required here")
            return
        }
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keygen = Process()
        keygen.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        keygen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", folder + "/key.pem", "-out", folder + "/cert.pem", "-days", "2",
                            "-subj", "/CN=Import Signer/O=Haul Tests"]
        keygen.standardError = FileHandle.nullDevice
        try keygen.run()
        keygen.waitUntilExit()
        try #require(keygen.terminationStatus == 0)
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        #expect(try cli.haul("import", HaulData.example("south-west-2020.xml").path, environment: env).status == 0)
        #expect(try cli.haul("export", "SW-2020-0417", "-o", folder + "/signed.xml", "--sign", folder + "/key.pem", "--cert", folder + "/cert.pem", environment: env).status == 0)
        let other = ["HAUL_DB": folder + "/other.sqlite", "HAUL_HOME": folder]
        let imported = try cli.haul("import", folder + "/signed.xml", environment: other)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("  signed by /CN=Import Signer/O=Haul Tests: the file is as it was signed"), "\(imported.stdout)")
        // Kept with the case, beside its chain.
        let shown = try cli.haul("case", "show", "SW-2020-0417", environment: other).stdout
        #expect(shown.contains("\nProvenance\n  imported from signed.xml; signed by /CN=Import Signer/O=Haul Tests; the signature held"), "\(shown)")
        // One character of the signature value changed: the case inside is untouched and valid, the signature is not.
        let text = try String(contentsOfFile: folder + "/signed.xml", encoding: .utf8)
        let start = try #require(text.range(of: "<SignatureValue>"))
        let index = text.index(start.upperBound, offsetBy: 10)
        let altered = text.replacingCharacters(in: index...index, with: text[index] == "A" ? "B" : "A")
        try altered.write(toFile: folder + "/altered.xml", atomically: true, encoding: .utf8)
        let third = folder + "/third.sqlite"
        let refused = try cli.haul("import", folder + "/altered.xml", environment: ["HAUL_DB": third, "HAUL_HOME": folder])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is signed, but its signature does not hold"), "\(refused.stderr)")
        if FileManager.default.fileExists(atPath: third) {
            let dumped = try ledger.dump(third)
            #expect(dumped?.contains("INSERT INTO cases") != true)
        }
    }
}

/// `--json` on the recording commands: what was recorded, as one JSON object.
@Suite("JSON from the recording commands")
struct RecordedJSONCLITests {
    let cli = CLITests()

    func object(_ result: CLITests.Result) throws -> [String: Any] {
        try #require((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any], "\(result.stdout)\(result.stderr)")
    }

    @Test("case open, seize, status, person add, confiscation order and payment, tables list and check print JSON that parses")
    func recorded() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite", "HAUL_HOME": folder]
        func run(_ arguments: String...) throws -> [String: Any] { try object(try cli.haulArray(arguments, environment: env)) }
        #expect(try run("case", "open", "J-1", "--opened", "2021-03-01", "--agency", "ASC:seizing:Avon and Somerset Constabulary", "--json")["event"] as? Int == 1)
        #expect(try run("seize", "J-1", "cash", "--id", "I-1", "--exhibit", "E/1", "--seizure", "S1", "--at", "2021-03-01T10:00", "--place", "Bristol",
                        "--power", "poca-s294-cash", "--officer", "PC 1", "--agency", "ASC", "currency=GBP", "amount=5000", "--json")["items"] as? [String] == ["I-1"])
        let moved = try run("status", "I-1", "detained", "--on", "2021-03-01T10:00", "--json")
        #expect(moved["to"] as? String == "detained")
        #expect(((moved["standings"] as? [[String: Any]])?.first?["deadline"] as? [String: Any])?["rule"] as? String == "gb-cash-initial-detention")
        #expect(try run("person", "add", "J-1", "--id", "P-1", "--role", "defendant", "--name", "A. Defendant", "--json")["person"] as? String == "P-1")
        #expect(try run("confiscation", "order", "J-1", "--order-reference", "O-1", "--made", "2021-06-01", "--amount", "1000", "--json")["recorded"] as? String == "order")
        #expect(try run("confiscation", "payment", "J-1", "--on", "2021-07-01", "--amount", "100", "--json")["amount"] as? String == "100.00")
        #expect(try run("interest", "I-1", "--person", "P-1", "--owner", "50", "--json")["defendantsShare"] as? String == "50")
        #expect(try run("import", HaulData.example("south-west-2020.xml").path, "--json")["items"] as? Int == 14)
        let revalued = try run("revalue", "I-001", "--reason", "lab result", "--purity", "61", "--json")
        #expect(revalued["recorded"] as? String == "nothing" || revalued["recorded"] as? String == "revalued")
        #expect(revalued["valuations"] is [[String: Any]])
        #expect(try run("tables", "list", "--json")["currency"] as? String == "GBP")
        #expect(try run("tables", "check", "--json")["sound"] as? Bool == true)
        let shown = try cli.haulArray(["tables", "show", "drugs", "--json"], environment: env)
        let rows = try #require((try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8))) as? [[String: Any]])
        #expect(rows.contains { ($0["row"] as? String)?.hasPrefix("cocaine wholesale") == true })
    }
}
