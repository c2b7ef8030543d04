import Foundation

/// Builds an item's details from `name=value` attributes, as typed on a command line or read
/// from an intake spreadsheet. Every problem names its attribute.
///
/// ```swift
/// let details = try ItemAttributes.details(kind: .drug, ["substance": "cocaine", "form": "powder", "mass": "8kg"])
/// ```
public enum ItemAttributes {
    /// The attributes each kind takes (required ones first).
    public static func names(for kind: ItemKind) -> (required: [String], optional: [String]) {
        switch kind {
        case .drug: return (["substance", "form"], ["mass", "count", "purity", "purity-method"])
        case .cash: return (["currency"], ["amount", "denominations"])
        case .watch: return (["brand", "model", "condition"], ["reference", "serial", "box", "papers"])
        case .vehicle: return (["make", "model", "year", "condition", "class"], ["registration", "vin", "mileage", "first-registered"])
        case .jewellery: return (["metal", "fineness", "mass"], ["gem-set"])
        case .cryptoasset: return (["asset", "units"], ["wallet", "exchange"])
        case .firearm, .ammunition, .phone, .document, .other: return ([], [])
        }
    }

    /// Builds the details of an item of `kind` from its `name=value` attributes, checking each value.
    ///
    /// - Parameters:
    ///   - kind: The kind of item; it decides which attributes are required and which are allowed (see `names(for:)`).
    ///   - attributes: The attributes by name; an empty value counts as absent.
    /// - Returns: The item's details, in the case that matches `kind`.
    /// - Throws: `HaulCoreError`, its message starting with the attribute's name, when an attribute is
    ///   unknown for the kind, a required one is missing, or a value cannot be read or is out of range.
    public static func details(kind: ItemKind, _ attributes: [String: String]) throws(HaulCoreError) -> ItemDetails {
        let (required, optional) = names(for: kind)
        for name in attributes.keys.sorted() where !required.contains(name) && !optional.contains(name) {
            let known = (required + optional).joined(separator: ", ")
            throw HaulCoreError(.unknownValue, "\(name): a \(kind.rawValue) has no such attribute\(known.isEmpty ? "" : "; use \(known)")")
        }
        for name in required where (attributes[name] ?? "").isEmpty {
            throw HaulCoreError(.unknownValue, "\(name): a \(kind.rawValue) needs it")
        }
        func value(_ name: String) -> String? { attributes[name].flatMap { $0.isEmpty ? nil : $0 } }
        func enumeration<T: RawRepresentable & CaseIterable>(_ name: String, _ type: T.Type) throws(HaulCoreError) -> T where T.RawValue == String {
            let text = value(name) ?? ""
            // As typed, else in any capitals (`Gold`, `Cocaine`), as a watch's brand is matched.
            guard let result = T(rawValue: text) ?? T.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw HaulCoreError(.unknownValue, "\(name): unknown value '\(text)'; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return result
        }
        func decimal(_ name: String) throws(HaulCoreError) -> FixedDecimal {
            do { return try DecimalText.parse(value(name) ?? "", allowNegative: false) } catch {
                throw HaulCoreError(.invalidNumber, "\(name): \(error: error)")
            }
        }
        func integer(_ name: String) throws(HaulCoreError) -> Int {
            guard let text = value(name), let number = Int(text), number >= 0 else {
                throw HaulCoreError(.invalidNumber, "\(name): '\(value(name) ?? "")' is not a whole number of zero or more")
            }
            return number
        }
        func boolean(_ name: String) throws(HaulCoreError) -> Bool {
            switch value(name)?.lowercased() {
            case nil, "no", "false", "n": return false
            case "yes", "true", "y": return true
            default: throw HaulCoreError(.unknownValue, "\(name): '\(value(name) ?? "")' is not yes or no")
            }
        }
        /// `8kg`, `48.6g`, `2lb` → a mass.
        func mass(_ name: String) throws(HaulCoreError) -> Mass {
            let text = value(name) ?? ""
            guard let unit = MassUnit.allCases.sorted(by: { $0.rawValue.count > $1.rawValue.count }).first(where: { text.hasSuffix($0.rawValue) }) else {
                throw HaulCoreError(.unknownValue, "\(name): '\(text)' needs a unit: mg, g, kg, oz, lb or ozt (e.g. 8kg)")
            }
            do { return try Mass(parsing: String(text.dropLast(unit.rawValue.count)), unit: unit) } catch {
                throw HaulCoreError(error.code, "\(name): \(error.message)")
            }
        }
        func wrap<T>(_ name: String, _ body: () throws(HaulCoreError) -> T) throws(HaulCoreError) -> T {
            do { return try body() } catch { throw HaulCoreError(error.code, error.message.hasPrefix(name) ? error.message : "\(name): \(error.message)") }
        }

        switch kind {
        case .drug:
            let quantity: DrugQuantity
            if value("mass") != nil {
                quantity = .mass(try mass("mass"))
            } else if value("count") != nil {
                let form = try enumeration("form", DrugForm.self)
                let unit: CountUnit = form == .blotter ? .square : form == .plant ? .plant : .tablet
                let count = try integer("count")
                quantity = .count(try wrap("count") { () throws(HaulCoreError) in try UnitCount(count, unit) })
            } else {
                throw HaulCoreError(.unknownValue, "mass: a drug needs its gross mass (mass=8kg) or a count (count=500)")
            }
            let purity = try value("purity").map { text throws(HaulCoreError) in
                let percent = try wrap("purity") { () throws(HaulCoreError) in try purityPercent(text) }
                let method = value("purity-method") == nil ? PurityMethod.laboratory : try enumeration("purity-method", PurityMethod.self)
                return try wrap("purity") { () throws(HaulCoreError) in try Purity(percent: percent, method: method) }
            }
            return .drug(DrugItem(substance: try enumeration("substance", Substance.self), form: try enumeration("form", DrugForm.self), quantity: quantity, purity: purity))
        case .cash:
            let currency = try wrap("currency") { () throws(HaulCoreError) in try Currency(code: value("currency") ?? "") }
            var denominations: [Denomination] = []
            // denominations=50x6000,20x10000 (face value × count, notes; coins with a trailing c: 1cx300)
            for part in (value("denominations") ?? "").split(separator: ",") {
                let pieces = part.split(separator: "x", maxSplits: 1).map(String.init)
                guard pieces.count == 2 else { throw HaulCoreError(.unknownValue, "denominations: '\(part)' is not VALUExCOUNT (e.g. 50x6000)") }
                let isCoin = pieces[0].hasSuffix("c")
                let faceText = isCoin ? String(pieces[0].dropLast()) : pieces[0]
                guard let face = try? DecimalText.parse(faceText, allowNegative: false), let count = Int(pieces[1]) else {
                    throw HaulCoreError(.invalidNumber, "denominations: '\(part)' is not VALUExCOUNT (e.g. 50x6000)")
                }
                denominations.append(try wrap("denominations") { () throws(HaulCoreError) in try Denomination(value: face, form: isCoin ? .coin : .note, count: count) })
            }
            let amount = value("amount") == nil ? nil : try decimal("amount")
            return .cash(try wrap("amount") { () throws(HaulCoreError) in try CashItem(currency: currency, countedAmount: amount, denominations: denominations) })
        case .watch:
            return .watch(WatchItem(brand: value("brand")!, model: value("model")!, referenceNumber: value("reference"), serialNumber: value("serial"),
                                    condition: try enumeration("condition", WatchCondition.self), hasBox: try boolean("box"), hasPapers: try boolean("papers")))
        case .vehicle:
            let year = try integer("year")
            guard (1885...2199).contains(year) else { throw HaulCoreError(.outOfRange, "year: \(year) is not a model year (1885–2199)") }
            var mileage: Distance?
            if let text = value("mileage") {
                let unit: DistanceUnit = text.hasSuffix("km") ? .kilometres : .miles
                let digits = text.hasSuffix("km") ? String(text.dropLast(2)) : text.hasSuffix("mi") ? String(text.dropLast(2)) : text
                guard let number = Int(digits) else { throw HaulCoreError(.invalidNumber, "mileage: '\(text)' is not a whole number of miles (14200mi) or kilometres (22000km)") }
                mileage = try wrap("mileage") { () throws(HaulCoreError) in try Distance(number, unit) }
            }
            var firstRegistered: CalendarDate?
            if let text = value("first-registered") {
                // The case file's dates run from 1900 to 2199: what is accepted here can always be exported.
                guard let date = try? CalendarDate(parsing: text), (1900...2199).contains(date.year) else {
                    throw HaulCoreError(.invalidNumber, "first-registered: '\(text)' is not a date (YYYY-MM-DD) between 1900 and 2199")
                }
                firstRegistered = date
            }
            return .vehicle(VehicleItem(make: value("make")!, model: value("model")!, year: year, registration: value("registration"), vin: value("vin"),
                                        mileage: mileage, condition: try enumeration("condition", VehicleCondition.self), vehicleClass: try enumeration("class", VehicleClass.self),
                                        firstRegistered: firstRegistered))
        case .jewellery:
            let fineness = try decimal("fineness")
            // Parts per thousand: a fraction (0.750) or carats (18) read as such would value the
            // metal at a thousandth or a fortieth of its worth, without a word. No hallmark is below 333.
            guard fineness >= FixedDecimal(100) else {
                throw HaulCoreError(.outOfRange, "fineness: \(value("fineness") ?? "") is parts per thousand, so \(DecimalText.plain(fineness / FixedDecimal(10))) % fine metal; write it as the hallmark does: 375 for 9 ct, 585 for 14 ct, 750 for 18 ct, 916.6 for 22 ct, 925 for sterling silver (no hallmark is below 333)")
            }
            let metal = try enumeration("metal", Metal.self)
            let weight = try mass("mass")
            let gemSet = try boolean("gem-set")
            return .jewellery(try wrap("fineness") { () throws(HaulCoreError) in try JewelleryItem(metal: metal, fineness: fineness, mass: weight, isGemSet: gemSet) })
        case .cryptoasset:
            let units = try decimal("units")
            return .cryptoasset(try wrap("asset") { () throws(HaulCoreError) in try CryptoassetItem(asset: value("asset") ?? "", units: units, wallet: value("wallet"), exchange: value("exchange")) })
        case .firearm, .ammunition, .phone, .document, .other:
            return .nonValued(NonValuedKind(rawValue: kind.rawValue)!)
        }
    }
}

extension ItemAttributes {
    /// A purity as typed: a percentage, `85` or `85%`. A figure under 1 without its `%` is refused:
    /// `0.85` is far more often 85 % written as a fraction than a laboratory's 0.85 %, and read as
    /// a percentage it values the drug at a hundredth of its worth; `0.85%` says it is meant.
    ///
    /// - Parameter text: The purity as typed.
    /// - Returns: The percentage.
    /// - Throws: `HaulCoreError` when the text is not a number of zero or more, or is under 1 without `%`.
    package static func purityPercent(_ text: String) throws(HaulCoreError) -> FixedDecimal {
        let marked = text.hasSuffix("%")
        let percent: FixedDecimal
        do { percent = try DecimalText.parse(marked ? String(text.dropLast()) : text, allowNegative: false) } catch {
            throw HaulCoreError(.invalidNumber, "\(error: error)")
        }
        guard marked || percent >= FixedDecimal(1) || percent.isZero else {
            throw HaulCoreError(.outOfRange, "'\(text)' is a percentage, so \(text) %; write \(DecimalText.plain(percent * FixedDecimal(100))) for \(DecimalText.plain(percent * FixedDecimal(100))) %, or \(text)% if the laboratory found under 1 %")
        }
        return percent
    }
}

extension ZonedDateTime {
    /// Reads `YYYY-MM-DDThh:mm[:ss]`, with or without a UTC offset (`Z`, `+01:00`); without one,
    /// the offset is the one `zone` had at that local time. A local time that happens twice (the
    /// hour when clocks go back) needs its offset; one that never happens (when they go forward)
    /// is refused.
    public init(local text: String, zone: String) throws(HaulCoreError) {
        let usage = "'\(text)' is not a date-time: use YYYY-MM-DDThh:mm (local time), or with an offset, e.g. 2020-06-18T07:20 or 2020-06-18T06:20Z or 2020-06-18T07:20+01:00"
        var base = text
        var offset = ""
        if base.hasSuffix("Z") {
            base.removeLast()
            offset = "Z"
        } else if base.utf8.count > 19 || (base.utf8.count > 16 && base.utf8.count != 19), let sign = base.lastIndex(where: { $0 == "+" || $0 == "-" }),
                  base.distance(from: base.startIndex, to: sign) >= 16 {
            offset = String(base[sign...])
            base = String(base[..<sign])
        }
        if base.utf8.count == 16 { base += ":00" }
        guard base.utf8.count == 19, offset.isEmpty || offset == "Z" || offset.utf8.count == 6 else { throw HaulCoreError(.invalidDate, usage) }
        if !offset.isEmpty {
            // An offset names the instant; it is then shown in the jurisdiction's zone.
            var seconds = 0
            if offset != "Z" {
                let parts = offset.dropFirst().split(separator: ":")
                guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), hours <= 14, minutes < 60 else { throw HaulCoreError(.invalidDate, usage) }
                seconds = (hours * 3600 + minutes * 60) * (offset.hasPrefix("-") ? -1 : 1)
            }
            let wall: ZonedDateTime
            do { wall = try ZonedDateTime(parsing: base + "Z", zone: "UTC") } catch { throw HaulCoreError(.invalidDate, usage) }
            try self.init(epochSeconds: wall.epochSeconds - seconds, zone: zone)
            return
        }
        guard let timeZone = TimeZone(identifier: zone) else { throw HaulCoreError(.unknownValue, "'\(zone)' is not an IANA time zone") }
        let probe: ZonedDateTime
        do { probe = try ZonedDateTime(parsing: base + "Z", zone: "UTC") } catch { throw HaulCoreError(.invalidDate, usage) }
        // The offsets in force half a day either side; each that gives back this local time is a reading of it.
        let local = probe.epochSeconds
        let around = [local - 43_200, local + 43_200].map { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval($0))) }
        let readings = Array(Set(around)).sorted().filter { timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - $0))) == $0 }
        func written(_ seconds: Int) -> String {
            let sign = seconds < 0 ? "-" : "+"
            return String(format: "%@%02d:%02d", sign, abs(seconds) / 3600, abs(seconds) % 3600 / 60)
        }
        if readings.count > 1 {
            throw HaulCoreError(.invalidDate, "\(text) happens twice in \(zone) (the clocks went back); give its offset: \(readings.map { String(base.prefix(16)) + written($0) }.joined(separator: " or "))")
        }
        guard let chosen = readings.first else {
            throw HaulCoreError(.invalidDate, "\(text) does not exist in \(zone) (the clocks went forward over it)")
        }
        try self.init(date: probe.date, hour: probe.hour, minute: probe.minute, second: probe.second, offsetSeconds: chosen, zone: zone)
    }
}

extension Jurisdiction {
    /// The time zone legal days are counted in.
    public var timeZone: String {
        switch self {
        case .englandAndWales, .scotland, .northernIreland: return "Europe/London"
        case .netherlands: return "Europe/Amsterdam"
        case .unitedStates: return "America/New_York"
        }
    }
}
