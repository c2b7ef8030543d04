import Foundation
import HaulCore
import HaulStore
import HaulTestSupport
import Testing

/// The register's fast item reader must give exactly what JSONDecoder gives, on items of every
/// kind and every optional part, and step aside (nil) for anything it does not know.
@Suite("Stored items read without JSONDecoder")
struct StoredItemDecodingTests {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // as the register writes them
        return encoder
    }()

    static func items() -> [Item] {
        var items = Fixtures.fullCase().items
        // Every optional part at least once: status with a deadline, earlier valuations,
        // interests, escapes and non-ASCII text, a count of tablets, an unvalued item.
        items[0].status = ItemStatus(state: .detained, since: Fixtures.time("2020-06-18T07:20:00+01:00"),
                                     nextDeadline: Deadline(due: Fixtures.time("2020-06-22T07:20:00+01:00"), rule: "gb-cash-initial-detention",
                                                            source: "POCA 2002 s.295(1) \"48 hours\" \\ test", isVerified: true))
        items[0].earlierValuations = [EarlierValuation(replacedOn: Fixtures.day("2021-01-05"), reason: "lab purity 61 % ✓ — \u{1F600}",
                                                       valuations: [Fixtures.valuation(.wholesale, "1", "2", "3")])]
        items[0].interests = [Interest(person: "P-1", kind: .owner, percent: decimal("50")),
                              Interest(person: "P-2", kind: .charge, amount: Money(decimal("5000.00"), .gbp), note: "finance\nline two"),
                              Interest(person: "P-3", kind: .claim)]
        items[1].description = "tab\tnew\nline \"quoted\" back\\slash / slash é"
        return items
    }

    @Test("equal to JSONDecoder on every item, and the fast path is the one taken")
    func equalToJSONDecoder() throws {
        let items = Self.items()
        #expect(items.count == 12)
        for item in items {
            let json = try Self.encoder.encode(item)
            let slow = try JSONDecoder().decode(Item.self, from: json)
            let fast = json.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
            #expect(fast != nil, "the fast reader gave up on \(item.id)")
            #expect(fast == slow, "\(item.id)")
            #expect(fast == item, "\(item.id)")
        }
    }

    @Test("members in another order, white space between them, null for an absent value: read as JSONDecoder reads them")
    func otherLayouts() throws {
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted]   // members in the order they are encoded, indented
        for item in Self.items() {
            let json = try pretty.encode(item)
            let fast = json.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
            #expect(fast != nil, "the fast reader gave up on \(item.id)")
            #expect(fast == (try JSONDecoder().decode(Item.self, from: json)), "\(item.id)")
        }
        let withNulls = #"{ "valuations" : [ ] , "id" : "I-1", "description": null, "status": null, "exhibit":"E-1", "details":{"nonValued":{"_0":"phone"}} }"#
        let fast = Array(withNulls.utf8).withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
        let slow = try JSONDecoder().decode(Item.self, from: Data(withNulls.utf8))
        #expect(fast != nil && fast == slow)
    }

    @Test("anything it does not know gives nil, for JSONDecoder to read", arguments: [
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1","id":"I-2","valuations":[]}"#,
        #"{"details":{"nonValued":{"_0":"phone","_1":"x"}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"nonValued":{"_0":"phone"},"drug":{"_0":{}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","valuations":[]}"#,
        // Required by Item.init(from:) (and by an earlier valuation's synthesized form): JSONDecoder refuses the row.
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1"}"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1","valuations":null}"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"earlierValuations":[{"reason":"r","replacedOn":"2020-01-01"}],"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        // Numbers JSON does not allow.
        #"{"details":{"vehicle":{"_0":{"condition":"good","make":"Ford","model":"Focus","vehicleClass":"mainstream","year":+2019}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"vehicle":{"_0":{"condition":"good","make":"Ford","model":"Focus","vehicleClass":"mainstream","year":02019}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"jewellery":{"_0":{"fineness":750.5.5,"isGemSet":false,"mass":{"unit":"g","value":1},"metal":"gold"}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"jewellery":{"_0":{"fineness":1-2,"isGemSet":false,"mass":{"unit":"g","value":1},"metal":"gold"}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1","valuations":[],"newField":1}"#,
        #"{"details":{"spaceship":{"_0":{}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1","valuations":[]} trailing"#,
        #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"not an identifier!","id":"I-1","valuations":[]}"#,
        #"{"details":{"cash":{"_0":{"currency":"GBP","countedAmount":-5}}},"exhibit":"E/1","id":"I-1","valuations":[]}"#,
    ])
    func unknownShapes(_ text: String) {
        let bytes = Array(text.utf8)
        #expect(bytes.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) } == nil)
    }

    @Test("bytes that are not UTF-8 inside a string give nil, as JSONDecoder refuses them, rather than a repaired string")
    func invalidUTF8() throws {
        var bytes = Array(#"{"description":"ab"#.utf8) + [0xC3, 0x28] + Array(#"","details":{"nonValued":{"_0":"phone"}},"exhibit":"E/1","id":"I-1","valuations":[]}"#.utf8)
        #expect(bytes.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) } == nil)
        #expect(throws: (any Error).self) { try JSONDecoder().decode(Item.self, from: Data(bytes)) }
        // The same with a valid two-byte letter reads.
        bytes[18] = 0xC3
        bytes[19] = 0xA9
        let item = try #require(bytes.withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) })
        #expect(item.description == "abé")
    }

    @Test("a minimal item: missing optional arrays read as empty, as the Codable reader has it")
    func minimalItem() throws {
        let text = #"{"details":{"nonValued":{"_0":"phone"}},"exhibit":"E\/1","id":"I-1","valuations":[]}"#
        let fast = Array(text.utf8).withUnsafeBytes { StoredItemDecoding.item(fromJSON: $0) }
        let slow = try JSONDecoder().decode(Item.self, from: Data(text.utf8))
        #expect(fast == slow)
        #expect(fast?.exhibit == "E/1" && fast?.interests == [] && fast?.earlierValuations == [])
    }
}
