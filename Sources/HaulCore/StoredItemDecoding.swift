import Foundation

/// Reads one ``Item`` from its canonical JSON without `JSONDecoder`: the text a record's payload
/// holds for an item, which is also the text a register stores as the item's row.
///
/// `JSONDecoder` spends about 20 µs on an item, which made it most of the cost of exporting a
/// large case from the register and of replaying a large case's records. This reader understands
/// exactly the form Haul's own writer gives: the synthesized `{"case":{"_0":…}}` form of enums
/// with values, money as text, other decimals as numbers, members in any order. It reads each
/// value straight into the field it belongs to (no tree of JSON values in between) and builds the
/// item through the public initialisers. Any other shape — an unknown or repeated key, a value an
/// initialiser refuses, a future field — gives nil, and the caller decodes with `JSONDecoder`
/// instead, so it can be faster but never different. Tests hold it equal to `JSONDecoder` on
/// items of every kind and on generated ones.
package enum StoredItemDecoding {
    struct Unknown: Error {}

    /// The item, or nil when the text is not in the form this reader knows.
    package static func item(fromJSON bytes: UnsafeRawBufferPointer) -> Item? {
        var reader = StoredJSONReader(bytes)
        guard let item = try? reader.item(), reader.atEnd else { return nil }
        return item
    }
}

/// A key as it stands in the text (keys Haul writes need no escapes), matched against names.
struct JSONKey {
    let bytes: UnsafeRawBufferPointer

    static func ~= (name: StaticString, key: JSONKey) -> Bool {
        name.withUTF8Buffer { $0.count == key.bytes.count && memcmp($0.baseAddress!, key.bytes.baseAddress!, $0.count) == 0 }
    }
}

/// Reads the stored form value by value, straight into the model's types; any surprise throws
/// ``StoredItemDecoding/Unknown``. A JSON `null` reads as absent, as `decodeIfPresent` has it.
struct StoredJSONReader {
    typealias Unknown = StoredItemDecoding.Unknown
    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool {
        mutating get {
            skipSpace()
            return index == bytes.count
        }
    }

    // MARK: JSON

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw Unknown() }
        index += 1
    }

    /// True (and the `null` read) when the next value is `null`.
    private mutating func null() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    /// An object: `member` is called with each key, the reader at its value, which it must read.
    /// A key given twice is refused (JSONDecoder decides what that means), and so is an object of
    /// more members than any of Haul's has.
    private mutating func object(_ member: (inout StoredJSONReader, JSONKey) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return }
        try withUnsafeTemporaryAllocation(of: JSONKey.self, capacity: Self.maximumMembers) { keys in
            var count = 0
            while true {
                try expect(UInt8(ascii: "\""))
                let start = index
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    guard bytes[index] != UInt8(ascii: "\\"), bytes[index] >= 0x20 else { throw Unknown() }
                    index += 1
                }
                guard index < bytes.count else { throw Unknown() }
                let key = JSONKey(bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                guard count < Self.maximumMembers, !keys[..<count].contains(where: { $0.bytes.elementsEqual(key.bytes) }) else { throw Unknown() }
                keys.initializeElement(at: count, to: key)
                count += 1
                index += 1
                try expect(UInt8(ascii: ":"))
                try member(&self, key)
                skipSpace()
                guard index < bytes.count else { throw Unknown() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return }
                throw Unknown()
            }
        }
    }

    /// The most members an object of the stored form has (a valuation's ten, and room to spare).
    private static let maximumMembers = 16

    /// An array, each element read by `element`; `null` reads as empty where the array may be
    /// absent (`decodeIfPresent`), and is refused where `JSONDecoder` requires it.
    private mutating func array<Element>(required: Bool = false, _ element: (inout StoredJSONReader) throws -> Element) throws -> [Element] {
        if null() {
            guard !required else { throw Unknown() }
            return []
        }
        try expect(UInt8(ascii: "["))
        var elements: [Element] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return elements }
        while true {
            elements.append(try element(&self))
            skipSpace()
            guard index < bytes.count else { throw Unknown() }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return elements }
            throw Unknown()
        }
    }

    /// The synthesized form of an enum case with one value, `{"name":{"_0":value}}`: `payload`
    /// reads the value given the case's name.
    private mutating func enumCase<Value>(_ payload: (inout StoredJSONReader, JSONKey) throws -> Value) throws -> Value {
        var value: Value?
        try object { reader, name in
            guard value == nil else { throw Unknown() }
            try reader.object { reader, slot in
                guard "_0" ~= slot, value == nil else { throw Unknown() }
                value = try payload(&reader, name)
            }
            guard value != nil else { throw Unknown() }
        }
        guard let value else { throw Unknown() }
        return value
    }

    /// A string with JSON's escapes resolved (Foundation's encoder writes "/" as "\\/").
    mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var unescaped: [UInt8]?
        var nonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte >= 0x80 { nonASCII = true }
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                // Bytes that are not UTF-8 are refused, as JSONDecoder refuses them, rather than
                // read as U+FFFD (ASCII, most text, needs no check).
                if !nonASCII {
                    index += 1
                    return unescaped.map { String(decoding: $0, as: UTF8.self) } ?? String(decoding: raw, as: UTF8.self)
                }
                // Valid UTF-8 decodes to the same bytes; anything else would come back repaired.
                let text: String
                if let unescaped {
                    text = String(decoding: unescaped, as: UTF8.self)
                    guard text.utf8.elementsEqual(unescaped) else { throw Unknown() }
                } else {
                    text = String(decoding: raw, as: UTF8.self)
                    guard text.utf8.elementsEqual(raw) else { throw Unknown() }
                }
                index += 1
                return text
            }
            guard byte >= 0x20 else { throw Unknown() }
            if byte == UInt8(ascii: "\\") {
                if unescaped == nil { unescaped = Array(bytes[start..<index]) }
                index += 1
                guard index < bytes.count else { throw Unknown() }
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
                    guard var scalar = hex4(at: index + 1) else { throw Unknown() }
                    index += 4
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A surrogate pair: the low half must follow as another \u escape.
                        guard index + 6 < bytes.count, bytes[index + 1] == UInt8(ascii: "\\"), bytes[index + 2] == UInt8(ascii: "u"),
                              let low = hex4(at: index + 3), (0xDC00...0xDFFF).contains(low) else { throw Unknown() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    guard let character = Unicode.Scalar(scalar) else { throw Unknown() }
                    unescaped!.append(contentsOf: Array(String(Character(character)).utf8))
                default: throw Unknown()
                }
                index += 1
                continue
            }
            unescaped?.append(byte)
            index += 1
        }
        throw Unknown()
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

    /// A number's text, as JSON spells one: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    /// (what `JSONDecoder` refuses — `+5`, `007`, `1-2` — is refused here too); and whether it
    /// has an exponent.
    private mutating func numberBytes() throws -> (text: UnsafeRawBufferPointer, hasExponent: Bool) {
        skipSpace()
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != UInt8(ascii: "0") else { throw Unknown() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw Unknown() }
        }
        var hasExponent = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            hasExponent = true
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw Unknown() }
        }
        return (UnsafeRawBufferPointer(rebasing: bytes[start..<index]), hasExponent)
    }

    /// A JSON number as `FixedDecimal`, from its exact digits (Haul writes plain digits; a number
    /// in exponent form, from another writer, is read exactly through Foundation's `Decimal`).
    mutating func decimal() throws -> FixedDecimal {
        let (text, hasExponent) = try numberBytes()
        guard hasExponent else {
            guard let value = FixedDecimal(plainBytes: text) else { throw Unknown() }
            return value
        }
        guard let decimal = Decimal(string: String(decoding: text, as: UTF8.self), locale: Locale(identifier: "en_US_POSIX")),
              let value = FixedDecimal(exactly: decimal) else { throw Unknown() }
        return value
    }

    mutating func integer() throws -> Int {
        let (text, hasExponent) = try numberBytes()
        guard !hasExponent, let value = Int(String(decoding: text, as: UTF8.self)) else { throw Unknown() }
        return value
    }

    mutating func bool() throws -> Bool {
        skipSpace()
        if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "t"), bytes[index + 1] == UInt8(ascii: "r"),
           bytes[index + 2] == UInt8(ascii: "u"), bytes[index + 3] == UInt8(ascii: "e") {
            index += 4
            return true
        }
        if index + 5 <= bytes.count, bytes[index] == UInt8(ascii: "f"), bytes[index + 1] == UInt8(ascii: "a"), bytes[index + 2] == UInt8(ascii: "l"),
           bytes[index + 3] == UInt8(ascii: "s"), bytes[index + 4] == UInt8(ascii: "e") {
            index += 5
            return false
        }
        throw Unknown()
    }

    // MARK: Haul's types

    mutating func raw<T: RawRepresentable>(_: T.Type) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: try string()) else { throw Unknown() }
        return value
    }

    mutating func identifier() throws -> Identifier { try Identifier(try string()) }
    mutating func date() throws -> CalendarDate { try CalendarDate(parsing: try string()) }
    mutating func currency() throws -> Currency { try Currency(code: try string()) }

    /// `value` unless the next value is `null`.
    private mutating func optional<Value>(_ value: (inout StoredJSONReader) throws -> Value) throws -> Value? {
        null() ? nil : try value(&self)
    }

    mutating func item() throws -> Item {
        var id: Identifier?, exhibit: Identifier?, description: String?, details: ItemDetails?, valuations: [Valuation]?
        var status: ItemStatus?, earlier: [EarlierValuation] = [], interests: [Interest] = []
        try object { reader, key in
            switch key {
            case "id": id = try reader.optional { try $0.identifier() }
            case "exhibit": exhibit = try reader.optional { try $0.identifier() }
            case "description": description = try reader.optional { try $0.string() }
            case "details": details = try reader.optional { try $0.details() }
            case "valuations": valuations = try reader.array(required: true) { try $0.valuation() }
            case "status": status = try reader.optional { try $0.status() }
            case "earlierValuations": earlier = try reader.array { try $0.earlierValuation() }
            case "interests": interests = try reader.array { try $0.interest() }
            default: throw Unknown()
            }
        }
        // `valuations` is required by `Item.init(from:)`, as are an earlier valuation's below.
        guard let id, let exhibit, let details, let valuations else { throw Unknown() }
        return Item(id: id, exhibit: exhibit, description: description, details: details, valuations: valuations,
                    status: status, earlierValuations: earlier, interests: interests)
    }

    mutating func details() throws -> ItemDetails {
        try enumCase { reader, kind in
            switch kind {
            case "drug": return .drug(try reader.drug())
            case "cash": return .cash(try reader.cash())
            case "watch": return .watch(try reader.watch())
            case "vehicle": return .vehicle(try reader.vehicle())
            case "jewellery": return .jewellery(try reader.jewellery())
            case "cryptoasset": return .cryptoasset(try reader.cryptoasset())
            case "nonValued": return .nonValued(try reader.raw(NonValuedKind.self))
            default: throw Unknown()
            }
        }
    }

    mutating func drug() throws -> DrugItem {
        var substance: Substance?, form: DrugForm?, quantity: DrugQuantity?, purity: Purity?
        try object { reader, key in
            switch key {
            case "substance": substance = try reader.optional { try $0.raw(Substance.self) }
            case "form": form = try reader.optional { try $0.raw(DrugForm.self) }
            case "quantity":
                quantity = try reader.optional { reader in
                    try reader.enumCase { reader, kind -> DrugQuantity in
                        switch kind {
                        case "mass": return .mass(try reader.mass())
                        case "count":
                            var count: Int?, unit: CountUnit?
                            try reader.object { reader, key in
                                switch key {
                                case "count": count = try reader.optional { try $0.integer() }
                                case "unit": unit = try reader.optional { try $0.raw(CountUnit.self) }
                                default: throw Unknown()
                                }
                            }
                            guard let count, let unit else { throw Unknown() }
                            return .count(try UnitCount(count, unit))
                        default: throw Unknown()
                        }
                    }
                }
            case "purity":
                purity = try reader.optional { reader in
                    var percent: FixedDecimal?, method: PurityMethod?
                    try reader.object { reader, key in
                        switch key {
                        case "percent": percent = try reader.optional { try $0.decimal() }
                        case "method": method = try reader.optional { try $0.raw(PurityMethod.self) }
                        default: throw Unknown()
                        }
                    }
                    guard let percent, let method else { throw Unknown() }
                    return try Purity(percent: percent, method: method)
                }
            default: throw Unknown()
            }
        }
        guard let substance, let form, let quantity else { throw Unknown() }
        return DrugItem(substance: substance, form: form, quantity: quantity, purity: purity)
    }

    mutating func mass() throws -> Mass {
        var value: FixedDecimal?, unit: MassUnit?
        try object { reader, key in
            switch key {
            case "value": value = try reader.optional { try $0.decimal() }
            case "unit": unit = try reader.optional { try $0.raw(MassUnit.self) }
            default: throw Unknown()
            }
        }
        guard let value, let unit else { throw Unknown() }
        return try Mass(value, unit)
    }

    mutating func cash() throws -> CashItem {
        var currency: Currency?, counted: FixedDecimal?, denominations: [Denomination] = []
        try object { reader, key in
            switch key {
            case "currency": currency = try reader.optional { try $0.currency() }
            case "countedAmount": counted = try reader.optional { try $0.decimal() }
            case "denominations":
                denominations = try reader.array { reader in
                    var value: FixedDecimal?, form: CashForm?, count: Int?
                    try reader.object { reader, key in
                        switch key {
                        case "value": value = try reader.optional { try $0.decimal() }
                        case "form": form = try reader.optional { try $0.raw(CashForm.self) }
                        case "count": count = try reader.optional { try $0.integer() }
                        default: throw Unknown()
                        }
                    }
                    guard let value, let form, let count else { throw Unknown() }
                    return try Denomination(value: value, form: form, count: count)
                }
            default: throw Unknown()
            }
        }
        guard let currency else { throw Unknown() }
        return try CashItem(currency: currency, countedAmount: counted, denominations: denominations)
    }

    mutating func watch() throws -> WatchItem {
        var brand: String?, model: String?, reference: String?, serial: String?, condition: WatchCondition?, hasBox: Bool?, hasPapers: Bool?
        try object { reader, key in
            switch key {
            case "brand": brand = try reader.optional { try $0.string() }
            case "model": model = try reader.optional { try $0.string() }
            case "referenceNumber": reference = try reader.optional { try $0.string() }
            case "serialNumber": serial = try reader.optional { try $0.string() }
            case "condition": condition = try reader.optional { try $0.raw(WatchCondition.self) }
            case "hasBox": hasBox = try reader.optional { try $0.bool() }
            case "hasPapers": hasPapers = try reader.optional { try $0.bool() }
            default: throw Unknown()
            }
        }
        guard let brand, let model, let condition, let hasBox, let hasPapers else { throw Unknown() }
        return WatchItem(brand: brand, model: model, referenceNumber: reference, serialNumber: serial, condition: condition, hasBox: hasBox, hasPapers: hasPapers)
    }

    mutating func vehicle() throws -> VehicleItem {
        var make: String?, model: String?, year: Int?, registration: String?, vin: String?, mileage: Distance?
        var condition: VehicleCondition?, vehicleClass: VehicleClass?, firstRegistered: CalendarDate?
        try object { reader, key in
            switch key {
            case "make": make = try reader.optional { try $0.string() }
            case "model": model = try reader.optional { try $0.string() }
            case "year": year = try reader.optional { try $0.integer() }
            case "registration": registration = try reader.optional { try $0.string() }
            case "vin": vin = try reader.optional { try $0.string() }
            case "mileage":
                mileage = try reader.optional { reader in
                    var value: Int?, unit: DistanceUnit?
                    try reader.object { reader, key in
                        switch key {
                        case "value": value = try reader.optional { try $0.integer() }
                        case "unit": unit = try reader.optional { try $0.raw(DistanceUnit.self) }
                        default: throw Unknown()
                        }
                    }
                    guard let value, let unit else { throw Unknown() }
                    return try Distance(value, unit)
                }
            case "condition": condition = try reader.optional { try $0.raw(VehicleCondition.self) }
            case "vehicleClass": vehicleClass = try reader.optional { try $0.raw(VehicleClass.self) }
            case "firstRegistered": firstRegistered = try reader.optional { try $0.date() }
            default: throw Unknown()
            }
        }
        guard let make, let model, let year, let condition, let vehicleClass else { throw Unknown() }
        return VehicleItem(make: make, model: model, year: year, registration: registration, vin: vin, mileage: mileage,
                           condition: condition, vehicleClass: vehicleClass, firstRegistered: firstRegistered)
    }

    mutating func jewellery() throws -> JewelleryItem {
        var metal: Metal?, fineness: FixedDecimal?, mass: Mass?, isGemSet: Bool?
        try object { reader, key in
            switch key {
            case "metal": metal = try reader.optional { try $0.raw(Metal.self) }
            case "fineness": fineness = try reader.optional { try $0.decimal() }
            case "mass": mass = try reader.optional { try $0.mass() }
            case "isGemSet": isGemSet = try reader.optional { try $0.bool() }
            default: throw Unknown()
            }
        }
        guard let metal, let fineness, let mass, let isGemSet else { throw Unknown() }
        return try JewelleryItem(metal: metal, fineness: fineness, mass: mass, isGemSet: isGemSet)
    }

    mutating func cryptoasset() throws -> CryptoassetItem {
        var asset: String?, units: FixedDecimal?, wallet: String?, exchange: String?
        try object { reader, key in
            switch key {
            case "asset": asset = try reader.optional { try $0.string() }
            case "units": units = try reader.optional { try $0.decimal() }
            case "wallet": wallet = try reader.optional { try $0.string() }
            case "exchange": exchange = try reader.optional { try $0.string() }
            default: throw Unknown()
            }
        }
        guard let asset, let units else { throw Unknown() }
        return try CryptoassetItem(asset: asset, units: units, wallet: wallet, exchange: exchange)
    }

    mutating func money() throws -> Money {
        var amount: FixedDecimal?, currency: Currency?
        try object { reader, key in
            switch key {
            case "amount": amount = try reader.optional { try DecimalText.parse(try $0.string()) }
            case "currency": currency = try reader.optional { try $0.currency() }
            default: throw Unknown()
            }
        }
        guard let amount, let currency else { throw Unknown() }
        return Money(amount, currency)
    }

    mutating func valuation() throws -> Valuation {
        var basis: ValuationBasis?, valuedOn: CalendarDate?, low: Money?, central: Money?, high: Money?, isUpperBound = false
        var sources: [PriceSource] = [], rate: AppliedExchangeRate?, index: IndexAdjustment?, warnings: [ValuationWarning] = []
        try object { reader, key in
            switch key {
            case "basis": basis = try reader.optional { try $0.raw(ValuationBasis.self) }
            case "valuedOn": valuedOn = try reader.optional { try $0.date() }
            case "low": low = try reader.optional { try $0.money() }
            case "central": central = try reader.optional { try $0.money() }
            case "high": high = try reader.optional { try $0.money() }
            case "isUpperBound": isUpperBound = try reader.optional { try $0.bool() } ?? false
            case "sources": sources = try reader.array { try $0.priceSource() }
            case "exchangeRate": rate = try reader.optional { try $0.exchangeRate() }
            case "indexAdjustment": index = try reader.optional { try $0.indexAdjustment() }
            case "warnings":
                warnings = try reader.array { reader in
                    var code: WarningCode?, message: String?
                    try reader.object { reader, key in
                        switch key {
                        case "code": code = try reader.optional { try $0.raw(WarningCode.self) }
                        case "message": message = try reader.optional { try $0.string() }
                        default: throw Unknown()
                        }
                    }
                    guard let code, let message else { throw Unknown() }
                    return ValuationWarning(code, message)
                }
            default: throw Unknown()
            }
        }
        guard let basis, let valuedOn, let low, let central, let high else { throw Unknown() }
        return try Valuation(basis: basis, valuedOn: valuedOn, low: low, central: central, high: high, isUpperBound: isUpperBound,
                             sources: sources, exchangeRate: rate, indexAdjustment: index, warnings: warnings)
    }

    mutating func priceSource() throws -> PriceSource {
        var table: String?, line: Int?, effectiveFrom: CalendarDate?, confidence: Confidence?, citation: String?
        try object { reader, key in
            switch key {
            case "table": table = try reader.optional { try $0.string() }
            case "line": line = try reader.optional { try $0.integer() }
            case "effectiveFrom": effectiveFrom = try reader.optional { try $0.date() }
            case "confidence": confidence = try reader.optional { try $0.raw(Confidence.self) }
            case "citation": citation = try reader.optional { try $0.string() }
            default: throw Unknown()
            }
        }
        guard let table, let effectiveFrom, let confidence, let citation else { throw Unknown() }
        return PriceSource(table: table, line: line, effectiveFrom: effectiveFrom, confidence: confidence, citation: citation)
    }

    mutating func exchangeRate() throws -> AppliedExchangeRate {
        var from: Currency?, to: Currency?, rate: FixedDecimal?, date: CalendarDate?, source: String?, isDerived: Bool?
        try object { reader, key in
            switch key {
            case "from": from = try reader.optional { try $0.currency() }
            case "to": to = try reader.optional { try $0.currency() }
            case "rate": rate = try reader.optional { try $0.decimal() }
            case "date": date = try reader.optional { try $0.date() }
            case "source": source = try reader.optional { try $0.string() }
            case "isDerived": isDerived = try reader.optional { try $0.bool() }
            default: throw Unknown()
            }
        }
        guard let from, let to, let rate, let date, let source, let isDerived else { throw Unknown() }
        return AppliedExchangeRate(from: from, to: to, rate: rate, date: date, source: source, isDerived: isDerived)
    }

    mutating func indexAdjustment() throws -> IndexAdjustment {
        var index: Identifier?, fromPeriod: CalendarDate?, toPeriod: CalendarDate?, factor: FixedDecimal?
        try object { reader, key in
            switch key {
            case "index": index = try reader.optional { try $0.identifier() }
            case "fromPeriod": fromPeriod = try reader.optional { try $0.date() }
            case "toPeriod": toPeriod = try reader.optional { try $0.date() }
            case "factor": factor = try reader.optional { try $0.decimal() }
            default: throw Unknown()
            }
        }
        guard let index, let fromPeriod, let toPeriod, let factor else { throw Unknown() }
        return IndexAdjustment(index: index, fromPeriod: fromPeriod, toPeriod: toPeriod, factor: factor)
    }

    mutating func time() throws -> ZonedDateTime {
        var time: String?, zone: String?
        try object { reader, key in
            switch key {
            case "time": time = try reader.optional { try $0.string() }
            case "zone": zone = try reader.optional { try $0.string() }
            default: throw Unknown()
            }
        }
        guard let time, let zone else { throw Unknown() }
        return try ZonedDateTime(parsing: time, zone: zone)
    }

    mutating func status() throws -> ItemStatus {
        var state: State?, since: ZonedDateTime?, deadline: Deadline?
        try object { reader, key in
            switch key {
            case "state": state = try reader.optional { try $0.raw(State.self) }
            case "since": since = try reader.optional { try $0.time() }
            case "nextDeadline":
                deadline = try reader.optional { reader in
                    var due: ZonedDateTime?, rule: Identifier?, source: String?, isVerified: Bool?
                    try reader.object { reader, key in
                        switch key {
                        case "due": due = try reader.optional { try $0.time() }
                        case "rule": rule = try reader.optional { try $0.identifier() }
                        case "source": source = try reader.optional { try $0.string() }
                        case "isVerified": isVerified = try reader.optional { try $0.bool() }
                        default: throw Unknown()
                        }
                    }
                    guard let due, let rule, let source, let isVerified else { throw Unknown() }
                    return Deadline(due: due, rule: rule, source: source, isVerified: isVerified)
                }
            default: throw Unknown()
            }
        }
        guard let state, let since else { throw Unknown() }
        return ItemStatus(state: state, since: since, nextDeadline: deadline)
    }

    mutating func earlierValuation() throws -> EarlierValuation {
        var replacedOn: CalendarDate?, reason: String?, valuations: [Valuation]?
        try object { reader, key in
            switch key {
            case "replacedOn": replacedOn = try reader.optional { try $0.date() }
            case "reason": reason = try reader.optional { try $0.string() }
            case "valuations": valuations = try reader.array(required: true) { try $0.valuation() }
            default: throw Unknown()
            }
        }
        guard let replacedOn, let reason, let valuations else { throw Unknown() }
        return EarlierValuation(replacedOn: replacedOn, reason: reason, valuations: valuations)
    }

    mutating func interest() throws -> Interest {
        var person: Identifier?, kind: InterestKind?, percent: FixedDecimal?, amount: Money?, note: String?
        try object { reader, key in
            switch key {
            case "person": person = try reader.optional { try $0.identifier() }
            case "kind": kind = try reader.optional { try $0.raw(InterestKind.self) }
            case "percent": percent = try reader.optional { try $0.decimal() }
            case "amount": amount = try reader.optional { try $0.money() }
            case "note": note = try reader.optional { try $0.string() }
            default: throw Unknown()
            }
        }
        guard let person, let kind else { throw Unknown() }
        return Interest(person: person, kind: kind, percent: percent, amount: amount, note: note)
    }
}

// MARK: A record's payload

/// Reads a record's changes with their items read by ``StoredJSONReader`` and everything else by
/// `JSONDecoder`: the items of a change that adds, replaces or sets out a case's items are cut out
/// of the text (each list left as `[]`), the rest is decoded as usual, and the items read here are
/// put back in their places. Replaying a large case is mostly reading its items, which this makes
/// several times faster. Any text the reader does not know gives nil, and the caller decodes the
/// whole payload with `JSONDecoder`, so the result is never different.
package enum RecordPayloadDecoding {
    /// The items read for one change, in the order the change holds them: per seizure for a change
    /// of seizures or a case's seizures (nil for a seizure whose JSON had no `items`), one list for
    /// a replacement, nothing for a change without items.
    enum ChangeItems {
        case none
        case seizures([[Item]?])
        case replaced([Item])
    }

    /// The changes of `payload`, or nil when the text is not in the form the fast reader knows
    /// (or holds no items worth reading apart).
    package static func changes(_ payload: String) -> [CaseChange]? {
        var text = payload
        return text.withUTF8 { buffer -> [CaseChange]? in
            let bytes = UnsafeRawBufferPointer(buffer)
            var reader = StoredJSONReader(bytes)
            var cuts: [Range<Int>] = []
            guard let plan = try? reader.payloadItems(cuts: &cuts), reader.atEnd, !cuts.isEmpty else { return nil }
            var skeleton: [UInt8] = []
            skeleton.reserveCapacity(bytes.count - cuts.reduce(0) { $0 + $1.count } + 2 * cuts.count)
            var last = 0
            for cut in cuts {
                skeleton += bytes[last..<cut.lowerBound]
                skeleton += [UInt8(ascii: "["), UInt8(ascii: "]")]
                last = cut.upperBound
            }
            skeleton += bytes[last...]
            guard var changes = try? JSONDecoder().decode([CaseChange].self, from: Data(skeleton)), changes.count == plan.count else { return nil }
            for index in changes.indices {
                switch (changes[index], plan[index]) {
                case (_, .none): continue
                case (.itemsAdded(let seizures), .seizures(let items)):
                    guard let filled = fill(seizures, with: items) else { return nil }
                    changes[index] = .itemsAdded(filled)
                case (.opened(var operation), .seizures(let items)):
                    guard let filled = fill(operation.seizures, with: items) else { return nil }
                    operation.seizures = filled
                    changes[index] = .opened(operation)
                case (.baseline(var operation), .seizures(let items)):
                    guard let filled = fill(operation.seizures, with: items) else { return nil }
                    operation.seizures = filled
                    changes[index] = .baseline(operation)
                case (.itemsReplaced(let decoded), .replaced(let items)):
                    guard decoded.isEmpty else { return nil }
                    changes[index] = .itemsReplaced(items)
                default: return nil
                }
            }
            return changes
        }
    }

    /// The seizures with the items read apart put back: each seizure whose items were cut out
    /// must have come back from the skeleton with none.
    private static func fill(_ seizures: [Seizure], with items: [[Item]?]) -> [Seizure]? {
        guard seizures.count == items.count else { return nil }
        var filled = seizures
        for index in filled.indices {
            guard let own = items[index] else { continue }
            guard filled[index].items.isEmpty else { return nil }
            filled[index].items = own
        }
        return filled
    }
}

extension StoredJSONReader {
    /// Walks a payload, `[{"kind":{"_0":value}}, …]`, reading the items of every change that
    /// holds them and noting where their lists stand in `cuts`; any other value is skipped.
    mutating func payloadItems(cuts: inout [Range<Int>]) throws -> [RecordPayloadDecoding.ChangeItems] {
        try array(required: true) { reader in
            var found = RecordPayloadDecoding.ChangeItems.none
            try reader.object { reader, kind in
                switch kind {
                case "itemsAdded":
                    found = .seizures(try reader.onlyValue { try $0.seizureItems(cuts: &cuts) })
                case "opened", "baseline":
                    var seizures: [[Item]?] = []
                    try reader.onlyValue { reader in
                        try reader.object { reader, key in
                            if case "seizures" = key { seizures = try reader.seizureItems(cuts: &cuts) } else { try reader.skipValue() }
                        }
                    }
                    found = .seizures(seizures)
                case "itemsReplaced":
                    found = .replaced(try reader.onlyValue { try $0.itemList(cuts: &cuts) })
                default:
                    try reader.skipValue()
                }
            }
            return found
        }
    }

    /// The value of an enum case's one payload, `{"_0":value}`.
    private mutating func onlyValue<Value>(_ value: (inout StoredJSONReader) throws -> Value) throws -> Value {
        var read: Value?
        try object { reader, slot in
            guard case "_0" = slot else { throw Unknown() }
            read = try value(&reader)
        }
        guard let read else { throw Unknown() }
        return read
    }

    /// Each seizure's items in a list of seizures (nil for one without an `items` member).
    private mutating func seizureItems(cuts: inout [Range<Int>]) throws -> [[Item]?] {
        try array(required: true) { reader in
            var items: [Item]?
            try reader.object { reader, key in
                if case "items" = key { items = try reader.itemList(cuts: &cuts) } else { try reader.skipValue() }
            }
            return items
        }
    }

    /// A list of items, its place in the text noted in `cuts`.
    private mutating func itemList(cuts: inout [Range<Int>]) throws -> [Item] {
        skipSpace()
        let start = index
        let items = try array(required: true) { try $0.item() }
        cuts.append(start..<index)
        return items
    }

    /// Steps over one value of any kind, checking only that strings and brackets close: what is
    /// stepped over is read by `JSONDecoder`, which checks it.
    private mutating func skipValue() throws {
        skipSpace()
        var depth = 0
        repeat {
            guard index < bytes.count else { throw Unknown() }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1 }
                guard index < bytes.count else { throw Unknown() }
                index += 1
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw Unknown() }
                depth -= 1
                index += 1
            default:
                guard depth == 0 else {
                    // Inside a container: numbers, literals, separators and spaces, a byte at a time.
                    index += 1
                    continue
                }
                // A number, true, false or null standing alone: to the next delimiter.
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") || byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { break }
                    index += 1
                }
                return
            }
        } while depth > 0
    }
}
