import Foundation
import Testing

/// Every `haul` command names itself. Without `commandName`, argument-parser derives each
/// command's name from its type with `String(describing:)` while it builds the command tree on
/// every run, and each such call makes the Swift runtime search the binary's whole protocol
/// conformance table: 40 unnamed commands cost about 18 ms of every `haul` invocation
/// (measured with perf on `haul status`, 2026-12-02).
@Suite("Command names")
struct CommandNameTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/haul")

    @Test("every CommandConfiguration in Sources/haul gives its commandName first")
    func everyCommandIsNamed() throws {
        var unnamed: [String] = []
        var configurations = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.sources.path).filter({ $0.hasSuffix(".swift") }).sorted() {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, line) in lines.enumerated() where line.contains("static let configuration = CommandConfiguration(") {
                configurations += 1
                let rest = line.components(separatedBy: "CommandConfiguration(")[1]
                let first = rest.trimmingCharacters(in: .whitespaces).isEmpty && index + 1 < lines.count ? String(lines[index + 1]) : rest
                if !first.trimmingCharacters(in: .whitespaces).hasPrefix("commandName:") { unnamed.append("Sources/haul/\(name):\(index + 1)") }
            }
        }
        #expect(configurations > 40)
        #expect(unnamed.isEmpty, "commands without commandName: \(unnamed)")
    }
}
