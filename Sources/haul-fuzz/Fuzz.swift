// libFuzzer targets over Haul's readers of files from outside, chosen by HAUL_FUZZ_TARGET:
// `xml` (default: any bytes → the safe reader: prolog check, SAX + schema, semantic pass, mapping
// to the model), `csv` (any bytes → exhibit-sheet intake into a case) and `tables` (any bytes →
// each price table's reader). Build and run with scripts/fuzz.sh, which compiles with
// -sanitize=fuzzer,address and -DHAUL_FUZZ (libFuzzer then supplies main).
import Foundation
import HaulTables
import HaulCore
import HaulValuation
import HaulXML

enum FuzzTarget: String {
    case xml, csv, tables
    static let chosen = FuzzTarget(rawValue: ProcessInfo.processInfo.environment["HAUL_FUZZ_TARGET"] ?? "xml") ?? .xml
    /// A case to take the sheets in: one agency, no seizures yet.
    static let emptyCase = Case(reference: "FUZZ-1", jurisdiction: .englandAndWales, openedOn: try! CalendarDate(parsing: "2021-03-01"),
                                agencies: [Agency(id: "ASC", name: "Avon and Somerset Constabulary", role: .seizing)], seizures: [])
    static let tableNames = ["drugs.csv", "watches.csv", "vehicles.csv", "metals.csv", "crypto.csv", "factors.csv", "sentencing.csv", "index-cpih.csv", "manifest.csv"]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    switch FuzzTarget.chosen {
    case .xml:
        // Small limits keep each run fast; the limits themselves are tested elsewhere.
        let reader = CaseFileReader(limits: XMLReadLimits(maximumBytes: 1 << 20, maximumDepth: 64, maximumPrologBytes: 4096))
        _ = try? reader.read(data: data, displayName: "fuzz-input.xml")
    case .csv:
        let text = String(decoding: data, as: UTF8.self)
        _ = ExhibitIntake.apply(text: text, file: "fuzz.csv", to: FuzzTarget.emptyCase)
    case .tables:
        // The first byte picks the table, the rest is its text.
        guard let first = data.first else { return 0 }
        let name = FuzzTarget.tableNames[Int(first) % FuzzTarget.tableNames.count]
        var tables = TableSet(name: "fuzz")
        _ = TableLoader.load(text: String(decoding: data.dropFirst(), as: UTF8.self), fileName: name, displayName: "fuzz/\(name)", into: &tables)
    }
    return 0
}

#if !HAUL_FUZZ
@main
struct FuzzUsage {
    static func main() {
        print("haul-fuzz is a libFuzzer target: run scripts/fuzz.sh [seconds]")
    }
}
#endif
