import Foundation
import HaulData
import Testing

/// The README's "A day's work" walk-through, run command by command: each block's output must be
/// what the README shows (the one listing cut short with "…" is compared before and after the cut).
@Suite("README walk-through")
struct ReadmeWalkthroughTests {
    let cli = CLITests()

    struct Step {
        var arguments: [String]
        var expected: String
    }

    /// Splits a shell command line as the README writes it: words, "double quotes", `\` continuations.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var started = false
        for character in line.replacingOccurrences(of: "\\\n", with: " ") {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character.isWhitespace && !quoted {
                if started { words.append(current) }
                current = ""
                started = false
            } else {
                current.append(character)
                started = true
            }
        }
        if started { words.append(current) }
        return words
    }

    /// The console blocks of the walk-through section.
    static func steps(readme: String, section heading: String = "## A day's work") throws -> [Step] {
        let start = try #require(readme.range(of: heading))
        let end = try #require(readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex))
        let section = readme[start.upperBound..<end.lowerBound]
        return section.components(separatedBy: "```console\n").dropFirst().map { block in
            let body = block.components(separatedBy: "\n```")[0]
            var lines = body.components(separatedBy: "\n")
            var command = String(lines.removeFirst().dropFirst(2))   // "$ "
            while command.hasSuffix("\\") { command += "\n" + lines.removeFirst() }
            return Step(arguments: Array(words(command).dropFirst()), expected: lines.joined(separator: "\n") + "\n")
        }
    }

    /// `text` with each SHA-256 in hex (whole, or its first 16 digits before "…") replaced by a marker.
    /// Where a step printing a case's head in short (`chain head 4e843c1251e6f775…`) is followed
    /// at once by one printing it in full, with no write between, the two heads must agree; gives
    /// the pairs that do not. Hashes are masked when outputs are compared, so this is what keeps
    /// the printed heads from two different runs.
    static func disagreeingHeads(_ outputs: [String]) -> [(short: String, full: String)] {
        func head(_ text: String) -> String? {
            guard let range = text.range(of: "chain head [0-9a-f]{16,64}", options: .regularExpression) else { return nil }
            return String(text[range].dropFirst("chain head ".count))
        }
        var disagreeing: [(String, String)] = []
        for (current, next) in zip(outputs, outputs.dropFirst()) {
            guard let short = head(current), short.count == 16, let full = head(next), full.count == 64 else { continue }
            if !full.hasPrefix(short) { disagreeing.append((short, full)) }
        }
        return disagreeing
    }

    static func maskingHashes(_ text: String) -> String {
        text.replacingOccurrences(of: "[0-9a-f]{64}", with: "<sha256>", options: .regularExpression)
            .replacingOccurrences(of: "[0-9a-f]{16}…", with: "<sha256>…", options: .regularExpression)
    }

    @Test("every command of the walk-through prints what the README shows, on SQLite and on PostgreSQL", arguments: ["sqlite", "postgresql"])
    func walkthrough(backend: String) throws {
        // On PostgreSQL: a fresh register on the test server, the output compared the same way
        // (its URL, which messages name without the password, read as the README's file).
        var postgres: (admin: String, name: String, url: String, shown: String)?
        if backend == "postgresql" {
            guard let admin = try PostgresServer.adminURL() else {
                print(PostgresServer.skipped)
                return
            }
            let database = try PostgresServer.freshDatabase(admin: admin)
            let parts = try #require(URLComponents(string: database.url))
            postgres = (admin, database.name, database.url, "postgres://\(parts.user ?? "")@\(parts.host ?? ""):\(parts.port ?? 5432)/\(database.name)")
            let made = try cli.haulArray(["register", "init", "--db", database.url], in: NSTemporaryDirectory())
            try #require(made.status == 0, "register init: \(made.stderr)")
        }
        defer { if let postgres { PostgresServer.drop(postgres.name, admin: postgres.admin) } }
        let readmePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md").path
        let readme = try String(contentsOfFile: readmePath, encoding: .utf8)
        let steps = try Self.steps(readme: readme)
        try #require(steps.count >= 10)
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The commands name examples/exhibits-template.csv and /tmp/wt: give them both, privately.
        try FileManager.default.createDirectory(atPath: folder + "/examples", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: HaulData.example("exhibits-template.csv").path, toPath: folder + "/examples/exhibits-template.csv")
        let work = folder + "/wt"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let env = ["HAUL_DB": postgres?.url ?? work + "/register.sqlite", "HAUL_HOME": work, "HAUL_ACTOR": "DC 4471"]
        // The PDF steps need WeasyPrint: where it is absent (and not required) they are left out, the
        // rest of the walk-through still run.
        let weasyPrint = try CLITests.tool("weasyprint") != nil
        let readmeHeads = Self.disagreeingHeads(steps.map(\.expected))
        #expect(readmeHeads.isEmpty, "the README prints different heads for one state of the case: \(readmeHeads)")
        var printedOutputs: [String] = []
        defer {
            let printedHeads = Self.disagreeingHeads(printedOutputs)
            #expect(printedHeads.isEmpty, "a read printed a head the next read did not: \(printedHeads)")
        }
        for step in steps {
            if !weasyPrint && step.arguments.contains(where: { $0.hasSuffix(".pdf") }) { continue }
            let arguments = step.arguments.map { $0.replacingOccurrences(of: "/tmp/wt", with: work) }
            let result = try cli.haulArray(arguments, in: folder, environment: env)
            // Every record carries the time it was recorded, so hashes differ from run to run: they
            // are compared by shape (the chain's own tests check their values).
            var printed = result.stdout + result.stderr
            printedOutputs.append(printed)
            if let postgres { printed = printed.replacingOccurrences(of: postgres.shown, with: work + "/register.sqlite") }
            let output = Self.maskingHashes(printed.replacingOccurrences(of: work, with: "/tmp/wt"))
            #expect(result.status == 0, "haul \(step.arguments.joined(separator: " ")): \(result.stderr)")
            let parts = Self.maskingHashes(step.expected).components(separatedBy: "\n… (")
            if parts.count == 2 {
                let tail = try #require(parts[1].components(separatedBy: ") …\n").last)
                #expect(output.hasPrefix(parts[0] + "\n"), "haul \(step.arguments.joined(separator: " "))")
                #expect(output.hasSuffix(tail), "haul \(step.arguments.joined(separator: " "))")
            } else {
                #expect(output == parts[0], "haul \(step.arguments.joined(separator: " "))")
            }
        }
    }

    @Test("the README's \"Working as a unit\" runs as printed on a PostgreSQL server")
    func unitWalkthrough() throws {
        guard let admin = try PostgresServer.adminURL() else {
            print(PostgresServer.skipped)
            return
        }
        let readme = try String(contentsOf: Self.readmeURL, encoding: .utf8)
        let steps = try Self.steps(readme: readme, section: "## Working as a unit")
        try #require(steps.count >= 8)
        let database = try PostgresServer.freshDatabase(admin: admin)
        defer { PostgresServer.drop(database.name, admin: admin) }
        let server = try #require(URLComponents(string: admin))
        let (host, port) = (try #require(server.host), try #require(server.port))
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // What the README's sh block makes: the example, the users' password files, ~/.pgpass.
        try FileManager.default.createDirectory(atPath: folder + "/examples", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: HaulData.example("south-west-2020.xml").path, toPath: folder + "/examples/south-west-2020.xml")
        let passwords = ["dc4471": "dc4471-password", "cps.lawyer": "cps-password", "nca.fi": "nca-password"]
        for (file, user) in [("dc4471", "dc4471"), ("cps", "cps.lawyer"), ("nca", "nca.fi")] {
            try (passwords[user]! + "\n").write(toFile: "\(folder)/\(file).password", atomically: true, encoding: .utf8)
        }
        let home = folder + "/home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let lines = ["\(host):\(port):*:\(server.user ?? ""):\(server.password ?? "")"] + passwords.map { "\(host):\(port):*:\($0.key):\($0.value)" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/unit.pgpass", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: folder + "/unit.pgpass")
        let env = ["HOME": home, "HAUL_HOME": folder, "HAUL_ACTOR": "DC 4471", "PGPASSWORD": "", "PGPASSFILE": folder + "/unit.pgpass",
                   "HAUL_DB": folder + "/unused.sqlite"]
        let printed = "@127.0.0.1:54329/unit", actual = "@\(host):\(port)/\(database.name)"
        for step in steps {
            var arguments = step.arguments.map { $0.replacingOccurrences(of: printed, with: actual) }
            var input: String?
            if let redirect = arguments.firstIndex(of: "<") {
                input = try String(contentsOfFile: folder + "/" + arguments[redirect + 1], encoding: .utf8)
                arguments.removeSubrange(redirect...(redirect + 1))
            }
            let result = try cli.haulArray(arguments, in: folder, environment: env, input: input)
            #expect(result.status == 0, "haul \(step.arguments.joined(separator: " ")): \(result.stderr)")
            let output = Self.maskingTimes(Self.maskingHashes((result.stdout + result.stderr).replacingOccurrences(of: actual, with: printed)))
            #expect(output == Self.maskingTimes(Self.maskingHashes(step.expected)), "haul \(step.arguments.joined(separator: " "))")
            #expect(!output.contains("-password") && !output.contains(server.password ?? "\u{0}"), "a password was printed")
        }
    }

    static var readmeURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")
    }

    /// `text` with each ISO 8601 UTC time with milliseconds replaced by `<time>`.
    static func maskingTimes(_ text: String) -> String {
        text.replacingOccurrences(of: "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z", with: "<time>", options: .regularExpression)
    }
}
