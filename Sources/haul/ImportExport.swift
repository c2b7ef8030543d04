import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulPostgres
import HaulStore
import HaulXML

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a case file into the register, history included.",
        discussion: "The file is validated and its event chain verified first; a file with any problem is refused whole and the register is unchanged."
    )

    @Argument(help: "A Haul case file.", completion: Completions.caseFile) var file: String
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions

    /// Items between updates of the progress line.
    static let progressInterval = 10_000

    func run() throws {
        // A signed file must be as it was signed: a broken signature is refused before anything is stored.
        var signature: SignatureCheck?
        do { signature = try XMLSignatureVerifier().verifyWithOwnCertificate(fileAt: file) } catch {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        }
        if let signature, !signature.isValid {
            Output.error("haul: \(file) is signed, but its signature does not hold: \(signature.reason ?? "unknown reason"); nothing was imported")
            throw ExitCode(1)
        }
        // A new SQLite register is built beside its path and named when complete (each page
        // written once); an existing one, or a PostgreSQL register, takes the case in a transaction.
        let building = !PostgresLocation.isURL(register.path) && !FileManager.default.fileExists(atPath: register.path)
        // Who imports is checked first, whichever way the case goes in (a usage error either way).
        let actor = try register.actorName(recorded.actor)
        let work = building ? nil : try register.casework(actor: actor, creating: true)
        let imported: (case: Case, items: Int, events: Int)
        do {
            // Read and stored item by item, in one transaction: memory stays flat, and a file
            // found wrong anywhere leaves the register as it was.
            // Kept with the case: where it came from and what its signature showed.
            let signedNote = signature.map { "signed by \($0.signer ?? "unknown"); the signature held, checked with the certificate it carries\($0.note.map { " (\($0))" } ?? "")" }
            let fileName = URL(fileURLWithPath: file).lastPathComponent
            let provenance = "imported from \(fileName)" + (signedNote.map { "; \($0)" } ?? "; not signed")
            // A progress line on a terminal (nothing when standard error goes to a file or pipe):
            // a million-item file takes a minute or more.
            // Cleared before anything else is said (a refusal included), and only if it was shown.
            final class ProgressLine { var isShown = false }
            let line = ProgressLine()
            let progress: ((String) -> Void)? = isatty(2) == 1 ? { text in
                line.isShown = true
                Output.toStandardError("\r\u{1B}[K\(text)")
            } : nil
            defer { if line.isShown { Output.toStandardError("\r\u{1B}[K") } }
            let reading = { (item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case in
                var read = 0
                let operation = try CaseFileReader().stream(fileAt: file) { reference, seizureIndex, seizure, each in
                    try item(reference, seizureIndex, seizure, each)
                    read += 1
                    if read % Self.progressInterval == 0 { progress?("importing \(fileName): \(read) items read") }
                }
                if read >= Self.progressInterval { progress?("importing \(fileName): \(read) items read; checking the chain and recording the case") }
                return operation
            }
            if building, let made = try Casework.importCase(intoNewRegisterAt: register.path, actor: actor, provenance: provenance, streaming: reading) {
                imported = (made.case, made.items, made.events)
            } else {
                // A register was there, or appeared there meanwhile: the file is read again into it.
                imported = try (work ?? register.casework(actor: actor, creating: true)).importCase(provenance: provenance, streaming: reading)
            }
        } catch let error as HaulXMLError {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
        if recorded.json {
            var value: [String: Any] = ["case": imported.case.reference.value, "recorded": "imported", "seizures": imported.case.seizures.count,
                                        "items": imported.items, "events": imported.events]
            if let signature { value["signedBy"] = signature.signer ?? ""; value["signatureHolds"] = signature.isValid }
            print(Output.json(value))
            return
        }
        print("Imported case \(imported.case.reference): \(Output.count(imported.case.seizures.count, "seizure")), \(Output.count(imported.items, "item")), \(Output.count(imported.events, "event"))")
        if let signature {
            print("  signed by \(signature.signer ?? "unknown"): the file is as it was signed (checked with the certificate it carries; haul verify --cert checks the signer)\(signature.note.map { "; \($0)" } ?? "")")
        }
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a case from the register as a validated case file, NIEM report or ECF filing.",
        discussion: "Items carry their current status and next deadline; the history carries the event chain and its head. Every export is validated before it is written; schemas/README.md maps Haul's fields to NIEM."
    )

    enum Profile: String, ExpressibleByArgument, CaseIterable { case haul, niem, ecf }

    @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
    @Option(name: .shortAndLong, help: "The file to write (- for standard output).", completion: .file()) var output: String
    @OptionGroup var outputOptions: OutputOptions
    @Option(help: "haul: Haul's own case file; niem: a NIEM 6.0 seized-property report; ecf: an OASIS ECF 5.0 filing carrying one of them.", completion: .list(["haul", "niem", "ecf"]))
    var profile: Profile = .haul
    @Option(help: "With --profile ecf: the document the filing carries (haul or niem).", completion: .list(["haul", "niem"])) var attach: String = "haul"
    @Option(help: "With --profile ecf: the court the filing goes to (default: the court of the case's proceedings).") var court: String?
    @Option(help: "With --profile ecf: the court's identifier in the receiving system.") var courtId: String?
    @Option(help: "Sign the file with this private key (PEM; RSA or EC).", completion: Completions.pem) var sign: String?
    @Option(help: "The signer's certificate (PEM), embedded in the signature.", completion: Completions.pem) var cert: String?
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        if (sign == nil) != (cert == nil) { throw ValidationError("--sign and --cert go together.") }
        if sign != nil, profile != .haul { throw ValidationError("--sign signs Haul's own case file; use it with --profile haul.") }
        if profile == .ecf {
            if let court, court.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--court needs the court's name.") }
            guard ECFAttachment(rawValue: attach) != nil else { throw ValidationError("--attach takes haul or niem, not '\(attach)'.") }
        } else if court != nil || courtId != nil || attach != "haul" {
            throw ValidationError("--court, --court-id and --attach belong to --profile ecf.")
        }
    }

    func run() throws {
        if profile == .haul, sign == nil, try streamFromRegister() { return }
        let store = try register.openExisting()
        let loaded = try attempt { try store.load(try Identifier(reference)) }
        // The confiscation figures as of today, worked out from the chain (never a stored copy).
        let operation = try ConfiscationCommand.withFigures(loaded, asOf: try DueReport.today(), store: store, tables: tableOptions)
        let withStatus = CaseStanding.withStatuses(operation, rules: try Rules.book(operation.jurisdiction))
        switch profile {
        case .haul: break
        case .niem:
            do { try NIEMExporter().export(withStatus, to: outputOptions.target(output)) } catch {
                Output.error(Output.describe(error))
                throw ExitCode(1)
            }
            OutputOptions.say("Exported case \(reference) to \(output == "-" ? "standard output" : output) as a NIEM 6.0 seized-property report (validated against schemas/niem)", fileOnStandardOutput: output == "-")
            return
        case .ecf:
            let carried = ECFAttachment(rawValue: attach) ?? .haul
            // The court the case's proceedings name, unless --court overrides it.
            guard let courtName = court ?? operation.proceedings?.court else {
                Output.error("haul: case \(reference) has no proceedings recorded; give --court NAME, or record them with haul case proceedings \(reference) --court NAME")
                throw ExitCode(1)
            }
            let courtIdentifier = court == nil ? (courtId ?? operation.proceedings?.courtID) : courtId
            do {
                try ECFExporter().export(withStatus, court: ECFCourt(name: courtName, identifier: courtIdentifier), attaching: carried, to: outputOptions.target(output))
            } catch {
                Output.error(Output.describe(error))
                throw ExitCode(1)
            }
            OutputOptions.say("Exported case \(reference) to \(output == "-" ? "standard output" : output) as an ECF 5.0 filing for \(courtName) carrying the \(carried == .haul ? "Haul case file" : "NIEM report") (attachment validated, carried intact)", fileOnStandardOutput: output == "-")
            return
        }
        var signer: XMLSigner?
        if let sign, let cert {
            let now = try attempt { try ZonedDateTime(epochSeconds: Int(Date().timeIntervalSince1970), zone: operation.jurisdiction.timeZone) }
            signer = XMLSigner(keyPath: sign, certificatePath: cert, signedAt: now)
        }
        // A progress line on a terminal for long exports (nothing when output goes to a file or pipe).
        let total = withStatus.items.count
        let progress: ((Int) -> Void)? = isatty(2) == 1 && total >= 50_000 ? { written in
            Output.toStandardError("\rexporting \(reference): \(written * 100 / total) % (\(written) of \(total) items)")
        } : nil
        do {
            // The line is cleared before anything else is said, a refusal included.
            defer { if progress != nil { Output.toStandardError("\r\u{1B}[K") } }
            try CaseFileExporter().export(withStatus, to: outputOptions.target(output), signer: signer, progress: progress)
        } catch {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        }
        OutputOptions.say("Exported case \(reference) to \(output == "-" ? "standard output" : output) (validated\(signer == nil ? "" : ", signed"))\(operation.chainHead.map { "; chain head \($0)" } ?? "")",
                          fileOnStandardOutput: output == "-")
    }

    /// An unsigned case file streams from the register to the file: the stored state is read
    /// a block at a time and each item written, given its status and validated as it goes, so
    /// memory stays flat however many items the case holds. A case with confiscation inputs
    /// needs its items in memory to work out the figures: false, and nothing written, for one.
    private func streamFromRegister() throws -> Bool {
        let store = try register.openExisting()
        let target = outputOptions.target(output)
        var chainHead: String?
        var streamed = false
        do {
            try store.withStoredDocument(try Identifier(reference)) { document in
                let skeleton = document.skeleton
                guard skeleton.confiscationInputs.isEmpty else { return }
                streamed = true
                chainHead = document.head
                let rules = try Rules.book(skeleton.jurisdiction)
                let events = CaseStanding.EventIndex(skeleton.history)
                let total = document.itemCounts.reduce(0, +)
                let export = try StreamingCaseExport(target: target, header: skeleton, expectedItems: total)
                export.chain = ChainStream(head: document.head, forEach: document.forEachLink)
                // A progress line on a terminal for long exports (nothing when output goes to a file or pipe).
                let showsProgress = isatty(2) == 1 && total >= 50_000
                if showsProgress {
                    export.progress = { written in
                        Output.toStandardError("\rexporting \(reference): \(written * 100 / total) % (\(written) of \(total) items)")
                    }
                }
                defer { if showsProgress { Output.toStandardError("\r\u{1B}[K") } }
                var open = -1
                func advance(to seizure: Int) throws {
                    while open < seizure {
                        if open >= 0 { try export.endSeizure() }
                        open += 1
                        try export.beginSeizure(skeleton.seizures[open])
                    }
                }
                try document.forEachItem { seizure, item in
                    try advance(to: seizure)
                    try export.item(CaseStanding.withStatus(item, in: skeleton.seizures[seizure], index: events, rules: rules))
                }
                try advance(to: skeleton.seizures.count - 1)
                if open >= 0 { try export.endSeizure() }
                try export.finish()
            }
        } catch let error as HaulXMLError {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
        guard streamed else { return false }
        OutputOptions.say("Exported case \(reference) to \(output == "-" ? "standard output" : output) (validated)\(chainHead.map { "; chain head \($0)" } ?? "")", fileOnStandardOutput: output == "-")
        return true
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a signed case file: exit 0 only when the signature is valid and covers the whole document.",
        discussion: "Accepts exactly one enveloped signature with one reference to the whole document and only the expected transforms."
    )

    @Argument(help: "A signed case file.", completion: Completions.caseFile) var file: String
    @Option(help: "The certificate (PEM) the file should be signed with.", completion: Completions.pem) var cert: String
    @Flag(help: "Check a signature whose certificate has since expired (old evidence); the result says so.") var allowExpired = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() throws {
        let check: SignatureCheck
        do { check = try XMLSignatureVerifier().verify(fileAt: file, certificatePath: cert, allowExpired: allowExpired) } catch {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        }
        if json {
            var value: [String: Any] = ["file": file, "valid": check.isValid]
            if let signer = check.signer { value["signer"] = signer }
            if let signedAt = check.signedAt { value["signedAt"] = signedAt }
            if let reason = check.reason { value["reason"] = reason }
            if let note = check.note { value["note"] = note }
            print(Output.json(value))
            if !check.isValid { throw ExitCode(1) }
            return
        }
        guard check.isValid else {
            print("\(file): NOT VALID — \(check.reason ?? "unknown reason")")
            throw ExitCode(1)
        }
        print("\(file): valid signature by \(check.signer ?? "unknown")\(check.signedAt.map { ", signed at \($0)" } ?? "")\(check.note.map { " (\($0))" } ?? "")")
    }
}
