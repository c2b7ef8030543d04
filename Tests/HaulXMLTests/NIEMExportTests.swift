import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HaulCore
import HaulTestSupport
import HaulData
import HaulXML
import Testing

/// The NIEM 6.0 seized-property profile: the export against a hand-written document, the
/// profile schemas' refusals (with xmllint as the independent judge), and the reference check
/// XSD cannot make.
@Suite("NIEM 6.0 export")
struct NIEMExportTests {
    static let niemFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("NIEM")
    static var expectedPath: String { niemFolder.appendingPathComponent("small-case.xml").path }
    static var profileSchema: String { HaulData.niemProfileSchema.path }

    /// The case small-case.xml was written for: a drug with a laboratory purity, a car, euro
    /// cash with two events in force (one of them a correction), and a firearm.
    static func smallCase() -> Case {
        let source = PriceSource(table: "valuations/GB-EAW/drugs.csv", line: 6, effectiveFrom: Fixtures.day("2020-01-01"),
                                 confidence: .secondary, citation: "A test source")
        func figure(_ basis: ValuationBasis, _ low: String, _ central: String, _ high: String, _ currency: Currency = .gbp) -> Valuation {
            try! Valuation(basis: basis, valuedOn: Fixtures.day("2021-03-02"), low: Money(decimal(low), currency),
                           central: Money(decimal(central), currency), high: Money(decimal(high), currency), sources: [source])
        }
        let drug = DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try! Mass(500, .gram)),
                            purity: try! Purity(percent: 61, method: .laboratory))
        let car = VehicleItem(make: "Ford", model: "Fiesta", year: 2017, registration: "AB17 CDE", vin: "WF0DXXGAKDHA12345",
                              mileage: try! Distance(40000, .miles), condition: .average, vehicleClass: .mainstream)
        let cash = try! CashItem(currency: .eur, countedAmount: decimal("2500.00"), denominations: [try! Denomination(value: 50, form: .note, count: 50)])
        let items = [
            Item(id: "I-1", exhibit: "SM/1", description: "White powder in a freezer bag", details: .drug(drug),
                 valuations: [figure(.wholesale, "15000", "20000", "25000"), figure(.street, "30000", "40000", "50000")]),
            Item(id: "I-2", exhibit: "SM/2", details: .vehicle(car), valuations: [figure(.market, "6000", "7000", "8000")]),
            Item(id: "I-3", exhibit: "SM/3", description: "Euro notes in an envelope", details: .cash(cash),
                 valuations: [figure(.face, "2500", "2500", "2500", .eur)]),
            Item(id: "I-4", exhibit: "SM/4", description: "Self-loading pistol", details: .nonValued(.firearm)),
        ]
        // The street figure is an upper bound only: the export must quote the wholesale one.
        var drugItem = items[0]
        drugItem.valuations[1].isUpperBound = true
        let seizure = Seizure(id: "S1", seizedAt: Fixtures.time("2021-03-01T06:00:00Z"), place: "Flat 2, Bristol", power: .misuseOfDrugsSection23,
                              warrantReference: "BRS-W-21/7", officer: "DC 4471", agency: "A1", items: [drugItem] + items[1...])
        let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
        let history = [
            StatusEvent(sequence: 1, at: Fixtures.time("2021-03-01T07:00:00Z"), items: ["I-3"], from: .seized, to: .detained,
                        regime: "gb-eaw-cash", actor: "DS 2290", previousHash: nil, hash: a),
            StatusEvent(sequence: 2, at: Fixtures.time("2021-03-03T11:00:00Z"), items: ["I-3"], from: .detained, to: .detentionOrder,
                        regime: "gb-eaw-cash", authority: "Bristol MC 2021/031", actor: "DS 2290", previousHash: a, hash: b),
            StatusEvent(sequence: 3, at: Fixtures.time("2021-03-03T12:00:00Z"), items: ["I-3"], from: .detained, to: .detentionOrder,
                        regime: "gb-eaw-cash", authority: "Bristol MC 2021/031", actor: "DS 2290", note: "time of the hearing corrected",
                        previousHash: b, hash: c, supersedes: 2),
        ]
        return Case(reference: "NIEM-1", jurisdiction: .englandAndWales, operationName: "Operation Small", openedOn: Fixtures.day("2021-03-01"),
                    agencies: [Agency(id: "A1", name: "Avon and Somerset Constabulary", role: .seizing)], seizures: [seizure], history: history)
    }

    /// Every element as "depth name {attributes} text", in document order.
    static func outline(_ path: String) throws -> [String] {
        let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
        var lines: [String] = []
        func visit(_ element: XMLElement, _ depth: Int) {
            let attributes = (element.attributes ?? []).map { "\($0.name ?? "")=\($0.stringValue ?? "")" }.sorted()
            let children = element.children?.compactMap { $0 as? XMLElement } ?? []
            let text = children.isEmpty ? (element.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines) : ""
            lines.append("\(depth) \(element.name ?? "") {\(attributes.joined(separator: " "))} \(text)")
            for child in children { visit(child, depth + 1) }
        }
        if let root = document.rootElement() { visit(root, 0) }
        return lines
    }

    func exported(_ operation: Case, in folder: TemporaryFolder) throws -> String {
        let path = folder.path("export.niem.xml")
        try NIEMExporter().export(operation, to: URL(fileURLWithPath: path))
        return path
    }

    @Test("the export of a hand-written case matches the hand-written NIEM document element by element")
    func matchesHandWrittenDocument() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try exported(Self.smallCase(), in: folder)
        let expected = try Self.outline(Self.expectedPath)
        let actual = try Self.outline(path)
        #expect(expected.count == 104)  // xmllint --xpath "count(//*)" agrees
        for (index, (want, got)) in zip(expected, actual).enumerated() {
            try #require(want == got, "element \(index + 1) differs")
        }
        #expect(actual.count == expected.count)
    }

    @Test("the hand-written document is valid for xmllint and for Haul's validator")
    func expectedDocumentIsValid() throws {
        #expect(try NIEMValidator().validate(fileAt: Self.expectedPath).isValid)
        if let lint = try xmllint(["--noout", "--schema", Self.profileSchema, Self.expectedPath]) {
            #expect(lint.status == 0, "\(lint.output)")
        }
    }

    /// One mutation of the valid document; both validators must refuse it.
    func refused(_ from: String, _ to: String, expecting words: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = try String(contentsOfFile: Self.expectedPath, encoding: .utf8)
        #expect(text.contains(from))
        let path = try folder.write("mutated.xml", text.replacingOccurrences(of: from, with: to))
        let report = try NIEMValidator().validate(fileAt: path)
        #expect(!report.isValid)
        #expect(report.diagnostics.contains { $0.message.contains(words) }, "\(report.diagnostics)")
        if let lint = try xmllint(["--noout", "--schema", Self.profileSchema, path]) {
            #expect(lint.status != 0, "xmllint accepted \(to)")
        }
    }

    @Test("the extension schema's document root is nillable (NIEM NDR 6.0 rule 9-94) and carries a definition")
    func rootIsNillable() throws {
        let schema = try XMLDocument(contentsOf: HaulData.niemProfileSchema, options: [])
        let root = try #require(try schema.nodes(forXPath: "/*/*[local-name() = 'element' and @name = 'SeizedPropertyReport']").first as? XMLElement)
        #expect(root.attribute(forName: "nillable")?.stringValue == "true")
        #expect(try !root.nodes(forXPath: "*[local-name() = 'annotation']/*[local-name() = 'documentation']").isEmpty)
    }

    @Test("a currency code outside ISO 4217 is refused by the profile schemas")
    func wrongCurrencyRefused() throws {
        try refused("<iso_4217:CurrencyCode>GBP</iso_4217:CurrencyCode>", "<iso_4217:CurrencyCode>GBX</iso_4217:CurrencyCode>", expecting: "GBX")
    }

    @Test("an amount written with a thousands comma is refused")
    func commaAmountRefused() throws {
        try refused("<nc:Amount>20000.00</nc:Amount>", "<nc:Amount>20,000.00</nc:Amount>", expecting: "20,000.00")
    }

    @Test("two elements out of schema order are refused")
    func outOfOrderRefused() throws {
        let exhibit = """
                  <nc:ItemOtherIdentification>
                    <nc:IdentificationID>SM/4</nc:IdentificationID>
                    <nc:IdentificationCategoryDescriptionText>exhibit</nc:IdentificationCategoryDescriptionText>
                  </nc:ItemOtherIdentification>
            """
        let description = "      <nc:ItemDescriptionText>Self-loading pistol</nc:ItemDescriptionText>\n"
        try refused(description + exhibit, exhibit + "\n" + description.dropLast(), expecting: "ItemDescriptionText")
    }

    @Test("a dangling structures:ref passes XSD (xmllint accepts it) but the semantic pass catches it")
    func danglingReferenceCaught() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = try String(contentsOfFile: Self.expectedPath, encoding: .utf8)
        let path = try folder.write("dangling.xml", text.replacingOccurrences(of: "structures:ref=\"item-I-3\"", with: "structures:ref=\"item-I-99\""))
        let report = try NIEMValidator().validate(fileAt: path)
        #expect(report.diagnostics.count == 1)
        let problem = try #require(report.diagnostics.first)
        #expect(problem.origin == .semantic)
        #expect(problem.message.contains("item-I-99"))
        #expect(problem.line == 110)
        if let lint = try xmllint(["--noout", "--schema", Self.profileSchema, path]) {
            #expect(lint.status == 0, "xmllint now checks IDREFs itself: \(lint.output)")
        }
    }

    @Test("a nil report passes the schema (its root is nillable, NDR rule 9-94; xmllint agrees) but is refused as carrying nothing")
    func nilReportRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = try folder.write("nil.xml", """
            <?xml version="1.0" encoding="UTF-8"?>
            <haul:SeizedPropertyReport xmlns:haul="urn:haul:ns:niem-seized-property:1" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>

            """)
        let report = try NIEMValidator().validate(fileAt: path)
        #expect(report.diagnostics.map(\.message) == ["the report is nil (xsi:nil): it carries no case, seizure or item"])
        #expect(report.diagnostics.first?.line == 2 && report.diagnostics.first?.origin == .semantic)
        if let lint = try xmllint(["--noout", "--schema", Self.profileSchema, path]) {
            #expect(lint.status == 0, "\(lint.output)")
        }
    }

    @Test("an evidence record pointing at something other than a seized item is caught")
    func evidenceMustPointAtItem() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = try String(contentsOfFile: Self.expectedPath, encoding: .utf8)
            .replacingOccurrences(of: "<j:ItemSeizure>", with: "<j:ItemSeizure structures:id=\"seizure-S1\">")
            .replacingOccurrences(of: "structures:ref=\"item-I-3\"", with: "structures:ref=\"seizure-S1\"")
        let report = try NIEMValidator().validate(fileAt: try folder.write("wrong-target.xml", text))
        #expect(report.diagnostics.map(\.origin) == [.semantic])
        #expect(report.diagnostics.first?.message.contains("not a seized item") == true)
    }

    @Test("a currency NIEM 6.0's list lacks is named before anything is written")
    func currencyOutsideNIEMListRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var operation = Self.smallCase()
        // XCG (Caribbean guilder, 2025) is current in Haul's table but newer than NIEM 6.0.
        let guilder = try Currency(code: "XCG")
        operation.seizures[0].items[2].valuations = [try Valuation(basis: .face, valuedOn: Fixtures.day("2026-01-02"), low: Money(100, guilder),
                                                                    central: Money(100, guilder), high: Money(100, guilder), sources: [Fixtures.source])]
        let target = folder.path("x.niem.xml")
        let error = try #require(throws: HaulXMLError.self) { try NIEMExporter().export(operation, to: URL(fileURLWithPath: target)) }
        #expect(error.message.contains("I-3") && error.message.contains("XCG"))
        #expect(!FileManager.default.fileExists(atPath: target))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test("every shipped subset currency is one Haul knows, and the drug categories cover every substance")
    func codeListsCoverHaul() throws {
        let allowed = try NIEMProfile.allowedCurrencies()
        #expect(allowed.count == 165)
        #expect(allowed.contains("GBP") && allowed.contains("EUR") && allowed.contains("USD"))
        for code in allowed { #expect((try? Currency(code: code)) != nil, "\(code)") }
        let ucr = try String(contentsOf: HaulData.niemProfileSchema.deletingLastPathComponent().appendingPathComponent("codes/ucr.xsd"), encoding: .utf8)
        for substance in Substance.allCases {
            #expect(ucr.contains("value=\"\(NIEMProfile.drugCategory(substance))\""), "\(substance)")
        }
    }
}

/// Checks against the full NIEM 6.0 release, when a copy of its xsd/ folder is at
/// `.niem-reference/xsd` or `$HAUL_NIEM_REFERENCE` (it is 18 MB and not shipped).
@Suite("NIEM 6.0 subset against the full release")
struct NIEMReferenceReleaseTests {
    static var referenceFolder: String? {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["HAUL_NIEM_REFERENCE"],
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.niem-reference/xsd").standardizedFileURL.path]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0 + "/niem-core.xsd") }
    }

    @Test("the subset is a true subset and Haul's documents validate against the full release",
          .enabled(if: referenceFolder != nil, "no NIEM 6.0 release at .niem-reference/xsd or $HAUL_NIEM_REFERENCE: copy niemopen/niem-model's xsd/ folder there to run this check"))
    func validAgainstFullRelease() throws {
        let reference = try #require(Self.referenceFolder)
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts/check-niem-subset.py").standardizedFileURL.path
        let check = try run("/usr/bin/python3", [script, reference, HaulData.niemProfileSchema.deletingLastPathComponent().path])
        #expect(check.status == 0, "\(check.output)")
        // The extension schema with its imports pointed at the full release.
        let extensionSchema = try String(contentsOf: HaulData.niemProfileSchema, encoding: .utf8)
            .replacingOccurrences(of: "schemaLocation=\"", with: "schemaLocation=\"\(reference)/")
        let schema = try folder.write("haul-seized-property-full.xsd", extensionSchema)
        let export = folder.path("small.niem.xml")
        try NIEMExporter().export(NIEMExportTests.smallCase(), to: URL(fileURLWithPath: export))
        if let lint = try xmllint(["--noout", "--schema", schema, export, NIEMExportTests.expectedPath]) {
            #expect(lint.status == 0, "\(lint.output)")
        }
    }

    @Test("scripts/build-niem-subset.py builds from the release a subset with the release's definitions and structures whole, accepting Haul's documents",
          .enabled(if: referenceFolder != nil, "no NIEM 6.0 release at .niem-reference/xsd or $HAUL_NIEM_REFERENCE: copy niemopen/niem-model's xsd/ folder there to run this check"))
    func builtSubset() throws {
        let reference = try #require(Self.referenceFolder)
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scripts").standardizedFileURL.path
        let built = folder.path("subset")
        let made = try run("/usr/bin/python3", [scripts + "/build-niem-subset.py", reference, built])
        #expect(made.status == 0, "\(made.output)")
        // A true subset of the release, holding everything the shipped subset holds.
        let check = try run("/usr/bin/python3", [scripts + "/check-niem-subset.py", reference, built])
        #expect(check.status == 0, "\(check.output)")
        let holdsShipped = try run("/usr/bin/python3", [scripts + "/check-niem-subset.py", built, HaulData.niemProfileSchema.deletingLastPathComponent().path])
        #expect(holdsShipped.status == 0, "\(holdsShipped.output)")
        // NDR 6.0 rule 10-9: structures used whole.
        #expect(FileManager.default.contents(atPath: built + "/utility/structures.xsd") == FileManager.default.contents(atPath: reference + "/utility/structures.xsd"))
        // Rules 8-19 and 7-39: every component and every code value with the release's own definition.
        func definitions(_ path: String) throws -> [String: String] {
            let document = try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: [])
            var found: [String: String] = [:]
            for node in try document.nodes(forXPath: "/*/*[@name] | //*[local-name() = 'enumeration']") {
                guard let element = node as? XMLElement else { continue }
                let name = element.attribute(forName: "name")?.stringValue ?? "value " + (element.attribute(forName: "value")?.stringValue ?? "")
                let parent = (element.parent as? XMLElement)?.parent as? XMLElement
                let owner = element.localName == "enumeration" ? ((parent?.attribute(forName: "name")?.stringValue) ?? "") + "/" : ""
                found[owner + name] = try element.nodes(forXPath: "*[local-name() = 'annotation']/*[local-name() = 'documentation']").map { $0.stringValue ?? "" }.joined(separator: "\n")
            }
            return found
        }
        for file in ["niem-core.xsd", "domains/justice.xsd", "adapters/niem-xs.xsd", "codes/iso_4217.xsd", "codes/ucr.xsd"] {
            let mine = try definitions(built + "/" + file), theirs = try definitions(reference + "/" + file)
            #expect(!mine.isEmpty)
            for (name, definition) in mine {
                #expect(!definition.isEmpty, "\(file): \(name) has no definition")
                #expect(definition == theirs[name], "\(file): \(name) is not defined as the release defines it")
            }
        }
        // Haul's documents validate against it as against the shipped subset.
        let export = folder.path("small.niem.xml")
        try NIEMExporter().export(NIEMExportTests.smallCase(), to: URL(fileURLWithPath: export))
        if let lint = try xmllint(["--noout", "--schema", built + "/haul-seized-property.xsd", export, NIEMExportTests.expectedPath]) {
            #expect(lint.status == 0, "\(lint.output)")
        }
    }
}
