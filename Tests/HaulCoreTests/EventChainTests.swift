import Crypto
import Foundation
@testable import HaulCore
import HaulTestSupport
import Testing

/// The record's canonical text is built in one pass and hashed as it is built, searching eight
/// bytes at a time; the reference here is the plain definition (each field escaped with string
/// replacement, then hashed whole), so the two must agree wherever the special bytes fall.
@Suite("Event chain: a record's canonical text")
struct EventChainTests {
    /// The definition, spelled out: a version line, then `key=value` lines with `\`, LF and CR escaped.
    static func reference(_ reference: Identifier, _ record: RecordEvent) -> String {
        let fields: [(String, String?)] = [
            ("case", reference.value), ("sequence", String(record.sequence)), ("kind", record.kind),
            ("at", record.at.iso8601), ("zone", record.at.zone), ("actor", record.actor), ("reason", record.reason),
            ("previous", record.previousHash), ("payload", record.payload),
        ]
        return "haul-record/1\n" + fields.map { "\($0.0)=\(EventChain.escape($0.1))\n" }.joined()
    }

    static func record(payload: String, reason: String = "imported") -> RecordEvent {
        RecordEvent(sequence: 7, kind: "imported", at: try! ZonedDateTime(parsing: "2021-01-04T09:00:00Z", zone: "Europe/London"),
                    actor: "test", reason: reason, payload: payload, previousHash: "ab", hash: "")
    }

    @Test("every special byte at every place in a word, and runs of them, hash as the definition says")
    func specialBytesAnywhere() throws {
        let reference: Identifier = "SW-2020-0417"
        var generator = SeededGenerator(state: 0x5EED)
        let alphabet = Array("abc{}\":,é€\\\n\r".unicodeScalars)
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 300] {
            for _ in 0..<40 {
                let payload = String(String.UnicodeScalarView((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }))
                let record = Self.record(payload: payload, reason: String(payload.reversed()))
                let expected = Self.reference(reference, record)
                #expect(EventChain.canonicalText(case: reference, record: record) == expected)
                let digest = SHA256.hash(data: Data(expected.utf8)).map { String(format: "%02x", $0) }.joined()
                #expect(EventChain.hash(case: reference, record: record) == digest)
            }
        }
    }

    @Test("a payload of 100,000 bytes with one backslash near its end is escaped there and nowhere else")
    func longPayload() throws {
        let reference: Identifier = "SW-2020-0417"
        let payload = String(repeating: "x", count: 99_990) + "\\" + String(repeating: "y", count: 9)
        let text = EventChain.canonicalText(case: reference, record: Self.record(payload: payload))
        #expect(text.hasSuffix("payload=" + String(repeating: "x", count: 99_990) + "\\\\" + String(repeating: "y", count: 9) + "\n"))
    }
}
