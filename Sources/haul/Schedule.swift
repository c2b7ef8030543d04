import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulXML

struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Write the printable schedule of assets and confiscation figures (HTML, or PDF through WeasyPrint).",
        discussion: """
        Made from the validated case file by the stylesheet schemas/schedule-1.xsl (libxslt, in process), so \\
        any system holding the XML renders the same schedule. With -o FILE.pdf the HTML is set as A4 pages by \\
        WeasyPrint (Debian package weasyprint): the title of proceedings at the top of every page, \\
        "Page N of M" at the foot, each figure kept on one page with its sources.
        """
    )

    @Argument(help: "A case reference in the register, or a case file.", completion: Completions.cases) var target: String
    @Option(name: .shortAndLong, help: "The file to write: .pdf for PDF, else HTML (- for HTML on standard output).", completion: .file(extensions: ["html", "pdf"])) var output: String
    @Option(help: "The date the schedule is prepared on, and for a case in the register the date its confiscation figures are worked out as of (YYYY-MM-DD; default today).") var on: String?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        try PrintedDocument.checkOptions(on: on, output: output)
    }

    func run() throws {
        let date = try on.map { try CalendarDate(parsing: $0) } ?? DueReport.today()
        let caseFile = try PrintedDocument.caseFile(target, register: register, tables: tableOptions, asOf: date)
        defer { caseFile.discard() }
        try PrintedDocument.write(DocumentRenderer(parameters: ["date": date.description]), caseFile: caseFile.path, output: output, outputOptions: outputOptions)
        OutputOptions.say("Schedule written to \(output)\(PrintedDocument.isPDF(output) ? " (PDF, A4)" : "")", fileOnStandardOutput: output == "-")
    }
}

struct Statement: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Write the prosecutor's statement of information (POCA 2002 s.16) as PDF or HTML.",
        discussion: """
        The benefit and each item of it with its basis, the available amount and each asset with its \\
        value and the interests in it, the recoverable amount, the figures the court is asked to find, a \\
        statement of truth and a signature block: every figure as haul confiscation show gives it on the \\
        same date. Made by schemas/statement-1.xsl from the validated case file; PDF through WeasyPrint.
        """
    )

    @Argument(help: "A case reference in the register, or a case file.", completion: Completions.cases) var reference: String
    @Option(name: .shortAndLong, help: "The file to write: .pdf for PDF, else HTML (- for HTML on standard output).", completion: .file(extensions: ["html", "pdf"])) var output: String
    @Option(help: "Who makes the statement (named in it and in its signature block).") var author: String
    @Option(help: "Their position, e.g. Senior Crown Prosecutor.") var role: String?
    @Option(help: "The statement's date, and the date its figures are worked out as of (YYYY-MM-DD; default today).") var on: String?
    @OptionGroup var outputOptions: OutputOptions
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        for (name, value) in [("--author", author as String?), ("--role", role)] {
            guard let value else { continue }
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(name) needs a value.") }
            do { try SchemaBounds.shortText.check(value, name) } catch { throw ValidationError("\(error.message).") }
        }
        try PrintedDocument.checkOptions(on: on, output: output)
    }

    func run() throws {
        let date = try on.map { try CalendarDate(parsing: $0) } ?? DueReport.today()
        let caseFile = try PrintedDocument.caseFile(reference, register: register, tables: tableOptions, asOf: date)
        defer { caseFile.discard() }
        // POCA decides the benefit and the available amount for each defendant: a statement that
        // gave one case's figures for several would attribute them to no one in particular. A
        // register's case is already loaded; a case file given by name is read for it.
        let operation: Case
        if let loaded = caseFile.operation { operation = loaded } else {
            do { operation = try CaseFileReader().read(fileAt: caseFile.path, displayName: reference) } catch {
                Output.error("haul: \(Output.describe(error))")
                throw ExitCode(1)
            }
        }
        if let defendants = operation.proceedings?.defendants, defendants.count > 1 {
            Output.error("haul: the proceedings of case \(operation.reference) name \(defendants.count) defendants (\(defendants.map(\.value).joined(separator: ", "))); "
                         + "a statement of information gives one defendant's benefit and available amount (POCA 2002 s.16): keep each defendant's "
                         + "confiscation in a case of its own (haul confiscation joint links a benefit obtained together)")
            throw ExitCode(1)
        }
        let renderer = DocumentRenderer.statement(author: author.trimmingCharacters(in: .whitespaces), role: role?.trimmingCharacters(in: .whitespaces), date: date)
        try PrintedDocument.write(renderer, caseFile: caseFile.path, output: output, outputOptions: outputOptions)
        OutputOptions.say("Statement of information written to \(output)\(PrintedDocument.isPDF(output) ? " (PDF, A4)" : "")", fileOnStandardOutput: output == "-")
    }
}

/// What the schedule and the statement share: the case file they are made from, and writing
/// them as HTML or, through WeasyPrint, as PDF.
enum PrintedDocument {
    struct CaseFile {
        var path: String
        /// A private folder made for a case taken from the register, removed after.
        var folder: URL?
        /// The register's case the file was made from (nil for a case file given by name).
        var operation: Case? = nil
        func discard() { if let folder { try? FileManager.default.removeItem(at: folder) } }
    }

    static func isPDF(_ output: String) -> Bool { output.lowercased().hasSuffix(".pdf") }

    /// A document is prepared on a day that has come (a statement of truth dated ahead of it
    /// would not be true), and written as HTML or PDF under a name that says which.
    static func checkOptions(on: String?, output: String) throws {
        if let on {
            let day: CalendarDate
            do { day = try CalendarDate(parsing: on) } catch { throw ValidationError("--on: \(error.message)") }
            let today = try DueReport.today()
            if day > today { throw ValidationError("--on \(on) is after today (\(today)): a document is prepared on a day that has come.") }
        }
        let lowered = output.lowercased()
        guard output == "-" || [".pdf", ".html", ".htm"].contains(where: { lowered.hasSuffix($0) }) else {
            throw ValidationError("-o \(output): name a .pdf or .html file (or - for HTML on standard output).")
        }
    }

    /// `target` when it is a case file; otherwise the register's case of that reference,
    /// exported with its statuses and its confiscation figures worked out as of `asOf`.
    static func caseFile(_ target: String, register: RegisterOptions, tables: TableOptions, asOf: CalendarDate) throws -> CaseFile {
        if FileManager.default.fileExists(atPath: target) { return CaseFile(path: target, folder: nil) }
        let store = try register.openExisting()
        let loaded = try attempt { try store.load(try Identifier(target)) }
        // The confiscation figures as of the day, worked out from the chain (never a stored copy).
        let operation = try ConfiscationCommand.withFigures(loaded, asOf: asOf, store: store, tables: tables)
        let withStatus = CaseStanding.withStatuses(operation, rules: try Rules.book(operation.jurisdiction))
        // Private: the case file it holds names people.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("haul-document-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder.appendingPathComponent("case.xml").path
        do { try CaseFileExporter().export(withStatus, to: URL(fileURLWithPath: path)) } catch {
            try? FileManager.default.removeItem(at: folder)
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
        return CaseFile(path: path, folder: folder, operation: withStatus)
    }

    /// Writes the document as HTML, or as PDF when `output` ends in .pdf.
    static func write(_ renderer: DocumentRenderer, caseFile: String, output: String, outputOptions: OutputOptions) throws {
        guard isPDF(output) else {
            do { try renderer.render(caseFile: caseFile, to: outputOptions.target(output)) } catch {
                Output.error("haul: \(Output.describe(error))")
                throw ExitCode(1)
            }
            return
        }
        let candidates = ["/usr/bin/weasyprint", "/usr/local/bin/weasyprint"] + (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/weasyprint" }
        guard let weasyprint = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Output.error("haul: a PDF needs WeasyPrint (Debian: apt-get install weasyprint); -o FILE.html writes the HTML without it")
            throw ExitCode(1)
        }
        let target = outputOptions.target(output)
        do {
            let html = try Publishing.temporaryURL(beside: Publishing.standardOutput, "document.html")
            defer { Publishing.discard(html) }
            try renderer.render(caseFile: caseFile, to: html)
            let pdf = try Publishing.temporaryURL(beside: target, "pdf")
            defer { Publishing.discard(pdf) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: weasyprint)
            // The documents' HTML links to nothing: WeasyPrint is pointed at their private folder only.
            process.arguments = ["--quiet", "--base-url", html.deletingLastPathComponent().path, html.path, pdf.path]
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0, FileManager.default.fileExists(atPath: pdf.path) else {
                Output.error("haul: WeasyPrint could not set the document as PDF (exit \(process.terminationStatus)): \(message.prefix(400))")
                throw ExitCode(1)
            }
            try Publishing.publish(pdf, as: target, what: "the document")
        } catch let error as HaulXMLError {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
    }
}
