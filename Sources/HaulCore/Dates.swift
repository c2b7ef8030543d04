import Foundation

/// A calendar day with no time or zone (ISO 8601 `YYYY-MM-DD`), years 1900–2199.
///
/// Legal periods are counted in days of a jurisdiction's zone, so this type never converts
/// through an instant.
public struct CalendarDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year, 1900 to 2199.
    public let year: Int
    /// The month, 1 (January) to 12.
    public let month: Int
    /// The day of the month, from 1 to the month's last day.
    public let day: Int

    /// The years a date may fall in, 1900 to 2199; any other year is refused.
    public static let supportedYears = 1900...2199

    /// Creates a date, checking that it exists in the Gregorian calendar.
    ///
    /// - Parameters:
    ///   - year: The year, within `supportedYears`.
    ///   - month: The month, 1 to 12.
    ///   - day: The day of the month.
    /// - Throws: `HaulCoreError` (`invalidDate`) when the year is outside `supportedYears` or the
    ///   month or day does not exist.
    public init(year: Int, month: Int, day: Int) throws(HaulCoreError) {
        guard Self.supportedYears.contains(year) else {
            throw HaulCoreError(.invalidDate, "year \(year) is outside \(Self.supportedYears.lowerBound)–\(Self.supportedYears.upperBound)")
        }
        guard (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day) else {
            throw HaulCoreError(.invalidDate, String(format: "%04d-%02d-%02d is not a calendar date", year, month, day))
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init(parsing text: String) throws(HaulCoreError) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
              let day = Self.number(bytes[8..<10]) else {
            throw HaulCoreError(.invalidDate, "'\(text)' is not a date: use YYYY-MM-DD, e.g. 2020-06-18")
        }
        try self.init(year: year, month: month, day: day)
    }

    /// The date as ISO 8601 `YYYY-MM-DD`, e.g. `2020-06-18`.
    public var description: String {
        guard (0...9999).contains(year) else { return Self.digits(year, 4) + "-" + Self.digits(month, 2) + "-" + Self.digits(day, 2) }
        // Ten ASCII bytes written in place: dates are written for every item of an export and
        // every warning of a valuation, and five small strings joined cost several times more.
        let (y, m, d) = (UInt8(year / 1000), UInt8(year / 100 % 10), UInt8(year / 10 % 10))
        let bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (
            48 + y, 48 + m, 48 + d, 48 + UInt8(year % 10), 45,
            48 + UInt8(month / 10), 48 + UInt8(month % 10), 45, 48 + UInt8(day / 10), 48 + UInt8(day % 10))
        return withUnsafeBytes(of: bytes) { String(decoding: $0, as: UTF8.self) }
    }

    /// `value` zero-padded to `width` digits (String(format:) goes through CFString: slow in exports).
    package static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Days since 1970-01-01 (negative before): for counting days between dates.
    public var dayNumber: Int { ZonedDateTime.daysFromCivil(year, month, day) }

    /// The date `dayNumber` days after 1970-01-01.
    public init(dayNumber: Int) throws(HaulCoreError) {
        // H. Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        try self.init(year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month: month, day: day)
    }

    /// Whether `lhs` is an earlier day than `rhs`.
    ///
    /// - Parameters:
    ///   - lhs: A date.
    ///   - rhs: The date to compare it with.
    /// - Returns: True when `lhs` comes before `rhs`.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Whether `year` is a leap year in the Gregorian calendar (every fourth year, but not
    /// centuries unless divisible by 400).
    ///
    /// - Parameter year: The year.
    /// - Returns: True for a leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in a month, with February's 29 in a leap year.
    ///
    /// - Parameters:
    ///   - month: The month, 1 to 12.
    ///   - year: The year, for February.
    /// - Returns: 28 to 31.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

/// An instant as it was seen where it happened: local date and time, the UTC offset in force,
/// and the IANA zone (`Europe/London`). Stored this way so a file shows the local time an
/// officer wrote down and still pins the instant exactly.
///
/// ```swift
/// let t = try ZonedDateTime(parsing: "2020-06-18T06:30:00+01:00", zone: "Europe/London")
/// t.date            // 2020-06-18
/// t.iso8601         // "2020-06-18T06:30:00+01:00"
/// ```
public struct ZonedDateTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The local date where the instant happened.
    public let date: CalendarDate
    /// The local hour, 0 to 23.
    public let hour: Int
    /// The minute, 0 to 59.
    public let minute: Int
    /// The second, 0 to 59 (no leap seconds).
    public let second: Int
    /// Seconds east of UTC.
    public let offsetSeconds: Int
    /// IANA time-zone name.
    public let zone: String

    /// Parses `YYYY-MM-DDThh:mm:ss(Z|±hh:mm)` and checks that the offset is the one `zone` had
    /// at that moment.
    public init(parsing text: String, zone: String) throws(HaulCoreError) {
        let bytes = Array(text.utf8)
        let invalid = HaulCoreError(.invalidDate, "'\(text)' is not a date-time: use YYYY-MM-DDThh:mm:ss with Z or an offset, e.g. 2020-06-18T06:30:00+01:00")
        guard bytes.count == 20 || bytes.count == 25, bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = CalendarDate.number(bytes[11..<13]), let minute = CalendarDate.number(bytes[14..<16]),
              let second = CalendarDate.number(bytes[17..<19]) else { throw invalid }
        let date = try CalendarDate(parsing: String(decoding: bytes[0..<10], as: UTF8.self))
        var offset = 0
        if bytes.count == 20 {
            guard bytes[19] == UInt8(ascii: "Z") else { throw invalid }
        } else {
            guard bytes[19] == UInt8(ascii: "+") || bytes[19] == UInt8(ascii: "-"), bytes[22] == UInt8(ascii: ":"),
                  let offsetHours = CalendarDate.number(bytes[20..<22]), let offsetMinutes = CalendarDate.number(bytes[23..<25]),
                  offsetHours <= 14, offsetMinutes < 60 else { throw invalid }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[19] == UInt8(ascii: "-") ? -1 : 1)
        }
        try self.init(date: date, hour: hour, minute: minute, second: second, offsetSeconds: offset, zone: zone)
    }

    /// Builds a value and checks the offset against the zone's rules.
    public init(date: CalendarDate, hour: Int, minute: Int, second: Int, offsetSeconds: Int, zone: String) throws(HaulCoreError) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw HaulCoreError(.invalidDate, String(format: "%02d:%02d:%02d is not a time of day", hour, minute, second))
        }
        guard let timeZone = TimeZone(identifier: zone) else {
            throw HaulCoreError(.unknownValue, "'\(zone)' is not an IANA time zone (e.g. Europe/London)")
        }
        self.date = date
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetSeconds = offsetSeconds
        self.zone = zone
        let expected = timeZone.secondsFromGMT(for: instant)
        guard expected == offsetSeconds else {
            throw HaulCoreError(.inconsistent, "\(iso8601) has offset \(Self.offsetText(offsetSeconds)), but \(zone) was at \(Self.offsetText(expected)) then")
        }
    }

    /// The local date and time in `zone` of an instant given as seconds since 1970 (UTC).
    public init(epochSeconds: Int, zone: String) throws(HaulCoreError) {
        guard let timeZone = TimeZone(identifier: zone) else {
            throw HaulCoreError(.unknownValue, "'\(zone)' is not an IANA time zone (e.g. Europe/London)")
        }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
        let local = epochSeconds + offset
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)  // floor division
        let secondOfDay = local - days * 86_400
        try self.init(date: CalendarDate(dayNumber: days), hour: secondOfDay / 3600, minute: (secondOfDay % 3600) / 60,
                      second: secondOfDay % 60, offsetSeconds: offset, zone: zone)
    }

    /// The last second (23:59:59) of `date` in `zone`: when a period "ends at the end of" a day.
    public static func endOfDay(_ date: CalendarDate, zone: String) throws(HaulCoreError) -> ZonedDateTime {
        let midnightGuess = date.dayNumber * 86_400 + 86_399
        guard let timeZone = TimeZone(identifier: zone) else {
            throw HaulCoreError(.unknownValue, "'\(zone)' is not an IANA time zone (e.g. Europe/London)")
        }
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnightGuess)))
        return try ZonedDateTime(epochSeconds: midnightGuess - offset, zone: zone)
    }

    /// Seconds since 1970-01-01T00:00:00Z, exact.
    public var epochSeconds: Int {
        Self.daysFromCivil(date.year, date.month, date.day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
    }

    /// The instant as a Foundation `Date`.
    public var instant: Date { Date(timeIntervalSince1970: TimeInterval(epochSeconds)) }

    /// `2020-06-18T06:30:00+01:00` (or `Z` for a zero offset).
    public var iso8601: String {
        date.description + "T" + CalendarDate.digits(hour, 2) + ":" + CalendarDate.digits(minute, 2) + ":" + CalendarDate.digits(second, 2) + (offsetSeconds == 0 ? "Z" : Self.offsetText(offsetSeconds))
    }

    /// The ISO 8601 text and the zone, e.g. `2020-06-18T06:30:00+01:00 [Europe/London]`.
    public var description: String { "\(iso8601) [\(zone)]" }

    /// Whether `lhs` is an earlier instant than `rhs`, whatever zones they were seen in.
    ///
    /// - Parameters:
    ///   - lhs: An instant.
    ///   - rhs: The instant to compare it with.
    /// - Returns: True when `lhs` happened before `rhs`.
    public static func < (lhs: ZonedDateTime, rhs: ZonedDateTime) -> Bool { lhs.epochSeconds < rhs.epochSeconds }

    static func offsetText(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        return (seconds < 0 ? "-" : "+") + CalendarDate.digits(magnitude / 3600, 2) + ":" + CalendarDate.digits((magnitude % 3600) / 60, 2)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}

/// Only what has happened is recorded, but the clocks of two machines may be a little apart: a
/// time up to this many seconds ahead of now is taken as now (every "in the future" check).
package let clockGraceSeconds = 60
