import Foundation
import HaulCore
import HaulData

/// Haul's NIEM 6.0 seized-property profile: namespaces, the shipped schemas, and what the
/// profile's code lists allow.
///
/// The profile's schemas live in `schemas/niem/`: a subset of NIEM 6.0 (Core, Justice, the UCR
/// drug categories and ISO 4217 currency codes) and `haul-seized-property.xsd`, the extension
/// schema with the document root `haul:SeizedPropertyReport`. `schemas/README.md` maps each Haul
/// field to its NIEM element.
public enum NIEMProfile {
    /// The namespace of Haul's extension schema, whose root is `haul:SeizedPropertyReport`.
    public static let namespace = "urn:haul:ns:niem-seized-property:1"
    /// The NIEM 6.0 Core namespace (`nc:`).
    public static let niemCore = "https://docs.oasis-open.org/niemopen/ns/model/niem-core/6.0/"
    /// The NIEM 6.0 Justice domain namespace (`j:`).
    public static let justice = "https://docs.oasis-open.org/niemopen/ns/model/domains/justice/6.0/"
    /// The NIEM 6.0 namespace of the ISO 4217 currency code list.
    public static let currencyCodes = "https://docs.oasis-open.org/niemopen/ns/model/codes/iso_4217/6.0/"
    /// The NIEM 6.0 structures namespace (`structures:id`, `structures:ref`).
    public static let structures = "https://docs.oasis-open.org/niemopen/ns/model/structures/6.0/"
    static let schemaInstance = "http://www.w3.org/2001/XMLSchema-instance"

    private static let lock = NSLock()
    nonisolated(unsafe) private static var cachedCurrencies: Set<String>?

    /// The profile's extension schema (with the NIEM subset it imports), compiled once per process.
    public static func shippedSchema() throws(HaulXMLError) -> CompiledSchema {
        try CompiledSchema.shared(HaulData.niemProfileSchema)
    }

    /// The ISO 4217 codes the profile's currency list allows, read from the shipped schema so the
    /// list lives in one place.
    public static func allowedCurrencies() throws(HaulXMLError) -> Set<String> {
        lock.lock()
        defer { lock.unlock() }
        if let cachedCurrencies { return cachedCurrencies }
        let url = HaulData.niemProfileSchema.deletingLastPathComponent().appendingPathComponent("codes/iso_4217.xsd")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw HaulXMLError(.schemaUnavailable, "cannot read \(url.path): check that Haul is installed completely")
        }
        var codes = Set<String>()
        for line in text.split(separator: "\n") {
            guard let start = line.range(of: "<xs:enumeration value=\"") else { continue }
            codes.insert(String(line[start.upperBound...].prefix(3)))
        }
        cachedCurrencies = codes
        return codes
    }

    /// The FBI UCR drug category NIEM's `j:DrugCategoryCode` takes for each substance Haul
    /// prices. MDMA, ecstasy and ketamine have no category of their own: UCR files MDMA under
    /// other hallucinogens; ketamine goes to OTHER_DRUGS rather than guess. The substance itself
    /// is always written as well, in `nc:SubstanceCategoryText`.
    public static func drugCategory(_ substance: Substance) -> String {
        switch substance {
        case .cocaine: return "COCAINE"
        case .crackCocaine: return "CRACK_COCAINE"
        case .heroin: return "HEROIN"
        case .methamphetamine, .amphetamine: return "AMPHETAMINES-METHAMPHETAMINES"
        case .mdma, .ecstasy: return "OTHER_HALLUCINOGENS"
        case .cannabisHerbal, .cannabisPlant: return "MARIJUANA"
        case .cannabisResin: return "HASHISH"
        case .lsd: return "LSD"
        case .ketamine: return "OTHER_DRUGS"
        }
    }

    /// The statute behind each seizure power, for `j:ItemSeizureMethodText`.
    public static func powerText(_ power: SeizurePower) -> String {
        let statute: String
        switch power {
        case .pocaCash: statute = "Proceeds of Crime Act 2002, s.294 (seizure of cash)"
        case .pocaListedAsset: statute = "Proceeds of Crime Act 2002, s.303J (seizure of listed assets)"
        case .pocaCryptoasset: statute = "Proceeds of Crime Act 2002, s.303Z21 (seizure of cryptoassets)"
        case .pocaRestraint: statute = "Proceeds of Crime Act 2002, s.47C (seizure of realisable property)"
        case .paceSection19: statute = "Police and Criminal Evidence Act 1984, s.19 (general power of seizure)"
        case .paceSection32: statute = "Police and Criminal Evidence Act 1984, s.32 (search upon arrest)"
        case .misuseOfDrugsSection23: statute = "Misuse of Drugs Act 1971, s.23 (powers to search and obtain evidence)"
        case .warrant: statute = "search warrant"
        case .usFederalSeizure: statute = "United States federal seizure"
        case .other: statute = "another power (see the case file)"
        }
        return "\(power.rawValue): \(statute)"
    }

    /// The `structures:id` of an item: Haul identifiers may start with a digit, which an
    /// `xs:ID` may not, so every item id gets the same prefix.
    public static func itemID(_ item: Identifier) -> String { "item-\(item.value)" }
}

/// Writes a case as one NIEM 6.0 seized-property document (``NIEMProfile``), elements in the
/// schemas' sequence order. Use ``NIEMExporter`` to publish one: it validates first.
public struct NIEMWriter: Sendable {
    /// Makes a writer; it holds no settings.
    public init() {}

    /// Writes `operation` to `path`. Items are taken with the statuses already on them; the
    /// custody history comes from the case's event chain (events in force only).
    public func write(_ operation: Case, toPath path: String) throws(HaulXMLError) {
        let xml = try XMLStreamWriter(path: path)
        try NIEMWriting(xml: xml, operation: operation).write()
        try xml.finish()
    }
}

/// Checks, writes, validates and only then publishes a NIEM export.
///
/// ```swift
/// try NIEMExporter().export(operation, to: URL(fileURLWithPath: "SW-2020-0417.niem.xml"))
/// ```
public struct NIEMExporter: Sendable {
    /// Makes an exporter; it holds no settings.
    public init() {}

    /// Writes the case beside `target`, validates it against the profile schemas and only then
    /// renames it into place; an invalid document is deleted and never replaces the target.
    ///
    /// - Parameters:
    ///   - operation: the case to export, its items carrying their statuses.
    ///   - target: where the document is published.
    /// - Throws: `HaulXMLError`: `.invalidDocument` for an item valued in a currency NIEM 6.0's
    ///   ISO 4217 list lacks, or a document that does not validate (with its problems); or the
    ///   reason it could not be written or published.
    public func export(_ operation: Case, to target: URL) throws(HaulXMLError) {
        try Self.checkCurrencies(operation)
        let temporary = try Publishing.temporaryURL(beside: target)
        defer { Publishing.discard(temporary) }
        try NIEMWriter().write(operation, toPath: temporary.path)
        let report = try NIEMValidator().validate(fileAt: temporary.path, displayName: target.path)
        guard report.isValid else {
            throw HaulXMLError(.invalidDocument, "the NIEM export of \(operation.reference) did not validate against the profile schemas, so \(target.path) was not written", diagnostics: report.diagnostics)
        }
        try Publishing.publish(temporary, as: target)
    }

    /// A currency NIEM's ISO 4217 list lacks (a code newer than NIEM 6.0, say) is named before
    /// anything is written, rather than left to a schema message listing 165 codes.
    static func checkCurrencies(_ operation: Case) throws(HaulXMLError) {
        let allowed = try NIEMProfile.allowedCurrencies()
        for item in operation.items {
            guard let figure = item.currentValuation, !allowed.contains(figure.central.currency.code) else { continue }
            throw HaulXMLError(.invalidDocument, "item \(item.id) is valued in \(figure.central.currency.code), which is not in NIEM 6.0's ISO 4217 code list; revalue it in another currency or export Haul's own case file")
        }
    }
}

/// Validates a NIEM seized-property document: the profile schemas (libxml2, streaming) and the
/// references between its elements, which XSD cannot check.
public struct NIEMValidator: Sendable {
    /// The bounds on size, depth and prolog a file must stay within to be read at all.
    public var limits: XMLReadLimits
    private let schema: CompiledSchema?

    /// Validates against `schema`, or the shipped profile schema when nil.
    public init(schema: CompiledSchema? = nil, limits: XMLReadLimits = .standard) {
        self.schema = schema
        self.limits = limits
    }

    /// Validates the document at `path` against the profile schemas and checks its references,
    /// in one streaming read.
    ///
    /// - Parameters:
    ///   - path: the document to validate.
    ///   - displayName: the name problems cite the file by; the path when nil.
    /// - Returns: Every problem found, in line order (only the parser's when it is not well-formed).
    /// - Throws: `HaulXMLError` when the schema cannot be loaded, or the file is refused unread
    ///   (unsafe, too large) or cannot be opened.
    public func validate(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ValidationReport {
        let name = displayName ?? path
        let schema: CompiledSchema
        if let given = self.schema { schema = given } else { schema = try NIEMProfile.shippedSchema() }
        let references = NIEMReferenceCheck(file: name)
        let diagnostics = try SafeXMLStream.run(path: path, displayName: name, schema: schema, limits: limits, handlers: [references])
        if diagnostics.contains(where: { $0.origin == .parser }) {
            return ValidationReport(file: name, diagnostics: diagnostics.filter { $0.origin == .parser })
        }
        return ValidationReport(file: name, diagnostics: (diagnostics + references.finish()).sorted { $0.line < $1.line })
    }
}

/// The semantic pass of a NIEM document: every `structures:ref` must name a `structures:id` in
/// the same document, ids must be unique, an evidence record must point at a seized item, and
/// the report must not be nil.
final class NIEMReferenceCheck: XMLEventHandler {
    private let file: String
    private static let idKey = "{\(NIEMProfile.structures)}id"
    private static let refKey = "{\(NIEMProfile.structures)}ref"
    private static let nilKey = "{\(NIEMProfile.schemaInstance)}nil"
    /// id → (element local name, line).
    private var targets: [String: (element: String, line: Int)] = [:]
    private var references: [(id: String, element: String, line: Int)] = []
    private var diagnostics: [XMLDiagnostic] = []

    init(file: String) { self.file = file }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        // NDR 6.0 rule 9-94 makes the document element nillable, so the schema lets a nil report
        // through; it carries no case, and Haul refuses it.
        if name == "SeizedPropertyReport", namespace == NIEMProfile.namespace,
           let isNil = attributes[Self.nilKey]?.trimmingCharacters(in: .whitespaces), isNil == "true" || isNil == "1" {
            diagnostics.append(XMLDiagnostic(file: file, line: line, message: "the report is nil (xsi:nil): it carries no case, seizure or item", origin: .semantic))
        }
        if let id = attributes[Self.idKey] {
            if let first = targets[id] {
                diagnostics.append(XMLDiagnostic(file: file, line: line, message: "structures:id '\(id)' is used twice (first at line \(first.line))", origin: .semantic))
            } else {
                targets[id] = (name, line)
            }
        }
        if let ref = attributes[Self.refKey] { references.append((ref, name, line)) }
    }

    func text(_ text: String) {}
    func endElement(_ name: String, line: Int) {}
    var wantsText: Bool { false }
    /// Only elements with attributes can carry ids and references, and those are always passed on.
    var interestingElements: Set<String>? { [] }

    /// The problems found, once the whole document has been read.
    func finish() -> [XMLDiagnostic] {
        for reference in references {
            guard let target = targets[reference.id] else {
                diagnostics.append(XMLDiagnostic(file: file, line: reference.line, message: "\(reference.element) has structures:ref '\(reference.id)', but no element in the document has that structures:id", origin: .semantic))
                continue
            }
            if reference.element == "EvidenceItem", target.element != "ItemSeizureItem" {
                diagnostics.append(XMLDiagnostic(file: file, line: reference.line, message: "EvidenceItem points at '\(reference.id)', a \(target.element) (line \(target.line)), not a seized item", origin: .semantic))
            }
        }
        return diagnostics
    }
}

/// The element-by-element layout of the NIEM document, in the order the schemas require.
private struct NIEMWriting {
    let xml: XMLStreamWriter
    let operation: Case

    func write() throws(HaulXMLError) {
        try xml.start("haul:SeizedPropertyReport", [
            ("xmlns:haul", NIEMProfile.namespace), ("xmlns:nc", NIEMProfile.niemCore), ("xmlns:j", NIEMProfile.justice),
            ("xmlns:iso_4217", NIEMProfile.currencyCodes), ("xmlns:structures", NIEMProfile.structures),
            ("xmlns:xsi", NIEMProfile.schemaInstance),
        ])
        try writeCase()
        for seizure in operation.seizures { try write(seizure) }
        // Each item's events in force, gathered in one pass (a case can hold many items and events).
        var eventsByItem: [Identifier: [StatusEvent]] = [:]
        for event in StatusEvent.inForce(operation.history) {
            for id in event.items { eventsByItem[id, default: []].append(event) }
        }
        for item in operation.items {
            guard let events = eventsByItem[item.id] else { continue }
            try xml.start("j:Evidence")
            try xml.element("j:EvidenceItem", "", [("structures:ref", NIEMProfile.itemID(item.id))])
            for event in events { try writeCustodyTransfer(event) }
            try xml.end()
        }
        try xml.end()
    }

    private func writeCase() throws(HaulXMLError) {
        try xml.start("nc:Case")
        try date("nc:ActivityDate", operation.openedOn)
        var description = ["Jurisdiction \(operation.jurisdiction.rawValue)."]
        if operation.isIllustrative { description.append("Illustrative case: not real people or property.") }
        if let note = operation.note { description.append(note) }
        try xml.element("nc:ActivityDescriptionText", description.joined(separator: " "))
        try xml.optionalElement("nc:CaseTitleText", operation.operationName)
        try xml.element("nc:CaseTrackingID", operation.reference.value)
        try xml.end()
    }

    private func write(_ seizure: Seizure) throws(HaulXMLError) {
        try xml.start("j:ItemSeizure")
        try xml.niemIdentification("nc:ActivityIdentification", seizure.id.value)
        try xml.start("nc:ActivityDate")
        try xml.element("nc:DateTime", seizure.seizedAt.iso8601)
        try xml.end()
        try xml.start("nc:ActivityLocation")
        try xml.element("nc:LocationDescriptionText", seizure.place)
        try xml.end()
        try xml.element("j:ItemSeizureMethodText", NIEMProfile.powerText(seizure.power))
        for item in seizure.items { try write(item) }
        if let warrant = seizure.warrantReference {
            try xml.start("j:ItemSeizureWarrant")
            try xml.niemIdentification("nc:ActivityIdentification", warrant)
            try xml.end()
        }
        if let agency = operation.agencies.first(where: { $0.id == seizure.agency }) {
            try xml.start("j:ItemSeizingEntity")
            try xml.start("nc:EntityOrganization")
            try xml.element("nc:OrganizationAbbreviationText", agency.id.value)
            try xml.element("nc:OrganizationName", agency.name)
            try xml.end()
            try xml.end()
        }
        try xml.start("j:ItemSeizingEnforcementOfficial")
        try xml.start("nc:PersonName")
        try xml.element("nc:PersonFullName", seizure.officer)
        try xml.end()
        try xml.end()
        try xml.end()
    }

    /// One seized item: the `nc:ItemType` part first (shared by every kind), then the part of the
    /// derived type (vehicle, drug).
    private func write(_ item: Item) throws(HaulXMLError) {
        let type: String?
        switch item.details {
        case .vehicle: type = "nc:VehicleType"
        case .drug: type = "nc:DrugType"
        case .nonValued(.firearm): type = "j:FirearmType"
        default: type = nil
        }
        try xml.start("j:ItemSeizureItem", [("structures:id", NIEMProfile.itemID(item.id)), ("xsi:type", type)])
        if case .watch(let watch) = item.details { try xml.element("nc:ItemBrandName", watch.brand) }
        try xml.element("nc:ItemCategoryText", item.kind.rawValue)
        try xml.optionalElement("nc:ItemDescriptionText", item.description)
        try xml.optionalElement("nc:ItemDescriptionText", Self.summary(item.details))
        switch item.details {
        case .vehicle(let vehicle):
            try xml.element("nc:ItemMakeName", vehicle.make)
            try xml.element("nc:ItemModelName", vehicle.model)
            try xml.element("nc:ItemModelYearDate", String(format: "%04d", vehicle.year))
        case .watch(let watch):
            try xml.element("nc:ItemModelName", watch.model)
        default: break
        }
        try xml.niemIdentification("nc:ItemOtherIdentification", item.exhibit.value, category: "exhibit")
        switch item.details {
        case .vehicle(let vehicle):
            if let registration = vehicle.registration { try xml.niemIdentification("nc:ItemOtherIdentification", registration, category: "registration mark") }
        case .watch(let watch):
            if let reference = watch.referenceNumber { try xml.niemIdentification("nc:ItemOtherIdentification", reference, category: "manufacturer's reference") }
            if let serial = watch.serialNumber { try xml.niemIdentification("nc:ItemSerialIdentification", serial) }
        default: break
        }
        if let figure = item.currentValuation { try write(figure) }
        switch item.details {
        case .vehicle(let vehicle):
            if let vin = vehicle.vin { try xml.niemIdentification("nc:VehicleIdentification", vin) }
        case .drug(let drug):
            try xml.element("j:DrugCategoryCode", NIEMProfile.drugCategory(drug.substance))
            try xml.element("nc:SubstanceCategoryText", drug.substance.rawValue)
            try xml.start("nc:SubstanceQuantityMeasure")
            switch drug.quantity {
            case .mass(let mass):
                try xml.element("nc:MeasureDecimalValue", DecimalText.plain(mass.value))
                try xml.element("nc:MeasureUnitText", mass.unit.rawValue)
            case .count(let count):
                try xml.element("nc:MeasureDecimalValue", String(count.count))
                try xml.element("nc:MeasureUnitText", count.unit.rawValue)
            }
            try xml.end()
            try xml.element("nc:SubstanceCompositionDescriptionText", Self.composition(drug))
        default: break
        }
        try xml.end()
    }

    /// The central figure with its currency; the basis, range and sources go in the description
    /// (NIEM has no element for them).
    private func write(_ figure: Valuation) throws(HaulXMLError) {
        try xml.start("nc:ItemValue")
        try xml.start("nc:ItemValueAmount")
        try xml.element("nc:Amount", figure.central.rounded().amountText)
        try xml.element("iso_4217:CurrencyCode", figure.central.currency.code)
        try xml.end()
        try date("nc:ItemValueDate", figure.valuedOn)
        try xml.element("nc:ItemValueDescriptionText", Self.provenance(figure))
        try xml.end()
    }

    private func writeCustodyTransfer(_ event: StatusEvent) throws(HaulXMLError) {
        try xml.start("j:EvidenceCustodyTransfer")
        try xml.niemIdentification("nc:ActivityIdentification", String(event.sequence), category: "Haul event sequence")
        try xml.start("nc:ActivityDate")
        try xml.element("nc:DateTime", event.at.iso8601)
        try xml.end()
        var description = ["\(event.from?.rawValue ?? "start") to \(event.to.rawValue)"]
        if let regime = event.regime { description.append("regime \(regime)") }
        if let corrected = event.supersedes { description.append("corrects event \(corrected)") }
        if let authority = event.authority { description.append("authority: \(authority)") }
        description.append("recorded by \(event.actor)")
        if let note = event.note { description.append("note: \(note)") }
        if let late = event.late { description.append("recorded after its deadline: \(late)") }
        description.append("chain hash \(event.hash)")
        try xml.element("nc:ActivityDescriptionText", description.joined(separator: "; "))
        try xml.element("j:CustodyTransferActionText", event.to.rawValue)
        try xml.end()
    }

    private func date(_ element: String, _ day: CalendarDate) throws(HaulXMLError) {
        try xml.start(element)
        try xml.element("nc:Date", day.description)
        try xml.end()
    }

    /// What Haul knows of an item that NIEM has no element for, as one line of text.
    static func summary(_ details: ItemDetails) -> String? {
        switch details {
        case .cash(let cash):
            let notes = cash.denominations.map { "\($0.count) × \(DecimalText.plain($0.value)) \($0.form.rawValue)s" }
            return (["\(cash.faceValue.formatted) counted"] + notes).joined(separator: "; ")
        case .watch(let watch):
            return "condition \(watch.condition.rawValue); \(watch.hasBox ? "with" : "without") box; \(watch.hasPapers ? "with" : "without") papers"
        case .vehicle(let vehicle):
            var parts = ["condition \(vehicle.condition.rawValue)", "class \(vehicle.vehicleClass.rawValue)"]
            if let mileage = vehicle.mileage { parts.insert("\(mileage.value) \(mileage.unit.rawValue)", at: 0) }
            return parts.joined(separator: "; ")
        case .jewellery(let jewellery):
            return "\(jewellery.metal.rawValue), fineness \(DecimalText.plain(jewellery.fineness)), \(DecimalText.plain(jewellery.mass.value)) \(jewellery.mass.unit.rawValue)\(jewellery.isGemSet ? ", gem-set" : "")"
        case .cryptoasset(let asset):
            var parts = ["\(DecimalText.plain(asset.units)) \(asset.asset)"]
            if let wallet = asset.wallet { parts.append("wallet: \(wallet)") }
            if let exchange = asset.exchange { parts.append("exchange: \(exchange)") }
            return parts.joined(separator: "; ")
        case .drug(let drug):
            return "form \(drug.form.rawValue)"
        case .nonValued:
            return nil
        }
    }

    /// NIEM has no purity element: the purity and how it was found go in the composition text.
    static func composition(_ drug: DrugItem) -> String {
        guard let purity = drug.purity else { return "purity not measured" }
        return "purity \(DecimalText.plain(purity.percent)) % (\(purity.method.rawValue))"
    }

    static func provenance(_ figure: Valuation) -> String {
        var parts = ["central figure, \(figure.basis.rawValue) basis", "range \(figure.low.rounded().amountText) to \(figure.high.rounded().amountText) \(figure.central.currency.code)"]
        for source in figure.sources {
            parts.append("source \(source.table)\(source.line.map { " line \($0)" } ?? "") [\(source.confidence.mark)] \(source.citation)")
        }
        if let rate = figure.exchangeRate {
            parts.append("1 \(rate.from.code) = \(DecimalText.plain(rate.rate)) \(rate.to.code) on \(rate.date) (\(rate.source))")
        }
        if let index = figure.indexAdjustment {
            parts.append("\(index.index) adjustment \(index.fromPeriod) to \(index.toPeriod), factor \(DecimalText.plain(index.factor))")
        }
        // NIEM has no place for a valuation's warnings either: a reader of the report sees them
        // here, in the words the case file gives them, rather than not at all.
        for warning in figure.warnings {
            parts.append("warning \(warning.code.rawValue): \(warning.message)")
        }
        return parts.joined(separator: "; ")
    }
}
