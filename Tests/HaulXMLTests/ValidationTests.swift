import Foundation
import HaulCore
import HaulTestSupport
import HaulData
@testable import HaulXML
import Testing

/// The line (1-based) on which `needle` first appears in `text`, counted independently of libxml2.
func line(of needle: String, in text: String) -> Int {
    guard let range = text.range(of: needle) else { return -1 }
    return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
}

@Suite("Schema and semantic validation")
struct ValidationTests {
    private let schema = HaulData.caseSchemaV1.path
    private var exampleText: String { try! String(contentsOf: HaulData.example("south-west-2020.xml"), encoding: .utf8) }

    /// xmllint's verdict on a file: its exit status and the lines it names.
    struct Verdict {
        var status: Int32
        var lines: [Int]
    }

    /// Writes `text`, validates it with Haul and with `xmllint --stream` (nil without xmllint).
    private func check(_ text: String, in folder: TemporaryFolder) throws -> (haul: ValidationReport, xmllint: Verdict?) {
        let path = try folder.write("case.xml", text)
        let report = try CaseFileValidator().validate(fileAt: path)
        let lint = try xmllint(["--noout", "--stream", "--schema", schema, path])
        return (report, lint.map { Verdict(status: $0.status, lines: xmllintErrorLines($0.output, file: path)) })
    }

    @Test("an amount changed to text is invalid on its line, as xmllint --stream says")
    func amountAsText() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = exampleText.replacingOccurrences(of: "<amount>30000.00</amount>", with: "<amount>thirty thousand</amount>")
        let result = try check(text, in: folder)
        let expectedLine = line(of: "thirty thousand", in: text)
        #expect(result.haul.diagnostics.map(\.line) == [expectedLine])
        #expect(result.haul.diagnostics.first?.message.contains("'thirty thousand' is not a valid value") == true)
        if let lint = result.xmllint { #expect(lint.lines == [expectedLine]) }
    }

    @Test("a missing required element is reported where the parser notices, as xmllint --stream says")
    func missingElement() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = exampleText.replacingOccurrences(of: "<officer>PC 1186 (illustrative)</officer>", with: "")
        let result = try check(text, in: folder)
        #expect(result.haul.diagnostics.count == 1)
        // The validator notices at the element that follows, the seizure's <items>.
        let after = text.range(of: "Roadside stop")!.upperBound
        let itemsLine = line(of: "<items>", in: String(text[after...])) + line(of: "Roadside stop", in: text) - 1
        #expect(result.haul.diagnostics.map(\.line) == [itemsLine])
        if let lint = result.xmllint { #expect(lint.status != 0 && lint.lines == result.haul.diagnostics.map(\.line)) }
        #expect(result.haul.diagnostics.first?.message.contains("Expected is one of ( warrantReference, officer )") == true)
    }

    @Test("absurd values are out of bounds in the XSD itself, so xmllint agrees", arguments: [
        ("<amount>30000.00</amount>", "<amount>1000000000000000000000000000000</amount>"),
        ("<openedOn>2020-06-18</openedOn>", "<openedOn>9999-06-18</openedOn>"),
        ("2020-06-20T14:40:00+01:00", "9999-06-20T14:40:00+01:00"),
        ("<amount>30000.00</amount>", "<amount>-30000.00</amount>"),
        ("<amount>30000.00</amount>", "<amount>1,234.50</amount>"),
        ("<grossMass unit=\"kg\">8</grossMass>", "<grossMass unit=\"kg\">-8</grossMass>"),
        ("<grossMass unit=\"kg\">8</grossMass>", "<grossMass unit=\"stone\">8</grossMass>"),
        ("<substance>cocaine</substance>", "<substance>unobtainium</substance>"),
        ("<fineness>750</fineness>", "<fineness>1750</fineness>"),
        ("<currency>GBP</currency>", "<currency>gbp</currency>"),
    ])
    func outOfBounds(original: String, replacement: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = exampleText.replacingFirst(original, with: replacement)
        #expect(text != exampleText)
        let result = try check(text, in: folder)
        let expectedLine = line(of: replacement, in: text)
        #expect(!result.haul.isValid)
        #expect(result.haul.diagnostics.allSatisfy { $0.line == expectedLine })
        if let lint = result.xmllint { #expect(lint.status != 0 && Set(lint.lines) == [expectedLine]) }
    }

    /// An exported full case, as text, for semantic mutations.
    private func fullCaseText(_ folder: TemporaryFolder) throws -> String {
        let target = URL(fileURLWithPath: folder.path("full.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: target)
        return try String(contentsOf: target, encoding: .utf8)
    }

    @Test("rules the XSD cannot state are caught by the semantic pass, on the right line", arguments: [
        // (what to change, into what, the line's marker in the changed text, a phrase of the message)
        (#"<item id="I-7" exhibit="X/7">"#, #"<item id="I-1" exhibit="X/7">"#, #"<item id="I-1" exhibit="X/7">"#, "item id 'I-1' is used again"),
        (#"<item id="I-7" exhibit="X/7">"#, #"<item id="I-7" exhibit="X/1">"#, #"<item id="I-7" exhibit="X/1">"#, "exhibit reference 'X/1' is used again"),
        (#"<seizure id="S2" agency="A2">"#, #"<seizure id="S2" agency="A9">"#, #"agency="A9""#, "agency 'A9', which the header does not list"),
        (#"<items>I-3 I-1</items>"#, #"<items>I-3 I-99</items>"#, "I-99", "item 'I-99', which is not in the case"),
        (#"<currency>EUR</currency>"#, #"<currency>XXY</currency>"#, "XXY", "currency 'XXY' is not an ISO 4217 code"),
        (#"<amount>1050.50</amount>"#, #"<amount>1050.55</amount>"#, "<cash>", "does not match its denominations"),
        (#"<total kind="drug" basis="wholesale" items="1">"#, #"<total kind="drug" basis="wholesale" items="2">"#, #"<total kind="drug""#, "the items' valuations add up to 1 items"),
        (#"<high currency="GBP">12000.00</high>"#, #"<high currency="GBP">10000.00</high>"#, #"<valuation basis="market""#, "low ≤ central ≤ high"),
        ("<previousHash>\(Fixtures.hashA)", "<previousHash>\(String(repeating: "c", count: 64))", #"<event sequence="2">"#, "previous hash"),
        // Each event's hash is recomputed from its content: one changed field is named on the event's line.
        (#"<actor>DS 2</actor>"#, #"<actor>DS 3</actor>"#, #"<event sequence="2">"#, "event 2 was altered"),
        (#"<to>seized</to>"#, #"<to>detained</to>"#, #"<event sequence="1">"#, "event 1 was altered"),
        (#"<event sequence="2">"#, #"<event sequence="3">"#, #"<event sequence="3">"#, "event number 3 where 2 was expected"),
        (#"<seizedAt zone="Europe/London">2020-12-01T09:00:00Z"#, #"<seizedAt zone="Europe/London">2020-12-01T09:00:00+01:00"#, "2020-12-01T09:00:00+01:00", "Europe/London was at +00:00"),
        (#"<share recipient="HMCTS" percent="12.5">125.00</share>"#, #"<share recipient="HMCTS" percent="12.5">125.01</share>"#, "<distribution", "shares add up to 1000.02"),
        (#"<high currency="GBP">12000.00</high>"#, #"<high currency="EUR">12000.00</high>"#, #"<valuation basis="market""#, "are in different currencies (GBP, GBP, EUR)"),
        // A kind the totals leave out is named on the line of the case that holds them.
        (#"<total kind="drug" basis="wholesale" items="1">"#, #"<total kind="vehicle" basis="wholesale" items="1">"#, "<case ", "the totals leave out the drug / wholesale / GBP valuations"),
    ])
    func semanticRules(original: String, replacement: String, marker: String, phrase: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let full = try fullCaseText(folder)
        #expect(full.contains(original), "fixture text changed: \(original)")
        let text = full.replacingFirst(original, with: replacement)
        let result = try check(text, in: folder)
        if let lint = result.xmllint { #expect(lint.status == 0, "the XSD alone accepts this; only Haul's semantic pass can refuse it") }
        let matching = result.haul.diagnostics.filter { $0.message.contains(phrase) }
        #expect(matching.count == 1, "\(result.haul.diagnostics)")
        #expect(matching.first?.line == line(of: marker, in: text))
        #expect(matching.first?.origin == .semantic)
    }

    @Test("a cut chain: the chain head no longer matches the last event")
    func truncatedChain() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let full = try fullCaseText(folder)
        // Remove the second event, keep the head that named it.
        let start = full.range(of: #"    <event sequence="2">"#)!.lowerBound
        let end = full.range(of: "</event>\n", range: start..<full.endIndex)!.upperBound
        var text = full
        text.removeSubrange(start..<end)
        let result = try check(text, in: folder)
        #expect(result.haul.diagnostics.contains { $0.message.contains("the chain was cut or edited") })
    }

    @Test("the semantic pass is shown every element of a type with a currency or zone, as the XSD declares them")
    func semanticPassSeesEveryCheckedElement() throws {
        // Read the shipped XSD independently: which types carry a currency or zone attribute
        // (directly or by extension), and which elements are declared with those types.
        let schema = try String(contentsOf: HaulData.caseSchemaV1, encoding: .utf8)
        let typeBlocks = schema.components(separatedBy: "<xs:complexType name=\"").dropFirst()
        var carrying: Set<String> = []
        var bases: [String: String] = [:]
        for block in typeBlocks {
            let name = String(block.prefix { $0 != "\"" })
            let body = block.components(separatedBy: "</xs:complexType>").first ?? ""
            if body.contains("<xs:attribute name=\"currency\"") || body.contains("<xs:attribute name=\"zone\"") { carrying.insert(name) }
            if let range = body.range(of: "<xs:extension base=\"") { bases[name] = String(body[range.upperBound...].prefix { $0 != "\"" }) }
        }
        for (name, base) in bases where carrying.contains(base) { carrying.insert(name) }
        #expect(carrying.isSuperset(of: ["Money", "SignedMoney", "ZonedDateTime", "Distribution", "PaymentType"]))
        var elements: Set<String> = []
        for declaration in schema.components(separatedBy: "<xs:element name=\"").dropFirst() {
            let name = String(declaration.prefix { $0 != "\"" })
            guard let range = declaration.range(of: "type=\""), declaration.distance(from: declaration.startIndex, to: range.lowerBound) < 80 else { continue }
            let type = String(declaration[range.upperBound...].prefix { $0 != "\"" })
            if carrying.contains(type) { elements.insert(name) }
        }
        #expect(elements.count >= 20)
        let missing = elements.subtracting(CaseSemanticChecker.elementsRead)
        #expect(missing.isEmpty, "the semantic pass would never see \(missing.sorted())")
    }

    @Test("a file that is not a Haul case file says so")
    func notACaseFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("other.xml", "<?xml version=\"1.0\"?>\n<invoice xmlns=\"urn:example\"><total>3</total></invoice>\n")
        let report = try CaseFileValidator().validate(fileAt: path)
        #expect(report.diagnostics.contains { $0.line == 2 && $0.message.contains("this is not a Haul case file") })
        #expect(!report.diagnostics.contains { $0.message.contains("--profile") })
        // Haul's NIEM report and ECF filing are named, with the profile that checks them.
        for (root, namespace, profile) in [("SeizedPropertyReport", "urn:haul:ns:niem-seized-property:1", "niem"),
                                           ("FilingMessage", "https://docs.oasis-open.org/legalxml-courtfiling/ns/v5.0/filing", "ecf")] {
            let other = try folder.write("\(profile).xml", "<?xml version=\"1.0\"?>\n<\(root) xmlns=\"\(namespace)\"/>\n")
            let otherReport = try CaseFileValidator().validate(fileAt: other)
            #expect(otherReport.diagnostics.contains { $0.line == 2 && $0.message.hasSuffix("check it with --profile \(profile)") }, "\(otherReport.diagnostics)")
        }
    }

    @Test("a malformed file reports the parser's finding only, with its line")
    func malformed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = exampleText.replacingOccurrences(of: "</place>\n      <power>poca-s294-cash</power>", with: "</plaice>\n      <power>poca-s294-cash</power>")
        let path = try folder.write("case.xml", text)
        let report = try CaseFileValidator().validate(fileAt: path)
        #expect(report.diagnostics.map(\.origin) == [.parser])
        #expect(report.diagnostics.first?.message.contains("Opening and ending tag mismatch") == true)
        #expect(report.diagnostics.first?.line == line(of: "</plaice>", in: text))
        if let lint = try xmllint(["--noout", "--stream", path]) {
            #expect(xmllintErrorLines(lint.output, file: path).first == report.diagnostics.first?.line)
        }
    }

    @Test("line numbers stay exact past 65,535, for schema errors (xmllint --stream agrees) and semantic ones")
    func bigLineNumbers() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let (head, tail) = exampleText.split(once: #"        <item id="I-014""#)
        var body = ""
        for number in 0..<25_000 {
            body += "        <item id=\"X-\(number)\" exhibit=\"X/\(number)\">\n          <nonValued kind=\"phone\"/>\n        </item>\n"
        }
        let badKind = "        <item id=\"X-bad\" exhibit=\"X/bad\">\n          <nonValued kind=\"spaceship\"/>\n        </item>\n"
        let duplicate = "        <item id=\"X-7\" exhibit=\"X/dup\">\n          <nonValued kind=\"phone\"/>\n        </item>\n"
        let text = head + body + badKind + duplicate + #"        <item id="I-014""# + tail
        let result = try check(text, in: folder)
        let kindLine = line(of: "spaceship", in: text)
        let duplicateLine = line(of: #"<item id="X-7" exhibit="X/dup">"#, in: text)
        #expect(kindLine > 65_535 && duplicateLine > 65_535)
        if let lint = result.xmllint { #expect(lint.lines == [kindLine]) }
        #expect(result.haul.diagnostics.map(\.line) == [kindLine, duplicateLine])
        #expect(result.haul.diagnostics.last?.message.contains("first used on line \(line(of: #"<item id="X-7" exhibit="X/7">"#, in: text))") == true)
    }
}

extension String {
    /// This text with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }

    /// The text before and after the first occurrence of `separator` (which is dropped).
    func split(once separator: String) -> (String, String) {
        let range = self.range(of: separator)!
        return (String(self[..<range.lowerBound]), String(self[range.upperBound...]))
    }
}

@Suite("Identifier fingerprints")
struct FingerprintSetTests {
    @Test("every new identifier is accepted once and found again, through growth and with a size hint", arguments: [0, 80_000])
    func acceptsOnceFindsAgain(hint: Int) {
        let set = FingerprintSet(expectedCount: hint)
        let ids = (0..<60_000).map { "I-\($0)" }
        #expect(ids.allSatisfy { set.insert($0) })
        #expect(set.count == 60_000)
        #expect(ids.allSatisfy { !set.insert($0) })   // the second time, each is a duplicate
        #expect(ids.allSatisfy { set.contains($0) })
        #expect(!set.contains("I-60000") && !set.contains("") && !set.contains("I-0 "))
        #expect(set.count == 60_000)
    }
}
