import Foundation
import HaulCore
import HaulData
import HaulValuation

/// Reads and checks the CSV tables of a folder. Every problem of every file is reported at
/// once, as `file:line:column: message` with the column's header name.
///
/// ```swift
/// let (tables, problems) = TableLoader.load(folder: url, displayName: "valuations/GB-EAW")
/// problems.forEach { print($0) }
/// ```
public enum TableLoader {
    /// File name → the columns it must have (in any order).
    /// Each table file and the columns its header must name, in Haul's order.
    public static let layouts: [String: [String]] = [
        "manifest.csv": ["key", "value"],
        "drugs.csv": ["substance", "basis", "from_quantity", "quantity_unit", "price_unit", "reference_purity"] + priceColumns,
        "watches.csv": ["brand", "model", "reference"] + priceColumns,
        "vehicles.csv": ["make", "model", "year", "price_type"] + priceColumns,
        "metals.csv": ["metal"] + priceColumns,
        "crypto.csv": ["asset"] + priceColumns,
        "factors.csv": ["kind", "factor", "key", "low", "central", "high", "effective_from", "source", "confidence"],
        "sentencing.csv": ["substance", "category", "from_quantity", "quantity_unit", "effective_from", "source", "confidence"],
        "index-cpih.csv": ["period", "value", "source", "confidence"],
        "gaps.csv": ["kind", "entry", "reason", "effective_from", "source", "confidence"],
    ]
    static let priceColumns = ["low", "central", "high", "currency", "effective_from", "source", "confidence"]

    /// The largest price or quantity a table may state: keeps every product of a price and a
    /// quantity far inside FixedDecimal's range (±10²⁰).
    static let maximumValue = FixedDecimal(10_000_000_000)

    /// Loads every known table file in `folder`. Unknown `.csv` files are reported, not ignored.
    public static func load(folder: URL, displayName: String) -> (TableSet, [TableProblem]) {
        var tables = TableSet(name: displayName)
        var problems: [TableProblem] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
        if names.isEmpty {
            problems.append(TableProblem(file: displayName, line: 0, column: 0, message: "no price tables (.csv files) in this folder"))
        }
        for name in names {
            let display = displayName + "/" + name
            guard layouts[name] != nil else {
                problems.append(TableProblem(file: display, line: 0, column: 0,
                                             message: "not a table Haul knows; expected one of \(layouts.keys.sorted().joined(separator: ", "))"))
                continue
            }
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
                  let text = String(data: data, encoding: .utf8) else {
                problems.append(TableProblem(file: display, line: 0, column: 0, message: "cannot be read as UTF-8 text"))
                continue
            }
            tables.files.append(display)
            problems += load(text: text, fileName: name, displayName: display, into: &tables)
        }
        return (tables, problems)
    }

    /// Loads one table's text into `tables` (exposed for tests and tools).
    public static func load(text: String, fileName: String, displayName: String, into tables: inout TableSet) -> [TableProblem] {
        var keys: [String] = []
        return load(text: text, fileName: fileName, displayName: displayName, into: &tables, keys: &keys)
    }

    /// Each data row's key, in order: what two rows of the table may not share (the entry, its
    /// currency or ladder step, its date), exactly as loading tells duplicates apart. Nil when the
    /// text does not load cleanly.
    public static func rowKeys(text: String, fileName: String) -> [String]? {
        var tables = TableSet(name: fileName)
        var keys: [String] = []
        let problems = load(text: text, fileName: fileName, displayName: fileName, into: &tables, keys: &keys)
        return problems.isEmpty ? keys : nil
    }

    private static func load(text: String, fileName: String, displayName: String, into tables: inout TableSet, keys keysInOrder: inout [String]) -> [TableProblem] {
        let records: [CSVRecord]
        do { records = try CSVReader.parse(text) } catch {
            return [TableProblem(file: displayName, line: error.line, column: error.column, message: error.message)]
        }
        guard let header = records.first else {
            return [TableProblem(file: displayName, line: 1, column: 0, message: "the table is empty; it needs a header row")]
        }
        let reader: CSVFields
        switch CSVFields.header(header, file: displayName, fileName: fileName, required: layouts[fileName] ?? []) {
        case .success(let fields): reader = fields
        case .failure(let failure): return failure.problems
        }
        var keys: [String: Int] = [:]
        for record in records.dropFirst() {
            reader.start(record)
            guard record.fields.count == header.fields.count else {
                reader.report(column: 0, "the row has \(record.fields.count) fields; the header has \(header.fields.count)")
                continue
            }
            // A duplicate must not enter the table: each row is parsed on its own, then added.
            // (A copy of the whole table per row would make a long series quadratic.)
            var candidate = fileName == "manifest.csv" ? tables : TableSet(name: tables.name)
            if let key = parseRow(fileName: fileName, reader: reader, into: &candidate) {
                if let first = keys[key] {
                    reader.report(column: 0, "the same entry is priced twice for the same date; the first is on line \(first)")
                } else {
                    keys[key] = record.line
                    keysInOrder.append(key)
                    if fileName == "manifest.csv" { tables = candidate } else { tables.add(rowsOf: candidate) }
                }
            }
        }
        return reader.problems
    }

    /// Parses one row; returns its duplicate-detection key when it was good.
    private static func parseRow(fileName: String, reader r: CSVFields, into tables: inout TableSet) -> String? {
        switch fileName {
        case "manifest.csv":
            return r.manifestEntry(into: &tables)
        case "drugs.csv":
            guard let substance: Substance = r.enumeration("substance"), let basis: ValuationBasis = r.enumeration("basis"),
                  let from = r.fixed("from_quantity", allowZero: true), let quantityUnit: QuantityUnit = r.enumeration("quantity_unit", what: "unit"),
                  let priceUnit: QuantityUnit = r.enumeration("price_unit", what: "unit"), let purity = r.optionalPercent("reference_purity"),
                  let price = r.price(), let origin = r.origin() else { return nil }
            if quantityUnit.isCount != priceUnit.isCount {
                r.report("price_unit", "price_unit '\(priceUnit.rawValue)' and quantity_unit '\(quantityUnit.rawValue)' must both be masses or both counts")
                return nil
            }
            tables.drugs.append(DrugPriceRow(substance: substance, basis: basis, fromQuantity: from, quantityUnit: quantityUnit, priceUnit: priceUnit,
                                             referencePurity: purity, price: price, origin: origin))
            return "\(substance)|\(basis)|\(from)|\(quantityUnit)|\(origin.effectiveFrom)"
        case "watches.csv":
            guard let brand = r.text("brand"), let model = r.text("model"), let price = r.price(), let origin = r.origin() else { return nil }
            let reference = r.text("reference", required: false) ?? ""
            tables.watches.append(WatchPriceRow(brand: brand, model: model, reference: reference, price: price, origin: origin))
            return "\(brand.lowercased())|\(model.lowercased())|\(reference.lowercased())|\(origin.effectiveFrom)"
        case "vehicles.csv":
            guard let make = r.text("make"), let model = r.text("model"), let year = r.integer("year", in: 1885...2199),
                  let type: VehiclePriceType = r.enumeration("price_type"), let price = r.price(), let origin = r.origin() else { return nil }
            tables.vehicles.append(VehiclePriceRow(make: make, model: model, year: year, priceType: type, price: price, origin: origin))
            return "\(make.lowercased())|\(model.lowercased())|\(year)|\(type)|\(origin.effectiveFrom)"
        case "metals.csv":
            guard let metal: Metal = r.enumeration("metal"), let price = r.price(), let origin = r.origin() else { return nil }
            tables.metals.append(MetalPriceRow(metal: metal, price: price, origin: origin))
            return "\(metal)|\(price.currency)|\(origin.effectiveFrom)"
        case "crypto.csv":
            guard let asset = r.assetCode("asset"), let price = r.price(), let origin = r.origin() else { return nil }
            tables.crypto.append(CryptoPriceRow(asset: asset, price: price, origin: origin))
            return "\(asset)|\(price.currency)|\(origin.effectiveFrom)"
        case "factors.csv":
            guard let kind: ItemKind = r.enumeration("kind"), let factor: FactorName = r.enumeration("factor"), let key = r.text("key"),
                  let range = r.range(currency: nil), let origin = r.origin(isPrice: false) else { return nil }
            tables.factors.append(FactorRow(kind: kind, factor: factor.rawValue, key: key.lowercased(), low: range.low, central: range.central, high: range.high, origin: origin))
            return "\(kind)|\(factor)|\(key.lowercased())|\(origin.effectiveFrom)"
        case "sentencing.csv":
            guard let substance: Substance = r.enumeration("substance"), let category = r.integer("category", in: 1...4),
                  let from = r.fixed("from_quantity"), let unit: QuantityUnit = r.enumeration("quantity_unit", what: "unit"),
                  let origin = r.origin(isPrice: false) else { return nil }
            tables.sentencing.append(SentencingRow(substance: substance, category: category, fromQuantity: from, quantityUnit: unit, origin: origin))
            return "\(substance)|\(category)|\(origin.effectiveFrom)"
        case "index-cpih.csv":
            guard let period = r.month("period"), let value = r.fixed("value"), let origin = r.origin(effectiveFrom: period, isPrice: false) else { return nil }
            tables.index.append(IndexRow(period: period, value: value, origin: origin))
            return "\(period)"
        case "gaps.csv":
            guard let kind: ItemKind = r.enumeration("kind"), let entry = r.text("entry"), let reason = r.text("reason"),
                  let origin = r.origin(isPrice: false) else { return nil }
            if kind == .drug, Substance(rawValue: entry) == nil {
                r.report("entry", "'\(entry)' is not a substance Haul knows; use one of \(Substance.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            tables.gaps.append(GapRow(kind: kind, entry: entry, reason: reason, origin: origin))
            return "\(kind)|\(entry)|\(origin.effectiveFrom)"
        default:
            return nil
        }
    }
}


/// The price-table fields: fixed-point numbers, price ranges, row origins, manifest settings.
extension CSVFields {
    func fixed(_ name: String, allowZero: Bool = false) -> FixedDecimal? {
        let value = raw(name)
        let number: FixedDecimal
        do { number = try FixedDecimal(parsing: value) } catch {
            report(name, "\(error)")
            return nil
        }
        if number < .zero || (!allowZero && number == .zero) {
            report(name, "\(value) must be \(allowZero ? "zero or more" : "greater than zero")")
            return nil
        }
        if TableLoader.maximumValue < number {
            report(name, "\(value) is larger than Haul accepts (\(TableLoader.maximumValue))")
            return nil
        }
        return number
    }

    /// An optional percentage: `FixedDecimal??` — nil on error, `.some(nil)` when empty.
    func optionalPercent(_ name: String) -> FixedDecimal?? {
        guard !raw(name).isEmpty else { return .some(nil) }
        guard let value = fixed(name) else { return nil }
        guard value <= FixedDecimal(100) else { report(name, "\(raw(name)) is over 100 %"); return nil }
        return .some(value)
    }

    func assetCode(_ name: String) -> String? {
        let value = raw(name)
        let bytes = Array(value.utf8)
        guard (2...10).contains(bytes.count), bytes.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }) else {
            report(name, "'\(value)' is not an asset code (2–10 capital letters or digits, e.g. BTC)")
            return nil
        }
        return value
    }

    /// low, central, high (and currency when given), in order.
    func range(currency: Currency?) -> PriceRange? {
        guard let low = fixed("low", allowZero: true), let central = fixed("central", allowZero: true), let high = fixed("high", allowZero: true) else { return nil }
        guard low <= central, central <= high else {
            report("central", "low ≤ central ≤ high is not true of \(raw("low")) / \(raw("central")) / \(raw("high"))")
            return nil
        }
        return PriceRange(low: low, central: central, high: high, currency: currency ?? .gbp)
    }

    func price() -> PriceRange? {
        let currency = self.currency("currency")
        guard let range = range(currency: currency), currency != nil else { return nil }
        return range
    }

    func origin(effectiveFrom: CalendarDate? = nil, isPrice: Bool = true) -> RowOrigin? {
        let date = effectiveFrom ?? self.date("effective_from")
        let confidence: Confidence? = confidenceMark("confidence")
        guard let date, let confidence, let source = text("source") else { return nil }
        // The source travels with every figure into the case file, whose text fields are ShortText.
        if source.count > SchemaBounds.shortText.maximumLength {
            report("source", "the source has \(source.count) characters; a case file carries at most \(SchemaBounds.shortText.maximumLength), so shorten it")
            return nil
        }
        return RowOrigin(file: file, line: record.line, effectiveFrom: date, source: source, confidence: confidence, isPrice: isPrice)
    }
    func manifestEntry(into tables: inout TableSet) -> String? {
        guard let key = text("key"), let value = text("value") else { return nil }
        var manifest = tables.manifest ?? TableManifest(name: tables.name, currency: .gbp, stalenessYears: 5, defaultBasis: .market, index: nil)
        switch key {
        case "name": manifest.name = value
        case "currency":
            guard let currency = self.currency("value") else { return nil }
            manifest.currency = currency
        case "staleness_years":
            guard let years = integer("value", in: 1...100) else { return nil }
            manifest.stalenessYears = years
        case "default_basis":
            guard let basis: ValuationBasis = enumeration("value", what: "basis") else { return nil }
            manifest.defaultBasis = basis
        case "index": manifest.index = value
        case "staleness_days_crypto", "staleness_days_metals":
            guard let days = integer("value", in: 0...36500) else { return nil }
            if key == "staleness_days_crypto" { manifest.cryptoStalenessDays = days } else { manifest.metalStalenessDays = days }
        default:
            report("key", "unknown setting '\(key)'; use name, currency, staleness_years, staleness_days_crypto, staleness_days_metals, default_basis or index")
            return nil
        }
        tables.manifest = manifest
        return key
    }
}

/// The shipped default tables.
public enum ShippedTables {
    /// `valuations/<JURISDICTION>` from Haul's resources, as a display name and a folder.
    public static func folder(for jurisdiction: Jurisdiction) -> (displayName: String, url: URL) {
        ("valuations/\(jurisdiction.rawValue)", HaulData.valuationsDirectory.appendingPathComponent(jurisdiction.rawValue))
    }

    /// The shipped ECB rate files (the ECB's XML or CSV).
    public static var rateFiles: [(displayName: String, url: URL)] {
        let folder = HaulData.valuationsDirectory.appendingPathComponent("rates")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".xml") || $0.hasSuffix(".csv") }.sorted()
        return names.map { ("valuations/rates/\($0)", folder.appendingPathComponent($0)) }
    }

    /// Jurisdictions with a shipped table folder.
    public static var jurisdictions: [Jurisdiction] {
        Jurisdiction.allCases.filter { FileManager.default.fileExists(atPath: folder(for: $0).url.appendingPathComponent("manifest.csv").path) }
    }

    /// Loads the layers for `jurisdiction`: the overlay folder first (if any), then the defaults.
    public static func layers(for jurisdiction: Jurisdiction, overlay: URL?) -> ([TableSet], [TableProblem]) {
        var layers: [TableSet] = []
        var problems: [TableProblem] = []
        if let overlay {
            let (tables, found) = TableLoader.load(folder: overlay, displayName: overlay.path)
            layers.append(tables)
            problems += found
        }
        let shipped = folder(for: jurisdiction)
        if FileManager.default.fileExists(atPath: shipped.url.path) {
            let (tables, found) = TableLoader.load(folder: shipped.url, displayName: shipped.displayName)
            layers.append(tables)
            problems += found
        }
        return (layers, problems)
    }
}
