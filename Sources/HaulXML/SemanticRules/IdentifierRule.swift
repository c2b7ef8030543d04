import Foundation

/// Identifiers unique (agencies, seizures, items, exhibits, people) and every reference
/// resolving: a seizure's agency, an interest's person, the proceedings' defendants (who must
/// be people listed as defendants), an event's items.
///
/// One per read of a file: the item and exhibit tables are shared by reference, so a copy of
/// the rule would share them while its other tables went their own way.
struct IdentifierRule: ~Copyable {
    private var agencyIDs: Set<String> = []
    private var seizureIDs: [String: Int] = [:]
    // Items and exhibits can number a million: kept as 64-bit fingerprints (8 bytes each), so
    // memory stays flat; the line of a first use is found again only when a duplicate turns up.
    private let itemIDs: FingerprintSet
    private let exhibits: FingerprintSet
    /// Duplicated items and exhibits, reported with the line of their first use at the end.
    private(set) var duplicates: [(what: String, id: String, line: Int)] = []
    private var agencyReferences: [(id: String, line: Int)] = []
    private var itemReferences: [(id: String, line: Int)] = []
    private var personIDs: Set<String> = []
    private var personReferences: [(id: String, line: Int)] = []
    /// Each person's role, for the proceedings' defendants.
    private var personRoles: [String: String] = [:]
    private var defendantReferences: [(id: String, line: Int)] = []

    init(expectedItems: Int) {
        itemIDs = FingerprintSet(expectedCount: expectedItems)
        exhibits = FingerprintSet(expectedCount: expectedItems)
    }

    mutating func agency(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if let id = attributes["id"], !agencyIDs.insert(id).inserted { report.add(line, "agency id '\(id)' is used twice") }
    }

    mutating func seizure(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if let id = attributes["id"] {
            if let first = seizureIDs[id] {
                report.add(line, "seizure id '\(id)' is used again; it was first used on line \(first)")
            } else {
                seizureIDs[id] = line
            }
        }
        if let agency = attributes["agency"] { agencyReferences.append((agency, line)) }
    }

    mutating func item(_ attributes: XMLAttributes, line: Int) {
        if let id = attributes["id"], !itemIDs.insert(id) { duplicates.append(("item id", id, line)) }
        if let exhibit = attributes["exhibit"], !exhibits.insert(exhibit) { duplicates.append(("exhibit reference", exhibit, line)) }
    }

    mutating func person(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if let id = attributes["id"], !personIDs.insert(id).inserted { report.add(line, "person id '\(id)' is used twice") }
        if let id = attributes["id"], let role = attributes["role"] { personRoles[id] = role }
    }

    mutating func defendant(_ attributes: XMLAttributes, line: Int) {
        if let person = attributes["person"] { defendantReferences.append((person, line)) }
    }

    mutating func interest(_ attributes: XMLAttributes, line: Int) {
        if let person = attributes["person"] { personReferences.append((person, line)) }
    }

    /// An event's `items`: identifiers separated by white space.
    mutating func eventItems(_ text: String, line: Int) {
        for id in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            itemReferences.append((String(id), line))
        }
    }

    /// At the end of the case: the references that resolve to nothing.
    func finish(_ report: inout SemanticReport) {
        for reference in agencyReferences where !agencyIDs.contains(reference.id) {
            report.add(reference.line, "the seizure names agency '\(reference.id)', which the header does not list")
        }
        for reference in personReferences where !personIDs.contains(reference.id) {
            report.add(reference.line, "the interest names person '\(reference.id)', which the case's people do not list")
        }
        var defendantsSeen: Set<String> = []
        for reference in defendantReferences {
            if !defendantsSeen.insert(reference.id).inserted {
                report.add(reference.line, "the proceedings name defendant '\(reference.id)' twice")
            } else if let role = personRoles[reference.id] {
                if role != "defendant" { report.add(reference.line, "the proceedings name '\(reference.id)' as a defendant, but the case's people list them as \(role)") }
            } else {
                report.add(reference.line, "the proceedings name defendant '\(reference.id)', whom the case's people do not list")
            }
        }
        for reference in itemReferences where !itemIDs.contains(reference.id) {
            report.add(reference.line, "the event names item '\(reference.id)', which is not in the case")
        }
    }
}
