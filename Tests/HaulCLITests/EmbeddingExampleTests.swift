import Foundation
import HaulData
import Testing

/// The Getting Started article's program (`Examples/Embedding`), run as a reader would run it,
/// and the article held to it.
@Suite("The embedding example")
struct EmbeddingExampleTests {
    let cli = CLITests()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let program = URL(fileURLWithPath: CLITests.binary).deletingLastPathComponent().appendingPathComponent("haul-embedding-example").path

    @Test("it records and values the example, exports a file xmllint finds valid, and the register it leaves is one haul reads and audits clean")
    func runs() throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try cli.runTool(Self.program, [folder])
        #expect(result.status == 0, "\(result.stderr)")
        let target = folder + "/SW-2020-0417.xml"
        #expect(result.stdout.contains("case file: \(target)\n"), "\(result.stdout)")
        #expect(result.stdout.contains("audit: clean"), "\(result.stdout)")
        let valued = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("valued ") })

        // The command line, reading the register the program made: the figures are recorded.
        let environment = ["HAUL_DB": folder + "/embedding-example.sqlite", "HAUL_HOME": folder]
        let audit = try cli.haul("audit", environment: environment)
        #expect(audit.status == 0, "\(audit.stdout)\(audit.stderr)")
        let shown = try cli.haul("case", "show", "SW-2020-0417", environment: environment)
        #expect(shown.status == 0 && !shown.stdout.contains("not valued yet"), "\(shown.stdout)")

        // xmllint, independently: the file is valid, and carries one item with figures for each
        // item the program says it valued.
        guard let xmllint = try CLITests.tool("xmllint", package: "libxml2-utils") else { return }
        let lint = try cli.runTool(xmllint, ["--noout", "--schema", HaulData.caseSchemaV1.path, target])
        #expect(lint.status == 0, "\(lint.stderr)")
        let counted = try cli.runTool(xmllint, ["--xpath", "count(//*[local-name()='item'][*[local-name()='valuations']/*[local-name()='valuation']])", target])
        let count = try #require(Int(counted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(counted.stdout)\(counted.stderr)")
        #expect(count > 0)
        #expect(valued.contains(", \(count) of them with figures;"), "\(valued) — xmllint counts \(count) items with figures")
    }

    @Test("every block of the program's code in the Getting Started article is in the program, as written")
    func articleQuotesTheProgram() throws {
        let article = try String(contentsOf: Self.repository.appendingPathComponent("Sources/HaulCases/HaulCases.docc/GettingStarted.md"), encoding: .utf8)
        let program = try String(contentsOf: Self.repository.appendingPathComponent("Examples/Embedding/main.swift"), encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in article.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "```swift" { current = [] } else if line == "```", let block = current {
                blocks.append(block.joined(separator: "\n"))
                current = nil
            } else { current?.append(line) }
        }
        // The program's blocks are quoted from its function body, indented as there; the package
        // manifest's lines are not.
        let quoted = blocks.filter { $0.hasPrefix("    ") }
        #expect(quoted.count >= 6, "\(blocks)")
        for block in quoted { #expect(program.contains(block + "\n"), "not in Examples/Embedding/main.swift:\n\(block)") }
    }
}
