import Foundation
import HaulCore

/// Haul's own checks on a case file, run in the same streaming pass as schema validation: the
/// rules an XSD cannot state, or cannot state cheaply at a million items.
///
/// - identifiers unique (agencies, seizures, items, exhibits) and references resolving
///   (a seizure's agency, an event's items);
/// - currency codes known to ISO 4217; times' UTC offsets matching their zone;
/// - cash amounts within the currency's minor unit and agreeing with their denominations;
/// - each valuation in one currency with low ≤ central ≤ high, one per basis per item;
/// - totals equal to the sums of the items' valuations, none missing;
/// - the event chain numbered 1, 2, 3… with each `previousHash` the hash before it, each
///   event's and record's `hash` recomputed from its content (``EventChain``), and the
///   `chainHead` the last hash;
/// - distribution shares adding up to the total.
///
/// Values the schema already rejects are skipped here, so one mistake is reported once.
///
/// Its state is touched only by the one thread running the parse, and never through two
/// overlapping accesses, so the stored properties skip Swift's dynamic exclusivity checks
/// (`@exclusivity(unchecked)`): they cost several per cent of validating a large file.
final class CaseSemanticChecker: XMLEventHandler {
    /// The elements the checks treat specially, as numbers: dispatching on them costs no string
    /// comparisons (a switch over names compares the name with each case in turn).
    private enum ElementCode: String {
        case caseFile = "case", agencies, agency, seizure, items, item, drug, cash, watch, vehicle, jewellery, cryptoasset, nonValued
        case currency, amount, denomination, valuation, earlier, low, central, high, exchangeRate, totals, total, history, event
        case previousHash, hash, supersedes, distribution, share, people, person, interests, interest, proceedings, defendant
        // The chain's fields, read to recompute each event's hash.
        case record, header, reference, at, from, to, regime, authority, actor, note, reason, payload, late
        // The confiscation figures, whose lines must foot to their totals.
        case confiscation, line, benefit, availableAmount
        case other = ""

        init(_ name: String) { self = ElementCode(rawValue: name) ?? .other }

        /// Whether the checks read the element's text.
        var keepsText: Bool {
            switch self {
            case .currency, .amount, .denomination, .low, .central, .high, .items, .previousHash, .hash, .supersedes, .share, .reference,
                 .benefit, .availableAmount: return true
            default: return false
            }
        }
    }

    /// Codes by the parser's name index, filled on first sight of each name.
    @exclusivity(unchecked) private var codesByNameIndex: [ElementCode?] = []

    @inline(__always)
    private func code(_ name: String, _ index: Int) -> ElementCode {
        guard index >= 0 else { return ElementCode(name) }
        if index < codesByNameIndex.count, let known = codesByNameIndex[index] { return known }
        let made = ElementCode(name)
        if index >= codesByNameIndex.count { codesByNameIndex.append(contentsOf: repeatElement(nil, count: index - codesByNameIndex.count + 1)) }
        codesByNameIndex[index] = made
        return made
    }

    private struct Frame {
        var name: String
        var code: ElementCode
        var attributes: XMLAttributes
        var line: Int
        var text = ""
        /// Whether this element's text is checked (the rest is never made into strings).
        var keepsText = false
    }


    private struct TotalKey: Hashable {
        var kind: String
        var basis: String
        var currency: String
    }

    private struct Range {
        var count = 0
        var low: Units = 0
        var central: Units = 0
        var high: Units = 0
    }

    private let file: String
    @exclusivity(unchecked) private(set) var diagnostics: [XMLDiagnostic] = []
    @exclusivity(unchecked) private var stack: [Frame] = []
    /// Depth inside an element of another namespace (a signature), whose contents are not ours to check.
    @exclusivity(unchecked) private var foreignDepth = 0

    @exclusivity(unchecked) private var agencyIDs: Set<String> = []
    @exclusivity(unchecked) private var seizureIDs: [String: Int] = [:]
    // Items and exhibits can number a million: kept as 64-bit fingerprints (8 bytes each), so
    // memory stays flat; the line of a first use is found again only when a duplicate turns up.
    private let itemIDs: FingerprintSet
    private let exhibits: FingerprintSet
    /// Duplicates seen, to be reported with the line of their first use at the end.
    @exclusivity(unchecked) private var duplicates: [(what: String, id: String, line: Int)] = []
    @exclusivity(unchecked) private var agencyReferences: [(id: String, line: Int)] = []
    @exclusivity(unchecked) private var itemReferences: [(id: String, line: Int)] = []
    @exclusivity(unchecked) private var personIDs: Set<String> = []
    @exclusivity(unchecked) private var personReferences: [(id: String, line: Int)] = []
    /// Each person's role, for the proceedings' defendants.
    @exclusivity(unchecked) private var personRoles: [String: String] = [:]
    @exclusivity(unchecked) private var defendantReferences: [(id: String, line: Int)] = []
    /// The owners' percentages of the item being read, and whether the interest being read has an amount.
    @exclusivity(unchecked) private var ownedPercent: Units = 0
    @exclusivity(unchecked) private var interestHasAmount = false

    @exclusivity(unchecked) private var itemKind: String?
    /// The bases of the item's current valuations (one or two: a list beats a set).
    @exclusivity(unchecked) private var itemBases: [String] = []
    private typealias Figure = (amount: Units?, currency: String)
    @exclusivity(unchecked) private var low: Figure?
    @exclusivity(unchecked) private var central: Figure?
    @exclusivity(unchecked) private var high: Figure?
    /// The last currency found valid: nearly every amount in a file is in one currency.
    @exclusivity(unchecked) private var lastValidCurrency = ""

    @exclusivity(unchecked) private var cashCurrency: String?
    @exclusivity(unchecked) private var cashAmount: Units?
    @exclusivity(unchecked) private var denominationSum: Units = 0
    @exclusivity(unchecked) private var denominationCount = 0

    /// Sums by kind, basis and currency, in first-seen order.
    @exclusivity(unchecked) private var computedTotals = RecentKeyTable<TotalKey, Range>()
    @exclusivity(unchecked) private var declaredTotals: [(key: TotalKey, range: Range, line: Int)] = []
    @exclusivity(unchecked) private var sawTotals = false

    @exclusivity(unchecked) private var expectedSequence = 1
    @exclusivity(unchecked) private var lastHash: String?
    @exclusivity(unchecked) private var eventFields: [String: String] = [:]
    /// The confiscation figures' lines by section (amount, line number), the amount of the line being
    /// read, and the totals the figures state.
    @exclusivity(unchecked) private var sectionLines: [String: [(amount: Units, line: Int)]] = [:]
    @exclusivity(unchecked) private var lineAmount: Units?
    @exclusivity(unchecked) private var statedTotals: [String: Units] = [:]
    /// Whether the confiscation lines must foot (files of 1.4 on).
    @exclusivity(unchecked) private var checksFooting = true
    /// The case's reference, which every event's hash covers.
    @exclusivity(unchecked) private var caseReference: Identifier?

    @exclusivity(unchecked) private var distributionShares: Units = 0

    /// `expectedItems` sizes the identifier tables (a guess is fine: they grow when it is low).
    init(file: String, expectedItems: Int = 0) {
        self.file = file
        itemIDs = FingerprintSet(expectedCount: expectedItems)
        exhibits = FingerprintSet(expectedCount: expectedItems)
    }

    /// The most problems kept: a hostile file (a million duplicated ids) gets a bounded report.
    static let diagnosticLimit = 1000

    private func report(_ line: Int, _ message: String) {
        if diagnostics.count == Self.diagnosticLimit {
            diagnostics.append(XMLDiagnostic(file: file, line: line, message: "more problems follow from here; only the first \(Self.diagnosticLimit) are listed", origin: .semantic))
        }
        guard diagnostics.count < Self.diagnosticLimit else { return }
        diagnostics.append(XMLDiagnostic(file: file, line: line, message: message, origin: .semantic))
    }

    /// Amounts as integers of 10⁻⁴ (the schema allows at most four decimal places), parsed
    /// without `Decimal`: this runs for every amount of a million-item file.
    typealias Units = Int128
    static let unitScale: Units = 10_000

    private func decimal(_ text: String) -> Units? {
        var value: Units = 0
        var fraction = -1
        var digits = 0
        var negative = false
        var seen = false
        for byte in Self.trimmed(text).utf8 {
            switch byte {
            case UInt8(ascii: "-") where !seen && !negative: negative = true
            case UInt8(ascii: "."):
                guard fraction < 0 else { return nil }
                fraction = 0
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                seen = true
                digits += 1
                if fraction >= 0 { fraction += 1 }
                guard digits <= 30, fraction <= 4 else { return nil }
                value = value * 10 + Units(byte - UInt8(ascii: "0"))
            default: return nil
            }
        }
        guard seen else { return nil }
        for _ in max(fraction, 0)..<4 { value *= 10 }
        return negative ? -value : value
    }

    /// Units as plain text: 12345000 → "1234.5".
    private static func plain(_ units: Units) -> String {
        let magnitude = units < 0 ? -units : units
        var text = String(magnitude / unitScale)
        var fraction = String(magnitude % unitScale)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { text += "." + fraction }
        return (units < 0 ? "-" : "") + text
    }

    private func checkCurrency(_ code: String, line: Int) {
        let code = Self.trimmed(code)
        if code == lastValidCurrency { return }
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (65...90).contains($0) }) else { return }  // the schema reports it
        if (try? Currency(code: code)) == nil {
            report(line, "currency '\(code)' is not an ISO 4217 code; use e.g. GBP, EUR or USD")
        } else {
            lastValidCurrency = code
        }
    }

    private func unique(_ id: String?, in registry: inout [String: Int], what: String, line: Int) {
        guard let id else { return }
        if let first = registry[id] {
            report(line, "\(what) '\(id)' is used again; it was first used on line \(first)")
        } else {
            registry[id] = line
        }
    }

    // MARK: XMLEventHandler

    /// The parser's own string for Haul's namespace, once seen: comparing with it is a pointer
    /// comparison, where comparing with the literal compares 18 bytes for every element.
    @exclusivity(unchecked) private var ourNamespace: String?
    @exclusivity(unchecked) private var sawRoot = false

    @inline(__always)
    static let signatureNamespace = "http://www.w3.org/2000/09/xmldsig#"

    private func isOurs(_ namespace: String?) -> Bool {
        guard let namespace else { return false }
        if let ourNamespace { return namespace == ourNamespace }
        guard namespace == CaseFileSchema.namespace else { return false }
        ourNamespace = namespace
        return true
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        if !sawRoot {
            sawRoot = true
            // Lines foot to their totals in files from 1.4 on; earlier files were written before
            // that was a rule, and stay valid (and importable) as they were.
            if let version = attributes["schemaVersion"], version.hasPrefix("1."), let minor = Int(version.dropFirst(2)) { checksFooting = minor >= 4 }
            // libxml2 words a wrong root as "No matching global declaration"; say what it means.
            if name != "case" || !isOurs(namespace) {
                report(line, "this is not a Haul case file: the root element is '\(name)' in namespace '\(namespace ?? "none")', expected 'case' in '\(CaseFileSchema.namespace)'")
            }
        }
        if foreignDepth > 0 || (!isOurs(namespace) && !stack.isEmpty) {
            // The schema lets one element of the XML-signature namespace end the case: it must be
            // the Signature itself, never an element named like one of Haul's.
            if foreignDepth == 0 && !(name == "Signature" && namespace == Self.signatureNamespace && stack.count == 1) {
                report(line, "'\(name)' in namespace '\(namespace ?? "none")' is not part of a Haul case file; only a ds:Signature may follow the case's content")
            }
            foreignDepth += 1
            return
        }
        let parent: ElementCode? = stack.isEmpty ? nil : stack[stack.count - 1].code
        let element = code(name, attributes.nameIndex)
        stack.append(Frame(name: name, code: element, attributes: attributes, line: line,
                           keepsText: element.keepsText || parent == .event || parent == .record || (!attributes.isEmpty && attributes["zone"] != nil)))
        if !attributes.isEmpty, let currency = attributes["currency"] { checkCurrency(currency, line: line) }
        switch element {
        case .seizure:
            unique(attributes["id"], in: &seizureIDs, what: "seizure id", line: line)
            if let agency = attributes["agency"] { agencyReferences.append((agency, line)) }
        case .person where parent == .people:
            if let id = attributes["id"], !personIDs.insert(id).inserted { report(line, "person id '\(id)' is used twice") }
            if let id = attributes["id"], let role = attributes["role"] { personRoles[id] = role }
        case .defendant where parent == .proceedings:
            if let person = attributes["person"] { defendantReferences.append((person, line)) }
        case .interests:
            ownedPercent = 0
        case .interest:
            interestHasAmount = false
            if let person = attributes["person"] { personReferences.append((person, line)) }
            if attributes["kind"] == "owner" {
                if let percent = attributes["percent"].flatMap(decimal) { ownedPercent += percent } else { report(line, "an owner's interest needs its percent") }
            }
        case .item where parent == .items:
            if let id = attributes["id"], !itemIDs.insert(id) { duplicates.append(("item id", id, line)) }
            if let exhibit = attributes["exhibit"], !exhibits.insert(exhibit) { duplicates.append(("exhibit reference", exhibit, line)) }
            itemKind = nil
            itemBases.removeAll(keepingCapacity: true)
        case .drug, .cash, .watch, .vehicle, .jewellery, .cryptoasset:
            if parent == .item { itemKind = name }
            if element == .cash { cashCurrency = nil; cashAmount = nil; denominationSum = 0; denominationCount = 0 }
        case .nonValued:
            itemKind = attributes["kind"]
        case .valuation, .total:
            low = nil
            central = nil
            high = nil
        case .exchangeRate:
            for key in ["from", "to"] { if let code = attributes[key] { checkCurrency(code, line: line) } }
        case .history:
            expectedSequence = 1
            lastHash = nil
        case .event, .record:
            eventFields = [:]
        case .distribution:
            distributionShares = 0
        case .totals:
            sawTotals = true
        default:
            break
        }
    }

    func text(_ text: String) {
        guard !stack.isEmpty, foreignDepth == 0 else { return }
        stack[stack.count - 1].text += text
    }

    var wantsText: Bool { foreignDepth == 0 && !stack.isEmpty && stack[stack.count - 1].keepsText }

    /// Every element the checks read, including each element of a type with a `currency` or
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

    /// ASCII white space off both ends, without Foundation's character sets (hot path).
    private static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 })!
        return String(text[first...last])
    }

    func endElement(_ name: String, line: Int) {
        if foreignDepth > 0 {
            foreignDepth -= 1
            return
        }
        guard let frame = stack.popLast() else { return }
        let parent: ElementCode? = stack.isEmpty ? nil : stack[stack.count - 1].code
        let text = frame.keepsText ? Self.trimmed(frame.text) : ""
        if parent == .event || parent == .record {
            // Free text is hashed as written; the rest as the reader takes it, trimmed.
            eventFields[frame.name] = frame.code == .note || frame.code == .reason || frame.code == .payload || frame.code == .late ? frame.text : text
            if frame.code == .at { eventFields["zone"] = frame.attributes["zone"] ?? "" }
        }
        if !frame.attributes.isEmpty, let zone = frame.attributes["zone"] {
            do { _ = try ZonedDateTime(parsing: text, zone: zone) } catch {
                // Lexical and range errors are the schema's to report; the zone is ours.
                if error.code == .inconsistent || error.code == .unknownValue {
                    report(frame.line, error.message)
                }
            }
        }
        switch (frame.code, parent) {
        case (.agency, .agencies?):
            if let id = frame.attributes["id"] {
                if !agencyIDs.insert(id).inserted { report(frame.line, "agency id '\(id)' is used twice") }
            }
        case (.currency, .cash?):
            checkCurrency(text, line: frame.line)
            cashCurrency = text
        case (.amount, .cash?):
            cashAmount = decimal(text)
        case (.denomination, .cash?):
            if let value = frame.attributes["value"].flatMap(decimal), let count = Int(text), count > 0 {
                denominationSum += value * Units(count)
                denominationCount += 1
            }
        case (.cash, _):
            checkCash(line: frame.line)
        case (.low, _):
            low = (decimal(text), frame.attributes["currency"] ?? "")
        case (.central, _):
            central = (decimal(text), frame.attributes["currency"] ?? "")
        case (.high, _):
            high = (decimal(text), frame.attributes["currency"] ?? "")
        case (.valuation, .earlier?):
            // An earlier valuation: checked for its range, never counted in the totals.
            _ = checkedRange(line: frame.line, what: "earlier valuation")
        case (.valuation, _):
            checkValuation(frame)
        case (.total, .totals?):
            if let range = checkedRange(line: frame.line, what: "total") {
                let key = TotalKey(kind: frame.attributes["kind"] ?? "", basis: frame.attributes["basis"] ?? "", currency: central?.currency ?? "")
                var declared = range
                declared.count = Int(frame.attributes["items"] ?? "") ?? 0
                declaredTotals.append((key, declared, frame.line))
            }
        case (.totals, _):
            checkTotals()
        case (.reference, .header?):
            caseReference = try? Identifier(text)
        case (.items, .event?):
            for id in text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
                itemReferences.append((String(id), frame.line))
            }
        case (.event, _), (.record, _):
            checkEvent(frame)
        case (.history, _):
            if let head = frame.attributes["chainHead"], head != lastHash {
                report(frame.line, "the history's chainHead \(head) is not the hash of its last event (\(lastHash ?? "none")); the chain was cut or edited")
            }
        case (.share, .distribution?):
            if let amount = decimal(text) { distributionShares += amount }
        case (.distribution, _):
            if let total = frame.attributes["total"].flatMap(decimal), total != distributionShares {
                report(frame.line, "the distribution's shares add up to \(Self.plain(distributionShares)), not its total \(Self.plain(total))")
            }
        case (.benefit, .confiscation?), (.availableAmount, .confiscation?):
            statedTotals[frame.code == .benefit ? "benefit" : "available"] = decimal(text)
        case (.amount, .line?):
            lineAmount = decimal(text)
        case (.line, .confiscation?):
            if let section = frame.attributes["section"], let amount = lineAmount { sectionLines[section, default: []].append((amount, frame.line)) }
            lineAmount = nil
        case (.confiscation, _):
            if checksFooting { checkConfiscationFooting(line: frame.line) }
            sectionLines = [:]
            statedTotals = [:]
        case (.amount, .interest?):
            interestHasAmount = true
        case (.interest, _):
            if frame.attributes["kind"] == "charge" && !interestHasAmount { report(frame.line, "a charge needs the amount it secures") }
        case (.interests, _):
            if ownedPercent > 100 * Self.unitScale {
                report(frame.line, "the owners' shares add up to \(Self.plain(ownedPercent)) %, more than 100 %")
            }
        case (.caseFile, nil):
            finish()
        default:
            break
        }
    }

    // MARK: Checks

    /// The benefit and available-amount lines, each at the penny, add up to their section's last
    /// line, the total, which is the figure stated (the available amount never below nil).
    private func checkConfiscationFooting(line: Int) {
        for (section, label) in [("benefit", "benefit"), ("available", "available amount")] {
            guard let lines = sectionLines[section], let total = lines.last else { continue }
            let sum = lines.dropLast().reduce(Units(0)) { $0 + $1.amount }
            let expected = section == "available" ? max(sum, 0) : sum
            if expected != total.amount {
                report(total.line, "the \(label) lines add up to \(Self.plain(expected)), but the total line says \(Self.plain(total.amount))")
            }
            if let stated = statedTotals[section], stated != total.amount {
                report(line, "the \(label) is \(Self.plain(stated)), but its total line says \(Self.plain(total.amount))")
            }
        }
        sectionLines = [:]
        statedTotals = [:]
    }

    private func checkCash(line: Int) {
        guard let code = cashCurrency, let currency = try? Currency(code: code) else { return }
        if let amount = cashAmount {
            var step: Units = 1
            for _ in currency.minorUnits..<4 { step *= 10 }
            if amount % step != 0 {
                report(line, "cash amount \(Self.plain(amount)) has more decimal places than \(code) allows (\(currency.minorUnits))")
            }
            if denominationCount > 0 && amount != denominationSum {
                report(line, "cash amount \(Self.plain(amount)) \(code) does not match its denominations, which add up to \(Self.plain(denominationSum))")
            }
        }
    }

    /// The low / central / high of the element just closed, if all three are present and coherent.
    private func checkedRange(line: Int, what: String) -> Range? {
        guard let low, let central, let high,
              let lowAmount = low.amount, let centralAmount = central.amount, let highAmount = high.amount else { return nil }
        guard low.currency == central.currency, central.currency == high.currency else {
            report(line, "the \(what)'s low, central and high are in different currencies (\(low.currency), \(central.currency), \(high.currency))")
            return nil
        }
        guard lowAmount <= centralAmount, centralAmount <= highAmount else {
            report(line, "the \(what) needs low ≤ central ≤ high, not \(Self.plain(lowAmount)) / \(Self.plain(centralAmount)) / \(Self.plain(highAmount))")
            return nil
        }
        return Range(count: 1, low: lowAmount, central: centralAmount, high: highAmount)
    }

    private func checkValuation(_ frame: Frame) {
        let basis = frame.attributes["basis"] ?? ""
        let isUpperBound = ["true", "1"].contains(frame.attributes["upperBound"] ?? "false")
        guard let range = checkedRange(line: frame.line, what: "valuation") else { return }
        guard !isUpperBound else { return }
        if itemBases.contains(basis) {
            report(frame.line, "the item has two current valuations on the '\(basis)' basis; keep one (earlier ones belong in its history)")
            return
        }
        itemBases.append(basis)
        guard let kind = itemKind else { return }
        let key = TotalKey(kind: kind, basis: basis, currency: central?.currency ?? "")
        let index = computedTotals.index(of: key, adding: Range())
        computedTotals[index].count += 1
        computedTotals[index].low += range.low
        computedTotals[index].central += range.central
        computedTotals[index].high += range.high
    }

    private func checkTotals() {
        var seen: Set<TotalKey> = []
        for declared in declaredTotals {
            let key = declared.key
            guard seen.insert(key).inserted else {
                report(declared.line, "the \(key.kind) / \(key.basis) / \(key.currency) total appears twice")
                continue
            }
            guard let computed = computedTotals.value(for: key) else {
                report(declared.line, "there is a \(key.kind) / \(key.basis) / \(key.currency) total but no item valuation it could add up")
                continue
            }
            if computed.count != declared.range.count || computed.low != declared.range.low
                || computed.central != declared.range.central || computed.high != declared.range.high {
                report(declared.line, "the \(key.kind) / \(key.basis) total says \(declared.range.count) items, \(Self.plain(declared.range.low)) / \(Self.plain(declared.range.central)) / \(Self.plain(declared.range.high)) \(key.currency), but the items' valuations add up to \(computed.count) items, \(Self.plain(computed.low)) / \(Self.plain(computed.central)) / \(Self.plain(computed.high))")
            }
        }
        for key in computedTotals.keys where !seen.contains(key) {
            report(stack.last?.line ?? 0, "the totals leave out the \(key.kind) / \(key.basis) / \(key.currency) valuations")
        }
    }

    private func checkEvent(_ frame: Frame) {
        let sequence = Int(frame.attributes["sequence"] ?? "") ?? 0
        if sequence != expectedSequence {
            report(frame.line, "event number \(sequence) where \(expectedSequence) was expected; an event was removed, added or moved")
        }
        expectedSequence = sequence + 1
        let previous = eventFields["previousHash"]
        if previous != lastHash {
            if let lastHash {
                report(frame.line, "event \(sequence) says the previous hash is \(previous ?? "absent"), but event \(sequence - 1) has hash \(lastHash)")
            } else {
                report(frame.line, "event \(sequence) is the first in the chain and must not name a previous hash")
            }
        }
        lastHash = eventFields["hash"]
        if let supersedes = eventFields["supersedes"].flatMap({ Int($0) }), supersedes >= sequence {
            report(frame.line, "event \(sequence) corrects event \(supersedes), which is not earlier in the chain")
        }
        if let stated = eventFields["hash"], let computed = recomputedHash(frame, sequence: sequence), computed != stated {
            report(frame.line, "event \(sequence) was altered: its content no longer matches its hash \(stated) (the content hashes to \(computed))")
        }
    }

    /// The hash of the event just read, from its fields (nil when a field is one the schema
    /// already refuses, so the mistake is reported once).
    private func recomputedHash(_ frame: Frame, sequence: Int) -> String? {
        guard let reference = caseReference, let atText = eventFields["at"], let zone = eventFields["zone"],
              let at = try? ZonedDateTime(parsing: atText, zone: zone), let actor = eventFields["actor"] else { return nil }
        let previous = eventFields["previousHash"]
        if frame.code == .record {
            guard let kind = frame.attributes["kind"], let reason = eventFields["reason"], let payload = eventFields["payload"] else { return nil }
            return EventChain.hash(case: reference, record: RecordEvent(sequence: sequence, kind: kind, at: at, actor: actor, reason: reason,
                                                                        payload: payload, previousHash: previous, hash: ""))
        }
        guard let to = eventFields["to"].flatMap(State.init(rawValue:)) else { return nil }
        var items: [Identifier] = []
        for id in (eventFields["items"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            guard let identifier = try? Identifier(String(id)) else { return nil }
            items.append(identifier)
        }
        let event = StatusEvent(sequence: sequence, at: at, items: items, from: eventFields["from"].flatMap(State.init(rawValue:)), to: to,
                                regime: eventFields["regime"].flatMap { try? Identifier($0) }, authority: eventFields["authority"], actor: actor,
                                note: eventFields["note"], previousHash: previous, hash: "", supersedes: eventFields["supersedes"].flatMap { Int($0) },
                                late: eventFields["late"])
        return EventChain.hash(case: reference, event: event)
    }

    /// Where each duplicated value was first used: filled in by a second look at the file,
    /// needed only when duplicates exist.
    var firstUses: [String: Int] = [:]
    var duplicatesToLocate: [(what: String, id: String, line: Int)] { duplicates }

    func reportDuplicates(firstUses: [String: Int]) {
        for duplicate in duplicates {
            let first = firstUses["\(duplicate.what)|\(duplicate.id)"].map { "; it was first used on line \($0)" } ?? ""
            report(duplicate.line, "\(duplicate.what) '\(duplicate.id)' is used again\(first)")
        }
        diagnostics.sort { $0.line < $1.line }
    }

    private func finish() {
        for reference in agencyReferences where !agencyIDs.contains(reference.id) {
            report(reference.line, "the seizure names agency '\(reference.id)', which the header does not list")
        }
        for reference in personReferences where !personIDs.contains(reference.id) {
            report(reference.line, "the interest names person '\(reference.id)', which the case's people do not list")
        }
        var defendantsSeen: Set<String> = []
        for reference in defendantReferences {
            if !defendantsSeen.insert(reference.id).inserted {
                report(reference.line, "the proceedings name defendant '\(reference.id)' twice")
            } else if let role = personRoles[reference.id] {
                if role != "defendant" { report(reference.line, "the proceedings name '\(reference.id)' as a defendant, but the case's people list them as \(role)") }
            } else {
                report(reference.line, "the proceedings name defendant '\(reference.id)', whom the case's people do not list")
            }
        }
        for reference in itemReferences where !itemIDs.contains(reference.id) {
            report(reference.line, "the event names item '\(reference.id)', which is not in the case")
        }
        if !sawTotals, let key = computedTotals.keys.first {
            report(0, "the case has valuations (e.g. \(key.kind) / \(key.basis)) but no totals section")
        }
    }
}
