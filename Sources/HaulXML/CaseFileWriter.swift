import Foundation
import HaulCore

/// Writes a case as a Haul case file (schema `urn:haul:ns:case:1`), streamed to the file.
///
/// Money is written rounded to its currency's minor unit by `Rounding.halfAwayFromZero`
/// (the one rounding, at export); totals are computed from the items' valuations here, so the
/// file's totals always add up.
///
/// Use ``CaseFileExporter`` to publish a file: it validates before anything reaches the target.
public struct CaseFileWriter: Sendable {
    /// Makes a writer; it holds no settings.
    public init() {}

    /// Writes `operation` to `path`, replacing what is there. Does not validate. With `signedAt`,
    /// the file records when it is being signed (the signature then covers it).
    public func write(_ operation: Case, toPath path: String, signedAt: ZonedDateTime? = nil, progress: ((Int) -> Void)? = nil) throws(HaulXMLError) {
        let xml = try XMLStreamWriter(path: path)
        var writing = CaseWriting(xml: xml, signedAt: signedAt)
        writing.progress = progress
        try writing.write(operation)
        try xml.finish()
    }
}

/// Publishes case files: write beside the target, validate (schema and semantic pass), then
/// rename into place. An invalid document is deleted and never replaces the target.
///
/// ```swift
/// try CaseFileExporter().export(operation, to: URL(fileURLWithPath: "case.xml"))
/// ```
public struct CaseFileExporter: Sendable {
    /// Validates each file written (schema and semantic pass) before it is published.
    public var validator: CaseFileValidator

    /// Makes an exporter.
    ///
    /// - Parameter validator: checks each file before it is published (the shipped case-file schema unless given).
    public init(validator: CaseFileValidator = CaseFileValidator()) { self.validator = validator }

    /// Writes, validates and publishes; with `signer`, signs the validated file (enveloped
    /// XML signature) and validates the signed file again before it is published.
    ///
    /// - Throws: `HaulXMLError`: `.invalidDocument` for a file that does not validate (nothing
    ///   is published); `.io` when the file cannot be written.
    public func export(_ operation: Case, to target: URL, signer: XMLSigner? = nil, progress: ((Int) -> Void)? = nil) throws(HaulXMLError) {
        let temporary = try Publishing.temporaryURL(beside: target)
        defer { Publishing.discard(temporary) }
        try CaseFileWriter().write(operation, toPath: temporary.path, signedAt: signer?.signedAt, progress: progress)
        let report = try validator.validate(fileAt: temporary.path, displayName: target.path)
        guard report.isValid else {
            throw HaulXMLError(.invalidDocument, "the case file for \(operation.reference) did not validate, so \(target.path) was not written", diagnostics: report.diagnostics)
        }
        if let signer {
            let signed = try signer.sign(fileAt: temporary.path)
            do { try signed.write(to: temporary) } catch { throw HaulXMLError(.io, "cannot write the signed file beside \(target.path)") }
            let signedReport = try validator.validate(fileAt: temporary.path, displayName: target.path)
            guard signedReport.isValid else {
                throw HaulXMLError(.invalidDocument, "the signed case file did not validate, so \(target.path) was not written", diagnostics: signedReport.diagnostics)
            }
        }
        try Publishing.publish(temporary, as: target)
    }
}

/// The element-by-element layout of a case file, in schema order.
struct CaseWriting {
    let xml: XMLStreamWriter
    var signedAt: ZonedDateTime? = nil

    private static func bool(_ value: Bool) -> String { value ? "true" : "false" }
    private static func quantity(_ value: FixedDecimal) -> String { DecimalText.plain(value, maximumScale: 6) }
    private static func percent(_ value: FixedDecimal) -> String { DecimalText.plain(value, maximumScale: 4) }
    private static func rate(_ value: FixedDecimal) -> String { DecimalText.plain(value, maximumScale: 12) }

    /// Called with the number of items written so far (for a progress display).
    var progress: ((Int) -> Void)? = nil
    var progressInterval = 10_000

    func write(_ operation: Case) throws(HaulXMLError) {
        try begin(operation)
        var written = 0
        for seizure in operation.seizures {
            try beginSeizure(seizure)
            for item in seizure.items {
                try write(item)
                written += 1
                if written % progressInterval == 0 { progress?(written) }
            }
            try endSeizure()
        }
        try end(operation, totals: operation.totals())
    }

    /// The root, the header, and the opening of the seizures.
    func begin(_ operation: Case) throws(HaulXMLError) {
        try xml.start("case", [("xmlns", CaseFileSchema.namespace), ("schemaVersion", CaseFileSchema.version)])

        try xml.start("header")
        try xml.element("reference", operation.reference.value)
        try xml.element("jurisdiction", operation.jurisdiction.rawValue)
        try xml.optionalElement("operationName", operation.operationName)
        try xml.element("openedOn", operation.openedOn.description)
        if operation.isIllustrative { try xml.element("illustrative", "true") }
        try xml.optionalElement("note", operation.note)
        try xml.start("agencies")
        for agency in operation.agencies {
            try xml.element("agency", agency.name, [("id", agency.id.value), ("role", agency.role.rawValue)])
        }
        try xml.end()
        try xml.end()

        try xml.start("seizures")
    }

    /// Closes the seizures and writes everything after them.
    func end(_ operation: Case, totals: [ValuationTotal], chain: ChainStream? = nil) throws(HaulXMLError) {
        try xml.end()

        let stream = chain ?? ChainStream(head: operation.chainHead) { body in for link in operation.chain { try body(link) } }
        if let head = stream.head {
            try xml.start("history", [("chainHead", head)])
            do {
                try stream.forEach { link in
                    switch link {
                    case .status(let event): try write(event)
                    case .record(let record): try write(record)
                    }
                }
            } catch let error as HaulXMLError {
                throw error
            } catch {
                throw HaulXMLError(.io, "the case's events could not be read for export", cause: error)
            }
            try xml.end()
        }
        if let confiscation = operation.confiscation { try write(confiscation) }

        if !totals.isEmpty {
            try xml.start("totals")
            for total in totals {
                try xml.start("total", [("kind", total.kind.rawValue), ("basis", total.basis.rawValue), ("items", String(total.itemCount))])
                try money("low", total.low)
                try money("central", total.central)
                try money("high", total.high)
                try xml.end()
            }
            try xml.end()
        }
        if !operation.confiscationInputs.isEmpty { try write(operation.confiscationInputs) }
        if !operation.people.isEmpty {
            try xml.start("people")
            for person in operation.people { try xml.element("person", person.name, [("id", person.id.value), ("role", person.role.rawValue)]) }
            try xml.end()
        }
        if let proceedings = operation.proceedings {
            try xml.start("proceedings")
            try xml.element("court", proceedings.court)
            try xml.optionalElement("courtId", proceedings.courtID)
            try xml.optionalElement("number", proceedings.number)
            for defendant in proceedings.defendants {
                try xml.start("defendant", [("person", defendant.value)])
                try xml.end()
            }
            try xml.optionalElement("prosecutor", proceedings.prosecutor)
            try xml.optionalElement("convictedOn", proceedings.convictedOn?.description)
            try xml.optionalElement("hearingOn", proceedings.hearingOn?.description)
            try xml.end()
        }
        if let signedAt { try zoned("signedAt", signedAt) }
        try xml.end()
    }

    private func money(_ name: String, _ value: Money) throws(HaulXMLError) {
        try xml.element(name, value.amountText, [("currency", value.currency.code)])
    }

    private func zoned(_ name: String, _ value: ZonedDateTime) throws(HaulXMLError) {
        try xml.element(name, value.iso8601, [("zone", value.zone)])
    }

    /// A seizure's opening and fields, up to its items.
    func beginSeizure(_ seizure: Seizure) throws(HaulXMLError) {
        try xml.start("seizure", [("id", seizure.id.value), ("agency", seizure.agency.value)])
        try zoned("seizedAt", seizure.seizedAt)
        try xml.element("place", seizure.place)
        try xml.element("power", seizure.power.rawValue)
        try xml.optionalElement("warrantReference", seizure.warrantReference)
        try xml.element("officer", seizure.officer)
        try xml.start("items")
    }

    func endSeizure() throws(HaulXMLError) {
        try xml.end()
        try xml.end()
    }

    func write(_ item: Item) throws(HaulXMLError) {
        try xml.start("item", [("id", item.id.value), ("exhibit", item.exhibit.value)])
        try xml.optionalElement("description", item.description)
        switch item.details {
        case .drug(let drug):
            try xml.start("drug")
            try xml.element("substance", drug.substance.rawValue)
            try xml.element("form", drug.form.rawValue)
            switch drug.quantity {
            case .mass(let mass): try xml.element("grossMass", Self.quantity(mass.value), [("unit", mass.unit.rawValue)])
            case .count(let count): try xml.element("unitCount", String(count.count), [("unit", count.unit.rawValue)])
            }
            if let purity = drug.purity {
                try xml.element("purity", Self.percent(purity.percent), [("method", purity.method.rawValue)])
            }
            try xml.end()
        case .cash(let cash):
            try xml.start("cash")
            try xml.element("currency", cash.currency.code)
            if let amount = cash.countedAmount { try xml.element("amount", Money(amount, cash.currency).amountText) }
            for denomination in cash.denominations {
                try xml.element("denomination", String(denomination.count),
                                [("value", Money(denomination.value, cash.currency).amountText), ("form", denomination.form.rawValue)])
            }
            try xml.end()
        case .watch(let watch):
            try xml.start("watch")
            try xml.element("brand", watch.brand)
            try xml.element("model", watch.model)
            try xml.optionalElement("referenceNumber", watch.referenceNumber)
            try xml.optionalElement("serialNumber", watch.serialNumber)
            try xml.element("condition", watch.condition.rawValue)
            try xml.element("box", Self.bool(watch.hasBox))
            try xml.element("papers", Self.bool(watch.hasPapers))
            try xml.end()
        case .vehicle(let vehicle):
            try xml.start("vehicle")
            try xml.element("make", vehicle.make)
            try xml.element("model", vehicle.model)
            try xml.element("year", String(vehicle.year))
            try xml.optionalElement("registration", vehicle.registration)
            try xml.optionalElement("vin", vehicle.vin)
            if let mileage = vehicle.mileage { try xml.element("mileage", String(mileage.value), [("unit", mileage.unit.rawValue)]) }
            try xml.element("condition", vehicle.condition.rawValue)
            try xml.element("class", vehicle.vehicleClass.rawValue)
            try xml.optionalElement("firstRegistered", vehicle.firstRegistered?.description)
            try xml.end()
        case .jewellery(let jewellery):
            try xml.start("jewellery")
            try xml.element("metal", jewellery.metal.rawValue)
            try xml.element("fineness", DecimalText.plain(jewellery.fineness))
            try xml.element("mass", Self.quantity(jewellery.mass.value), [("unit", jewellery.mass.unit.rawValue)])
            try xml.element("gemSet", Self.bool(jewellery.isGemSet))
            try xml.end()
        case .cryptoasset(let crypto):
            try xml.start("cryptoasset")
            try xml.element("asset", crypto.asset)
            try xml.element("units", DecimalText.plain(crypto.units, maximumScale: 18))
            try xml.optionalElement("wallet", crypto.wallet)
            try xml.optionalElement("exchange", crypto.exchange)
            try xml.end()
        case .nonValued(let kind):
            try xml.start("nonValued", [("kind", kind.rawValue)])
            try xml.end()
        }
        if !item.valuations.isEmpty {
            try xml.start("valuations")
            for valuation in item.valuations { try write(valuation) }
            try xml.end()
        }
        if let status = item.status {
            try xml.start("status")
            try xml.element("state", status.state.rawValue)
            try zoned("since", status.since)
            if let deadline = status.nextDeadline {
                try xml.start("nextDeadline", [("rule", deadline.rule.value), ("verified", Self.bool(deadline.isVerified))])
                try zoned("due", deadline.due)
                try xml.element("source", deadline.source)
                try xml.end()
            }
            try xml.end()
        }
        if !item.earlierValuations.isEmpty {
            try xml.start("earlierValuations")
            for earlier in item.earlierValuations {
                try xml.start("earlier", [("replacedOn", earlier.replacedOn.description), ("reason", earlier.reason)])
                for valuation in earlier.valuations { try write(valuation) }
                try xml.end()
            }
            try xml.end()
        }
        if !item.interests.isEmpty {
            try xml.start("interests")
            for interest in item.interests {
                var attributes: [(String, String?)] = [("person", interest.person.value), ("kind", interest.kind.rawValue)]
                if let percent = interest.percent { attributes.append(("percent", DecimalText.plain(percent))) }
                try xml.start("interest", attributes)
                if let amount = interest.amount { try money("amount", amount) }
                try xml.optionalElement("note", interest.note)
                try xml.end()
            }
            try xml.end()
        }
        try xml.end()
    }

    private func write(_ valuation: Valuation) throws(HaulXMLError) {
        try xml.start("valuation", [("basis", valuation.basis.rawValue), ("valuedOn", valuation.valuedOn.description),
                                    ("upperBound", valuation.isUpperBound ? "true" : nil)])
        try money("low", valuation.low)
        try money("central", valuation.central)
        try money("high", valuation.high)
        for source in valuation.sources {
            try xml.element("source", source.citation, [("table", source.table), ("line", source.line.map(String.init)),
                                                        ("effectiveFrom", source.effectiveFrom.description),
                                                        ("confidence", source.confidence.rawValue)])
        }
        if let rate = valuation.exchangeRate {
            try xml.element("exchangeRate", Self.rate(rate.rate), [("from", rate.from.code), ("to", rate.to.code),
                                                                    ("date", rate.date.description), ("source", rate.source),
                                                                    ("derived", rate.isDerived ? "true" : nil)])
        }
        if let index = valuation.indexAdjustment {
            try xml.element("indexAdjustment", Self.rate(index.factor), [("index", index.index.value),
                                                                         ("fromPeriod", index.fromPeriod.description),
                                                                         ("toPeriod", index.toPeriod.description)])
        }
        for warning in valuation.warnings {
            try xml.element("warning", warning.message, [("code", warning.code.rawValue)])
        }
        try xml.end()
    }

    private func write(_ record: RecordEvent) throws(HaulXMLError) {
        try xml.start("record", [("sequence", String(record.sequence)), ("kind", record.kind)])
        try zoned("at", record.at)
        try xml.element("actor", record.actor)
        try xml.element("reason", record.reason)
        try xml.textElement("payload", record.payload)
        try xml.optionalElement("previousHash", record.previousHash)
        try xml.element("hash", record.hash)
        try xml.end()
    }

    private func write(_ event: StatusEvent) throws(HaulXMLError) {
        try xml.start("event", [("sequence", String(event.sequence))])
        try zoned("at", event.at)
        try xml.element("items", event.items.map(\.value).joined(separator: " "))
        try xml.optionalElement("from", event.from?.rawValue)
        try xml.element("to", event.to.rawValue)
        try xml.optionalElement("regime", event.regime?.value)
        try xml.optionalElement("authority", event.authority)
        try xml.element("actor", event.actor)
        try xml.optionalElement("note", event.note)
        try xml.optionalElement("previousHash", event.previousHash)
        try xml.element("hash", event.hash)
        try xml.optionalElement("supersedes", event.supersedes.map(String.init))
        try xml.optionalElement("late", event.late)
        try xml.end()
    }

    private func write(_ confiscation: ConfiscationFigures) throws(HaulXMLError) {
        try xml.start("confiscation")
        try xml.element("decidedOn", confiscation.decidedOn.description)
        try money("benefit", confiscation.benefit)
        try money("availableAmount", confiscation.availableAmount)
        try money("recoverableAmount", confiscation.recoverableAmount)
        if let order = confiscation.order {
            try xml.start("order")
            try xml.element("reference", order.reference)
            try xml.element("madeOn", order.madeOn.description)
            try money("amount", order.amount)
            try xml.element("dueOn", order.dueOn.description)
            try xml.element("interestRate", Self.percent(order.interestRatePercent))
            if let accrued = order.interestAccrued { try money("interestAccrued", accrued) }
            if let paid = order.paid { try money("paid", paid) }
            try xml.element("maximumDefaultTerm", order.maximumDefaultTerm.iso8601)
            try xml.end()
        }
        if let distribution = confiscation.distribution {
            try xml.start("distribution", [("total", distribution.total.amountText), ("currency", distribution.total.currency.code),
                                           ("remainderRule", distribution.remainderRule.value)])
            for share in distribution.shares {
                try xml.element("share", Money(share.amount, distribution.total.currency).amountText,
                                [("recipient", share.recipient), ("percent", Self.percent(share.percent))])
            }
            try xml.end()
        }
        for line in confiscation.lines {
            try xml.start("line", [("section", line.section.rawValue), ("basis", line.basis)])
            try xml.element("description", line.description)
            if let amount = line.amount { try money("amount", amount) }
            try xml.optionalElement("note", line.note)
            try xml.end()
        }
        try xml.end()
    }

    private func write(_ inputs: ConfiscationInputs) throws(HaulXMLError) {
        try xml.start("confiscationInputs")
        func obtained(_ name: String, _ property: ObtainedProperty) throws(HaulXMLError) {
            try xml.start(name, [("obtainedOn", property.obtainedOn.description)])
            try xml.element("description", property.description)
            try money("valueThen", property.valueThen)
            if let now = property.valueNow { try money("valueNow", now) }
            try xml.end()
        }
        for benefit in inputs.benefits { try obtained("benefit", benefit) }
        for item in inputs.benefitItems { try xml.start("benefitItem", [("item", item.value)]); try xml.end() }
        for gift in inputs.gifts { try obtained("gift", gift) }
        for obligation in inputs.obligations {
            try xml.start("obligation")
            try xml.element("description", obligation.description)
            try money("amount", obligation.amount)
            try xml.end()
        }
        for share in inputs.shares {
            try xml.start("share", [("item", share.item.value), ("percent", Self.percent(share.percent))])
            try xml.end()
        }
        for sale in inputs.realisations {
            try xml.start("realisation", [("item", sale.item.value), ("soldOn", sale.soldOn.description)])
            try money("gross", sale.gross)
            try money("costs", sale.costs)
            try xml.end()
        }
        if let order = inputs.order {
            try xml.start("orderDetails")
            try xml.element("reference", order.reference)
            try xml.element("madeOn", order.madeOn.description)
            if let amount = order.amount { try money("amount", amount) }
            try xml.optionalElement("timeToPayUntil", order.timeToPayUntil?.description)
            try xml.optionalElement("extensionAppliedOn", order.extensionAppliedOn?.description)
            try xml.optionalElement("extensionDecidedOn", order.extensionDecidedOn?.description)
            try xml.optionalElement("extendedUntil", order.extendedUntil?.description)
            if let compensation = order.compensation { try money("compensation", compensation) }
            try xml.end()
        }
        for payment in inputs.payments {
            try xml.element("payment", payment.amount.amountText, [("currency", payment.amount.currency.code), ("paidOn", payment.paidOn.description)])
        }
        if let joint = inputs.joint {
            try xml.start("jointBenefit")
            try xml.element("description", joint.description)
            try money("amount", joint.amount)
            for reference in joint.withCases { try xml.element("withCase", reference.value) }
            try xml.end()
        }
        try xml.end()
    }
}

/// A case's event chain handed over event by event as it is written out, so a large case's
/// records (tens of kilobytes each) need not all be held in memory.
public struct ChainStream {
    /// The hash of the newest event (nil for an empty chain).
    public var head: String?
    /// Calls its argument with each event, oldest first.
    public var forEach: ((EventChain.Link) throws -> Void) throws -> Void

    /// Makes a stream from the chain's head and a way to visit its events.
    ///
    /// - Parameters:
    ///   - head: the hash of the newest event, or nil for an empty chain.
    ///   - forEach: calls its argument with each event, oldest first.
    public init(head: String?, forEach: @escaping ((EventChain.Link) throws -> Void) throws -> Void) {
        self.head = head
        self.forEach = forEach
    }
}
