import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore
import HaulValuation

struct Correct: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Correct an earlier status move: a new event replaces it; the old one stays in the history.",
        discussion: """
        Events are never edited or deleted. A correction is appended to the chain, names the event \
        it replaces (CASE/N, N as `haul history` numbers it) and takes that event's place when \
        statuses and deadlines are worked out. It repeats the event except for what you give: \
        --on, --to, --authority. Every later move of the same items must still be allowed after \
        the correction, or the correction is refused and nothing is recorded.
        """
    )

    @Argument(help: "The event to correct: CASE/N.") var event: String
    @Option(help: "Why the event is corrected (kept in the record).") var reason: String
    @Option(help: "The correct time of the move (YYYY-MM-DDThh:mm local time, or with an offset).") var on: String?
    @Option(help: "The correct new state.") var to: String?
    @Option(help: "The correct court order, notice or other authority.") var authority: String?
    @Option(help: "Who records the correction (default HAUL_ACTOR or your login).") var actor: String?
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why the event is corrected.") }
        if on == nil && to == nil && authority == nil { throw ValidationError("Give what was wrong: --on, --to or --authority.") }
        _ = try eventReference()
        if let to, State(rawValue: to) == nil {
            throw ValidationError("Unknown state '\(to)'; use one of \(State.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    /// The case and the event number in `CASE/N`.
    func eventReference() throws -> (reference: String, sequence: Int) {
        guard let slash = event.lastIndex(of: "/"), let sequence = Int(event[event.index(after: slash)...]), sequence > 0 else {
            throw ValidationError("'\(event)' is not an event; write CASE/N, e.g. SW-2020-0417/3 (see haul history).")
        }
        return (String(event[..<slash]), sequence)
    }

    func run() throws {
        let (caseText, sequence) = try eventReference()
        let store = try register.open()
        let reference = try attempt { try Identifier(caseText) }
        let operation = try attempt { try store.load(reference) }
        guard let original = operation.history.first(where: { $0.sequence == sequence }) else {
            Output.error("haul: case \(reference) has no event \(sequence) (it has \(operation.history.count))")
            throw ExitCode(1)
        }
        if let later = StatusEvent.supersededBy(operation.history)[sequence] {
            Output.error("haul: event \(sequence) of case \(reference) was already corrected by event \(later); correct event \(later) instead")
            throw ExitCode(1)
        }
        let newState = to.flatMap(State.init(rawValue:)) ?? original.to   // checked in validate()
        let rules = try Rules.book(operation.jurisdiction)
        let at = try on.map { text in try attempt { try ZonedDateTime(local: text, zone: operation.jurisdiction.timeZone) } } ?? original.at
        let newAuthority = authority ?? original.authority
        if at == original.at && newState == original.to && newAuthority == original.authority {
            Output.error("haul: the correction changes nothing in event \(sequence)")
            throw ExitCode(1)
        }
        let candidate = StatusEvent(sequence: (operation.history.last?.sequence ?? 0) + 1, at: at, items: original.items, from: original.from, to: newState,
                                    regime: original.regime, authority: newAuthority, actor: actor ?? defaultActor, note: reason,
                                    previousHash: operation.history.last?.hash, hash: "", supersedes: sequence)
        let events = operation.history + [candidate]
        let book = try Pricing.book(for: operation.jurisdiction, overlay: tableOptions.overlayURL)
        // Replay every move of every item the event names, as the correction leaves them.
        for itemID in original.items {
            guard let (seizure, item) = operation.locate(itemID) else { continue }
            let standing = CaseStanding.standing(of: item, in: seizure, events: events, rules: rules)
            guard let regime = standing.regime, let pack = rules.packs[regime] else { continue }
            let lifecycle = Lifecycle(pack: pack)
            let value = Thresholds.seizureValue(operation, seizure: seizure, regime: pack.regime, rules: rules, book: book)
            for (index, move) in standing.history.enumerated() {
                do {
                    _ = try lifecycle.check(Move(to: move.to, at: move.at, authority: move.authority), history: Array(standing.history[..<index]), seizureValue: value)
                } catch {
                    let which = move.sequence == candidate.sequence ? "the corrected move" : "event \(move.sequence) (→ \(move.to.rawValue) at \(move.at.iso8601))"
                    Output.error("haul: after this correction, \(which) of \(itemID) would not be allowed: \(error); nothing recorded")
                    throw ExitCode(1)
                }
            }
        }
        let draft = EventDraft(at: at, items: original.items, from: original.from, to: newState, regime: original.regime, authority: newAuthority,
                               actor: actor ?? defaultActor, note: reason, supersedes: sequence)
        let appended = try attempt { try store.append(draft, to: reference, recordedAt: Date()) }
        var updated = operation
        updated.history.append(appended)
        print("Event \(sequence) of case \(reference) corrected by event \(appended.sequence): \(original.from?.rawValue ?? "") → \(newState.rawValue) at \(at.iso8601)")
        print("  reason: \(reason)")
        Status.printNextDeadlines(of: original.items, in: updated, rules: rules)
    }
}
