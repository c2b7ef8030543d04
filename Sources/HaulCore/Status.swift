import Foundation

/// Lifecycle states across the regimes Haul tracks (legal.md, "States and transitions").
/// Which moves are allowed between them is data in the rule packs, not here.
public enum State: String, CaseIterable, Sendable, Codable {
    // Civil recovery: cash, listed assets, accounts, cryptoassets.
    /// `seized`: taken, not yet detained; `detained`: held for the initial period (48 hours for cash, s.295(1); 6 hours for listed assets, s.303K).
    case seized, detained
    /// Listed assets: initial detention extended on a senior officer's authority (since 1.1).
    case detentionExtended = "detention-extended"
    /// Detained under a further order of the court (POCA 2002 s.295(2) for cash, s.303L for listed assets, s.303Z32 for cryptoassets).
    case detentionOrder = "detention-order"
    /// A forfeiture notice has been given (for cash, s.297A); the objection period, at least 30 days, runs.
    case forfeitureNotice = "forfeiture-notice"
    /// An objection made the forfeiture notice lapse (s.297C); detention continues.
    case noticeLapsed = "notice-lapsed"
    /// A forfeiture application is made (for cash, s.298); the property stays detained until the proceedings end.
    case forfeitureApplication = "forfeiture-application"
    /// `refused`: the court refused forfeiture, and the appeal window runs (s.299); `forfeited`: forfeited by notice or by order.
    case refused, forfeited
    /// Forfeited, with an appeal window still running before it becomes final. Reserved: no shipped
    /// rule pack uses it (the cash packs run the s.299 appeal window in `forfeited`).
    case appealWindow = "appeal-window"
    /// `final`: forfeiture is final; `released`: released (to its owner, or an account's funds);
    /// `frozen`: an account freezing order is in force (s.303Z3); `expired`: the freezing order expired.
    case final, released, frozen, expired
    /// The account freezing order was set aside.
    case setAside = "set-aside"
    /// Cryptoassets converted into money on the court's order (s.303Z54); still detained.
    case converted
    // Confiscation.
    /// `investigation`: under financial investigation; `restrained`: a restraint order is in force (s.40–41); `convicted`: convicted, and confiscation may follow.
    case investigation, restrained, convicted
    /// The court has timetabled confiscation proceedings.
    case proceedingsTimetabled = "proceedings-timetabled"
    /// A confiscation order is made; the sum is due on the day of the order unless time to pay is allowed (s.11).
    case orderMade = "order-made"
    /// The order's sum is due, with no time to pay allowed (s.11).
    case due
    /// Time to pay allowed, up to 3 months from the order (s.11, orders from 1 June 2015).
    case timeToPay = "time-to-pay"
    /// `extended`: time to pay extended on an in-time application, to at most 6 months from the order
    /// (or, for cryptoassets, detention after the court extended the cap to 3 years, s.303Z32); `paid`:
    /// paid in full; `overdue`: unpaid when due, so interest runs (s.12); `enforcement`: enforcement proceedings.
    case extended, paid, overdue, enforcement
    /// The default term has been activated (s.35); the debt remains.
    case defaultTermActivated = "default-term-activated"
    /// `varied`: the order was reduced because the available amount proved inadequate (s.23); `increased`: the order was increased (s.22).
    case varied, increased
    /// A small balance written off (s.24: under £1,000, caused by exchange-rate movements or other prescribed causes).
    case writtenOff = "written-off"
    /// The confiscation order is satisfied.
    case satisfied
    // US administrative forfeiture.
    /// US: written notice of the forfeiture has been sent (18 U.S.C. 983(a)(1): within 60 days of the seizure, 90 after a state or local turnover).
    case noticeSent = "notice-sent"
    /// US: the period for filing a claim runs (at least 35 days after the notice letter is sent,
    /// 28 CFR 8.9). Reserved: the shipped US pack runs the claim period in `notice-sent`.
    case claimWindow = "claim-window"
    /// US: a claim was filed; the government must file a complaint within 90 days (983(a)(3)(A)) or return the property.
    case claimed
    /// US: the government has filed its forfeiture complaint; forfeiture becomes judicial.
    case complaintFiled = "complaint-filed"
    /// `judicial`: judicial forfeiture proceedings; `returned`: the property was returned to the person
    /// entitled to it; `shared`: the proceeds were shared with the agencies that took part (equitable sharing, 21 U.S.C. 881(e)(3)).
    case judicial, returned, shared
    /// Seized by a state or local agency and turned over for federal forfeiture (since 1.4).
    case adopted
    // Disposal.
    /// `retained`: kept under PACE 1984 s.22(1), as evidence, for examination or for proceedings, so long
    /// as is necessary; `destroyed`: destroyed under a court order or statutory power; `sold`: sold, with the proceeds recorded with the case.
    case retained, destroyed, sold
}

/// When the current state's time limit runs out, and the rule that says so.
public struct Deadline: Hashable, Sendable, Codable {
    /// The instant the period ends, with its zone; a period of days, months or years ends at 23:59:59 local time.
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

    /// A deadline as a rule pack gives it.
    ///
    /// - Parameters:
    ///   - due: The instant the period ends.
    ///   - rule: The rule's identifier in its pack.
    ///   - source: The legal source, e.g. "POCA 2002 s.295(1)".
    ///   - isVerified: False when the pack marks the period unverified.
    ///   - title: What ends, in words, or nil; it is never stored.
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

/// Where an item stands: its state, since when, and its next deadline. Worked out from the chain
/// and the rule packs for export; a register does not keep it.
public struct ItemStatus: Hashable, Sendable, Codable {
    /// The state the item is in.
    public var state: State
    /// When the item's latest status move was made.
    public var since: ZonedDateTime
    /// The earliest end among the periods running in this state; nil when none runs.
    public var nextDeadline: Deadline?

    /// An item's standing.
    ///
    /// - Parameters:
    ///   - state: The state the item is in.
    ///   - since: When its latest status move was made.
    ///   - nextDeadline: The next deadline, or nil when none runs.
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
    /// Its number in the case's chain, shared with the other records and counted from 1.
    public var sequence: Int
    /// When the move was made, with its zone.
    public var at: ZonedDateTime
    /// The ids of the items that moved.
    public var items: [Identifier]
    /// The state the items moved from; nil when not recorded (the case file makes it optional).
    public var from: State?
    /// The state the items moved into.
    public var to: State
    /// The rule pack the move was judged by (e.g. `gb-eaw-cash`); nil in files before 1.1.
    public var regime: Identifier?
    /// The court order or other authority for the move.
    public var authority: String?
    /// Who recorded the move.
    public var actor: String
    /// A note in words; for a correction it says why. Nil when none was given.
    public var note: String?
    /// The hash of the event before it in the chain; nil for the first event.
    public var previousHash: String?
    /// SHA-256 over the event's canonical text and `previousHash`, as 64 lower-case hex digits.
    public var hash: String
    /// For a correction: the sequence number of the earlier event it replaces (its `note` says
    /// why). The earlier event stays in the chain; it is simply no longer in force.
    public var supersedes: Int?
    /// For a move made after the deadline it had to meet (a detention order applied for after the
    /// 48 hours, say): why it was late, as given with `--late`. Nil for a move made in time.
    public var late: String?

    /// A status move with every field given, taken as it is (the hash is not computed or checked).
    ///
    /// - Parameters:
    ///   - sequence: Its number in the case's chain.
    ///   - at: When the move was made.
    ///   - items: The ids of the items that moved.
    ///   - from: The state they moved from, or nil when not recorded.
    ///   - to: The state they moved into.
    ///   - regime: The rule pack the move was judged by, or nil.
    ///   - authority: The court order or other authority for the move, or nil.
    ///   - actor: Who recorded the move.
    ///   - note: A note in words, or nil.
    ///   - previousHash: The hash of the event before it, or nil for the first event.
    ///   - hash: The event's hash.
    ///   - supersedes: For a correction, the sequence number of the event it replaces; nil otherwise.
    ///   - late: Why the move was made after its deadline; nil for a move made in time.
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
