import Foundation
import HaulCore

/// What an ECF filing carries as its lead document.
public enum ECFAttachment: String, CaseIterable, Sendable {
    /// Haul's own case file (`urn:haul:ns:case:1`): everything Haul knows.
    case haul
    /// The NIEM 6.0 seized-property document.
    case niem
}

/// The court a filing goes to: from the case's proceedings, or named for the filing.
public struct ECFCourt: Sendable, Hashable {
    /// The court's name, as the filing gives it (e.g. "Bristol Crown Court").
    public var name: String
    /// The court's identifier in the receiving system, when it has one.
    public var identifier: String?

    /// Names a court for a filing.
    ///
    /// - Parameters:
    ///   - name: the court's name.
    ///   - identifier: the court's identifier in the receiving system, if it has one.
    public init(name: String, identifier: String? = nil) {
        self.name = name
        self.identifier = identifier
    }
}

/// OASIS LegalXML Electronic Court Filing 5.0: a `filing:FilingMessage` whose lead document
/// carries a validated Haul or NIEM document as an inline base64 `application/xml` rendition.
///
/// ECF 5.0 has no seizure structures of its own and its published schemas import NIEM 4.0 with
/// Windows paths, so Haul does not validate against them at run time. Before publishing it
/// validates the attachment against its own schema, re-reads the wrapper (well-formed, one
/// attachment) and checks that the attachment decodes to exactly the validated bytes. The tests
/// validate the wrapper against corrected ECF 5.0 schemas (`scripts/fix-ecf-schemas.sh`).
///
/// ```swift
/// try ECFExporter().export(operation, court: ECFCourt(name: "Bristol Crown Court"),
///                          attaching: .haul, to: URL(fileURLWithPath: "filing.xml"))
/// ```
public struct ECFExporter: Sendable {
    /// The ECF 5.0 filing namespace, which declares `filing:FilingMessage`.
    public static let filingNamespace = "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0/filing"
    /// The ECF 5.0 core namespace (`ecf:`).
    public static let ecfNamespace = "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0/ecf"
    /// ECF 5.0 is built on NIEM 4.0 and the Justice domain 6.1.
    public static let niemCore4 = "http://release.niem.gov/niem/niem-core/4.0/"
    /// The NIEM Justice domain 6.1 namespace (`j:`), which ECF 5.0 uses.
    public static let justice61 = "http://release.niem.gov/niem/domains/jxdm/6.1/"
    /// The NIEM 4.0 structures namespace (`structures:`), which ECF 5.0 uses.
    public static let structures4 = "http://release.niem.gov/niem/structures/4.0/"
    static let webServicesProfile = "urn:oasis:names:tc:legalxml-courtfiling:schema:xsd:WebServicesMessaging-5.0"

    /// Makes an exporter; it holds no settings.
    public init() {}

    /// Writes the attachment (validated like any export), wraps it, checks the wrapper and
    /// publishes it at `target`. `postedAt` is the message's post date (now, by default).
    public func export(_ operation: Case, court: ECFCourt, attaching attachment: ECFAttachment, to target: URL,
                       postedAt: ZonedDateTime? = nil) throws(HaulXMLError) {
        let attached = try Publishing.temporaryURL(beside: target, "attachment.xml")
        defer { Publishing.discard(attached) }
        let wrapper = try Publishing.temporaryURL(beside: target)
        defer { Publishing.discard(wrapper) }
        switch attachment {
        case .haul: try CaseFileExporter().export(operation, to: attached)
        case .niem: try NIEMExporter().export(operation, to: attached)
        }
        let posted: ZonedDateTime
        if let postedAt { posted = postedAt } else {
            do { posted = try ZonedDateTime(epochSeconds: Int(Date().timeIntervalSince1970), zone: "UTC") } catch {
                throw HaulXMLError(.io, "cannot read the clock for the filing's post date")
            }
        }
        do {
            // The wrapper is complete and closed once the writer has finished.
            let xml = try XMLStreamWriter(path: wrapper.path)
            try ECFWriting(xml: xml, operation: operation, court: court, attachment: attachment, posted: posted).write(attachmentAt: attached.path)
            try xml.finish()
        }
        try Self.checkCarries(wrapper: wrapper.path, attachment: attached.path, displayName: target.path)
        try Publishing.publish(wrapper, as: target, what: "the filing")
    }

    /// Re-reads the wrapper: well-formed, exactly one attachment, and it decodes to the bytes
    /// that were validated.
    static func checkCarries(wrapper: String, attachment: String, displayName: String) throws(HaulXMLError) {
        let collector = Base64Collector()
        // Haul's own wrapper: its attachment is one long base64 text, which the scan for hostile
        // shapes in files from outside would refuse.
        var limits = XMLReadLimits.standard
        limits.scansMarkup = false
        let problems = try SafeXMLStream.run(path: wrapper, displayName: displayName, schema: nil, limits: limits, handlers: [collector])
        guard problems.isEmpty else {
            throw HaulXMLError(.invalidDocument, "the ECF filing Haul wrote is not well-formed, so \(displayName) was not written", diagnostics: problems)
        }
        guard collector.objects.count == 1, let decoded = Data(base64Encoded: collector.objects[0], options: .ignoreUnknownCharacters),
              let original = FileManager.default.contents(atPath: attachment), decoded == original else {
            throw HaulXMLError(.invalidDocument, "the ECF filing does not carry the validated document intact, so \(displayName) was not written")
        }
    }
}

/// Collects the text of every `nc:Base64BinaryObject`.
private final class Base64Collector: XMLEventHandler {
    private(set) var objects: [String] = []
    private var inside = false

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        inside = name == "Base64BinaryObject" && namespace == ECFExporter.niemCore4
        if inside { objects.append("") }
    }

    func text(_ text: String) { if inside { objects[objects.count - 1] += text } }
    func endElement(_ name: String, line: Int) { inside = false }
    var wantsText: Bool { inside }
    var interestingElements: Set<String>? { ["Base64BinaryObject"] }
}

/// The FilingMessage, elements in the order the ECF 5.0 schemas require.
private struct ECFWriting {
    let xml: XMLStreamWriter
    let operation: Case
    let court: ECFCourt
    let attachment: ECFAttachment
    let posted: ZonedDateTime

    func write(attachmentAt path: String) throws(HaulXMLError) {
        try xml.start("filing:FilingMessage", [
            ("xmlns:filing", ECFExporter.filingNamespace), ("xmlns:ecf", ECFExporter.ecfNamespace),
            ("xmlns:nc", ECFExporter.niemCore4), ("xmlns:j", ECFExporter.justice61), ("xmlns:structures", ECFExporter.structures4),
        ])
        try xml.niemIdentification("nc:DocumentIdentification", "haul-\(operation.reference)-\(posted.iso8601)", category: "messageID")
        try xml.niemIdentification("ecf:SendingMDELocationID", "urn:haul")
        try xml.element("ecf:ServiceInteractionProfileCode", ECFExporter.webServicesProfile)
        try writeCourt()
        try xml.start("nc:DocumentPostDate")
        try xml.element("nc:DateTime", posted.iso8601)
        try xml.end()

        try xml.start("filing:FilingLeadDocument", [("structures:id", "lead-document")])
        try xml.element("nc:DocumentCategoryText", "Seized property schedule")
        try xml.element("nc:DocumentDescriptionText", attachment == .haul
                        ? "Haul case file \(operation.reference): seizures, items, valuations with their sources, statuses, deadlines and the event chain"
                        : "NIEM 6.0 seized-property report for case \(operation.reference)")
        try xml.niemIdentification("nc:DocumentIdentification", "1")
        try xml.start("ecf:DocumentAugmentation")
        try xml.start("ecf:DocumentRendition")
        try xml.niemIdentification("nc:DocumentIdentification", "1")
        try xml.start("nc:Attachment", [("structures:id", "attachment-1")])
        try xml.base64Element("nc:Base64BinaryObject", contentsOf: path)
        try xml.element("nc:BinaryDescriptionText", attachment == .haul ? "Haul case file (urn:haul:ns:case:1)" : "NIEM 6.0 seized-property report (urn:haul:ns:niem-seized-property:1)")
        try xml.element("nc:BinaryFormatText", "application/xml")
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        try xml.optionalElement("nc:BinarySizeValue", size.map(String.init))
        try xml.end()
        try xml.end()
        try xml.end()
        try xml.end()

        try xml.start("nc:Case")
        try xml.optionalElement("nc:CaseTitleText", operation.operationName)
        try xml.start("j:CaseAugmentation")
        try writeCourt()
        try xml.end()
        try xml.start("ecf:CaseAugmentation")
        // ECF 5.0's CaseTypeCode list (CaseTypeCode.gc: appellate, bankruptcy, citation, civil,
        // criminal, domestic, juvenile) holds "criminal"; CaseCategoryCode is the type of trial
        // and its list is left to court policy, so Haul sends none.
        try xml.niemIdentification("ecf:CaseTrackingID", operation.reference.value)
        try xml.element("ecf:CaseTypeCode", "criminal")
        // The court's own number when the proceedings record one; Haul's reference otherwise.
        try xml.element("j:CaseNumberText", operation.proceedings?.number ?? operation.reference.value)
        try xml.end()
        try xml.end()
        try xml.end()
    }

    private func writeCourt() throws(HaulXMLError) {
        try xml.start("j:CaseCourt")
        if let identifier = court.identifier { try xml.niemIdentification("nc:OrganizationIdentification", identifier) }
        try xml.element("nc:OrganizationName", court.name)
        try xml.end()
    }

}

/// Checks an ECF 5.0 filing: well-formed and, given the OASIS filing schema, valid against it;
/// exactly one attached document, whose base64 decodes, and which is itself a valid Haul case
/// file or NIEM report (problems in it are named `FILE (attachment):LINE`).
public struct ECFValidator {
    /// The OASIS schema declaring `filing:FilingMessage`, when the user has one (it is not shipped).
    public var filingSchema: CompiledSchema?

    /// Makes a validator.
    ///
    /// - Parameter filingSchema: the OASIS filing schema to validate the wrapper against; with nil
    ///   (the default) the wrapper is only checked to be well-formed. The attachment is checked either way.
    public init(filingSchema: CompiledSchema? = nil) { self.filingSchema = filingSchema }

    /// The `.xsd` under `folder` whose target namespace is ECF 5.0's filing namespace and which
    /// declares `FilingMessage`, compiled; nil when there is none.
    public static func filingSchema(in folder: URL) throws(HaulXMLError) -> CompiledSchema? {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            throw HaulXMLError(.io, "cannot read the folder \(folder.path)")
        }
        for case let file as URL in walker where file.pathExtension == "xsd" {
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                  text.contains("targetNamespace=\"\(ECFExporter.filingNamespace)\""), text.contains("name=\"FilingMessage\"") else { continue }
            return try CompiledSchema(url: file)
        }
        return nil
    }

    /// Checks the filing at `path` and the one document it attaches.
    ///
    /// - Parameters:
    ///   - path: the filing to check.
    ///   - displayName: the name problems cite the file by; the path when nil.
    /// - Returns: Every problem found in the wrapper and in its attachment (named `FILE (attachment)`).
    /// - Throws: `HaulXMLError` when the file is refused unread (unsafe, too large) or cannot be
    ///   opened, or the attachment cannot be unpacked.
    public func validate(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ValidationReport {
        let name = displayName ?? path
        let collector = Base64Collector()
        // A filing's attachment is one long base64 text: the scan for hostile markup ahead of
        // libxml2 stays on, with room for a text as long as the file itself.
        var limits = XMLReadLimits.standard
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        limits.maximumTextBytes = max(limits.maximumTextBytes, size)
        var diagnostics = try SafeXMLStream.run(path: path, displayName: name, schema: filingSchema, limits: limits, handlers: [collector])
        guard !diagnostics.contains(where: { $0.origin == .parser }) else { return ValidationReport(file: name, diagnostics: diagnostics) }
        guard collector.objects.count == 1 else {
            diagnostics.append(XMLDiagnostic(file: name, line: 0, message: "a filing carries one attached document (nc:Base64BinaryObject); this one has \(collector.objects.count)", origin: .semantic))
            return ValidationReport(file: name, diagnostics: diagnostics)
        }
        guard let decoded = Data(base64Encoded: collector.objects[0], options: .ignoreUnknownCharacters) else {
            diagnostics.append(XMLDiagnostic(file: name, line: 0, message: "the attached document is not base64", origin: .semantic))
            return ValidationReport(file: name, diagnostics: diagnostics)
        }
        // In the system's temporary folder: validating writes nothing where the user is.
        let attached = try Publishing.temporaryURL(beside: Publishing.standardOutput, "attachment.xml")
        defer { Publishing.discard(attached) }
        do { try decoded.write(to: attached) } catch { throw HaulXMLError(.io, "cannot unpack the attachment of \(name): \(error.localizedDescription)") }
        let head = String(decoding: decoded.prefix(4096), as: UTF8.self)
        let attachmentName = "\(name) (attachment)"
        var report: ValidationReport
        if head.contains(CaseFileSchema.namespace) {
            report = try CaseFileValidator().validate(fileAt: attached.path, displayName: attachmentName)
            // As for a case file alone: one that carries records must be what they replay to.
            if report.isValid, report.carriesRecords, let problem = try CaseFileReader().ledgerProblem(fileAt: attached.path, displayName: attachmentName) {
                report.diagnostics.append(problem)
            }
        } else {
            report = try NIEMValidator().validate(fileAt: attached.path, displayName: attachmentName)
        }
        return ValidationReport(file: name, diagnostics: diagnostics + report.diagnostics)
    }
}
