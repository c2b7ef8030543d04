import Foundation

/// The case-file schema's bounds (`schemas/haul-case-1.xsd`), checked where data enters — the
/// model's initialisers, which CLI arguments, spreadsheet intake, the register's stored form and
/// XML import all go through — so that whatever Haul accepts it can always export. A test reads
/// the XSD's facets and compares them with these, so the two cannot drift apart.
public enum SchemaBounds {
    /// A decimal simple type's facets.
    public struct DecimalFacets: Sendable {
        /// The XSD type's name, e.g. `Amount`.
        public let type: String
        /// The lower bound; values below it are refused, and it too when `minimumExclusive`.
        public let minimum: FixedDecimal
        /// True for `minExclusive` (the minimum itself is refused).
        public let minimumExclusive: Bool
        /// The highest value allowed (inclusive).
        public let maximum: FixedDecimal
        /// The most decimal places allowed.
        public let fractionDigits: Int

        /// Refuses `value` outside the facets, naming `field` and the limit.
        public func check(_ value: FixedDecimal, _ field: String) throws(HaulCoreError) {
            let low = minimumExclusive ? value <= minimum : value < minimum
            if low || value > maximum {
                let floor = minimumExclusive ? "greater than \(DecimalText.plain(minimum))" : "at least \(DecimalText.plain(minimum))"
                throw HaulCoreError(value < 0 ? .negativeQuantity : .outOfRange,
                                    "\(field) \(DecimalText.plain(value)) is out of range: it must be \(floor) and at most \(DecimalText.plain(maximum))")
            }
            if value.fractionDigits > fractionDigits {
                throw HaulCoreError(.outOfRange, "\(field) \(DecimalText.plain(value)) has more than \(fractionDigits) decimal place\(fractionDigits == 1 ? "" : "s")")
            }
        }
    }

    /// A text simple type's facets (lengths in characters, as XML counts them: Unicode scalars).
    public struct TextFacets: Sendable {
        /// The XSD type's name, e.g. `ShortText`.
        public let type: String
        /// The fewest characters allowed, counted as Unicode scalars.
        public let minimumLength: Int
        /// The most characters allowed, counted as Unicode scalars.
        public let maximumLength: Int

        /// Refuses text too short or long, or holding a character XML 1.0 cannot carry (controls
        /// other than tab, line feed and carriage return; U+FFFE, U+FFFF), naming `field`.
        public func check(_ text: String, _ field: String) throws(HaulCoreError) {
            let count = text.unicodeScalars.count
            guard count >= minimumLength, count <= maximumLength else {
                throw HaulCoreError(.outOfRange, "\(field) has \(count) characters; it takes \(minimumLength) to \(maximumLength)")
            }
            if let bad = text.unicodeScalars.first(where: { ($0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r") || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
                throw HaulCoreError(.outOfRange, "\(field) holds the character U+\(String(format: "%04X", bad.value)), which a case file cannot carry")
            }
        }
    }


    /// A sum of money: 0 to 999,999,999,999,999.9999.
    public static let amount = DecimalFacets(type: "Amount", minimum: 0, minimumExclusive: false, maximum: FixedDecimal(units: 9_999_999_999_999_999_999, places: 4), fractionDigits: 4)
    /// A mass or other measured quantity: above 0, at most 10⁹ (of its unit).
    public static let quantity = DecimalFacets(type: "Quantity", minimum: 0, minimumExclusive: true, maximum: 1_000_000_000, fractionDigits: 6)
    /// A count of tablets, squares, plants, notes or coins: 1 to 10⁹.
    public static let count = DecimalFacets(type: "Count", minimum: 1, minimumExclusive: false, maximum: 1_000_000_000, fractionDigits: 0)
    /// Units of a cryptoasset: above 0, at most 10¹², 18 places.
    public static let cryptoUnits = DecimalFacets(type: "CryptoUnits", minimum: 0, minimumExclusive: true, maximum: 1_000_000_000_000, fractionDigits: 18)
    /// A percentage: 0 to 100.
    public static let percent = DecimalFacets(type: "Percent", minimum: 0, minimumExclusive: false, maximum: 100, fractionDigits: 4)
    /// An exchange rate or index factor: above 0, at most 10⁹.
    public static let rate = DecimalFacets(type: "Rate", minimum: 0, minimumExclusive: true, maximum: 1_000_000_000, fractionDigits: 12)
    /// Precious-metal fineness in parts per thousand.
    public static let fineness = DecimalFacets(type: "Fineness", minimum: 0, minimumExclusive: true, maximum: 1000, fractionDigits: 2)
    /// Names, references, short descriptions.
    public static let shortText = TextFacets(type: "ShortText", minimumLength: 1, maximumLength: 200)
    /// Notes and reasons.
    public static let longText = TextFacets(type: "LongText", minimumLength: 1, maximumLength: 4000)

    /// Every decimal type checked, for the test that compares them with the XSD.
    public static let decimalTypes: [DecimalFacets] = [amount, quantity, count, cryptoUnits, percent, rate, fineness]
    /// Every text type checked.
    public static let textTypes: [TextFacets] = [shortText, longText]
}

extension Item {
    /// Refuses text the case file could not carry: the description and the kind's names and
    /// references (each a ShortText). Numbers are checked by the details' own initialisers.
    public func checkBounds() throws(HaulCoreError) {
        let text = SchemaBounds.shortText
        if let description { try text.check(description, "\(id): description") }
        switch details {
        case .watch(let watch):
            try text.check(watch.brand, "\(id): brand")
            try text.check(watch.model, "\(id): model")
            if let reference = watch.referenceNumber { try text.check(reference, "\(id): reference") }
            if let serial = watch.serialNumber { try text.check(serial, "\(id): serial") }
        case .vehicle(let vehicle):
            try text.check(vehicle.make, "\(id): make")
            try text.check(vehicle.model, "\(id): model")
            if let registration = vehicle.registration { try text.check(registration, "\(id): registration") }
        case .cryptoasset(let crypto):
            if let wallet = crypto.wallet { try text.check(wallet, "\(id): wallet") }
            if let exchange = crypto.exchange { try text.check(exchange, "\(id): exchange") }
        case .drug, .cash, .jewellery, .nonValued:
            break
        }
    }
}

extension Seizure {
    /// Refuses a place, officer or warrant reference the case file could not carry, and checks
    /// each item.
    public func checkBounds() throws(HaulCoreError) {
        try SchemaBounds.shortText.check(place, "seizure \(id): place")
        try SchemaBounds.shortText.check(officer, "seizure \(id): officer")
        if let warrant = warrantReference { try SchemaBounds.shortText.check(warrant, "seizure \(id): warrant") }
        for item in items { try item.checkBounds() }
    }
}

extension Case {
    /// Refuses a header, agency, seizure or item text the case file could not carry.
    public func checkBounds() throws(HaulCoreError) {
        if let name = operationName { try SchemaBounds.shortText.check(name, "operation name") }
        if let note { try SchemaBounds.longText.check(note, "case note") }
        for agency in agencies { try SchemaBounds.shortText.check(agency.name, "agency \(agency.id): name") }
        for person in people { try SchemaBounds.shortText.check(person.name, "the name of \(person.id)") }
        for seizure in seizures { try seizure.checkBounds() }
    }
}
