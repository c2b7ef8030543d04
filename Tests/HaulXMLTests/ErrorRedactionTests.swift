import Foundation
import HaulCore
import HaulData
import HaulTestSupport
import HaulXML
import Testing

/// A case file's errors quote what libxml2 quotes: the offending value, which may be a VIN, a
/// registration or a name. The error's description (what a log prints) leaves each value out;
/// the unredacted text, which `haul` prints to the user, keeps it.
@Suite("Case-file errors leave quoted values out of their description")
struct ErrorRedactionTests {
    @Test("a VIN the schema refuses is named in the unredacted text only; the element and pattern stay")
    func vinLeftOut() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // The bundled example with its first VIN given an I, O and Q, which ISO 3779 VINs never
        // hold: the schema's pattern [A-HJ-NPR-Z0-9]{17} refuses it (xmllint agrees: line 72).
        let example = try String(contentsOf: HaulData.example("south-west-2020.xml"), encoding: .utf8)
        #expect(example.contains("<vin>WDB4632761X312345</vin>"))
        let path = try folder.write("bad-vin.xml", example.replacingOccurrences(of: "<vin>WDB4632761X312345</vin>", with: "<vin>WDB46327IOQ312345</vin>"))
        do {
            _ = try CaseFileReader().read(fileAt: path, displayName: "bad-vin.xml")
            Issue.record("a VIN with I, O and Q was accepted")
        } catch {
            #expect(error.code == .invalidDocument)
            let line = try #require(error.diagnostics.first { $0.message.contains("vin") })
            #expect(line.line == 72)
            #expect(line.message.contains("'WDB46327IOQ312345'"))
            #expect(error.unredactedDescription.contains("WDB46327IOQ312345"))
            #expect(!error.description.contains("WDB46327IOQ312345"))
            #expect(!"\(error)".contains("IOQ"))
            // What the schema says stays readable in the log: the element and the pattern.
            #expect(error.description.contains("bad-vin.xml:72: "))
            #expect(error.description.contains("Element 'vin': [facet 'pattern']"))
            #expect(error.description.contains("The value '<personal data>' is not accepted by the pattern '[A-HJ-NPR-Z0-9]{17}'"))
        }
    }

    @Test("an error's message built on another keeps the other's personal values marked")
    func markedThroughWrapping() {
        let inner = HaulXMLError(.invalidDocument, "no item '\(personal: "AB12 CDE")' in the file")
        let outer = HaulXMLError(.io, "the case could not be exported: \(error: inner)")
        #expect(outer.message == "the case could not be exported: no item 'AB12 CDE' in the file")
        #expect(outer.description == "io: the case could not be exported: no item '<personal data>' in the file")
        struct Foreign: Error, CustomStringConvertible { var description: String { "value 'Jane Doe' refused" } }
        let fromForeign = HaulXMLError(.io, "cannot read it back: \(error: Foreign())")
        #expect(fromForeign.message == "cannot read it back: value 'Jane Doe' refused")
        #expect(fromForeign.description == "io: cannot read it back: a Foreign")
    }
}
