import Foundation
import Testing

/// The package's layers, as the design draws them: dependencies point one way, toward the
/// vocabulary (HaulCore). A module importing one above it, or a sibling it must know nothing
/// of, fails here, naming the file and the line.
@Suite("Module layering")
struct LayeringTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Each library module and the modules (Haul's own, the C shims and the outside packages
    /// that carry a layer's job) it may import. Foundation, Dispatch and swift-crypto are open to all.
    static let allowed: [String: Set<String>] = [
        "HaulCore": [],
        "HaulData": ["HaulCore"],
        "HaulValuation": ["HaulCore"],
        "HaulProceedings": ["HaulCore"],
        "HaulTables": ["HaulCore", "HaulData", "HaulValuation", "HaulProceedings"],
        "HaulXML": ["HaulCore", "HaulData", "CLibXML2", "CXMLSec", "ZIPFoundation"],
        "HaulStore": ["HaulCore", "GRDB", "GRDBSQLite"],
        "HaulPostgres": ["HaulCore", "HaulStore", "PostgresNIO", "NIOCore", "NIOPosix", "NIOSSL"],
        "HaulCases": ["HaulCore", "HaulStore", "HaulValuation", "HaulProceedings", "HaulTables"],
    ]
    static let openToAll: Set<String> = ["Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Crypto", "_CryptoExtras", "Synchronization"]

    /// The Swift files of a module, its subfolders included, as paths relative to `Sources/`.
    static func swiftFiles(of module: String) throws -> [String] {
        let folder = sources.appendingPathComponent(module)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { "\(module)/\($0)" }
    }

    /// Every `import` of a module's sources: (file, line, module).
    static func imports(of module: String) throws -> [(file: String, line: Int, module: String)] {
        var found: [(String, Int, String)] = []
        for name in try swiftFiles(of: module) {
            let text = try String(contentsOf: sources.appendingPathComponent(name), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    .filter { !$0.hasPrefix("@") && !["package", "public", "internal", "private", "fileprivate", "open"].contains($0) }
                guard words.count >= 2, words[0] == "import" else { continue }
                // `import struct Foo.Bar` names the module after the kind.
                let target = words.count >= 3 && ["struct", "class", "enum", "func", "protocol", "typealias", "var", "let"].contains(words[1]) ? words[2] : words[1]
                found.append(("Sources/\(name)", index + 1, String(target.split(separator: ".")[0])))
            }
        }
        return found
    }

    @Test("every module imports only what its layer may", arguments: allowed.keys.sorted())
    func importsFollowTheLayers(module: String) throws {
        let imports = try Self.imports(of: module)
        #expect(!imports.isEmpty, "no sources found for \(module) under \(Self.sources.path)")
        let permitted = Self.allowed[module]!.union(Self.openToAll)
        let wrong = imports.filter { !permitted.contains($0.module) }.map { "\($0.file):\($0.line): imports \($0.module)" }
        #expect(wrong.isEmpty, "\(module) reaches outside its layer:\n\(wrong.joined(separator: "\n"))")
    }

    /// The pure modules take parsed rows: no file, folder or process access of their own.
    @Test("the vocabulary and the pure modules touch no files", arguments: ["HaulCore", "HaulValuation", "HaulProceedings"])
    func pureModulesReadNoFiles(module: String) throws {
        var found: [String] = []
        for name in try Self.swiftFiles(of: module) {
            let text = try String(contentsOf: Self.sources.appendingPathComponent(name), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where ["FileManager", "FileHandle", "contentsOfFile", "String(contentsOf", "Data(contentsOf", "fopen(", "Process()"].contains(where: { line.contains($0) }) {
                found.append("Sources/\(name):\(index + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "\(module) reads files itself:\n\(found.joined(separator: "\n"))")
    }

    /// The table above is the whole list: a new module must be placed in a layer here.
    @Test("every library module has a place in the layers")
    func everyModuleIsPlaced() throws {
        let modules = try FileManager.default.contentsOfDirectory(atPath: Self.sources.path)
            .filter { $0.hasPrefix("Haul") }.sorted()
        #expect(Set(modules) == Set(Self.allowed.keys), "modules: \(modules); placed: \(Self.allowed.keys.sorted())")
    }
}
