import Foundation
import HaulCore
import HaulTestSupport
import HaulData
@testable import HaulXML
import Testing

@Suite("Streaming export (write and validate at once)")
struct StreamingExportTests {
    func header() -> Case {
        var operation = Fixtures.minimalCase(.nonValued(.phone))
        operation.seizures = []
        return operation
    }

    @Test("items written one by one give the same file as the whole-case writer, validated, with progress")
    func sameAsWholeCase() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let full = Fixtures.fullCase()
        var reported: [Int] = []
        let streamed = URL(fileURLWithPath: folder.path("streamed.xml"))
        var streamHeader = full
        streamHeader.seizures = []
        let export = try StreamingCaseExport(target: streamed, header: streamHeader)
        export.progressInterval = 5
        export.progress = { reported.append($0) }
        for seizure in full.seizures {
            try export.beginSeizure(seizure)
            for item in seizure.items { try export.item(item) }
            try export.endSeizure()
        }
        #expect(try export.finish() == 12)
        #expect(reported == [5, 10])
        let whole = URL(fileURLWithPath: folder.path("whole.xml"))
        try CaseFileExporter().export(full, to: whole)
        #expect(try Data(contentsOf: streamed) == Data(contentsOf: whole))
    }

    @Test("a case with no seizure yet (schema 1.6): both exporters write the same valid file with an empty <seizures/>, and it reads back")
    func noSeizure() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let whole = URL(fileURLWithPath: folder.path("whole.xml"))
        let streamed = URL(fileURLWithPath: folder.path("streamed.xml"))
        try CaseFileExporter().export(header(), to: whole)
        let export = try StreamingCaseExport(target: streamed, header: header())
        #expect(try export.finish() == 0)
        let text = try String(contentsOf: whole, encoding: .utf8)
        #expect(text.contains("schemaVersion=\"1.6\"") && text.contains("<seizures/>"), "\(text)")
        #expect(try Data(contentsOf: streamed) == Data(contentsOf: whole))
        #expect(try CaseFileValidator().validate(fileAt: whole.path).isValid)
        let read = try CaseFileReader().read(fileAt: whole.path)
        #expect(read.reference == header().reference && read.seizures.isEmpty)
    }

    @Test("an export dropped part-way (the register could not be read): nothing is left behind")
    func abandoned() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = URL(fileURLWithPath: folder.path("dropped.xml"))
        let full = Fixtures.fullCase()
        do {
            let export = try StreamingCaseExport(target: target, header: header())
            try export.beginSeizure(full.seizures[0])
            for item in full.seizures[0].items { try export.item(item) }
        }
        // The validating thread read an end and finished: nothing waits on the pipe, nothing is on disk.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }

    @Test("an invalid item anywhere in a long stream: nothing is published, and the reason names its line")
    func invalidNotPublished() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let target = URL(fileURLWithPath: folder.path("large.xml"))
        let export = try StreamingCaseExport(target: target, header: header())
        try export.beginSeizure(Seizure(id: "S1", seizedAt: Fixtures.time("2021-03-01T10:00:00Z"), place: "x", power: .other, officer: "y", agency: "A1", items: []))
        for index in 0..<20_000 {
            let id = try Identifier("I-\(index)")
            try export.item(Item(id: id, exhibit: index == 15_000 ? "E-dup" : (index == 17_000 ? "E-dup" : id), details: .nonValued(.phone)))
        }
        try export.endSeizure()
        #expect { try export.finish() } throws: { error in
            (error as? HaulXMLError)?.diagnostics.contains { $0.message == "exhibit reference 'E-dup' is used again" } ?? false
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).isEmpty)
    }
}
