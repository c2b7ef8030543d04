import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulPostgres
import HaulStore
import HaulValuation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Move an item (or every item of a seizure) to a new state.",
        discussion: """
        The move is judged by the rule pack of the item's regime in force on its date: a move the \
        pack does not allow is refused with the allowed moves listed; moves that need a court order \
        need --authority; the £1,000 minimum across the seizure is checked where the law sets it. \
        The event is appended to the case's chain.
        """
    )

    @Argument(help: "An item id (or CASE/ITEM), or a seizure id to move all its items.", completion: Completions.items) var target: String
    @Argument(help: "The new state, e.g. detained, detention-order, released.", completion: Completions.states) var state: String
    @Option(help: "When (YYYY-MM-DDThh:mm local time, or with an offset).") var on: String
    @Option(help: "The court order, notice or other authority for the move.") var authority: String?
    @Option(help: "A note for the record.") var note: String?
    @Option(help: "The regime (rule pack) for an item's first move, e.g. cash, listed-assets, cryptoassets, confiscation.", completion: Completions.regimes) var regime: String?
    @Option(help: ArgumentHelp("Why the move is made after the deadline it had to meet; a late move is refused without it.", valueName: "reason"))
    var late: String?
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        if let late {
            let trimmed = late.trimmingCharacters(in: .whitespacesAndNewlines)
            // Its bounds are checked where it is recorded (MovePlanner), for every caller.
            guard !trimmed.isEmpty else { throw ValidationError("--late needs the reason the move is late.") }
        }
    }

    func run() throws {
        guard let to = State(rawValue: state) else {
            throw ValidationError("Unknown state '\(state)'; use one of \(State.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let work = try register.casework(actor: recorded.actor)
        let (reference, itemIDs, seizure): (Identifier, [Identifier], Identifier?)
        if let found = try attempt({ try work.register.locate(seizure: target) }) {
            (reference, itemIDs, seizure) = (found.case, [], found.seizure)
        } else {
            let found = try locateItem(work.register, target)
            (reference, itemIDs, seizure) = (found.case, [found.item], nil)
        }
        let jurisdiction = try attempt { try work.register.jurisdiction(of: reference) }
        let rules = try Rules.book(jurisdiction)
        let at = try argument("on") { try ZonedDateTime(local: on, zone: jurisdiction.timeZone) }
        // Checked against the rule pack inside the transaction that records the move.
        // A seizure's items are the ones it holds when the move is recorded, inside its transaction.
        let request = MoveRequest(items: itemIDs, seizure: seizure, to: to, at: at, authority: authority, note: note, regime: regime, late: late)
        // The price tables are read only if a minimum needs cash converted (most moves judge recorded figures, or none).
        let tables = tableOptions
        let (event, updated) = try attempt { try work.move(request, in: reference, rules: rules, lazyValuer: { Valuer(book: try Pricing.book(for: jurisdiction, tables: tables)) }) }
        if recorded.json {
            print(Output.json(Self.json(event, case: reference, in: updated, rules: rules)))
            return
        }
        print("\(event.items.map(\.value).joined(separator: ", ")): \(event.from?.rawValue ?? "") → \(to.rawValue) at \(at.iso8601) (event \(event.sequence) of case \(reference))")
        if let late = event.late { print("  recorded as late: \(late)") }
        Self.printNextDeadlines(of: event.items, in: updated, rules: rules)
    }

    /// A recorded move as JSON: the event and each item's next deadline.
    static func json(_ event: StatusEvent, case reference: Identifier, in operation: Case, rules: RuleBook) -> [String: Any] {
        var value: [String: Any] = ["case": reference.value, "event": event.sequence, "items": event.items.map(\.value), "to": event.to.rawValue,
                                    "at": event.at.iso8601, "hash": event.hash]
        if let from = event.from { value["from"] = from.rawValue }
        if let late = event.late { value["late"] = late }
        if let corrects = event.supersedes { value["corrects"] = corrects }
        value["standings"] = standings(of: event.items, in: operation, rules: rules).map { StandingReport.json($0.standing) }
        return value
    }

    /// Where each moved item now stands, in the order named. Indexed once: a seizure's move
    /// names thousands of items, and finding each one's seizure and moves by search took most of
    /// a 10,000-item move (measured 1.1 of 1.5 s).
    static func standings(of itemIDs: [Identifier], in operation: Case, rules: RuleBook) -> [(id: Identifier, seizure: Seizure, standing: ItemStanding)] {
        let events = CaseStanding.EventIndex(operation.history)
        var located: [Identifier: (Seizure, Item)] = [:]
        for seizure in operation.seizures { for item in seizure.items { located[item.id] = (seizure, item) } }
        return itemIDs.compactMap { itemID in
            guard let (seizure, item) = located[itemID] else { return nil }
            return (itemID, seizure, CaseStanding.standing(of: item, in: seizure, history: events.events(of: itemID), rules: rules))
        }
    }

    /// Each item's next deadline after a move (or why none could be worked out).
    static func printNextDeadlines(of itemIDs: [Identifier], in operation: Case, rules: RuleBook) {
        for (itemID, seizure, standing) in standings(of: itemIDs, in: operation, rules: rules) {
            if let deadline = standing.deadline {
                print("  \(itemID) next deadline: \(DueReport.when(deadline.due)) — \(deadline.rule) (\(deadline.source))\(deadline.isVerified ? "" : " [unverified]")")
                if let move = standing.moveAfterSeizure {
                    Output.error("haul: warning: \(itemID) was seized at \(seizure.seizedAt.iso8601); \(deadline.rule) counts from the seizure, not from this move recorded \(DueReport.interval(from: seizure.seizedAt, to: move.at)) later")
                }
            } else if let problem = standing.problem {
                print("  \(itemID): \(problem)")
            }
        }
    }

}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "history", abstract: "Show an item's status moves: every move that names it, with its number and hash (other changes to it are in the case's records: haul export carries them all).")

    @Argument(help: "An item id (or CASE/ITEM).", completion: Completions.items) var item: String
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var register: RegisterOptions

    func run() throws {
        let store = try register.openExisting()
        let found = try locateItem(store, item)
        let all = try attempt { try store.events(of: found.case) }
        let events = all.filter { $0.items.contains(found.item) }
        let supersededByEvent = StatusEvent.supersededBy(all)
        if json {
            print(Output.json(["case": found.case.value, "item": found.item.value, "events": events.map { event -> [String: Any] in
                var entry: [String: Any] = ["sequence": event.sequence, "at": event.at.iso8601, "to": event.to.rawValue, "actor": event.actor, "hash": event.hash]
                if let from = event.from { entry["from"] = from.rawValue }
                if let regime = event.regime { entry["regime"] = regime.value }
                if let authority = event.authority { entry["authority"] = authority }
                if let note = event.note { entry["note"] = note }
                if let late = event.late { entry["late"] = late }
                if let corrects = event.supersedes { entry["corrects"] = corrects }
                if let later = supersededByEvent[event.sequence] { entry["correctedBy"] = later }
                return entry
            }] as [String: Any]))
            return
        }
        print("Item \(found.item) of case \(found.case): \(events.count) event\(events.count == 1 ? "" : "s")")
        let supersededBy = supersededByEvent
        for event in events {
            let status = event.supersedes.map { "  corrects #\($0)" } ?? ""
            let replaced = supersededBy[event.sequence].map { "  [corrected by #\($0); not in force]" } ?? ""
            print("  #\(event.sequence)  \(event.at.iso8601)  \(event.from?.rawValue ?? "—") → \(event.to.rawValue)\(event.regime.map { "  [\($0)]" } ?? "")\(status)\(replaced)")
            if let authority = event.authority { print("      authority: \(authority)") }
            if let late = event.late { print("      late: \(late)") }
            print("      by \(event.actor)\(event.note.map { ": \($0)" } ?? "")")
            print("      hash \(event.hash)")
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check the register: every case's chain, its rows, and that no case was removed.",
        discussion: """
        Each chain (status moves and every other record) is recomputed and the first event \
        altered, removed, inserted or reordered is named; each case's stored state and item index \
        must equal what its records replay to; the register log must still list every case. With \
        --head (a chain head recorded earlier, e.g. from an export) it also detects events cut off \
        the end. Exit 0 when everything verifies, 1 otherwise. Reads only.
        """
    )

    @Argument(help: "A case reference (default: every case).", completion: Completions.cases) var reference: String?
    @Option(help: "A chain head recorded earlier for this case.") var head: String?
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if head != nil && reference == nil { throw ValidationError("--head needs the case it belongs to.") }
    }

    func run() throws {
        let store = try register.openExisting()
        let only = try reference.map { text in try attempt { try Identifier(text) } }
        let audit = try attempt { try store.audit(only, head: head) }
        if json {
            print(Output.json(["clean": audit.isClean, "registerProblems": audit.registerProblems.map { "\($0)" },
                               "cases": audit.cases.map { result -> [String: Any] in
                                   var entry: [String: Any] = ["case": result.reference.value, "events": result.events]
                                   if let problem = result.problem { entry["problem"] = problem }
                                   if let head = result.head { entry["head"] = head }
                                   return entry
                               }] as [String: Any]))
            if !audit.isClean { throw ExitCode(1) }
            return
        }
        for problem in audit.registerProblems { print(problem) }
        if audit.cases.isEmpty && audit.registerProblems.isEmpty {
            print(PostgresLocation.isURL(register.path) ? "No case that you may see in \(register.shown); nothing to verify." : "No case in \(register.shown); nothing to verify.")
        }
        for result in audit.cases {
            print(result.problem ?? "case \(result.reference): \(result.events) event\(result.events == 1 ? "" : "s") verif\(result.events == 1 ? "ies" : "y"), rows equal the replay\(result.head.map { "; head \($0)" } ?? "")")
        }
        if !audit.isClean { throw ExitCode(1) }
    }
}
