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
        public var date: CalendarDate
        /// Units of each currency for one euro.
        public var rates: [String: Decimal]
        /// Where the day was read from.
        public var source: String
        public var line: Int

        public init(date: CalendarDate, rates: [String: Decimal], source: String, line: Int) {
            self.date = date
            self.rates = rates
            self.source = source
            self.line = line
        }
    }

    /// A conversion as applied: 1 `from` = `rate` `to`, from the day `date`.
    public struct Quote: Sendable, Hashable {
        public var from: Currency
        public var to: Currency
        public var rate: Decimal
        public var date: CalendarDate
        public var isDerived: Bool
        public var source: String
        public var line: Int
    }

    /// Days sorted by date, one per date (a later-added day replaces an earlier one).
    public private(set) var days: [Day] = []

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

    /// The last day on or before `date` that has both currencies (the euro always).
    public func quote(from: Currency, to: Currency, on date: CalendarDate) throws(HaulCoreError) -> Quote {
        if from == to {
            throw HaulCoreError(.inconsistent, "no conversion is needed from \(from) to itself")
        }
        var index = days.partitioningIndex { $0.date > date } - 1
        while index >= 0 {
            let day = days[index]
            let fromRate: Decimal? = from.code == "EUR" ? 1 : day.rates[from.code]
            let toRate: Decimal? = to.code == "EUR" ? 1 : day.rates[to.code]
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
