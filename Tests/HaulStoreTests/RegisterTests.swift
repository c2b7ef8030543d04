import Foundation
import GRDB
import HaulCore
@testable import HaulStore
import Testing

func london(_ text: String) -> ZonedDateTime { try! ZonedDateTime(parsing: text, zone: "Europe/London") }

struct TemporaryRegister {
    let folder: URL
    let register: SQLiteRegister

    init() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-register-XXXXXX").utf8CString)
        folder = URL(fileURLWithPath: String(cString: try #require(mkdtemp(&template))))
        register = try SQLiteRegister(path: folder.appendingPathComponent("register.sqlite").path)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }

    static func sampleCase(_ reference: Identifier = "C-1") -> Case {
        let item = Item(id: "I-1", exhibit: "E/1", details: .cash(try! CashItem(currency: .gbp, countedAmount: 30_000)))
        let seizure = Seizure(id: "S1", seizedAt: london("2020-06-18T07:20:00+01:00"), place: "Bristol", power: .pocaCash, officer: "DC 1", agency: "A1", items: [item])
        return Case(reference: reference, jurisdiction: .englandAndWales, openedOn: try! CalendarDate(parsing: "2020-06-18"),
                    agencies: [Agency(id: "A1", name: "Agency", role: .seizing)], seizures: [seizure])
    }

    func draft(_ to: State, _ at: String, note: String? = nil) -> EventDraft {
        EventDraft(at: london(at), items: ["I-1"], from: nil, to: to, regime: "gb-eaw-cash", authority: nil, actor: "DC 1", note: note)
    }
}

@Suite("The register and its event chain")
struct RegisterTests {
    @Test("the canonical text and its SHA-256 match a hash computed independently (Python hashlib)")
    func knownAnswer() {
        let event = StatusEvent(sequence: 1, at: london("2020-06-18T07:20:00+01:00"), items: ["I-1", "I-2"], from: .seized, to: .detained,
                                regime: "gb-eaw-cash", authority: nil, actor: "DC 4471", note: "line one\nline two \\ end", previousHash: nil, hash: "")
        #expect(EventChain.canonicalText(case: "C-1", event: event) == "haul-event/1\ncase=C-1\nsequence=1\nat=2020-06-18T07:20:00+01:00\nzone=Europe/London\nitems=I-1 I-2\nfrom=seized\nto=detained\nregime=gb-eaw-cash\nauthority=\nactor=DC 4471\nnote=line one\\nline two \\\\ end\nprevious=\n")
        #expect(EventChain.hash(case: "C-1", event: event) == "481aae0b5d7c873760226ed8a38c0a5ce424a1807c9cc6afc0b3ccddd0d85607")
    }

    @Test("appended events are numbered, linked and hashed; the chain verifies")
    func append() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let register = temporary.register
        try register.open(TemporaryRegister.sampleCase(), reason: "opened", recordedAt: Date())
        let first = try register.append(temporary.draft(.detained, "2020-06-18T07:20:00+01:00"), to: "C-1", recordedAt: Date())
        let second = try register.append(temporary.draft(.detentionOrder, "2020-06-19T10:00:00+01:00"), to: "C-1", recordedAt: Date())
        #expect(first.sequence == 1 && first.previousHash == nil)
        #expect(second.sequence == 2 && second.previousHash == first.hash)
        #expect(second.hash == EventChain.hash(case: "C-1", event: second))
        let events = try register.events(of: "C-1")
        #expect(events == [first, second])
        #expect(EventChain.verify(case: "C-1", events: events) == nil)
        #expect(EventChain.verify(case: "C-1", events: events, head: first.hash) == nil)  // events appended since the head
    }

    @Test("events cannot be edited or deleted through SQL while the guards stand")
    func appendOnly() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), reason: "opened", recordedAt: Date())
        _ = try temporary.register.append(temporary.draft(.detained, "2020-06-18T07:20:00+01:00"), to: "C-1", recordedAt: Date())
        #expect(throws: DatabaseError.self) { try temporary.register.pool.write { try $0.execute(sql: "UPDATE events SET note = 'x'") } }
        #expect(throws: DatabaseError.self) { try temporary.register.pool.write { try $0.execute(sql: "DELETE FROM events") } }
        #expect(try temporary.register.events(of: "C-1").count == 1)
    }

    @Test("every kind of tampering is named: altered, removed, reordered, cut off the end")
    func tampering() throws {
        for tamper in ["UPDATE events SET note = 'edited' WHERE sequence = 2",
                       "DELETE FROM events WHERE sequence = 2",
                       "UPDATE events SET sequence = 99 WHERE sequence = 2; UPDATE events SET sequence = 2 WHERE sequence = 3; UPDATE events SET sequence = 3 WHERE sequence = 99",
                       "DELETE FROM events WHERE sequence >= 3"] {
            let temporary = try TemporaryRegister()
            defer { temporary.cleanUp() }
            let register = temporary.register
            try register.open(TemporaryRegister.sampleCase(), reason: "opened", recordedAt: Date())
            var last: StatusEvent?
            for (index, state) in [State.detained, .detentionOrder, .detentionOrder, .forfeitureApplication].enumerated() {
                last = try register.append(temporary.draft(state, "2020-06-\(18 + index)T10:00:00+01:00", note: "move \(index + 1)"), to: "C-1", recordedAt: Date())
            }
            try register.pool.write { db in
                try db.execute(sql: "DROP TRIGGER events_are_append_only_update; DROP TRIGGER events_are_append_only_delete")
                try db.execute(sql: tamper)
            }
            let problem = EventChain.verify(case: "C-1", events: try register.events(of: "C-1"), head: last!.hash)
            switch tamper.prefix(6) {
            case "UPDATE" where tamper.contains("note"): #expect(problem?.kind == .altered && problem?.sequence == 2)
            case "DELETE" where tamper.contains("= 2"): #expect(problem?.kind == .missing && problem?.sequence == 2)
            case "UPDATE": #expect(problem?.kind == .reordered && problem?.sequence == 2)
            default:
                #expect(problem?.kind == .truncated && problem?.message.contains("ends at event 2") == true)
                #expect(EventChain.verify(case: "C-1", events: try register.events(of: "C-1")) == nil, "without the head, truncation is invisible")
            }
        }
    }

    @Test("documents are versioned; loading gives the latest with its history")
    func versions() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let register = temporary.register
        var operation = TemporaryRegister.sampleCase()
        try register.open(operation, reason: "opened", recordedAt: Date())
        operation.seizures[0].items.append(Item(id: "I-2", exhibit: "E/2", details: .nonValued(.phone)))
        try register.save(operation, reason: "item I-2 seized", recordedAt: Date())
        let event = try register.append(temporary.draft(.detained, "2020-06-18T07:20:00+01:00"), to: "C-1", recordedAt: Date())
        let loaded = try register.load("C-1")
        #expect(loaded.items.map(\.id) == ["I-1", "I-2"])
        #expect(loaded.history == [event])
        #expect(try register.list().map(\.version) == [2])
        #expect(try register.locate(item: "I-2") == ("C-1", "I-2"))
        #expect { try register.open(operation, reason: "again", recordedAt: Date()) } throws: { ($0 as? StoreError)?.code == .alreadyExists }
    }

    @Test("the stored document keeps every field exactly (JSON round trip)")
    func documentRoundTrip() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        var operation = TemporaryRegister.sampleCase()
        operation.seizures[0].items.append(Item(id: "I-3", exhibit: "E/3", details: .cryptoasset(try CryptoassetItem(asset: "ETH", units: Decimal(string: "0.123456789012345678")!))))
        operation.note = "a note\nwith two lines"
        try temporary.register.open(operation, reason: "opened", recordedAt: Date())
        #expect(try temporary.register.load("C-1") == operation)
    }

    @Test("import refuses a history whose chain does not verify, and keeps nothing")
    func importBrokenChain() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        var operation = TemporaryRegister.sampleCase()
        var event = StatusEvent(sequence: 1, at: london("2020-06-18T07:20:00+01:00"), items: ["I-1"], from: .seized, to: .detained, actor: "x", previousHash: nil, hash: "")
        event.hash = EventChain.hash(case: "C-1", event: event)
        event.note = "changed after hashing"
        operation.history = [event]
        #expect { try temporary.register.importCase(operation, recordedAt: Date()) } throws: { ($0 as? StoreError)?.code == .brokenChain }
        #expect(try temporary.register.list().isEmpty)
    }
}
