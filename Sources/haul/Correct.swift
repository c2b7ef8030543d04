import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulCases
import HaulStore
import HaulValuation

struct Correct: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
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
    @Option(help: "The correct new state.", completion: Completions.states) var to: String?
    @Option(help: "The correct court order, notice or other authority.") var authority: String?
    @Option(help: ArgumentHelp("Why the corrected move was made after its deadline, when the correction makes it late.", valueName: "reason"))
    var late: String?
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions
    @OptionGroup var tableOptions: TableOptions

    func validate() throws {
        // What is corrected first: an item named where an event belongs is the likelier slip.
        _ = try eventReference()
        if reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--reason must say why the event is corrected.") }
        if on == nil && to == nil && authority == nil { throw ValidationError("Give what was wrong: --on, --to or --authority.") }
        if let late {
            let trimmed = late.trimmingCharacters(in: .whitespacesAndNewlines)
            // Its bounds are checked where it is recorded (MovePlanner), for every caller.
            guard !trimmed.isEmpty else { throw ValidationError("--late needs the reason the move is late.") }
        }
        if let to, State(rawValue: to) == nil {
            throw ValidationError("Unknown state '\(to)'; use one of \(State.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
    }

    /// The case and the event number in `CASE/N`.
    func eventReference() throws -> (reference: String, sequence: Int) {
        guard let slash = event.lastIndex(of: "/"), let sequence = Int(event[event.index(after: slash)...]), sequence > 0 else {
            throw ValidationError("'\(event)' is not an event; write CASE/N, the case and the event's number, e.g. SW-2020-0417/3 (haul history ITEM lists an item's events with their numbers).")
        }
        return (String(event[..<slash]), sequence)
    }

    func run() throws {
        let (caseText, sequence) = try eventReference()
        let work = try register.casework(actor: recorded.actor)
        let reference = try attempt { try Identifier(caseText) }
        let jurisdiction = try attempt { try work.register.jurisdiction(of: reference) }
        let rules = try Rules.book(jurisdiction)
        let book = try Pricing.book(for: jurisdiction, tables: tableOptions)
        let at = try on.map { text in try argument("on") { try ZonedDateTime(local: text, zone: jurisdiction.timeZone) } }
        let request = CorrectionRequest(sequence: sequence, at: at, to: to.flatMap(State.init(rawValue:)), authority: authority, reason: reason, late: late)
        // Every later move of the items is checked again inside the transaction that records it.
        let (original, appended, updated) = try attempt { try work.correct(request, in: reference, rules: rules, valuer: Valuer(book: book)) }
        if recorded.json {
            print(Output.json(Status.json(appended, case: reference, in: updated, rules: rules)))
            return
        }
        print("Event \(sequence) of case \(reference) corrected by event \(appended.sequence): \(original.from?.rawValue ?? "") → \(appended.to.rawValue) at \(appended.at.iso8601)")
        print("  reason: \(reason)")
        if let late = appended.late { print("  recorded as late: \(late)") }
        Status.printNextDeadlines(of: original.items, in: updated, rules: rules)
    }
}
