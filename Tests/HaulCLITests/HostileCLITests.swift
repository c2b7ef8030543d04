import Foundation
import HaulData
import Testing

/// The attack corpus (Tests/HaulXMLTests/Hostile, plus large files made here): each is refused
/// by `haul validate` and `haul import` with a clear message, quickly, and the register is
/// left as it was.
@Suite("Hostile files through the command line")
struct HostileCLITests {
    let cli = CLITests()

    static var corpus: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("HaulXMLTests/Hostile") }

    static func generated(in folder: String) throws -> [(String, String)] {
        var files: [(String, String)] = []
        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            files.append((name, folder + "/" + name))
        }
        try write("quadratic-blowup.xml", "<!DOCTYPE case [<!ENTITY a \"\(String(repeating: "x", count: 100_000))\">]>\n<case>\(String(repeating: "&a;", count: 100_000))</case>")
        try write("deep-nesting.xml", "<case xmlns=\"urn:haul:ns:case:1\" schemaVersion=\"1.0\">" + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</case>")
        try write("huge-text-node.xml", "<case xmlns=\"urn:haul:ns:case:1\" schemaVersion=\"1.0\"><header><reference>" + String(repeating: "A", count: 12_000_000) + "</reference></header></case>")
        return files
    }

    @Test("every attack file is refused by validate and import, within seconds, the register unchanged")
    func refused() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let env = ["HAUL_DB": folder + "/register.sqlite"]
        #expect(try cli.haulArray(["import", HaulData.example("south-west-2020.xml").path], environment: env).status == 0)
        let before = try cli.haulArray(["case", "list", "--json"], environment: env).stdout
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(shipped.count >= 7)
        let files = shipped.map { ($0, Self.corpus.appendingPathComponent($0).path) } + (try Self.generated(in: folder))
        for (name, path) in files {
            let started = Date()
            let validated = try cli.haulArray(["validate", path])
            #expect(validated.status == 1, "\(name) was not refused by validate")
            #expect(!validated.stdout.isEmpty)
            let imported = try cli.haulArray(["import", path], environment: env)
            #expect(imported.status == 1, "\(name) was not refused by import")
            #expect(Date().timeIntervalSince(started) < 20, "\(name) took too long")
            // The file's own path is left out of the search: a short host name ("vm") can turn up
            // in a random temporary folder's name.
            let said = validated.stdout.replacingOccurrences(of: path, with: "")
            #expect(!imported.stdout.contains("TOP SECRET") && !said.contains(ProcessInfo.processInfo.hostName), "\(name) leaked a local file")
        }
        #expect(try cli.haulArray(["case", "list", "--json"], environment: env).stdout == before)
        #expect(try cli.haulArray(["audit"], environment: env).status == 0)
    }

    @Test("the messages say what is wrong", arguments: [
        ("xxe-local-file.xml", "the file has a document type declaration"),
        ("billion-laughs.xml", "the file has a document type declaration"),
        ("external-dtd.xml", ":3: the file has a document type declaration"),
        ("absurd-values.xml", "is greater than the maximum value allowed"),
        ("invalid-utf8.xml", "Input is not proper UTF-8"),
        ("undeclared-entity.xml", "Entity 'nbsp' not defined"),
    ])
    func messages(file: String, phrase: String) throws {
        let result = try cli.haulArray(["validate", Self.corpus.appendingPathComponent(file).path])
        #expect(result.stdout.contains(phrase), "\(result.stdout)")
    }
}
