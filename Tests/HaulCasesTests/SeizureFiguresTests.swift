import Foundation
import HaulTables
import GRDB
import HaulCases
import HaulCore
import HaulProceedings
@testable import HaulStore
import HaulValuation
import HaulXML
import Testing

/// A move judges the £1,000 minimum across its seizure from the figures kept beside each item's
/// row (``ItemFigures``), read only as far as needed.
@Suite("A seizure's minimum from its items' figures")
struct SeizureFiguresTests {
    let folder: String
    let register: SQLiteRegister
    let work: Casework
    let rules: RuleBook
    let valuer: Valuer

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-figures-XXXXXX").utf8CString)
        folder = String(cString: try #require(mkdtemp(&template)))
        register = try SQLiteRegister(path: folder + "/register.sqlite")
        work = Casework(register: register, actor: "figures test")
        rules = RuleBook.shipped(.englandAndWales).0
        // Pounds only: no conversion, so no rates are needed.
        valuer = Valuer(book: try PriceBook(layers: ShippedTables.layers(for: .englandAndWales, overlay: nil).0, rates: ReferenceRates()))
    }

    func at(_ text: String) -> ZonedDateTime { try! ZonedDateTime(parsing: text, zone: "Europe/London") }

    func cash(_ id: Identifier, _ amount: FixedDecimal) throws -> Item {
        Item(id: id, exhibit: Identifier(stringLiteral: "E-" + id.value), details: .cash(try CashItem(currency: .gbp, countedAmount: amount)))
    }

    func seizure(_ id: Identifier) -> Seizure {
        Seizure(id: id, seizedAt: at("2021-03-01T09:00:00+00:00"), place: "Bristol", power: .pocaCash, officer: "DC 1", agency: "A1", items: [])
    }

    /// Opens C-1 with the seizures given, items added in order.
    func openCase(_ seizures: [(Identifier, [Item])]) throws {
        try work.open(Case(reference: "C-1", jurisdiction: .englandAndWales, openedOn: try CalendarDate(parsing: "2021-03-01"),
                           agencies: [Agency(id: "A1", name: "Agency", role: .seizing)], seizures: []))
        for (id, items) in seizures {
            for (index, item) in items.enumerated() {
                _ = try work.addItem(item, to: "C-1", seizure: id, newSeizure: index == 0 ? seizure(id) : nil)
            }
        }
    }

    func move(_ item: Identifier, regime: String? = nil) throws -> StatusEvent {
        try work.move(MoveRequest(items: [item], to: .detained, at: at("2021-03-01T12:00:00+00:00"), regime: regime), in: "C-1", rules: rules, valuer: valuer).event
    }

    @Test("the figures kept for an item read back exactly: face amount, each currency's first recorded figure, a conversion's words")
    func roundTrip() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = PriceSource(table: "t", line: 3, effectiveFrom: try CalendarDate(parsing: "2020-01-01"), confidence: .verified, citation: "c")
        let rate = AppliedExchangeRate(from: .eur, to: .gbp, rate: FixedDecimal("0.8512")!, date: try CalendarDate(parsing: "2020-06-01"),
                                       source: "ECB\teuro\nreference", isDerived: false)
        let eur = Money(FixedDecimal("1100.00")!, .eur)
        let gbp = Money(FixedDecimal("936.32")!, .gbp)
        let item = Item(id: "I-9", exhibit: "E-9", details: .cash(try CashItem(currency: .eur, denominations: [try Denomination(value: 50, form: .note, count: 22)])),
                        valuations: [try Valuation(basis: .face, valuedOn: try CalendarDate(parsing: "2020-06-18"), low: eur, central: eur, high: eur, sources: [source]),
                                     try Valuation(basis: .market, valuedOn: try CalendarDate(parsing: "2020-06-18"), low: gbp, central: gbp, high: gbp,
                                                   sources: [source], exchangeRate: rate),
                                     // A second pound figure is not the first: it is not kept.
                                     try Valuation(basis: .face, valuedOn: try CalendarDate(parsing: "2020-06-18"), low: gbp, central: gbp, high: gbp, sources: [source])])
        let figures = ItemFigures(item)
        // 22 notes of €50 = €1,100 (no counted amount: the denominations' total is the face amount).
        #expect(figures.cash == eur)
        #expect(figures.recorded.map(\.central) == [eur, gbp])
        #expect(figures.recorded(in: .gbp)?.conversion == "at 0.8512 GBP per EUR (ECB euro reference, 2020-06-01)")
        #expect(figures.storedText == "cash\tEUR\t1100\nvalue\tEUR\t1100\nvalue\tGBP\t936.32\tat 0.8512 GBP per EUR (ECB euro reference, 2020-06-01)")
        #expect(try ItemFigures(id: "I-9", kind: .cash, storedText: figures.storedText) == figures)
        #expect(throws: HaulCoreError.self) { try ItemFigures(id: "I-9", kind: .cash, storedText: "cash\tGBP\t12.5x") }
        #expect(throws: HaulCoreError.self) { try ItemFigures(id: "I-9", kind: .cash, storedText: "price\tGBP\t12") }
    }

    @Test("an item's move is judged across its seizure from the rows' figures: £600 + £300 is below £1,000 (POCA s.294(3)); £1,200 + £50 is not")
    func minimumAcrossTheSeizure() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try openCase([("S1", [try cash("I-1", 600), try cash("I-2", 300)]), ("S2", [try cash("I-3", 1200), try cash("I-4", 50)])])
        #expect {
            try move("I-1")
        } throws: { "\($0)".contains("the seizure is worth 900.00 GBP, below the minimum of 1000.00 GBP") }
        // I-4 alone is £50, but its seizure holds £1,250.
        #expect(try move("I-4").items == ["I-4"])
        #expect(try register.audit().isClean)
    }

    @Test("once part of the seizure meets the minimum, an item not valued yet does not stop the move; below it, it does")
    func partMeetsTheMinimum() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let source = PriceSource(table: "t", line: 1, effectiveFrom: try CalendarDate(parsing: "2021-01-01"), confidence: .verified, citation: "c")
        func watch(_ id: Identifier, _ value: FixedDecimal?) throws -> Item {
            let money = value.map { Money($0, .gbp) }
            return Item(id: id, exhibit: Identifier(stringLiteral: "E-" + id.value), details: .watch(WatchItem(brand: "Rolex", model: "Submariner", condition: .good, hasBox: false, hasPapers: false)),
                        valuations: try money.map { [try Valuation(basis: .market, valuedOn: try CalendarDate(parsing: "2021-03-01"), low: $0, central: $0, high: $0, sources: [source])] } ?? [])
        }
        // S1: a £1,200 watch, then one not valued: £1,200 already meets the £1,000 listed-asset minimum.
        // S2: a £400 watch, then one not valued: the minimum cannot be known, so the move waits for a value.
        try openCase([("S1", [try watch("W-1", 1200), try watch("W-2", nil)]), ("S2", [try watch("W-3", 400), try watch("W-4", nil)])])
        let moved = try move("W-2", regime: "listed-assets")
        #expect(moved.items == ["W-2"])
        // Its time corrected: judged the same way, so W-2's missing value does not stop it.
        let corrected = try work.correct(CorrectionRequest(sequence: moved.sequence, at: at("2021-03-01T11:00:00+00:00"), reason: "custody record"),
                                         in: "C-1", rules: rules, valuer: valuer)
        #expect(corrected.event.supersedes == moved.sequence)
        #expect {
            try move("W-3", regime: "listed-assets")
        } throws: { "\($0)".contains("needs the value across the seizure") }
    }

    @Test("the figures beside the rows are checked by the audit: one edited behind Haul's back is named")
    func auditChecksFigures() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try openCase([("S1", [try cash("I-1", 600), try cash("I-2", 300)])])
        #expect(try register.audit().isClean)
        // £300 made £3,000 in the figures alone would let I-1 be detained below the minimum.
        try register.pool.write { try $0.execute(sql: "UPDATE items SET figures = 'cash\tGBP\t3000\nvalue\tGBP\t3000' WHERE item_id = 'I-2'") }
        let audit = try register.audit()
        #expect(!audit.isClean)
        #expect(audit.cases.first?.problem?.contains("its item index differs from its chain") == true, "\(audit)")
    }

    @Test("a register of the previous format gains its figures when opened for writing, and audits clean")
    func migrationFillsFigures() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try openCase([("S1", [try cash("I-1", 600), try cash("I-2", 450)])])
        // Back to format 5: no figures column, the migration not yet run.
        try register.pool.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE items DROP COLUMN figures; DROP TABLE item_keys; DELETE FROM grdb_migrations WHERE identifier = '6 item figures and keys'; UPDATE haul_register SET format = 5")
        }
        let upgraded = try SQLiteRegister(path: folder + "/register.sqlite")
        let figures = try upgraded.pool.read { try String.fetchAll($0, sql: "SELECT figures FROM items ORDER BY position") }
        // Cash added, not yet valued: its face amount only.
        #expect(figures == ["cash\tGBP\t600", "cash\tGBP\t450"])
        #expect(try upgraded.audit().isClean)
        #expect(try upgraded.pool.read { try Int.fetchOne($0, sql: "SELECT format FROM haul_register") } == SQLiteRegister.format)
    }

    @Test("a seizure's value in another currency than the minimum's is refused, never compared as if it were pounds")
    func minimumInItsOwnCurrency() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lifecycle = Lifecycle(pack: try #require(rules.packs["cash"]))
        let seized = at("2021-03-01T09:00:00+00:00")
        // €5,000 is not "at least £1,000" by comparing the numbers (s.294(3) states pounds).
        #expect {
            try lifecycle.check(Move(to: .detained, at: at("2021-03-01T10:00:00+00:00")), history: [], seizedAt: seized, seizureValue: Money(5_000, .eur))
        } throws: { "\($0)".contains("the seizure's value is in EUR, the minimum of 1000.00 GBP in GBP") }
        #expect(try lifecycle.check(Move(to: .detained, at: at("2021-03-01T10:00:00+00:00")), history: [], seizedAt: seized, seizureValue: Money(1_000, .gbp)).to == .detained)
    }
}
