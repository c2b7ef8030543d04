import Foundation
import HaulCore
import HaulTestSupport
@testable import HaulXML
import Testing

/// Reading a case file item by item (the import's way in).
@Suite("Streaming read (items delivered as read, in order)")
struct StreamingReadTests {
    /// A case of three seizures holding 1,000, 1 and 300 items (more than a few 64-item batches, and
    /// a seizure smaller than one).
    static func largeCase() -> Case { Fixtures.caseOfSeizures([1_000, 1, 300]) }

    @Test("every item once, in file order, with its seizure's place and id, on the reading thread")
    func order() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let operation = Self.largeCase()
        let path = folder.path("large.xml")
        try CaseFileExporter().export(operation, to: URL(fileURLWithPath: path))
        let reader = pthread_self()
        var delivered: [(Int, String, String)] = []
        var elsewhere = 0
        let skeleton = try CaseFileReader().stream(fileAt: path) { reference, seizure, seizureID, item in
            #expect(reference.value == "MIN-1")
            if pthread_equal(pthread_self(), reader) == 0 { elsewhere += 1 }
            delivered.append((seizure, seizureID.value, item.id.value))
        }
        let expected = operation.seizures.enumerated().flatMap { index, seizure in seizure.items.map { (index, seizure.id.value, $0.id.value) } }
        #expect(delivered.count == 1_301)
        #expect(delivered.elementsEqual(expected) { $0 == $1 })
        #expect(elsewhere == 0)
        #expect(skeleton.seizures.map(\.items.count) == [0, 0, 0])
    }

    @Test("an item with every part reads the same streamed (captured flat, mapped aside) as read whole (mapped from the tree)")
    func everyPartBothWays() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var operation = Fixtures.fullCase()
        var items = Fixtures.itemsWithEveryPart()
        // Spaces that are one character with a mark (combining after a leading one, prepended
        // before a trailing one): trimmed by characters, so they stay.
        items[2].description = " \u{301}combining, prepended \u{600} "
        items[3].description = "\t plain ASCII edges \n"
        operation.seizures[0].items = Array(items[0..<6])
        operation.seizures[1].items = Array(items[6...])
        operation.people = [Person(id: "P-1", role: .defendant, name: "A. Smith"), Person(id: "P-2", role: .thirdParty, name: "Finance Ltd"),
                            Person(id: "P-3", role: .thirdParty, name: "B. Jones")]
        let path = folder.path("every-part.xml")
        try CaseFileExporter().export(operation, to: URL(fileURLWithPath: path))
        let whole = try CaseFileReader().read(fileAt: path)
        var streamed: [[Item]] = [[], []]
        _ = try CaseFileReader().stream(fileAt: path) { _, seizure, _, item in streamed[seizure].append(item) }
        #expect(streamed[0] == whole.seizures[0].items)
        #expect(streamed[1] == whole.seizures[1].items)
        // And both are the items exported, as the file keeps them.
        #expect(streamed.flatMap { $0 }.map(\.id) == items.map(\.id))
        #expect(streamed[0][0].interests == items[0].interests)
        #expect(streamed[0][1].description == items[1].description)
        #expect(streamed[0][2].description == whole.seizures[0].items[2].description)
        #expect(streamed[0][2].description?.hasSuffix("\u{600} ") == true)
        #expect(streamed[0][3].description == "plain ASCII edges")
    }

    @Test("a file refused as hostile after the items: the refusal is what the read throws, even when the receiver failed first")
    func refusalAfterItems() throws {
        struct Full: Error {}
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("large.xml")
        try CaseFileExporter().export(Self.largeCase(), to: URL(fileURLWithPath: path))
        let hostile = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "</case>", with: "<a " + (0..<300).map { "x\($0)=\"1\"" }.joined(separator: " ") + "/></case>")
        try hostile.write(toFile: path, atomically: true, encoding: .utf8)
        for failAt in [10, Int.max] {
            var calls = 0
            #expect { _ = try CaseFileReader().stream(fileAt: path) { _, _, _, _ in
                calls += 1
                if calls == failAt { throw Full() }
            } } throws: { error in
                (error as? HaulXMLError)?.code == .unsafeDocument && "\(error)".contains("more than 256 attributes")
            }
        }
    }

    @Test("a receiver that fails on the 500th item: nothing after it is delivered, and its error is what the read throws")
    func receiverFails() throws {
        struct Full: Error {}
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("large.xml")
        try CaseFileExporter().export(Self.largeCase(), to: URL(fileURLWithPath: path))
        var calls = 0
        #expect(throws: Full.self) {
            _ = try CaseFileReader().stream(fileAt: path) { _, _, _, _ in
                calls += 1
                if calls == 500 { throw Full() }
            }
        }
        #expect(calls == 500)
    }
}
