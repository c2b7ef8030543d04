import Foundation
@testable import HaulPostgres
import HaulStore
import Testing

/// Reading a register URL as libpq reads one (no server needed).
@Suite("PostgreSQL register URLs")
struct PostgresLocationTests {
    func temporaryFolder() throws -> String {
        var template = Array((FileManager.default.temporaryDirectory.path + "/haul-pg-XXXXXX").utf8CString)
        let made = try #require(mkdtemp(&template))
        return String(cString: made)
    }

    @Test("host, port, user, database and sslmode are read; the password never appears in the description")
    func parts() throws {
        let location = try PostgresLocation(url: "postgresql://fi.jones:s%40cret%3A1@db.unit.example:6543/haul_unit?sslmode=require", environment: [:])
        #expect(location.host == "db.unit.example" && location.port == 6543 && location.user == "fi.jones" && location.database == "haul_unit")
        #expect(location.tls == .require)
        // Percent-encoded once in the URL, decoded once: "s@cret:1".
        #expect(location.password == "s@cret:1")
        #expect(location.description == "postgres://fi.jones@db.unit.example:6543/haul_unit")
        #expect(!location.description.contains("cret"))
        // libpq's defaults: port 5432, the database named after the user, sslmode prefer.
        let plain = try PostgresLocation(url: "postgres://ann@localhost", environment: [:])
        #expect(plain.port == 5432 && plain.database == "ann" && plain.tls == .prefer && plain.password == nil)
    }

    @Test("a URL that cannot be used is refused, naming what is wrong and never the password")
    func refused() throws {
        for (url, words) in [("postgres://a:topsecret@h/db?sslmode=sometimes", "sslmode"), ("postgres://a:topsecret@h/db?host=/run/postgresql", "socket"),
                             ("postgres://a:topsecret@h/db?application_name=x", "application_name")] {
            #expect { try PostgresLocation(url: url, environment: [:]) } throws: { error in
                let message = (error as? StoreError)?.message ?? ""
                return message.contains(words) && !message.contains("topsecret")
            }
        }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "mysql://a@h/db", environment: [:]) }
    }

    @Test("the password comes from the URL, else PGPASSWORD, else the first matching ~/.pgpass line (libpq's rules)")
    func passwords() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/pgpass"
        try """
            # comments and lines for other servers are passed over
            other.example:5432:*:ann:wrong
            db.example:5432:unit:ann:first\\:match
            *:*:*:ann:fallback
            """.write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        let environment = ["PGPASSFILE": file]
        #expect(try PostgresLocation(url: "postgres://ann@db.example/unit", environment: environment).password == "first:match")
        #expect(try PostgresLocation(url: "postgres://ann@db.example/other", environment: environment).password == "fallback")
        #expect(try PostgresLocation(url: "postgres://ann@db.example/unit", environment: environment.merging(["PGPASSWORD": "env"]) { $1 }).password == "env")
        #expect(try PostgresLocation(url: "postgres://ann:url@db.example/unit", environment: environment.merging(["PGPASSWORD": "env"]) { $1 }).password == "url")
        // A password file others can read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        #expect(try PostgresLocation(url: "postgres://ann@db.example/unit", environment: environment).password == nil)
    }

    @Test("the schema splits into statements at semicolons outside quotes, dollar-quoted bodies and comments")
    func statements() {
        let parts = SQLSession.statements("""
            CREATE TABLE a (x TEXT DEFAULT ';');  -- a comment; with a semicolon
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; PERFORM 2; END $$;
            SELECT 'it''s; fine'
            """)
        #expect(parts.count == 3, "\(parts)")
        #expect(parts[1].hasSuffix("END $$"))
        #expect(parts[2] == "SELECT 'it''s; fine'")
        // The whole shipped schema: every statement is one the server can take alone.
        let schema = SQLSession.statements(PostgresSchema.ledger)
        #expect(schema.count > 60)
        #expect(schema.allSatisfy { !$0.hasPrefix(";") && !$0.isEmpty })
    }
}
