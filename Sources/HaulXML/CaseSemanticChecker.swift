import Foundation
import HaulCore

/// The elements the semantic rules treat specially, as numbers: dispatching on them costs no
/// string comparisons (a switch over names compares the name with each case in turn).
enum CaseElement: String {
    case caseFile = "case", agencies, agency, seizure, items, item, drug, cash, watch, vehicle, jewellery, cryptoasset, nonValued
    case currency, amount, denomination, valuation, earlier, low, central, high, exchangeRate, totals, total, history, event
    case previousHash, hash, supersedes, distribution, share, people, person, interests, interest, proceedings, defendant
    // The chain's fields, read to recompute each event's hash.
    case record, header, reference, at, from, to, regime, authority, actor, note, reason, payload, late
    // The confiscation figures, whose lines must foot to their totals.
    case confiscation, line, benefit, availableAmount, recoverableAmount
    case other = ""

    init(_ name: String) { self = CaseElement(rawValue: name) ?? .other }

    /// Whether a rule reads the element's attributes when it ends (other than `zone` and
    /// `currency`, which every frame keeps).
    var readsAttributesAtEnd: Bool {
        switch self {
        case .agency, .denomination, .valuation, .total, .event, .record, .history, .distribution, .line, .interest, .at: return true
        default: return false
        }
    }

    /// Whether a rule reads the element's text.
    var keepsText: Bool {
        switch self {
        case .currency, .amount, .denomination, .low, .central, .high, .items, .previousHash, .hash, .supersedes, .share, .reference,
             .benefit, .availableAmount, .recoverableAmount: return true
        default: return false
        }
    }
}

/// Haul's own checks on a case file, run in the same streaming pass as schema validation: the
/// rules an XSD cannot state, or cannot state cheaply at a million items.
///
/// This type is the one shared read of the document: it keeps the stack of open elements and
/// their text, refuses what is not a Haul case file, and routes each element to the rule that
/// reads it. Each rule is its own small type in `SemanticRules/`:
///
/// - `IdentifierRule`: identifiers unique and references resolving;
/// - `CurrencyRule` and `ZoneRule`: ISO 4217 codes, times' offsets matching their zone;
/// - `CashRule`: cash within its currency's minor unit and agreeing with its denominations;
/// - `ValuationRule`: low ≤ central ≤ high in one currency, one current valuation per basis,
///   totals equal to the sums;
/// - `ChainRule`: the event chain numbered, linked and each hash recomputed (`EventChain`);
/// - `DistributionRule`, `ConfiscationFootingRule`, `InterestRule`: figures that must add up.
///
/// Values the schema already rejects are skipped by the rules, so one mistake is reported once.
final class CaseSemanticChecker: XMLEventHandler {
    // Unchecked: one thread uses a checker, and this is reached on every event (a run-time
    // exclusivity check each was a twentieth of the parsing thread).
    @exclusivity(unchecked) private var checking: Checking

    /// `expectedItems` sizes the identifier tables (a guess is fine: they grow when it is low).
    init(file: String, expectedItems: Int = 0) {
        checking = Checking(file: file, expectedItems: expectedItems)
    }

    var diagnostics: [XMLDiagnostic] { checking.diagnostics }

    /// Duplicated items and exhibits, whose first uses a second look at the file may find.
    var duplicatesToLocate: [(what: String, id: String, line: Int)] { checking.duplicatesToLocate }

    /// Reports each duplicate with the line of its first use where `firstUses` has it
    /// (keyed `what|id`), then puts every problem in line order.
    func reportDuplicates(firstUses: [String: Int]) { checking.reportDuplicates(firstUses: firstUses) }

    // MARK: XMLEventHandler

    static let signatureNamespace = "http://www.w3.org/2000/09/xmldsig#"

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        checking.startElement(name, namespace: namespace, attributes: attributes, line: line)
    }

    func text(_ text: String) { checking.text(text) }

    var wantsText: Bool { checking.wantsText }

    /// Every element the rules read, including each element of a type with a `currency` or
    /// `zone` attribute (Money, SignedMoney, ZonedDateTime, Distribution, PaymentType in the
    /// schema; a test keeps this list in step with the XSD). Nothing else reaches Swift.
    static let elementsRead: Set<String> = [
        "case", "agencies", "agency", "seizure", "items", "item", "drug", "cash", "watch", "vehicle", "jewellery", "cryptoasset", "nonValued",
        "currency", "amount", "denomination", "valuation", "earlier", "low", "central", "high", "exchangeRate", "totals", "total", "history", "event",
        "previousHash", "hash", "supersedes", "distribution", "share", "people", "person", "interests", "interest", "proceedings", "defendant",
        // The chain's fields: each event's hash is recomputed.
        "record", "header", "reference", "from", "to", "regime", "authority", "actor", "note", "reason", "payload", "late",
        // The confiscation lines, footed against their totals.
        "confiscation", "line",
        // Money and times elsewhere in the file: their currency or zone is checked.
        "at", "availableAmount", "benefit", "compensation", "costs", "due", "gross", "interestAccrued", "paid", "recoverableAmount",
        "seizedAt", "signedAt", "since", "valueNow", "valueThen", "payment",
    ]

    var interestingElements: Set<String>? { Self.elementsRead }
    var needsEveryElementWithAttributes: Bool { false }

    func endElement(_ name: String, line: Int) { checking.endElement(name, line: line) }
}

/// The checker's state and rules as one value: the class above changes it through one access
/// per event, where a dozen properties of a class cost a run-time exclusivity check each.
private struct Checking: ~Copyable {
    private struct Frame {
        var name: String
        var code: CaseElement
        /// Kept only for the elements whose rules read them at the end (``CaseElement/readsAttributesAtEnd``):
        /// a kept copy makes the parser's next element build its attributes afresh.
        var attributes: XMLAttributes
        /// The `zone` and `currency` attributes, which rules read at the end of many elements.
        var zone: String?
        var currency: String?
        var line: Int
        var text = ""
        /// Whether this element's text is read (the rest is never made into strings).
        var keepsText = false
    }

    private var report: SemanticReport
    private var stack: [Frame] = []
    /// Codes by the parser's name index, filled on first sight of each name.
    private var codesByNameIndex: [CaseElement?] = []
    /// Depth inside an element of another namespace (a signature), whose contents are not ours to check.
    private var foreignDepth = 0
    private var ourNamespace = CaseNamespaceMatcher()
    private var sawRoot = false

    private var identifiers: IdentifierRule
    private var currencies = CurrencyRule()
    private var cash = CashRule()
    private var valuations = ValuationRule()
    private var chain = ChainRule()
    private var distribution = DistributionRule()
    private var footing = ConfiscationFootingRule()
    private var interests = InterestRule()

    init(file: String, expectedItems: Int = 0) {
        report = SemanticReport(file: file)
        identifiers = IdentifierRule(expectedItems: expectedItems)
    }

    var diagnostics: [XMLDiagnostic] { report.diagnostics }

    /// Duplicated items and exhibits, whose first uses a second look at the file may find.
    var duplicatesToLocate: [(what: String, id: String, line: Int)] { identifiers.duplicates }

    /// Reports each duplicate with the line of its first use where `firstUses` has it
    /// (keyed `what|id`), then puts every problem in line order.
    mutating func reportDuplicates(firstUses: [String: Int]) {
        for duplicate in identifiers.duplicates {
            let first = firstUses["\(duplicate.what)|\(duplicate.id)"].map { "; it was first used on line \($0)" } ?? ""
            report.add(duplicate.line, "\(duplicate.what) '\(duplicate.id)' is used again\(first)")
        }
        report.sortByLine()
    }


    @inline(__always)
    private mutating func code(_ name: String, _ index: Int) -> CaseElement {
        guard index >= 0 else { return CaseElement(name) }
        if index < codesByNameIndex.count, let known = codesByNameIndex[index] { return known }
        let made = CaseElement(name)
        if index >= codesByNameIndex.count { codesByNameIndex.append(contentsOf: repeatElement(nil, count: index - codesByNameIndex.count + 1)) }
        codesByNameIndex[index] = made
        return made
    }

    private mutating func isOurs(_ namespace: String?) -> Bool { ourNamespace.matches(namespace) }

    mutating func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        if !sawRoot {
            sawRoot = true
            footing.schemaVersion(attributes["schemaVersion"])
            // libxml2 words a wrong root as "No matching global declaration"; say what it means.
            if name != "case" || !isOurs(namespace) {
                // Haul's other exports are checked with their own profile: say which.
                let profile = namespace == NIEMProfile.namespace ? "; it is a NIEM report: check it with --profile niem"
                    : namespace == ECFExporter.filingNamespace ? "; it is an ECF filing: check it with --profile ecf" : ""
                report.add(line, "this is not a Haul case file: the root element is '\(name)' in namespace '\(namespace ?? "none")', expected 'case' in '\(CaseFileSchema.namespace)'\(profile)")
            }
        }
        if foreignDepth > 0 || (!isOurs(namespace) && !stack.isEmpty) {
            // The schema lets one element of the XML-signature namespace end the case: it must be
            // the Signature itself, never an element named like one of Haul's.
            if foreignDepth == 0 && !(name == "Signature" && namespace == CaseSemanticChecker.signatureNamespace && stack.count == 1) {
                report.add(line, "'\(name)' in namespace '\(namespace ?? "none")' is not part of a Haul case file; only a ds:Signature may follow the case's content")
            }
            foreignDepth += 1
            return
        }
        let parent: CaseElement? = stack.isEmpty ? nil : stack[stack.count - 1].code
        let element = code(name, attributes.nameIndex)
        let zone = attributes.isEmpty ? nil : attributes["zone"]
        stack.append(Frame(name: name, code: element, attributes: element.readsAttributesAtEnd ? attributes : XMLAttributes(),
                           zone: zone, currency: attributes.isEmpty ? nil : attributes["currency"], line: line,
                           keepsText: element.keepsText || parent == .event || parent == .record || zone != nil))
        if !attributes.isEmpty, let currency = attributes["currency"], let problem = currencies.problem(with: currency) { report.add(line, problem) }
        // Which rule reads each element as it opens.
        switch element {
        case .seizure:
            identifiers.seizure(attributes, line: line, &report)
        case .person where parent == .people:
            identifiers.person(attributes, line: line, &report)
        case .defendant where parent == .proceedings:
            identifiers.defendant(attributes, line: line)
        case .interests:
            interests.openInterests()
        case .interest:
            interests.openInterest(attributes, line: line, &report)
            identifiers.interest(attributes, line: line)
        case .item where parent == .items:
            identifiers.item(attributes, line: line)
            valuations.item()
        case .drug, .cash, .watch, .vehicle, .jewellery, .cryptoasset:
            if parent == .item { valuations.itemKind(name) }
            if element == .cash { cash.open() }
        case .nonValued:
            valuations.itemKind(attributes["kind"])
        case .valuation, .total:
            valuations.openRange()
        case .exchangeRate:
            for key in ["from", "to"] { if let code = attributes[key], let problem = currencies.problem(with: code) { report.add(line, problem) } }
        case .history:
            chain.openHistory()
        case .event, .record:
            chain.openEvent()
        case .distribution:
            distribution.open()
        case .totals:
            valuations.openTotals()
        default:
            break
        }
    }

    mutating func text(_ text: String) {
        guard !stack.isEmpty, foreignDepth == 0 else { return }
        stack[stack.count - 1].text += text
    }

    var wantsText: Bool { foreignDepth == 0 && !stack.isEmpty && stack[stack.count - 1].keepsText }


    mutating func endElement(_ name: String, line: Int) {
        if foreignDepth > 0 {
            foreignDepth -= 1
            return
        }
        guard let frame = stack.popLast() else { return }
        let parent: CaseElement? = stack.isEmpty ? nil : stack[stack.count - 1].code
        let text = frame.keepsText ? SemanticUnits.trimmed(frame.text) : ""
        if parent == .event || parent == .record {
            chain.field(frame.code, name: frame.name, raw: frame.text, trimmed: text, attributes: frame.attributes)
        }
        if let zone = frame.zone, let problem = ZoneRule.problem(with: text, zone: zone) { report.add(frame.line, problem) }
        // Which rule reads each element as it closes (by the element and its parent).
        switch (frame.code, parent) {
        case (.agency, .agencies?):
            identifiers.agency(frame.attributes, line: frame.line, &report)
        case (.currency, .cash?):
            if let problem = currencies.problem(with: text) { report.add(frame.line, problem) }
            cash.currency(text)
        case (.amount, .cash?):
            cash.amount(text)
        case (.denomination, .cash?):
            cash.denomination(frame.attributes, count: text)
        case (.cash, _):
            cash.close(line: frame.line, &report)
        case (.low, _):
            valuations.low(text, currency: frame.currency)
        case (.central, _):
            valuations.central(text, currency: frame.currency)
        case (.high, _):
            valuations.high(text, currency: frame.currency)
        case (.valuation, .earlier?):
            valuations.earlierValuation(line: frame.line, &report)
        case (.valuation, _):
            valuations.valuation(frame.attributes, line: frame.line, &report)
        case (.total, .totals?):
            valuations.total(frame.attributes, line: frame.line, &report)
        case (.totals, _):
            valuations.closeTotals(caseLine: stack.last?.line ?? 0, &report)
        case (.reference, .header?):
            chain.reference(text)
        case (.items, .event?):
            identifiers.eventItems(text, line: frame.line)
        case (.event, _), (.record, _):
            chain.closeEvent(frame.code, attributes: frame.attributes, line: frame.line, &report)
        case (.history, _):
            chain.closeHistory(frame.attributes, line: frame.line, &report)
        case (.share, .distribution?):
            distribution.share(text)
        case (.distribution, _):
            distribution.close(frame.attributes, line: frame.line, &report)
        case (.benefit, .confiscation?):
            footing.stated(.benefit, text)
        case (.availableAmount, .confiscation?):
            footing.stated(.available, text)
        case (.recoverableAmount, .confiscation?):
            footing.stated(.recoverable, text)
        case (.amount, .line?):
            footing.lineAmount(text)
        case (.line, .confiscation?):
            footing.line(frame.attributes, line: frame.line)
        case (.confiscation, _):
            footing.close(line: frame.line, &report)
        case (.amount, .interest?):
            interests.amount()
        case (.interest, _):
            interests.closeInterest(frame.attributes, line: frame.line, &report)
        case (.interests, _):
            interests.closeInterests(line: frame.line, &report)
        case (.caseFile, nil):
            identifiers.finish(&report)
            valuations.finish(&report)
        default:
            break
        }
    }
}
