import ArgumentParser
import Foundation
import HaulCore
import HaulData
import HaulProceedings
import HaulCases
import HaulStore
import HaulValuation
import HaulXML

struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Haul on the bundled example case and write a validated case file.",
        discussion: """
        Reads the bundled example (an illustrative 2020 operation in south-west England), writes \
        its case file, validates it against the shipped schema, writes the schedule of assets made \
        from that file (HTML) and prints a summary. Without --output it works in a new temporary folder; it never touches your own register and can \
        run any number of times.
        """
    )

    @Option(name: .shortAndLong, help: "Folder to write the case file into (created if missing).", completion: .directory)
    var output: String?

    func run() throws {
        let example = HaulData.example("south-west-2020.xml")
        let operation = try CaseFileReader().read(fileAt: example.path, displayName: "examples/south-west-2020.xml")
        // Shipped tables and rates only: the demo never reads the user's own data.
        let book = try Pricing.book(for: operation.jurisdiction, overlay: nil, shippedRatesOnly: true)
        let valuation = CaseValuer(valuer: Valuer(book: book)).value(operation, on: nil)

        let directory = try outputDirectory()
        // The demo's own register, new each run, in its own folder: never the user's.
        let registerPath = directory.appendingPathComponent("demo-register.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: registerPath + suffix) }
        let register = try attempt { try SQLiteRegister(path: registerPath) }
        // The same library calls as haul import and haul status.
        let work = Casework(register: register, actor: "demo")
        try attempt { try work.importCase(valuation.valued) }
        let rules = try Rules.book(operation.jurisdiction)
        let valuer = Valuer(book: book)
        for move in DemoMoves.script {
            try attempt { try DemoMoves.record(move, with: work, case: operation.reference, jurisdiction: operation.jurisdiction, rules: rules, valuer: valuer) }
        }
        let registered = try attempt { try register.load(operation.reference) }
        let exported = CaseStanding.withStatuses(registered, rules: rules)
        let target = directory.appendingPathComponent("\(operation.reference.value.replacingOccurrences(of: "/", with: "-")).xml")
        try CaseFileExporter().export(exported, to: target)
        // The schedule a court would receive, made from the validated file as haul schedule makes it.
        let schedule = directory.appendingPathComponent("\(operation.reference.value.replacingOccurrences(of: "/", with: "-"))-schedule.html")
        let renderer = DocumentRenderer(parameters: ["date": try DueReport.today().description])
        do { try renderer.render(caseFile: target.path, to: schedule) } catch {
            Output.error(Output.describe(error))
            throw ExitCode(1)
        }

        print(DemoReport(operation: valuation.valued, valuation: valuation, tables: book.layers.map(\.name), caseFile: target.path, schedule: schedule.path,
                         register: registerPath, standings: CaseStanding.of(registered, rules: rules), events: registered.history.count).text)
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
    let valuation: CaseValuer.Result
    let tables: [String]
    let caseFile: String
    let schedule: String
    let register: String
    let standings: [ItemStanding]
    let events: Int

    var text: String {
        let summary = CaseSummary(operation)
        var lines: [String] = []
        let name = operation.operationName.map { "\($0), " } ?? ""
        lines.append("Haul demo: \(name)case \(operation.reference) (\(operation.jurisdiction.rawValue))")
        if operation.isIllustrative {
            lines.append("Illustrative case: details are made up for demonstration.")
        }
        if let title = CaseGlance.title(operation) { lines.append("Proceedings: \(title)") }
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
        let totals = operation.totals()
        if !totals.isEmpty {
            lines.append("")
            lines.append("Valued on each seizure date from \(tables.joined(separator: " + ")), totals by kind and basis")
            lines.append("(upper bounds left out; details: haul value CASE-FILE)")
            lines.append(contentsOf: CaseGlance.totalsTable(totals))
        }
        for (item, result) in zip(operation.items, valuation.items) {
            if case .noPrice(let message)? = result.notValued { lines.append("  " + Output.wrap("\(item.id): \(message)", width: 98, indent: "      ")) }
        }
        let warned = valuation.items.filter { $0.figures.contains { !$0.warnings.filter { $0.code != .nilInAvailableAmount }.isEmpty } }.count
        if warned > 0 { lines.append("  \(warned) item\(warned == 1 ? " has" : "s have") figures with warnings (stale prices, assumed purity, distant rates)") }
        if valuation.items.contains(where: { $0.figures.contains(where: \.isIllustrative) }) {
            lines.append("  Some figures use illustrative rows [I]: they show the method, not evidence of value.")
        }
        lines.append("")
        lines.append("Register \(register): \(Output.count(events, "status move")) recorded (illustrative), deadlines by the shipped rule packs")
        for standing in standings.filter({ $0.deadline != nil }).sorted(by: { $0.deadline!.due < $1.deadline!.due }) {
            let deadline = standing.deadline!
            lines.append("  \(DueReport.when(deadline.due))  \(Output.pad(standing.item.id.value, 6)) \(Output.pad(standing.item.kind.rawValue, 10)) \(Output.pad(standing.state?.rawValue ?? "", 19)) \(deadline.rule)\(deadline.isVerified ? "" : " [unverified]")")
        }
        lines.append("")
        lines.append("Case file: \(caseFile)")
        lines.append("Validated against the Haul case-file schema \(CaseFileSchema.version) (\(CaseFileSchema.namespace)) and its semantic rules.")
        lines.append("Schedule of assets: \(schedule) (made from the case file; haul schedule -o FILE.pdf sets it as A4 pages)")
        return lines.joined(separator: "\n")
    }
}

/// The demo's illustrative status moves: what an investigator would record in the first days.
enum DemoMoves {
    struct Scripted {
        var items: [Identifier]
        var to: State
        var at: String
        var authority: String?
        var regime: String?
    }

    static let script: [Scripted] = [
        Scripted(items: ["I-005"], to: .detained, at: "2020-06-18T06:05", authority: nil, regime: nil),
        Scripted(items: ["I-009"], to: .detained, at: "2020-06-18T07:20", authority: nil, regime: nil),
        Scripted(items: ["I-010", "I-011", "I-012"], to: .detained, at: "2020-06-18T07:20", authority: nil, regime: nil),
        Scripted(items: ["I-010", "I-011", "I-012"], to: .detentionExtended, at: "2020-06-18T13:00", authority: "Authority of Insp. 1022 (illustrative)", regime: nil),
        Scripted(items: ["I-005"], to: .detentionOrder, at: "2020-06-19T15:00", authority: "Bristol MC 2020/0619/3 (illustrative)", regime: nil),
        Scripted(items: ["I-013"], to: .detained, at: "2020-06-20T14:40", authority: nil, regime: nil),
    ]

    /// Records the move through the same library call as `haul status`.
    static func record(_ move: Scripted, with work: Casework, case reference: Identifier, jurisdiction: Jurisdiction, rules: RuleBook, valuer: Valuer) throws {
        let at = try ZonedDateTime(local: move.at, zone: jurisdiction.timeZone)
        try work.move(MoveRequest(items: move.items, to: move.to, at: at, authority: move.authority, note: "illustrative move", regime: move.regime),
                      in: reference, rules: rules, valuer: valuer)
    }
}
