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

    @Test("a record's canonical text and SHA-256 match a hash computed independently (Python hashlib)")
    func recordKnownAnswer() {
        // python3: hashlib.sha256(text.encode()).hexdigest() of the text below.
        let record = RecordEvent(sequence: 2, kind: "payment", at: london("2021-07-01T10:00:00+01:00"), actor: "DC 4471",
                                 reason: "payment of 100000.00 GBP\n(first)", payload: "[]", previousHash: "abc", hash: "")
        #expect(EventChain.canonicalText(case: "C-1", record: record) == "haul-record/1\ncase=C-1\nsequence=2\nkind=payment\nat=2021-07-01T10:00:00+01:00\nzone=Europe/London\nactor=DC 4471\nreason=payment of 100000.00 GBP\\n(first)\nprevious=abc\npayload=[]\n")
        #expect(EventChain.hash(case: "C-1", record: record) == "da615ef96672e488f94e9f9ea18cd5251fafcd994950448a2e544eeffb10e905")
    }

    @Test("one chain per case: opening and intake are records 1 and 2, status moves follow, each linked and hashed")
    func append() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let register = temporary.register
        let opened = try register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        let first = try register.append(temporary.draft(.detained, "2020-06-18T07:20:00+01:00"), to: "C-1", recordedAt: Date())
        let second = try register.append(temporary.draft(.detentionOrder, "2020-06-19T10:00:00+01:00"), to: "C-1", recordedAt: Date())
        let records = try register.records(of: "C-1")
        #expect(opened.sequence == 1 && opened.previousHash == nil && opened.kind == "opened")
        #expect(records.map(\.kind) == ["opened", "intake"])
        #expect(first.sequence == 3 && first.previousHash == records[1].hash)
        #expect(second.sequence == 4 && second.previousHash == first.hash)
        #expect(second.hash == EventChain.hash(case: "C-1", event: second))
        let events = try register.events(of: "C-1")
        #expect(events == [first, second])
        #expect(EventChain.verify(case: "C-1", events: events, records: records) == nil)
        #expect(EventChain.verify(case: "C-1", events: events, records: records, head: first.hash) == nil)  // events appended since the head
        #expect(try register.audit().isClean)
    }

    @Test("a move loads the moves of its own seizures only; the index follows every move, and the audit names a row taken out of it")
    func movesBySeizure() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let register = temporary.register
        var operation = TemporaryRegister.sampleCase()
        let other = Item(id: "I-2", exhibit: "E/2", details: .cash(try CashItem(currency: .gbp, countedAmount: 5_000)))
        operation.seizures.append(Seizure(id: "S2", seizedAt: london("2020-06-19T09:00:00+01:00"), place: "Bath", power: .pocaCash, officer: "DC 2", agency: "A1", items: [other]))
        try register.open(operation, actor: "test", reason: "opened", recordedAt: Date())
        func move(_ items: [Identifier], _ to: State, _ at: String) throws -> StatusEvent {
            try register.append(EventDraft(at: london(at), items: items, from: nil, to: to, regime: "gb-eaw-cash", authority: nil, actor: "DC 1", note: nil),
                                to: "C-1", recordedAt: Date())
        }
        let first = try move(["I-1"], .detained, "2020-06-18T07:20:00+01:00")   // S1
        let second = try move(["I-2"], .detained, "2020-06-19T09:30:00+01:00")  // S2
        let both = try move(["I-1", "I-2"], .detentionOrder, "2020-06-20T10:00:00+01:00")
        #expect(try register.loadState("C-1", scope: .items(["I-1"])).history == [first, both])
        #expect(try register.loadState("C-1", scope: .seizures(["S2"])).history == [second, both])
        #expect(try register.loadState("C-1", scope: .seizuresOf(["I-2"])).history == [second, both])
        #expect(try register.loadState("C-1", scope: .all).history == [first, second, both])
        // A move naming an item the case does not have would escape the index: refused, nothing recorded.
        #expect { try move(["I-9"], .released, "2020-06-21T10:00:00+01:00") } throws: { ($0 as? StoreError)?.code == .notFound }
        #expect(try register.events(of: "C-1").count == 3)
        // The index as the trigger wrote it: one row per move and seizure it names items of.
        func rows() throws -> [String] {
            try register.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT sequence, seizure_id FROM event_seizures ORDER BY sequence, seizure_id").map { "\($0["sequence"] as Int) \($0["seizure_id"] as String)" }
            }
        }
        #expect(try rows() == ["\(first.sequence) S1", "\(second.sequence) S2", "\(both.sequence) S1", "\(both.sequence) S2"])
        #expect(try register.audit().isClean)
        // A row taken out behind Haul's back hides I-1's first move from its next one: named.
        try register.pool.write { try $0.execute(sql: "DELETE FROM event_seizures WHERE sequence = ?", arguments: [first.sequence]) }
        #expect(try register.loadState("C-1", scope: .items(["I-1"])).history == [both])
        let audit = try register.audit()
        #expect(audit.cases.first?.problem == "case C-1: its index of status moves by seizure differs from its chain (3 rows, 4 expected); the event_seizures table was edited")
    }

    @Test("events, records and the register log cannot be edited or deleted through SQL while the guards stand")
    func appendOnly() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        _ = try temporary.register.append(temporary.draft(.detained, "2020-06-18T07:20:00+01:00"), to: "C-1", recordedAt: Date())
        for sql in ["UPDATE events SET note = 'x'", "DELETE FROM events", "UPDATE records SET reason = 'x'", "DELETE FROM records",
                    "UPDATE register_log SET case_reference = 'x'", "DELETE FROM register_log"] {
            #expect(throws: DatabaseError.self) { try temporary.register.pool.write { try $0.execute(sql: sql) } }
        }
        #expect(try temporary.register.events(of: "C-1").count == 1)
        #expect(try temporary.register.records(of: "C-1").count == 2)
    }

    @Test("a plan runs against the case as it stands; a refused plan records nothing")
    func plannedRecords() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let register = temporary.register
        try register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        let person = Person(id: "P-1", role: .defendant, name: "A. Smith")
        let added = try register.record("C-1", kind: "person-added", actor: "DC 1", reason: "P-1 added", recordedAt: Date()) { operation in
            #expect(operation.people.isEmpty)
            return [.personAdded(person)]
        }
        #expect(added.records.map(\.sequence) == [3] && added.case.people == [person])
        // The same person again: the change does not fit the case, so nothing is written.
        #expect(throws: HaulCoreError.self) {
            try register.record("C-1", kind: "person-added", actor: "DC 1", reason: "again", recordedAt: Date()) { _ in [.personAdded(person)] }
        }
        struct Refused: Error {}
        #expect(throws: Refused.self) { try register.record("C-1", kind: "x", actor: "DC 1", reason: "x", recordedAt: Date()) { _ in throw Refused() } }
        #expect(try register.records(of: "C-1").count == 3)
        #expect(try register.loadState("C-1").people == [person])
        #expect(try register.audit().isClean)
    }

    @Test("the state row equals the replay of the records, and load gives it back exactly")
    func documentRoundTrip() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        var operation = TemporaryRegister.sampleCase()
        operation.seizures[0].items.append(Item(id: "I-3", exhibit: "E/3", details: .cryptoasset(try CryptoassetItem(asset: "ETH", units: FixedDecimal("0.123456789012345678")!))))
        operation.note = "a note\nwith two lines"
        try temporary.register.open(operation, actor: "test", reason: "opened", recordedAt: Date())
        let loaded = try temporary.register.load("C-1")
        #expect(CaseLedger.stateOnly(loaded) == operation)
        #expect(try CaseLedger.replay("C-1", records: loaded.records) == operation)
        let located = try temporary.register.locate(item: "I-3")
        #expect(located.case == "C-1" && located.item == "I-3" && located.matched == nil)
        #expect { try temporary.register.open(operation, actor: "test", reason: "again", recordedAt: Date()) } throws: { ($0 as? StoreError)?.code == .alreadyExists }
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

    @Test("a case file of 50 items with statuses (a 1.2 export) imports as parts of 40 whose replay equals the rows: statuses are never stored")
    func importedStatuses() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        var operation = TemporaryRegister.sampleCase()
        let status = ItemStatus(state: .detained, since: london("2020-06-18T07:20:00+01:00"))
        operation.seizures[0].items = (1...50).map { index in
            Item(id: try! Identifier("I-\(index)"), exhibit: try! Identifier("E/\(index)"), details: .nonValued(.phone), status: status)
        }
        try temporary.register.importCase(operation, recordedAt: Date())
        let records = try temporary.register.records(of: "C-1")
        #expect(records.count == 2)   // the case without its items and 40 items, then 10 items
        let audit = try temporary.register.audit()
        #expect(audit.isClean, "\(audit)")
        #expect(try temporary.register.loadState("C-1").items.allSatisfy { $0.status == nil })
    }

    @Test("figures or statuses slipped into the state rows behind Haul's back are not what the records say")
    func forgedRows() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        #expect(try temporary.register.audit().isClean)
        try temporary.register.pool.write { db in
            let document = try String.fetchOne(db, sql: "SELECT document FROM case_state")!
            var skeleton = try JSONDecoder().decode(Case.self, from: Data(document.utf8))
            skeleton.confiscation = ConfiscationFigures(decidedOn: try CalendarDate(parsing: "2021-01-01"), benefit: Money(1, .gbp),
                                                        availableAmount: Money(1, .gbp), recoverableAmount: Money(1, .gbp))
            try db.execute(sql: "UPDATE case_state SET document = ?", arguments: [String(decoding: try JSONEncoder().encode(skeleton), as: UTF8.self)])
        }
        let audit = try temporary.register.audit()
        #expect(!audit.isClean)
        #expect(audit.cases.first?.problem?.contains("the case header") == true, "\(audit)")
    }

    @Test("a register that does not exist is not created by a reader")
    func missingRegister() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        let path = temporary.folder.appendingPathComponent("absent.sqlite").path
        #expect { try SQLiteRegister(path: path, create: false) } throws: { ($0 as? StoreError)?.code == .notFound }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a plan adding no items (which makes no record) is refused with invalid, not a crash, and the chain is as it was")
    func emptyPlan() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        let before = try temporary.register.load("C-1")
        #expect {
            try temporary.register.record("C-1", kind: "items-added", actor: "test", reason: "nothing", recordedAt: Date()) { _ in [.itemsAdded([])] }
        } throws: { ($0 as? StoreError)?.code == .invalid }
        #expect(try temporary.register.load("C-1") == before)
    }

    @Test("a new register and its WAL are readable and writable by their owner alone, whatever the umask")
    func ownerOnly() throws {
        let previous = umask(0o022)
        defer { umask(previous) }
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        for suffix in ["", "-wal"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: temporary.register.path + suffix)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "register\(suffix)")
        }
    }

    @Test("a new register's file has 16 KiB pages, read back from SQLite's header; reopening it keeps them")
    func pageSize() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        // SQLite's file format keeps the page size in the header's bytes 16-17, big-endian
        // (sqlite.org/fileformat.html, 1.3.2): read from the file itself, not asked of SQLite.
        func headerPageSize() throws -> Int {
            let header = try Data(contentsOf: temporary.folder.appendingPathComponent("register.sqlite")).prefix(18)
            return Int(header[16]) << 8 | Int(header[17])
        }
        #expect(try headerPageSize() == 16_384)
        #expect(try temporary.register.pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 16_384)
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        let reopened = try SQLiteRegister(path: temporary.register.path)
        #expect(try reopened.load("C-1").reference == "C-1")
        #expect(try headerPageSize() == 16_384)
    }

    @Test("a register written by a later Haul is refused, naming both versions, and left as it was")
    func newerRegister() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.pool.write { try $0.execute(sql: "UPDATE haul_register SET format = \(SQLiteRegister.format + 1), written_by = '0.9.0'") }
        let path = temporary.register.path
        #expect {
            try SQLiteRegister(path: path)
        } throws: { error in
            let message = (error as? StoreError)?.message ?? ""
            return (error as? StoreError)?.code == .newerFormat && message.contains("Haul 0.9.0") && message.contains("format \(SQLiteRegister.format + 1)")
                && message.contains("Haul \(SQLiteRegister.haulVersion)")
        }
        #expect(try temporary.register.pool.read { try Int.fetchOne($0, sql: "SELECT format FROM haul_register") } == SQLiteRegister.format + 1)
    }
}
