import Foundation
import HaulCore

/// Reads one ``Item`` from the JSON a register stores for it, without `JSONDecoder`.
///
/// `JSONDecoder` spends about 20 µs on an item, which makes it most of the cost of exporting a
/// large case from the register. This reader understands exactly the form Haul's own encoder
/// writes (sorted keys, the synthesized `{"case":{"_0":…}}` form of enums with values, money as
/// text, other decimals as numbers) and builds the item through the public initialisers. Any
/// other shape — an unknown key, a value an initialiser refuses, a future field — gives nil,
/// and the caller decodes with `JSONDecoder` instead, so it can be faster but never different.
/// Tests hold it equal to `JSONDecoder` on items of every kind.
package enum StoredItemDecoding {
    /// The item, or nil when the text is not in the form this reader knows.
    package static func item(fromJSON bytes: UnsafeRawBufferPointer) -> Item? {
        var parser = MiniJSON(bytes)
        guard let value = parser.parse(), parser.atEnd else { return nil }
        return try? item(value)
    }

    struct Unknown: Error {}

    /// The keys each stored object may have, made once (a literal would be built per call); a
    /// short list compared in order costs less than hashing each key.
    private enum Keys {
        static let item: [String] = ["description", "details", "earlierValuations", "exhibit", "id", "interests", "status", "valuations"]
        static let zonedDateTime: [String] = ["time", "zone"]
        static let money: [String] = ["amount", "currency"]
        static let drug: [String] = ["form", "purity", "quantity", "substance"]
        static let unitCount: [String] = ["count", "unit"]
        static let purity: [String] = ["method", "percent"]
        static let cash: [String] = ["countedAmount", "currency", "denominations"]
        static let denomination: [String] = ["count", "form", "value"]
        static let watch: [String] = ["brand", "condition", "hasBox", "hasPapers", "model", "referenceNumber", "serialNumber"]
        static let vehicle: [String] = ["condition", "firstRegistered", "make", "mileage", "model", "registration", "vehicleClass", "vin", "year"]
        static let measure: [String] = ["unit", "value"]
        static let jewellery: [String] = ["fineness", "isGemSet", "mass", "metal"]
        static let cryptoasset: [String] = ["asset", "exchange", "units", "wallet"]
        static let valuation: [String] = ["basis", "central", "exchangeRate", "high", "indexAdjustment", "isUpperBound", "low", "sources", "valuedOn", "warnings"]
        static let priceSource: [String] = ["citation", "confidence", "effectiveFrom", "line", "table"]
        static let exchangeRate: [String] = ["date", "from", "isDerived", "rate", "source", "to"]
        static let indexAdjustment: [String] = ["factor", "fromPeriod", "index", "toPeriod"]
        static let warning: [String] = ["code", "message"]
        static let status: [String] = ["nextDeadline", "since", "state"]
        static let deadline: [String] = ["due", "isVerified", "rule", "source"]
        static let earlierValuation: [String] = ["reason", "replacedOn", "valuations"]
        static let interest: [String] = ["amount", "kind", "note", "percent", "person"]
    }


    // MARK: Values to model types

    private static func item(_ value: MiniJSON.Value) throws -> Item {
        let object = try value.object(allowing: Keys.item)
        return Item(id: try identifier(object["id"]), exhibit: try identifier(object["exhibit"]), description: try object["description"].map { try $0.string() },
                    details: try details(object["details"]), valuations: try (object["valuations"]?.array() ?? []).map(valuation),
                    status: try object["status"].map(status), earlierValuations: try (object["earlierValuations"]?.array() ?? []).map(earlierValuation),
                    interests: try (object["interests"]?.array() ?? []).map(interest))
    }

    private static func identifier(_ value: MiniJSON.Value?) throws -> Identifier {
        try Identifier(try required(value).string())
    }

    private static func required(_ value: MiniJSON.Value?) throws -> MiniJSON.Value {
        guard let value else { throw Unknown() }
        return value
    }

    private static func raw<T: RawRepresentable>(_ value: MiniJSON.Value?, _: T.Type) throws -> T where T.RawValue == String {
        guard let result = T(rawValue: try required(value).string()) else { throw Unknown() }
        return result
    }

    private static func date(_ value: MiniJSON.Value?) throws -> CalendarDate { try CalendarDate(parsing: try required(value).string()) }

    private static func time(_ value: MiniJSON.Value?) throws -> ZonedDateTime {
        let object = try required(value).object(allowing: Keys.zonedDateTime)
        return try ZonedDateTime(parsing: try required(object["time"]).string(), zone: try required(object["zone"]).string())
    }

    private static func money(_ value: MiniJSON.Value?) throws -> Money {
        let object = try required(value).object(allowing: Keys.money)
        return Money(try DecimalText.parse(try required(object["amount"]).string()), try Currency(code: try required(object["currency"]).string()))
    }

    /// A JSON number as `FixedDecimal`, from its exact digits (Haul writes plain digits; a number
    /// in exponent form, from another writer, is read exactly through Foundation's `Decimal`).
    private static func decimal(_ value: MiniJSON.Value?) throws -> FixedDecimal {
        guard case .number(let text) = try required(value),
              let result = FixedDecimal(plainBytes: text.utf8)
                ?? Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")).flatMap(FixedDecimal.init(exactly:)) else { throw Unknown() }
        return result
    }

    private static func integer(_ value: MiniJSON.Value?) throws -> Int {
        guard case .number(let text) = try required(value), let result = Int(text) else { throw Unknown() }
        return result
    }

    private static func bool(_ value: MiniJSON.Value?) throws -> Bool {
        guard case .bool(let result) = try required(value) else { throw Unknown() }
        return result
    }

    /// The synthesized form of an enum case with one value: `{"name":{"_0":value}}`.
    private static func enumCase(_ value: MiniJSON.Value?) throws -> (name: String, value: MiniJSON.Value) {
        guard case .object(let pairs) = try required(value), pairs.count == 1,
              case .object(let inner) = pairs[0].value, inner.count == 1, inner[0].key == "_0" else { throw Unknown() }
        return (pairs[0].key, inner[0].value)
    }

    private static func details(_ value: MiniJSON.Value?) throws -> ItemDetails {
        let (name, payload) = try enumCase(value)
        switch name {
        case "drug":
            let object = try payload.object(allowing: Keys.drug)
            let quantity: DrugQuantity
            let (quantityKind, amount) = try enumCase(object["quantity"])
            switch quantityKind {
            case "mass": quantity = .mass(try mass(amount))
            case "count":
                let count = try amount.object(allowing: Keys.unitCount)
                quantity = .count(try UnitCount(try integer(count["count"]), try raw(count["unit"], CountUnit.self)))
            default: throw Unknown()
            }
            let purity = try object["purity"].map { value -> Purity in
                let purity = try value.object(allowing: Keys.purity)
                return try Purity(percent: try decimal(purity["percent"]), method: try raw(purity["method"], PurityMethod.self))
            }
            return .drug(DrugItem(substance: try raw(object["substance"], Substance.self), form: try raw(object["form"], DrugForm.self), quantity: quantity, purity: purity))
        case "cash":
            let object = try payload.object(allowing: Keys.cash)
            let denominations = try (object["denominations"]?.array() ?? []).map { value -> Denomination in
                let denomination = try value.object(allowing: Keys.denomination)
                return try Denomination(value: try decimal(denomination["value"]), form: try raw(denomination["form"], CashForm.self), count: try integer(denomination["count"]))
            }
            return .cash(try CashItem(currency: try Currency(code: try required(object["currency"]).string()),
                                      countedAmount: try object["countedAmount"].map { try decimal($0) }, denominations: denominations))
        case "watch":
            let object = try payload.object(allowing: Keys.watch)
            return .watch(WatchItem(brand: try required(object["brand"]).string(), model: try required(object["model"]).string(),
                                    referenceNumber: try object["referenceNumber"].map { try $0.string() }, serialNumber: try object["serialNumber"].map { try $0.string() },
                                    condition: try raw(object["condition"], WatchCondition.self), hasBox: try bool(object["hasBox"]), hasPapers: try bool(object["hasPapers"])))
        case "vehicle":
            let object = try payload.object(allowing: Keys.vehicle)
            let mileage = try object["mileage"].map { value -> Distance in
                let distance = try value.object(allowing: Keys.measure)
                return try Distance(try integer(distance["value"]), try raw(distance["unit"], DistanceUnit.self))
            }
            return .vehicle(VehicleItem(make: try required(object["make"]).string(), model: try required(object["model"]).string(), year: try integer(object["year"]),
                                        registration: try object["registration"].map { try $0.string() }, vin: try object["vin"].map { try $0.string() },
                                        mileage: mileage, condition: try raw(object["condition"], VehicleCondition.self),
                                        vehicleClass: try raw(object["vehicleClass"], VehicleClass.self), firstRegistered: try object["firstRegistered"].map { try date($0) }))
        case "jewellery":
            let object = try payload.object(allowing: Keys.jewellery)
            return .jewellery(try JewelleryItem(metal: try raw(object["metal"], Metal.self), fineness: try decimal(object["fineness"]),
                                                mass: try mass(required(object["mass"])), isGemSet: try bool(object["isGemSet"])))
        case "cryptoasset":
            let object = try payload.object(allowing: Keys.cryptoasset)
            return .cryptoasset(try CryptoassetItem(asset: try required(object["asset"]).string(), units: try decimal(object["units"]),
                                                    wallet: try object["wallet"].map { try $0.string() }, exchange: try object["exchange"].map { try $0.string() }))
        case "nonValued":
            guard let kind = NonValuedKind(rawValue: try payload.string()) else { throw Unknown() }
            return .nonValued(kind)
        default:
            throw Unknown()
        }
    }

    private static func mass(_ value: MiniJSON.Value) throws -> Mass {
        let object = try value.object(allowing: Keys.measure)
        return try Mass(try decimal(object["value"]), try raw(object["unit"], MassUnit.self))
    }

    private static func valuation(_ value: MiniJSON.Value) throws -> Valuation {
        let object = try value.object(allowing: Keys.valuation)
        let sources = try (object["sources"]?.array() ?? []).map { value -> PriceSource in
            let source = try value.object(allowing: Keys.priceSource)
            return PriceSource(table: try required(source["table"]).string(), line: try source["line"].map { try integer($0) },
                               effectiveFrom: try date(source["effectiveFrom"]), confidence: try raw(source["confidence"], Confidence.self),
                               citation: try required(source["citation"]).string())
        }
        let rate = try object["exchangeRate"].map { value -> AppliedExchangeRate in
            let rate = try value.object(allowing: Keys.exchangeRate)
            return AppliedExchangeRate(from: try Currency(code: try required(rate["from"]).string()), to: try Currency(code: try required(rate["to"]).string()),
                                       rate: try decimal(rate["rate"]), date: try date(rate["date"]), source: try required(rate["source"]).string(),
                                       isDerived: try bool(rate["isDerived"]))
        }
        let index = try object["indexAdjustment"].map { value -> IndexAdjustment in
            let index = try value.object(allowing: Keys.indexAdjustment)
            return IndexAdjustment(index: try identifier(index["index"]), fromPeriod: try date(index["fromPeriod"]), toPeriod: try date(index["toPeriod"]),
                                   factor: try decimal(index["factor"]))
        }
        let warnings = try (object["warnings"]?.array() ?? []).map { value -> ValuationWarning in
            let warning = try value.object(allowing: Keys.warning)
            return ValuationWarning(try raw(warning["code"], WarningCode.self), try required(warning["message"]).string())
        }
        return try Valuation(basis: try raw(object["basis"], ValuationBasis.self), valuedOn: try date(object["valuedOn"]), low: try money(object["low"]),
                             central: try money(object["central"]), high: try money(object["high"]), isUpperBound: try object["isUpperBound"].map { try bool($0) } ?? false,
                             sources: sources, exchangeRate: rate, indexAdjustment: index, warnings: warnings)
    }

    private static func status(_ value: MiniJSON.Value) throws -> ItemStatus {
        let object = try value.object(allowing: Keys.status)
        let deadline = try object["nextDeadline"].map { value -> Deadline in
            let deadline = try value.object(allowing: Keys.deadline)
            return Deadline(due: try time(deadline["due"]), rule: try identifier(deadline["rule"]), source: try required(deadline["source"]).string(),
                            isVerified: try bool(deadline["isVerified"]))
        }
        return ItemStatus(state: try raw(object["state"], State.self), since: try time(object["since"]), nextDeadline: deadline)
    }

    private static func earlierValuation(_ value: MiniJSON.Value) throws -> EarlierValuation {
        let object = try value.object(allowing: Keys.earlierValuation)
        return EarlierValuation(replacedOn: try date(object["replacedOn"]), reason: try required(object["reason"]).string(),
                                valuations: try (object["valuations"]?.array() ?? []).map(valuation))
    }

    private static func interest(_ value: MiniJSON.Value) throws -> Interest {
        let object = try value.object(allowing: Keys.interest)
        return Interest(person: try identifier(object["person"]), kind: try raw(object["kind"], InterestKind.self),
                        percent: try object["percent"].map { try decimal($0) }, amount: try object["amount"].map { try money($0) },
                        note: try object["note"].map { try $0.string() })
    }
}

/// Just enough JSON for stored items: objects as ordered pairs, numbers kept as their text.
struct MiniJSON {
    /// Not `indirect`: the recursion is through arrays, which are on the heap already, and a
    /// boxed case would cost an allocation for every value of every item read.
    enum Value {
        case object([(key: String, value: Value)])
        case array([Value])
        case string(String)
        case number(String)
        case bool(Bool)
        case null

        /// The members, refusing any key outside `keys` (a field this reader does not know).
        func object(allowing keys: [String]) throws -> Members {
            guard case .object(let pairs) = self, pairs.allSatisfy({ keys.contains($0.key) }) else { throw StoredItemDecoding.Unknown() }
            return Members(pairs: pairs)
        }

        func array() throws -> [Value] {
            guard case .array(let values) = self else { throw StoredItemDecoding.Unknown() }
            return values
        }

        func string() throws -> String {
            guard case .string(let text) = self else { throw StoredItemDecoding.Unknown() }
            return text
        }
    }

    /// An object's members by key; a JSON null reads as absent, as `decodeIfPresent` has it.
    struct Members {
        let pairs: [(key: String, value: Value)]
        subscript(key: String) -> Value? {
            for pair in pairs where pair.key == key {
                if case .null = pair.value { return nil }
                return pair.value
            }
            return nil
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func parse() -> Value? {
        skipSpace()
        guard index < bytes.count, depth < 32 else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            depth += 1
            defer { depth -= 1 }
            var pairs: [(key: String, value: Value)] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
            while true {
                skipSpace()
                guard let key = parseString() else { return nil }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                index += 1
                guard let value = parse() else { return nil }
                pairs.append((key, value))
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(pairs) }
                return nil
            }
        case UInt8(ascii: "["):
            index += 1
            depth += 1
            defer { depth -= 1 }
            var values: [Value] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
            while true {
                guard let value = parse() else { return nil }
                values.append(value)
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(values) }
                return nil
            }
        case UInt8(ascii: "\""):
            return parseString().map(Value.string)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "n"): return literal("null", .null)
        default:
            let start = index
            numberBytes: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): index += 1
                default: break numberBytes
                }
            }
            guard index > start else { return nil }
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }
    }

    private mutating func literal(_ word: StaticString, _ value: Value) -> Value? {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              word.withUTF8Buffer({ zip(bytes[index..<index + count], $0).allSatisfy { $0 == $1 } }) else { return nil }
        index += count
        return value
    }

    /// A string with JSON's escapes resolved (Foundation's encoder writes "/" as "\\/").
    private mutating func parseString() -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        var unescaped: [UInt8]?
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = unescaped.map { String(decoding: $0, as: UTF8.self) }
                    ?? String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                if unescaped == nil { unescaped = Array(bytes[start..<index]) }
                index += 1
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: "\""): unescaped!.append(0x22)
                case UInt8(ascii: "\\"): unescaped!.append(0x5C)
                case UInt8(ascii: "/"): unescaped!.append(0x2F)
                case UInt8(ascii: "b"): unescaped!.append(0x08)
                case UInt8(ascii: "f"): unescaped!.append(0x0C)
                case UInt8(ascii: "n"): unescaped!.append(0x0A)
                case UInt8(ascii: "r"): unescaped!.append(0x0D)
                case UInt8(ascii: "t"): unescaped!.append(0x09)
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(at: index + 1) else { return nil }
                    index += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A surrogate pair: the low half must follow as another \u escape.
                        guard index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u"),
                              let low = hex4(at: index + 3), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let character = Unicode.Scalar(scalar) else { return nil }
                    unescaped!.append(contentsOf: Array(String(Character(character)).utf8))
                default: return nil
                }
                index += 1
                continue
            }
            unescaped?.append(byte)
            index += 1
        }
        return nil
    }

    private func hex4(at position: Int) -> UInt32? {
        guard position + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[position + offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }
}
