import Foundation
import HaulCore
import HaulProceedings
import HaulValuation
import HaulStore

/// A status move asked for: items, the new state, when, and on what authority.
public struct MoveRequest: Sendable {
    /// The items to move; with `seizure`, left empty (every item of the seizure moves, as the
    /// seizure stands when the move is recorded).
    public var items: [Identifier]
    /// A seizure whose items all move.
    public var seizure: Identifier?
    /// The state the items move to.
    public var to: State
    /// When the move happened, with its zone; a move before the items' seizure is refused.
    public var at: ZonedDateTime
    /// The court order or notice reference the move rests on (required where the rule pack says
    /// the move needs one; 1 to 200 characters).
    public var authority: String?
    /// A free-text note recorded with the move (1 to 4000 characters); nil for none.
    public var note: String?
    /// The regime (rule pack) for an item's first move; later moves keep the item's regime, and
    /// naming another for them is refused.
    public var regime: String?
    /// Why the move is made after the deadline it had to meet (required then, refused otherwise).
    public var late: String?

    /// Asks for a move of some items, or of every item of one seizure.
    ///
    /// - Parameters:
    ///   - items: the items to move; empty when `seizure` is given.
    ///   - seizure: a seizure whose items all move, or nil to move only `items`.
    ///   - to: the state the items move to.
    ///   - at: when the move happened.
    ///   - authority: the court order or notice reference the move rests on, if any.
    ///   - note: a note recorded with the move, if any.
    ///   - regime: the regime (rule pack) for an item's first move; for later moves only the
    ///     item's own regime may be named.
    ///   - late: why the move is made after its deadline; only when it is.
    public init(items: [Identifier], seizure: Identifier? = nil, to: State, at: ZonedDateTime, authority: String? = nil, note: String? = nil,
                regime: String? = nil, late: String? = nil) {
        self.items = items
        self.seizure = seizure
        self.to = to
        self.at = at
        self.authority = authority
        self.note = note
        self.regime = regime
        self.late = late
    }
}

/// A correction asked for: the event it replaces, what changes, and why.
public struct CorrectionRequest: Sendable {
    /// The sequence number of the status move to correct (one not already corrected).
    public var sequence: Int
    /// The corrected time of the move; nil keeps the original's.
    public var at: ZonedDateTime?
    /// The corrected state moved to; nil keeps the original's.
    public var to: State?
    /// The corrected authority; nil keeps the original's.
    public var authority: String?
    /// Why the correction is made; recorded as the correcting event's note.
    public var reason: String
    /// Why the corrected move is late, when the correction makes it so (the original's reason is kept otherwise).
    public var late: String?

    /// Asks for a correction of one status move; at least one of `at`, `to` and `authority` must change it.
    ///
    /// - Parameters:
    ///   - sequence: the sequence number of the status move to correct.
    ///   - at: the corrected time, or nil to keep the original's.
    ///   - to: the corrected state, or nil to keep the original's.
    ///   - authority: the corrected authority, or nil to keep the original's.
    ///   - reason: why the correction is made.
    ///   - late: why the corrected move is late, when the correction makes it so.
    public init(sequence: Int, at: ZonedDateTime? = nil, to: State? = nil, authority: String? = nil, reason: String, late: String? = nil) {
        self.sequence = sequence
        self.at = at
        self.to = to
        self.authority = authority
        self.reason = reason
        self.late = late
    }
}

/// Judges moves against the rule packs, for a case as it stands. The rule book, price book and
/// each seizure's threshold value are worked out once per command, never per item.
public struct MovePlanner {
    /// The jurisdiction's rule packs that moves are judged by.
    public let rules: RuleBook
    private let valuer: LazyValuer

    /// Makes a planner with a valuer already made.
    ///
    /// - Parameters:
    ///   - rules: the rule packs moves are judged by.
    ///   - valuer: values items when a seizure's minimum needs it.
    public init(rules: RuleBook, valuer: Valuer) {
        self.rules = rules
        self.valuer = LazyValuer { valuer }
    }

    /// With the valuer made only when a minimum needs it (cash with no figure recorded in the
    /// minimum's currency): most moves never load the price tables.
    public init(rules: RuleBook, valuer: @escaping () throws -> Valuer) {
        self.rules = rules
        self.valuer = LazyValuer(valuer)
    }

    /// A reason for lateness as it will be recorded: trimmed, and within what the case file can
    /// carry (1–4000 characters, no control characters but line breaks and tabs), so that what is
    /// recorded can always be exported.
    static func lateReason(_ text: String?) throws -> String? {
        guard let text else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        try SchemaBounds.longText.check(trimmed, "the reason a move is late")
        return trimmed
    }

    /// The move as an event draft, or the reason it is refused. With `now`, a move dated after
    /// it (beyond a minute's leeway for clocks) is refused: a move is recorded once it happened.
    /// - Parameters:
    ///   - request: the move asked for.
    ///   - operation: the case as it stands in the move's transaction.
    ///   - seizureFigures: the seizures' figures as the register reads them inside the move's
    ///     transaction (`Register.move(_:recordedAt:scope:_:)` in HaulStore); without them, a
    ///     seizure is judged from its items in `operation`, which must then hold them all.
    ///   - actor: who makes the move.
    ///   - now: the time of recording, when moves dated later are to be refused.
    /// - Returns: The event to append.
    /// - Throws: ``CaseworkError`` naming why the move is refused.
    public func plan(_ request: MoveRequest, in operation: Case, seizureFigures: (any SeizureFigures)? = nil, actor: String,
                     now: Date? = nil) throws -> EventDraft {
        if let now { try HappenedCheck.refuse(request.at, now: now, "the move", "a move") }
        var request = request
        request.late = try Self.lateReason(request.late)
        if let authority = request.authority { try SchemaBounds.shortText.check(authority, "--authority") }
        if let note = request.note { try SchemaBounds.longText.check(note, "--note") }
        var anyLate = false
        if let seizure = request.seizure {
            guard let found = operation.seizures.first(where: { $0.id == seizure }) else {
                throw CaseworkError(.notFound, "case \(operation.reference) has no seizure \(seizure)")
            }
            request.items = found.items.map(\.id)
        }
        guard !request.items.isEmpty else { throw CaseworkError(.invalid, "name at least one item to move") }
        var seizureOf: [Identifier: Int] = [:]
        var itemAt: [Identifier: Item] = [:]
        for (index, seizure) in operation.seizures.enumerated() {
            for item in seizure.items { seizureOf[item.id] = index; itemAt[item.id] = item }
        }
        let index = CaseStanding.EventIndex(operation.history)
        var from: State?
        var pack: RulePack?
        var thresholdValues: [String: (value: Money?, conversions: [String])] = [:]
        if let named = request.regime, rules.packs[named] == nil {
            throw CaseworkError(.invalid, "there is no regime '\(named)' for \(rules.jurisdiction.rawValue); use one of \(rules.packs.keys.sorted().joined(separator: ", "))")
        }
        for itemID in request.items {
            guard let seizureIndex = seizureOf[itemID], let item = itemAt[itemID] else {
                throw CaseworkError(.notFound, "case \(operation.reference) has no item \(itemID)")
            }
            let seizure = operation.seizures[seizureIndex]
            if request.at < seizure.seizedAt {
                throw CaseworkError(.notAllowed, "the move of \(itemID) is dated \(request.at.iso8601), before its seizure \(seizure.id) at \(seizure.seizedAt.iso8601); correct the time (or the seizure's)")
            }
            let standing = CaseStanding.standing(of: item, in: seizure, history: index.events(of: itemID), rules: rules)
            // An item's first move chose its regime for good: naming another later is refused, not ignored.
            if !standing.history.isEmpty, let named = request.regime, let chosen = standing.regime, named != chosen {
                throw CaseworkError(.invalid, "\(itemID) moves under the \(chosen) regime (its moves' regime, or its kind's when they name none); --regime \(named) cannot change it")
            }
            let regimeName = standing.history.isEmpty ? (request.regime ?? standing.regime) : standing.regime
            guard let regimeName, let itemPack = rules.packs[regimeName] else {
                throw CaseworkError(.invalid, "\(itemID) has no regime yet; name one with --regime (\(rules.packs.keys.sorted().joined(separator: ", ")))")
            }
            // The regime is chosen by an item's first move; it must be one the law applies to the
            // item's kind (a gold chain is a listed asset, s.303B, not cash, s.289(6)).
            if standing.history.isEmpty && !itemPack.admits(item.kind) {
                let fitting = rules.packs.values.filter { $0.admits(item.kind) }.map(\.regime).sorted()
                throw CaseworkError(.notAllowed, "\(itemID) is \(item.kind.rawValue), which the \(itemPack.regime) regime does not take (\(itemPack.kindsSource ?? "it takes \(itemPack.kinds.map(\.rawValue).sorted().joined(separator: ", "))")); "
                                    + (fitting.isEmpty ? "no regime for \(item.kind.rawValue) ships for \(rules.jurisdiction.rawValue)" : "use --regime \(fitting.joined(separator: " or "))"))
            }
            if let pack, pack.id != itemPack.id {
                throw CaseworkError(.invalid, "the items move under different regimes (\(pack.regime), \(itemPack.regime)); move them one by one")
            }
            pack = itemPack
            let lifecycle = Lifecycle(pack: itemPack)
            let current = lifecycle.state(after: standing.history)
            if let from, from != current {
                throw CaseworkError(.invalid, "the items are in different states (\(from.rawValue), \(current.rawValue)); move them one by one")
            }
            from = current
            let key = "\(seizureIndex) \(itemPack.regime)"
            // Only a move the law sets a minimum for reads the seizure's figures, and only as far
            // as needed to know the minimum is met (all of them when it is not).
            let minimum = lifecycle.minimum(for: request.to, on: request.at.date)
            if minimum == nil {
                thresholdValues[key] = (nil, [])
            } else if thresholdValues[key] == nil {
                // Items making their first move under the named regime count under it.
                let moving = Set(request.items.filter { index.events(of: $0).isEmpty && request.regime == itemPack.regime })
                if let seizureFigures {
                    thresholdValues[key] = try Thresholds.judged(figures: { try seizureFigures.forEach(in: seizure.id, $0) }, seizedAt: seizure.seizedAt,
                                                                 regime: itemPack.regime, moving: moving, enough: minimum, index: index, rules: rules, valuer: valuer.get)
                } else {
                    thresholdValues[key] = try Thresholds.judged(figures: { visit in for item in seizure.items { guard visit(ItemFigures(item)) else { return } } },
                                                             seizedAt: seizure.seizedAt, regime: itemPack.regime, moving: moving, enough: minimum,
                                                             index: index, rules: rules, valuer: valuer.get)
                }
            }
            let judged = thresholdValues[key]!
            do {
                // Of several items some may be late and some not: the reason goes with those that are.
                var move = Move(to: request.to, at: request.at, authority: request.authority)
                if request.late != nil, try lifecycle.lateness(of: move, history: standing.history, seizedAt: seizure.seizedAt) != nil {
                    move.late = request.late
                    anyLate = true
                }
                _ = try lifecycle.check(move, history: standing.history, seizedAt: seizure.seizedAt, seizureValue: judged.value)
            } catch where error.code == .belowThreshold && !judged.conversions.isEmpty {
                // Name the rates the value rests on: the minimum is in pounds, the cash may not be.
                throw CaseworkError(error.code, "\(marked: error.text); converted: \(judged.conversions.joined(separator: "; "))")
            } catch {
                // The rule pack's own code (late, too-early, illegal-move, …) is what a caller acts on.
                throw CaseworkError(error.code, error.text)
            }
        }
        if request.late != nil && !anyLate {
            throw CaseworkError(.notAllowed, "--late was given, but the move to \(request.to.rawValue) at \(request.at.iso8601) is within its period; leave --late out")
        }
        return EventDraft(at: request.at, items: request.items, from: from, to: request.to, regime: pack!.id, authority: request.authority,
                          actor: actor, note: request.note, late: request.late)
    }

    /// A correction as an event draft (with the event it replaces), or the reason it is refused.
    public func correction(_ request: CorrectionRequest, in operation: Case, actor: String) throws -> (original: StatusEvent, draft: EventDraft) {
        var request = request
        request.late = try Self.lateReason(request.late)
        let reference = operation.reference
        guard let original = operation.history.first(where: { $0.sequence == request.sequence }) else {
            throw CaseworkError(.notFound, "case \(reference) has no status move \(request.sequence) (haul history ITEM lists them)")
        }
        if let later = StatusEvent.supersededBy(operation.history)[request.sequence] {
            throw CaseworkError(.invalid, "event \(request.sequence) of case \(reference) was already corrected by event \(later); correct event \(later) instead")
        }
        let newState = request.to ?? original.to
        let at = request.at ?? original.at
        let newAuthority = request.authority ?? original.authority
        if at == original.at && newState == original.to && newAuthority == original.authority {
            throw CaseworkError(.invalid, "the correction changes nothing in event \(request.sequence)")
        }
        // Numbered past every status move loaded, so it can be told apart in the replay below (the
        // register numbers the real event).
        let candidate = StatusEvent(sequence: (operation.history.last?.sequence ?? 0) + 1, at: at, items: original.items, from: original.from, to: newState,
                                    regime: original.regime, authority: newAuthority, actor: actor, note: request.reason,
                                    previousHash: nil, hash: "", supersedes: request.sequence, late: request.late ?? original.late)
        let events = operation.history + [candidate]
        let index = CaseStanding.EventIndex(events)
        var candidateStaysLate = request.late != nil
        // Replay every move of every item the event names, as the correction leaves them. Items are
        // found through one index and each seizure's minimum worked out once (an event can name a
        // whole seizure of thousands of items).
        var located: [Identifier: (Seizure, Item)] = [:]
        for seizure in operation.seizures { for item in seizure.items { located[item.id] = (seizure, item) } }
        var seizureValues: [String: Money?] = [:]
        let figuresOf = Dictionary(operation.seizures.map { ($0.id, $0.items.map(ItemFigures.init)) }, uniquingKeysWith: { first, _ in first })
        for itemID in original.items {
            guard let (seizure, item) = located[itemID] else {
                // Loaded by the event's items; missing only if the chain moved on meanwhile.
                throw CaseworkError(.invalid, "case \(reference) changed while the correction was prepared; run it again")
            }
            if at < seizure.seizedAt {
                throw CaseworkError(.notAllowed, "the corrected move of \(itemID) would be dated \(at.iso8601), before its seizure \(seizure.id) at \(seizure.seizedAt.iso8601)")
            }
            let standing = CaseStanding.standing(of: item, in: seizure, history: index.events(of: itemID), rules: rules)
            guard let regime = standing.regime, let pack = rules.packs[regime] else { continue }
            let lifecycle = Lifecycle(pack: pack)
            for (position, move) in standing.history.enumerated() {
                // Judged as a new move is: only against a minimum the law sets for it, met once part of the seizure meets it.
                var value: Money?
                if let minimum = lifecycle.minimum(for: move.to, on: move.at.date) {
                    let valueKey = "\(seizure.id) \(pack.regime) \(minimum.formatted)"
                    if seizureValues[valueKey] == nil {
                        let figures = figuresOf[seizure.id] ?? []
                        seizureValues[valueKey] = .some(try Thresholds.judged(figures: { visit in for item in figures { guard visit(item) else { return } } },
                                                                          seizedAt: seizure.seizedAt, regime: pack.regime, enough: minimum, index: index,
                                                                          rules: rules, valuer: valuer.get).value)
                    }
                    value = seizureValues[valueKey]!
                }
                let before = Array(standing.history[..<position])
                var judged = Move(to: move.to, at: move.at, authority: move.authority, late: move.late)
                let isCandidate = move.sequence == candidate.sequence
                do {
                    if move.late != nil && !(isCandidate && request.late != nil) {
                        // A reason recorded earlier stays with its move; it is needed only while the move is late.
                        if try lifecycle.lateness(of: judged, history: before, seizedAt: seizure.seizedAt) == nil { judged.late = nil }
                        if isCandidate && judged.late != nil { candidateStaysLate = true }
                    }
                    _ = try lifecycle.check(judged, history: before, seizedAt: seizure.seizedAt, seizureValue: value)
                } catch {
                    let which = isCandidate ? "the corrected move" : "event \(move.sequence) (→ \(move.to.rawValue) at \(move.at.iso8601))"
                    throw CaseworkError(error.code,
                                        "after this correction, \(which) of \(itemID) would not be allowed: \(error: error); nothing recorded")
                }
            }
        }
        let draft = EventDraft(at: at, items: original.items, from: original.from, to: newState, regime: original.regime, authority: newAuthority,
                               actor: actor, note: request.reason, supersedes: request.sequence,
                               late: candidateStaysLate ? candidate.late : nil)
        return (original, draft)
    }
}

/// A valuer made on first use, once.
/// A valuer made on first use, once; a failure to make it is kept too, so it is reported once.
final class LazyValuer {
    private let make: () throws -> Valuer
    private var made: Result<Valuer, any Error>?

    init(_ make: @escaping () throws -> Valuer) { self.make = make }

    func get() throws -> Valuer {
        if let made { return try made.get() }
        let result = Result { try make() }
        made = result
        return try result.get()
    }
}
