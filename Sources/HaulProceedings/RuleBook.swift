import Foundation
import HaulCore
import HaulData

/// Every rule pack of a jurisdiction, by regime, with the default regime for each item kind.
public struct RuleBook: Sendable {
    public let jurisdiction: Jurisdiction
    public let packs: [String: RulePack]

    /// Loads the shipped packs of `jurisdiction` (`rules/<JURISDICTION>/*/`). Every problem in
    /// every file is returned, as `file:line:column: message`.
    public static func shipped(_ jurisdiction: Jurisdiction) -> (RuleBook, [TableProblem]) {
        load(folder: HaulData.rulesDirectory.appendingPathComponent(jurisdiction.rawValue), displayName: "rules/\(jurisdiction.rawValue)", jurisdiction: jurisdiction)
    }

    public static func load(folder: URL, displayName: String, jurisdiction: Jurisdiction) -> (RuleBook, [TableProblem]) {
        var problems: [TableProblem] = []
        var calendars: [String: WorkingCalendar] = [:]
        var packs: [String: RulePack] = [:]
        let entries = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
        for name in entries where name.hasSuffix(".csv") {
            let (calendar, found) = RulePackLoader.loadCalendar(file: folder.appendingPathComponent(name), displayName: "\(displayName)/\(name)")
            problems += found
            if let calendar { calendars[name] = calendar }
        }
        for name in entries {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder), isFolder.boolValue else { continue }
            let (pack, found) = RulePackLoader.load(folder: folder.appendingPathComponent(name), displayName: "\(displayName)/\(name)") { calendars[$0] }
            problems += found
            if let pack { packs[pack.regime] = pack }
        }
        return (RuleBook(jurisdiction: jurisdiction, packs: packs), problems)
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
