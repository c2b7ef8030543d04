import Foundation
import HaulCore

/// Where one item stands: its regime, state, the event that put it there, and its next deadline.
public struct ItemStanding: Sendable, Hashable {
    /// The item, as the case holds it.
    public var item: Item
    /// The seizure the item belongs to (its seizure time is where periods from the seizure run).
    public var seizure: Seizure
    /// The rule pack judging the item, if it has one.
    public var regime: String?
    /// The item's current state: the pack's initial state until it first moves; nil when no rule pack judges it.
    public var state: State?
    /// When the item's last move in force happened; nil when it has not moved.
    public var since: ZonedDateTime?
    /// The next deadline of the item's current state; nil when it has none or none could be
    /// computed (then `problem` says why).
    public var deadline: Deadline?
    /// Why no deadline could be computed, when one should have been (e.g. a date outside the calendar).
    public var problem: String?
    /// The events in force that name the item, oldest first (corrections in place of what they replaced).
    public var history: [StatusEvent]
    /// Whether the running deadline counts from the seizure itself rather than from a recorded
    /// move (s.295(1): the 48 hours run from the seizure, however late the detention is recorded).
    public var deadlineRunsFromSeizure: Bool = false

    /// The moves in force recorded after the deadline they had to meet, each with its reason.
    public var lateMoves: [StatusEvent] { history.filter { $0.late != nil } }

    /// The move into the current state, when it was recorded later than the seizure its
    /// deadline counts from (worth a warning: the clock did not wait for the record).
    public var moveAfterSeizure: StatusEvent? {
        guard deadlineRunsFromSeizure, let last = history.last, last.at > seizure.seizedAt else { return nil }
        return last
    }
}

/// Statuses and deadlines follow from a case's events and the rule packs; nothing is stored
/// twice. These functions work them out.
public enum CaseStanding {
    /// The standing of every item of `operation` (whose `history` holds its events).
    public static func of(_ operation: Case, rules: RuleBook) -> [ItemStanding] {
        let index = EventIndex(operation.history)
        return operation.seizures.flatMap { seizure in
            seizure.items.map { item in standing(of: item, in: seizure, history: index.events(of: item.id), rules: rules) }
        }
    }

    /// Each item's events in force, worked out once for a whole case (a case can have a million
    /// items: finding them afresh for every item would take quadratic time).
    public struct EventIndex: Sendable {
        private var byItem: [Identifier: [StatusEvent]] = [:]

        /// Indexes a case's status events, keeping only those in force (a corrected event gives way to its correction).
        ///
        /// - Parameter events: the case's status events, as its history holds them.
        public init(_ events: [StatusEvent]) {
            for event in StatusEvent.inForce(events) {
                // Once per item, as filtering the history by item gives it, even if the event names it twice.
                for item in event.items where byItem[item]?.last?.sequence != event.sequence { byItem[item, default: []].append(event) }
            }
        }

        /// The events in force naming `item`, oldest first.
        public func events(of item: Identifier) -> [StatusEvent] { byItem[item] ?? [] }
    }

    /// The standing of `item` given all of the case's status events; it picks out those in force
    /// that name the item (for many items, use an ``EventIndex`` instead).
    ///
    /// - Parameters:
    ///   - item: the item.
    ///   - seizure: the seizure holding it.
    ///   - events: the case's status events, any of them.
    ///   - rules: the rule packs of the case's jurisdiction.
    /// - Returns: Where the item stands: regime, state, since when, and its next deadline.
    public static func standing(of item: Item, in seizure: Seizure, events: [StatusEvent], rules: RuleBook) -> ItemStanding {
        standing(of: item, in: seizure, history: StatusEvent.inForce(events).filter { $0.items.contains(item.id) }, rules: rules)
    }

    /// The standing of `item` given its events in force (from an ``EventIndex``).
    public static func standing(of item: Item, in seizure: Seizure, history: [StatusEvent], rules: RuleBook) -> ItemStanding {
        let pack = self.pack(of: item.kind, history: history, rules: rules)
        var standing = ItemStanding(item: item, seizure: seizure, regime: pack?.regime, state: nil, since: nil, deadline: nil, problem: nil, history: history)
        guard let pack else { return standing }
        let lifecycle = Lifecycle(pack: pack)
        standing.state = lifecycle.state(after: history)
        standing.since = history.last?.at
        // An item never moved is in the pack's initial state; a period that runs from the
        // seizure itself (CAFRA's 60-day notice) runs for it too.
        if let state = standing.state {
            do { standing.deadline = try lifecycle.deadline(in: state, history: history, seizedAt: seizure.seizedAt) } catch {
                standing.problem = ErrorText.forUser(error)
            }
            if let rule = standing.deadline?.rule, let found = pack.deadlines.first(where: { $0.id == rule }), case .seizure = found.anchor {
                standing.deadlineRunsFromSeizure = true
            }
        }
        return standing
    }

    /// The rule pack an item of `kind` stands under: the one its last move named, else its kind's default.
    public static func pack(of kind: ItemKind, history: [StatusEvent], rules: RuleBook) -> RulePack? {
        let regimeID = history.last(where: { $0.regime != nil })?.regime
        return regimeID.flatMap(rules.pack(id:)) ?? rules.defaultRegime(for: kind).flatMap { rules.packs[$0] }
    }

    /// The regime an item of `kind` stands under (see ``pack(of:history:rules:)``).
    public static func regime(of kind: ItemKind, history: [StatusEvent], rules: RuleBook) -> String? {
        pack(of: kind, history: history, rules: rules)?.regime
    }

    /// `item` with its status and next deadline filled in (nil when it has none), for export.
    public static func withStatus(_ item: Item, in seizure: Seizure, index: EventIndex, rules: RuleBook) -> Item {
        var result = item
        let history = index.events(of: item.id)
        // An item never moved has no status to record (a status needs the move's time): skip
        // working out its standing, which is most of an export's items.
        guard !history.isEmpty else {
            result.status = nil
            return result
        }
        let standing = standing(of: item, in: seizure, history: history, rules: rules)
        if let state = standing.state, let since = standing.since {
            result.status = ItemStatus(state: state, since: since, nextDeadline: standing.deadline)
        } else {
            result.status = nil
        }
        return result
    }

    /// The case with each item's status and next deadline filled in, for export.
    public static func withStatuses(_ operation: Case, rules: RuleBook) -> Case {
        var result = operation
        let standings = of(operation, rules: rules)
        var index = 0
        for seizureIndex in result.seizures.indices {
            for itemIndex in result.seizures[seizureIndex].items.indices {
                let standing = standings[index]
                index += 1
                if let state = standing.state, let since = standing.since {
                    result.seizures[seizureIndex].items[itemIndex].status = ItemStatus(state: state, since: since, nextDeadline: standing.deadline)
                } else {
                    result.seizures[seizureIndex].items[itemIndex].status = nil
                }
            }
        }
        return result
    }
}
