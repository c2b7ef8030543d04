import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulProceedings
import HaulStore
import HaulValuation

/// What the shell completes for Haul's arguments: files where a path is expected, the words of
/// every closed vocabulary, and case references and item ids read from the register (the one
/// named by `--db` on the command line, else `HAUL_DB`, else the default), never created.
enum Completions {
    static let caseFile = CompletionKind.file(extensions: ["xml"])
    static let pem = CompletionKind.file(extensions: ["pem"])
    static let sheet = CompletionKind.file(extensions: ["csv", "txt"])

    static let kinds = CompletionKind.list(ItemKind.allCases.map(\.rawValue))
    static let states = CompletionKind.list(State.allCases.map(\.rawValue))
    static let bases = CompletionKind.list(ValuationBasis.allCases.map(\.rawValue))
    static let roles = CompletionKind.list(PersonRole.allCases.map(\.rawValue))
    static let powers = CompletionKind.list(SeizurePower.allCases.map(\.rawValue))
    static let jurisdictions = CompletionKind.list(Jurisdiction.allCases.map(\.rawValue))
    /// The regimes of the shipped rule packs, every jurisdiction's.
    static let regimes = CompletionKind.custom { _, _, prefix in
        Set(Jurisdiction.allCases.flatMap { RuleBook.shipped($0).0.packs.keys }).sorted().filter { $0.hasPrefix(prefix) }
    }
    static let cases = CompletionKind.custom { words, _, prefix in
        guard let register = register(words) else { return [] }
        return ((try? register.list()) ?? []).map(\.reference.value).filter { $0.hasPrefix(prefix) }
    }
    static let items = CompletionKind.custom { words, _, prefix in
        guard let register = register(words) else { return [] }
        return (try? register.itemIDs(startingWith: prefix, limit: 500)) ?? []
    }

    /// The register the command line names, opened to read; nil when there is none.
    static func register(_ words: [String]) -> SQLiteRegister? {
        var path = ProcessInfo.processInfo.environment["HAUL_DB"] ?? UserData.directory.appendingPathComponent("register.sqlite").path
        if let flag = words.firstIndex(of: "--db"), flag + 1 < words.count { path = words[flag + 1] }
        if let joined = words.first(where: { $0.hasPrefix("--db=") }) { path = String(joined.dropFirst(5)) }
        // The shell passes words as typed: a leading ~ is the user's home.
        if path.hasPrefix("~/") { path = FileManager.default.homeDirectoryForCurrentUser.path + path.dropFirst(1) }
        return try? SQLiteRegister(path: path, create: false)
    }
}
