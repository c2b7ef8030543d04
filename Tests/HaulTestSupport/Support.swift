// What several test targets share: temporary folders, running the independent judges
// (xmllint and friends), exact decimals from text, and hand-built cases of every kind.
import Foundation
import HaulCore

/// A tool a cross-check needs is missing where CI requires every tool (`HAUL_REQUIRE_TOOLS`).
public struct MissingTool: Error, CustomStringConvertible {
    public var name: String
    public var package: String
    public var description: String { "\(name) is required here to cross-check the result: apt-get install \(package)" }
}

/// A fresh folder under the system temporary directory, removed by `cleanUp()`.
public struct TemporaryFolder {
    public let url: URL

    public init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        url = URL(fileURLWithPath: String(cString: made))
    }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    public func write(_ name: String, _ text: String) throws -> String {
        let path = path(name)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        return path
    }

    public func cleanUp() { try? FileManager.default.removeItem(at: url) }
}

/// Runs a command and returns its exit status and combined output.
@discardableResult
public func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `xmllint`, the independent judge of schema validity in these tests (Debian: libxml2-utils).
///
/// Returns nil when it is not installed, so that `swift test` still runs Haul's own assertions
/// on a machine without it; CI sets HAUL_REQUIRE_TOOLS=1 so the cross-checks can never be
/// skipped there.
public func xmllint(_ arguments: [String]) throws -> (status: Int32, output: String)? {
    let path = "/usr/bin/xmllint"
    guard FileManager.default.isExecutableFile(atPath: path) else {
        if ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] != nil { throw MissingTool(name: "xmllint", package: "libxml2-utils") }
        return nil
    }
    return try run(path, arguments)
}

/// The line numbers xmllint reports for a file, in its `file:LINE:` prefixes.
public func xmllintErrorLines(_ output: String, file: String) -> [Int] {
    output.split(separator: "\n").compactMap { line in
        guard line.hasPrefix(file + ":") else { return nil }
        return Int(line.dropFirst(file.count + 1).prefix { $0.isNumber })
    }
}

/// `text` as an exact decimal (tests write figures as text, never as floating-point literals).
public func decimal(_ text: String) -> FixedDecimal { FixedDecimal(text)! }

/// Hand-built cases covering every item kind and every optional section.
public enum Fixtures {
    public static let london = "Europe/London"

    public static func time(_ text: String) -> ZonedDateTime { try! ZonedDateTime(parsing: text, zone: london) }
    public static func day(_ text: String) -> CalendarDate { try! CalendarDate(parsing: text) }

    public static let source = PriceSource(table: "valuations/GB-EAW/drugs.csv", line: 7, effectiveFrom: day("2019-07-01"),
                                    confidence: .secondary, citation: "DrugWise Highways & Buyways 2016 <street>")

    public static func valuation(_ basis: ValuationBasis, _ low: String, _ central: String, _ high: String,
                          currency: Currency = .gbp, upperBound: Bool = false) -> Valuation {
        try! Valuation(basis: basis, valuedOn: day("2020-06-18"), low: Money(decimal(low), currency), central: Money(decimal(central), currency),
                       high: Money(decimal(high), currency), isUpperBound: upperBound, sources: [source])
    }

    /// One item of every kind, attributes filled in.
    public static func everyKind() -> [Item] {
        let drugs = DrugItem(substance: .cocaine, form: .powder, quantity: .mass(try! Mass(decimal("1.25"), .kilogram)),
                             purity: try! Purity(percent: decimal("61.5"), method: .laboratory))
        let tablets = DrugItem(substance: .ecstasy, form: .tablet, quantity: .count(try! UnitCount(500, .tablet)))
        let cash = try! CashItem(currency: .eur, countedAmount: decimal("1050.50"), denominations: [
            try! Denomination(value: 500, form: .note, count: 2), try! Denomination(value: 50, form: .note, count: 1),
            try! Denomination(value: decimal("0.50"), form: .coin, count: 1),
        ])
        let watch = WatchItem(brand: "Rolex", model: "Submariner Date", referenceNumber: "126610LN", serialNumber: "Z12345",
                              condition: .good, hasBox: true, hasPapers: false)
        let car = VehicleItem(make: "Mercedes-Benz", model: "AMG G63", year: 2019, registration: "WU19 HXL", vin: "WDB4632761X312345",
                              mileage: try! Distance(14200, .miles), condition: .clean, vehicleClass: .luxury)
        let chain = try! JewelleryItem(metal: .gold, fineness: 750, mass: try! Mass(decimal("48.6"), .gram), isGemSet: false)
        let bitcoin = try! CryptoassetItem(asset: "BTC", units: decimal("0.123456789012345678"), wallet: "bc1q-example", exchange: "Example Exchange")
        var withRate = valuation(.face, "920.10", "920.10", "920.10")
        withRate.exchangeRate = AppliedExchangeRate(from: .eur, to: .gbp, rate: decimal("0.87585"), date: day("2020-06-18"), source: "ECB", isDerived: true)
        withRate.indexAdjustment = IndexAdjustment(index: "CPIH", fromPeriod: day("2016-07-01"), toPeriod: day("2020-06-01"), factor: decimal("1.078"))
        withRate.warnings = [ValuationWarning(.stalePrice, "price from 2016 is older than the table's 3-year limit")]
        let status = ItemStatus(state: .detained, since: time("2020-06-18T07:20:00+01:00"),
                                nextDeadline: Deadline(due: time("2020-06-22T07:20:00+01:00"), rule: "gb-eaw-cash-initial-detention",
                                                       source: "POCA 2002 s.295(1)", isVerified: true))
        return [
            Item(id: "I-1", exhibit: "X/1", description: "Blocks of white powder", details: .drug(drugs),
                 valuations: [valuation(.wholesale, "30000", "40000", "55000"), valuation(.street, "60000", "80000", "120000", upperBound: true)]),
            Item(id: "I-2", exhibit: "X/2", details: .drug(tablets)),
            Item(id: "I-3", exhibit: "X/3", description: "Cash in a holdall", details: .cash(cash), valuations: [withRate], status: status),
            Item(id: "I-4", exhibit: "X/4", details: .watch(watch), valuations: [valuation(.market, "9000", "10500", "12000"), valuation(.realisable, "6390", "7455", "8520")]),
            Item(id: "I-5", exhibit: "X/5", details: .vehicle(car)),
            Item(id: "I-6", exhibit: "X/6", details: .jewellery(chain)),
            Item(id: "I-7", exhibit: "X/7", details: .cryptoasset(bitcoin)),
            Item(id: "I-8", exhibit: "X/8", description: "Glock pistol", details: .nonValued(.firearm)),
            Item(id: "I-9", exhibit: "X/9", details: .nonValued(.ammunition)),
            Item(id: "I-10", exhibit: "X/10", details: .nonValued(.phone)),
            Item(id: "I-11", exhibit: "X/11", details: .nonValued(.document)),
            Item(id: "I-12", exhibit: "X/12", details: .nonValued(.other)),
        ]
    }

    /// The full case's two status moves, hashed as the register hashes them (the semantic pass
    /// recomputes every hash).
    public static let fullHistory: [StatusEvent] = {
        var first = StatusEvent(sequence: 1, at: time("2020-06-18T07:20:00+01:00"), items: ["I-3"], from: nil, to: .seized, actor: "DC 1", previousHash: nil, hash: "")
        first.hash = EventChain.hash(case: "TEST-0001", event: first)
        var second = StatusEvent(sequence: 2, at: time("2020-06-18T07:25:00+01:00"), items: ["I-3", "I-1"], from: .seized, to: .detained,
                                 authority: "s.295(1)", actor: "DS 2", note: "Line one\nline two", previousHash: first.hash, hash: "")
        second.hash = EventChain.hash(case: "TEST-0001", event: second)
        return [first, second]
    }()
    public static var hashA: String { fullHistory[0].hash }
    public static var hashB: String { fullHistory[1].hash }

    /// A JSON encoder with sorted keys, as the register and the records write an item.
    public static let sortedKeysEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // as the register writes them
        return encoder
    }()

    /// The full case's items with every optional part an item can have, at least once.
    public static func itemsWithEveryPart() -> [Item] {
        var items = fullCase().items
        // Every optional part at least once: status with a deadline, earlier valuations,
        // interests, escapes and non-ASCII text, a count of tablets, an unvalued item.
        items[0].status = ItemStatus(state: .detained, since: time("2020-06-18T07:20:00+01:00"),
                                     nextDeadline: Deadline(due: time("2020-06-22T07:20:00+01:00"), rule: "gb-cash-initial-detention",
                                                            source: "POCA 2002 s.295(1) \"48 hours\" \\ test", isVerified: true))
        items[0].earlierValuations = [EarlierValuation(replacedOn: day("2021-01-05"), reason: "lab purity 61 % ✓ — \u{1F600}",
                                                       valuations: [valuation(.wholesale, "1", "2", "3")])]
        items[0].interests = [Interest(person: "P-1", kind: .owner, percent: decimal("50")),
                              Interest(person: "P-2", kind: .charge, amount: Money(decimal("5000.00"), .gbp), note: "finance\nline two"),
                              Interest(person: "P-3", kind: .claim)]
        items[1].description = "tab\tnew\nline \"quoted\" back\\slash / slash é"
        return items
    }

    /// A case with every section: two seizures, history, confiscation with an order and a split.
    public static func fullCase() -> Case {
        let items = everyKind()
        let first = Seizure(id: "S1", seizedAt: time("2020-06-18T06:05:00+01:00"), place: "Bath & district", power: .warrant,
                            warrantReference: "W-1", officer: "DC 1", agency: "A1", items: Array(items[0..<6]))
        let second = Seizure(id: "S2", seizedAt: time("2020-12-01T09:00:00Z"), place: "Bristol", power: .pocaCash,
                             officer: "DC 2", agency: "A2", items: Array(items[6...]))
        let history = fullHistory
        let order = ConfiscationOrder(reference: "T2021-0001", madeOn: day("2021-09-01"), amount: Money(decimal("150000.00"), .gbp),
                                      dueOn: day("2021-12-01"), interestRatePercent: 8, interestAccrued: Money(decimal("123.29"), .gbp),
                                      paid: Money(decimal("1000"), .gbp), maximumDefaultTerm: try! TermLength(years: 5))
        let split = Distribution(total: Money(decimal("1000.01"), .gbp), remainderRule: "largest-remainder", shares: [
            DistributionShare(recipient: "Home Office", percent: 50, amount: decimal("500.01")),
            DistributionShare(recipient: "Investigating agency", percent: decimal("18.75"), amount: decimal("187.50")),
            DistributionShare(recipient: "Prosecuting agency", percent: decimal("18.75"), amount: decimal("187.50")),
            DistributionShare(recipient: "HMCTS", percent: decimal("12.5"), amount: decimal("125.00")),
        ])
        let confiscation = ConfiscationFigures(decidedOn: day("2021-09-01"), benefit: Money(200_000, .gbp), availableAmount: Money(150_000, .gbp),
                                               recoverableAmount: Money(150_000, .gbp), order: order, distribution: split)
        return Case(reference: "TEST-0001", jurisdiction: .englandAndWales, operationName: "Operation Test & \"Quotes\"",
                    openedOn: day("2020-06-18"), isIllustrative: true, note: "A note\nover two lines",
                    agencies: [Agency(id: "A1", name: "Avon and Somerset Constabulary", role: .seizing),
                               Agency(id: "A2", name: "Crown Prosecution Service", role: .prosecuting)],
                    seizures: [first, second], history: history, confiscation: confiscation)
    }

    /// The smallest case's shape with seizures of `counts` items each (phones, numbered I-1,
    /// E/1, "item 1" on through the seizures S1, S2, …): a case large enough to cross batches.
    public static func caseOfSeizures(_ counts: [Int]) -> Case {
        var operation = minimalCase(.nonValued(.phone))
        let template = operation.seizures[0]
        var number = 0
        operation.seizures = counts.enumerated().map { index, count in
            var seizure = template
            seizure.id = try! Identifier("S\(index + 1)")
            seizure.items = (0..<count).map { _ in
                number += 1
                return Item(id: try! Identifier("I-\(number)"), exhibit: try! Identifier("E/\(number)"), description: "item \(number)", details: .nonValued(.phone))
            }
            return seizure
        }
        return operation
    }

    /// The smallest valid case: one seizure with one item of `details`.
    public static func minimalCase(_ details: ItemDetails) -> Case {
        let item = Item(id: "I-1", exhibit: "E/1", details: details)
        let seizure = Seizure(id: "S1", seizedAt: time("2021-03-01T10:00:00Z"), place: "Somewhere", power: .other,
                              officer: "PC 1", agency: "A1", items: [item])
        return Case(reference: "MIN-1", jurisdiction: .englandAndWales, openedOn: day("2021-03-01"),
                    agencies: [Agency(id: "A1", name: "Agency", role: .seizing)], seizures: [seizure])
    }
}

/// A seeded generator (SplitMix64): the same cases on every run, so a failure can be replayed.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
