// Valuation throughput benchmark: values 1,000,000 distinct mixed items (every kind, varied
// quantities and dates, nothing cached across items) and prints items per second.
// Run: swift run -c release haul-bench [count] [--repeat N] [--engine-only] [--by-kind]
import Foundation
import HaulTables
import HaulCore
import HaulValuation
import HaulXML

/// The item count: the first whole number among the arguments that is not `--repeat`'s.
let count = CommandLine.arguments.indices.dropFirst().first { Int(CommandLine.arguments[$0]) != nil && CommandLine.arguments[$0 - 1] != "--repeat" }
    .flatMap { Int(CommandLine.arguments[$0]) } ?? 1_000_000
let engineOnly = CommandLine.arguments.contains("--engine-only")
/// `--repeat N` measures each figure N times: on a noisy host the fastest of several runs is the
/// one least disturbed by other work.
let repeats = CommandLine.arguments.firstIndex(of: "--repeat").flatMap { CommandLine.arguments.dropFirst($0 + 1).first.flatMap(Int.init) } ?? 1

// Shipped GB-EAW tables and rates, as `haul value` uses them.
let (layers, problems) = ShippedTables.layers(for: .englandAndWales, overlay: nil)
precondition(problems.isEmpty, "\(problems)")
var rates = ReferenceRates()
for file in ShippedTables.rateFiles { rates.merge(try ECBRatesReader().read(fileAt: file.url.path)) }
let book = try PriceBook(layers: layers, rates: rates)
let valuer = Valuer(book: book)

/// A small deterministic generator, so every run values the same items.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}

var random = Generator()
let substances: [Substance] = [.cocaine, .heroin, .amphetamine, .cannabisHerbal, .ketamine, .methamphetamine, .mdma]
let watches = [("Rolex", "Submariner Date", "126610LN"), ("Rolex", "GMT-Master II", "126710BLRO"), ("Patek Philippe", "Nautilus", "5711/1A"), ("Rolex", "Submariner Date", "126610LV")]
let cars = [("Mercedes-Benz", "AMG G63", 2019), ("Lamborghini", "Urus", 2020), ("Porsche", "911 Carrera S", 2020), ("BMW", "M5", 2019), ("Volkswagen", "Golf R", 2022)]
let currencies: [Currency] = [.gbp, .gbp, .eur, .usd]
let firstDay = try CalendarDate(parsing: "2020-01-01").dayNumber

print("Generating \(count) distinct items…")
var items: [Item] = []
var dates: [CalendarDate] = []
items.reserveCapacity(count)
dates.reserveCapacity(count)
for index in 0..<count {
    let id = try Identifier("I-\(index)")
    let details: ItemDetails
    // Quantities vary with the index, so no two items are alike.
    let milligrams = FixedDecimal(1 + (index * 7919) % 9_000_000)
    switch index % 7 {
    case 0:
        let grams = milligrams / 1000
        let purity = random.next(3) == 0 ? nil : try Purity(percent: FixedDecimal(20 + random.next(70)), method: .laboratory)
        details = .drug(DrugItem(substance: substances[random.next(substances.count)], form: .powder, quantity: .mass(try Mass(grams, .gram)), purity: purity))
    case 1:
        details = .cash(try CashItem(currency: currencies[random.next(currencies.count)], countedAmount: FixedDecimal(10 + index % 100_000)))
    case 2:
        let watch = watches[random.next(watches.count)]
        details = .watch(WatchItem(brand: watch.0, model: watch.1, referenceNumber: watch.2, condition: WatchCondition.allCases[random.next(5)],
                                   hasBox: random.next(2) == 0, hasPapers: random.next(2) == 0))
    case 3:
        let car = cars[random.next(cars.count)]
        details = .vehicle(VehicleItem(make: car.0, model: car.1, year: car.2, mileage: try Distance(index % 90_000, .miles),
                                       condition: VehicleCondition.allCases[random.next(3)], vehicleClass: .luxury))
    case 4:
        details = .jewellery(try JewelleryItem(metal: random.next(2) == 0 ? .gold : .silver, fineness: [375, 585, 750, 916, 999][random.next(5)],
                                               mass: try Mass(milligrams / 10_000, .gram), isGemSet: random.next(4) == 0))
    case 5:
        details = .cryptoasset(try CryptoassetItem(asset: random.next(2) == 0 ? "BTC" : "ETH", units: milligrams / 1_000_000))
    default:
        details = .nonValued(.phone)
    }
    items.append(Item(id: id, exhibit: id, details: details))
    dates.append(try CalendarDate(dayNumber: firstDay + index % 2000))
}

func measure(_ label: String, _ body: () -> Int) {
    for _ in 0..<repeats { measureOnce(label, body) }
}

func measureOnce(_ label: String, _ body: () -> Int) {
    let clock = ContinuousClock()
    let start = clock.now
    let figures = body()
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Int(Double(count) / seconds)
    print("\(label): \(count) items in \(String(format: "%.3f", seconds)) s = \(rate) items/s (\(figures) figures)")
}

// One core: a plain loop on the main thread.
measure("value (engine figures with provenance)") {
    var figures = 0
    for index in 0..<count { figures += valuer.value(items[index], on: dates[index]).figures.count }
    return figures
}
if CommandLine.arguments.contains("--by-kind") {
    // The time per item of each kind (every seventh item is of one kind), the engine alone and
    // with the case-model valuations: where the time goes.
    let clock = ContinuousClock()
    func nanoseconds(_ duration: Duration) -> Int { Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000) }
    for kind in 0..<7 {
        var start = clock.now
        var n = 0
        for index in stride(from: kind, to: count, by: 7) { n += valuer.value(items[index], on: dates[index]).figures.count }
        let engine = nanoseconds(clock.now - start) / (count / 7)
        start = clock.now
        for index in stride(from: kind, to: count, by: 7) { n += valuer.value(items[index], on: dates[index]).valuations().count }
        let caseModel = nanoseconds(clock.now - start) / (count / 7)
        print("  \(items[kind].kind.rawValue): \(engine) ns an item, \(caseModel) ns into the case model (\(n / 2) figures)")
    }
}
if !engineOnly { measure("value + case-model valuations") {
    var figures = 0
    for index in 0..<count { figures += valuer.value(items[index], on: dates[index]).valuations().count }
    return figures
} }
// A case-model valuation lists its sources and warnings when they are read: this line reads both
// lists once, as storing or exporting it does, so the cost deferred is in view too. (A warning's
// words are put together later still, when its message is read, as they were before.)
if !engineOnly { measure("value + case-model valuations, sources and warnings listed") {
    var figures = 0
    for index in 0..<count {
        for valuation in valuer.value(items[index], on: dates[index]).valuations() {
            figures += valuation.sources.isEmpty || valuation.warnings.count < 0 ? 0 : 1
        }
    }
    return figures
} }
