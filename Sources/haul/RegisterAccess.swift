import ArgumentParser
import Foundation
import HaulCore
import HaulProceedings
import HaulStore

/// `--db` for the commands that use the register.
struct RegisterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The register (SQLite file). Also HAUL_DB; default $HAUL_HOME/register.sqlite (~/.local/share/haul).", valueName: "path"))
    var db: String?

    var path: String {
        db ?? ProcessInfo.processInfo.environment["HAUL_DB"] ?? UserData.directory.appendingPathComponent("register.sqlite").path
    }

    func open() throws -> SQLiteRegister {
        do { return try SQLiteRegister(path: path) } catch {
            Output.error("haul: \(error.message)")
            throw ExitCode(1)
        }
    }
}

/// Runs a library call, printing its error and exiting 1 instead of a stack of Swift errors.
func attempt<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch let error as HaulCoreError {
        Output.error("haul: \(error.location.map { "\($0): " } ?? "")\(error.message)")
        throw ExitCode(1)
    } catch {
        Output.error("haul: \(error)")
        throw ExitCode(1)
    }
}

enum Rules {
    /// The shipped rule packs for a jurisdiction; any problem in them stops the command.
    static func book(_ jurisdiction: Jurisdiction) throws -> RuleBook {
        let (book, problems) = RuleBook.shipped(jurisdiction)
        if !problems.isEmpty {
            problems.forEach { Output.error($0.description) }
            Output.error("haul: the rule packs for \(jurisdiction.rawValue) have problems; nothing was done")
            throw ExitCode(1)
        }
        return book
    }
}

/// Who is recording: HAUL_ACTOR, else the login name.
var defaultActor: String {
    ProcessInfo.processInfo.environment["HAUL_ACTOR"] ?? ProcessInfo.processInfo.environment["USER"] ?? "haul"
}

