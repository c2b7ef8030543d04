import Foundation

/// Legal systems Haul has rules and tables for.
public enum Jurisdiction: String, CaseIterable, Sendable, Codable {
    /// England and Wales.
    case englandAndWales = "GB-EAW"
    /// Scotland, written `GB-SCT` in case files.
    case scotland = "GB-SCT"
    /// Northern Ireland, written `GB-NIR` in case files.
    case northernIreland = "GB-NIR"
    /// The United States, written `US` in case files; Haul's US rules are for federal forfeiture.
    case unitedStates = "US"
    /// The Netherlands, written `NL` in case files.
    case netherlands = "NL"
}

/// An agency's part in a case: `investigating`, `prosecuting`, `seizing` (it seized property)
/// or `enforcing` (it enforces orders).
public enum AgencyRole: String, CaseIterable, Sendable, Codable {
    /// It investigates the offence.
    case investigating
    /// It prosecutes the case in court.
    case prosecuting
    /// It seized property in the case.
    case seizing
    /// It enforces the orders made.
    case enforcing
}

/// An agency taking part in a case, as the case header lists it; a seizure names its seizing
/// agency by `id`.
public struct Agency: Hashable, Sendable, Codable {
    /// The agency's identifier within the case, which a seizure's `agency` refers to.
    public var id: Identifier
    /// The agency's name, e.g. "Avon and Somerset Constabulary" (at most 200 characters).
    public var name: String
    /// What the agency does in the case: investigating, prosecuting, seizing or enforcing.
    public var role: AgencyRole

    /// Creates an agency entry for a case header.
    ///
    /// - Parameters:
    ///   - id: The agency's identifier within the case.
    ///   - name: The agency's name (at most 200 characters).
    ///   - role: What the agency does in the case.
    public init(id: Identifier, name: String, role: AgencyRole) {
        self.id = id
        self.name = name
        self.role = role
    }
}

/// The legal power an item was seized under.
public enum SeizurePower: String, CaseIterable, Sendable, Codable {
    /// Seizure of cash under the Proceeds of Crime Act 2002, s.294 (civil recovery, Part 5).
    case pocaCash = "poca-s294-cash"
    /// Seizure of listed assets (precious metals and stones, watches, artistic works, vouchers,
    /// postage stamps) under the Proceeds of Crime Act 2002, s.303J.
    case pocaListedAsset = "poca-s303J-listed-asset"
    /// Seizure of cryptoassets under the Proceeds of Crime Act 2002, s.303Z21.
    case pocaCryptoasset = "poca-s303Z21-cryptoasset"
    /// Seizure of realisable property under the Proceeds of Crime Act 2002, s.47C.
    case pocaRestraint = "poca-s47C-restraint"
    /// The general power of seizure in the Police and Criminal Evidence Act 1984, s.19.
    case paceSection19 = "pace-s19"
    /// Search upon arrest under the Police and Criminal Evidence Act 1984, s.32.
    case paceSection32 = "pace-s32"
    /// The powers to search and obtain evidence in the Misuse of Drugs Act 1971, s.23.
    case misuseOfDrugsSection23 = "mda-s23"
    /// A search warrant, whose reference a seizure can record in `warrantReference`.
    case warrant
    /// A seizure under United States federal law.
    case usFederalSeizure = "us-federal-seizure"
    /// A power not listed here.
    case other
}

/// One seizure: when, where, under what power, by whom, and what was taken.
public struct Seizure: Hashable, Sendable, Codable {
    /// The seizure's identifier within the case.
    public var id: Identifier
    /// When the seizure happened, in local time with its zone; statutory periods such as cash
    /// detention run from it.
    public var seizedAt: ZonedDateTime
    /// Where the seizure happened, in words, e.g. "Flat 2, Bristol" (at most 200 characters).
    public var place: String
    /// The legal power the items were seized under.
    public var power: SeizurePower
    /// The warrant's reference when the seizure was made under one; nil otherwise.
    public var warrantReference: String?
    /// The officer who made the seizure, as the file names them, e.g. "DC 1" (at most 200 characters).
    public var officer: String
    /// The seizing agency's identifier in the case header.
    public var agency: Identifier
    /// The items taken in this seizure, in file order.
    public var items: [Item]

    /// Creates a seizure record.
    ///
    /// - Parameters:
    ///   - id: The seizure's identifier within the case.
    ///   - seizedAt: When the seizure happened, in local time with its zone.
    ///   - place: Where it happened, in words.
    ///   - power: The legal power the items were seized under.
    ///   - warrantReference: The warrant's reference, or nil when there was none.
    ///   - officer: The officer who made the seizure.
    ///   - agency: The seizing agency's identifier in the case header.
    ///   - items: The items taken.
    public init(id: Identifier, seizedAt: ZonedDateTime, place: String, power: SeizurePower, warrantReference: String? = nil,
                officer: String, agency: Identifier, items: [Item]) {
        self.id = id
        self.seizedAt = seizedAt
        self.place = place
        self.power = power
        self.warrantReference = warrantReference
        self.officer = officer
        self.agency = agency
        self.items = items
    }
}

/// A case: its header, seizures, status history and confiscation figures.
///
/// ```swift
/// var operation = Case(reference: "SW-2020-0417", jurisdiction: .englandAndWales,
///                      openedOn: try CalendarDate(parsing: "2020-06-18"), agencies: [...], seizures: [...])
/// operation.totals()   // sums of current valuations by kind and basis
/// ```
public struct Case: Hashable, Sendable, Codable {
    /// The case's reference, e.g. `SW-2020-0417`, by which the register and the `haul` command find it.
    public var reference: Identifier
    /// The legal system whose rule packs and price tables apply to the case.
    public var jurisdiction: Jurisdiction
    /// The operation's name, e.g. "Operation Halite"; nil when it has none (at most 200 characters).
    public var operationName: String?
    /// The day the case was opened (a date with no time of day).
    public var openedOn: CalendarDate
    /// True for demonstration or test cases whose details are made up.
    public var isIllustrative: Bool
    /// A free-text note on the case (at most 4,000 characters); nil for none.
    public var note: String?
    /// The agencies taking part in the case; each seizure names one of them as its seizing agency.
    public var agencies: [Agency]
    /// The seizures, each with the items it took, in file order.
    public var seizures: [Seizure]
    /// The status moves of the event chain, oldest first.
    public var history: [StatusEvent]
    /// The chain's other records (opening, items, people, valuations, confiscation inputs),
    /// oldest first; they share one sequence with `history` (see ``EventChain``).
    public var records: [RecordEvent] = []
    /// The confiscation figures worked out from `confiscationInputs`, as the schedule and exports
    /// show them; nil when not worked out (the register does not store them).
    public var confiscation: ConfiscationFigures?
    /// What the confiscation calculator works from (benefit entries, gifts, payments…).
    public var confiscationInputs: ConfiscationInputs = ConfiscationInputs()
    /// Defendants, suspects, third parties and claimants; items name them in their interests.
    public var people: [Person] = []
    /// The court proceedings, once recorded.
    public var proceedings: Proceedings?

    /// Creates a case; `records` and `proceedings` start empty.
    ///
    /// - Parameters:
    ///   - reference: The case's reference.
    ///   - jurisdiction: The legal system whose rules and price tables apply.
    ///   - operationName: The operation's name, or nil.
    ///   - openedOn: The day the case was opened.
    ///   - isIllustrative: True for a demonstration or test case whose details are made up.
    ///   - note: A free-text note, or nil.
    ///   - agencies: The agencies taking part.
    ///   - seizures: The seizures with their items.
    ///   - history: The status moves of the event chain, oldest first.
    ///   - confiscation: Confiscation figures already worked out, or nil.
    ///   - confiscationInputs: What the confiscation calculator works from.
    ///   - people: Defendants, suspects, third parties and claimants.
    public init(reference: Identifier, jurisdiction: Jurisdiction, operationName: String? = nil, openedOn: CalendarDate,
                isIllustrative: Bool = false, note: String? = nil, agencies: [Agency], seizures: [Seizure],
                history: [StatusEvent] = [], confiscation: ConfiscationFigures? = nil, confiscationInputs: ConfiscationInputs = ConfiscationInputs(),
                people: [Person] = []) {
        self.reference = reference
        self.jurisdiction = jurisdiction
        self.operationName = operationName
        self.openedOn = openedOn
        self.isIllustrative = isIllustrative
        self.note = note
        self.agencies = agencies
        self.seizures = seizures
        self.history = history
        self.confiscation = confiscation
        self.confiscationInputs = confiscationInputs
        self.people = people
    }

    enum CodingKeys: String, CodingKey {
        case reference, jurisdiction, operationName, openedOn, isIllustrative, note, agencies, seizures, history, records, confiscation, confiscationInputs, people
        case proceedings
    }

    /// Decodes a case; a stored case written before `records` or `people` existed gets empty lists.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when a required key is missing or a value is malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        reference = try container.decode(Identifier.self, forKey: .reference)
        jurisdiction = try container.decode(Jurisdiction.self, forKey: .jurisdiction)
        operationName = try container.decodeIfPresent(String.self, forKey: .operationName)
        openedOn = try container.decode(CalendarDate.self, forKey: .openedOn)
        isIllustrative = try container.decode(Bool.self, forKey: .isIllustrative)
        note = try container.decodeIfPresent(String.self, forKey: .note)
        agencies = try container.decode([Agency].self, forKey: .agencies)
        seizures = try container.decode([Seizure].self, forKey: .seizures)
        history = try container.decode([StatusEvent].self, forKey: .history)
        records = try container.decodeIfPresent([RecordEvent].self, forKey: .records) ?? []
        confiscation = try container.decodeIfPresent(ConfiscationFigures.self, forKey: .confiscation)
        confiscationInputs = try container.decode(ConfiscationInputs.self, forKey: .confiscationInputs)
        // Registers written before people were recorded have no such key.
        people = try container.decodeIfPresent([Person].self, forKey: .people) ?? []
        proceedings = try container.decodeIfPresent(Proceedings.self, forKey: .proceedings)
    }

    /// Every item of every seizure, in file order.
    public var items: [Item] { seizures.flatMap(\.items) }

    /// The item with `id` and the seizure holding it.
    public func locate(_ id: Identifier) -> (seizure: Seizure, item: Item)? {
        for seizure in seizures { if let item = seizure.items.first(where: { $0.id == id }) { return (seizure, item) } }
        return nil
    }

    /// Changes the item with `id` in place; false when the case has no such item.
    @discardableResult
    public mutating func updateItem(_ id: Identifier, _ change: (inout Item) throws -> Void) rethrows -> Bool {
        for seizureIndex in seizures.indices {
            if let itemIndex = seizures[seizureIndex].items.firstIndex(where: { $0.id == id }) {
                try change(&seizures[seizureIndex].items[itemIndex])
                return true
            }
        }
        return false
    }

    /// The hash of the newest event of either kind: every export carries it so truncation can
    /// be proved later.
    public var chainHead: String? {
        switch (history.last, records.last) {
        case let (event?, record?): event.sequence > record.sequence ? event.hash : record.hash
        case let (event?, nil): event.hash
        case let (nil, record?): record.hash
        case (nil, nil): nil
        }
    }

    /// The whole chain, status moves and records, by sequence.
    public var chain: [EventChain.Link] { EventChain.merged(history, records) }

    /// Sums of current valuations by kind, basis and currency, upper bounds left out, in a
    /// stable order (kind, basis, currency).
    ///
    /// Each figure is rounded to its currency's minor unit before it is added, so that a total
    /// equals the sum of the figures printed or exported beside it.
    public func totals() -> [ValuationTotal] {
        struct Key: Hashable { var kind: ItemKind; var basis: ValuationBasis; var currency: Currency }
        var sums: [Key: ValuationTotal] = [:]
        var order: [Key] = []
        for item in items {
            for exact in item.valuations where !exact.isUpperBound {
                var valuation = exact
                valuation.low = exact.low.rounded()
                valuation.central = exact.central.rounded()
                valuation.high = exact.high.rounded()
                let key = Key(kind: item.kind, basis: valuation.basis, currency: valuation.currency)
                if var total = sums[key] {
                    total.itemCount += 1
                    total.low = Money(total.low.amount + valuation.low.amount, key.currency)
                    total.central = Money(total.central.amount + valuation.central.amount, key.currency)
                    total.high = Money(total.high.amount + valuation.high.amount, key.currency)
                    sums[key] = total
                } else {
                    sums[key] = ValuationTotal(kind: item.kind, basis: valuation.basis, itemCount: 1,
                                               low: valuation.low, central: valuation.central, high: valuation.high)
                    order.append(key)
                }
            }
        }
        let kindOrder = Dictionary(uniqueKeysWithValues: ItemKind.allCases.enumerated().map { ($1, $0) })
        let basisOrder = Dictionary(uniqueKeysWithValues: ValuationBasis.allCases.enumerated().map { ($1, $0) })
        return order.sorted {
            (kindOrder[$0.kind]!, basisOrder[$0.basis]!, $0.currency.code) < (kindOrder[$1.kind]!, basisOrder[$1.basis]!, $1.currency.code)
        }.map { sums[$0]! }
    }
}
