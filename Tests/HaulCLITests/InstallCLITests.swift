import Foundation
import Testing

/// scripts/install.sh into a temporary prefix: the binary runs from another folder on its
/// installed data; its completions load in bash and zsh; its manual page renders.
@Suite("install")
struct InstallCLITests {
    let cli = CLITests()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func run(_ executable: String, _ arguments: [String], in directory: String, environment: [String: String] = [:]) throws -> CLITests.Result {
        try cli.runTool(executable, arguments, in: directory, environment: environment)
    }

    func tool(_ name: String) throws -> String? { try CLITests.tool(name) }

    @Test("install into a prefix; haul runs from elsewhere on the installed data; completions load; the manual renders")
    func installs() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let prefix = folder + "/prefix", elsewhere = folder + "/elsewhere"
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        // argument-parser's manual writer, built beside haul (.ci/run builds it; so does install.sh without --binary).
        let manualTool = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("generate-manual").path
        let hasManualTool = FileManager.default.isExecutableFile(atPath: manualTool)
        try #require(hasManualTool || ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil,
                     "build argument-parser's manual writer first: swift build --product generate-manual")
        var arguments = ["--prefix", prefix, "--binary", CLITests.binary]
        if hasManualTool { arguments += ["--manual-tool", manualTool] }
        let installed = try run(Self.repository.appendingPathComponent("scripts/install.sh").path, arguments, in: Self.repository.path)
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(installed.stdout.hasPrefix("Installed haul 0.3.0 in \(prefix)/bin, its data in \(prefix)/share/haul"), "\(installed.stdout)")

        // Paths given relative to where the script is run from, not to the checkout it moves to.
        let relative = try run(Self.repository.appendingPathComponent("scripts/install.sh").path, ["--prefix", "relative-prefix", "--binary", CLITests.binary],
                               in: folder)
        #expect(relative.status == 0, "\(relative.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: folder + "/relative-prefix/bin/haul"))

        // From another folder, with nothing pointing at the data: it finds ../share/haul beside itself.
        let haul = prefix + "/bin/haul"
        let version = try run(haul, ["--version"], in: elsewhere)
        #expect(version.status == 0)
        #expect(version.stdout.contains("\ndata: \(prefix)/share/haul\n") || version.stdout.hasSuffix("\ndata: \(prefix)/share/haul\n"), "\(version.stdout)")
        #expect(version.stdout.contains("\nbuild: commit "), "\(version.stdout)")
        let demo = try run(haul, ["demo", "--output", elsewhere + "/demo"], in: elsewhere)
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere + "/demo/SW-2020-0417.xml"))

        // Completions: bash parses and registers the function; zsh parses its script.
        let bashScript = prefix + "/share/bash-completion/completions/haul"
        if let bash = try tool("bash") {
            #expect(try run(bash, ["-n", bashScript], in: elsewhere).status == 0)
            let registered = try run(bash, ["-c", "source \(bashScript) && complete -p haul"], in: elsewhere)
            #expect(registered.stdout == "complete -o filenames -F _haul haul\n", "\(registered.stdout)\(registered.stderr)")
            // A case reference completed from the register named on the command line.
            #expect(try cli.haul("import", prefix + "/share/haul/examples/south-west-2020.xml", environment: ["HAUL_DB": elsewhere + "/r.sqlite", "HAUL_HOME": elsewhere]).status == 0)
            let completed = try run(haul, ["---completion", "case", "show", "--", "positional@0", "3", "0", "haul", "case", "show", ""], in: elsewhere,
                                    environment: ["HAUL_DB": elsewhere + "/r.sqlite"])
            #expect(completed.stdout == "SW-2020-0417\n", "\(completed.stdout)\(completed.stderr)")
        }
        if let zsh = try tool("zsh") { #expect(try run(zsh, ["-n", prefix + "/share/zsh/site-functions/_haul"], in: elsewhere).status == 0) }
        let fishScript = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/haul.fish", encoding: .utf8)
        #expect(fishScript.contains("complete -c 'haul'"))

        // The manual page, rendered as man shows it.
        if hasManualTool, let man = try tool("man") {
            let page = try run(man, ["-P", "cat", "-l", prefix + "/share/man/man1/haul.1"], in: elsewhere, environment: ["MANWIDTH": "80", "LANG": "C.UTF-8"])
            #expect(page.status == 0, "\(page.stderr)")
            #expect(page.stdout.contains("SYNOPSIS") && page.stdout.contains("haul"), "\(page.stdout.prefix(400))")
            #expect(page.stdout.contains("status"), "the subcommands are in the manual")
        }
    }
}
