import Foundation
import HaulCore
@testable import HaulStore
import HaulTestSupport
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

    /// A case of 1,001 items over three seizures (25 full records of forty and one of one), with
    /// each item's stored JSON as the rows hold it.
    static func bodyCase() throws -> (skeleton: Case, full: Case, rows: [(Int, String)]) {
        let full = Fixtures.caseOfSeizures([600, 1, 400])
        var rows: [(Int, String)] = []
        for (position, seizure) in full.seizures.enumerated() {
            for item in seizure.items { rows.append((position, try LedgerWriting.itemJSON(item))) }
        }
        var skeleton = full
        for index in skeleton.seizures.indices { skeleton.seizures[index].items = [] }
        return (skeleton, full, rows)
    }

    @Test("an imported body's records, made beside the reader: each once, in sequence, linked and hashed, replaying to the case")
    func importedBodyRecords() throws {
        let (skeleton, full, rows) = try Self.bodyCase()
        var stored: [RecordEvent] = []
        let result = try LedgerWriting.importedBody(skeleton, items: rows.count, actor: "test", link: (3, "ab"), recordedAt: Date(timeIntervalSince1970: 1_609_754_400),
                                                    seizures: { full.seizures },
                                                    forEachItemRow: { visit in for (seizure, document) in rows { try visit(seizure, document) } },
                                                    insert: { stored.append($0) })
        // 1,001 items, forty to a record: 26 records, numbered on from the link.
        #expect(stored.map(\.sequence) == Array(4...29))
        #expect(stored.first?.previousHash == "ab")
        for (earlier, later) in zip(stored, stored.dropFirst()) { #expect(later.previousHash == earlier.hash) }
        for record in stored { #expect(record.hash == EventChain.hash(case: skeleton.reference, record: record)) }
        #expect(result.first == stored.first?.hash)
        #expect(result.last.0 == 29 && result.last.1 == stored.last?.hash)
        // The judge: the records replay to the case, every item in its seizure and in order.
        let replayed = try CaseLedger.replay(skeleton.reference, records: stored)
        #expect(replayed.seizures.map { $0.items.map(\.id) } == full.seizures.map { $0.items.map(\.id) })
    }

    @Test("an imported body whose store fails part-way, or whose rows stop, throws that error and leaves no thread behind")
    func importedBodyFailures() throws {
        struct Refused: Error, Equatable { var at: Int }
        let (skeleton, full, rows) = try Self.bodyCase()
        for failingRecord in [1, 5, 26] {
            var inserted = 0
            #expect(throws: Refused(at: failingRecord)) {
                _ = try LedgerWriting.importedBody(skeleton, items: rows.count, actor: "test", link: (0, nil), recordedAt: Date(),
                                                   seizures: { full.seizures },
                                                   forEachItemRow: { visit in for (seizure, document) in rows { try visit(seizure, document) } },
                                                   insert: { _ in
                                                       inserted += 1
                                                       if inserted == failingRecord { throw Refused(at: failingRecord) }
                                                   })
            }
        }
        for failingRow in [1, 300, 1_001] {
            #expect(throws: Refused(at: failingRow)) {
                _ = try LedgerWriting.importedBody(skeleton, items: rows.count, actor: "test", link: (0, nil), recordedAt: Date(),
                                                   seizures: { full.seizures },
                                                   forEachItemRow: { visit in
                                                       for (index, row) in rows.enumerated() {
                                                           if index + 1 == failingRow { throw Refused(at: failingRow) }
                                                           try visit(row.0, row.1)
                                                       }
                                                   },
                                                   insert: { _ in })
            }
        }
    }
}
