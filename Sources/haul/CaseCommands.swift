import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulPostgres
import HaulStore

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Open, list and show cases in the register, and record the proceedings they are brought in.",
        subcommands: [Open.self, List.self, Show.self, ProceedingsCommand.self]
    )

    struct ProceedingsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "proceedings",
            abstract: "Record the court proceedings: court, case or indictment number, defendants, prosecutor, dates.",
            discussion: """
            Recorded whole (a second call replaces what was recorded), as an event of the case's chain. \
            The defendants are people of the case recorded as defendants (haul person add --role defendant), \
            named in the order the title of proceedings gives them. An ECF filing takes its court from here.
            """
        )
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "The court, e.g. Bristol Crown Court.") var court: String
        @Option(help: "The court's identifier in the receiving system.") var courtId: String?
        @Option(help: "The case or indictment number.") var number: String?
        @Option(help: ArgumentHelp("A defendant's person id, e.g. P-1; repeatable, in the title's order.", valueName: "person")) var defendant: [String] = []
        @Option(help: "The prosecuting authority, e.g. Crown Prosecution Service.") var prosecutor: String?
        @Option(help: "The date of conviction (YYYY-MM-DD).") var convicted: String?
        @Option(help: "The date of the confiscation hearing (YYYY-MM-DD).") var hearing: String?
        @OptionGroup var recorded: RecordedJSON
        @OptionGroup var register: RegisterOptions

        func validate() throws {
            guard !court.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--court needs the court's name.") }
            for (name, value) in [("--court-id", courtId), ("--number", number), ("--prosecutor", prosecutor)] {
                if let value, value.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("\(name) needs a value.") }
            }
        }

        func run() throws {
            // Trimmed as a case file's reader trims them, so what is recorded reads back the same.
            func trimmed(_ text: String?) -> String? { text?.trimmingCharacters(in: .whitespaces) }
            let proceedings = Proceedings(
                court: trimmed(court)!, courtID: trimmed(courtId), number: trimmed(number),
                defendants: try defendant.map { text in try argument("defendant") { try Identifier(text) } },
                prosecutor: trimmed(prosecutor),
                convictedOn: try convicted.map { text in try argument("convicted") { try CalendarDate(parsing: text) } },
                hearingOn: try hearing.map { text in try argument("hearing") { try CalendarDate(parsing: text) } })
            let reference = try attempt { try Identifier(self.reference) }
            let operation = try attempt { try register.casework(actor: recorded.actor).recordProceedings(proceedings, in: reference) }
            recorded.report("Recorded for case \(reference): \(CaseGlance.title(operation) ?? proceedings.court)",
                            ["case": reference.value, "recorded": "proceedings", "court": proceedings.court, "defendants": proceedings.defendants.map(\.value)])
        }
    }

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Open a new case in the register.")

        @Argument(help: "The case reference, e.g. SW-2020-0417.") var reference: String
        @Option(help: ArgumentHelp("Where the case is brought: GB-EAW (England and Wales) or US; rule packs and price tables ship for these.",
                                    valueName: "jurisdiction"), completion: .list(["GB-EAW", "US"])) var jurisdiction: String = Jurisdiction.englandAndWales.rawValue
        @Option(help: ArgumentHelp("An agency as ID:ROLE:NAME (role: investigating, prosecuting, seizing, enforcing); repeatable.", valueName: "agency"))
        var agency: [String] = []
        @Option(help: "The operation's name.") var operation: String?
        @Option(help: "The date the case was opened (YYYY-MM-DD).") var opened: String
        @OptionGroup var recorded: RecordedJSON
        @OptionGroup var register: RegisterOptions

        func run() throws {
            let agencies = try agency.map { text -> Agency in
                let parts = text.split(separator: ":", maxSplits: 2).map(String.init)
                guard parts.count == 3 else {
                    throw ValidationError("--agency '\(text)' is not ID:ROLE:NAME, e.g. ASC:seizing:Avon and Somerset Constabulary")
                }
                guard let role = AgencyRole(rawValue: parts[1]) else {
                    throw ValidationError("--agency '\(text)': '\(parts[1])' is not a role; use \(AgencyRole.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return Agency(id: try attempt { try Identifier(parts[0]) }, name: parts[2], role: role)
            }
            guard !agencies.isEmpty else { throw ValidationError("Name at least one agency with --agency ID:ROLE:NAME.") }
            let supported = Rules.supported
            guard let place = Jurisdiction(rawValue: jurisdiction) else {
                throw ValidationError("Unknown jurisdiction '\(jurisdiction)'; Haul keeps cases for \(supported.map(\.rawValue).joined(separator: ", ")).")
            }
            // A case under a jurisdiction with no rule packs could never move an item: refused now, not at its first move.
            guard supported.contains(place) else {
                throw ValidationError("Haul ships no rule packs and price tables for \(place.rawValue) yet; it keeps cases for \(supported.map(\.rawValue).joined(separator: ", ")).")
            }
            let operation = Case(reference: try attempt { try Identifier(reference) }, jurisdiction: place, operationName: self.operation,
                                 openedOn: try argument("opened") { try CalendarDate(parsing: opened) }, agencies: agencies, seizures: [])
            let record = try attempt { try register.casework(actor: recorded.actor, creating: true).open(operation) }
            recorded.report("Opened case \(reference) (\(place.rawValue)) in \(register.shown)",
                            ["case": reference, "recorded": "opened", "jurisdiction": place.rawValue, "event": record.sequence, "hash": record.hash])
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the cases in the register.")
        @OptionGroup var register: RegisterOptions
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let cases = try attempt { try register.openExisting().list() }
            if json {
                print(Output.json(cases.map { ["case": $0.reference.value, "jurisdiction": $0.jurisdiction, "openedOn": $0.openedOn, "items": $0.items, "events": $0.events, "version": $0.version] as [String: Any] }))
                return
            }
            guard !cases.isEmpty else {
                // On a unit's register a user sees only the cases their role may read.
                print(PostgresLocation.isURL(register.path)
                      ? "The register \(register.shown) has no cases that you may see (haul case open, haul import; an investigator sees the cases of their own agency)."
                      : "The register \(register.shown) has no cases yet (haul case open, haul import).")
                return
            }
            print("\(Output.pad("Case", 18)) \(Output.pad("Where", 7)) \(Output.pad("Opened", 11)) \(Output.pad("Items", 6)) Events")
            for listing in cases {
                print("\(Output.pad(listing.reference.value, 18)) \(Output.pad(listing.jurisdiction, 7)) \(Output.pad(listing.openedOn, 11)) \(Output.pad(String(listing.items), 6)) \(listing.events)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "A case at a glance: values by kind and basis, statuses, the next deadlines, the confiscation position, the items by kind.",
            discussion: "Values are those recorded by the last `haul value --save` or `haul revalue`; the confiscation position is worked out from the case's chain as of --on (default today). Fits an 80-column terminal; --json for scripts. Reads only."
        )
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "Count deadlines from this date, and work out the confiscation position as of it (YYYY-MM-DD; default today).") var on: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var tableOptions: TableOptions
        @Flag(help: "Print the result as JSON.") var json = false

        func run() throws {
            let store = try register.openExisting()
            let today = try on.map { text in try argument("on") { try CalendarDate(parsing: text) } } ?? DueReport.today()
            let stored = try attempt { try store.load(try Identifier(reference)) }
            let operation = try ConfiscationCommand.withFigures(stored, asOf: today, store: store, tables: tableOptions)
            let rules = try Rules.book(operation.jurisdiction)
            let glance = CaseGlance(operation: operation, standings: CaseStanding.of(operation, rules: rules), rules: rules, today: today)
            let provenance = try attempt { try store.provenance(of: operation.reference) }
            if json {
                var value = glance.json
                if !provenance.isEmpty { value["provenance"] = provenance }
                print(Output.json(value))
            } else {
                print(glance.text)
                if !provenance.isEmpty { print("\nProvenance\n" + provenance.map { "  " + $0 }.joined(separator: "\n")) }
            }
        }
    }
}

/// Item standings as JSON.
enum StandingReport {
    static func json(_ standing: ItemStanding) -> [String: Any] {
        var entry: [String: Any] = ["item": standing.item.id.value, "exhibit": standing.item.exhibit.value, "kind": standing.item.kind.rawValue]
        if let regime = standing.regime { entry["regime"] = regime }
        if let state = standing.state { entry["state"] = state.rawValue }
        if let since = standing.since { entry["since"] = since.iso8601 }
        if let deadline = standing.deadline {
            entry["deadline"] = ["due": deadline.due.iso8601, "rule": deadline.rule.value, "source": deadline.source, "verified": deadline.isVerified] as [String: Any]
        }
        if let problem = standing.problem { entry["problem"] = problem }
        if !standing.lateMoves.isEmpty {
            entry["lateMoves"] = standing.lateMoves.map { ["event": $0.sequence, "to": $0.to.rawValue, "at": $0.at.iso8601, "reason": $0.late ?? ""] as [String: Any] }
        }
        return entry
    }
}
