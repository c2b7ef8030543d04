// A libFuzzer target over the import path: any bytes → the safe reader (prolog check, SAX +
// schema, semantic pass, mapping to the model). Build and run with scripts/fuzz.sh, which
// compiles with -sanitize=fuzzer,address and -DHAUL_FUZZ (libFuzzer then supplies main).
import Foundation
import HaulCore
import HaulXML

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    // Small limits keep each run fast; the limits themselves are tested elsewhere.
    let reader = CaseFileReader(limits: XMLReadLimits(maximumBytes: 1 << 20, maximumDepth: 64, maximumPrologBytes: 4096))
    _ = try? reader.read(data: data, displayName: "fuzz-input.xml")
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
