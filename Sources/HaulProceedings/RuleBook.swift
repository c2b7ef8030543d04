import Foundation
import HaulCore

/// Every rule pack of a jurisdiction, by regime, with the default regime for each item kind.
public struct RuleBook: Sendable {
    /// The jurisdiction whose rule packs these are.
    public let jurisdiction: Jurisdiction
    /// The rule packs, keyed by regime (`cash`, `listed-assets`, `confiscation`, `cafra`, …).
    public let packs: [String: RulePack]

    /// A book of `packs`, by regime (as `HaulTables` reads them from a folder of packs).
    public init(jurisdiction: Jurisdiction, packs: [String: RulePack]) {
        self.jurisdiction = jurisdiction
        self.packs = packs
    }

    /// The regime an item falls under when none is named: cash under the cash rules, listed
    /// assets (watches, jewellery and precious metals) under chapter 3A, cryptoassets under 3C–3F;
    /// in the US, CAFRA for everything. Other items need a regime named (e.g. confiscation).
    public func defaultRegime(for kind: ItemKind) -> String? {
        switch (jurisdiction, kind) {
        case (.unitedStates, _): return packs["cafra"] != nil ? "cafra" : nil
        case (_, .cash): return "cash"
        case (_, .watch), (_, .jewellery): return "listed-assets"
        case (_, .cryptoasset): return "cryptoassets"
        // Everything else ends in a disposal decision: drugs, vehicles and the items never valued.
        case (_, .drug), (_, .vehicle), (_, .firearm), (_, .ammunition), (_, .phone), (_, .document), (_, .other):
            return packs["disposal"] != nil ? "disposal" : nil
        }
    }

    /// The pack whose id is `id` (as events record it).
    public func pack(id: Identifier) -> RulePack? { packs.values.first { $0.id == id } }
}
