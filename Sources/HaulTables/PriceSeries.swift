import Foundation
import HaulCore
import HaulValuation

/// A published price series read for `haul tables import`: a monthly metals series (`Date,Price`,
/// as the World Bank's Pink Sheet is carried by the public-domain `datasets/gold-prices`) or a
/// daily close (a date column and a price column, as in Coin Metrics' `time,PriceUSD` or an
/// exchange's candles `timestamp,…,close`). Pure: text in, rows or problems out.
public enum PriceSeries {
    /// How often the series gives a figure.
    public enum Frequency: String, Sendable, CaseIterable {
        /// One figure a month (a month's average): dated the first of its month.
        case monthly
        /// One figure a day (a day's close): dated that day.
        case daily
    }

    /// One figure of the series.
    public struct Row: Sendable, Hashable {
        /// The date the row takes effect in a table: the day, or the first of the month.
        public var effectiveFrom: CalendarDate
        /// The price as the file gives it: greater than zero and no larger than a table price may be (the file names no currency).
        public var price: FixedDecimal
        /// The line of the file it came from (1 is the header).
        public var line: Int
        /// The period as the series names it: `2020-06` for a month, `2020-06-18` for a day.
        public var period: String
    }

    /// What a series file held.
    public struct Contents: Sendable {
        /// The figures kept, in date order; never empty.
        public var rows: [Row]
        /// The columns read, as the header names them.
        public var dateColumn: String
        /// The price column read, as the header names it.
        public var priceColumn: String
        /// Lines with no price (an empty cell), left out and counted.
        public var emptyPrices: Int
        /// Lines dated before `from` (or before 1900, the first year Haul's tables hold), left out and counted.
        public var earlier: Int
        /// Lines dated after `until`, left out and counted.
        public var later: Int
    }

    /// The names looked for when no column is named, in order (compared without case).
    public static let dateNames = ["date", "time", "timestamp", "day", "month"]
    /// The price column names looked for when none is named, in order (compared without case).
    public static let priceNames = ["price", "priceusd", "close", "value"]

    /// Reads `text`, a CSV with a header row. `dateColumn` and `priceColumn` name the columns
    /// (without regard to case); when nil, the first of `dateNames` and `priceNames` present is
    /// used. Every problem is returned with its line and column; rows only when there are none.
    public static func read(_ text: String, file: String, frequency: Frequency, dateColumn: String? = nil, priceColumn: String? = nil,
                            from: CalendarDate? = nil, until: CalendarDate? = nil) -> Result<Contents, TableFailure> {
        let records: [CSVRecord]
        do { records = try CSVReader.parse(text) } catch {
            return .failure(TableFailure([TableProblem(file: file, line: error.line, column: error.column, message: error.message)]))
        }
        guard let header = records.first else {
            return .failure(TableFailure([TableProblem(file: file, line: 1, column: 0, message: "the file is empty; it needs a header row naming a date and a price column")]))
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        func column(_ given: String?, _ candidates: [String], _ what: String) -> Result<Int, TableFailure> {
            if let given {
                guard let found = names.firstIndex(where: { $0.caseInsensitiveCompare(given) == .orderedSame }) else {
                    return .failure(TableFailure([TableProblem(file: file, line: 1, column: 0,
                                                              message: "no column named '\(given)' for the \(what); the header has \(names.joined(separator: ", "))")]))
                }
                return .success(found)
            }
            for candidate in candidates {
                if let found = names.firstIndex(where: { $0.lowercased() == candidate }) { return .success(found) }
            }
            return .failure(TableFailure([TableProblem(file: file, line: 1, column: 0,
                                                      message: "no \(what) column (looked for \(candidates.joined(separator: ", "))); name it with --\(what)-column")]))
        }
        let dateIndex: Int, priceIndex: Int
        switch (column(dateColumn, dateNames, "date"), column(priceColumn, priceNames, "price")) {
        case (.success(let date), .success(let price)): (dateIndex, priceIndex) = (date, price)
        case (.failure(let failure), _), (_, .failure(let failure)): return .failure(failure)
        }
        var problems: [TableProblem] = []
        func problem(_ line: Int, _ index: Int, _ message: String) {
            problems.append(TableProblem(file: file, line: line, column: index + 1, message: message))
        }
        var rows: [Row] = []
        var seen: [CalendarDate: Int] = [:]
        var empty = 0, earlier = 0, later = 0
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard record.fields.count > max(dateIndex, priceIndex) else {
                problem(record.line, 0, "the row has \(record.fields.count) fields; the header has \(names.count)")
                continue
            }
            let dateText = record.fields[dateIndex].trimmingCharacters(in: .whitespaces)
            // A well-formed date before the years Haul holds is left out, as one before --from is.
            if let year = Int(dateText.prefix(4)), dateText.count >= 7, dateText.dropFirst(4).first == "-", year < CalendarDate.supportedYears.lowerBound {
                earlier += 1
                continue
            }
            guard let (effective, period) = date(dateText, frequency) else {
                problem(record.line, dateIndex, frequency == .monthly
                        ? "'\(dateText)' is not a month (YYYY-MM, or a date YYYY-MM-DD)"
                        : "'\(dateText)' is not a date (YYYY-MM-DD, optionally followed by a time)")
                continue
            }
            if let from, effective < from {
                earlier += 1
                continue
            }
            if let until, effective > until {
                later += 1
                continue
            }
            let priceText = record.fields[priceIndex].trimmingCharacters(in: .whitespaces)
            if priceText.isEmpty {
                empty += 1
                continue
            }
            guard let price = try? DecimalText.parse(priceText, allowNegative: false), price > 0 else {
                problem(record.line, priceIndex, "'\(priceText)' is not a positive plain decimal (no separators or currency signs)")
                continue
            }
            if price > TableLoader.maximumValue {
                problem(record.line, priceIndex, "\(priceText) is beyond the \(DecimalText.plain(TableLoader.maximumValue)) a table price may be")
                continue
            }
            if let first = seen[effective] {
                problem(record.line, dateIndex, "\(period) appears twice; first on line \(first)")
                continue
            }
            seen[effective] = record.line
            rows.append(Row(effectiveFrom: effective, price: price, line: record.line, period: period))
        }
        if problems.isEmpty && rows.isEmpty {
            problems.append(TableProblem(file: file, line: 1, column: 0, message: "no prices in the file"))
        }
        guard problems.isEmpty else { return .failure(TableFailure(problems)) }
        return .success(Contents(rows: rows.sorted { $0.effectiveFrom < $1.effectiveFrom }, dateColumn: names[dateIndex], priceColumn: names[priceIndex], emptyPrices: empty, earlier: earlier, later: later))
    }

    /// The date a row takes effect and the period it names: a month (`YYYY-MM`, or a date in a
    /// monthly series) is dated its first day; a day's close its day.
    static func date(_ text: String, _ frequency: Frequency) -> (CalendarDate, String)? {
        let day = text.prefix(10)
        switch frequency {
        case .monthly:
            if text.count == 7, let first = try? CalendarDate(parsing: text + "-01") { return (first, text) }
            // A date in a monthly series names its month (the day must still be a real one).
            guard text.count == 10, (try? CalendarDate(parsing: String(day))) != nil,
                  let first = try? CalendarDate(parsing: String(day.prefix(7)) + "-01") else { return nil }
            return (first, String(day.prefix(7)))
        case .daily:
            // A time may follow the date ("2020-06-18 00:00:00", "2020-06-18T00:00:00.000Z").
            guard text.count == 10 || (text.count > 10 && [" ", "T"].contains(text[text.index(text.startIndex, offsetBy: 10)])),
                  let date = try? CalendarDate(parsing: String(day)) else { return nil }
            return (date, String(day))
        }
    }
}

/// Problems that stop a file being read, each with its file, line and column.
public struct TableFailure: Error, Sendable {
    /// Every problem found, in the order of the file.
    public var problems: [TableProblem]

    /// A failure made of the problems found.
    ///
    /// - Parameter problems: Every problem found, in the order of the file.
    public init(_ problems: [TableProblem]) { self.problems = problems }
}

/// Writes rows in the layout of Haul's tables (`valuations/`), quoting a field that needs it.
public enum TableWriter {
    /// One CSV field as RFC 4180 writes it.
    public static func field(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// A line of fields.
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
