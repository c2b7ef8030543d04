import Foundation
import HaulStore
import PostgresNIO

/// Where a PostgreSQL register is: read from a `postgres://` or `postgresql://` URL the way
/// libpq reads one (host, port, user, database, `sslmode`), with the password from the URL,
/// else `PGPASSWORD`, else `~/.pgpass` (or `PGPASSFILE`).
///
/// The password is kept out of ``description``, so a message that names the register never
/// shows it.
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The URL's `sslmode`, as libpq spells it: `disable` (no TLS); `allow` and `prefer` (TLS when
    /// the server offers it; `prefer` is the default); `require` (TLS, the certificate not checked);
    /// `verify-ca` (TLS, the certificate chain checked); `verify-full` (TLS, the chain and the
    /// host name checked).
    public enum TLSMode: String, Sendable {
        /// No TLS.
        case disable
        /// TLS when the server offers it.
        case allow
        /// TLS when the server offers it; the default.
        case prefer
        /// TLS, the certificate not checked.
        case require
        /// TLS, the certificate chain checked.
        case verifyCA = "verify-ca"
        /// TLS, the certificate chain and the host name checked.
        case verifyFull = "verify-full"
    }

    /// The server's host name or address (`localhost` when the URL names none); Haul connects over TCP only.
    public var host: String
    /// The server's TCP port (5432 when the URL names none).
    public var port: Int
    /// The user to connect as: from the URL, else `PGUSER`, else `USER`, else `postgres`.
    public var user: String
    /// The database holding the register (the user's name when the URL names none).
    public var database: String
    /// Whether and how the connection uses TLS (`prefer` when the URL has no `sslmode`).
    public var tls: TLSMode
    var password: String?

    /// True when `text` names a PostgreSQL register rather than a SQLite file.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads `url`.
    ///
    /// - Parameters:
    ///   - url: `postgres://[user[:password]@]host[:port][/database][?sslmode=…]`.
    ///   - environment: Where `PGPASSWORD`, `PGPASSFILE`, `PGUSER` and `HOME` are looked up.
    /// - Throws: `StoreError` `.invalid` for a URL that cannot be read, naming what is wrong
    ///   (never the password).
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
        guard Self.isURL(url), let parts = URLComponents(string: url) else {
            throw StoreError(.invalid, "'\(personal: Self.redacted(url))' is not a PostgreSQL URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = parts.port ?? 5432
        user = parts.percentEncodedUser.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding } ?? environment["PGUSER"] ?? environment["USER"] ?? "postgres"
        let path = parts.percentEncodedPath.hasPrefix("/") ? String(parts.percentEncodedPath.dropFirst()) : parts.percentEncodedPath
        database = path.isEmpty ? user : (path.removingPercentEncoding ?? path)
        var mode = TLSMode.prefer
        for item in parts.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = TLSMode(rawValue: value) else {
                    throw StoreError(.invalid, "sslmode '\(item.value ?? "")' in the register URL is not one of disable, allow, prefer, require, verify-ca, verify-full")
                }
                mode = parsed
            case "host":
                // libpq's form for a Unix socket folder; Haul connects over TCP only.
                throw StoreError(.invalid, "the register URL names a socket folder (host=…); give the server's host and port instead")
            default:
                throw StoreError(.invalid, "the register URL has a parameter '\(item.name)' Haul does not know (it reads sslmode)")
            }
        }
        tls = mode
        password = parts.percentEncodedPassword?.removingPercentEncoding ?? environment["PGPASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.passwordFile(environment: environment, host: host, port: port, database: database, user: user)
    }

    /// The URL without its password.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// `url` with any password replaced, for messages.
    static func redacted(_ url: String) -> String {
        // Textually, so a URL too broken to parse still loses its password: whatever lies between
        // "//user:" and the last "@" before the host.
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        guard let at = rest.lastIndex(of: "@"), let colon = rest[..<at].firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":…" + String(url[at...])
    }

    /// The password `~/.pgpass` gives for this server, database and user (libpq's rules: first
    /// matching line, `*` matches anything, `\:` and `\\` escaped; a file others can read is
    /// ignored, as libpq does).
    static func passwordFile(environment: [String: String], host: String, port: Int, database: String, user: String) -> String? {
        guard let path = environment["PGPASSFILE"] ?? environment["HOME"].map({ $0 + "/.pgpass" }),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 == 0,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped { current.append(character); escaped = false } else if character == "\\" { escaped = true } else if character == ":" {
                    fields.append(current); current = ""
                } else { current.append(character) }
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            let wanted = [host, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }
}

/// A value bound to a query's `$n`.
enum SQLValue {
    case text(String)
    case integer(Int)
    case texts([String])
    case integers([Int])
    case null

    init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    init(_ number: Int?) { self = number.map { .integer($0) } ?? .null }
}

/// One row of a result, read by column name.
struct SQLRow {
    let row: PostgresRandomAccessRow

    func string(_ column: String) throws -> String {
        guard let value = try row[column].decode(String?.self) else { throw StoreError(.database, "the register's column \(column) is empty where a value was expected; run haul audit") }
        return value
    }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func int(_ column: String) throws -> Int {
        guard let value = try row[column].decode(Int?.self) else { throw StoreError(.database, "the register's column \(column) is empty where a number was expected; run haul audit") }
        return value
    }
    func optionalInt(_ column: String) throws -> Int? { try row[column].decode(Int?.self) }
    func bool(_ column: String) throws -> Bool { try row[column].decode(Bool?.self) ?? false }
    func strings(_ column: String) throws -> [String] { try row[column].decode([String]?.self) ?? [] }
}

/// One connection to the server, used synchronously: Haul's register protocol is synchronous
/// (a command does one thing and exits), so each query waits for its answer.
final class SQLSession: @unchecked Sendable {
    let connection: PostgresConnection
    let location: PostgresLocation
    private let logger = Logger(label: "haul.postgres")

    init(_ location: PostgresLocation) throws(StoreError) {
        self.location = location
        var configuration: PostgresConnection.Configuration
        do {
            let tls: PostgresConnection.Configuration.TLS
            switch location.tls {
            case .disable: tls = .disable
            case .allow, .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require, .verifyCA, .verifyFull:
                var client = TLSConfiguration.makeClientConfiguration()
                // libpq's `require` encrypts without checking the certificate; verify-ca checks
                // the chain; verify-full also the host name.
                client.certificateVerification = location.tls == .require ? .none : location.tls == .verifyCA ? .noHostnameVerification : .fullVerification
                tls = .require(try NIOSSLContext(configuration: client))
            }
            configuration = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                             password: location.password, database: location.database, tls: tls)
        } catch {
            throw StoreError(.database, "cannot set up TLS for \(personal: location)", cause: error)
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw StoreError(.database, "cannot connect to the register at \(personal: location): \(personal: Self.connectionProblem(error, location))")
        }
    }

    /// Why a connection failed, in words that say what to do: the server's own message where it
    /// gave one, else what the client's error code means.
    static func connectionProblem(_ error: any Error, _ location: PostgresLocation) -> String {
        guard let error = error as? PSQLError else { return explain(error) }
        let failure = SQLFailure(error)
        if failure.isPermission {
            return "\(failure.message): the login \(location.user) has no role in this register (an administrator's `haul register grant \(location.user) ROLE --db URL` gives one)"
        }
        switch error.code {
        case .authMechanismRequiresPassword:
            return "the server asks for \(location.user)'s password and none was given: set PGPASSWORD, or put it in a password file (~/.pgpass, or the file PGPASSFILE names); never in the URL"
        case .connectionError:
            // The cause too: a refused connection, a name that does not resolve, a certificate that does not verify.
            let cause = error.underlying.map { "; \(String(describing: $0).prefix(300))" } ?? ""
            return "the server at \(location.host):\(location.port) cannot be reached (is it running, and are the host and port right?\(cause))"
        default:
            return failure.message
        }
    }

    deinit { try? connection.close().wait() }

    /// Runs `sql` with `values` bound to `$1`, `$2`… and returns its rows.
    @discardableResult
    func query(_ sql: String, _ values: [SQLValue] = []) throws -> [SQLRow] {
        let binds = Self.bindings(values)
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().map { SQLRow(row: $0.makeRandomAccess()) }
        } catch let error as PSQLError {
            throw SQLFailure(error)
        }
    }

    static func bindings(_ values: [SQLValue]) -> PostgresBindings {
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .texts(let texts): binds.append(texts)
            case .integers(let numbers): binds.append(numbers)
            case .null: binds.appendNull()
            }
        }
        return binds
    }

    /// Sends `sql` without waiting for it (the connection runs statements in order): the caller
    /// waits on the future before it relies on the result.
    func send(_ sql: String, _ values: [SQLValue] = []) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(PostgresQuery(unsafeSQL: sql, binds: Self.bindings(values)), logger: logger)
    }

    /// Waits for a statement sent with ``send(_:_:)``.
    func wait(_ future: EventLoopFuture<PostgresQueryResult>) throws {
        do { _ = try future.wait() } catch let error as PSQLError { throw SQLFailure(error) }
    }

    /// Runs `sql` and returns how many rows it changed.
    @discardableResult
    func change(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        let binds = Self.bindings(values)
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait().metadata.rows ?? 0
        } catch let error as PSQLError {
            throw SQLFailure(error)
        }
    }

    /// Runs one or more statements with no parameters, one at a time (the client prepares each).
    func execute(_ sql: String) throws {
        for statement in Self.statements(sql) {
            do { _ = try connection.query(PostgresQuery(unsafeSQL: statement), logger: logger).wait() } catch let error as PSQLError { throw SQLFailure(error) }
        }
    }

    /// `sql` split at its semicolons, except those inside quotes, dollar-quoted bodies and comments.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false, inDollar = false, inComment = false
        var previous: Character = " "
        for character in sql {
            if inComment {
                if character == "\n" { inComment = false }
                current.append(character)
                previous = character
                continue
            }
            if !inQuote && !inDollar && character == "-" && previous == "-" { inComment = true }
            if !inDollar && character == "'" { inQuote.toggle() }
            if !inQuote && character == "$" && previous == "$" { inDollar.toggle() }
            if character == ";" && !inQuote && !inDollar {
                let statement = current.trimmingCharacters(in: .whitespacesAndNewlines)
                if !statement.isEmpty { statements.append(statement) }
                current = ""
            } else {
                current.append(character)
            }
            previous = character == "$" && previous == "$" ? " " : character
        }
        let last = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !last.isEmpty { statements.append(last) }
        return statements.filter { statement in
            // A statement of comments only is nothing to run.
            !statement.split(separator: "\n").allSatisfy { $0.trimmingCharacters(in: .whitespaces).hasPrefix("--") || $0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
    }

    /// `body` between BEGIN and COMMIT; anything thrown rolls back and is thrown on.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The server's own words for `error` (its message and detail), else the error as it is.
    static func explain(_ error: any Error) -> String {
        if let failure = error as? SQLFailure { return failure.message }
        if let error = error as? PSQLError { return SQLFailure(error).message }
        return "\(error)"
    }
}

/// What the server refused, with its SQLSTATE code (`23505` unique violation, `42501`
/// insufficient privilege, `40001` serialization failure…).
struct SQLFailure: Error, CustomStringConvertible {
    var state: String
    var message: String

    init(_ error: PSQLError) {
        state = error.serverInfo?[.sqlState] ?? ""
        if let server = error.serverInfo?[.message] {
            message = server + (error.serverInfo?[.detail].map { " (\($0))" } ?? "")
        } else {
            message = "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
        }
    }

    var description: String { message }
    var isPermission: Bool { state == "42501" }
    var isUniqueViolation: Bool { state == "23505" }
}
