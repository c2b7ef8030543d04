import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulValuation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Move an item (or every item of a seizure) to a new state.",
        discussion: """
        The move is judged by the rule pack of the item's regime in force on its date: a move the \
        pack does not allow is refused with the allowed moves listed; moves that need a court order \
        need --authority; the £1,000 minimum across the seizure is checked where the law sets it. \
        The event is appended to the case's chain.
        """
    )

    @Argument(help: "An item id (or CASE/ITEM), or a seizure id to move all its items.") var target: String
    @Argument(help: "The new state, e.g. detained, detention-order, released.") var state: String
    @Option(help: "When (YYYY-MM-DDThh:mm local time, or with an offset).") var on: String
    @Option(help: "The court order, notice or other authority for the move.") var authority: String?
    @Option(help: "A note for the record.") var note: String?
    @Option(help: "The regime (rule pack) for an item's first move, e.g. cash, listed-assets, cryptoassets, confiscation.") var regime: String?
    @Option(help: "Who records the move (default HAUL_ACTOR or your login).") var actor: String?
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func run() throws {
        guard let to = State(rawValue: state) else {
            throw ValidationError("Unknown state '\(state)'; use one of \(State.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let store = try register.open()
        let (reference, itemIDs) = try attempt { () throws -> (Identifier, [Identifier]) in
            if let found = try store.locate(seizure: target) {
                let operation = try store.load(found.case)
                return (found.case, operation.seizures.first { $0.id == found.seizure }!.items.map(\.id))
            }
            let found = try store.locate(item: target)
            return (found.case, [found.item])
        }
        let operation = try attempt { try store.load(reference) }
        let rules = try Rules.book(operation.jurisdiction)
        let at = try attempt { try ZonedDateTime(local: on, zone: operation.jurisdiction.timeZone) }
        var from: State?
        var pack: RulePack?
        for itemID in itemIDs {
            let seizure = operation.seizures.first { $0.items.contains { $0.id == itemID } }!
            let item = seizure.items.first { $0.id == itemID }!
            let standing = CaseStanding.standing(of: item, in: seizure, events: operation.history, rules: rules)
            let regimeName = standing.history.isEmpty ? (regime ?? standing.regime) : standing.regime
            guard let regimeName, let itemPack = rules.packs[regimeName] else {
                Output.error("haul: \(itemID) has no regime yet; name one with --regime (\(rules.packs.keys.sorted().joined(separator: ", ")))")
                throw ExitCode(1)
            }
            if let pack, pack.id != itemPack.id {
                Output.error("haul: the items move under different regimes (\(pack.regime), \(itemPack.regime)); move them one by one")
                throw ExitCode(1)
            }
            pack = itemPack
            let lifecycle = Lifecycle(pack: itemPack)
            let current = lifecycle.state(after: standing.history)
            if let from, from != current {
                Output.error("haul: the items are in different states (\(from.rawValue), \(current.rawValue)); move them one by one")
                throw ExitCode(1)
            }
            from = current
            let book = try Pricing.book(for: operation.jurisdiction, overlay: tableOptions.overlayURL)
            let value = Thresholds.seizureValue(operation, seizure: seizure, regime: itemPack.regime, rules: rules, book: book)
            _ = try attempt { try lifecycle.check(Move(to: to, at: at, authority: authority), history: standing.history, seizureValue: value) }
        }
        let draft = EventDraft(at: at, items: itemIDs, from: from, to: to, regime: pack!.id, authority: authority, actor: actor ?? defaultActor, note: note)
        let event = try attempt { try store.append(draft, to: reference, recordedAt: Date()) }
        var updated = operation
        updated.history.append(event)
        print("\(itemIDs.map(\.value).joined(separator: ", ")): \(from?.rawValue ?? "") → \(to.rawValue) at \(at.iso8601) (event \(event.sequence) of case \(reference))")
        Self.printNextDeadlines(of: itemIDs, in: updated, rules: rules)
    }

    /// Each item's next deadline after a move (or why none could be worked out).
    static func printNextDeadlines(of itemIDs: [Identifier], in operation: Case, rules: RuleBook) {
        for itemID in itemIDs {
            guard let (seizure, item) = operation.locate(itemID) else { continue }
            let standing = CaseStanding.standing(of: item, in: seizure, events: operation.history, rules: rules)
            if let deadline = standing.deadline {
                print("  \(itemID) next deadline: \(DueReport.when(deadline.due)) — \(deadline.rule) (\(deadline.source))\(deadline.isVerified ? "" : " [unverified]")")
            } else if let problem = standing.problem {
                print("  \(itemID): \(problem)")
            }
        }
    }

}

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show an item's history: every event that names it, with its hash.")

    @Argument(help: "An item id (or CASE/ITEM).") var item: String
    @OptionGroup var register: RegisterOptions

    func run() throws {
        let store = try register.open()
        let found = try attempt { try store.locate(item: item) }
        let all = try attempt { try store.events(of: found.case) }
        let events = all.filter { $0.items.contains(found.item) }
        print("Item \(found.item) of case \(found.case): \(events.count) event\(events.count == 1 ? "" : "s")")
        let supersededBy = StatusEvent.supersededBy(all)
        for event in events {
            let status = event.supersedes.map { "  corrects #\($0)" } ?? ""
            let replaced = supersededBy[event.sequence].map { "  [corrected by #\($0); not in force]" } ?? ""
            print("  #\(event.sequence)  \(event.at.iso8601)  \(event.from?.rawValue ?? "—") → \(event.to.rawValue)\(event.regime.map { "  [\($0)]" } ?? "")\(status)\(replaced)")
            if let authority = event.authority { print("      authority: \(authority)") }
            print("      by \(event.actor)\(event.note.map { ": \($0)" } ?? "")")
            print("      hash \(event.hash)")
        }
    }
}

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every case's event chain; name the first event altered, removed or reordered.",
        discussion: "With --head (a chain head recorded earlier, e.g. from an export) it also detects events cut off the end. Exit 0 when every chain verifies, 1 otherwise."
    )

    @Argument(help: "A case reference (default: every case).") var reference: String?
    @Option(help: "A chain head recorded earlier for this case.") var head: String?
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        if head != nil && reference == nil { throw ValidationError("--head needs the case it belongs to.") }
    }

    func run() throws {
        let store = try register.open()
        let references = try attempt { try reference.map { [try Identifier($0)] } ?? store.list().map(\.reference) }
        var broken = 0
        for reference in references {
            let events = try attempt { try store.events(of: reference) }
            if let problem = EventChain.verify(case: reference, events: events, head: head) {
                print(problem.message)
                broken += 1
            } else {
                print("case \(reference): \(events.count) events verify\(events.last.map { "; head \($0.hash)" } ?? "")")
            }
        }
        if broken > 0 { throw ExitCode(1) }
    }
}
