import ArgumentParser
import Foundation
import HaulCore
import HaulPostgres
import HaulStore

/// `haul register`: setting up a unit's PostgreSQL register, who may use it, its access log, and
/// moving cases between registers.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "A unit's register on PostgreSQL: make it, give access, read its access log, copy cases in or out.",
        discussion: """
        A PostgreSQL register holds the same ledger as a SQLite one (every command works the same \
        on either: give --db postgres://USER@HOST:PORT/DATABASE or set HAUL_DB). Who may see and do \
        what is enforced by the server: an investigator reads and records the cases of their own \
        agency; a supervisor reads every case of the unit and records corrections; a prosecutor \
        reads every case and records confiscation inputs; an auditor reads everything and changes \
        nothing. Every read, export and write is logged (DPA 2018 s.62): who, when, which case, \
        which command, why (--purpose) and, for a disclosure, to whom (--recipient).
        """,
        subcommands: [Initialise.self, Grant.self, Log.self, Copy.self]
    )

    struct Initialise: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Make the register's schema, roles and policies on an empty PostgreSQL database (once, as its administrator).")

        @OptionGroup var register: RegisterOptions

        func run() throws {
            guard PostgresLocation.isURL(register.path) else {
                throw ValidationError("register init makes a PostgreSQL register: give --db postgres://USER@HOST:PORT/DATABASE (a SQLite register is made by the first case opened or imported).")
            }
            print(try attempt { try PostgresRegister.initialise(url: register.path) })
        }
    }

    struct Grant: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant",
            abstract: "Give a PostgreSQL user a role in the register (creating the login if it does not exist).",
            discussion: """
            ROLE is investigator, supervisor, prosecutor or auditor; an investigator needs --agency \
            (the id of an agency as the case files name it). The user's earlier role, if any, is \
            taken away. With --password-stdin the login's password is read from standard input \
            (never from the command line, where other users could see it).
            """)

        @Argument(help: "The PostgreSQL user name.") var user: String
        @Argument(help: "investigator, supervisor, prosecutor or auditor.") var role: String
        @Option(help: "The agency whose cases an investigator reads and records.") var agency: String?
        @Flag(help: "Read the login's password from standard input.") var passwordStdin = false
        @OptionGroup var register: RegisterOptions

        func run() throws {
            guard PostgresLocation.isURL(register.path) else {
                throw ValidationError("roles belong to a PostgreSQL register: give --db postgres://USER@HOST:PORT/DATABASE.")
            }
            var password: String?
            if passwordStdin {
                password = readLine(strippingNewline: true)
                guard let given = password, !given.isEmpty else { throw ValidationError("--password-stdin: standard input held no password.") }
            }
            let store = try register.postgresOrExit()
            try attempt { try store.grant(user: user, role: role, agency: agency, password: password) }
            print("\(user) is now \(["auditor", "investigator"].contains(role) ? "an" : "a") \(role)\(agency.map { " of agency \($0)" } ?? "") in the register at \(store.location)")
        }
    }

    struct Log: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "log",
            abstract: "Show the register's access log: who read, exported or recorded which case, when and why.",
            discussion: "Supervisors and auditors see every entry; anyone else their own. Reading the log is itself logged.")

        @Option(name: .customLong("case"), help: "Only this case.") var reference: String?
        @Option(help: "Only this user.") var user: String?
        @Option(help: "Only entries on or after this date (YYYY-MM-DD).") var since: String?
        @Flag(help: "Print the entries as JSON.") var json = false
        @OptionGroup var register: RegisterOptions

        func validate() throws {
            if let since { _ = try argument("since") { try CalendarDate(parsing: since) } }
        }

        func run() throws {
            let store = try register.postgresOrExit()
            let entries = try attempt { try store.accessLog(case: reference, user: user, since: since) }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(entries), as: UTF8.self))
                return
            }
            if entries.isEmpty {
                print("No entries\(reference.map { " for case \($0)" } ?? "")\(user.map { " by \($0)" } ?? "") that you may see (supervisors and auditors see every entry; anyone else their own).")
                return
            }
            for entry in entries {
                var line = "\(entry.at)  \(entry.user)  \(entry.action)  \(entry.case ?? "-")  \(entry.command)"
                if let reason = entry.reason { line += "  why: \(reason)" }
                if let recipient = entry.recipient { line += "  to: \(recipient)" }
                print(line)
            }
        }
    }

    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Copy every case of one register into another (SQLite to PostgreSQL or back), chains verified on both sides.",
            discussion: """
            Each case goes across with its chain exactly as it is (the receiving register verifies \
            it and that its rows replay to it, as an import does), then both registers are audited. \
            A case the receiving register already has with the same chain (copied before, perhaps \
            with events added since) is left as it is, so a copy stopped part way can be run again; \
            one whose chain differs is refused. The copy stops at the first case refused, naming \
            it and every case not copied; the cases before it stay copied.
            """)

        @Argument(help: "The register to copy from (a SQLite file or postgres:// URL).") var from: String
        @Argument(help: "The register to copy into.") var to: String
        @Option(help: "Who is recorded as bringing the cases in (default HAUL_ACTOR or your login name).") var actor: String?
        @Option(help: ArgumentHelp("Why the cases are copied, kept in a PostgreSQL register's access log.", valueName: "text")) var purpose: String?

        func run() throws {
            // One register named twice (perhaps spelled two ways) would find every case already there.
            // A database by its server and name (whoever logs in); a file by its device and inode
            // (a hard link or bind mount too), or its resolved path while it does not exist.
            func same(_ text: String) -> String {
                if PostgresLocation.isURL(text) {
                    guard let location = try? PostgresLocation(url: text) else { return text }
                    let host = ["localhost", "127.0.0.1", "::1"].contains(location.host) ? "local" : location.host.lowercased()
                    return "postgres \(host):\(location.port)/\(location.database)"
                }
                var info = stat()
                if stat(text, &info) == 0 { return "file \(info.st_dev):\(info.st_ino)" }
                return URL(fileURLWithPath: text).standardizedFileURL.resolvingSymlinksInPath().path
            }
            guard same(from) != same(to) else {
                throw ValidationError("FROM and TO name the same register; copy into another one.")
            }
            let target = try RegisterOptions.opening(to, existing: false, purpose: purpose, recipient: nil)
            // Reading the cases out of a unit's register discloses them to the other register.
            let source = try RegisterOptions.opening(from, existing: true, purpose: purpose, recipient: target.location, disclosing: true)
            let before = try attempt { try source.audit(nil, head: nil) }
            guard before.isClean else {
                Output.error("haul: the register at \(source.location) does not verify (haul audit --db \(source.location) names what); nothing was copied")
                throw ExitCode(1)
            }
            let cases = try attempt { try source.list() }
            let who = actor ?? defaultActor
            var copied = 0
            var present = 0
            for (index, listing) in cases.enumerated() {
                /// What is left when this case stops the copy, for the message.
                func stopped(_ why: String, exit code: Int32) -> ExitCode {
                    let left = cases[index...].map(\.reference.value)
                    Output.error("haul: case \(listing.reference) was not copied: \(why). Copied \(copied) of \(cases.count) case\(cases.count == 1 ? "" : "s")\(present > 0 ? " (\(present) already there)" : ""); "
                                 + "not copied: \(left.joined(separator: ", ")). Once that is put right, the same command copies the rest (cases already there with the same chain are left as they are)")
                    return ExitCode(code)
                }
                let operation = try attempt { try source.load(listing.reference) }
                if try attempt({ try target.listing(of: listing.reference) }) != nil {
                    // Copied before (a copy stopped part way): the same chain, perhaps grown since, is left alone.
                    let check = try attempt { try target.audit(listing.reference, head: operation.chainHead) }
                    guard check.isClean else {
                        throw stopped("the register at \(target.location) already has a case \(listing.reference) whose chain is not this one (\(check.cases.compactMap(\.problem).joined(separator: "; ")))", exit: 1)
                    }
                    present += 1
                    OutputOptions.say("Case \(listing.reference) is already in \(target.location) with the same chain; left as it is", fileOnStandardOutput: false)
                    continue
                }
                let from = try attempt { try source.provenance(of: listing.reference) }
                let note = (from + ["copied from the register at \(source.location)"]).joined(separator: "; ")
                do { try target.importCase(operation, actor: who, recordedAt: Date(), provenance: note) } catch {
                    throw stopped(Output.describe(error), exit: error.code == .brokenChain || error.code == .database ? 2 : 1)
                }
                let check = try attempt { try target.audit(listing.reference, head: operation.chainHead) }
                guard check.isClean else {
                    throw stopped("it does not verify in \(target.location) after copying: \(check.cases.compactMap(\.problem).joined(separator: "; "))", exit: 2)
                }
                copied += 1
                OutputOptions.say("Copied case \(listing.reference): \(listing.items) item\(listing.items == 1 ? "" : "s"), \(listing.events) event\(listing.events == 1 ? "" : "s"); chain head \(operation.chainHead ?? "none")", fileOnStandardOutput: false)
            }
            print("Copied \(copied) case\(copied == 1 ? "" : "s") from \(source.location) to \(target.location)\(present > 0 ? " (\(present) already there with the same chain)" : ""); every chain verified on both sides")
        }
    }
}

extension RegisterOptions {
    /// The PostgreSQL register `--db` names; a usage error for a SQLite one.
    func postgresOrExit() throws -> PostgresRegister {
        guard PostgresLocation.isURL(path) else {
            throw ValidationError("this works on a PostgreSQL register: give --db postgres://USER@HOST:PORT/DATABASE (or set HAUL_DB).")
        }
        do { return try postgres() } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
    }

    /// A register named on the command line (not through --db).
    static func opening(_ text: String, existing: Bool, purpose: String?, recipient: String?, disclosing: Bool = false) throws -> any Register {
        var options = try RegisterOptions.parse([])
        options.db = text
        options.purpose = purpose
        options.recipient = recipient
        if PostgresLocation.isURL(text) {
            do { return try options.postgres(disclosing: disclosing) } catch {
                Output.error("haul: \(Output.describe(error))")
                throw ExitCode(1)
            }
        }
        return existing ? try options.openExisting() : try options.open(creating: true)
    }
}
