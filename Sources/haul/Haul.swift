import ArgumentParser
import Foundation
import HaulCore
import HaulData

@main
struct Haul: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haul",
        abstract: "Value seized assets, track forfeiture and confiscation, and export case files courts can trust.",
        version: HaulVersion.current,
        groupedSubcommands: [
            CommandGroup(name: "Start", subcommands: [Demo.self]),
            CommandGroup(name: "Cases", subcommands: [CaseCommand.self, Seize.self, Find.self, PersonCommand.self, InterestCommand.self, Import.self, Export.self]),
            CommandGroup(name: "Valuation", subcommands: [Value.self, Revalue.self, Tables.self, Rates.self]),
            CommandGroup(name: "Proceedings", subcommands: [Status.self, Correct.self, History.self, Due.self, ConfiscationCommand.self]),
            CommandGroup(name: "Documents and checks", subcommands: [Schedule.self, Statement.self, Validate.self, Verify.self, Audit.self, Upgrade.self]),
            CommandGroup(name: "A unit's register", subcommands: [RegisterCommand.self]),
        ]
    )

    /// Finds Haul's data before any command runs: a binary without it says so in one line.
    static func main() {
        // A reader that stops early (`haul export … -o - | head`) is a write error, handled and
        // cleaned up after, not a signal that kills the process mid-write.
        signal(SIGPIPE, SIG_IGN)
        do { _ = try HaulData.locate() } catch {
            Output.toStandardError("haul: \(error.message)\n")
            Foundation.exit(1)
        }
        // The long form of --version reads the shipped tables and rule packs; every other command
        // keeps argument-parser's short path.
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            print(VersionReport.text)
            Foundation.exit(0)
        }
        run(CommandLine.arguments.dropFirst().map { $0 })
    }

    /// Parses and runs the command, as argument-parser's own `main` does, but answers a usage
    /// error raised while a subcommand runs (`--amount abc` found by the library) with that
    /// subcommand's usage rather than the root's "Usage: haul <subcommand>".
    static func run(_ arguments: [String]) {
        var parsed: (any ParsableCommand.Type)?
        do {
            var command = try parseAsRoot(arguments)
            parsed = type(of: command)
            try command.run()
        } catch let error as ValidationError {
            guard let parsed, parsed != Haul.self else { exit(withError: error) }
            let usage = usageString(for: parsed)
            // The command's words lead its usage: `haul confiscation payment <case> …`.
            let path = usage.split(separator: " ").prefix { !$0.hasPrefix("<") && !$0.hasPrefix("[") && !$0.hasPrefix("-") }.joined(separator: " ")
            Output.toStandardError("Error: \(error.message)\nUsage: \(usage)\n  See '\(path) --help' for more information.\n")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        } catch {
            exit(withError: error)
        }
    }
}
