import Foundation
import HaulCore

/// Writes an ``Item``'s stored form — the JSON a register keeps for it — without `JSONEncoder`.
///
/// `JSONEncoder` spent about 35 µs on an item: 38 % of the processor time of importing a large
/// case, and most of moving a whole seizure. This writer gives byte for byte what `JSONEncoder` with
/// `.sortedKeys` gives for the item's `Codable` form: keys in byte order, the synthesized
/// `{"case":{"_0":…}}` form of enums with values, optional members left out when nil, money as
/// text, other decimals as plain numbers, and `JSONEncoder`'s escapes (`\/`, `\b \t \n \f \r`,
/// other control characters as `\u00xx`). The stored text is what the ledger hashes, so it must
/// never differ: tests hold it equal to `JSONEncoder` on items of every kind and every optional
/// part, and on generated text and numbers. Its counterpart reader is ``StoredItemDecoding``.
///
/// A change to the `Codable` form of any item type must be made here too; those tests fail
/// until it is.
package enum StoredItemEncoding {
    /// The item's stored form, without its status (statuses follow from the ledger's moves).
    package static func json(_ item: Item) -> String {
        var writer = Writer()
        writer.item(item)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// A JSON text under construction, with `JSONEncoder`'s spelling of each value.
    struct Writer {
        var bytes: [UInt8] = []
        /// Whether the object being written has no member yet (a stack, one entry per open object).
        private var firstMember: [Bool] = []

        init() {
            bytes.reserveCapacity(1024)
            firstMember.reserveCapacity(8)
        }

        // MARK: Structure

        mutating func openObject() {
            bytes.append(UInt8(ascii: "{"))
            firstMember.append(true)
        }

        mutating func closeObject() {
            bytes.append(UInt8(ascii: "}"))
            firstMember.removeLast()
        }

        /// `"name":`, after a comma unless it is the object's first member. Names are ASCII
        /// identifiers, which need no escapes.
        mutating func key(_ name: StaticString) {
            if firstMember[firstMember.count - 1] { firstMember[firstMember.count - 1] = false } else { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { bytes.append(contentsOf: $0) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(UInt8(ascii: ":"))
        }

        /// An array of `elements`, each written by `write`.
        mutating func array<Element>(_ elements: [Element], _ write: (inout Writer, Element) -> Void) {
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(&self, element)
            }
            bytes.append(UInt8(ascii: "]"))
        }

        /// The synthesized form of an enum case with one value: `{"name":{"_0":value}}`.
        mutating func enumCase(_ name: StaticString, _ write: (inout Writer) -> Void) {
            openObject()
            key(name)
            openObject()
            key("_0")
            write(&self)
            closeObject()
            closeObject()
        }

        // MARK: Values

        private static let hexDigits = Array("0123456789abcdef".utf8)

        /// A string with `JSONEncoder`'s escapes; everything else, non-ASCII included, as is.
        mutating func string(_ text: String) {
            bytes.append(UInt8(ascii: "\""))
            var text = text
            text.withUTF8 { utf8 in
                var start = 0
                for index in utf8.indices {
                    let byte = utf8[index]
                    let escape: (UInt8, UInt8)?
                    switch byte {
                    case UInt8(ascii: "\""): escape = (UInt8(ascii: "\\"), UInt8(ascii: "\""))
                    case UInt8(ascii: "\\"): escape = (UInt8(ascii: "\\"), UInt8(ascii: "\\"))
                    case UInt8(ascii: "/"): escape = (UInt8(ascii: "\\"), UInt8(ascii: "/"))
                    case 0x08: escape = (UInt8(ascii: "\\"), UInt8(ascii: "b"))
                    case 0x09: escape = (UInt8(ascii: "\\"), UInt8(ascii: "t"))
                    case 0x0A: escape = (UInt8(ascii: "\\"), UInt8(ascii: "n"))
                    case 0x0C: escape = (UInt8(ascii: "\\"), UInt8(ascii: "f"))
                    case 0x0D: escape = (UInt8(ascii: "\\"), UInt8(ascii: "r"))
                    case 0x00..<0x20: escape = nil
                    default: continue
                    }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                    start = index + 1
                    if let escape {
                        bytes.append(escape.0)
                        bytes.append(escape.1)
                    } else {
                        bytes.append(contentsOf: "\\u00".utf8)
                        bytes.append(Self.hexDigits[Int(byte >> 4)])
                        bytes.append(Self.hexDigits[Int(byte & 0xF)])
                    }
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        /// A decimal as the JSON number `Decimal` writes: its shortest plain digits.
        mutating func number(_ value: FixedDecimal) {
            bytes.append(contentsOf: value.description.utf8)
        }

        mutating func integer(_ value: Int) {
            bytes.append(contentsOf: String(value).utf8)
        }

        mutating func bool(_ value: Bool) {
            bytes.append(contentsOf: (value ? "true" : "false").utf8)
        }

        mutating func raw<Value: RawRepresentable>(_ value: Value) where Value.RawValue == String {
            string(value.rawValue)
        }

        mutating func date(_ value: CalendarDate) {
            string(value.description)
        }

        // MARK: Haul's types, members in byte order of their keys

        mutating func item(_ item: Item) {
            openObject()
            if let description = item.description { key("description"); string(description) }
            key("details"); details(item.details)
            if !item.earlierValuations.isEmpty {
                key("earlierValuations")
                array(item.earlierValuations) { writer, earlier in
                    writer.openObject()
                    writer.key("reason"); writer.string(earlier.reason)
                    writer.key("replacedOn"); writer.date(earlier.replacedOn)
                    writer.key("valuations"); writer.array(earlier.valuations) { $0.valuation($1) }
                    writer.closeObject()
                }
            }
            key("exhibit"); string(item.exhibit.value)
            key("id"); string(item.id.value)
            if !item.interests.isEmpty {
                key("interests")
                array(item.interests) { writer, interest in
                    writer.openObject()
                    if let amount = interest.amount { writer.key("amount"); writer.money(amount) }
                    writer.key("kind"); writer.raw(interest.kind)
                    if let note = interest.note { writer.key("note"); writer.string(note) }
                    if let percent = interest.percent { writer.key("percent"); writer.number(percent) }
                    writer.key("person"); writer.string(interest.person.value)
                    writer.closeObject()
                }
            }
            key("valuations"); array(item.valuations) { $0.valuation($1) }
            closeObject()
        }

        mutating func details(_ details: ItemDetails) {
            switch details {
            case .drug(let drug):
                enumCase("drug") { writer in
                    writer.openObject()
                    writer.key("form"); writer.raw(drug.form)
                    if let purity = drug.purity {
                        writer.key("purity")
                        writer.openObject()
                        writer.key("method"); writer.raw(purity.method)
                        writer.key("percent"); writer.number(purity.percent)
                        writer.closeObject()
                    }
                    writer.key("quantity")
                    switch drug.quantity {
                    case .mass(let mass): writer.enumCase("mass") { $0.mass(mass) }
                    case .count(let count):
                        writer.enumCase("count") { writer in
                            writer.openObject()
                            writer.key("count"); writer.integer(count.count)
                            writer.key("unit"); writer.raw(count.unit)
                            writer.closeObject()
                        }
                    }
                    writer.key("substance"); writer.raw(drug.substance)
                    writer.closeObject()
                }
            case .cash(let cash):
                enumCase("cash") { writer in
                    writer.openObject()
                    if let counted = cash.countedAmount { writer.key("countedAmount"); writer.number(counted) }
                    writer.key("currency"); writer.string(cash.currency.code)
                    if !cash.denominations.isEmpty {
                        writer.key("denominations")
                        writer.array(cash.denominations) { writer, denomination in
                            writer.openObject()
                            writer.key("count"); writer.integer(denomination.count)
                            writer.key("form"); writer.raw(denomination.form)
                            writer.key("value"); writer.number(denomination.value)
                            writer.closeObject()
                        }
                    }
                    writer.closeObject()
                }
            case .watch(let watch):
                enumCase("watch") { writer in
                    writer.openObject()
                    writer.key("brand"); writer.string(watch.brand)
                    writer.key("condition"); writer.raw(watch.condition)
                    writer.key("hasBox"); writer.bool(watch.hasBox)
                    writer.key("hasPapers"); writer.bool(watch.hasPapers)
                    writer.key("model"); writer.string(watch.model)
                    if let reference = watch.referenceNumber { writer.key("referenceNumber"); writer.string(reference) }
                    if let serial = watch.serialNumber { writer.key("serialNumber"); writer.string(serial) }
                    writer.closeObject()
                }
            case .vehicle(let vehicle):
                enumCase("vehicle") { writer in
                    writer.openObject()
                    writer.key("condition"); writer.raw(vehicle.condition)
                    if let first = vehicle.firstRegistered { writer.key("firstRegistered"); writer.date(first) }
                    writer.key("make"); writer.string(vehicle.make)
                    if let mileage = vehicle.mileage {
                        writer.key("mileage")
                        writer.openObject()
                        writer.key("unit"); writer.raw(mileage.unit)
                        writer.key("value"); writer.integer(mileage.value)
                        writer.closeObject()
                    }
                    writer.key("model"); writer.string(vehicle.model)
                    if let registration = vehicle.registration { writer.key("registration"); writer.string(registration) }
                    writer.key("vehicleClass"); writer.raw(vehicle.vehicleClass)
                    if let vin = vehicle.vin { writer.key("vin"); writer.string(vin) }
                    writer.key("year"); writer.integer(vehicle.year)
                    writer.closeObject()
                }
            case .jewellery(let jewellery):
                enumCase("jewellery") { writer in
                    writer.openObject()
                    writer.key("fineness"); writer.number(jewellery.fineness)
                    writer.key("isGemSet"); writer.bool(jewellery.isGemSet)
                    writer.key("mass"); writer.mass(jewellery.mass)
                    writer.key("metal"); writer.raw(jewellery.metal)
                    writer.closeObject()
                }
            case .cryptoasset(let crypto):
                enumCase("cryptoasset") { writer in
                    writer.openObject()
                    writer.key("asset"); writer.string(crypto.asset)
                    if let exchange = crypto.exchange { writer.key("exchange"); writer.string(exchange) }
                    writer.key("units"); writer.number(crypto.units)
                    if let wallet = crypto.wallet { writer.key("wallet"); writer.string(wallet) }
                    writer.closeObject()
                }
            case .nonValued(let kind):
                enumCase("nonValued") { $0.raw(kind) }
            }
        }

        mutating func mass(_ mass: Mass) {
            openObject()
            key("unit"); raw(mass.unit)
            key("value"); number(mass.value)
            closeObject()
        }

        mutating func money(_ money: Money) {
            openObject()
            key("amount"); string(DecimalText.plain(money.amount))
            key("currency"); string(money.currency.code)
            closeObject()
        }

        /// A valuation in its compact stored form (see `Valuation.encode(to:)`).
        mutating func valuation(_ valuation: Valuation) {
            openObject()
            key("basis"); raw(valuation.basis)
            key("central"); money(valuation.central)
            if let rate = valuation.exchangeRate {
                key("exchangeRate")
                openObject()
                key("date"); date(rate.date)
                key("from"); string(rate.from.code)
                key("isDerived"); bool(rate.isDerived)
                key("rate"); number(rate.rate)
                key("source"); string(rate.source)
                key("to"); string(rate.to.code)
                closeObject()
            }
            key("high"); money(valuation.high)
            if let index = valuation.indexAdjustment {
                key("indexAdjustment")
                openObject()
                key("factor"); number(index.factor)
                key("fromPeriod"); date(index.fromPeriod)
                key("index"); string(index.index.value)
                key("toPeriod"); date(index.toPeriod)
                closeObject()
            }
            if valuation.isUpperBound { key("isUpperBound"); bool(true) }
            key("low"); money(valuation.low)
            key("sources")
            array(valuation.sources) { writer, source in
                writer.openObject()
                writer.key("citation"); writer.string(source.citation)
                writer.key("confidence"); writer.raw(source.confidence)
                writer.key("effectiveFrom"); writer.date(source.effectiveFrom)
                if let line = source.line { writer.key("line"); writer.integer(line) }
                writer.key("table"); writer.string(source.table)
                writer.closeObject()
            }
            key("valuedOn"); date(valuation.valuedOn)
            // Read once: a valuation fresh from the valuer lists its warnings each time they are read.
            let warnings = valuation.warnings
            if !warnings.isEmpty {
                key("warnings")
                array(warnings) { writer, warning in
                    writer.openObject()
                    writer.key("code"); writer.raw(warning.code)
                    writer.key("message"); writer.string(warning.message)
                    writer.closeObject()
                }
            }
            closeObject()
        }
    }
}
