import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulValuation
import HaulXML

/// Options shared by commands that price things.
struct TableOptions: ParsableArguments {
    @Option(name: .customLong("tables"), help: ArgumentHelp("A folder of your own price tables, layered over the shipped defaults (its rows win). Also HAUL_TABLES.", valueName: "dir"), completion: .directory)
    var overlay: String?

    @Option(name: .customLong("rates"), help: ArgumentHelp("An ECB rates file (eurofxref-hist.xml) to convert with, alone: neither the shipped days nor imported ones are used.", valueName: "file"), completion: .file(extensions: ["xml"]))
    var ratesFile: String?

    /// The overlay folder from the option or the environment.
    var overlayURL: URL? {
        (overlay ?? ProcessInfo.processInfo.environment["HAUL_TABLES"]).map { URL(fileURLWithPath: $0) }
    }

    /// A folder or file named here that is not there is a usage error at once, even for a
    /// command that turns out not to need the tables (a move reads them only to convert cash).
    func validate() throws {
        var isFolder: ObjCBool = false
        if let overlay, !(FileManager.default.fileExists(atPath: overlay, isDirectory: &isFolder) && isFolder.boolValue) {
            throw ValidationError("--tables \(overlay) is not a folder of price tables.")
        }
        if let ratesFile, !FileManager.default.fileExists(atPath: ratesFile) {
            throw ValidationError("--rates \(ratesFile): no such file.")
        }
    }
}

/// Where Haul keeps what a user imports (rates): HAUL_HOME, else $XDG_DATA_HOME/haul, else ~/.local/share/haul.
enum UserData {
    static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let home = environment["HAUL_HOME"] { return URL(fileURLWithPath: home) }
        if let xdg = environment["XDG_DATA_HOME"] { return URL(fileURLWithPath: xdg).appendingPathComponent("haul") }
        // $HOME first: the account's home from the password database only when it is unset.
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".local/share/haul")
    }

    static var ratesDirectory: URL { directory.appendingPathComponent("rates") }
}

/// Builds price books from the shipped tables, an overlay and the reference rates.
enum Pricing {
    /// The shipped rates, then (unless `shippedOnly`) the user's imported ones: an imported
    /// history replaces the shipped days over every date it covers, from its first day to its last.
    static func rates(shippedOnly: Bool) throws -> ReferenceRates {
        var rates = ReferenceRates()
        for file in ShippedTables.rateFiles {
            rates.merge(try ECBRatesReader(checksEveryRate: false).read(fileAt: file.url.path, displayName: file.displayName))
        }
        guard !shippedOnly else { return rates }
        let folder = UserData.ratesDirectory
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".xml") || $0.hasSuffix(".csv") }.sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            rates.overlay(try ECBRatesReader().read(fileAt: url.path, displayName: url.path))
        }
        return rates
    }

    /// The price book for `jurisdiction` with the command's `--tables` and `--rates`.
    static func book(for jurisdiction: Jurisdiction, tables: TableOptions) throws -> PriceBook {
        guard let file = tables.ratesFile else { return try book(for: jurisdiction, overlay: tables.overlayURL) }
        let rates: ReferenceRates
        do { rates = try ECBRatesReader().read(fileAt: file) } catch {
            Output.error("haul: --rates \(file): \(Output.describe(error))")
            throw ExitCode(1)
        }
        return try book(for: jurisdiction, overlay: tables.overlayURL, rates: rates)
    }

    /// The price book for `jurisdiction`; prints every table problem and exits 1 if there are any.
    static func book(for jurisdiction: Jurisdiction, overlay: URL?, shippedRatesOnly: Bool = false, rates given: ReferenceRates? = nil) throws -> PriceBook {
        let (layers, problems) = ShippedTables.layers(for: jurisdiction, overlay: overlay)
        if !problems.isEmpty {
            problems.forEach { Output.error(Output.describe($0)) }
            Output.error("haul: the price tables have \(problems.count) problem\(problems.count == 1 ? "" : "s"); fix them (haul tables check) and try again")
            throw ExitCode(1)
        }
        guard !layers.isEmpty else {
            Output.error("haul: Haul ships no price tables for \(jurisdiction.rawValue); name your own with --tables DIR")
            throw ExitCode(1)
        }
        do {
            return try PriceBook(layers: layers, rates: try given ?? rates(shippedOnly: shippedRatesOnly))
        } catch let error as HaulCoreError {
            Output.error("haul: \(Output.describe(error))")
            throw ExitCode(1)
        }
    }
}
