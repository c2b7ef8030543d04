// The register benchmark: a case of N cash items (default 1,000,000; 10,000 to a seizure) is
// written as a validated case file, then the `haul` binary beside this one (build it in release
// first) imports it into a new register, moves one item, moves a whole 10,000-item seizure and
// exports the case again, then validates the export and imports it into a new register (both
// replay its records), each as its own process under GNU time for its peak memory.
// `xmllint --noout --stream --schema` is timed on the same file in the same run as the reference.
// With --postgres ADMIN-URL it runs the same steps on a fresh PostgreSQL database beside SQLite,
// and times one status move, `case show` and `due` on a register of 10,000 cases holding
// 1,000,000 events on both backends (`--cases N` for another number of cases; `--cases-only`
// skips the large case; `--keep` keeps the registers, and the PostgreSQL databases, to look at).
// Usage: swift build -c release && .build/release/haul-bench-register [COUNT] [FOLDER] [--keep] [--cases N] [--cases-only] [--postgres URL [--postgres-only]]
import Foundation
import HaulCore
import HaulData
import HaulPostgres
import HaulStore
import HaulXML

/// Prints a line at once (standard output is block-buffered when it goes to a file, and a run
/// takes long enough that its lines should appear as each step ends).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = Array(CommandLine.arguments.dropFirst())
/// The value following `option`, if given.
func option(_ option: String) -> String? {
    arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
}
let caseCount = option("--cases").flatMap(Int.init) ?? 10_000
let casesOnly = arguments.contains("--cases-only")
/// Only the PostgreSQL register of many cases (with --cases-only and --keep: a register to look into).
let postgresOnly = arguments.contains("--postgres-only")
/// The item count: the first number that is not the value of --cases.
let count = arguments.indices.first { Int(arguments[$0]) != nil && ($0 == 0 || arguments[$0 - 1] != "--cases") }.flatMap { Int(arguments[$0]) } ?? 1_000_000
guard casesOnly || count >= 20_000 else {
    say("COUNT must be at least 20,000: one item of the first seizure and the whole last seizure (10,000 items) are moved")
    exit(64)
}
let keep = arguments.contains("--keep")
let postgresAdmin = option("--postgres")
let folder = URL(fileURLWithPath: arguments.first { Int($0) == nil && !$0.hasPrefix("-") && !$0.hasPrefix("postgres") } ?? FileManager.default.temporaryDirectory.path)
    .appendingPathComponent("haul-bench-register-\(count)")
try? FileManager.default.removeItem(at: folder)
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let caseFile = folder.appendingPathComponent("case.xml")
let registerPath = folder.appendingPathComponent("register.sqlite").path
let clock = ContinuousClock()
let zone = "Europe/London"
let perSeizure = 10_000

func seconds(_ duration: Duration) -> Double { Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18 }
func megabytes(_ path: String) -> Double {
    var total = 0
    for suffix in ["", "-wal"] { total += (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0 }
    return Double(total) / 1_048_576
}


/// Runs a program and waits for it, timed from spawn to exit. posix_spawn and waitpid, not
/// Foundation's Process: on Linux, Process notices its child's exit on a 50 ms poll, which would
/// be most of what a 40 ms command is measured at.
func spawned(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stderrPath: String = "/dev/null") -> (status: Int32, seconds: Double) {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    let variables = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { variables.forEach { free($0) } }
    var pid: pid_t = 0
    let start = clock.now
    guard posix_spawn(&pid, executable, &actions, nil, argv, variables) == 0 else { return (127, 0) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let elapsed = seconds(clock.now - start)
    // WEXITSTATUS: the exit code sits in the second byte of the wait status.
    return ((status >> 8) & 0xff, elapsed)
}


// 2. The reference: xmllint streaming validation of the same file.
func xmllintSeconds(_ path: String) throws -> Double {
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else {
        say("xmllint, the reference, is missing: apt-get install libxml2-utils"); exit(1)
    }
    return spawned("/usr/bin/xmllint", ["--noout", "--stream", "--schema", HaulData.caseSchemaV1.path, path]).seconds
}

// 3. haul, one process per step, its wall time and peak resident memory (GNU time).
let haul = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("haul").path
guard FileManager.default.isExecutableFile(atPath: haul) else {
    say("build haul beside this benchmark first: swift build -c release")
    exit(1)
}
func step(_ name: String, _ arguments: [String], register: String = registerPath) throws -> (seconds: Double, peakMB: Double) {
    // Each step starts on a quiet disk (sync), so it is not timed writing back what the steps
    // before it wrote.
    sync()
    let peakFile = folder.appendingPathComponent("peak.txt").path
    let errorsFile = folder.appendingPathComponent("stderr.txt").path
    let (status, elapsed) = spawned("/usr/bin/time", ["-f", "%M", "-o", peakFile, haul] + arguments,
                                    environment: ["HAUL_DB": register, "HAUL_HOME": folder.path, "HAUL_ACTOR": "bench", "PATH": "/usr/bin:/bin"], stderrPath: errorsFile)
    let peak = Double((try? String(contentsOfFile: peakFile, encoding: .utf8)).flatMap { Int($0.split(separator: "\n").last ?? "") } ?? 0) / 1024
    if status != 0 {
        say("\(name) FAILED (exit \(status)): \((try? String(contentsOfFile: errorsFile, encoding: .utf8))?.prefix(400) ?? "")")
        exit(1)
    }
    return (elapsed, peak)
}
// 4. The same on PostgreSQL, beside SQLite's figures (target: each within 3×; one move ≤ 100 ms).
/// A new database on the server `admin` names, and its URL.
func freshDatabase(_ admin: String, _ name: String) throws -> String {
    _ = spawned("/usr/bin/psql", ["-X", "-q", "-d", admin, "-c", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    guard spawned("/usr/bin/psql", ["-X", "-q", "-d", admin, "-c", "CREATE DATABASE \(name)"]).status == 0 else {
        say("cannot create database \(name) on the server"); exit(1)
    }
    var parts = URLComponents(string: admin)!
    parts.path = "/" + name
    let url = parts.string!
    guard spawned(haul, ["register", "init", "--db", url]).status == 0 else { say("register init failed on \(name)"); exit(1) }
    return url
}

// The large case (skipped with --cases-only).
if !casesOnly {
    // 1. The case file: N cash items at face value, written and validated by the streaming exporter.
    let header = Case(reference: "BENCH-1", jurisdiction: .englandAndWales, operationName: "Register benchmark", openedOn: try CalendarDate(parsing: "2021-01-04"),
                      isIllustrative: true, agencies: [Agency(id: "A1", name: "Benchmark agency", role: .seizing)], seizures: [])
    let source = PriceSource(table: "face value", line: nil, effectiveFrom: try CalendarDate(parsing: "2021-01-04"), confidence: .verified, citation: "counted face value")
    let writeStart = clock.now
    let export = try StreamingCaseExport(target: caseFile, header: header, expectedItems: count)
    for seizureIndex in 0..<(count + perSeizure - 1) / perSeizure {
        try export.beginSeizure(Seizure(id: try Identifier("S\(seizureIndex)"), seizedAt: try ZonedDateTime(epochSeconds: 1_609_750_800 + seizureIndex * 60, zone: zone),
                                        place: "Place \(seizureIndex)", power: .pocaCash, officer: "Officer \(seizureIndex % 97)", agency: "A1", items: []))
        for index in seizureIndex * perSeizure..<min(count, (seizureIndex + 1) * perSeizure) {
            let face = Money(FixedDecimal(1_000 + index % 50_000), .gbp)
            try export.item(Item(id: try Identifier("I-\(index)"), exhibit: try Identifier("E-\(index)"), description: "Benchmark cash \(index)",
                                 details: .cash(try CashItem(currency: .gbp, countedAmount: face.amount)),
                                 valuations: [try Valuation(basis: .face, valuedOn: try CalendarDate(parsing: "2021-01-04"), low: face, central: face, high: face, sources: [source])]))
        }
        try export.endSeizure()
    }
    try export.finish()
    let xmlMB = megabytes(caseFile.path)
    say(String(format: "case file: %d cash items, %.1f MB, written and validated in %.2f s (setup)", count, xmlMB, seconds(clock.now - writeStart)))
    let lintTime = try xmllintSeconds(caseFile.path)
    say(String(format: "xmllint --noout --stream --schema on it: %.2f s (the reference)", lintTime))

    let imported = try step("import", ["import", caseFile.path])
    let afterImport = megabytes(registerPath)
    say(String(format: "haul import into a new register: %.2f s = %.2f × xmllint (target ≤ 2), peak %.0f MB (target ≤ 256); register %.1f MB = %.2f × the file (target ≤ 2)",
                 imported.seconds, imported.seconds / lintTime, imported.peakMB, afterImport, afterImport / xmlMB))
    // The same file into a register already in use (one small case in it): the case goes in
    // through the write-ahead log, so each page is written twice. Removed afterwards (its size).
    let inUse = folder.appendingPathComponent("in-use.sqlite").path
    _ = try step("a register in use", ["case", "open", "OTHER-1", "--opened", "2021-01-04", "--agency", "A1:seizing:Other agency"], register: inUse)
    let intoInUse = try step("import into a register in use", ["import", caseFile.path], register: inUse)
    say(String(format: "haul import into a register in use: %.2f s = %.2f × xmllint, peak %.0f MB",
                 intoInUse.seconds, intoInUse.seconds / lintTime, intoInUse.peakMB))
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: inUse + suffix) }
    let middle = "I-0"
    // Moved after every seizure (they are a minute apart from 09:00): a move may not precede its seizure.
    let one = try step("one move", ["status", middle, "detained", "--on", "2021-01-04T12:00"])
    let afterMove = megabytes(registerPath)
    say(String(format: "haul status %@ detained: %.3f s (target ≤ 0.050), peak %.0f MB (target ≤ 64); the register grew %.1f KB",
                 middle, one.seconds, one.peakMB, (afterMove - afterImport) * 1024))
    let seizure = try step("seizure move", ["status", "S\(count / perSeizure - 1)", "detained", "--on", "2021-01-04T12:00"])
    let afterSeizure = megabytes(registerPath)
    say(String(format: "haul status S%d detained (%d items): %.2f s (target ≤ 2), peak %.0f MB; the register grew %.1f KB",
                 count / perSeizure - 1, min(count, perSeizure), seizure.seconds, seizure.peakMB, (afterSeizure - afterMove) * 1024))
    let exported = folder.appendingPathComponent("exported.xml")
    let out = try step("export", ["export", "BENCH-1", "-o", exported.path])
    let exportLint = try xmllintSeconds(exported.path)
    say(String(format: "haul export (validated): %.2f s = %.2f × xmllint on the exported file (%.2f s; target ≤ 1.3), peak %.0f MB",
                 out.seconds, out.seconds / exportLint, exportLint, out.peakMB))
    // The exported file carries every change as a record (40 items to a record): checking it, or
    // importing it into a new register, replays them all and compares the body with the replay.
    // No target; the figures show what the round trip costs.
    let checked = try step("validate", ["validate", exported.path])
    say(String(format: "haul validate on the exported file (records replayed): %.2f s = %.2f × xmllint, peak %.0f MB",
                 checked.seconds, checked.seconds / exportLint, checked.peakMB))
    let roundTrip = try step("import of the export", ["import", exported.path], register: folder.appendingPathComponent("round-trip.sqlite").path)
    say(String(format: "haul import of the exported file into a new register (records replayed): %.2f s = %.2f × xmllint, peak %.0f MB",
                 roundTrip.seconds, roundTrip.seconds / exportLint, roundTrip.peakMB))

    if let admin = postgresAdmin {
        let url = try freshDatabase(admin, "haul_bench_items")
        let pgImport = try step("import (PostgreSQL)", ["import", caseFile.path], register: url)
        say(String(format: "PostgreSQL haul import: %.2f s = %.2f × SQLite's %.2f s (target ≤ 3), peak %.0f MB",
                     pgImport.seconds, pgImport.seconds / imported.seconds, imported.seconds, pgImport.peakMB))
        let pgOne = try step("one move (PostgreSQL)", ["status", middle, "detained", "--on", "2021-01-04T12:00"], register: url)
        say(String(format: "PostgreSQL haul status %@ detained: %.3f s = %.2f × SQLite's %.3f s (target ≤ 3, ≤ 0.100 s), peak %.0f MB",
                     middle, pgOne.seconds, pgOne.seconds / one.seconds, one.seconds, pgOne.peakMB))
        let pgSeizure = try step("seizure move (PostgreSQL)", ["status", "S\(count / perSeizure - 1)", "detained", "--on", "2021-01-04T12:00"], register: url)
        say(String(format: "PostgreSQL haul status S%d detained: %.2f s = %.2f × SQLite's %.2f s",
                     count / perSeizure - 1, pgSeizure.seconds, pgSeizure.seconds / seizure.seconds, seizure.seconds))
        let pgExported = folder.appendingPathComponent("exported-pg.xml")
        let pgOut = try step("export (PostgreSQL)", ["export", "BENCH-1", "-o", pgExported.path], register: url)
        // (The two files differ: each import recorded the file's body as its own baseline, at its own time.)
        say(String(format: "PostgreSQL haul export: %.2f s = %.2f × SQLite's %.2f s (target ≤ 3), peak %.0f MB",
                     pgOut.seconds, pgOut.seconds / out.seconds, out.seconds, pgOut.peakMB))
        _ = spawned("/usr/bin/psql", ["-X", "-q", "-d", admin, "-c", "DROP DATABASE IF EXISTS haul_bench_items WITH (FORCE)"])
    }
}

// 10,000 cases of 100 status moves each (and the record of each import): about 1,010,000 events.
// Built through the library (each case imported with its chain), then timed through haul.
// The first `timedCases` cases keep no moves: their items are the ones the timed moves move.
let timedCases = 11
let eventCount = timedCases + (caseCount - timedCases) * 101
let casesPath = folder.appendingPathComponent("cases.sqlite").path
var backends: [(name: String, path: String, open: () throws -> any Register)] = postgresOnly ? [] : [("SQLite", casesPath, { try SQLiteRegister(path: casesPath) })]
if let admin = postgresAdmin {
    let casesURL = try freshDatabase(admin, "haul_bench_cases")
    backends.append(("PostgreSQL", casesURL, { try PostgresRegister(url: casesURL) }))
}
/// The middle figure of `samples`.
func median(_ samples: [Double]) -> Double { samples.sorted()[samples.count / 2] }
var figures: [String: [Double]] = [:]
for backend in backends {
    let buildStart = clock.now
    // The library's connection is closed before the timed steps (SQLite checkpoints its WAL
    // then), so they are timed on the register as it stands, not on the setup's unfinished work.
    do {
        let register = try backend.open()
        for index in 0..<caseCount {
            let reference = try Identifier(String(format: "C%05d", index))
            let seizedAt = try ZonedDateTime(epochSeconds: 1_609_750_800, zone: zone)
            let cash = Item(id: "I-1", exhibit: "E-1", description: "Cash", details: .cash(try CashItem(currency: .gbp, countedAmount: 5_000)))
            var operation = Case(reference: reference, jurisdiction: .englandAndWales, openedOn: try CalendarDate(parsing: "2021-01-04"), isIllustrative: true,
                                 agencies: [Agency(id: "A1", name: "Benchmark agency", role: .seizing)],
                                 seizures: [Seizure(id: "S1", seizedAt: seizedAt, place: "Bristol", power: .pocaCash, officer: "PC 1", agency: "A1", items: [cash])])
            var head: (sequence: Int, hash: String?) = (0, nil)
            for move in 0..<(index < timedCases ? 0 : 100) {
                let at = try ZonedDateTime(epochSeconds: 1_609_754_400 + move * 60, zone: zone)
                let event = LedgerWriting.statusEvent(EventDraft(at: at, items: ["I-1"], from: nil, to: .detained, regime: nil, authority: nil,
                                                                 actor: "bench", note: "move \(move)"), case: reference, after: head)
                operation.history.append(event)
                head = (event.sequence, event.hash)
            }
            try register.importCase(operation, actor: "bench", recordedAt: Date())
        }
    }
    if backend.name == "PostgreSQL", let admin = postgresAdmin {
        // What autovacuum does within a minute of a bulk load: the planner's statistics, so the
        // timed steps run on the plans a register in use gets.
        var parts = URLComponents(string: admin)!
        parts.path = "/haul_bench_cases"
        _ = spawned("/usr/bin/psql", ["-X", "-q", "-d", parts.string!, "-c", "ANALYZE"])
    }
    say(String(format: "%@: %d cases, %d events built through the library in %.1f s (setup)", backend.name, caseCount, eventCount, seconds(clock.now - buildStart)))
    // Each figure is the median of `timedCases` runs: one move of each untouched case's item, `case show` and
    // `due` of as many cases from the middle of the register.
    var moves: [Double] = [], shows: [Double] = [], dues: [Double] = []
    for index in 0..<timedCases {
        moves.append(try step("one move", ["status", String(format: "C%05d/I-1", index), "detained", "--on", "2021-01-04T12:00", "--regime", "cash"], register: backend.path).seconds)
    }
    for index in 0..<timedCases {
        let reference = String(format: "C%05d", caseCount / 2 + index)
        shows.append(try step("case show", ["case", "show", reference], register: backend.path).seconds)
        dues.append(try step("due", ["due", reference], register: backend.path).seconds)
    }
    figures[backend.name] = [median(moves), median(shows), median(dues)]
    say("\(backend.name) runs (s): moves \(moves.map { String(format: "%.3f", $0) }), case show \(shows.map { String(format: "%.3f", $0) }), due \(dues.map { String(format: "%.3f", $0) })")
}
for (index, name) in ["one status move", "case show", "due"].enumerated() {
    if let pg = figures["PostgreSQL"], let lite = figures["SQLite"] {
        say(String(format: "%d cases / %d events, %@ (median of %d): PostgreSQL %.3f s = %.2f × SQLite's %.3f s (target ≤ 3%@)",
                     caseCount, eventCount, name, timedCases, pg[index], pg[index] / lite[index], lite[index], index == 0 ? "; ≤ 0.100 s" : ""))
    } else {
        for (backend, values) in figures.sorted(by: { $0.key < $1.key }) {
            say(String(format: "%d cases / %d events, %@ (median of %d): %@ %.3f s", caseCount, eventCount, name, timedCases, backend, values[index]))
        }
    }
}
if let admin = postgresAdmin, !keep {
    _ = spawned("/usr/bin/psql", ["-X", "-q", "-d", admin, "-c", "DROP DATABASE IF EXISTS haul_bench_cases WITH (FORCE)"])
}
if !keep { try? FileManager.default.removeItem(at: folder) }
