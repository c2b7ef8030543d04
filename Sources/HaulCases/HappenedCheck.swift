import Foundation
import HaulCore

/// Only what has happened is recorded: the one place the use cases judge a date against the
/// clock, and an order against the conviction it follows.
enum HappenedCheck {
    /// Clocks of two machines may be a little apart: a time up to a minute ahead is taken as now.
    static let grace = clockGraceSeconds

    /// Refuses `at` when it is after `now`: "`subject` is dated …, in the future; record `noun` once it has happened".
    static func refuse(_ at: ZonedDateTime, now: Date, _ subject: String, _ noun: String) throws {
        guard at.epochSeconds <= Int(now.timeIntervalSince1970) + grace else {
            throw CaseworkError(.notAllowed, "\(subject) is dated \(at.iso8601), in the future; record \(noun) once it has happened")
        }
    }

    /// Refuses a seizure dated after `now`.
    static func refuse(_ seizure: Seizure, now: Date) throws { try refuse(seizure.seizedAt, now: now, "seizure \(seizure.id)", "a seizure") }

    /// The calendar day `now` falls on in the jurisdiction's own time zone.
    static func today(_ now: Date, in jurisdiction: Jurisdiction) throws -> CalendarDate {
        try ZonedDateTime(epochSeconds: Int(now.timeIntervalSince1970), zone: jurisdiction.timeZone).date
    }

    /// A confiscation order follows a conviction (in England and Wales, POCA 2002 s.6(2)(a)): one
    /// dated before the conviction recorded is a mistake in one date or the other.
    static func refuseOrderBeforeConviction(_ order: OrderDetails?, _ convicted: CalendarDate?, in jurisdiction: Jurisdiction) throws {
        guard let order, let convicted, order.madeOn < convicted else { return }
        let law = jurisdiction == .englandAndWales ? "POCA 2002 s.6(2)(a): an order follows a conviction" : "an order follows a conviction"
        throw CaseworkError(.notAllowed, "the order \(order.reference) made on \(order.madeOn) would come before the conviction on \(convicted) (\(law)); correct one date or the other")
    }
}
