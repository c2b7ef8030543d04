import Foundation

/// How a person stands in a case.
public enum PersonRole: String, CaseIterable, Sendable, Codable {
    /// Charged, or to be; confiscation counts only a defendant's interests.
    case defendant
    /// Suspected but not a defendant; confiscation does not count their interests.
    case suspect
    /// Someone else with an interest in an asset: a joint owner, a lender with a charge, a spouse.
    case thirdParty = "third-party"
    /// A claimant in US forfeiture proceedings.
    case claimant
}

/// A person in a case. Names are personal data: Haul prints and logs the id, never the name,
/// except in the case file itself and `haul person list`.
public struct Person: Hashable, Sendable, Codable {
    /// The person's identifier within the case; Haul prints and logs this, never the name.
    public var id: Identifier
    /// How the person stands in the case: defendant, suspect, third party or claimant.
    public var role: PersonRole
    /// The person's name: personal data, shown only in the case file and `haul person list` (at
    /// most 200 characters).
    public var name: String

    /// Creates a person in a case.
    ///
    /// - Parameters:
    ///   - id: The person's identifier within the case.
    ///   - role: How the person stands in the case.
    ///   - name: The person's name.
    public init(id: Identifier, role: PersonRole, name: String) {
        self.id = id
        self.role = role
        self.name = name
    }
}

/// A person's interest in an item.
public enum InterestKind: String, CaseIterable, Sendable, Codable {
    /// A share of the ownership, in percent.
    case owner
    /// A charge or security for an amount (a lender's finance on a car).
    case charge
    /// A claim not yet decided (a spouse claiming the watch); recorded, not deducted.
    case claim
}

/// Who holds what in an item: owners' shares, charges, claims.
public struct Interest: Hashable, Sendable, Codable {
    /// The person holding the interest, by their identifier among the case's people.
    public var person: Identifier
    /// Whether the interest is a share of ownership, a charge or an undecided claim.
    public var kind: InterestKind
    /// For an owner: the share in percent (0 < p ≤ 100).
    public var percent: FixedDecimal?
    /// For a charge: the amount secured.
    public var amount: Money?
    /// A free-text remark on the interest; nil for none.
    public var note: String?

    /// Creates an interest in an item.
    ///
    /// - Parameters:
    ///   - person: The person holding the interest.
    ///   - kind: Ownership, a charge or a claim.
    ///   - percent: For an owner, the share in percent; otherwise nil.
    ///   - amount: For a charge, the amount secured; otherwise nil.
    ///   - note: A remark, or nil.
    public init(person: Identifier, kind: InterestKind, percent: FixedDecimal? = nil, amount: Money? = nil, note: String? = nil) {
        self.person = person
        self.kind = kind
        self.percent = percent
        self.amount = amount
        self.note = note
    }
}

extension Case {
    /// The share of `item` its defendants own, in percent, when owners are recorded (nil otherwise).
    public func defendantsShare(of item: Item) -> FixedDecimal? {
        let owners = item.interests.filter { $0.kind == .owner }
        guard !owners.isEmpty else { return nil }
        let defendants = Set(people.filter { $0.role == .defendant }.map(\.id))
        return owners.filter { defendants.contains($0.person) }.reduce(FixedDecimal(0)) { $0 + ($1.percent ?? 0) }
    }
}

/// The proceedings a case is brought in: the court, the case or indictment number, the
/// defendants (people of the case), the prosecuting authority, and the dates of conviction and
/// of the confiscation hearing where known. The schedule, the statement and an ECF filing take
/// their title of proceedings from here.
public struct Proceedings: Hashable, Sendable, Codable {
    /// The court's name, as the title of proceedings gives it (at most 200 characters).
    public var court: String
    /// The court's identifier in the receiving system (an ECF filing's court id).
    public var courtID: String?
    /// The case or indictment number.
    public var number: String?
    /// The case's people who are the defendants, in the order the title names them.
    public var defendants: [Identifier]
    /// The prosecuting authority; nil when not recorded.
    public var prosecutor: String?
    /// The date of conviction; nil when not known.
    public var convictedOn: CalendarDate?
    /// The date of the confiscation hearing; nil when not known.
    public var hearingOn: CalendarDate?

    /// Creates a record of the proceedings.
    ///
    /// - Parameters:
    ///   - court: The court's name.
    ///   - courtID: The court's identifier in the receiving system, or nil.
    ///   - number: The case or indictment number, or nil.
    ///   - defendants: The case's people who are the defendants, in title order.
    ///   - prosecutor: The prosecuting authority, or nil.
    ///   - convictedOn: The date of conviction, or nil.
    ///   - hearingOn: The date of the confiscation hearing, or nil.
    public init(court: String, courtID: String? = nil, number: String? = nil, defendants: [Identifier] = [], prosecutor: String? = nil,
                convictedOn: CalendarDate? = nil, hearingOn: CalendarDate? = nil) {
        self.court = court
        self.courtID = courtID
        self.number = number
        self.defendants = defendants
        self.prosecutor = prosecutor
        self.convictedOn = convictedOn
        self.hearingOn = hearingOn
    }

    private enum CodingKeys: String, CodingKey { case court, courtID, number, defendants, prosecutor, convictedOn, hearingOn }

    /// Stored compactly, as items are: the defendants only when there are some.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(court, forKey: .court)
        try container.encodeIfPresent(courtID, forKey: .courtID)
        try container.encodeIfPresent(number, forKey: .number)
        if !defendants.isEmpty { try container.encode(defendants, forKey: .defendants) }
        try container.encodeIfPresent(prosecutor, forKey: .prosecutor)
        try container.encodeIfPresent(convictedOn, forKey: .convictedOn)
        try container.encodeIfPresent(hearingOn, forKey: .hearingOn)
    }

    /// Decodes proceedings; a stored form without `defendants` has none.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when `court` is missing or a value is malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(court: try container.decode(String.self, forKey: .court), courtID: try container.decodeIfPresent(String.self, forKey: .courtID),
                  number: try container.decodeIfPresent(String.self, forKey: .number),
                  defendants: try container.decodeIfPresent([Identifier].self, forKey: .defendants) ?? [],
                  prosecutor: try container.decodeIfPresent(String.self, forKey: .prosecutor),
                  convictedOn: try container.decodeIfPresent(CalendarDate.self, forKey: .convictedOn),
                  hearingOn: try container.decodeIfPresent(CalendarDate.self, forKey: .hearingOn))
    }

    /// How the title of proceedings names the prosecution in `jurisdiction`: the Crown in
    /// England and Wales and in Northern Ireland, HM Advocate in Scotland, the United States in a
    /// federal case; elsewhere the defendants alone.
    public static func prosecution(in jurisdiction: Jurisdiction) -> String? {
        switch jurisdiction {
        case .englandAndWales, .northernIreland: return "R v"
        case .scotland: return "HM Advocate v"
        case .unitedStates: return "United States v."
        case .netherlands: return nil
        }
    }

    /// Refuses text the case file could not carry (each a ShortText).
    public func checkBounds() throws(HaulCoreError) {
        let text = SchemaBounds.shortText
        try text.check(court, "the court")
        if let courtID { try text.check(courtID, "the court's identifier") }
        if let number { try text.check(number, "the case number") }
        if let prosecutor { try text.check(prosecutor, "the prosecuting authority") }
    }

    /// Refuses a defendant who is not a person of `operation` recorded as a defendant.
    public func checkDefendants(in operation: Case) throws(HaulCoreError) {
        for id in defendants {
            guard let person = operation.people.first(where: { $0.id == id }) else {
                throw HaulCoreError(.inconsistent, "case \(operation.reference) has no person \(id); add them with haul person add --role defendant")
            }
            guard person.role == .defendant else {
                throw HaulCoreError(.inconsistent, "\(id) is recorded as \(person.role.rawValue), not as a defendant")
            }
        }
        if Set(defendants).count != defendants.count { throw HaulCoreError(.inconsistent, "a defendant is named twice") }
    }
}
