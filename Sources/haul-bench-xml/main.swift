// Large-file benchmark: exports a case of N items (default 1,000,000) with the streaming exporter
// (writing and validating at once, on two threads), then runs `xmllint --noout --stream --schema`
// on the same file in the same run, and prints both wall times, the ratio and the peak memory.
// Usage: swift run -c release haul-bench-xml [COUNT] [FOLDER] [--keep]  (--keep leaves the file for profiling)
import Foundation
import HaulCore
import HaulData
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

let clock = ContinuousClock()
let start = clock.now
let export = try StreamingCaseExport(target: target, header: header, expectedItems: count)
export.progressInterval = 50_000
export.progress = { written in
    if isTerminal { FileHandle.standardError.write(Data("\rexporting: \(written * 100 / count) % (\(written) of \(count) items)".utf8)) }
}
let perSeizure = 10_000
for seizureIndex in 0..<(count + perSeizure - 1) / perSeizure {
    let seizedAt = try ZonedDateTime(epochSeconds: 1_609_750_800 + seizureIndex * 3600, zone: zone)
    try export.beginSeizure(Seizure(id: try Identifier("S\(seizureIndex)"), seizedAt: seizedAt, place: "Place \(seizureIndex)", power: .warrant,
                                    officer: "Officer \(seizureIndex % 97)", agency: "A1", items: []))
    for index in seizureIndex * perSeizure..<min(count, (seizureIndex + 1) * perSeizure) {
        let id = try Identifier("I-\(index)")
        let details: ItemDetails
        var valuations: [Valuation] = []
        switch index % 4 {
        case 0:
            details = .cash(try CashItem(currency: .gbp, countedAmount: Decimal(20 + index % 50_000)))
            let face = Money(Decimal(20 + index % 50_000), .gbp)
            valuations = [try Valuation(basis: .face, valuedOn: valuedOn, low: face, central: face, high: face, sources: [source])]
        case 1:
            details = .drug(DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try Mass(Decimal(1 + index % 900), .gram))))
            valuations = [try Valuation(basis: .street, valuedOn: valuedOn, low: Money(Decimal(40 * (1 + index % 900)), .gbp),
                                        central: Money(Decimal(60 * (1 + index % 900)), .gbp), high: Money(Decimal(80 * (1 + index % 900)), .gbp), sources: [source])]
        case 2:
            details = .watch(WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", condition: .good, hasBox: true, hasPapers: index % 3 == 0))
        default:
            details = .nonValued(.phone)
        }
        try export.item(Item(id: id, exhibit: id, description: "Benchmark item \(index)", details: details, valuations: valuations))
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

let lint = Process()
lint.executableURL = URL(fileURLWithPath: "/usr/bin/xmllint")
lint.arguments = ["--noout", "--stream", "--schema", HaulData.caseSchemaV1.path, target.path]
lint.standardError = FileHandle.nullDevice
let lintStart = clock.now
try lint.run()
lint.waitUntilExit()
let lintTime = clock.now - lintStart
print("xmllint --noout --stream --schema on the same file: \(seconds(lintTime)) s (exit \(lint.terminationStatus))")
let ratio = (Double(exportTime.components.seconds) + Double(exportTime.components.attoseconds) / 1e18)
    / (Double(lintTime.components.seconds) + Double(lintTime.components.attoseconds) / 1e18)
print(String(format: "ratio haul / xmllint: %.2f (target ≤ 1.30); peak RSS target ≤ 64 MB", ratio))

let validateStart = clock.now
let report = try CaseFileValidator().validate(fileAt: target.path)
print("haul validate alone on the same file: \(seconds(clock.now - validateStart)) s, \(report.isValid ? "valid" : "INVALID: \(report.diagnostics.prefix(3))")")
// The floor: libxml2's parser and schema validator through Haul's SAX pipeline, no semantic pass.
let schemaOnlyStart = clock.now
let schemaOnly = try SchemaValidator(schema: try CaseFileSchema.shipped()).validate(fileAt: target.path)
print("schema only through Haul's SAX pipeline (no semantic pass): \(seconds(clock.now - schemaOnlyStart)) s, \(schemaOnly.isValid ? "valid" : "INVALID")")
if !keep { try? FileManager.default.removeItem(at: target) }
