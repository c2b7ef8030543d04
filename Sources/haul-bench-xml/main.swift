// Large-file benchmark: exports a case of N items (default 1,000,000) with the streaming exporter
// (writing and validating at once, on two threads), then runs `xmllint --noout --stream --schema`
// on the same file in the same run, and prints both wall times, the ratio and the peak memory.
// Usage: swift run -c release haul-bench-xml [COUNT] [FOLDER] [--keep] [--register]
// (--keep leaves the file for profiling; --register measures `haul export` from a register instead)
import Foundation
import HaulCore
import HaulData
import HaulStore
import HaulXML

let arguments = CommandLine.arguments.dropFirst()
let count = arguments.compactMap(Int.init).first ?? 1_000_000
let keep = arguments.contains("--keep")
let folder = arguments.first { Int($0) == nil && !$0.hasPrefix("--") } ?? FileManager.default.temporaryDirectory.path
let target = URL(fileURLWithPath: folder).appendingPathComponent("haul-large-\(count).xml")

func peakResidentMB(_ who: __rusage_who) -> Int {
    var usage = rusage()
    getrusage(Int32(who.rawValue), &usage)
    return usage.ru_maxrss / 1024
}

func seconds(_ duration: Duration) -> String {
    let value = duration.components
    return String(format: "%.2f", Double(value.seconds) + Double(value.attoseconds) / 1e18)
}

let zone = "Europe/London"
let header = Case(reference: "BENCH-1", jurisdiction: .englandAndWales, operationName: "Large-file benchmark", openedOn: try CalendarDate(parsing: "2021-01-04"),
                  isIllustrative: true, agencies: [Agency(id: "A1", name: "Benchmark agency", role: .seizing)], seizures: [])
let source = PriceSource(table: "valuations/GB-EAW/drugs.csv", line: 6, effectiveFrom: try CalendarDate(parsing: "2011-07-01"), confidence: .secondary, citation: "benchmark row")
let valuedOn = try CalendarDate(parsing: "2021-01-04")
let isTerminal = isatty(2) == 1

let perSeizure = 10_000

func benchSeizure(_ seizureIndex: Int) throws -> Seizure {
    let seizedAt = try ZonedDateTime(epochSeconds: 1_609_750_800 + seizureIndex * 3600, zone: zone)
    return Seizure(id: try Identifier("S\(seizureIndex)"), seizedAt: seizedAt, place: "Place \(seizureIndex)", power: .warrant,
                   officer: "Officer \(seizureIndex % 97)", agency: "A1", items: [])
}

/// Item `index` of the generated case: cash, drugs and watches valued, phones not.
func benchItem(_ index: Int) throws -> Item {
    let id = try Identifier("I-\(index)")
    let details: ItemDetails
    var valuations: [Valuation] = []
    switch index % 4 {
    case 0:
        details = .cash(try CashItem(currency: .gbp, countedAmount: FixedDecimal(20 + index % 50_000)))
        let face = Money(FixedDecimal(20 + index % 50_000), .gbp)
        valuations = [try Valuation(basis: .face, valuedOn: valuedOn, low: face, central: face, high: face, sources: [source])]
    case 1:
        details = .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(FixedDecimal(1 + index % 900), .gram))))
        valuations = [try Valuation(basis: .street, valuedOn: valuedOn, low: Money(FixedDecimal(40 * (1 + index % 900)), .gbp),
                                    central: Money(FixedDecimal(60 * (1 + index % 900)), .gbp), high: Money(FixedDecimal(80 * (1 + index % 900)), .gbp), sources: [source])]
    case 2:
        details = .watch(WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", condition: .good, hasBox: true, hasPapers: index % 3 == 0))
    default:
        details = .nonValued(.phone)
    }
    return Item(id: id, exhibit: id, description: "Benchmark item \(index)", details: details, valuations: valuations)
}

let seizureCount = (count + perSeizure - 1) / perSeizure
let clock = ContinuousClock()

func runXmllint(_ path: String) throws -> Duration {
    let lint = Process()
    lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
    lint.arguments = ["--noout", "--stream", "--schema", HaulData.caseSchemaV1.path, path]
    lint.standardError = FileHandle.nullDevice
    let lintStart = clock.now
    try lint.run()
    lint.waitUntilExit()
    return clock.now - lintStart
}

func ratio(_ numerator: Duration, _ denominator: Duration) -> Double {
    func value(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
    return value(numerator) / value(denominator)
}

// --register: the same case saved in a register, then exported by `haul export` (a child
// process, so its peak memory is its own): the figure for "a register of a million items
// exports with flat memory".
if arguments.contains("--register") {
    let registerPath = URL(fileURLWithPath: folder).appendingPathComponent("bench-register-\(count).sqlite").path
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: registerPath + suffix) }
    var operation = header
    operation.seizures = try (0..<seizureCount).map { seizureIndex in
        var seizure = try benchSeizure(seizureIndex)
        seizure.items = try (seizureIndex * perSeizure..<min(count, (seizureIndex + 1) * perSeizure)).map(benchItem)
        return seizure
    }
    let setupStart = clock.now
    try SQLiteRegister(path: registerPath).open(operation, actor: "haul-bench-xml", reason: "benchmark", recordedAt: Date())
    operation = header
    print("register of \(count) items written in \(seconds(clock.now - setupStart)) s (setup, not measured)")
    let haul = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("haul")
    guard FileManager.default.isExecutableFile(atPath: haul.path) else {
        print("build haul first: swift build -c release --product haul")
        exit(1)
    }
    // Through GNU time: a child spawned straight from this process would report this process's
    // own (large) resident set as its peak.
    let child = Process()
    let peakFile = URL(fileURLWithPath: folder).appendingPathComponent("bench-peak-\(count).txt").path
    child.executableURL = URL(fileURLWithPath: "/usr/bin/time")
    child.arguments = ["-f", "%M", "-o", peakFile, haul.path, "export", "BENCH-1", "-o", target.path]
    child.environment = ["HAUL_DB": registerPath, "HOME": NSHomeDirectory()]
    let exportStart = clock.now
    try child.run()
    child.waitUntilExit()
    let exportTime = clock.now - exportStart
    let exportSize = ((try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0) / (1 << 20)
    print("haul export from the register (stream, validated): \(count) items, \(exportSize) MB, \(seconds(exportTime)) s, exit \(child.terminationStatus), peak RSS \(((try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0) / 1024) MB")
    try? FileManager.default.removeItem(atPath: peakFile)
    let lintTime = try runXmllint(target.path)
    print("xmllint --noout --stream --schema on the same file: \(seconds(lintTime)) s")
    print(String(format: "ratio haul / xmllint: %.2f (target ≤ 1.30); peak RSS target ≤ 64 MB", ratio(exportTime, lintTime)))
    if !keep {
        try? FileManager.default.removeItem(at: target)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: registerPath + suffix) }
    }
    exit(0)
}

let start = clock.now
let export = try StreamingCaseExport(target: target, header: header, expectedItems: count)
export.progressInterval = 50_000
export.progress = { written in
    if isTerminal { FileHandle.standardError.write(Data("\rexporting: \(written * 100 / count) % (\(written) of \(count) items)".utf8)) }
}
for seizureIndex in 0..<seizureCount {
    try export.beginSeizure(try benchSeizure(seizureIndex))
    for index in seizureIndex * perSeizure..<min(count, (seizureIndex + 1) * perSeizure) {
        try export.item(try benchItem(index))
    }
    try export.endSeizure()
}
try export.finish()
let exportTime = clock.now - start
if isTerminal { FileHandle.standardError.write(Data("\r".utf8)) }
let size = ((try? FileManager.default.attributesOfItem(atPath: target.path)[.size] as? Int) ?? 0) / (1 << 20)
print("haul export + validate (streaming, 2 threads): \(count) items, \(size) MB, \(seconds(exportTime)) s, peak RSS \(peakResidentMB(RUSAGE_SELF)) MB")

// For profiling the export alone: HAUL_BENCH_EXPORT_ONLY=1.
if ProcessInfo.processInfo.environment["HAUL_BENCH_EXPORT_ONLY"] != nil { exit(0) }

let lintTime = try runXmllint(target.path)
print("xmllint --noout --stream --schema on the same file: \(seconds(lintTime)) s")
print(String(format: "ratio haul / xmllint: %.2f (target ≤ 1.30); peak RSS target ≤ 64 MB", ratio(exportTime, lintTime)))

let validateStart = clock.now
let report = try CaseFileValidator().validate(fileAt: target.path)
print("haul validate alone on the same file: \(seconds(clock.now - validateStart)) s, \(report.isValid ? "valid" : "INVALID: \(report.diagnostics.prefix(3))")")
// The floor: libxml2's parser and schema validator through Haul's SAX pipeline, no semantic pass.
let schemaOnlyStart = clock.now
let schemaOnly = try SchemaValidator(schema: try CaseFileSchema.shipped()).validate(fileAt: target.path)
print("schema only through Haul's SAX pipeline (no semantic pass): \(seconds(clock.now - schemaOnlyStart)) s, \(schemaOnly.isValid ? "valid" : "INVALID")")
if !keep { try? FileManager.default.removeItem(at: target) }
