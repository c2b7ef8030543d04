import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulProceedings
import HaulCases
import HaulData
import HaulPostgres
import HaulStore
import HaulValuation

/// `--db` for the commands that use the register.
struct RegisterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The register: a SQLite file, or a unit's PostgreSQL register as postgres://USER@HOST:PORT/DATABASE (password from PGPASSWORD or ~/.pgpass). Also HAUL_DB; default $HAUL_HOME/register.sqlite, else $XDG_DATA_HOME/haul/register.sqlite, else ~/.local/share/haul/register.sqlite.", valueName: "path-or-url"), completion: .file())
    var db: String?

    @Option(help: ArgumentHelp("Why you read or record this, kept in a PostgreSQL register's access log (DPA 2018 s.62). Also HAUL_PURPOSE.", valueName: "text"))
    var purpose: String?

    @Option(help: ArgumentHelp("Who an export, schedule or statement is disclosed to, kept in a PostgreSQL register's access log.", valueName: "name"))
    var recipient: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["HAUL_DB"] ?? UserData.directory.appendingPathComponent("register.sqlite").path
    }

    /// The register as messages name it: the file, or the server's URL without its password.
    var shown: String {
        guard PostgresLocation.isURL(path) else { return path }
        return (try? PostgresLocation(url: path).description) ?? "the PostgreSQL register"
    }

    /// The register for a command that records (a SQLite register is brought up to date if an
    /// earlier Haul made it; a PostgreSQL one of an earlier format is refused until its
    /// administrator runs `haul register init`);
    /// created only with `creating` (`case open`, `import`): any other command needs a case in it.
    func open(creating: Bool = false) throws -> any Register {
        do {
            if PostgresLocation.isURL(path) { return try postgres() }
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
        do {
            return try SQLiteRegister(path: path, mustExist: !creating)
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(Self.exitCode(error))
        }
    }

    /// The register for a command that only reads: a missing register is an error, and
    /// nothing is created.
    func openExisting() throws -> any Register {
        do {
            if PostgresLocation.isURL(path) { return try postgres() }
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
        do {
            return try SQLiteRegister(path: path, create: false)
        } catch {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(Self.exitCode(error))
        }
    }

    /// 2 for a SQLite register the database cannot read (damaged, or not a database at all), as
    /// for a broken chain; 1 for one that is missing, of another format or refused. (A PostgreSQL
    /// register that cannot be reached is 1: the server or the login, not the register, failed.)
    static func exitCode(_ error: any Error) -> Int32 {
        guard let error = error as? any HaulError else { return 1 }
        return error.code == .database || error.code == .brokenChain ? 2 : 1
    }

    /// A PostgreSQL register, told which command this is and why, for its access log.
    func postgres(disclosing: Bool? = nil) throws(StoreError) -> PostgresRegister {
        let register = try PostgresRegister(url: path)
        let command = Self.commandName(CommandLine.arguments)
        let disclosing = disclosing ?? ["export", "schedule", "statement", "due"].contains(command.split(separator: " ").first.map(String.init) ?? "")
        register.purpose = AccessPurpose(command: command, readAction: disclosing ? "disclosure" : "consultation",
                                         reason: purpose ?? ProcessInfo.processInfo.environment["HAUL_PURPOSE"], recipient: recipient)
        return register
    }

    /// The subcommand's name from the command line: `case show`, `export` (a group's first two words).
    static func commandName(_ arguments: [String]) -> String {
        let words = arguments.dropFirst().prefix(while: { !$0.hasPrefix("-") })
        let groups: Set<String> = ["case", "person", "interest", "confiscation", "tables", "rates", "register", "proceedings"]
        guard let first = words.first else { return "haul" }
        if groups.contains(first), words.count > 1 { return "\(first) \(words.dropFirst().first!)" }
        return first
    }

    /// The library's front door on this register, recording as `actor` (default HAUL_ACTOR or
    /// the login name).
    func casework(actor: String? = nil, creating: Bool = false) throws -> Casework {
        Casework(register: try open(creating: creating), actor: try actorName(actor))
    }

    /// Who records, from `--actor`, HAUL_ACTOR or the login name: checked to be a name a case
    /// file can carry, on one line, before anything is opened.
    func actorName(_ actor: String?) throws -> String {
        let who = actor ?? defaultActor
        // Kept in every event it records and exported with it: a name the case file can carry,
        // on one line, checked before anything is opened.
        let named = actor != nil ? "--actor" : ProcessInfo.processInfo.environment["HAUL_ACTOR"] != nil ? "HAUL_ACTOR" : "your login name (set HAUL_ACTOR)"
        if who.trimmingCharacters(in: .whitespaces).isEmpty || who.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw ValidationError("\(named) must name who records this, on one line, not '\(who)'.")
        }
        do { try SchemaBounds.shortText.check(who, named) } catch { throw ValidationError("\(error.message).") }
        return who
    }
}

/// The item `text` names (an id, exhibit label, VIN, registration or serial, or CASE/ITEM);
/// when it was not the item's id, says on standard error which item it took.
func locateItem(_ register: any Register, _ text: String) throws -> ItemLocation {
    let found = try attempt { try register.locate(item: text) }
    if let said = found.found(as: text) { Output.error("haul: \(said)") }
    return found
}

/// Runs a library call, printing its error and exiting 1 instead of a stack of Swift errors.
@discardableResult
func attempt<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as any HaulError where error.code == .brokenChain || error.code == .database {
        // A damaged register (or one this Haul cannot read) is not refused data: exit 2.
        Output.error("haul: \(Output.describe(error))")
        throw ExitCode(2)
    } catch {
        Output.error("haul: \(Output.describe(error))")
        throw ExitCode(1)
    }
}

/// Reads a command-line argument's value: a mistake in it is a usage error (exit 64), whichever
/// command it is given to.
func argument<T>(_ name: String, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as HaulCoreError {
        throw ValidationError("--\(name): \(error.message)")
    } catch {
        throw ValidationError("--\(name): \(Output.describe(error))")
    }
}

enum Rules {
    /// The shipped rule packs for a jurisdiction; any problem in them stops the command.
    static func book(_ jurisdiction: Jurisdiction) throws -> RuleBook {
        let (book, problems) = RuleBook.shipped(jurisdiction)
        if !problems.isEmpty {
            problems.forEach { Output.error(Output.describe($0)) }
            Output.error("haul: the rule packs for \(jurisdiction.rawValue) have problems; nothing was done")
            throw ExitCode(1)
        }
        return book
    }

    /// The jurisdictions Haul can keep a case for: rule packs and price tables ship for them.
    /// Found by what ships, not by reading it: a pack folder with its pack.csv, and a tables folder
    /// with its manifest (their contents are checked when a command loads them).
    static var supported: [Jurisdiction] {
        let files = FileManager.default
        return Jurisdiction.allCases.filter { place in
            let packs = (try? files.contentsOfDirectory(atPath: HaulData.rulesDirectory.appendingPathComponent(place.rawValue).path)) ?? []
            let hasPack = packs.contains { files.fileExists(atPath: HaulData.rulesDirectory.appendingPathComponent("\(place.rawValue)/\($0)/pack.csv").path) }
            return hasPack && files.fileExists(atPath: HaulData.valuationsDirectory.appendingPathComponent("\(place.rawValue)/manifest.csv").path)
        }
    }
}

/// Who is recording: HAUL_ACTOR, else the login name ($USER, $LOGNAME, else the account's name).
var defaultActor: String {
    let environment = ProcessInfo.processInfo.environment
    if let named = environment["HAUL_ACTOR"] ?? environment["USER"] ?? environment["LOGNAME"], !named.isEmpty { return named }
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
    return "uid \(getuid())"
}

