import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulXML

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a case file into the register, history included.",
        discussion: "The file is validated and its event chain verified first; a file with any problem is refused whole and the register is unchanged."
    )

    @Argument(help: "A Haul case file.") var file: String
    @OptionGroup var register: RegisterOptions

    func run() throws {
        let operation: Case
        do { operation = try CaseFileReader().read(fileAt: file) } catch {
            print(error.description)
            throw ExitCode(1)
        }
        try attempt { try register.open().importCase(operation, recordedAt: Date()) }
        print("Imported case \(operation.reference): \(operation.seizures.count) seizures, \(operation.items.count) items, \(operation.history.count) events")
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a case from the register as a validated case file.",
        discussion: "Items carry their current status and next deadline; the history carries the event chain and its head."
    )

    @Argument(help: "The case reference.") var reference: String
    @Option(name: .shortAndLong, help: "The file to write.") var output: String
    @OptionGroup var register: RegisterOptions

    func run() throws {
        let operation = try attempt { try register.open().load(try Identifier(reference)) }
        let withStatus = CaseStanding.withStatuses(operation, rules: try Rules.book(operation.jurisdiction))
        do { try CaseFileExporter().export(withStatus, to: URL(fileURLWithPath: output)) } catch {
            print(error.description)
            throw ExitCode(1)
        }
        print("Exported case \(reference) to \(output) (validated)\(operation.chainHead.map { "; chain head \($0)" } ?? "")")
    }
}
