import Foundation
import HaulCore
import HaulTestSupport
import HaulData
@testable import HaulXML
import Testing

@Suite("Write → validate → read")
struct RoundTripTests {
    private let schema = HaulData.caseSchemaV1.path

    @Test("a case with every section comes back the same, and xmllint agrees the file is valid")
    func fullCaseRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let original = Fixtures.fullCase()
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(original, to: target)

        if let lint = try xmllint(["--noout", "--schema", schema, target.path]) {
            #expect(lint.status == 0, "xmllint: \(lint.output)")
        }
        let readBack = try CaseFileReader().read(fileAt: target.path)
        #expect(readBack == original)
    }

    @Test("every item kind survives write → validate → read", arguments: Fixtures.everyKind().map(\.details))
    func everyKind(details: ItemDetails) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let original = Fixtures.minimalCase(details)
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(original, to: target)
        if let lint = try xmllint(["--noout", "--schema", schema, target.path]) { #expect(lint.status == 0) }
        #expect(try CaseFileReader().read(fileAt: target.path) == original)
    }

    @Test("money is rounded once, at export, half away from zero to the minor unit")
    func roundingAtExport() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var operation = Fixtures.minimalCase(.nonValued(.other))
        operation.seizures[0].items[0] = Item(id: "I-1", exhibit: "E/1",
                                              details: .watch(WatchItem(brand: "Omega", model: "Speedmaster", condition: .good, hasBox: false, hasPapers: false)),
                                              valuations: [Fixtures.valuation(.market, "1234.564", "1234.565", "1234.5651"),
                                                           Fixtures.valuation(.realisable, "1500.4", "1500.5", "1500.5", currency: try Currency(code: "JPY"))])
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(operation, to: target)
        let text = try String(contentsOf: target, encoding: .utf8)
        #expect(text.contains(#"<low currency="GBP">1234.56</low>"#))
        #expect(text.contains(#"<central currency="GBP">1234.57</central>"#))
        #expect(text.contains(#"<high currency="GBP">1234.57</high>"#))
        #expect(text.contains(#"<central currency="JPY">1501</central>"#))
        #expect(text.contains(#"<low currency="JPY">1500</low>"#))
    }

    @Test("totals are written from the items' valuations, by kind and basis, upper bounds left out")
    func totalsWritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: target)
        let text = try String(contentsOf: target, encoding: .utf8)
        // Worked by hand from Fixtures.everyKind(): one wholesale drug valuation (the street
        // figure is an upper bound), one face cash valuation, a watch's market and realisable.
        let expected = """
          <totals>
            <total kind="drug" basis="wholesale" items="1">
              <low currency="GBP">30000.00</low>
              <central currency="GBP">40000.00</central>
              <high currency="GBP">55000.00</high>
            </total>
            <total kind="cash" basis="face" items="1">
              <low currency="GBP">920.10</low>
              <central currency="GBP">920.10</central>
              <high currency="GBP">920.10</high>
            </total>
            <total kind="watch" basis="market" items="1">
              <low currency="GBP">9000.00</low>
              <central currency="GBP">10500.00</central>
              <high currency="GBP">12000.00</high>
            </total>
            <total kind="watch" basis="realisable" items="1">
              <low currency="GBP">6390.00</low>
              <central currency="GBP">7455.00</central>
              <high currency="GBP">8520.00</high>
            </total>
          </totals>
        """
        #expect(text.contains(expected))
    }

    @Test("special characters are escaped and come back intact")
    func escaping() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: target)
        let text = try String(contentsOf: target, encoding: .utf8)
        #expect(text.contains("Operation Test &amp; &quot;Quotes&quot;"))
        #expect(text.contains("DrugWise Highways &amp; Buyways 2016 &lt;street&gt;"))
        let readBack = try CaseFileReader().read(fileAt: target.path)
        #expect(readBack.operationName == "Operation Test & \"Quotes\"")
        #expect(readBack.seizures[0].place == "Bath & district")
    }

    @Test("the bundled example validates here and with xmllint, and reads as the case it describes")
    func example() throws {
        let example = HaulData.example("south-west-2020.xml").path
        #expect(try CaseFileValidator().validate(fileAt: example).isValid)
        if let lint = try xmllint(["--noout", "--schema", schema, example]) { #expect(lint.status == 0) }
        let operation = try CaseFileReader().read(fileAt: example)
        // The press report's figures: £500,000 + £30,000 + £80,000 in cash; 8 kg and 4 kg of drugs.
        #expect(CaseSummary(operation).cashFaceValue == [Money(610_000, .gbp)])
        #expect(operation.seizures.count == 3)
        let masses = operation.items.compactMap { item -> FixedDecimal? in
            if case .drug(let drug) = item.details, case .mass(let mass) = drug.quantity { return mass.grams }
            return nil
        }
        #expect(masses == [8000, 4000])
    }

    @Test("an export that does not validate is never published and leaves the target as it was")
    func invalidExportNotPublished() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        try "previous version".write(to: target, atomically: true, encoding: .utf8)
        var operation = Fixtures.minimalCase(.nonValued(.phone))
        operation.seizures[0].place = String(repeating: "x", count: 201)  // ShortText allows 200
        #expect { try CaseFileExporter().export(operation, to: target) } throws: { error in
            guard let error = error as? HaulXMLError else { return false }
            return error.code == .invalidDocument && error.diagnostics.contains { $0.message.contains("place") }
        }
        #expect(try String(contentsOf: target, encoding: .utf8) == "previous version")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["case.xml"])
    }

    @Test("the semantic pass refuses a case whose identifiers clash, even though the XSD allows it")
    func duplicateIdentifiersNotPublished() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var operation = Fixtures.fullCase()
        operation.seizures[1].items[0].id = "I-1"
        let target = URL(fileURLWithPath: folder.path("case.xml"))
        #expect { try CaseFileExporter().export(operation, to: target) } throws: { error in
            (error as? HaulXMLError)?.diagnostics.contains { $0.message.contains("item id 'I-1' is used again") } ?? false
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }
}
