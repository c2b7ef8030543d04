import Foundation

/// Lifecycle states across the regimes Haul tracks (legal.md, "States and transitions").
/// Which moves are allowed between them is data in the rule packs, not here.
public enum State: String, CaseIterable, Sendable, Codable {
    // Civil recovery: cash, listed assets, accounts, cryptoassets.
    case seized, detained
    /// Listed assets: initial detention extended on a senior officer's authority (since 1.1).
    case detentionExtended = "detention-extended"
    case detentionOrder = "detention-order"
    case forfeitureNotice = "forfeiture-notice"
    case noticeLapsed = "notice-lapsed"
    case forfeitureApplication = "forfeiture-application"
    case refused, forfeited
    case appealWindow = "appeal-window"
    case final, released, frozen, expired
    case setAside = "set-aside"
    case converted
    // Confiscation.
    case investigation, restrained, convicted
    case proceedingsTimetabled = "proceedings-timetabled"
    case orderMade = "order-made"
    case due
    case timeToPay = "time-to-pay"
    case extended, paid, overdue, enforcement
    case defaultTermActivated = "default-term-activated"
    case varied, increased
    case writtenOff = "written-off"
    case satisfied
    // US administrative forfeiture.
    case noticeSent = "notice-sent"
    case claimWindow = "claim-window"
    case claimed
    case complaintFiled = "complaint-filed"
    case judicial, returned, shared
    /// Seized by a state or local agency and turned over for federal forfeiture (since 1.4).
    case adopted
    // Disposal.
    case retained, destroyed, sold
}

/// When the current state's time limit runs out, and the rule that says so.
public struct Deadline: Hashable, Sendable, Codable {
    public var due: ZonedDateTime
    /// The rule's identifier in its pack, e.g. `gb-eaw-cash-initial-detention`.
    public var rule: Identifier
    /// The legal source, e.g. "POCA 2002 s.295(1)".
    public var source: String
    /// False when the pack marks the period unverified.
    public var isVerified: Bool
    /// What ends, in words ("Initial detention ends"), for calendars and reminders; not exported
    /// or stored (it comes from the rule pack each time).
    public var title: String?

    private enum CodingKeys: String, CodingKey { case due, rule, source, isVerified }

    public init(due: ZonedDateTime, rule: Identifier, source: String, isVerified: Bool, title: String? = nil) {
        self.due = due
        self.rule = rule
        self.source = source
        self.isVerified = isVerified
        self.title = title
    }

    /// Whether the period ends at the end of a day (23:59:59 local), as periods of days, months
    /// and years do; hours end at an instant.
    public var endsAtEndOfDay: Bool { due.hour == 23 && due.minute == 59 && due.second == 59 }
}

public struct ItemStatus: Hashable, Sendable, Codable {
    public var state: State
    public var since: ZonedDateTime
    public var nextDeadline: Deadline?

    public init(state: State, since: ZonedDateTime, nextDeadline: Deadline? = nil) {
        self.state = state
        self.since = since
        self.nextDeadline = nextDeadline
    }
}

/// One entry of a case's event chain: a status move of one or more items.
///
/// `hash` is SHA-256 over a canonical encoding of the content and `previousHash`; the
/// register computes and checks it, the case file carries it verbatim.
public struct StatusEvent: Hashable, Sendable, Codable {
    public var sequence: Int
    public var at: ZonedDateTime
    public var items: [Identifier]
    public var from: State?
    public var to: State
    /// The rule pack the move was judged by (e.g. `gb-eaw-cash`); nil in files before 1.1.
    public var regime: Identifier?
    /// The court order or other authority for the move.
    public var authority: String?
    public var actor: String
    public var note: String?
    public var previousHash: String?
    public var hash: String
    /// For a correction: the sequence number of the earlier event it replaces (its `note` says
    /// why). The earlier event stays in the chain; it is simply no longer in force.
    public var supersedes: Int?
    /// For a move made after the deadline it had to meet (a detention order applied for after the
    /// 48 hours, say): why it was late, as given with `--late`. Nil for a move made in time.
    public var late: String?

    public init(sequence: Int, at: ZonedDateTime, items: [Identifier], from: State?, to: State, regime: Identifier? = nil,
                authority: String? = nil, actor: String, note: String? = nil, previousHash: String?, hash: String, supersedes: Int? = nil,
                late: String? = nil) {
        self.sequence = sequence
        self.at = at
        self.items = items
        self.from = from
        self.to = to
        self.regime = regime
        self.authority = authority
        self.actor = actor
        self.note = note
        self.previousHash = previousHash
        self.hash = hash
        self.supersedes = supersedes
        self.late = late
    }

    /// The events in force: each corrected event replaced, where it stood, by its latest
    /// correction. Nothing is removed from the chain; this is the reading statuses and deadlines
    /// follow.
    public static func inForce(_ events: [StatusEvent]) -> [StatusEvent] {
        var result: [StatusEvent] = []
        var position: [Int: Int] = [:]
        for event in events {
            if let target = event.supersedes, let index = position[target] {
                result[index] = event
                position[event.sequence] = index
            } else {
                position[event.sequence] = result.count
                result.append(event)
            }
        }
        return result
    }

    /// The sequence numbers of events a later correction replaced, with the correction's number.
    public static func supersededBy(_ events: [StatusEvent]) -> [Int: Int] {
        var result: [Int: Int] = [:]
        for event in events { if let target = event.supersedes { result[target] = event.sequence } }
        return result
    }
}
