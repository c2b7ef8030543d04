import Foundation
import HaulCore

/// Computes when a period ends, by the counting rules of DESIGN.md, in the anchor's time zone.
///
/// - "N days beginning with D": D is day one; the period ends at the end of D + N − 1.
/// - "N days after D", and "N days starting with the day after D": end at the end of D + N.
/// - "N months (years) beginning with D": ends at the end of the day before the corresponding
///   date N months on (10 Jan + 6 months → end of 9 Jul); where that month has no corresponding
///   date (31 Aug + 6 months), at the end of that month's last day.
/// - "N hours": N × 3600 seconds after the anchor instant.
/// - "N working hours": only hours of working days count (weekends, bank holidays and
///   Christmas Day are skipped whole, in the zone's local days).
///
/// ```swift
/// let due = try DeadlineCalculator.end(of: 6, .months, counting: .beginningWith, from: orderTime, calendar: nil)
/// ```
public enum DeadlineCalculator {
    /// The period's end: the same instant for every `Counting` of hours; for days, months and
    /// years, the end of the day the counting names, in the anchor's zone.
    public static func end(of amount: Int, _ unit: PeriodUnit, counting: Counting, from anchor: ZonedDateTime,
                           calendar: WorkingCalendar?) throws -> ZonedDateTime {
        switch unit {
        case .hours:
            return try ZonedDateTime(epochSeconds: anchor.epochSeconds + amount * 3600, zone: anchor.zone)
        case .workingHours:
            guard let calendar else { throw ProceedingsError(.noRulePack, "working hours need a bank-holiday calendar") }
            return try workingHours(amount, from: anchor, calendar: calendar)
        case .days:
            let last = anchor.date.dayNumber + amount + (counting.excludesAnchorDay ? 0 : -1)
            return try ZonedDateTime.endOfDay(CalendarDate(dayNumber: last), zone: anchor.zone)
        case .months, .years:
            let months = unit == .years ? amount * 12 : amount
            if counting == .startingDayAfter {
                // "N months starting with the day after D" begins with D + 1: counted as beginning with it.
                let next = try ZonedDateTime.endOfDay(CalendarDate(dayNumber: anchor.date.dayNumber + 1), zone: anchor.zone)
                return try end(of: amount, unit, counting: .beginningWith, from: next, calendar: calendar)
            }
            let start = anchor.date
            let total = start.year * 12 + (start.month - 1) + months
            let year = total / 12, month = total % 12 + 1
            let lastDay: CalendarDate
            if counting == .after {
                // N months after D: the corresponding date, or the month's last day when none.
                lastDay = try CalendarDate(year: year, month: month, day: min(start.day, CalendarDate.daysIn(month: month, year: year)))
            } else if start.day <= CalendarDate.daysIn(month: month, year: year) {
                lastDay = try CalendarDate(dayNumber: CalendarDate(year: year, month: month, day: start.day).dayNumber - 1)
            } else {
                lastDay = try CalendarDate(year: year, month: month, day: CalendarDate.daysIn(month: month, year: year))
            }
            return try ZonedDateTime.endOfDay(lastDay, zone: anchor.zone)
        }
    }

    /// Counts `hours` forward from `anchor`, skipping non-working days whole.
    static func workingHours(_ hours: Int, from anchor: ZonedDateTime, calendar: WorkingCalendar) throws -> ZonedDateTime {
        var remaining = hours * 3600
        var current = anchor
        var instant = anchor.epochSeconds
        while true {
            // The next local midnight after `current`.
            let nextDay = try CalendarDate(dayNumber: current.date.dayNumber + 1)
            let midnight = try ZonedDateTime.endOfDay(current.date, zone: anchor.zone).epochSeconds + 1
            if try calendar.isWorkingDay(current.date) {
                let available = midnight - instant
                if remaining <= available {
                    return try ZonedDateTime(epochSeconds: instant + remaining, zone: anchor.zone)
                }
                remaining -= available
            }
            instant = midnight
            current = try ZonedDateTime(epochSeconds: midnight, zone: anchor.zone)
            precondition(current.date == nextDay, "local midnight arithmetic went astray")
        }
    }
}

extension Counting {
    /// Whether the anchor's own day is left out of a period of days or months.
    var excludesAnchorDay: Bool { self == .after || self == .startingDayAfter }
}
