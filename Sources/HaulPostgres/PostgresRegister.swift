import _CryptoExtras
import Crypto
import Foundation
import HaulCore
import HaulStore
import PostgresNIO

/// Why a command reads or writes, kept in the access log (DPA 2018 s.62: who, when, which case,
/// which command, why; for a disclosure, to whom).
public struct AccessPurpose: Sendable, Hashable {
    /// The command (`case show`, `export`, or the embedding program's own name for the call).
    public var command: String
    /// What a read is: `consultation`, or `disclosure` for an export, schedule or statement.
    public var readAction: String
    /// Why the access is made (in the command line, `--purpose` or `HAUL_PURPOSE`); nil when none was given.
    public var reason: String?
    /// To whom a disclosure is made; logged only for a `disclosure`, nil otherwise.
    public var recipient: String?

    /// Says what the access log is to record for the reads and writes that follow.
    ///
    /// - Parameters:
    ///   - command: the command, or the embedding program's own name for the call.
    ///   - readAction: what a read is: `consultation` (the default), or `disclosure` for an export, schedule or statement.
    ///   - reason: why the access is made, if given.
    ///   - recipient: to whom a disclosure is made, if it is one.
    public init(command: String, readAction: String = "consultation", reason: String? = nil, recipient: String? = nil) {
        self.command = command
        self.readAction = readAction
        self.reason = reason
        self.recipient = recipient
    }
}

/// The register on PostgreSQL, for a unit: the same ledger as `SQLiteRegister` (one hash
/// chain per case, state as rows derived in the transaction that appends each event), with who
/// may see and do what enforced by the server (see `PostgresSchema`) and every access logged.
///
/// A write takes its case's lock (a transaction-scoped advisory lock) before it reads what it
/// depends on, so two clients can never both append after the same head or move an item out of
/// the same state; the server's trigger refuses any event that does not continue its chain.
///
/// ```swift
/// let register = try PostgresRegister(url: "postgres://fi.jones@db.unit.example/haul?sslmode=require")
/// register.purpose = AccessPurpose(command: "case show")
/// let operation = try register.loadState("SW-2020-0417")
/// ```
public final class PostgresRegister: Register, @unchecked Sendable {
    let session: SQLSession
    /// The server, user and database (never the password).
    public let server: PostgresLocation
    /// The register's URL without its password (`postgres://user@host:port/database`), for messages.
    public var location: String { server.description }
    /// What the access log records for the reads and writes that follow.
    public var purpose = AccessPurpose(command: "library")
    /// Reads already logged by this process (a command may open the register more than once):
    /// each case, command and kind of access is logged once.
    nonisolated(unsafe) private static var logged: Set<String> = []
    private static let loggedLock = NSLock()
    private let lock = NSLock()
    /// Cursors opened so far (each gets its own name).
    private var cursors = 0
    /// What this login is in this register (its role and agency, or the register's owner), read
    /// once: a write the role may not make is refused with that said, before anything is read.
    /// A grant made meanwhile shows here when the register is opened again; the server's own
    /// policies apply it at once.
    private var standing: Standing?
    /// An import's item batches sent and not yet waited for.
    private var stagedInFlight: [EventLoopFuture<PostgresQueryResult>] = []
    private let cursorLock = NSLock()

    /// The register format this Haul writes and reads on PostgreSQL.
    public static var format: Int { PostgresSchema.format }

    /// Connects to the register at `url`.
    ///
    /// - Throws: `StoreError` `.invalid` for a URL that cannot be read, `.database` when the
    ///   server cannot be reached, `.notFound` when the database holds no register (`haul
    ///   register init` makes one), `.newerFormat` for a register written by a later Haul,
    ///   `.needsUpgrade` for one of an earlier format (`haul register init` brings it up to date).
    public init(url: String) throws(StoreError) {
        server = try PostgresLocation(url: url)
        session = try SQLSession(server)
        let found: (format: Int, writtenBy: String)?
        do {
            guard try session.query("SELECT to_regclass('haul.haul_register') IS NOT NULL AS present")[0].bool("present") else {
                throw StoreError(.notFound, "the database at \(personal: server) holds no Haul register; an administrator runs `haul register init --db URL` once to make one")
            }
            try session.execute("SET search_path TO haul")
            found = try session.query("SELECT format, written_by FROM haul_register").first.map { (try $0.int("format"), try $0.string("written_by")) }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "cannot read the register at \(personal: server): \(personal: SQLSession.explain(error))")
        }
        if let found, found.format > Self.format {
            throw StoreError(.newerFormat, "the register at \(personal: server) was written by Haul \(found.writtenBy) (PostgreSQL register format \(found.format)); this is Haul \(HaulVersion.current), which reads formats up to \(Self.format). Use the newer Haul; nothing was changed")
        }
        // Only the register's owner may change its tables: a user's command never migrates it.
        if let found, found.format < Self.format {
            throw StoreError(.needsUpgrade, "the register at \(personal: server) is in PostgreSQL register format \(found.format), written by Haul \(found.writtenBy); this Haul (\(HaulVersion.current)) needs format \(Self.format): an administrator runs `haul register init --db URL` once to bring it up to date (nothing is lost), then try again")
        }
    }

    // MARK: Setting up

    /// Creates the schema, the roles and the policies on a database that has no register yet
    /// (see `PostgresSchema`), or applies to an existing one the migrations it lacks (each
    /// named in `haul.migrations`). Run by a user who may create schemas and roles.
    ///
    /// - Returns: What was done, for the command to print.
    @discardableResult
    public static func initialise(url: String) throws(StoreError) -> String {
        let location = try PostgresLocation(url: url)
        let session = try SQLSession(location)
        do {
            if try session.query("SELECT to_regclass('haul.haul_register') IS NOT NULL AS present")[0].bool("present") {
                let format = try session.query("SELECT format FROM haul.haul_register")[0].int("format")
                if format > Self.format {
                    throw StoreError(.newerFormat, "the register at \(personal: location) is in PostgreSQL register format \(format), written by a later Haul; this Haul (\(HaulVersion.current)) reads formats up to \(Self.format). Nothing was changed")
                }
                // Brought up to date: each migration not yet applied, in order, in one transaction.
                let applied = Set(try session.query("SELECT name FROM haul.migrations").map { try $0.string("name") })
                let pending = PostgresSchema.migrations.filter { !applied.contains($0.name) }
                guard !pending.isEmpty else {
                    return "The database at \(location) already holds a Haul register (format \(format)); nothing was changed"
                }
                try session.transaction {
                    for migration in pending {
                        try session.execute(migration.sql)
                        try session.change("INSERT INTO haul.migrations (name) VALUES ($1)", [.text(migration.name)])
                    }
                    try session.change("UPDATE haul.haul_register SET format = $1, written_by = $2", [.integer(Self.format), .text(HaulVersion.current)])
                    try session.change("SELECT haul.log_access(NULL, 'register init', 'alteration', 'the register brought up to date', NULL)")
                }
                return "Brought the register at \(location) from format \(format) to \(Self.format): \(pending.map(\.name).joined(separator: ", "))"
            }
            try session.transaction {
                for migration in PostgresSchema.migrations { try session.execute(migration.sql) }
                try session.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())")
                for migration in PostgresSchema.migrations { try session.change("INSERT INTO migrations (name) VALUES ($1)", [.text(migration.name)]) }
                try session.change("INSERT INTO haul_register (format, written_by) VALUES ($1, $2)", [.integer(format), .text(HaulVersion.current)])
                try session.change("SELECT haul.log_access(NULL, 'register init', 'collection', 'the register created', NULL)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            let failure = SQLSession.explain(error)
            throw StoreError(error is SQLFailure && (error as! SQLFailure).isPermission ? .forbidden : .database,
                             "cannot make the register at \(personal: location): \(personal: failure) (the user needs the right to create schemas and roles)")
        }
        return "Made a Haul register (PostgreSQL format \(format)) at \(location): roles haul_investigator, haul_supervisor, haul_prosecutor, haul_auditor; `haul register grant USER ROLE` gives access"
    }

    /// Gives `user` a role in this register (creating the login if it does not exist, with
    /// `password` if given), replacing the role it had here; an investigator needs an agency,
    /// the other roles take none (they see the whole unit).
    ///
    /// The password never reaches the server: it is turned here into the SCRAM-SHA-256 verifier
    /// PostgreSQL stores (RFC 5802, RFC 7677), so it is not in the server's log or activity view.
    public func grant(user: String, role: String, agency: String?, password: String?) throws(StoreError) {
        guard PostgresSchema.roles.contains(role) else {
            throw StoreError(.invalid, "'\(role)' is not a role; one of \(PostgresSchema.roles.joined(separator: ", "))")
        }
        if role == "investigator", agency == nil {
            throw StoreError(.invalid, "an investigator reads and records the cases of one agency: give it with --agency ID")
        }
        if role != "investigator", let agency {
            throw StoreError(.invalid, "a \(role) sees every case of the unit; --agency \(agency) is for an investigator only")
        }
        guard !user.isEmpty, user.utf8.count <= 63, user.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control }) else {
            throw StoreError(.invalid, "'\(personal: user)' cannot be a PostgreSQL user name (1 to 63 bytes, no control characters)")
        }
        let quoted = "\"" + user.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let verifier: String?
        do { verifier = try password.map(Self.scramVerifier) } catch {
            throw StoreError(.database, "cannot work out the password's verifier", cause: error)
        }
        try storeWrite(nil, action: "alteration", detail: "\(user) made \(role)\(agency.map { " of agency \($0)" } ?? "")\(password == nil ? "" : ", password set")") {
            if try session.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [.text(user)]).isEmpty {
                try session.change("CREATE ROLE \(quoted) LOGIN")
            }
            if let verifier {
                // One statement (never split), the verifier as a literal: ALTER ROLE takes no parameters.
                try session.change("ALTER ROLE \(quoted) PASSWORD '\(verifier)'")
            }
            // The cluster's group role gives the table rights; what the user is in this register
            // is its row in haul.users, which every policy checks (so another register's grant
            // changes nothing here, and no role is taken away elsewhere).
            try session.change("GRANT haul_\(role) TO \(quoted)")
            try session.change("GRANT CONNECT, TEMPORARY ON DATABASE \"\(server.database.replacingOccurrences(of: "\"", with: "\"\""))\" TO \(quoted)")
            try session.change("""
                INSERT INTO users (name, role, agency) VALUES ($1, $2, $3)
                ON CONFLICT (name) DO UPDATE SET role = excluded.role, agency = excluded.agency
                """, [.text(user), .text(role), SQLValue(agency)])
        }
    }

    /// PostgreSQL's stored form of a SCRAM-SHA-256 password: `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`.
    static func scramVerifier(_ password: String) throws -> String {
        // SASLprep (RFC 4013) maps a password to NFKC; PostgreSQL does the same at login.
        let prepared = Array(password.precomposedStringWithCompatibilityMapping.utf8)
        var salt = [UInt8](repeating: 0, count: 16)
        for index in salt.indices { salt[index] = UInt8.random(in: 0...255) }
        let iterations = 4096
        let salted = try KDF.Insecure.PBKDF2.deriveKey(from: prepared, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: iterations)
        let clientKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Client Key".utf8), using: salted))
        let storedKey = Data(SHA256.hash(data: clientKey))
        let serverKey = Data(HMAC<SHA256>.authenticationCode(for: Data("Server Key".utf8), using: salted))
        return "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$\(storedKey.base64EncodedString()):\(serverKey.base64EncodedString())"
    }

    /// One line of the access log.
    public struct AccessEntry: Sendable, Hashable, Codable {
        /// When the access was made, set by the server: UTC to the millisecond (`2024-05-01T09:30:00.000Z`).
        public var at: String
        /// The database user who made it (the session's user, set by the server).
        public var user: String
        /// The case's reference; nil for an access to no one case (a list, a search, an audit of all).
        public var `case`: String?
        /// The command, as the access purpose named it.
        public var command: String
        /// What the access was, in the words of DPA 2018 s.62: `collection`, `alteration`,
        /// `consultation`, `disclosure`, `combination` or `erasure`.
        public var action: String
        /// Why the access was made; nil when no reason was given.
        public var reason: String?
        /// To whom a disclosure was made; nil for any other access.
        public var recipient: String?
    }

    /// The access log, oldest first, as far as the user may read it (supervisors and auditors
    /// all of it, anyone else their own entries). Reading it is itself logged.
    public func accessLog(case reference: String?, user: String?, since: String?) throws(StoreError) -> [AccessEntry] {
        try readBody(nil) {
            try session.query("""
                SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, user_name, case_reference, command, action, reason, recipient
                FROM access_log
                WHERE ($1::text IS NULL OR case_reference = $1) AND ($2::text IS NULL OR user_name = $2) AND ($3::text IS NULL OR at >= $3::date)
                ORDER BY id
                """, [SQLValue(reference), SQLValue(user), SQLValue(since)]).map { row in
                AccessEntry(at: try row.string("at"), user: try row.string("user_name"), case: try row.optionalString("case_reference"),
                            command: try row.string("command"), action: try row.string("action"), reason: try row.optionalString("reason"),
                            recipient: try row.optionalString("recipient"))
            }
        }
    }

    // MARK: Transactions and the access log

    /// `detail` (what an administrator's command did) goes before the purpose in the entry's reason.
    private func logAccess(_ reference: String?, action: String, detail: String? = nil) throws {
        let reason = [detail, purpose.reason].compactMap { $0 }.joined(separator: "; ")
        try session.change("SELECT haul.log_access($1, $2, $3, $4, $5)",
                           [SQLValue(reference), .text(purpose.command), .text(action), SQLValue(reason.isEmpty ? nil : reason),
                            action == "disclosure" ? SQLValue(purpose.recipient) : .null])
    }

    /// Logs a refused access (never throws: the refusal itself is what the user is told), in its
    /// own statement, after the refused transaction has ended.
    private func logRefusal(_ reference: String?, _ message: String) {
        let reason = [message, purpose.reason.map { "why: \($0)" }].compactMap { $0 }.joined(separator: "; ")
        _ = try? session.change("SELECT haul.log_refusal($1, $2, $3)", [SQLValue(reference), .text(purpose.command), .text(reason)])
    }

    /// What a login is in a register, and what that lets it record.
    struct Standing {
        var role: String?
        var agency: String?
        var isOwner: Bool

        /// "You are …": the role and what it records, for a refusal.
        var said: String {
            if isOwner { return "You are the register's owner" }
            switch role {
            case "investigator": return "You are an investigator of agency \(agency ?? "?") in this register: an investigator records in that agency's cases and opens cases naming it"
            case "supervisor": return "You are a supervisor in this register: a supervisor reads every case and records corrections of status moves (haul correct), nothing else"
            case "prosecutor": return "You are a prosecutor in this register: a prosecutor reads every case and records confiscation inputs, payments, shares and proceedings, nothing else"
            case "auditor": return "You are an auditor in this register: an auditor reads every case and the access log, and records nothing"
            default: return "This login has no role in this register"
            }
        }
    }

    /// This login's standing, read once from the register.
    private func currentStanding() throws -> Standing {
        if let standing { return standing }
        let row = try session.query("SELECT haul.user_role() AS role, haul.user_agency() AS agency, haul.is_owner() AS owner")[0]
        let found = Standing(role: try row.optionalString("role"), agency: try row.optionalString("agency"), isOwner: try row.bool("owner"))
        standing = found
        return found
    }

    /// Refuses, before anything is read, a write this login's role never makes.
    private func refuseUnless(_ allowed: (Standing) -> Bool, _ what: String) throws {
        let standing = try currentStanding()
        guard standing.isOwner || allowed(standing) else {
            throw StoreError(.forbidden, "\(what) is not for you in the register at \(personal: server). \(standing.said) (an administrator's `haul register grant` gives roles); nothing was recorded")
        }
    }

    /// A write: one transaction that also logs it, errors turned into `StoreError` (a refusal
    /// by the server's policies is `.forbidden`), Haul's own errors passed through.
    /// `existing`: the write is to `reference`, a case that must be there for this user (false
    /// only for the case a write opens).
    private func writeBody<T>(_ reference: String?, action: String?, detail: String? = nil, existing: Bool = true, _ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            // An auditor, or a login with no role here, records nothing: said before any check of the case's own.
            try refuseUnless({ $0.role != nil && $0.role != "auditor" }, "`haul \(purpose.command)`")
            // Said, and logged, before the transaction: its own reads would find no such case
            // too (the server's policies hide it), but a refused transaction logs nothing.
            if existing, let reference, !(try session.query("SELECT haul.sees($1) AS seen", [.text(reference)])[0].bool("seen")) {
                logRefusal(reference, "no case \(reference) in the register that this user may see")
                throw StoreError(.notFound, "no case \(reference) in the register that you may see (haul case list shows what is there); nothing was recorded")
            }
            return try session.transaction {
                let result = try body()
                if let action { try logAccess(reference, action: action, detail: detail) }
                return result
            }
        } catch let refusal as StoreError where refusal.code == .forbidden {
            // A write the role never makes: logged once the refused transaction has ended.
            logRefusal(reference, refusal.message)
            throw refusal
        } catch let failure as SQLFailure {
            if failure.isPermission {
                let said = (try? currentStanding())?.said ?? "Your role may not do this"
                logRefusal(reference, "the server refused: \(failure.message)")
                throw StoreError(.forbidden, "the register at \(personal: server) refused: \(personal: failure.message). \(said) (an administrator's `haul register grant` gives roles)")
            }
            if failure.state == "P0002" {
                throw StoreError(.notFound, "\(failure.message) (haul case list shows what is there)")
            }
            if failure.isUniqueViolation, failure.message.contains("cases_pkey") {
                throw StoreError(.alreadyExists, "the register already has a case \(reference ?? "of that reference"); nothing was recorded")
            }
            throw StoreError(.database, "the register could not be written (\(personal: server)): \(personal: failure.message)")
        }
    }

    private func storeWrite<T>(_ reference: String?, action: String, detail: String? = nil, existing: Bool = true, _ body: () throws -> T) throws(StoreError) -> T {
        do { return try writeBody(reference, action: action, detail: detail, existing: existing, body) } catch let error as StoreError { throw error } catch {
            throw StoreError(.database, "the register could not be written (\(personal: server))", cause: error)
        }
    }

    /// A read: the access is logged first (once per case and command), so nothing is read that
    /// the log does not show; then one repeatable-read, read-only transaction.
    private func readBody<T>(_ reference: String?, _ body: () throws -> T) throws(StoreError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            let key = [server.description, reference ?? "", purpose.command, purpose.readAction, purpose.reason ?? "", purpose.recipient ?? ""].joined(separator: "\u{0}")
            Self.loggedLock.lock()
            let seen = Self.logged.contains(key)
            Self.loggedLock.unlock()
            if !seen {
                try logAccess(reference, action: purpose.readAction)
                Self.loggedLock.lock()
                Self.logged.insert(key)
                Self.loggedLock.unlock()
            }
            try session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let result = try body()
                try session.execute("COMMIT")
                return result
            } catch {
                try? session.execute("ROLLBACK")
                throw error
            }
        } catch let error as StoreError {
            throw error
        } catch let failure as SQLFailure where failure.state == "P0002" {
            logRefusal(reference, failure.message)
            throw StoreError(.notFound, "\(failure.message) (haul case list shows what is there)")
        } catch let failure as SQLFailure {
            if failure.isPermission { logRefusal(reference, "the server refused: \(failure.message)") }
            throw StoreError(failure.isPermission ? .forbidden : .database, "the register could not be read (\(personal: server)): \(personal: failure.message)")
        } catch {
            throw StoreError(.database, "the register could not be read (\(personal: server))", cause: error)
        }
    }

    // MARK: Writing the ledger

    /// Opens a new case: its row, an `opened` record carrying the header and, when the case
    /// comes with seizures or people, an `intake` record of them, in one transaction logged as a
    /// `collection`.
    ///
    /// - Parameters:
    ///   - operation: the case to open.
    ///   - actor: who records it.
    ///   - reason: why, kept with the first record.
    ///   - recordedAt: when it is recorded.
    /// - Returns: The `opened` record, the first event of the case's chain.
    /// - Throws: `StoreError`: `.alreadyExists` when the register has a case of that reference
    ///   (whether or not the user may see it), `.forbidden` when the user's role may not open it.
    @discardableResult
    public func open(_ operation: Case, actor: String, reason: String, recordedAt: Date) throws(StoreError) -> RecordEvent {
        try storeWrite(operation.reference.value, action: "collection", existing: false) {
            try refuseUnless({ $0.role == "investigator" }, "`haul \(purpose.command)`")
            try refuseExisting(operation.reference, "choose another reference")
            try insertCaseRow(operation, recordedAt: recordedAt)
            let (header, changes) = LedgerWriting.openingChanges(operation)
            var state = Case(reference: operation.reference, jurisdiction: operation.jurisdiction, openedOn: operation.openedOn, agencies: [], seizures: [])
            let record = try LedgerWriting.records(applying: [.opened(header)], to: &state, kind: "opened", actor: actor, reason: reason,
                                                   recordedAt: recordedAt, link: (0, nil))[0]
            try insert([record], case: operation.reference, recordedAt: recordedAt)
            try logCase(operation.reference, firstHash: record.hash, recordedAt: recordedAt)
            var last = record
            if !changes.isEmpty {
                let more = try LedgerWriting.records(applying: changes, to: &state, kind: "intake", actor: actor, reason: "opened with its seizures",
                                                     recordedAt: recordedAt, link: (record.sequence, record.hash))
                try insert(more, case: operation.reference, recordedAt: recordedAt)
                last = more.last!
            }
            try writeState(state, head: (last.sequence, last.hash), reindex: true)
            return record
        }
    }

    /// Records a change planned against the case as it stands, in one transaction that holds the
    /// case's lock and is logged as an `alteration`. Items added whose id or exhibit the case
    /// already has are refused, whatever the plan could see.
    ///
    /// - Parameters:
    ///   - reference: the case to change.
    ///   - kind: the kind of record, such as `items-added` or `interest`.
    ///   - actor: who records it.
    ///   - reason: why, kept with each record.
    ///   - recordedAt: when it is recorded.
    ///   - scope: which items the plan needs to see (all of them unless given).
    ///   - plan: works out the changes from the case as it stands; what it throws ends the
    ///     transaction with nothing recorded.
    /// - Returns: The records appended, and the case after them.
    /// - Throws: `StoreError` (`.notFound`, `.forbidden` when the server's policies refuse),
    ///   `HaulCoreError` for an item id or exhibit the case already has, or whatever `plan` throws.
    @discardableResult
    public func record(_ reference: Identifier, kind: String, actor: String, reason: String, recordedAt: Date, scope: LoadScope = .all,
                       _ plan: (Case) throws -> [CaseChange]) throws -> (records: [RecordEvent], case: Case) {
        try writeBody(reference.value, action: "alteration") {
            try refuseUnless({ $0.role == "investigator" || ($0.role == "prosecutor" && PostgresSchema.prosecutorKinds.contains(kind)) },
                             "`haul \(purpose.command)`")
            var state = try loadState(reference, scope: scope, lock: true)
            let changes = try plan(state.case)
            try LedgerWriting.refuseUnchainedState(changes, loaded: state.case) { needles, before, limit in
                try self.records(reference, containingAny: needles, before: before, limit: limit)
            }
            if scope != .all, changes.contains(where: { if case .opened = $0 { true } else if case .baseline = $0 { true } else { false } }) {
                throw StoreError(.database, "a change of the whole case was planned without the whole case (scope \(scope)); nothing was recorded")
            }
            try checkNewItems(reference, changes)
            let records = try LedgerWriting.records(applying: changes, to: &state.case, kind: kind, actor: actor, reason: reason,
                                                    recordedAt: recordedAt, link: state.head)
            guard let last = records.last else { throw StoreError(.invalid, "the planned change records nothing (no items, no change to the case); nothing was written") }
            try insert(records, case: reference, recordedAt: recordedAt)
            try applyToRows(changes, state: state.case, head: (last.sequence, last.hash))
            return (records, state.case)
        }
    }

    /// Appends a status move planned against the case as it stands, in one transaction that holds
    /// the case's lock and is logged as an `alteration`.
    ///
    /// - Parameters:
    ///   - reference: the case whose items move.
    ///   - recordedAt: when the move is recorded.
    ///   - scope: which items the plan needs to see (all of them unless given).
    ///   - plan: works out the move from the case and its seizures' figures as they stand in
    ///     the transaction; what it throws ends the transaction with nothing recorded.
    /// - Returns: The status event appended, and the case with it in its history.
    /// - Throws: `StoreError` (`.notFound`, `.forbidden` when the server's policies refuse), or
    ///   whatever `plan` throws.
    @discardableResult
    public func move(_ reference: Identifier, recordedAt: Date, scope: LoadScope = .all,
                     _ plan: (Case, any SeizureFigures) throws -> EventDraft) throws -> (event: StatusEvent, case: Case) {
        try writeBody(reference.value, action: "alteration") {
            try refuseUnless({ $0.role == "investigator" || $0.role == "supervisor" }, "`haul \(purpose.command)`")
            var state = try loadState(reference, scope: scope, lock: true)
            let draft = try plan(state.case, PostgresSeizureFigures(session: session, reference: reference))
            if draft.supersedes == nil { try refuseUnless({ $0.role == "investigator" }, "`haul \(purpose.command)` (a status move that corrects none)") }
            let event = LedgerWriting.statusEvent(draft, case: reference, after: state.head)
            // The chain's trigger moves the state row's head (a supervisor may not write that row).
            try insert(event, case: reference, recordedAt: recordedAt)
            state.case.history.append(event)
            return (event, state.case)
        }
    }

    /// Imports a case file as it is read, in one transaction: items go to their rows a batch at
    /// a time (memory flat in the item count); the chain is verified and a file with records must
    /// replay to its body, as on SQLite.
    @discardableResult
    public func importCase(actor: String, recordedAt: Date, provenance: String? = nil,
                           streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case) throws -> (case: Case, items: Int, events: Int) {
        // The access log entry is written at the end, when the case's reference is known.
        return try writeBody(nil, action: nil) {
            try refuseUnless({ $0.role == "investigator" }, "`haul \(purpose.command)`")
            var reference: Identifier?
            var batch = ItemBatch()
            var written = 0
            // Items arrive before the case's header (and the agencies that say who may write
            // it): they wait in temporary tables of this transaction, then go to their rows
            // once the case's own row is in, checked by the register's policies like any write.
            try session.execute("""
                CREATE TEMPORARY TABLE staged_items (LIKE haul.items) ON COMMIT DROP;
                CREATE TEMPORARY TABLE staged_item_keys (LIKE haul.item_keys) ON COMMIT DROP
                """)
            defer { try? drainStaged() }
            let operation = try read { caseReference, seizurePosition, seizure, item in
                if reference == nil {
                    try self.refuseExisting(caseReference, "nothing was imported")
                    reference = caseReference
                }
                written += 1
                try batch.add(item, seizure: seizure.value, seizurePosition: seizurePosition, position: written)
                if batch.count == ItemBatch.size { try self.flush(&batch, case: caseReference.value, staged: true) }
            }
            if let reference { try flush(&batch, case: reference.value, staged: true) }
            try drainStaged()
            if let problem = EventChain.verify(case: operation.reference, events: operation.history, records: operation.records) {
                throw StoreError(.brokenChain, "the case file's history does not verify, so nothing was imported: \(problem.message)")
            }
            if reference == nil { try refuseExisting(operation.reference, "nothing was imported") }
            if let reference, reference != operation.reference {
                throw HaulCoreError(.inconsistent, "the file's items belong to case \(reference), its header to \(operation.reference); nothing was imported")
            }
            try insertCaseRow(operation, recordedAt: recordedAt)
            do {
                try session.change("INSERT INTO items SELECT * FROM staged_items")
            } catch let failure as SQLFailure where failure.isUniqueViolation {
                throw HaulCoreError(.inconsistent, "the file has an item id or exhibit twice: \(personal: failure.message); nothing was imported")
            }
            try session.change("INSERT INTO item_keys SELECT * FROM staged_item_keys")
            try insertChain(operation.chain, case: operation.reference, recordedAt: recordedAt)
            var head = operation.chain.last.map { ($0.sequence, $0.hash) } ?? (0, nil)
            var first = operation.chain.first?.hash
            if operation.records.isEmpty {
                try writeSkeleton(operation, head: (head.0, head.1 ?? ""))
                // The body's records go in blocks as they are made: they carry every item's JSON,
                // so holding them all would hold the whole case.
                var pending: [RecordEvent] = []
                let reference = operation.reference
                let body = try LedgerWriting.importedBody(operation, items: written, actor: actor, link: head, recordedAt: recordedAt,
                    seizures: { try self.loadState(reference, scope: .all, lock: false).case.seizures },
                    forEachItemRow: { visit in try self.forEachItemRow(reference.value) { seizure, text in try visit(seizure, text) } },
                    insert: { record in
                        pending.append(record)
                        if pending.count == 200 {
                            try self.insert(pending, case: reference, recordedAt: recordedAt)
                            pending.removeAll(keepingCapacity: true)
                        }
                    })
                try insert(pending, case: operation.reference, recordedAt: recordedAt)
                head = body.last
                first = first ?? body.first
            }
            try writeSkeleton(operation, head: (head.0, head.1!))
            if !operation.records.isEmpty {
                let replayed: Case
                do { replayed = try CaseLedger.replay(operation.reference, records: operation.records) } catch {
                    throw StoreError(.brokenChain, "the case file's records cannot be replayed, so nothing was imported: \(error: error)")
                }
                if let difference = LedgerWriting.bodyDifference(replayed: replayed, body: try loadState(operation.reference, scope: .all, lock: false).case) {
                    throw StoreError(.brokenChain, "the case file's body is not what its records describe (it differs in \(difference): the body or a record was changed), so nothing was imported")
                }
                try writeState(replayed, head: (head.0, head.1!), reindex: true)
            }
            try logCase(operation.reference, firstHash: first ?? head.1!, recordedAt: recordedAt)
            if let provenance {
                try session.change("INSERT INTO provenance (case_reference, recorded_at, actor, note) VALUES ($1, $2, $3, $4)",
                                   [.text(operation.reference.value), .text(LedgerWriting.timestamp(recordedAt)), .text(actor), .text(provenance)])
            }
            try logAccess(operation.reference.value, action: "collection")
            return (operation, written, head.0)
        }
    }

    // MARK: Reading

    /// The case with its state, status moves and records, read in one read-only transaction.
    ///
    /// - Parameter reference: the case to read.
    /// - Returns: The case, its `records` filled in.
    /// - Throws: `StoreError` `.notFound` when there is no such case the user may see.
    public func load(_ reference: Identifier) throws(StoreError) -> Case {
        try readBody(reference.value) {
            var operation = try loadState(reference, scope: .all, lock: false).case
            operation.records = try records(reference)
            return operation
        }
    }

    /// The case's state and status moves, without its records.
    ///
    /// - Parameters:
    ///   - reference: the case to read.
    ///   - scope: which items to load (all of them unless given).
    /// - Returns: The case with the items `scope` names, the status moves of their seizures (every
    ///   move for `all` and `skeleton`) and an empty `records`.
    /// - Throws: `StoreError` `.notFound` when there is no such case the user may see.
    public func loadState(_ reference: Identifier, scope: LoadScope = .all) throws(StoreError) -> Case {
        try readBody(reference.value) { try loadState(reference, scope: scope, lock: false).case }
    }

    /// One line for each case the user may see (an investigator their agency's, other roles
    /// all), in order of reference.
    ///
    /// - Returns: The cases' lines; empty when there are none.
    /// - Throws: `StoreError` when the register cannot be read.
    public func list() throws(StoreError) -> [CaseListing] {
        try readBody(nil) {
            try session.query("""
                SELECT c.reference, c.jurisdiction, c.opened_on,
                       (SELECT COUNT(*) FROM items i WHERE i.case_reference = c.reference) AS items,
                       (SELECT head_sequence FROM case_state s WHERE s.case_reference = c.reference) AS events
                FROM cases c ORDER BY c.reference COLLATE "C"
                """).map { row in
                let events = try row.optionalInt("events") ?? 0
                return CaseListing(reference: try Identifier(row.string("reference")), jurisdiction: try row.string("jurisdiction"),
                                   openedOn: try row.string("opened_on"), items: try row.int("items"), events: events, version: events)
            }
        }
    }

    /// One case's line of the list.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its line, or nil when the register has no such case the user may see.
    /// - Throws: `StoreError` when the register cannot be read.
    public func listing(of reference: Identifier) throws(StoreError) -> CaseListing? {
        try readBody(reference.value) {
            try session.query("""
                SELECT c.reference, c.jurisdiction, c.opened_on,
                       (SELECT COUNT(*) FROM items i WHERE i.case_reference = c.reference) AS items,
                       (SELECT head_sequence FROM case_state s WHERE s.case_reference = c.reference) AS events
                FROM cases c WHERE c.reference = $1
                """, [.text(reference.value)]).first.map { row in
                let events = try row.optionalInt("events") ?? 0
                return CaseListing(reference: try Identifier(row.string("reference")), jurisdiction: try row.string("jurisdiction"),
                                   openedOn: try row.string("opened_on"), items: try row.int("items"), events: events, version: events)
            }
        }
    }

    /// The case's jurisdiction, read from its row alone (not its state or moves).
    ///
    /// - Parameter reference: the case.
    /// - Returns: The jurisdiction the case was opened under.
    /// - Throws: `StoreError` `.notFound` when there is no such case, `.database` when the stored
    ///   code is not one this Haul knows.
    public func jurisdiction(of reference: Identifier) throws(StoreError) -> Jurisdiction {
        let code: String? = try readBody(reference.value) {
            try session.query("SELECT jurisdiction FROM cases WHERE reference = $1", [.text(reference.value)]).first?.string("jurisdiction")
        }
        guard let code else { throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)") }
        guard let jurisdiction = Jurisdiction(rawValue: code) else { throw StoreError(.database, "case \(reference) has jurisdiction '\(code)', which this Haul does not know; run haul audit") }
        return jurisdiction
    }

    /// The case's status moves, in sequence order.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its status events; empty when nothing has moved yet.
    /// - Throws: `StoreError` `.notFound` when there is no such case the user may see.
    public func events(of reference: Identifier) throws(StoreError) -> [StatusEvent] {
        try readBody(reference.value) {
            try requireCase(reference)
            return try events(reference)
        }
    }

    /// The case's records: every change other than a status move, in sequence order.
    ///
    /// - Parameter reference: the case.
    /// - Returns: Its record events.
    /// - Throws: `StoreError` `.notFound` when there is no such case the user may see.
    public func records(of reference: Identifier) throws(StoreError) -> [RecordEvent] {
        try readBody(reference.value) {
            try requireCase(reference)
            return try records(reference)
        }
    }

    /// What was kept of where the case came from when it was imported, oldest first.
    ///
    /// - Parameter reference: the case.
    /// - Returns: The provenance notes; empty when none were kept.
    /// - Throws: `StoreError` when the register cannot be read or the user may not see the case.
    public func provenance(of reference: Identifier) throws(StoreError) -> [String] {
        try readBody(reference.value) {
            try session.query("SELECT note FROM provenance WHERE case_reference = $1 ORDER BY id", [.text(reference.value)]).map { try $0.string("note") }
        }
    }

    /// Reads the stored state of the case for streaming and calls `body` with it, inside one
    /// read-only transaction so nothing can change while it is read.
    ///
    /// - Parameters:
    ///   - reference: the case to read.
    ///   - body: reads the document; valid only while it runs.
    /// - Returns: What `body` returns.
    /// - Throws: `StoreError` `.notFound` when there is no such case, or whatever `body` throws.
    public func withStoredDocument<T>(_ reference: Identifier, _ body: (StoredCaseDocument) throws -> T) throws -> T {
        try readBody(reference.value) {
            guard let row = try session.query("SELECT document, head FROM case_state WHERE case_reference = $1", [.text(reference.value)]).first else {
                throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
            }
            var skeleton = try LedgerWriting.decodeSkeleton(try row.string("document"), case: reference)
            var counts = Array(repeating: 0, count: skeleton.seizures.count)
            for count in try session.query("SELECT seizure_position, COUNT(*) AS n FROM items WHERE case_reference = $1 GROUP BY seizure_position",
                                           [.text(reference.value)]) {
                let position = try count.int("seizure_position")
                if counts.indices.contains(position) { counts[position] = try count.int("n") }
            }
            skeleton.history = try events(reference)
            let document = StoredCaseDocument(skeleton: skeleton, itemCounts: counts, head: try row.optionalString("head"),
                forEachRecord: { visit in
                    try self.forEachRow("SELECT * FROM records WHERE case_reference = $1 ORDER BY sequence", [.text(reference.value)], block: 500) { row in
                        try visit(try Self.record(from: row))
                    }
                },
                forEachItemRow: { visit in
                    try self.forEachItemRow(reference.value) { seizure, text in
                        var text = text
                        try text.withUTF8 { try visit(seizure, UnsafeRawBufferPointer($0)) }
                    }
                })
            return try body(document)
        }
    }

    // MARK: Look-ups

    /// The item `text` names, in any case the user may see: an item id, an exhibit label, a
    /// vehicle's VIN or registration, a watch's serial number, or any of those as `CASE/ITEM`.
    ///
    /// - Parameter text: what names the item.
    /// - Returns: Where the item is, and what matched when it was not the item's id.
    /// - Throws: `StoreError` `.notFound` when nothing matches, `.ambiguous` (listing each) when
    ///   several items do.
    public func locate(item text: String) throws(StoreError) -> ItemLocation {
        let key = Item.normalisedKey(text)
        let rows: [SQLRow] = try readBody(nil) {
            func lookup(_ needle: String, in reference: String?, exhaustive: Bool) throws -> [SQLRow] {
                let scope = reference == nil ? "" : " AND case_reference = $2"
                func values(_ value: String) -> [SQLValue] { [.text(value)] + (reference.map { [.text($0)] } ?? []) }
                let order = " ORDER BY case_reference COLLATE \"C\", item_id COLLATE \"C\""
                var found = try session.query("SELECT case_reference, item_id, exhibit, NULL::text AS field FROM items WHERE item_id = $1\(scope)\(order)", values(needle))
                if found.isEmpty {
                    found = try session.query("SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE exhibit = $1\(scope)\(order)", values(needle))
                }
                if found.isEmpty, needle.uppercased() != needle {
                    found = try session.query("SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE exhibit = $1\(scope)\(order)",
                                              values(needle.uppercased()))
                }
                if found.isEmpty, exhaustive {
                    found = try session.query("SELECT case_reference, item_id, exhibit, 'exhibit' AS field FROM items WHERE \(Self.asciiFolded("exhibit")) = \(Self.asciiFolded("$1"))\(scope)\(order)",
                                              values(needle))
                }
                if found.isEmpty {
                    found = try session.query("""
                        SELECT k.case_reference, k.item_id, i.exhibit, k.field || ' ' || k.value AS field FROM item_keys k
                        JOIN items i ON i.case_reference = k.case_reference AND i.item_id = k.item_id
                        WHERE k.normalised = $1\(reference == nil ? "" : " AND k.case_reference = $2")
                        ORDER BY k.case_reference COLLATE "C", k.item_id COLLATE "C"
                        """, values(Item.normalisedKey(needle)))
                }
                return found
            }
            return try LedgerWriting.locateOrder(text, searchable: !key.isEmpty, lookup)
        }
        guard let row = rows.first else {
            throw StoreError(.notFound, "no item '\(personal: text)' in the register: not an item id, exhibit label, VIN, registration or serial number of any case (haul find TEXT searches descriptions too)")
        }
        do {
            guard rows.count == 1 else {
                let candidates = try rows.map { "\(try $0.string("case_reference"))/\(try $0.string("item_id")) (exhibit \(try $0.string("exhibit")))" }
                throw StoreError(.ambiguous, "'\(personal: text)' names \(rows.count) items: \(candidates.joined(separator: ", ")); name one as CASE/ITEM")
            }
            return ItemLocation(case: try Identifier(row.string("case_reference")), item: try Identifier(row.string("item_id")),
                                exhibit: try row.string("exhibit"), matched: try row.optionalString("field"))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.database, "a stored item or seizure row cannot be read; run haul audit", cause: error)
        }
    }

    /// Items of every case the user may see whose id, exhibit label, description, VIN,
    /// registration or serial number contains `text` (ASCII letters compared without regard to
    /// case, as on SQLite), in case and item order. Each case shown is logged as consulted.
    ///
    /// - Parameters:
    ///   - text: what to search for.
    ///   - limit: the most items to return.
    /// - Returns: At most `limit` items, and how many matched in all.
    /// - Throws: `StoreError` when the register cannot be read.
    public func find(_ text: String, limit: Int) throws(StoreError) -> (items: [FoundItem], total: Int) {
        func pattern(_ value: String) -> String {
            "%" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        // ASCII letters folded on both sides, as SQLite's LIKE compares them (ILIKE would fold
        // other letters too, by the server's locale, and find what SQLite does not).
        func like(_ column: String, _ parameter: String) -> String { "\(Self.asciiFolded(column)) LIKE \(Self.asciiFolded(parameter)) ESCAPE '\\'" }
        let matching = """

            FROM items i
            WHERE \(like("i.item_id", "$1")) OR \(like("i.exhibit", "$1")) OR \(like("(i.document::jsonb ->> 'description')", "$1")) OR \(like("i.kind", "$1"))
               \(LedgerWriting.findableDetails.map { path in " OR " + like("(i.document::jsonb #>> '{details,\(path.replacingOccurrences(of: ".", with: ","))}')", "$1") }.joined())
               OR EXISTS (SELECT 1 FROM item_keys k WHERE k.case_reference = i.case_reference AND k.item_id = i.item_id AND \(like("k.normalised", "$2")))
            """
        let values: [SQLValue] = [.text(pattern(text)), .text(pattern(Item.normalisedKey(text)))]
        let result: (items: [FoundItem], total: Int) = try readBody(nil) {
            let total = try session.query("SELECT COUNT(*) AS n " + matching, values)[0].int("n")
            let rows = try session.query("""
                SELECT i.case_reference, i.item_id, i.exhibit, i.kind, i.document::jsonb ->> 'description' AS description,
                       (SELECT string_agg(k.field || ' ' || k.value, E'\\n' ORDER BY k.ordinal) FROM item_keys k
                        WHERE k.case_reference = i.case_reference AND k.item_id = i.item_id) AS keys
                """ + matching + " ORDER BY i.case_reference COLLATE \"C\", i.seizure_position, i.position LIMIT $3", values + [.integer(limit)])
            let found = try rows.map { row in
                FoundItem(case: try Identifier(row.string("case_reference")), item: try Identifier(row.string("item_id")), exhibit: try row.string("exhibit"),
                          kind: try row.string("kind"), description: try row.optionalString("description"),
                          keys: try row.optionalString("keys")?.split(separator: "\n").map(String.init) ?? [])
            }
            return (found, total)
        }
        // Each case whose items are shown is consulted: one entry each, before they are shown.
        try noteReads(Set(result.items.map(\.case.value)).sorted())
        return result
    }

    /// Logs a consultation of each case (once per process, as every read is).
    private func noteReads(_ references: [String]) throws(StoreError) {
        for reference in references { _ = try readBody(reference) { () } }
    }

    /// The case holding a seizure id, given alone or as `CASE/SEIZURE`.
    ///
    /// - Parameter seizure: the seizure's id, or `CASE/SEIZURE`.
    /// - Returns: The case and the seizure, or nil when no case the user may see has it.
    /// - Throws: `StoreError` `.ambiguous` when several cases have a seizure of that id.
    public func locate(seizure: String) throws(StoreError) -> (case: Identifier, seizure: Identifier)? {
        let parts = seizure.split(separator: "/", maxSplits: 1).map(String.init)
        let rows: [SQLRow] = try readBody(nil) {
            var found = try session.query("SELECT DISTINCT case_reference, seizure_id FROM items WHERE seizure_id = $1", [.text(seizure)])
            if found.isEmpty, parts.count == 2 {
                found = try session.query("SELECT DISTINCT case_reference, seizure_id FROM items WHERE seizure_id = $1 AND case_reference = $2",
                                          [.text(parts[1]), .text(parts[0])])
            }
            return found
        }
        guard let row = rows.first else { return nil }
        guard rows.count == 1 else {
            throw StoreError(.ambiguous, "seizure '\(seizure)' is in \(rows.count) cases; name it as CASE/\(seizure)")
        }
        do { return (try Identifier(row.string("case_reference")), try Identifier(row.string("seizure_id"))) } catch {
            throw StoreError(.database, "a stored item or seizure row cannot be read; run haul audit", cause: error)
        }
    }

    /// `expression` with ASCII capitals made small, and no other letter touched.
    static func asciiFolded(_ expression: String) -> String {
        "translate(\(expression), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    }

    // MARK: Audit

    /// Verifies every chain the user can see, its rows against its replay, and the register log,
    /// in the words `SQLiteRegister/audit(_:head:)` uses. Reads only (the access is logged).
    public func audit(_ only: Identifier? = nil, head: String? = nil) throws(StoreError) -> RegisterAudit {
        try readBody(only?.value) {
            var audit = RegisterAudit()
            let visible = Set(try session.query("SELECT reference FROM cases").map { try $0.string("reference") })
            // Entries of cases this user may not see come without their case, checked by the server.
            let entries = try session.query("SELECT * FROM haul.register_log_entries()").map { row in
                guard let reference = try row.optionalString("case_reference") else {
                    return RegisterLogEntry(position: try row.int("entry"), reference: "", firstHash: "", previousHash: try row.optionalString("previous_hash"),
                                            hash: try row.string("hash"), withheld: (try row.bool("verified"), try row.bool("present")))
                }
                return RegisterLogEntry(position: try row.int("entry"), reference: reference, firstHash: try row.string("first_hash"),
                                        previousHash: try row.optionalString("previous_hash"), hash: try row.string("hash"))
            }
            let logged = audit.checkLog(entries, present: visible)
            for referenceText in visible.sorted() {
                guard let reference = try? Identifier(referenceText), only == nil || only == reference else { continue }
                do {
                let state = try session.query("SELECT head_sequence, head FROM case_state WHERE case_reference = $1", [.text(referenceText)]).first
                let stored = StoredCaseRows(
                    events: try events(reference), records: try records(reference),
                    stateHead: try state.map { (try $0.int("head_sequence"), try $0.optionalString("head")) },
                    loadStored: { try self.loadState(reference, scope: .all, lock: false).case },
                    itemRows: {
                        try self.session.query("SELECT item_id, exhibit, kind, seizure_id, figures FROM items WHERE case_reference = $1", [.text(referenceText)])
                            .map { "\(try $0.string("item_id")) \(try $0.string("exhibit")) \(try $0.string("kind")) \(try $0.string("seizure_id")) \(try $0.string("figures"))" }
                    },
                    keyRows: {
                        try self.session.query("SELECT item_id, field, value, normalised FROM item_keys WHERE case_reference = $1", [.text(referenceText)])
                            .map { "\(try $0.string("item_id")) \(try $0.string("field")) \(try $0.string("value")) \(try $0.string("normalised"))" }
                    },
                    eventSeizureRows: {
                        try self.session.query("SELECT sequence, seizure_id FROM event_seizures WHERE case_reference = $1", [.text(referenceText)])
                            .map { "\(try $0.int("sequence")) \(try $0.string("seizure_id"))" }
                    })
                audit.cases.append(try RegisterAudit.check(reference, stored, firstHash: logged[referenceText], head: only == nil ? nil : head))
                } catch let failure as SQLFailure {
                    throw failure
                } catch {
                    audit.cases.append(.unreadable(reference, error))
                }
            }
            if let only, !visible.contains(only.value) {
                throw StoreError(.notFound, "no case \(only) in the register (haul case list shows what is there)")
            }
            return audit
        }
    }

    // MARK: Rows

    func requireCase(_ reference: Identifier) throws {
        if try session.query("SELECT 1 FROM cases WHERE reference = $1", [.text(reference.value)]).isEmpty {
            throw StoreError(.notFound, "no case \(reference) in the register (haul case list shows what is there)")
        }
    }

    func refuseExisting(_ reference: Identifier, _ advice: String) throws {
        // Asked with the owner's rights: a case of another agency is there too.
        if try session.query("SELECT haul.case_exists($1) AS present", [.text(reference.value)])[0].bool("present") {
            throw StoreError(.alreadyExists, "the register already has a case \(reference); \(advice)")
        }
    }

    func insertCaseRow(_ operation: Case, recordedAt: Date) throws {
        try session.change("INSERT INTO cases (reference, jurisdiction, opened_on, recorded_at, agencies) VALUES ($1, $2, $3, $4, $5)",
                           [.text(operation.reference.value), .text(operation.jurisdiction.rawValue), .text(operation.openedOn.description),
                            .text(LedgerWriting.timestamp(recordedAt)), .texts(operation.agencies.map(\.id.value))])
    }

    /// The stored state and the chain's head; with `lock`, the case is locked first, so no
    /// other writer appends until this transaction ends.
    func loadState(_ reference: Identifier, scope: LoadScope, lock: Bool) throws -> (case: Case, head: (sequence: Int, hash: String?)) {
        // The case's own lock (transaction-scoped, advisory: a supervisor, who may not update
        // the state row, takes it as well as an investigator); the chain's trigger refuses
        // anything that does not continue the head, lock or not.
        if lock { try session.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7203101))", [.text(reference.value)]) }
        guard let row = try session.query("SELECT document, head_sequence, head FROM case_state WHERE case_reference = $1",
                                          [.text(reference.value)]).first else {
            try requireCase(reference)
            throw StoreError(.database, "case \(reference) has no stored state; run haul audit")
        }
        var operation = try LedgerWriting.decodeSkeleton(try row.string("document"), case: reference)
        let select = "SELECT seizure_position, document FROM items WHERE case_reference = $1"
        let order = " ORDER BY seizure_position, position"
        let rows: [SQLRow]
        switch scope {
        case .skeleton:
            rows = []
        case .all:
            rows = try session.query(select + order, [.text(reference.value)])
        case .items(let ids):
            rows = try session.query(select + " AND item_id = ANY($2)" + order, [.text(reference.value), .texts(ids.map(\.value))])
        case .seizuresOf(let ids):
            rows = try session.query(select + " AND seizure_id IN (SELECT seizure_id FROM items WHERE case_reference = $1 AND item_id = ANY($2))" + order,
                                     [.text(reference.value), .texts(ids.map(\.value))])
        case .seizures(let ids):
            rows = try session.query(select + " AND seizure_id = ANY($2)" + order, [.text(reference.value), .texts(ids.map(\.value))])
        }
        for row in rows {
            let position = try row.int("seizure_position")
            guard operation.seizures.indices.contains(position) else {
                throw StoreError(.database, "case \(reference): an item row names seizure \(position), which it does not have; run haul audit")
            }
            operation.seizures[position].items.append(try LedgerWriting.decodeItem(try row.string("document"), case: reference.value))
        }
        operation.history = try events(reference, seizures: scope.seizuresLoaded(operation))
        return (operation, (try row.int("head_sequence"), try row.optionalString("head")))
    }

    /// Each item row's seizure position and stored JSON in document order, a block at a time,
    /// through one cursor of the caller's transaction (one plan for the whole read, so a block
    /// at the end of a million items costs what one at the start does).
    func forEachItemRow(_ reference: String, _ visit: (Int, String) throws -> Void) throws {
        try forEachRow("SELECT seizure_position, document FROM items WHERE case_reference = $1 ORDER BY seizure_position, position",
                       [.text(reference)], block: 5000) { row in try visit(try row.int("seizure_position"), try row.string("document")) }
    }

    /// Runs `sql` as a cursor in the current transaction and visits its rows `block` at a time.
    func forEachRow(_ sql: String, _ values: [SQLValue], block: Int, _ visit: (SQLRow) throws -> Void) throws {
        // An export reads items on a second thread while its chain is read on this one.
        cursorLock.lock()
        cursors += 1
        let name = "haul_rows_\(cursors)"
        cursorLock.unlock()
        try session.change("DECLARE \(name) NO SCROLL CURSOR FOR " + sql, values)
        while true {
            let rows = try session.query("FETCH FORWARD \(block) FROM \(name)")
            for row in rows { try visit(row) }
            if rows.count < block { break }
        }
        try session.change("CLOSE \(name)")
    }

    func writeSkeleton(_ operation: Case, head: (Int, String)) throws {
        // UPDATE, else INSERT (not INSERT … ON CONFLICT, which needs the right to insert: a
        // supervisor or prosecutor updates a case's state but never makes one).
        // An existing row's head is the chain's trigger's to move: only the document is written.
        let document = try LedgerWriting.skeletonJSON(operation)
        if try session.change("UPDATE case_state SET document = $2 WHERE case_reference = $1", [.text(operation.reference.value), .text(document)]) == 0 {
            try session.change("INSERT INTO case_state (case_reference, document, head_sequence, head) VALUES ($1, $2, $3, $4)",
                               [.text(operation.reference.value), .text(document), .integer(head.0), .text(head.1)])
        }
    }

    func writeState(_ operation: Case, head: (Int, String), reindex: Bool) throws {
        try writeSkeleton(operation, head: head)
        guard reindex else { return }
        try session.change("DELETE FROM items WHERE case_reference = $1", [.text(operation.reference.value)])
        try session.change("DELETE FROM item_keys WHERE case_reference = $1", [.text(operation.reference.value)])
        var batch = ItemBatch()
        var position = 0
        for (seizurePosition, seizure) in operation.seizures.enumerated() {
            for item in seizure.items {
                position += 1
                try batch.add(item, seizure: seizure.id.value, seizurePosition: seizurePosition, position: position)
                if batch.count == ItemBatch.size { try flush(&batch, case: operation.reference.value) }
            }
        }
        try flush(&batch, case: operation.reference.value)
    }

    /// Writes a batch of item rows and their keys in two statements.
    func flush(_ batch: inout ItemBatch, case reference: String, staged: Bool = false) throws {
        guard batch.count > 0 else { return }
        if staged {
            // An import's batch is sent without waiting, so the server inserts it while the next
            // is read and encoded; at most one batch is in flight (memory stays flat).
            try drainStaged()
            stagedInFlight.append(session.send("""
                INSERT INTO staged_items (case_reference, item_id, exhibit, kind, seizure_id, seizure_position, position, document, figures)
                SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::text[], $9::text[])
                """, [.text(reference), .texts(batch.ids), .texts(batch.exhibits), .texts(batch.kinds), .texts(batch.seizures),
                      .integers(batch.seizurePositions), .integers(batch.positions), .texts(batch.documents), .texts(batch.figures)]))
            if !batch.keyItems.isEmpty {
                stagedInFlight.append(session.send("""
                    INSERT INTO staged_item_keys (case_reference, item_id, field, value, normalised, ordinal)
                    SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
                    """, [.text(reference), .texts(batch.keyItems), .texts(batch.keyFields), .texts(batch.keyValues), .texts(batch.keyNormalised),
                          .integers(batch.keyOrdinals)]))
            }
            batch = ItemBatch()
            return
        }
        let (items, keys) = ("items", "item_keys")
        do {
            try session.change("""
                INSERT INTO \(items) (case_reference, item_id, exhibit, kind, seizure_id, seizure_position, position, document, figures)
                SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::text[], $9::text[])
                """, [.text(reference), .texts(batch.ids), .texts(batch.exhibits), .texts(batch.kinds), .texts(batch.seizures),
                      .integers(batch.seizurePositions), .integers(batch.positions), .texts(batch.documents), .texts(batch.figures)])
        } catch let failure as SQLFailure where failure.isUniqueViolation {
            throw HaulCoreError(.inconsistent, "case \(reference) would have an item id or exhibit twice: \(personal: failure.message)")
        }
        if !batch.keyItems.isEmpty {
            try session.change("""
                INSERT INTO \(keys) (case_reference, item_id, field, value, normalised, ordinal)
                SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
                """, [.text(reference), .texts(batch.keyItems), .texts(batch.keyFields), .texts(batch.keyValues), .texts(batch.keyNormalised),
                      .integers(batch.keyOrdinals)])
        }
        batch = ItemBatch()
    }

    /// Waits for an import's batches in flight; the first failure is thrown.
    func drainStaged() throws {
        let waiting = stagedInFlight
        stagedInFlight.removeAll()
        var failure: (any Error)?
        for future in waiting {
            do { try session.wait(future) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    func checkNewItems(_ reference: Identifier, _ changes: [CaseChange]) throws {
        for change in changes {
            guard case .itemsAdded(let seizures) = change else { continue }
            let items = seizures.flatMap(\.items)
            guard !items.isEmpty else { continue }
            let taken = try session.query("SELECT item_id, exhibit FROM items WHERE case_reference = $1 AND (item_id = ANY($2) OR exhibit = ANY($3)) LIMIT 1",
                                          [.text(reference.value), .texts(items.map(\.id.value)), .texts(items.map(\.exhibit.value))])
            if let row = taken.first {
                let id = try row.string("item_id")
                if let item = items.first(where: { $0.id.value == id }) {
                    throw HaulCoreError(.inconsistent, "case \(reference) already has an item \(item.id)")
                }
                throw HaulCoreError(.inconsistent, "case \(reference) already has an exhibit \(try row.string("exhibit"))")
            }
        }
    }

    func applyToRows(_ changes: [CaseChange], state: Case, head: (Int, String)) throws {
        let reference = state.reference.value
        var skeletonChanged = false
        for change in changes {
            switch change {
            case .opened, .baseline:
                try writeState(state, head: head, reindex: true)
                return
            case .personAdded, .confiscationInputs, .paymentAdded, .proceedings:
                skeletonChanged = true
            case .itemsAdded(let seizures):
                skeletonChanged = true
                var position = try session.query("SELECT COALESCE(MAX(position), 0) AS last FROM items WHERE case_reference = $1", [.text(reference)])[0].int("last")
                var batch = ItemBatch()
                for seizure in seizures {
                    guard let seizurePosition = state.seizures.firstIndex(where: { $0.id == seizure.id }) else { continue }
                    for item in seizure.items {
                        position += 1
                        try batch.add(item, seizure: seizure.id.value, seizurePosition: seizurePosition, position: position)
                        if batch.count == ItemBatch.size { try flush(&batch, case: reference) }
                    }
                }
                try flush(&batch, case: reference)
            case .itemsReplaced(let items):
                for item in items {
                    // The stored form and figures only when kind and exhibit stay (all a prosecutor
                    // may write); the whole row otherwise.
                    let document = try LedgerWriting.itemJSON(item), figures = ItemFigures(item).storedText
                    var changed = try session.change("UPDATE items SET document = $1, figures = $2 WHERE case_reference = $3 AND item_id = $4 AND kind = $5 AND exhibit = $6",
                                                     [.text(document), .text(figures), .text(reference), .text(item.id.value), .text(item.kind.rawValue), .text(item.exhibit.value)])
                    if changed == 0 {
                        changed = try session.change("UPDATE items SET document = $1, kind = $2, exhibit = $3, figures = $4 WHERE case_reference = $5 AND item_id = $6",
                                                     [.text(document), .text(item.kind.rawValue), .text(item.exhibit.value), .text(figures), .text(reference), .text(item.id.value)])
                    }
                    guard changed == 1 else { throw HaulCoreError(.inconsistent, "case \(reference) has no item \(item.id)") }
                    try session.change("DELETE FROM item_keys WHERE case_reference = $1 AND item_id = $2", [.text(reference), .text(item.id.value)])
                    var batch = ItemBatch()
                    batch.addKeys(of: item)
                    if !batch.keyItems.isEmpty {
                        try session.change("""
                            INSERT INTO item_keys (case_reference, item_id, field, value, normalised, ordinal)
                            SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
                            """, [.text(reference), .texts(batch.keyItems), .texts(batch.keyFields), .texts(batch.keyValues), .texts(batch.keyNormalised),
                                  .integers(batch.keyOrdinals)])
                    }
                }
            }
        }
        // The head follows each event by the chain's trigger; only the skeleton is written here.
        if skeletonChanged { try writeSkeleton(state, head: head) }
    }

    /// Inserts a chain in its order (each event must continue the chain, which the server's
    /// trigger checks): each run of status moves, then of records, a block at a time.
    func insertChain(_ links: [EventChain.Link], case reference: Identifier, recordedAt: Date) throws {
        var moves: [StatusEvent] = [], records: [RecordEvent] = []
        func flush() throws {
            if !moves.isEmpty { try insert(moves, case: reference, recordedAt: recordedAt); moves = [] }
            if !records.isEmpty { try insert(records, case: reference, recordedAt: recordedAt); records = [] }
        }
        for link in links {
            switch link {
            case .status(let event):
                if !records.isEmpty { try flush() }
                moves.append(event)
            case .record(let record):
                if !moves.isEmpty { try flush() }
                records.append(record)
            }
        }
        try flush()
    }

    /// Inserts records a block at a time.
    func insert(_ records: [RecordEvent], case reference: Identifier, recordedAt: Date) throws {
        let stamp = LedgerWriting.timestamp(recordedAt)
        var start = 0
        while start < records.count {
            let block = records[start..<min(records.count, start + 2000)]
            try session.change("""
                INSERT INTO records (case_reference, sequence, kind, at, zone, actor, reason, payload, previous_hash, hash, recorded_at)
                SELECT $1, sequence, kind, at, zone, actor, reason, payload, NULLIF(previous_hash, ''), hash, $11
                FROM unnest($2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                    AS r(sequence, kind, at, zone, actor, reason, payload, previous_hash, hash)
                """, [.text(reference.value), .integers(block.map(\.sequence)), .texts(block.map(\.kind)), .texts(block.map(\.at.iso8601)),
                      .texts(block.map(\.at.zone)), .texts(block.map(\.actor)), .texts(block.map(\.reason)), .texts(block.map(\.payload)),
                      // A first record has no previous hash: '' here, NULL in the row (no hash is empty).
                      .texts(block.map { $0.previousHash ?? "" }), .texts(block.map(\.hash)), .text(stamp)])
            start += 2000
        }
    }

    /// Inserts status moves a block at a time (an imported chain can hold many). Their optional
    /// fields travel as text with a mask saying which are present, as unnest takes no NULLs here.
    func insert(_ events: [StatusEvent], case reference: Identifier, recordedAt: Date) throws {
        let stamp = LedgerWriting.timestamp(recordedAt)
        var start = 0
        while start < events.count {
            let block = events[start..<min(events.count, start + 2000)]
            func present(_ event: StatusEvent) -> Int {
                [event.from != nil, event.regime != nil, event.authority != nil, event.note != nil, event.previousHash != nil, event.supersedes != nil, event.late != nil]
                    .enumerated().reduce(0) { $0 | ($1.element ? 1 << $1.offset : 0) }
            }
            try session.change("""
                INSERT INTO events (case_reference, sequence, at, zone, items, from_state, to_state, regime, authority, actor, note, previous_hash, hash, recorded_at, supersedes, late)
                SELECT $1, sequence, at, zone, items,
                       CASE WHEN mask & 1 <> 0 THEN from_state END, to_state, CASE WHEN mask & 2 <> 0 THEN regime END,
                       CASE WHEN mask & 4 <> 0 THEN authority END, actor, CASE WHEN mask & 8 <> 0 THEN note END,
                       CASE WHEN mask & 16 <> 0 THEN previous_hash END, hash, $2, CASE WHEN mask & 32 <> 0 THEN supersedes END,
                       CASE WHEN mask & 64 <> 0 THEN late END
                FROM unnest($3::int8[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[],
                            $13::text[], $14::text[], $15::int8[], $16::text[], $17::int8[])
                    AS e(sequence, at, zone, items, from_state, to_state, regime, authority, actor, note, previous_hash, hash, supersedes, late, mask)
                """, [.text(reference.value), .text(stamp), .integers(block.map(\.sequence)), .texts(block.map(\.at.iso8601)), .texts(block.map(\.at.zone)),
                      .texts(block.map { $0.items.map(\.value).joined(separator: " ") }), .texts(block.map { $0.from?.rawValue ?? "" }),
                      .texts(block.map(\.to.rawValue)), .texts(block.map { $0.regime?.value ?? "" }), .texts(block.map { $0.authority ?? "" }),
                      .texts(block.map(\.actor)), .texts(block.map { $0.note ?? "" }), .texts(block.map { $0.previousHash ?? "" }), .texts(block.map(\.hash)),
                      .integers(block.map { $0.supersedes ?? 0 }), .texts(block.map { $0.late ?? "" }), .integers(block.map(present))])
            start += 2000
        }
    }

    func insert(_ event: StatusEvent, case reference: Identifier, recordedAt: Date) throws {
        try session.change("""
            INSERT INTO events (case_reference, sequence, at, zone, items, from_state, to_state, regime, authority, actor, note, previous_hash, hash, recorded_at, supersedes, late)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """, [.text(reference.value), .integer(event.sequence), .text(event.at.iso8601), .text(event.at.zone), .text(event.items.map(\.value).joined(separator: " ")),
                  SQLValue(event.from?.rawValue), .text(event.to.rawValue), SQLValue(event.regime?.value), SQLValue(event.authority), .text(event.actor),
                  SQLValue(event.note), SQLValue(event.previousHash), .text(event.hash), .text(LedgerWriting.timestamp(recordedAt)), SQLValue(event.supersedes),
                  SQLValue(event.late)])
    }

    /// The case's status moves in sequence order; with `seizures`, only those naming an item of
    /// one of them (through `event_seizures`), so a move costs what its seizures hold.
    func events(_ reference: Identifier, seizures: [String]? = nil) throws -> [StatusEvent] {
        let rows: [SQLRow]
        if let seizures {
            rows = try session.query("""
                SELECT * FROM events WHERE case_reference = $1 AND sequence IN
                    (SELECT sequence FROM event_seizures WHERE case_reference = $1 AND seizure_id = ANY($2)) ORDER BY sequence
                """, [.text(reference.value), .texts(seizures)])
        } else {
            rows = try session.query("SELECT * FROM events WHERE case_reference = $1 ORDER BY sequence", [.text(reference.value)])
        }
        return try rows.map { row in
            let items = try row.string("items").split(separator: " ").compactMap { try? Identifier(String($0)) }
            guard let to = State(rawValue: try row.string("to_state")) else {
                throw StoreError(.database, "case \(reference): event \(try row.int("sequence")) has an unknown state '\(try row.string("to_state"))'")
            }
            return StatusEvent(sequence: try row.int("sequence"), at: try ZonedDateTime(parsing: try row.string("at"), zone: try row.string("zone")), items: items,
                               from: try row.optionalString("from_state").flatMap(State.init(rawValue:)), to: to,
                               regime: try row.optionalString("regime").flatMap { try? Identifier($0) }, authority: try row.optionalString("authority"),
                               actor: try row.string("actor"), note: try row.optionalString("note"), previousHash: try row.optionalString("previous_hash"),
                               hash: try row.string("hash"), supersedes: try row.optionalInt("supersedes"), late: try row.optionalString("late"))
        }
    }

    func records(_ reference: Identifier) throws -> [RecordEvent] {
        try session.query("SELECT * FROM records WHERE case_reference = $1 ORDER BY sequence", [.text(reference.value)]).map(Self.record(from:))
    }

    /// Up to `limit` of the case's records before `before` (from the head when nil), newest
    /// first, that contain any of `needles` (every record when nil).
    func records(_ reference: Identifier, containingAny needles: [String]?, before: Int?, limit: Int) throws -> [RecordEvent] {
        // No needles at all picks out no record (an empty OR is not SQL).
        if let needles, needles.isEmpty { return [] }
        let list = needles ?? []
        let condition = needles == nil ? "" : " AND (" + list.indices.map { "position($\($0 + 4) in payload) > 0" }.joined(separator: " OR ") + ")"
        return try session.query("SELECT * FROM records WHERE case_reference = $1 AND sequence < $2\(condition) ORDER BY sequence DESC LIMIT $3",
                                 [.text(reference.value), .integer(before ?? Int(Int32.max)), .integer(limit)] + list.map { .text($0) }).map(Self.record(from:))
    }

    static func record(from row: SQLRow) throws -> RecordEvent {
        RecordEvent(sequence: try row.int("sequence"), kind: try row.string("kind"), at: try ZonedDateTime(parsing: try row.string("at"), zone: try row.string("zone")),
                    actor: try row.string("actor"), reason: try row.string("reason"), payload: try row.string("payload"),
                    previousHash: try row.optionalString("previous_hash"), hash: try row.string("hash"))
    }

    /// Appends the case to the register log: the server's own function works out the entry
    /// (position, link, hash) after checking this user may record the case.
    func logCase(_ reference: Identifier, firstHash: String, recordedAt: Date) throws {
        try session.query("SELECT haul.append_register_log($1, $2)", [.text(reference.value), .text(LedgerWriting.timestamp(recordedAt))])
    }
}

/// Item rows gathered column by column, written with one `unnest` insert.
struct ItemBatch {
    static let size = 2000
    var ids: [String] = [], exhibits: [String] = [], kinds: [String] = [], seizures: [String] = []
    var seizurePositions: [Int] = [], positions: [Int] = [], documents: [String] = [], figures: [String] = []
    var keyItems: [String] = [], keyFields: [String] = [], keyValues: [String] = [], keyNormalised: [String] = [], keyOrdinals: [Int] = []
    var count: Int { ids.count }

    mutating func add(_ item: Item, seizure: String, seizurePosition: Int, position: Int) throws {
        ids.append(item.id.value)
        exhibits.append(item.exhibit.value)
        kinds.append(item.kind.rawValue)
        seizures.append(seizure)
        seizurePositions.append(seizurePosition)
        positions.append(position)
        documents.append(try LedgerWriting.itemJSON(item))
        figures.append(ItemFigures(item).storedText)
        addKeys(of: item)
    }

    mutating func addKeys(of item: Item) {
        for (ordinal, key) in item.lookupKeys.enumerated() {
            keyItems.append(item.id.value)
            keyFields.append(key.field.rawValue)
            keyValues.append(key.value)
            keyNormalised.append(key.normalised)
            keyOrdinals.append(ordinal)
        }
    }
}

/// A seizure's figures read from the rows inside a move's transaction, a block at a time,
/// stopping when the reader has seen enough.
struct PostgresSeizureFigures: SeizureFigures {
    let session: SQLSession
    let reference: Identifier

    func forEach(in seizure: Identifier, _ visit: (ItemFigures) -> Bool) throws {
        var after = -1
        while true {
            let rows = try session.query("""
                SELECT item_id, kind, figures, position FROM items WHERE case_reference = $1 AND seizure_id = $2 AND position > $3 ORDER BY position LIMIT 500
                """, [.text(reference.value), .text(seizure.value), .integer(after)])
            for row in rows {
                let itemID = try Identifier(try row.string("item_id"))
                guard let kind = ItemKind(rawValue: try row.string("kind")) else {
                    throw StoreError(.database, "case \(reference): item \(itemID) has an unknown kind; run haul audit")
                }
                let figures = Array(try row.string("figures").utf8)
                let parsed = try figures.withUnsafeBufferPointer { try ItemFigures(id: itemID, kind: kind, storedBytes: $0) }
                guard visit(parsed) else { return }
                after = try row.int("position")
            }
            if rows.count < 500 { return }
        }
    }
}
