import Foundation
import HaulCore
import HaulTestSupport
import Testing

/// The register's fast item reader must give exactly what JSONDecoder gives, on items of every
/// kind and every optional part, and step aside (nil) for anything it does not know.
@Suite("Stored items read without JSONDecoder")
struct StoredItemDecodingTests {
    static var encoder: JSONEncoder { Fixtures.sortedKeysEncoder }
    static func items() -> [Item] { Fixtures.itemsWithEveryPart() }

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

/// A record's payload read with its items taken by the fast reader must give exactly the changes
/// `JSONDecoder` gives, and step aside (nil) for anything it does not know.
@Suite("Record payloads read with their items apart from JSONDecoder")
struct RecordPayloadDecodingTests {
    static func decoded(_ payload: String) throws -> [CaseChange] {
        try JSONDecoder().decode([CaseChange].self, from: Data(payload.utf8))
    }

    /// Seizures holding the items with every optional part, a seizure with none, and text in the
    /// seizure's own fields that looks like the JSON the reader looks for.
    static func seizures() -> [Seizure] {
        let items = Fixtures.itemsWithEveryPart()
        var first = Fixtures.fullCase().seizures[0]
        first.items = Array(items[0..<7])
        first.place = #"Flat 2 "items":[{"id":"X"}], {Bristol} \ [end"#
        var second = first
        second.id = "S9"
        second.warrantReference = #"W/1 ]}"#
        second.items = Array(items[7...])
        var empty = first
        empty.id = "S10"
        empty.items = []
        return [first, empty, second]
    }

    @Test("each change that holds items, alone and together with others, reads equal to JSONDecoder, by the fast path")
    func equalToJSONDecoder() throws {
        var operation = Fixtures.fullCase()
        operation.seizures = Self.seizures()
        operation.people = [Person(id: "P-1", role: .defendant, name: #"Jo "]} Avery"#)]
        let items = Fixtures.itemsWithEveryPart()
        let changes: [[CaseChange]] = [
            [.opened(CaseLedger.stateOnly(operation))],
            [.baseline(CaseLedger.stateOnly(operation))],
            [.itemsAdded(Self.seizures())],
            [.itemsReplaced(items)],
            [.itemsAdded(Self.seizures()), .personAdded(Person(id: "P-2", role: .claimant, name: "A [claimant]")), .itemsReplaced(Array(items[2...4])),
             .paymentAdded(Payment(paidOn: Fixtures.day("2021-02-01"), amount: Money(decimal("100.00"), .gbp)))],
        ]
        for change in changes {
            let payload = try CaseLedger.payload(change)
            let fast = try #require(RecordPayloadDecoding.changes(payload), "the fast path stepped aside for \(payload.prefix(80))")
            #expect(fast == (try Self.decoded(payload)))
            #expect(fast == change)
        }
    }

    @Test("a payload without items, or with an item the fast reader does not know, is left to JSONDecoder, and reads the same")
    func stepsAside() throws {
        let people = try CaseLedger.payload([.personAdded(Person(id: "P-1", role: .defendant, name: "Jo"))])
        #expect(RecordPayloadDecoding.changes(people) == nil)
        // An item carrying a member this Haul does not know: JSONDecoder ignores it, the fast reader steps aside.
        let payload = try CaseLedger.payload([.itemsAdded(Self.seizures())])
        let unknown = payload.replacingOccurrences(of: #""exhibit":"#, with: #""future":[1,{"a":"]"}],"exhibit":"#)
        #expect(unknown != payload)
        #expect(RecordPayloadDecoding.changes(unknown) == nil)
        let record = RecordEvent(sequence: 2, kind: "items", at: Fixtures.time("2021-01-04T09:00:00Z"), actor: "test", reason: "test",
                                 payload: unknown, previousHash: nil, hash: "")
        #expect(try record.changes() == (try Self.decoded(unknown)))
        #expect(try record.changes() == [.itemsAdded(Self.seizures())])
        // Shapes the fast path must step aside for, or read exactly as JSONDecoder does: an escaped
        // key, a key twice, a member beside "_0", spaces and line breaks, null for the items.
        let shapes = [
            payload.replacingOccurrences(of: #""items":"#, with: #""it\u0065ms":"#),
            payload.replacingOccurrences(of: #""items":["#, with: #""items":[],"items":["#),
            payload.replacingOccurrences(of: #"{"_0":"#, with: #"{"extra":1,"_0":"#),
            payload.replacingOccurrences(of: ",", with: " ,\n ").replacingOccurrences(of: ":", with: " : "),
            try CaseLedger.payload([.itemsAdded(Self.seizures())]).replacingOccurrences(of: #""items":[]"#, with: #""items":null"#),
        ]
        for shape in shapes {
            let slow = try? Self.decoded(shape)
            let fast = RecordPayloadDecoding.changes(shape)
            #expect(fast == nil || fast == slow, "\(shape.prefix(120))")
        }
        // Text that is not JSON at all gives nil here and JSONDecoder's error from the record.
        #expect(RecordPayloadDecoding.changes(#"[{"itemsAdded":{"_0":[{"items":[{"id""#) == nil)
    }
}
