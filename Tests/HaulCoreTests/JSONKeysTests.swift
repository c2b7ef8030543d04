import Foundation
@testable import HaulCore
import HaulTestSupport
import Testing

/// A payload that repeats a key in one object means one thing to Foundation's decoder (the
/// first) and another to PostgreSQL's jsonb (the last): such a record is not read at all.
@Suite("repeated JSON keys")
struct JSONKeysTests {
    @Test("a key repeated within one object is found, escapes resolved; the same key in different objects is not", arguments: [
        (#"{"a":1,"b":{"a":2}}"#, nil as String?),
        (#"[{"k":1},{"k":2}]"#, nil),
        (#"{"a":1,"a":2}"#, "a"),
        (#"{"x":{"y":[{"z":1,"w":{"z":1}}]},"v":{"_0":1,"\u005f0":2}}"#, "_0"),
        (#"{"a":"\"a\":1","b":"a","a":2}"#, "a"),
        (#"{"😀":1,"\ud83d\ude00":2}"#, "😀"),
        (#"{"a/b":1,"a\/b":2}"#, "a/b"),
        (#"{"a":{"b":1},"c":{"b":1,"b":2}}"#, "b"),
        (#"{"a":["a"]}"#, nil),
        (#"{"a":["b"],"b":1}"#, nil),
    ])
    func repeated(text: String, expected: String?) {
        #expect(JSONKeys.firstRepeated(in: text) == expected)
    }

    @Test("an object of many keys is judged by a set: 100,000 distinct keys pass at once, one repeated among them is found")
    func manyKeys() {
        let distinct = "{" + (0..<100_000).map { "\"k\($0)\":1" }.joined(separator: ",") + "}"
        let clock = ContinuousClock()
        let took = clock.measure { #expect(JSONKeys.firstRepeated(in: distinct) == nil) }
        #expect(took < .seconds(5), "\(took)")
        #expect(JSONKeys.firstRepeated(in: String(distinct.dropLast()) + ",\"k77777\":2}") == "k77777")
        // The 17th key, the first judged by the set, against the first.
        #expect(JSONKeys.firstRepeated(in: "{" + (0..<16).map { "\"k\($0)\":1" }.joined(separator: ",") + ",\"k0\":2}") == "k0")
    }

    @Test("Haul's own payloads repeat no key, and a record that repeats one is refused by name")
    func records() throws {
        let operation = Fixtures.fullCase()
        let at = Fixtures.time("2021-03-01T10:00:00Z")
        let record = try RecordEvent.draft(kind: "imported", at: at, actor: "DC 1", reason: "r", changes: [.baseline(operation), .itemsReplaced(operation.items)])
        #expect(JSONKeys.firstRepeated(in: record.payload) == nil)
        #expect(try record.changes().count == 2)
        // The item list twice under "_0" (the second could be an edited one: Foundation reads the first, jsonb the last).
        let items = String(record.payload.split(separator: "\"itemsReplaced\":{\"_0\":", maxSplits: 1)[1].dropLast(3))
        var doubled = record
        doubled.payload = "[{\"itemsReplaced\":{\"_0\":\(items),\"_0\":\(items)}}]"
        #expect(throws: HaulCoreError.self) { try doubled.changes() }
        do { _ = try doubled.changes() } catch { #expect(error.message.contains("repeats the key '_0' within one object")) }
    }
}
