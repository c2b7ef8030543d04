import Foundation
@testable import HaulStore
import Testing

@Suite("The ledger's written forms")
struct LedgerWritingTests {
    /// The register's recorded-at text is written by hand; Foundation's ISO 8601 formatter (the
    /// form the register has always stored) is the independent judge, on the same instants:
    /// sub-millisecond parts either side of a half, and the ends of a second, a day and a year.
    @Test("recorded-at timestamps read as ISO 8601 UTC to the nearest millisecond", arguments: [
        0.0, 1_609_754_400.0, 1_609_754_400.4999, 1_609_754_400.0004, 1_609_754_400.0006, 1_796_215_924.483, 951_782_400.999_9,
        951_868_799.999_7, 1_609_459_199.999_6, 4_102_444_799.001, 1_700_000_000.123_456,
    ])
    func timestamps(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        #expect(LedgerWriting.timestamp(date) == formatter.string(from: date))
    }

    @Test("a timestamp is the documented shape: 2021-01-04T10:00:00.000Z")
    func timestampShape() {
        // 1,609,754,400 s after 1970-01-01T00:00Z is 2021-01-04T10:00Z (18,631 days and 10 hours).
        #expect(LedgerWriting.timestamp(Date(timeIntervalSince1970: 1_609_754_400.25)) == "2021-01-04T10:00:00.250Z")
        // 29 February 2000, 23:59:59.999 UTC: a leap day at the end of a day; 0.3 ms later the
        // nearest millisecond is the next day's first.
        #expect(LedgerWriting.timestamp(Date(timeIntervalSince1970: 951_868_799.999_2)) == "2000-02-29T23:59:59.999Z")
        #expect(LedgerWriting.timestamp(Date(timeIntervalSince1970: 951_868_799.999_8)) == "2000-03-01T00:00:00.000Z")
    }
}
