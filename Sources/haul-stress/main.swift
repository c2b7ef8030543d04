// Writes to a register as fast as it can, for the concurrency tests: several of these run at
// once against one register file, or one is killed in the middle of its writes.
//
// DB is a SQLite file or a postgres:// URL.
// Usage: haul-stress DB CASE COUNT [LABEL]           appends COUNT status moves of the case's first item
//        haul-stress DB CASE COUNT LABEL --mixed      COUNT mixed writes through the library's
//                                                     front door: new items, people, payments
//                                                     and moves that race on items RACE-1…RACE-n
// In --mixed mode each write that succeeds prints "ok KIND ID" and each refusal "refused KIND ID".
import Foundation
import HaulTables
import HaulCases
import HaulCore
import HaulPostgres
import HaulProceedings
import HaulStore
import HaulValuation

let arguments = CommandLine.arguments
guard arguments.count >= 4, let count = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: haul-stress DB CASE COUNT [LABEL] [--mixed]\n".utf8))
    exit(64)
}
let label = arguments.count > 4 ? arguments[4] : "stress"
do {
    let register: any Register = PostgresLocation.isURL(arguments[1]) ? try PostgresRegister(url: arguments[1]) : try SQLiteRegister(path: arguments[1])
    let reference = try Identifier(arguments[2])
    let start = try ZonedDateTime(parsing: "2021-01-04T09:00:00Z", zone: "Europe/London")
    if !arguments.contains("--mixed") {
        // Appended as they come, unjudged, naming the case's first item (a move must name one it has).
        // The first seizure's items only: a million-item case is not read whole for one id.
        let skeleton = try register.loadState(reference, scope: .skeleton)
        guard let firstSeizure = skeleton.seizures.first?.id,
              let item = try register.loadState(reference, scope: .seizures([firstSeizure])).seizures.first(where: { !$0.items.isEmpty })?.items.first?.id else {
            FileHandle.standardError.write(Data("haul-stress: case \(reference) has no items to move\n".utf8))
            exit(1)
        }
        for index in 0..<count {
            let at = try ZonedDateTime(epochSeconds: start.epochSeconds + index, zone: "Europe/London")
            _ = try register.append(EventDraft(at: at, items: [item], from: nil, to: .detained, regime: nil, authority: nil,
                                               actor: label, note: "\(label) \(index)"), to: reference, recordedAt: Date())
        }
        print("\(label): appended \(count) events")
        exit(0)
    }
    let work = Casework(register: register, actor: label)
    let operation = try register.loadState(reference)
    let (rules, problems) = RuleBook.shipped(operation.jurisdiction)
    guard problems.isEmpty else { throw CaseworkError(.invalid, "the shipped rule packs have problems") }
    let (layers, tableProblems) = ShippedTables.layers(for: operation.jurisdiction, overlay: nil)
    guard tableProblems.isEmpty else { throw CaseworkError(.invalid, "the shipped tables have problems") }
    let valuer = Valuer(book: try PriceBook(layers: layers, rates: ReferenceRates()))
    let racing = operation.items.filter { $0.id.value.hasPrefix("RACE-") }.map(\.id)
    let seizure = try Identifier("S-\(label)")
    let newSeizure = Seizure(id: seizure, seizedAt: start, place: "stress", power: .pocaCash, officer: label, agency: operation.agencies[0].id, items: [])
    for index in 0..<count {
        let kind = ["item", "person", "payment", "move"][index % 4]
        let id = "\(label)-\(index)"
        do {
            switch kind {
            case "item":
                let item = Item(id: try Identifier("I-\(id)"), exhibit: try Identifier("X/\(id)"),
                                details: .cash(try CashItem(currency: .gbp, countedAmount: FixedDecimal(1_000 + index))))
                try work.addItem(item, to: reference, seizure: seizure, newSeizure: newSeizure)
            case "person":
                try work.addPerson(Person(id: try Identifier("P-\(id)"), role: .thirdParty, name: "Person \(id)"), to: reference)
            case "payment":
                // Amounts in pennies that name the writer and the write: 100.00 + index/100, so each is findable.
                let amount = try Money(parsing: "\(100 + index).\(label.utf8.first.map { String(Int($0) % 100) } ?? "00")", currency: .gbp)
                let payment = Payment(paidOn: try CalendarDate(parsing: "2021-07-01"), amount: amount)
                try work.recordPayment(payment, in: reference)
                print("ok payment \(amount.amountText)")
                continue
            default:
                let target = racing[(index / 4) % racing.count]
                let at = try ZonedDateTime(epochSeconds: start.epochSeconds + 60, zone: "Europe/London")
                try work.move(MoveRequest(items: [target], to: .detained, at: at, note: id), in: reference, rules: rules, valuer: valuer)
                print("ok move \(target)")
                continue
            }
            print("ok \(kind) \(id)")
        } catch {
            print("refused \(kind) \(id): \(error)")
        }
    }
} catch {
    FileHandle.standardError.write(Data("haul-stress: \(error)\n".utf8))
    exit(1)
}
