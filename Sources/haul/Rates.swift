import ArgumentParser
import Foundation
import HaulCore
import HaulXML

struct Rates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rates",
        abstract: "Manage exchange rates.",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import an ECB euro reference-rate file (daily or history, XML or CSV).",
            discussion: "The file is checked first; a file with any problem, or a day after today, is refused whole. Stored under $HAUL_HOME/rates (default ~/.local/share/haul/rates), named for the days it covers; a stored file is never replaced, as saved valuations cite its lines."
        )

        @Argument(help: "An ECB eurofxref file (eurofxref-daily.xml, eurofxref-hist.xml, eurofxref-hist.csv).", completion: .file(extensions: ["xml", "csv"]))
        var file: String

        func run() throws { try Self.store(file, in: UserData.ratesDirectory) }

        /// Checks the file whole, then keeps a copy in `folder` named for the days it covers.
        static func store(_ file: String, in folder: URL) throws {
            let rates: ReferenceRates
            do { rates = try ECBRatesReader().read(fileAt: file) } catch {
                print(Output.describe(error))
                throw ExitCode(1)
            }
            let first = rates.days.first!.date, last = rates.days.last!.date
            // The ECB publishes a day's rates on that day: a later one is a mistyped date.
            let today = try DueReport.today()
            if let future = rates.days.first(where: { $0.date > today }) {
                Output.error("haul: \(file):\(future.line): rates for \(future.date), after today (\(today)); the ECB publishes a day's rates on the day, so the date is mistyped. Nothing was stored.")
                throw ExitCode(1)
            }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let target = folder.appendingPathComponent("ecb-\(first)-\(last).\(ECBRatesReader.isCSV(fileAt: file) ? "csv" : "xml")")
            // A stored file is never replaced: valuations saved from it cite its lines, and a new
            // file under the old name would make those citations say something else.
            if let stored = FileManager.default.contents(atPath: target.path) {
                guard stored == FileManager.default.contents(atPath: file) else {
                    Output.error("""
                        haul: rates for \(first) to \(last) are already stored, with other figures, at \(target.path). \
                        Valuations saved from them cite its lines, so it is not replaced. To value with other rates, \
                        pass --rates FILE to `haul value`; to replace the stored file, remove it by hand first (valuations \
                        already saved keep their figures). Nothing was stored.
                        """)
                    throw ExitCode(1)
                }
                print("These rates (\(first) to \(last)) are already stored, the same byte for byte, at \(target.path); nothing changed.")
                return
            }
            let temporary = folder.appendingPathComponent(".\(target.lastPathComponent).tmp")
            try? FileManager.default.removeItem(at: temporary)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: file), to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                Output.error("haul: could not store the rates at \(target.path)")
                throw ExitCode(1)
            }
            var currencies = Set<String>()
            for day in rates.days { currencies.formUnion(day.rates.keys) }
            print("Imported \(Output.count(rates.days.count, "day")) of ECB rates (\(first) to \(last)), \(Output.count(currencies.count, "currency", "currencies")).")
            print("Stored at \(target.path)")
        }
    }
}
