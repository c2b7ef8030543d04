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
        subcommands: [Demo.self, Validate.self, Value.self, Tables.self, Rates.self, CaseCommand.self, Seize.self, Find.self, Import.self, Export.self, Status.self, Correct.self, Revalue.self, PersonCommand.self, InterestCommand.self, History.self, Due.self, Audit.self, Upgrade.self, ConfiscationCommand.self, Schedule.self, Verify.self]
    )

    /// Finds Haul's data before any command runs: a binary without it says so in one line.
    static func main() {
        // A reader that stops early (`haul export … -o - | head`) is a write error, handled and
        // cleaned up after, not a signal that kills the process mid-write.
        signal(SIGPIPE, SIG_IGN)
        do { _ = try HaulData.locate() } catch {
            FileHandle.standardError.write(Data("haul: \(error)\n".utf8))
            Foundation.exit(1)
        }
        Self.main(nil)
    }
}
