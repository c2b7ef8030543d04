import ArgumentParser
import Foundation
import HaulCore
import HaulData
import HaulXML

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Haul on the bundled example case and write a validated case file.",
        discussion: """
        Reads the bundled example (an illustrative 2020 operation in south-west England), writes \
        its case file, validates it against the shipped schema and prints a summary. Without \
        --output it works in a new temporary folder; it never touches your own register and can \
        run any number of times.
        """
    )

    @Option(name: .shortAndLong, help: "Folder to write the case file into (created if missing).")
    var output: String?

    func run() throws {
        let example = HaulData.example("south-west-2020.xml")
        let operation = try CaseFileReader().read(fileAt: example.path, displayName: "examples/south-west-2020.xml")

        let directory = try outputDirectory()
        let target = directory.appendingPathComponent("\(operation.reference.value.replacingOccurrences(of: "/", with: "-")).xml")
        try CaseFileExporter().export(operation, to: target)

        print(DemoReport(operation: operation, caseFile: target.path).text)
    }

    private func outputDirectory() throws -> URL {
        if let output {
            let url = URL(fileURLWithPath: output)
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                Output.error("haul demo: cannot create the folder \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            return url
        }
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-demo-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            Output.error("haul demo: cannot create a temporary folder; name one with --output")
            throw ExitCode(1)
        }
        return URL(fileURLWithPath: String(cString: made))
    }
}

/// The demo's printed summary.
struct DemoReport {
    let operation: Case
    let caseFile: String

    var text: String {
        let summary = CaseSummary(operation)
        var lines: [String] = []
        let name = operation.operationName.map { "\($0), " } ?? ""
        lines.append("Haul demo: \(name)case \(operation.reference) (\(operation.jurisdiction.rawValue))")
        if operation.isIllustrative {
            lines.append("Illustrative case: details are made up for demonstration.")
        }
        lines.append("")
        lines.append("Seizures (\(summary.seizureCount))")
        for seizure in operation.seizures {
            let time = seizure.seizedAt
            let when = "\(time.date) " + String(format: "%02d:%02d", time.hour, time.minute) + " \(time.zone)"
            let count = String(repeating: " ", count: max(0, 3 - String(seizure.items.count).count)) + "\(seizure.items.count) item" + (seizure.items.count == 1 ? " " : "s")
            lines.append("  \(Output.pad(seizure.id.value, 4))\(when)  \(count)  \(seizure.place)")
        }
        lines.append("")
        lines.append("Items by kind (\(summary.itemCount))")
        for entry in summary.byKind {
            lines.append("  \(Output.pad(entry.kind.rawValue, 12)) \(entry.count)\(entry.kind.isValued ? "" : "  (tracked, not valued)")")
        }
        if !summary.cashFaceValue.isEmpty {
            lines.append("")
            lines.append("Cash at face value: " + summary.cashFaceValue.map(\.formatted).joined(separator: ", "))
        }
        lines.append("")
        lines.append("Case file: \(caseFile)")
        lines.append("Validated against the Haul case-file schema \(CaseFileSchema.version) (\(CaseFileSchema.namespace)) and its semantic rules.")
        return lines.joined(separator: "\n")
    }
}
