import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulTables
import HaulValuation
import HaulXML

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check case files against the Haul schema and its semantic rules (or NIEM reports against the profile).",
        discussion: """
        Every problem is printed as file:line: message. Exit status: 0 when every file is valid, \
        1 when any is invalid or refused, 64 for a usage error. With --profile niem the files are \
        NIEM 6.0 seized-property reports, checked against schemas/niem and for dangling structures:ref. \
        With --profile ecf the files are ECF 5.0 filings: well-formed, one attached document that is \
        itself a valid Haul case file or NIEM report, and with --ecf-schemas valid against the OASIS \
        schemas (which Haul does not ship).
        """
    )

    @Argument(help: "Case files to check.", completion: Completions.caseFile)
    var files: [String]

    @Flag(help: "Print the result as JSON.")
    var json = false

    @Option(help: "haul (Haul case files), niem (NIEM 6.0 seized-property reports) or ecf (ECF 5.0 filings and the document they carry).", completion: .list(["haul", "niem", "ecf"]))
    var profile: String = "haul"

    @Option(help: ArgumentHelp("With --profile ecf: a folder holding the OASIS ECF 5.0 schemas (a corrected copy); the filing is then checked against them too.",
                               valueName: "folder"), completion: .directory)
    var ecfSchemas: String?

    @Option(name: .customLong("tables"), help: ArgumentHelp("The folder of price tables the case was exported with (--tables), whose price index its confiscation figures used. Also HAUL_TABLES.",
                                                         valueName: "dir"), completion: .directory)
    var overlay: String?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Name at least one case file to check.") }
        guard ["haul", "niem", "ecf"].contains(profile) else { throw ValidationError("--profile takes haul, niem or ecf, not '\(profile)'.") }
        if ecfSchemas != nil && profile != "ecf" { throw ValidationError("--ecf-schemas goes with --profile ecf.") }
        var isFolder: ObjCBool = false
        if let overlay, !(FileManager.default.fileExists(atPath: overlay, isDirectory: &isFolder) && isFolder.boolValue) {
            throw ValidationError("--tables \(overlay) is not a folder of price tables.")
        }
    }

    func run() throws {
        var filingSchema: CompiledSchema?
        if let ecfSchemas {
            do { filingSchema = try ECFValidator.filingSchema(in: URL(fileURLWithPath: ecfSchemas)) } catch {
                Output.error("haul: --ecf-schemas \(ecfSchemas): \(Output.describe(error))")
                throw ExitCode(1)
            }
            guard filingSchema != nil else {
                Output.error("haul: --ecf-schemas \(ecfSchemas): no .xsd there declares FilingMessage in \(ECFExporter.filingNamespace)")
                throw ExitCode(1)
            }
        }
        let validate: (String) throws(HaulXMLError) -> ValidationReport
        switch profile {
        case "niem": validate = { file throws(HaulXMLError) in try NIEMValidator().validate(fileAt: file) }
        case "ecf": validate = { file throws(HaulXMLError) in try ECFValidator(filingSchema: filingSchema).validate(fileAt: file) }
        default: validate = { file throws(HaulXMLError) in try CaseFileValidator().validate(fileAt: file) }
        }
        let workingOut = ConfiscationWorking(overlay: (overlay ?? ProcessInfo.processInfo.environment["HAUL_TABLES"]).map { URL(fileURLWithPath: $0) })
        var results: [(file: String, refusal: String?, report: ValidationReport?)] = []
        for file in files {
            do {
                var report = try validate(file)
                // A 1.3 file's body must be what its records replay to (import checks the same),
                // and its confiscation figures what those records' inputs give.
                if profile == "haul", report.isValid, report.carriesRecords,
                   let problem = try CaseFileReader().ledgerProblem(fileAt: file, confiscation: workingOut.figures) {
                    report.diagnostics.append(problem)
                }
                results.append((file, nil, report))
            } catch {
                results.append((file, Output.describe(error), nil))
            }
        }
        if json {
            print(Output.json(results.map { result -> [String: Any] in
                var entry: [String: Any] = ["file": result.file, "valid": result.report?.isValid ?? false]
                if let refusal = result.refusal { entry["refused"] = refusal }
                entry["problems"] = (result.report?.diagnostics ?? []).map {
                    ["line": $0.line, "message": $0.message, "check": $0.origin.rawValue] as [String: Any]
                }
                return entry
            }))
        } else {
            for result in results {
                if let refusal = result.refusal {
                    print(refusal)
                } else if let report = result.report {
                    if report.isValid {
                        print("\(result.file): valid")
                    } else {
                        // The first 100, then a count (--json lists every one kept).
                        report.diagnostics.prefix(HaulXMLError.printedDiagnostics).forEach { print($0) }
                        if report.diagnostics.count > HaulXMLError.printedDiagnostics {
                            print("… and \(report.diagnostics.count - HaulXMLError.printedDiagnostics) more")
                        }
                        print("\(result.file): invalid (\(report.diagnostics.count) problem\(report.diagnostics.count == 1 ? "" : "s"))")
                    }
                }
            }
        }
        if results.contains(where: { !($0.report?.isValid ?? false) }) { throw ExitCode(1) }
    }
}

/// Works a case file's confiscation figures out again, as `export` did: the shipped rule packs,
/// the shipped price index with the `--tables` (or HAUL_TABLES) layered over it, loaded once.
final class ConfiscationWorking {
    private let overlay: URL?
    private var rules: ConfiscationRules?
    private var books: [Jurisdiction: PriceBook?] = [:]

    init(overlay: URL?) { self.overlay = overlay }

    /// The figures, or nil when this Haul ships no price tables for the case's jurisdiction
    /// (nothing to work its index from: the figures are left unchecked).
    func figures(_ replayed: Case, asOf: CalendarDate, coDefendantsPaid: Money?) throws -> ConfiscationFigures? {
        if rules == nil {
            let (shipped, problems) = ConfiscationRules.shipped()
            if let problem = problems.first { throw problem }
            rules = shipped
        }
        if books[replayed.jurisdiction] == nil {
            let (layers, problems) = ShippedTables.layers(for: replayed.jurisdiction, overlay: overlay)
            if let problem = problems.first { throw problem }
            books[replayed.jurisdiction] = layers.isEmpty ? .some(nil) : try PriceBook(layers: layers, rates: Pricing.rates(shippedOnly: true))
        }
        guard let found = books[replayed.jurisdiction], let book = found else { return nil }
        let calculator = ConfiscationCalculator(rules: rules!, currency: book.manifest.currency) { book.indexPoint(onOrBefore: $0) }
        // The co-defendants' cases are not in the file: what they paid is taken as the file states it.
        let coDefendants = coDefendantsPaid.map { [Payment(paidOn: asOf, amount: $0)] } ?? []
        return try calculator.compute(replayed, asOf: asOf, coDefendantPayments: coDefendants)
    }
}
