import Foundation

/// Legal systems Haul has rules and tables for.
public enum Jurisdiction: String, CaseIterable, Sendable, Codable {
    /// England and Wales.
    case englandAndWales = "GB-EAW"
    case scotland = "GB-SCT"
    case northernIreland = "GB-NIR"
    case unitedStates = "US"
    case netherlands = "NL"
}

public enum AgencyRole: String, CaseIterable, Sendable, Codable { case investigating, prosecuting, seizing, enforcing }

public struct Agency: Hashable, Sendable, Codable {
    public var id: Identifier
    public var name: String
    public var role: AgencyRole

    public init(id: Identifier, name: String, role: AgencyRole) {
        self.id = id
        self.name = name
        self.role = role
    }
}

/// The legal power an item was seized under.
public enum SeizurePower: String, CaseIterable, Sendable, Codable {
    case pocaCash = "poca-s294-cash"
    case pocaListedAsset = "poca-s303J-listed-asset"
    case pocaCryptoasset = "poca-s303Z21-cryptoasset"
    case pocaRestraint = "poca-s47C-restraint"
    case paceSection19 = "pace-s19"
    case paceSection32 = "pace-s32"
    case misuseOfDrugsSection23 = "mda-s23"
    case warrant
    case usFederalSeizure = "us-federal-seizure"
    case other
}

/// One seizure: when, where, under what power, by whom, and what was taken.
public struct Seizure: Hashable, Sendable, Codable {
    public var id: Identifier
    public var seizedAt: ZonedDateTime
    public var place: String
    public var power: SeizurePower
    public var warrantReference: String?
    public var officer: String
    /// The seizing agency's identifier in the case header.
    public var agency: Identifier
    public var items: [Item]

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
    public var reference: Identifier
    public var jurisdiction: Jurisdiction
    public var operationName: String?
    public var openedOn: CalendarDate
    /// True for demonstration or test cases whose details are made up.
    public var isIllustrative: Bool
    public var note: String?
    public var agencies: [Agency]
    public var seizures: [Seizure]
    /// The status moves of the event chain, oldest first.
    public var history: [StatusEvent]
    /// The chain's other records (opening, items, people, valuations, confiscation inputs),
    /// oldest first; they share one sequence with `history` (see ``EventChain``).
    public var records: [RecordEvent] = []
    public var confiscation: ConfiscationFigures?
    /// What the confiscation calculator works from (benefit entries, gifts, payments…).
    public var confiscationInputs: ConfiscationInputs = ConfiscationInputs()
    /// Defendants, suspects, third parties and claimants; items name them in their interests.
    public var people: [Person] = []
    /// The court proceedings, once recorded.
    public var proceedings: Proceedings?

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
