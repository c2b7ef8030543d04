import Foundation
import HaulData
import Testing

/// Runs the built `haul` binary and compares its whole output, as a user would see it.
@Suite("haul command line")
struct CLITests {
    /// `haul` sits beside the test bundle in the build folder.
    static let binary: String = {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("haul").path,
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("haul").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func haul(_ arguments: String..., in directory: String? = nil) throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "haul not built at \(Self.binary)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFolder() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-cli-XXXXXX").utf8CString)
        let made = try #require(mkdtemp(&template))
        return String(cString: made)
    }

    @Test("--version prints the version")
    func version() throws {
        let result = try haul("--version")
        #expect(result.status == 0)
        #expect(result.stdout == "0.1.0\n")
    }

    @Test("validate with no file is a usage error (64)")
    func validateUsage() throws {
        let result = try haul("validate")
        #expect(result.status == 64)
        #expect(result.stderr.contains("Missing expected argument '<files> ...'"))
    }

    @Test("validate: the bundled example is valid")
    func validateExample() throws {
        let example = HaulData.example("south-west-2020.xml").path
        let result = try haul("validate", example)
        #expect(result.status == 0)
        #expect(result.stdout == "\(example): valid\n")
    }

    @Test("validate: every problem as file:line: message, exit 1; a good file beside it still says valid")
    func validateInvalid() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var text = try String(contentsOf: HaulData.example("south-west-2020.xml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "<amount>30000.00</amount>", with: "<amount>30k</amount>")
        text = text.replacingOccurrences(of: #"<item id="I-014" exhibit="HAL/LDN/2">"#, with: #"<item id="I-013" exhibit="HAL/LDN/2">"#)
        try text.write(toFile: folder + "/bad.xml", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: HaulData.example("south-west-2020.xml").path, toPath: folder + "/good.xml")

        let result = try haul("validate", "bad.xml", "good.xml", in: folder)
        #expect(result.status == 1)
        // Lines 110, 152 and 159 of the example (grep -n) hold the changed amount and the duplicated item.
        #expect(result.stdout == """
            bad.xml:110: Element 'amount': '30k' is not a valid value of the atomic type 'Amount'.
            bad.xml:159: item id 'I-013' is used again; it was first used on line 152
            bad.xml: invalid (2 problems)
            good.xml: valid

            """)
    }

    @Test("validate --json reports each file for scripts")
    func validateJSON() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "<!DOCTYPE x [<!ENTITY e SYSTEM \"/etc/passwd\">]><x>&e;</x>".write(toFile: folder + "/evil.xml", atomically: true, encoding: .utf8)
        let result = try haul("validate", "--json", "evil.xml", in: folder)
        #expect(result.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let entry = try #require(parsed?.first)
        #expect(entry["file"] as? String == "evil.xml")
        #expect(entry["valid"] as? Bool == false)
        #expect((entry["refused"] as? String)?.hasPrefix("evil.xml:1: the file has a document type declaration") == true)
    }

    @Test("demo writes a validated case file into --output and prints the summary; it can run again")
    func demoWithOutput() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/out"
        let expected = """
            Haul demo: Operation Halite (illustrative), case SW-2020-0417 (GB-EAW)
            Illustrative case: details are made up for demonstration.

            Seizures (3)
              S1  2020-06-18 06:05 Europe/London    8 items  Residential address, Bath (warrant search)
              S2  2020-06-18 07:20 Europe/London    4 items  Address in Shirehampton, Bristol
              S3  2020-06-20 14:40 Europe/London    2 items  Roadside stop of a car driven by a couple from Dorset, south London

            Items by kind (14)
              drug         2
              cash         3
              watch        2
              vehicle      2
              jewellery    1
              cryptoasset  1
              firearm      1  (tracked, not valued)
              phone        1  (tracked, not valued)
              other        1  (tracked, not valued)

            Cash at face value: 610000.00 GBP

            Case file: \(target)/SW-2020-0417.xml
            Validated against the Haul case-file schema 1.0 (urn:haul:ns:case:1) and its semantic rules.

            """
        for _ in 0..<2 {
            let result = try haul("demo", "--output", target)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == expected)
        }
        // Haul validated the file before publishing it; xmllint, where installed, must agree.
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") || ProcessInfo.processInfo.environment["HAUL_REQUIRE_XMLLINT"] != nil {
            let lint = Process()
            lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
            lint.arguments = ["--noout", "--schema", HaulData.caseSchemaV1.path, target + "/SW-2020-0417.xml"]
            lint.standardError = FileHandle.nullDevice
            try lint.run()
            lint.waitUntilExit()
            #expect(lint.terminationStatus == 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target) == ["SW-2020-0417.xml"])
    }

    @Test("demo without --output works in a new temporary folder each time")
    func demoTemporary() throws {
        let first = try haul("demo")
        let second = try haul("demo")
        #expect(first.status == 0 && second.status == 0)
        func caseFile(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("Case file: ") }.map { String($0.dropFirst("Case file: ".count)) }
        }
        let firstFile = try #require(caseFile(first.stdout))
        let secondFile = try #require(caseFile(second.stdout))
        #expect(firstFile != secondFile)
        #expect(FileManager.default.fileExists(atPath: firstFile) && FileManager.default.fileExists(atPath: secondFile))
        for file in [firstFile, secondFile] { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path) }
    }
}
