import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HaulData
import Testing

/// `haul export --profile niem|ecf` on the bundled example, judged by xmllint and by Haul's own
/// case-file export of the same register.
@Suite("haul export --profile niem and ecf")
struct StandardExportCLITests {
    let cli = CLITests()

    static var niemSchema: String { HaulData.niemProfileSchema.path }

    /// The corrected ECF 5.0 schemas (scripts/fix-ecf-schemas.sh), when present.
    static var ecfFilingSchema: String? {
        let candidates: [String?] = [ProcessInfo.processInfo.environment["HAUL_ECF_SCHEMAS"],
                                     URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../.ecf-schemas").standardizedFileURL.path]
        return candidates.compactMap { $0 }.map { $0 + "/filing.xsd" }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// FoundationXML's `attribute(forName:)` misses attributes of elements in a default
    /// namespace, so look through the list.
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        (element.attributes ?? []).first { $0.name == name }?.stringValue
    }

    static func children(_ element: XMLElement, _ name: String) -> [XMLElement] {
        (element.children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == name }
    }

    static func descendants(_ element: XMLElement, _ name: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for child in (element.children ?? []).compactMap({ $0 as? XMLElement }) {
            if child.localName == name { found.append(child) }
            found += descendants(child, name)
        }
        return found
    }

    /// item id → "amount currency" of its first figure that is not only an upper bound, read
    /// from Haul's own case file (nil for items without one).
    static func quotedFigures(inCaseFile path: String) throws -> [String: String?] {
        let root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: path), options: []).rootElement())
        var figures: [String: String?] = [:]
        for item in descendants(root, "seizure").flatMap({ children($0, "items") }).flatMap({ children($0, "item") }) {
            let id = try #require(attribute(item, "id"))
            let quoted = children(item, "valuations").flatMap { children($0, "valuation") }
                .first { attribute($0, "upperBound") != "true" }
            figures.updateValue(quoted.flatMap { children($0, "central").first }.map { "\($0.stringValue ?? "") \(attribute($0, "currency") ?? "")" }, forKey: id)
        }
        return figures
    }

    @Test("the example exports as NIEM, xmllint accepts it, and every item appears with the value and currency Haul quotes")
    func exampleExportsAsNIEM() throws {
        let (folder, environment) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let niem = folder + "/sw.niem.xml", own = folder + "/sw.xml"
        #expect(try cli.haul("status", "I-009", "detained", "--on", "2020-06-18T07:20", environment: environment).status == 0)
        let result = try cli.haul("export", "SW-2020-0417", "--profile", "niem", "-o", niem, environment: environment)
        #expect(result.status == 0, "\(result.stdout + result.stderr)")
        #expect(try cli.haul("export", "SW-2020-0417", "-o", own, environment: environment).status == 0)
        if let lint = try RegisterCLITests.tool("xmllint") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: lint)
            process.arguments = ["--noout", "--schema", Self.niemSchema, niem]
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }

        let expected = try Self.quotedFigures(inCaseFile: own)
        #expect(expected.count == 14)
        #expect(expected.values.filter { $0 != nil }.count == 9)   // the pistol, the moderator, the phone, the methamphetamine and the unpriced Range Rover have none
        let root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: niem), options: []).rootElement())
        var seen: [String: String?] = [:]
        for item in Self.descendants(root, "ItemSeizureItem") {
            let id = String(try #require(Self.attribute(item, "structures:id")).dropFirst("item-".count))
            let amount = Self.descendants(item, "Amount").first?.stringValue
            let currency = Self.descendants(item, "CurrencyCode").first?.stringValue
            seen.updateValue(amount.map { "\($0) \(currency ?? "")" }, forKey: id)
        }
        #expect(seen == expected)

        // haul validate --profile niem: the export passes; a reference to no item is named with its line.
        #expect(try cli.haul("validate", "--profile", "niem", niem, environment: environment).status == 0)
        let text = try String(contentsOfFile: niem, encoding: .utf8)
        let firstReference = try #require(text.range(of: "structures:ref=\"item-I-009\""))
        let line = text[..<firstReference.lowerBound].filter { $0 == "\n" }.count + 1
        let broken = folder + "/broken.niem.xml"
        try text.replacingOccurrences(of: "structures:ref=\"item-I-009\"", with: "structures:ref=\"item-I-999\"").write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = try cli.haul("validate", "--profile", "niem", broken, environment: environment)
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("broken.niem.xml:\(line): EvidenceItem has structures:ref 'item-I-999'"), "\(refused.stdout)")
    }

    @Test("the ECF filing goes to the court of the case's proceedings unless --court names another, and carries the validated case file byte for byte")
    func exampleExportsAsECF() throws {
        let (folder, environment) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let filing = folder + "/filing.xml", own = folder + "/sw.xml"
        // The example's proceedings are at Bristol Crown Court (a case without them: ProceedingsCLITests).
        let toTheirCourt = try cli.haul("export", "SW-2020-0417", "--profile", "ecf", "-o", filing, environment: environment)
        #expect(toTheirCourt.status == 0, "\(toTheirCourt.stderr)")
        #expect(try String(contentsOfFile: filing, encoding: .utf8).contains("<nc:OrganizationName>Bristol Crown Court</nc:OrganizationName>"))

        let result = try cli.haul("export", "SW-2020-0417", "--profile", "ecf", "--court", "Bristol Crown Court", "--court-id", "BRS", "-o", filing, environment: environment)
        #expect(result.status == 0, "\(result.stdout + result.stderr)")
        #expect(try cli.haul("export", "SW-2020-0417", "-o", own, environment: environment).status == 0)
        let root = try #require(try XMLDocument(contentsOf: URL(fileURLWithPath: filing), options: []).rootElement())
        #expect(root.localName == "FilingMessage")
        let objects = Self.descendants(root, "Base64BinaryObject")
        #expect(objects.count == 1)
        let carried = try #require(Data(base64Encoded: objects.first?.stringValue ?? "", options: .ignoreUnknownCharacters))
        #expect(carried == FileManager.default.contents(atPath: own))
        #expect(Self.descendants(root, "BinarySizeValue").first?.stringValue == String(carried.count))
        #expect(Self.descendants(root, "CaseTrackingID").first?.stringValue?.contains("SW-2020-0417") == true)
        #expect(Self.descendants(root, "OrganizationName").allSatisfy { $0.stringValue == "Bristol Crown Court" })
        // A criminal case by ECF 5.0's CaseTypeCode list (CS01 schema/CaseTypeCode.gc); CaseCategoryCode
        // is the type of trial, its list left empty for court policy, so none is sent.
        #expect(Self.descendants(root, "CaseTypeCode").map(\.stringValue) == ["criminal"])
        #expect(Self.descendants(root, "CaseCategoryCode").isEmpty)

    }

    @Test("ECF filings carrying the case file or the NIEM report validate against the ECF 5.0 filing schema",
          .enabled(if: ecfFilingSchema != nil, "the corrected ECF 5.0 schemas are not present: run scripts/fix-ecf-schemas.sh on the ECF 5.0 schema/ folder (or set HAUL_ECF_SCHEMAS)"))
    func ecfFilingsValidate() throws {
        let schema = try #require(Self.ecfFilingSchema)
        let (folder, environment) = try cli.valuedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for attach in ["haul", "niem"] {
            let path = folder + "/filing-\(attach).xml"
            let result = try cli.haul("export", "SW-2020-0417", "--profile", "ecf", "--attach", attach, "--court", "Bristol Crown Court", "-o", path,
                                      environment: environment)
            #expect(result.status == 0, "\(result.stdout + result.stderr)")
            if let lint = try RegisterCLITests.tool("xmllint") {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: lint)
                process.arguments = ["--noout", "--schema", schema, path]
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationStatus == 0, "the ECF 5.0 filing schema refused the filing carrying \(attach)")
            }
        }
    }
}
