import Foundation
import GRDB
import HaulCore
@testable import HaulStore
import HaulTestSupport
import Testing

/// An import into a register not there yet builds it beside its path, each page written once,
/// and names it only when it is complete.
@Suite("importing into a new register")
struct NewRegisterImportTests {
    /// Streams `operation`'s items as the case-file reader would, then gives the case without them;
    /// `meanwhile` runs after the last item.
    func reading(_ operation: Case, meanwhile: @escaping () throws -> Void = {}) -> ((@escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case) {
        { item in
            for (index, seizure) in operation.seizures.enumerated() {
                for each in seizure.items { try item(operation.reference, index, seizure.id, each) }
            }
            try meanwhile()
            var skeleton = operation
            for index in skeleton.seizures.indices { skeleton.seizures[index].items = [] }
            return skeleton
        }
    }

    @Test("the new register is complete, in WAL mode, private, and the same as one imported into an existing register; nothing is left beside it")
    func builtBeside() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let operation = TemporaryRegister.sampleCase("C-1")
        let at = Date(timeIntervalSince1970: 1_609_754_400)
        let made = try #require(try SQLiteRegister.importCase(intoNewRegisterAt: folder.path("new/register.sqlite"), actor: "DC 1", recordedAt: at,
                                                              provenance: "from a test", streaming: reading(operation)))
        #expect(made.items == 1)
        // The register (with the WAL files of its open connections), and nothing else.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("new")).allSatisfy { $0.hasPrefix("register.sqlite") })
        #expect(try made.register.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("new/register.sqlite"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try made.register.audit(nil, head: nil).isClean)
        // The second way in must agree: the same file into an existing (empty) register.
        let existing = try SQLiteRegister(path: folder.path("existing.sqlite"))
        try existing.importCase(actor: "DC 1", recordedAt: at, provenance: "from a test", streaming: reading(operation))
        #expect(try made.register.load("C-1") == existing.load("C-1"))
        #expect(try made.register.records(of: "C-1").map(\.hash) == existing.records(of: "C-1").map(\.hash))
        #expect(try made.register.provenance(of: "C-1") == ["from a test"])
        // A register there already: nothing is built (import into it instead).
        #expect(try SQLiteRegister.importCase(intoNewRegisterAt: folder.path("existing.sqlite"), actor: "DC 1", recordedAt: at, streaming: reading(operation)) == nil)
    }

    @Test("a staged file left by an import that was killed (its lock free) is removed by the next; one still locked by an import running is not")
    func staleStaged() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let stale = folder.path(".register.sqlite.importing-4242-7")
        let live = folder.path(".register.sqlite.importing-4243-8")
        for path in [stale, live] { #expect(FileManager.default.createFile(atPath: path, contents: Data("x".utf8))) }
        // An import running elsewhere holds its file's lock.
        let held = open(live, O_RDONLY)
        defer { close(held) }
        #expect(flock(held, LOCK_EX | LOCK_NB) == 0)
        let made = try SQLiteRegister.importCase(intoNewRegisterAt: folder.path("register.sqlite"), actor: "DC 1", recordedAt: Date(timeIntervalSince1970: 1_609_754_400),
                                                 streaming: reading(TemporaryRegister.sampleCase("C-1")))
        #expect(made != nil)
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: live))
    }

    @Test("a register made at the path during the import is never replaced, and a refused file leaves nothing at all")
    func neverReplaces() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let path = folder.path("register.sqlite")
        let operation = TemporaryRegister.sampleCase("C-1")
        let at = Date(timeIntervalSince1970: 1_609_754_400)
        let raced = try SQLiteRegister.importCase(intoNewRegisterAt: path, actor: "DC 1", recordedAt: at, streaming: reading(operation) {
            // Another process makes a register there, and opens a case in it, while this one reads.
            try SQLiteRegister(path: path).open(TemporaryRegister.sampleCase("OTHER-1"), actor: "DC 2", reason: "opened", recordedAt: at)
        })
        #expect(raced == nil)
        #expect(try SQLiteRegister(path: path).list().map(\.reference) == ["OTHER-1"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("importing") }.isEmpty)

        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try SQLiteRegister.importCase(intoNewRegisterAt: folder.path("refused.sqlite"), actor: "DC 1", recordedAt: at,
                                          streaming: reading(operation) { throw Refused() })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("importing") }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path("refused.sqlite")))
        // Nor the folders made for it.
        #expect(throws: Refused.self) {
            try SQLiteRegister.importCase(intoNewRegisterAt: folder.path("made/for/it/register.sqlite"), actor: "DC 1", recordedAt: at,
                                          streaming: reading(operation) { throw Refused() })
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("made")))
    }
}
