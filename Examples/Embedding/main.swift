// Embedding Haul in a program of your own: open a register, record a case, value it from the
// shipped price tables, and export it as a case file validated against the schema. The
// documentation's Getting Started article walks through this file; a test runs it and checks
// its case file with xmllint.
//
// Run: swift run haul-embedding-example [FOLDER]   (FOLDER: where the register and file go)
import Foundation
import HaulCases
import HaulCore
import HaulData
import HaulStore
import HaulTables
import HaulValuation
import HaulXML

/// Why the example stopped, in one line.
struct ExampleFailure: Error, CustomStringConvertible {
    var description: String
}

func run(in folder: URL) throws {
    // 1. A case. Here, the bundled example read from its case file: the reader checks it against
    //    the schema and Haul's own rules (unique identifiers, the event chain) as it reads.
    let operation = try CaseFileReader().read(fileAt: HaulData.example("south-west-2020.xml").path, displayName: "south-west-2020.xml")

    // 2. A register. SQLite in one file; a unit's shared register is `PostgresRegister(url:)`
    //    (module HaulPostgres) behind the same `Register` protocol. Every write goes through
    //    `Casework`, which checks it and appends it to the case's hash chain in one transaction.
    let registerPath = folder.appendingPathComponent("embedding-example.sqlite").path
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: registerPath + suffix) }
    let register = try SQLiteRegister(path: registerPath)
    let work = Casework(register: register, actor: "embedding example")
    try work.importCase(operation)

    // 3. Prices: the shipped tables of the case's jurisdiction (HaulTables reads them, with every
    //    problem as file:line:column) and the shipped ECB reference rates for other currencies.
    let (layers, problems) = ShippedTables.layers(for: operation.jurisdiction, overlay: nil)
    guard problems.isEmpty else { throw ExampleFailure(description: problems.map(\.diagnostic).joined(separator: "\n")) }
    var rates = ReferenceRates()
    for file in ShippedTables.rateFiles {
        rates.merge(try ECBRatesReader(checksEveryRate: false).read(fileAt: file.url.path, displayName: file.displayName))
    }
    let valuer = Valuer(book: try PriceBook(layers: layers, rates: rates))

    // 4. Value every item on its seizure date and record the figures: each change is an event
    //    in the case's chain, with its actor and reason.
    let (valuation, records) = try work.saveValuation(of: operation.reference, valuer: valuer, day: try CalendarDate(parsing: "2020-06-19"),
                                                      reason: "first valuation from the shipped tables")
    let priced = valuation.items.filter { !$0.figures.isEmpty }.count
    print("valued \(valuation.items.count) items, \(priced) of them with figures; \(records.count) record(s) appended to the chain of \(operation.reference)")
    for total in valuation.valued.totals() {
        print("  \(total.kind.rawValue), \(total.basis.rawValue): \(total.low) – \(total.central) – \(total.high) (\(total.itemCount) item\(total.itemCount == 1 ? "" : "s"))")
    }

    // 5. Export what the register holds now. The exporter writes beside the target, validates the
    //    file against the shipped schema and renames it into place only if it is valid.
    let registered = try register.load(operation.reference)
    let target = folder.appendingPathComponent("SW-2020-0417.xml")
    try CaseFileExporter().export(registered, to: target)
    print("case file: \(target.path)")

    // 6. The register can prove nothing was altered: every chain and every derived row re-checked.
    let audit = try work.audit(operation.reference)
    guard audit.isClean else { throw ExampleFailure(description: "the audit found problems: \(audit)") }
    print("audit: clean (\(audit.cases.map { "\($0.reference): \($0.events) events" }.joined(separator: ", ")))")
}

let folder = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? FileManager.default.temporaryDirectory.path)
do {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try run(in: folder)
} catch {
    FileHandle.standardError.write(Data("haul-embedding-example: \(error)\n".utf8))
    exit(1)
}
