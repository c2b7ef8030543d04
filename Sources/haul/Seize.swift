import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulXML
import HaulCases
import HaulStore

struct Seize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seize",
        abstract: "Add a seized item to a case in the register.",
        discussion: """
        Attributes follow the kind as name=value, for example:
          haul seize SW-2020-0417 drug --id I-001 --exhibit HAL/AB/1 --seizure S1 substance=cocaine form=powder mass=8kg
          haul seize SW-2020-0417 cash --id I-005 --exhibit HAL/AB/5 --seizure S1 currency=GBP amount=500000 denominations=50x6000,20x10000
        A new seizure needs --at, --place, --power, --officer and --agency; an existing one takes them from the case.
        With --from, a whole exhibit list (CSV; template in examples/exhibits-template.csv, its columns
        explained in examples/exhibits-template.md) is added all or nothing: any bad row and nothing is
        added, every problem reported as file:line:column. Sheets saved as CSV UTF-8, plain CSV
        (Windows-1252) or Unicode text (UTF-16, tab-separated) are read; rows of empty cells are
        skipped; seized_at may be DD/MM/YYYY hh:mm.
        """
    )

    @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
    @Argument(help: "drug, cash, watch, vehicle, jewellery, cryptoasset, firearm, ammunition, phone, document or other.", completion: Completions.kinds) var kind: String?
    @Argument(help: "The item's attributes as name=value.") var attributes: [String] = []
    @Option(help: "An exhibit list (CSV) to add all at once instead of one item.", completion: Completions.sheet) var from: String?
    @Option(help: "The item's identifier, unique in the case.") var id: String?
    @Option(help: "The exhibit reference.") var exhibit: String?
    @Option(help: "The seizure the item belongs to (new or existing).") var seizure: String?
    @Option(help: "A short description.") var description: String?
    @Option(help: "New seizure: when (YYYY-MM-DDThh:mm, local time).") var at: String?
    @Option(help: "New seizure: where.") var place: String?
    @Option(help: "New seizure: the power used (e.g. poca-s294-cash, warrant).", completion: Completions.powers) var power: String?
    @Option(help: "New seizure: the officer.") var officer: String?
    @Option(help: "New seizure: the seizing agency's id.") var agency: String?
    @Option(help: "New seizure: the warrant reference.") var warrant: String?
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if from == nil && (kind == nil || id == nil || exhibit == nil || seizure == nil) {
            throw ValidationError("Give the item's KIND, --id, --exhibit and --seizure, or an exhibit list with --from.")
        }
        if from != nil && (kind != nil || id != nil) { throw ValidationError("--from adds a whole list; give no KIND or --id with it.") }
    }

    func run() throws {
        if let from { return try intake(from) }
        guard let kind, let id, let exhibit, let seizure else { return }
        guard let itemKind = ItemKind(rawValue: kind) else {
            throw ValidationError("Unknown kind '\(kind)'; use \(ItemKind.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        var values: [String: String] = [:]
        for attribute in attributes {
            let parts = attribute.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("'\(attribute)' is not name=value.") }
            if let earlier = values[parts[0]] {
                throw ValidationError("\(parts[0]) is given twice ('\(parts[0])=\(earlier)' and '\(attribute)'); give it once.")
            }
            values[parts[0]] = parts[1]
        }
        let work = try register.casework(actor: recorded.actor)
        let caseReference = try attempt { try Identifier(reference) }
        let item = Item(id: try attempt { try Identifier(id) }, exhibit: try attempt { try Identifier(exhibit) }, description: description,
                        details: try attempt { try ItemAttributes.details(kind: itemKind, values) })
        let seizureID = try attempt { try Identifier(seizure) }
        // A new seizure's details, when given; the library checks, in the transaction, whether the seizure is new.
        var newSeizure: Seizure?
        if let at, let place, let power, let officer, let agency {
            guard let seizurePower = SeizurePower(rawValue: power) else {
                throw ValidationError("Unknown power '\(power)'; use \(SeizurePower.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            let jurisdiction = try attempt { try work.register.jurisdiction(of: caseReference) }
            newSeizure = Seizure(id: seizureID, seizedAt: try argument("at") { try ZonedDateTime(local: at, zone: jurisdiction.timeZone) },
                                 place: place, power: seizurePower, warrantReference: warrant, officer: officer,
                                 agency: try attempt { try Identifier(agency) }, items: [])
        }
        try attempt { try work.addItem(item, to: caseReference, seizure: seizureID, newSeizure: newSeizure) }
        recorded.report("Added \(itemKind.rawValue) \(id) (exhibit \(exhibit)) to seizure \(seizure) of case \(reference)",
                        ["case": reference, "recorded": "items-added", "items": [id], "seizure": seizure, "kind": itemKind.rawValue])
    }

    /// The all-or-nothing intake of an exhibit list.
    private func intake(_ path: String) throws {
        // An exhibit list is a file of at most a few megabytes: a device, a pipe or a huge file is refused before it is read.
        let attributes = try? FileManager.default.attributesOfItem(atPath: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else {
            Output.error("haul: \(path) is not a file (an exhibit list is a CSV file)")
            throw ExitCode(1)
        }
        guard ((attributes?[.size] as? Int) ?? 0) <= 64 << 20 else {
            Output.error("haul: \(path) is larger than 64 MB; an exhibit list that long should be split")
            throw ExitCode(1)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("haul: cannot read \(path): \(Publishing.whyUnreadable(path))")
            throw ExitCode(1)
        }
        let sheet: SheetText
        do { sheet = try SheetText.decode(data, file: path) } catch {
            Output.error(Output.describe(error))
            Output.error("nothing was added")
            throw ExitCode(1)
        }
        if let note = sheet.note { Output.error("haul: \(path): \(note)") }
        let work = try register.casework(actor: recorded.actor)
        let outcome = try attempt { try work.intake(text: sheet.text, file: path, into: try Identifier(reference), separator: sheet.separator) }
        guard outcome.problems.isEmpty else {
            let shown = HaulXMLError.printedDiagnostics
            outcome.problems.prefix(shown).forEach { Output.error(Output.describe($0)) }
            if outcome.problems.count > shown {
                // The rest counted by the column they are in, so a sheet with one mistake copied down is one line.
                var byColumn: [String: Int] = [:]
                for problem in outcome.problems.dropFirst(shown) {
                    let name = problem.message.split(separator: ":", maxSplits: 1).first.map(String.init) ?? problem.message
                    byColumn[name.contains(" ") ? "other" : name, default: 0] += 1
                }
                let counts = byColumn.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                Output.error("… and \(outcome.problems.count - shown) more (by column: \(counts))")
            }
            Output.error("\(outcome.problems.count) problem\(outcome.problems.count == 1 ? "" : "s") in \(path); nothing was added")
            throw ExitCode(1)
        }
        recorded.report("Added \(outcome.added) items from \(path) to case \(reference)",
                        ["case": reference, "recorded": "items-added", "count": outcome.added, "file": path])
    }
}
