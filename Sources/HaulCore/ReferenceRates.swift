import Foundation

/// Daily euro reference rates (the ECB's form: 1 EUR = `rate` units of a currency), with the
/// file and line each day came from.
///
/// Conversion uses the last published day on or before the date asked for, never an
/// interpolation, and discloses that day; a cross rate between two non-euro currencies is
/// derived as `rate[to] / rate[from]` and labelled derived.
///
/// ```swift
/// let quote = try rates.quote(from: .usd, to: .gbp, on: try CalendarDate(parsing: "2020-01-28"))
/// quote.rate      // 0.84603 / 1.1005
/// quote.isDerived // true
/// ```
public struct ReferenceRates: Sendable {
    /// One published day.
    public struct Day: Sendable, Hashable {
        /// The day the rates were published for.
        public var date: CalendarDate
        /// Where the day was read from.
        public var source: String
        /// The line of `source` the day was read from.
        public var line: Int
        private var stored: [String: FixedDecimal]
        /// A line of the ECB's CSV, every cell already checked, read when a rate is asked for:
        /// a full history is 7,000 days of up to 40 rates, and a valuation needs a handful.
        private var csvLine: CSVLine?

        /// Units of each currency for one euro.
        public var rates: [String: FixedDecimal] {
            get { csvLine?.all() ?? stored }
            set { stored = newValue; csvLine = nil }
        }

        /// Units of `code` for one euro that day, if it was quoted.
        public func rate(_ code: String) -> FixedDecimal? { csvLine.map { $0.rate(code) } ?? stored[code] }

        /// A day from rates already in hand.
        ///
        /// - Parameters:
        ///   - date: The day the rates were published for.
        ///   - rates: Units of each currency for one euro, by ISO 4217 code.
        ///   - source: Where the day was read from.
        ///   - line: The line of `source` it was read from.
        public init(date: CalendarDate, rates: [String: FixedDecimal], source: String, line: Int) {
            self.date = date
            self.stored = rates
            self.source = source
            self.line = line
        }

        /// A day of the ECB's CSV whose cells the reader has checked (each empty, `N/A` or a
        /// positive plain decimal within the schema's Rate), read when asked.
        public init(date: CalendarDate, checkedCSVLine cells: ArraySlice<UInt8>, columns: CSVColumns, source: String, line: Int) {
            self.date = date
            self.stored = [:]
            self.csvLine = CSVLine(columns: columns, bytes: cells)
            self.source = source
            self.line = line
        }

        /// Whether two days have the same date, source, line and rates.
        ///
        /// - Parameters:
        ///   - left: A day.
        ///   - right: The day to compare it with.
        /// - Returns: True when all four match.
        public static func == (left: Day, right: Day) -> Bool {
            left.date == right.date && left.source == right.source && left.line == right.line && left.rates == right.rates
        }

        /// Hashes the date, source and line; the rates are left out.
        ///
        /// - Parameter hasher: The hasher to feed.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(date)
            hasher.combine(source)
            hasher.combine(line)
        }
    }

    /// The currency of each column of an ECB CSV file (nil for the date and the trailing empty column).
    public struct CSVColumns: Sendable {
        let codes: [String?]
        let column: [String: Int]

        /// Records the currency of each column and indexes the columns by code.
        ///
        /// - Parameter codes: The currency code of each column in order; nil for the date column and
        ///   the trailing empty one.
        public init(codes: [String?]) {
            self.codes = codes
            var column: [String: Int] = [:]
            for (index, code) in codes.enumerated() { if let code { column[code] = index } }
            self.column = column
        }
    }

    /// One line's bytes, split into cells on demand.
    struct CSVLine: Sendable {
        let columns: CSVColumns
        let bytes: ArraySlice<UInt8>

        func rate(_ code: String) -> FixedDecimal? {
            guard let wanted = columns.column[code] else { return nil }
            var column = 0, start = bytes.startIndex
            while column < wanted {
                guard let comma = bytes[start...].firstIndex(of: UInt8(ascii: ",")) else { return nil }
                start = comma + 1
                column += 1
            }
            let end = bytes[start...].firstIndex(of: UInt8(ascii: ",")) ?? bytes.endIndex
            return FixedDecimal(plainBytes: Self.trimmed(bytes[start..<end]))
        }

        /// A cell without the spaces the ECB's daily file writes after each comma.
        static func trimmed(_ cell: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
            var cell = cell
            while cell.first == UInt8(ascii: " ") { cell = cell.dropFirst() }
            while cell.last == UInt8(ascii: " ") { cell = cell.dropLast() }
            return cell
        }

        func all() -> [String: FixedDecimal] {
            var rates: [String: FixedDecimal] = [:]
            for (index, cell) in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).enumerated() {
                guard index < columns.codes.count, let code = columns.codes[index], let rate = FixedDecimal(plainBytes: Self.trimmed(cell)) else { continue }
                rates[code] = rate
            }
            return rates
        }
    }

    /// A conversion as applied: 1 `from` = `rate` `to`, from the day `date`.
    public struct Quote: Sendable, Hashable {
        /// The currency converted from.
        public var from: Currency
        /// The currency converted to.
        public var to: Currency
        /// Units of `to` for one unit of `from`.
        public var rate: FixedDecimal
        /// The published day the rate comes from: the last on or before the date asked for.
        public var date: CalendarDate
        /// True unless converting from the euro, the only direction the ECB publishes; an inverse or
        /// cross rate is derived.
        public var isDerived: Bool
        /// Where that day's rates were read from.
        public var source: String
        /// The line of `source` holding that day.
        public var line: Int
    }

    /// Days sorted by date, one per date (a later-added day replaces an earlier one).
    public private(set) var days: [Day] = []

    /// Rates from the given days, kept sorted by date; of two days with one date, the later in the
    /// list wins.
    ///
    /// - Parameter days: The published days, in any order.
    public init(days: [Day] = []) {
        for day in days { add(day) }
    }

    /// Adds or replaces a day.
    public mutating func add(_ day: Day) {
        var index = days.partitioningIndex { $0.date >= day.date }
        if index < days.count && days[index].date == day.date {
            days[index] = day
        } else {
            days.insert(day, at: index)
            index += 1
        }
    }

    /// Adds every day of `other`, its days replacing ours on the same date.
    public mutating func merge(_ other: ReferenceRates) {
        for day in other.days { add(day) }
    }

    /// Lays `other` over these rates: every day of ours from `other`'s first date to its last is
    /// dropped, then its days added, so a history imported whole decides every date it covers
    /// (a shipped day it leaves out, say a holiday, no longer speaks for that range).
    public mutating func overlay(_ other: ReferenceRates) {
        guard let first = other.days.first?.date, let last = other.days.last?.date else { return }
        days.removeAll { $0.date >= first && $0.date <= last }
        merge(other)
    }

    /// The last day on or before `date` that has both currencies (the euro always).
    public func quote(from: Currency, to: Currency, on date: CalendarDate) throws(HaulCoreError) -> Quote {
        if from == to {
            throw HaulCoreError(.inconsistent, "no conversion is needed from \(from) to itself")
        }
        var index = days.partitioningIndex { $0.date > date } - 1
        while index >= 0 {
            let day = days[index]
            let fromRate: FixedDecimal? = from.code == "EUR" ? 1 : day.rate(from.code)
            let toRate: FixedDecimal? = to.code == "EUR" ? 1 : day.rate(to.code)
            if let fromRate, let toRate, fromRate > 0 {
                // Only EUR → X is published as is; an inverse or a cross rate is derived.
                return Quote(from: from, to: to, rate: toRate / fromRate, date: day.date, isDerived: from.code != "EUR",
                             source: day.source, line: day.line)
            }
            index -= 1
        }
        let first = days.first.map { " (the rates start on \($0.date))" } ?? ""
        throw HaulCoreError(.unknownValue, "no reference rate from \(from) to \(to) on or before \(date)\(first); import the ECB history with `haul rates import`")
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, for a predicate that is false then
    /// true along the array (binary search).
    public func partitioningIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// The irrevocable conversion rates of the currencies the euro replaced (units per euro), fixed
/// by Council Regulation on the day each country adopted the euro. From that day a sum in the old
/// currency is worth its amount divided by the rate, whatever the markets do; no daily rate is
/// published for it any more.
public enum IrrevocableEuroRate {
    /// One replaced currency's fixed rate, the day it took effect and the regulation that fixed it.
    public struct Rate: Sendable, Hashable {
        /// Units of the old currency for one euro.
        public var perEuro: FixedDecimal
        /// The day the rate took effect (the country's euro adoption).
        public var from: CalendarDate
        /// The regulation that fixed it.
        public var source: String
    }

    private static func rate(_ text: String, _ from: String, _ source: String) -> Rate {
        // Literal figures, read by the project's strict decimal reader (exact, never through Double).
        Rate(perEuro: try! DecimalText.parse(text, allowNegative: false), from: try! CalendarDate(parsing: from), source: source)
    }

    private static let founding = "Council Regulation (EC) No 2866/98, Article 1 (irrevocable conversion rates from 1 January 1999)"

    /// Every replaced currency, by ISO 4217 code.
    public static let rates: [String: Rate] = [
        "ATS": rate("13.7603", "1999-01-01", founding),
        "BEF": rate("40.3399", "1999-01-01", founding),
        "DEM": rate("1.95583", "1999-01-01", founding),
        "ESP": rate("166.386", "1999-01-01", founding),
        "FIM": rate("5.94573", "1999-01-01", founding),
        "FRF": rate("6.55957", "1999-01-01", founding),
        "IEP": rate("0.787564", "1999-01-01", founding),
        "ITL": rate("1936.27", "1999-01-01", founding),
        "LUF": rate("40.3399", "1999-01-01", founding),
        "NLG": rate("2.20371", "1999-01-01", founding),
        "PTE": rate("200.482", "1999-01-01", founding),
        "GRD": rate("340.750", "2001-01-01", "Council Regulation (EC) No 1478/2000 (Greece, from 1 January 2001)"),
        "SIT": rate("239.640", "2007-01-01", "Council Regulation (EC) No 1086/2006 (Slovenia, from 1 January 2007)"),
        "CYP": rate("0.585274", "2008-01-01", "Council Regulation (EC) No 1135/2007 (Cyprus, from 1 January 2008)"),
        "MTL": rate("0.429300", "2008-01-01", "Council Regulation (EC) No 1134/2007 (Malta, from 1 January 2008)"),
        "SKK": rate("30.1260", "2009-01-01", "Council Regulation (EC) No 694/2008 (Slovakia, from 1 January 2009)"),
        "EEK": rate("15.6466", "2011-01-01", "Council Regulation (EU) No 671/2010 (Estonia, from 1 January 2011)"),
        "LVL": rate("0.702804", "2014-01-01", "Council Regulation (EU) No 870/2013 (Latvia, from 1 January 2014)"),
        "LTL": rate("3.45280", "2015-01-01", "Council Regulation (EU) No 851/2014 (Lithuania, from 1 January 2015)"),
        "HRK": rate("7.53450", "2023-01-01", "Council Regulation (EU) 2022/1208 (Croatia, from 1 January 2023)"),
    ]

    /// The fixed rate of `code` on `date`, if the euro had replaced it by then.
    public static func rate(for code: String, on date: CalendarDate) -> Rate? {
        guard let rate = rates[code], rate.from <= date else { return nil }
        return rate
    }
}
