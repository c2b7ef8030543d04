import Foundation

/// What judging a seizure's statutory minimum needs of one item, without the item's whole
/// document: its id and kind, the central figure of its first face or market valuation in each
/// currency, and for cash its face amount.
///
/// The £1,000 minimum (POCA 2002 s.294(3) for cash, s.303C(3) for listed assets) is judged
/// across the seizure, so moving one item of a 10,000-item seizure needs these figures for all
/// 10,000. A register keeps them beside each item's row (``storedText``) so a move reads them
/// instead of decoding every item.
public struct ItemFigures: Sendable, Hashable {
    /// A recorded valuation's central figure, with the conversion it rests on in words, if any.
    public struct Recorded: Sendable, Hashable {
        /// The valuation's central figure, in the currency it was recorded in.
        public var central: Money
        /// "at 0.85 GBP per EUR (ECB, 2020-06-01)" when the figure was converted.
        public var conversion: String?

        /// A figure with the conversion it rests on.
        ///
        /// - Parameters:
        ///   - central: The valuation's central figure.
        ///   - conversion: The conversion in words, or nil when the figure was not converted.
        public init(central: Money, conversion: String?) {
            self.central = central
            self.conversion = conversion
        }
    }

    /// The id of the item the figures belong to.
    public var id: Identifier
    /// The item's kind, kept with the figures so the item need not be decoded.
    public var kind: ItemKind
    /// Per currency, in valuation order: the first face or market valuation that is not only an upper bound.
    public var recorded: [Recorded]
    /// For cash, its face amount (the counted amount, else the denominations' total).
    public var cash: Money?

    /// Figures given directly.
    ///
    /// - Parameters:
    ///   - id: The item's id.
    ///   - kind: The item's kind.
    ///   - recorded: Per currency, in valuation order, the first face or market valuation that is not only an upper bound.
    ///   - cash: For cash, its face amount; nil for other kinds.
    public init(id: Identifier, kind: ItemKind, recorded: [Recorded], cash: Money?) {
        self.id = id
        self.kind = kind
        self.recorded = recorded
        self.cash = cash
    }

    /// The figures of `item` as it stands.
    public init(_ item: Item) {
        var recorded: [Recorded] = []
        for valuation in item.valuations where !valuation.isUpperBound && (valuation.basis == .face || valuation.basis == .market) {
            guard !recorded.contains(where: { $0.central.currency == valuation.currency }) else { continue }
            // Tabs and line breaks become spaces, as they are stored (the words are only ever shown).
            let conversion = valuation.exchangeRate.map { rate in
                String("at \(DecimalText.plain(rate.rate)) \(rate.to) per \(rate.from) (\(rate.source), \(rate.date))".map { $0 == "\t" || $0.isNewline ? " " : $0 })
            }
            recorded.append(Recorded(central: valuation.central, conversion: conversion))
        }
        var cash: Money?
        if case .cash(let counted) = item.details {
            cash = Money(counted.countedAmount ?? counted.denominations.reduce(FixedDecimal(0)) { $0 + $1.total }, counted.currency)
        }
        self.init(id: item.id, kind: item.kind, recorded: recorded, cash: cash)
    }

    /// The figure recorded in `currency`, if any.
    public func recorded(in currency: Currency) -> Recorded? { recorded.first { $0.central.currency == currency } }

    /// The figures as a register keeps them: one line per figure, fields separated by tabs —
    /// `cash CUR AMOUNT`, then `value CUR AMOUNT [CONVERSION]` per recorded currency.
    public var storedText: String {
        var lines: [String] = []
        if let cash { lines.append("cash\t\(cash.currency.code)\t\(DecimalText.plain(cash.amount))") }
        for figure in recorded {
            var line = "value\t\(figure.central.currency.code)\t\(DecimalText.plain(figure.central.amount))"
            if let conversion = figure.conversion { line += "\t" + conversion }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// Reads ``storedText`` back.
    public init(id: Identifier, kind: ItemKind, storedText: String) throws(HaulCoreError) {
        var text = storedText
        let result = text.withUTF8 { bytes -> Result<ItemFigures, HaulCoreError> in
            do throws(HaulCoreError) { return .success(try ItemFigures(id: id, kind: kind, storedBytes: bytes)) } catch { return .failure(error) }
        }
        self = try result.get()
    }

    /// Reads ``storedText`` from its UTF-8 bytes, as a register hands them over: a move reads them
    /// for every item of a seizure, so the bytes are scanned once, without splitting strings.
    public init(id: Identifier, kind: ItemKind, storedBytes bytes: UnsafeBufferPointer<UInt8>) throws(HaulCoreError) {
        var recorded: [Recorded] = []
        var cash: Money?
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            let line = start..<end
            func problem() -> HaulCoreError {
                HaulCoreError(.inconsistent, "item \(id): its stored figures cannot be read ('\(String(decoding: UnsafeBufferPointer(rebasing: bytes[line]), as: UTF8.self))')")
            }
            // Up to four tab-separated fields; the fourth (a conversion's words) runs to the line's end.
            var bounds: [Range<Int>] = []
            var fieldStart = start
            var index = start
            while index <= end {
                if index == end || (bytes[index] == 9 && bounds.count < 3) {
                    bounds.append(fieldStart..<index)
                    fieldStart = index + 1
                }
                index += 1
            }
            guard bounds.count >= 3 else { throw problem() }
            func field(_ number: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[bounds[number]]), as: UTF8.self) }
            let currency = try Currency(code: field(1))
            let amount: FixedDecimal
            do { amount = try DecimalText.parse(field(2)) } catch { throw problem() }
            let tag = bytes[bounds[0]]
            if tag.elementsEqual("cash".utf8) {
                cash = Money(amount, currency)
            } else if tag.elementsEqual("value".utf8) {
                recorded.append(Recorded(central: Money(amount, currency), conversion: bounds.count > 3 ? field(3) : nil))
            } else {
                throw problem()
            }
            start = end + 1
        }
        self.init(id: id, kind: kind, recorded: recorded, cash: cash)
    }
}

/// What officers call an item besides Haul's id: its exhibit label, a vehicle's VIN and
/// registration, a watch's serial number. Compared normalised (``Item/normalisedKey(_:)``), so
/// `wu19 abc` finds `WU19 ABC`.
public struct ItemKey: Sendable, Hashable {
    /// Which key a value is: `exhibit` the exhibit label, `vin` a vehicle's VIN, `registration`
    /// a vehicle's registration mark, `serial` a watch's serial number.
    public enum Field: String, Sendable, CaseIterable {
        /// The exhibit label.
        case exhibit
        /// A vehicle's VIN.
        case vin
        /// A vehicle's registration mark.
        case registration
        /// A watch's serial number.
        case serial
    }
    /// Which kind of key this is.
    public var field: Field
    /// The value as recorded.
    public var value: String

    /// A key as recorded.
    ///
    /// - Parameters:
    ///   - field: Which kind of key it is.
    ///   - value: The value as recorded; it is compared normalised.
    public init(field: Field, value: String) {
        self.field = field
        self.value = value
    }

    /// The value as compared.
    public var normalised: String { Item.normalisedKey(value) }
}

extension Item {
    /// The item's keys other than its exhibit label (which every item has and a register keeps
    /// in its own column): a vehicle's VIN and registration, a watch's serial number.
    public var lookupKeys: [ItemKey] {
        var keys: [ItemKey] = []
        switch details {
        case .vehicle(let vehicle):
            if let vin = vehicle.vin, !vin.isEmpty { keys.append(ItemKey(field: .vin, value: vin)) }
            if let registration = vehicle.registration, !registration.isEmpty { keys.append(ItemKey(field: .registration, value: registration)) }
        case .watch(let watch):
            if let serial = watch.serialNumber, !serial.isEmpty { keys.append(ItemKey(field: .serial, value: serial)) }
        default:
            break
        }
        return keys
    }

    /// A key as compared: capitals, without spaces or hyphens (registrations are written
    /// `WU19 ABC` and `wu19abc`; VINs and serials are read off in groups).
    public static func normalisedKey(_ text: String) -> String {
        String(text.uppercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "-" }.map(Character.init))
    }
}
