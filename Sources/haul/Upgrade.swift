import ArgumentParser
import Foundation
import HaulPostgres
import HaulStore

struct Upgrade: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade",
        abstract: "Bring a register made by an earlier Haul up to this one's format.",
        discussion: """
        A register of Haul 0.1.0 kept each case as versions of its document: each version becomes a \
        `migrated` event of the case's chain, after its status moves (whose numbers and hashes stay \
        as they were), and nothing is lost. Every command that records does this too; commands that \
        only read refuse an old register rather than change it. A register that is up to date is \
        left as it is. A PostgreSQL register is brought up to date by its administrator, with \
        haul register init --db URL; until then every command refuses it, saying so.
        """
    )

    @OptionGroup var register: RegisterOptions

    func run() throws {
        let store = try register.open()
        let audit = try attempt { try store.audit(nil, head: nil) }
        let format = store is SQLiteRegister ? "format \(SQLiteRegister.format)" : "PostgreSQL register format \(PostgresRegister.format)"
        print("The register at \(store.location) is in \(format) (Haul \(SQLiteRegister.haulVersion)): \(audit.cases.count) case\(audit.cases.count == 1 ? "" : "s"); haul audit checks it")
    }
}
