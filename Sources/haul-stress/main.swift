// Appends events to a register as fast as it can, for the concurrency tests: several of these
// run at once against one register file, or one is killed in the middle of its writes.
// Usage: haul-stress DB CASE COUNT [LABEL]
import Foundation
import HaulCore
import HaulStore

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: haul-stress DB CASE COUNT [LABEL]\n".utf8))
    exit(64)
}
let label = arguments.count > 4 ? arguments[4] : "stress"
do {
    let register = try SQLiteRegister(path: arguments[1])
    let reference = try Identifier(arguments[2])
    let start = try ZonedDateTime(parsing: "2021-01-04T09:00:00Z", zone: "Europe/London")
    for index in 0..<count {
        let at = try ZonedDateTime(epochSeconds: start.epochSeconds + index, zone: "Europe/London")
        _ = try register.append(EventDraft(at: at, items: ["I-1"], from: nil, to: .detained, regime: nil, authority: nil,
                                           actor: label, note: "\(label) \(index)"), to: reference, recordedAt: Date())
    }
    print("\(label): appended \(count) events")
} catch {
    FileHandle.standardError.write(Data("haul-stress: \(error)\n".utf8))
    exit(1)
}
