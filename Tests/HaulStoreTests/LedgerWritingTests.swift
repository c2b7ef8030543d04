import Foundation
@testable import HaulStore
import Testing

@Suite("The ledger's written forms")
struct LedgerWritingTests {
    /// The register's recorded-at text is written by hand; Foundation's ISO 8601 formatter (the
    /// form the register has always stored) is the independent judge, milliseconds truncated.
    @Test("recorded-at timestamps read as ISO 8601 UTC to the millisecond", arguments: [
        0.0, 1_609_754_400.0, 1_609_754_400.4999, 1_796_215_924.483, 951_782_400.999_9, 4_102_444_799.001,
    ])
    func timestamps(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        // The formatter is given the whole millisecond the register keeps, nudged a tenth of a
        // microsecond up so that binary rounding cannot put it just below.
        let truncated = Date(timeIntervalSince1970: (seconds * 1000).rounded(.down) / 1000 + 0.000_000_1)
        #expect(LedgerWriting.timestamp(date) == formatter.string(from: truncated))
    }

    @Test("a timestamp is the documented shape: 2021-01-04T10:00:00.000Z")
    func timestampShape() {
        // 1,609,754,400 s after 1970-01-01T00:00Z is 2021-01-04T10:00Z (18,631 days and 10 hours).
        #expect(LedgerWriting.timestamp(Date(timeIntervalSince1970: 1_609_754_400.25)) == "2021-01-04T10:00:00.250Z")
        // 29 February 2000, 23:59:59.999 UTC: a leap day at the end of a day.
        #expect(LedgerWriting.timestamp(Date(timeIntervalSince1970: 951_868_799.999_5)) == "2000-02-29T23:59:59.999Z")
    }
}
