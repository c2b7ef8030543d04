import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulXML

struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the printable schedule of assets and confiscation figures (HTML, or PDF through WeasyPrint).",
        discussion: """
        Made from the validated case file by the stylesheet schemas/schedule-1.xsl (libxslt, in process), so \
        any system holding the XML renders the same schedule. With -o FILE.pdf the HTML is set as A4 pages by \
        WeasyPrint (Debian package weasyprint): the title of proceedings at the top of every page, \
        "Page N of M" at the foot, each figure kept on one page with its sources.
        """
    )

    @Argument(help: "A case reference in the register, or a case file.", completion: Completions.cases) var target: String
    @Option(name: .shortAndLong, help: "The file to write: .pdf for PDF, else HTML (- for HTML on standard output).", completion: .file(extensions: ["html", "pdf"])) var output: String
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
        if output.lowercased().hasSuffix(".pdf") {
            try writePDF(caseFile: caseFile)
            OutputOptions.say("Schedule written to \(output) (PDF, A4)", fileOnStandardOutput: false)
            return
        }
        do { try ScheduleRenderer().render(caseFile: caseFile, to: outputOptions.target(output)) } catch {
            Output.error(error.description)
            throw ExitCode(1)
        }
        OutputOptions.say("Schedule written to \(output)", fileOnStandardOutput: output == "-")
    }

    /// The schedule as PDF: the HTML rendered into a private folder, set as pages by WeasyPrint
    /// (a real paged-media renderer; Haul writes no PDF itself), then published like any output.
    func writePDF(caseFile: String) throws {
        let candidates = ["/usr/bin/weasyprint", "/usr/local/bin/weasyprint"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/weasyprint" }
        guard let weasyprint = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Output.error("haul: a PDF schedule needs WeasyPrint (Debian: apt-get install weasyprint); -o FILE.html writes the HTML without it")
            throw ExitCode(1)
        }
        let target = outputOptions.target(output)
        do {
            let html = try Publishing.temporaryURL(beside: Publishing.standardOutput, "schedule.html")
            defer { Publishing.discard(html) }
            try ScheduleRenderer().render(caseFile: caseFile, to: html)
            let pdf = try Publishing.temporaryURL(beside: target, "pdf")
            defer { Publishing.discard(pdf) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: weasyprint)
            // Offline: the schedule's HTML links to nothing, and WeasyPrint may fetch nothing else.
            process.arguments = ["--quiet", "--base-url", html.deletingLastPathComponent().path, html.path, pdf.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf.path) else {
                Output.error("haul: WeasyPrint could not set the schedule as PDF (exit \(process.terminationStatus)): \(message.prefix(400))")
                throw ExitCode(1)
            }
            try Publishing.publish(pdf, as: target, what: "the schedule")
        } catch let error as HaulXMLError {
            Output.error(error.description)
            throw ExitCode(1)
        }
    }
}
