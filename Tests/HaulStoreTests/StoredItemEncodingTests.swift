import Foundation
import HaulCore
import HaulStore
import HaulTestSupport
import Testing

/// The register's item writer must give byte for byte what `JSONEncoder` with sorted keys gives
/// (the stored text is hashed into the ledger, so a single byte of difference would make a
/// register written by one path fail the audit of the other). `JSONEncoder` is the judge here:
/// an independent implementation of the same `Codable` form.
@Suite("Stored items written without JSONEncoder")
struct StoredItemEncodingTests {
    /// The stored form as `JSONEncoder` writes it (the item without its status), as bytes:
    /// `String` equality would take "é" and "e\u{301}" for the same text.
    static func byJSONEncoder(_ item: Item) throws -> [UInt8] {
        var stored = item
        stored.status = nil
        return Array(try Fixtures.sortedKeysEncoder.encode(stored))
    }

    static func fastBytes(_ item: Item) -> [UInt8] { Array(StoredItemEncoding.json(item).utf8) }

    @Test("equal to JSONEncoder on items of every kind and every optional part, and read back by the fast reader")
    func everyKindAndPart() throws {
        let items = Fixtures.itemsWithEveryPart()
        #expect(items.count == 12)
        for item in items {
            let fast = Self.fastBytes(item)
            #expect(fast == (try Self.byJSONEncoder(item)), "\(item.id)")
            var withoutStatus = item
            withoutStatus.status = nil
            let read = fast.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
            #expect(read == withoutStatus, "\(item.id)")
        }
    }

    @Test("equal to JSONEncoder on 3,000 generated items: every escape, non-ASCII text, 18-place numbers, optional parts present and absent")
    func generatedItems() throws {
        var generator = Generated(seed: 0x5EED_1234_ABCD_0001)
        var compared = 0
        for index in 0..<3_000 {
            let item = try generator.item(index)
            let fast = Self.fastBytes(item)
            let slow = try Self.byJSONEncoder(item)
            #expect(fast == slow, "item \(index): \(String(decoding: fast, as: UTF8.self)) vs \(String(decoding: slow, as: UTF8.self))")
            if fast != slow { break }
            // And the fast reader reads back what the fast writer wrote.
            #expect(fast.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) } == item, "item \(index) read back")
            compared += 1
        }
        #expect(compared == 3_000)
    }

    @Test("the numbers JSONEncoder writes for Decimal: shortest plain digits, no exponent, at both ends of the range")
    func numbers() throws {
        // Each figure as an interest's share, a field no bound limits, written as a JSON number.
        var values: [(FixedDecimal, String)] = [(.ceiling, "100000000000000000000"), (-FixedDecimal.ceiling, "-100000000000000000000"),
                                                (FixedDecimal(raw: 1), "0.000000000000000001")]
        for text in ["0", "1", "-0.5", "12.5", "99999999999999999999", "99999999999999999999.999999999999999999",
                     "-99999999999999999999.999999999999999999", "0.100000000000000001", "123456789012345678.9"] {
            values.append((try FixedDecimal(parsing: text), text))
        }
        for (value, text) in values {
            let item = Item(id: "I-1", exhibit: "E-1", details: .cryptoasset(try CryptoassetItem(asset: "BTC", units: FixedDecimal(1))),
                            interests: [Interest(person: "P-1", kind: .owner, percent: value)])
            let fast = Self.fastBytes(item)
            #expect(fast == (try Self.byJSONEncoder(item)), "\(text)")
            #expect(String(decoding: fast, as: UTF8.self).contains("\"percent\":\(text),\"person\""), "\(text)")
        }
    }

    @Test("the stored form registers already hold: written out in full, escapes and all")
    func pinnedForm() throws {
        // Registers written by earlier releases hold this text and hash it; a toolchain whose
        // JSONEncoder changed its spelling must not change the writer with it.
        let item = Item(id: "I-1", exhibit: "E/1", description: "a/b \"q\" \\ \u{1F}\u{7F} é\ttab\nline",
                        details: .nonValued(.phone))
        let expected = #"{"description":"a\/b \"q\" \\ \u001f\#u{7F} é\ttab\nline","details":{"nonValued":{"_0":"phone"}},"exhibit":"E\/1","id":"I-1","valuations":[]}"#
        #expect(StoredItemEncoding.json(item) == expected)
        #expect(Self.fastBytes(item) == Array(expected.utf8))
    }
}

/// Deterministic items with every optional part chosen at random (a fixed seed: the same items every run).
private struct Generated {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func chance(_ percent: Int) -> Bool { next(100) < percent }

    /// Text drawn from every ASCII character (controls, quotes, slashes, backslashes, DEL) and
    /// non-ASCII ones of one to four UTF-8 bytes, including separators JSON leaves alone.
    mutating func text() -> String {
        let extra: [Unicode.Scalar] = ["é", "€", "😀", "\u{2028}", "\u{2029}", "\u{85}", "\u{301}", "ß", "\u{FEFF}"]
        var text = ""
        for _ in 0..<next(24) {
            text.unicodeScalars.append(chance(80) ? Unicode.Scalar(UInt8(next(128))) : extra[next(extra.count)])
        }
        return text
    }

    mutating func identifier() throws -> Identifier {
        let first = Array("ABCZaz09".utf8), rest = Array("AZaz09._:/-".utf8)
        var bytes = [first[next(first.count)]]
        for _ in 0..<next(20) { bytes.append(rest[next(rest.count)]) }
        return try Identifier(String(decoding: bytes, as: UTF8.self))
    }

    /// A positive decimal of up to `integerDigits` digits before the point and `places` after
    /// (each count drawn at random), never zero.
    mutating func decimal(integerDigits: Int = 14, places: Int = 18) -> FixedDecimal {
        let wholeDigits = next(integerDigits + 1), fractionDigits = next(places + 1)
        var units: Int128 = 0
        for _ in 0..<(wholeDigits + fractionDigits) { units = units * 10 + Int128(next(10)) }
        if units == 0 { units = 1 }
        return FixedDecimal(units: units, places: fractionDigits)
    }

    /// A positive decimal with no bound but Haul's own (rates, factors and interest shares are not schema-bounded here).
    mutating func positive() -> FixedDecimal { decimal() }

    mutating func day() throws -> CalendarDate { try CalendarDate(dayNumber: 10_000 + next(40_000)) }

    mutating func pick<Value: CaseIterable>(_: Value.Type) -> Value { Array(Value.allCases)[next(Value.allCases.count)] }

    mutating func money(_ currency: Currency) -> Money {
        Money(FixedDecimal(units: Int128(next(1_000_000_000)), places: next(5)), currency)
    }

    mutating func valuation() throws -> Valuation {
        let currency: Currency = [.gbp, .eur, .usd, try Currency(code: "JPY")][next(4)]
        var amounts = [money(currency), money(currency), money(currency)]
        amounts.sort { $0.amount < $1.amount }
        var sources: [PriceSource] = []
        for _ in 0..<(1 + next(3)) {
            sources.append(PriceSource(table: text(), line: chance(70) ? next(100_000) : nil, effectiveFrom: try day(),
                                       confidence: pick(Confidence.self), citation: text()))
        }
        let rate = chance(40) ? AppliedExchangeRate(from: .usd, to: currency, rate: positive(), date: try day(), source: text(), isDerived: chance(50)) : nil
        let index = chance(30) ? IndexAdjustment(index: try identifier(), fromPeriod: try day(), toPeriod: try day(), factor: positive()) : nil
        var warnings: [ValuationWarning] = []
        for _ in 0..<next(4) { warnings.append(ValuationWarning(pick(WarningCode.self), text())) }
        return try Valuation(basis: pick(ValuationBasis.self), valuedOn: try day(), low: amounts[0], central: amounts[1], high: amounts[2],
                             isUpperBound: chance(30), sources: sources, exchangeRate: rate, indexAdjustment: index, warnings: warnings)
    }

    mutating func details(_ index: Int) throws -> ItemDetails {
        switch index % 7 {
        case 0:
            let quantity: DrugQuantity = chance(60) ? .mass(try Mass(decimal(integerDigits: 8, places: 6), pick(MassUnit.self))) : .count(try UnitCount(1 + next(100_000), pick(CountUnit.self)))
            let purity = chance(60) ? try Purity(percent: FixedDecimal(units: Int128(next(1_000_001)), places: 4), method: pick(PurityMethod.self)) : nil
            return .drug(DrugItem(substance: pick(Substance.self), form: pick(DrugForm.self), quantity: quantity, purity: purity))
        case 1:
            var denominations: [Denomination] = []
            if chance(50) {
                for _ in 0..<(1 + next(3)) {
                    denominations.append(try Denomination(value: FixedDecimal(units: Int128(1 + next(10_000)), places: 2), form: pick(CashForm.self), count: 1 + next(500)))
                }
            }
            let total = denominations.reduce(FixedDecimal.zero) { $0 + $1.total }
            let counted: FixedDecimal? = denominations.isEmpty ? FixedDecimal(units: Int128(next(100_000_000)), places: 2) : (chance(50) ? total : nil)
            return .cash(try CashItem(currency: .gbp, countedAmount: counted, denominations: denominations))
        case 2:
            return .watch(WatchItem(brand: text(), model: text(), referenceNumber: chance(50) ? text() : nil, serialNumber: chance(50) ? text() : nil,
                                    condition: pick(WatchCondition.self), hasBox: chance(50), hasPapers: chance(50)))
        case 3:
            return .vehicle(VehicleItem(make: text(), model: text(), year: 1950 + next(80), registration: chance(50) ? text() : nil, vin: chance(50) ? text() : nil,
                                        mileage: chance(50) ? try Distance(next(500_000), pick(DistanceUnit.self)) : nil, condition: pick(VehicleCondition.self),
                                        vehicleClass: pick(VehicleClass.self), firstRegistered: chance(50) ? try day() : nil))
        case 4:
            return .jewellery(try JewelleryItem(metal: pick(Metal.self), fineness: FixedDecimal(1 + next(999)), mass: try Mass(decimal(integerDigits: 8, places: 6), .gram), isGemSet: chance(50)))
        case 5:
            return .cryptoasset(try CryptoassetItem(asset: ["BTC", "ETH", "XMR"][next(3)], units: decimal(integerDigits: 11, places: 18), wallet: chance(50) ? text() : nil,
                                                    exchange: chance(50) ? text() : nil))
        default:
            return .nonValued(pick(NonValuedKind.self))
        }
    }

    mutating func item(_ index: Int) throws -> Item {
        var valuations: [Valuation] = []
        for _ in 0..<next(3) { valuations.append(try valuation()) }
        var earlier: [EarlierValuation] = []
        if chance(20) { earlier.append(EarlierValuation(replacedOn: try day(), reason: text(), valuations: [try valuation()])) }
        var interests: [Interest] = []
        if chance(20) {
            interests.append(Interest(person: try identifier(), kind: pick(InterestKind.self), percent: chance(50) ? positive() : nil,
                                      amount: chance(50) ? money(.gbp) : nil, note: chance(50) ? text() : nil))
        }
        return Item(id: try identifier(), exhibit: try identifier(), description: chance(50) ? text() : nil, details: try details(index),
                    valuations: valuations, earlierValuations: earlier, interests: interests)
    }
}
