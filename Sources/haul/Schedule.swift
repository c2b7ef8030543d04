import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulXML

struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the printable schedule of assets and confiscation figures (HTML).",
        discussion: "Made from the validated case file by the stylesheet schemas/schedule-1.xsl (libxslt, in process), so any system holding the XML renders the same schedule."
    )

    @Argument(help: "A case reference in the register, or a case file.", completion: Completions.cases) var target: String
    @Option(name: .shortAndLong, help: "The HTML file to write (- for standard output).", completion: .file(extensions: ["html"])) var output: String
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func run() throws {
        var caseFile = target
        var temporary: URL?
        if !FileManager.default.fileExists(atPath: target) {
            let store = try register.openExisting()
            let loaded = try attempt { try store.load(try Identifier(target)) }
            // The confiscation figures as of today, worked out from the chain (never a stored copy).
            let operation = try ConfiscationCommand.withFigures(loaded, asOf: try DueReport.today(), store: store, tables: tableOptions)
            let withStatus = CaseStanding.withStatuses(operation, rules: try Rules.book(operation.jurisdiction))
            // Private: the case file it holds names people.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haul-schedule-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            temporary = folder
            caseFile = folder.appendingPathComponent("case.xml").path
            do { try CaseFileExporter().export(withStatus, to: URL(fileURLWithPath: caseFile)) } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
        }
        defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
        do { try ScheduleRenderer().render(caseFile: caseFile, to: outputOptions.target(output)) } catch {
            Output.error(error.description)
            throw ExitCode(1)
        }
        OutputOptions.say("Schedule written to \(output)", fileOnStandardOutput: output == "-")
    }
}
