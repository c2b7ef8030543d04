import ArgumentParser
import Foundation
@testable import haul
import Testing

/// Every `haul` command names itself. Without `commandName`, argument-parser derives each
/// command's name from its type with `String(describing:)` while it builds the command tree on
/// every run, and each such call makes the Swift runtime search the binary's whole protocol
/// conformance table: 40 unnamed commands cost about 18 ms of every `haul` invocation
/// (measured with perf on `haul status`, 2026-12-02).
@Suite("Command names")
struct CommandNameTests {
    /// Every command under `command`, itself included, with its path.
    static func commands(under command: ParsableCommand.Type, path: String) -> [(path: String, type: ParsableCommand.Type)] {
        [(path, command)] + command.configuration.subcommands.flatMap { sub in
            commands(under: sub, path: path + " " + (sub.configuration.commandName ?? "<\(sub)>"))
        }
    }

    @Test("every command in haul's tree gives its commandName")
    func everyCommandIsNamed() {
        let all = Self.commands(under: Haul.self, path: "haul")
        #expect(all.count > 40)
        let unnamed = all.filter { $0.type.configuration.commandName == nil }.map(\.path)
        #expect(unnamed.isEmpty, "commands without commandName: \(unnamed)")
    }
}
