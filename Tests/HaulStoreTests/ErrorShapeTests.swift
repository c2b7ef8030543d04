import Foundation
import HaulCore
import HaulStore
import Testing

/// The one error shape (code, message, location, cause) and its rule for personal data: a
/// description, which is what a log prints, never carries a value the caller marked personal.
@Suite("One error shape across modules")
struct ErrorShapeTests {
    @Test("a personal value is in the message and the unredacted description, and nowhere in the description")
    func personalDataLeftOut() {
        let name = "Adebayo Okonkwo-Smith"
        let error = StoreError(.duplicate, "person '\(personal: name)' is already on case \("C-1")")
        #expect(error.message == "person 'Adebayo Okonkwo-Smith' is already on case C-1")
        #expect(error.description == "duplicate: person '<personal data>' is already on case C-1")
        #expect(error.unredactedDescription == "duplicate: person 'Adebayo Okonkwo-Smith' is already on case C-1")
        #expect(!"\(error)".contains("Okonkwo"))
        #expect(!String(reflecting: error.redactedMessage).contains("Okonkwo"))
    }

    @Test("a lookup by registration number keeps the number out of the error's description")
    func registerLookupRedacts() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        try temporary.register.open(TemporaryRegister.sampleCase(), actor: "test", reason: "opened", recordedAt: Date())
        do {
            _ = try temporary.register.locate(item: "ZZ99 ZZZ")
            Issue.record("an unknown registration was found")
        } catch {
            #expect(error.code == .notFound)
            #expect(error.message.hasPrefix("no item 'ZZ99 ZZZ' in the register"))
            #expect(error.description.hasPrefix("not-found: no item '<personal data>' in the register"))
            #expect(!error.description.contains("ZZ99"))
        }
    }

    @Test("a database failure keeps SQLite's own error as its cause, shown whole only when unredacted")
    func databaseCause() throws {
        let temporary = try TemporaryRegister()
        defer { temporary.cleanUp() }
        // SQLite's header, then nothing SQLite can read (its page size among it): Haul's own check
        // lets it through to SQLite, which refuses it with SQLITE_NOTADB ("file is not a database").
        let path = temporary.folder.appendingPathComponent("not-a-register.sqlite").path
        let damaged = "SQLite format 3\u{0}" + String(repeating: "not a database file\n", count: 64)
        try damaged.write(toFile: path, atomically: false, encoding: .utf8)
        do {
            _ = try SQLiteRegister(path: path, mustExist: true)
            Issue.record("a text file opened as a register")
        } catch {
            #expect(error.code == .database)
            let cause = try #require(error.cause)
            #expect("\(cause)".contains("file is not a database"))
            #expect(error.unredactedDescription.contains("file is not a database"))
            // A foreign cause's text may quote values, so the description names only its type.
            #expect(error.description.hasSuffix("(because of a DatabaseError)"))
            // Nothing was written to the file that was refused.
            #expect(try String(contentsOfFile: path, encoding: .utf8) == damaged)
        }
    }

    @Test("the model's and the register's errors are caught as any HaulError with its code, message and location")
    func oneShape() {
        let errors: [any Error] = [
            HaulCoreError(.invalidDate, "'2020-02-30' is not a date", at: SourceLocation(file: "sheet.csv", line: 4, column: 2)),
            StoreError(.notFound, "no case C-9 in the register"),
            StoreError(.database, "the register could not be read (r.sqlite)", at: SourceLocation(file: "r.sqlite")),
        ]
        let shapes = errors.compactMap { $0 as? any HaulError }.map { "\($0.code)|\($0.location?.description ?? "-")|\($0.message)" }
        #expect(shapes == [
            "invalid-date|sheet.csv:4:2|'2020-02-30' is not a date",
            "not-found|-|no case C-9 in the register",
            "database|r.sqlite|the register could not be read (r.sqlite)",
        ])
    }

    @Test("each module's error is a type of its own: a catch for the register's does not catch the model's")
    func distinctTypes() {
        let model: any Error = HaulCoreError(.notFound, "no such thing")
        let register: any Error = StoreError(.notFound, "no such thing")
        #expect(!(model is StoreError) && model is HaulCoreError)
        #expect(register is StoreError && !(register is HaulCoreError))
        #expect((model as? any HaulError)?.code == (register as? any HaulError)?.code)
    }

    @Test("errors are equal by code, message and location; the cause does not count")
    func equality() {
        struct Underneath: Error {}
        let plain = StoreError(.database, "the register could not be read (r.sqlite)")
        #expect(plain == StoreError(.database, "the register could not be read (r.sqlite)", cause: Underneath()))
        #expect(plain != StoreError(.database, "the register could not be read (s.sqlite)"))
        #expect(plain != StoreError(.forbidden, "the register could not be read (r.sqlite)"))
        // Marking a value personal makes another message: its redacted form differs.
        #expect(StoreError(.notFound, "no item '\(personal: "AB12 CDE")'") != StoreError(.notFound, "no item 'AB12 CDE'"))
    }
}

@Suite("Quoted values left out of a file's messages")
struct QuotedValueRedactionTests {
    @Test("quoted values go, apostrophes inside words and names stay whole, the schema's own words stay", arguments: [
        ("'AB12 CDE' is not a date", "'<personal data>' is not a date"),
        ("the case's events: 'O'Brien' is not an officer's number", "the case's events: '<personal data>' is not an officer's number"),
        ("Element 'vin': [facet 'pattern'] The value 'WDB46327IOQ312345' is not accepted by the pattern '[A-HJ-NPR-Z0-9]{17}'.",
         "Element 'vin': [facet 'pattern'] The value '<personal data>' is not accepted by the pattern '[A-HJ-NPR-Z0-9]{17}'."),
        ("an unclosed 'quote stays as it is", "an unclosed 'quote stays as it is"),
        ("'' is empty", "'<personal data>' is empty"),
        // `type ` as the end of another word is not libxml2's keyword: the value is still left out.
        ("price_type: unknown price_type 'street-deal'", "price_type: unknown price_type '<personal data>'"),
    ])
    func redaction(message: String, redacted: String) {
        #expect(ErrorMessage(quotingValues: message).redacted == redacted)
        #expect(ErrorMessage(quotingValues: message).text == message)
    }
}
