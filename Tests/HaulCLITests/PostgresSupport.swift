import Foundation
import Testing

/// The PostgreSQL server the register tests run against: `HAUL_TEST_POSTGRES` names it as an
/// administrator's URL (`.ci/run` starts a throw-away cluster with scripts/pg-test-cluster.sh
/// and sets it). Without it the PostgreSQL runs are skipped and say why; where tools are
/// required (CI), its absence fails.
enum PostgresServer {
    /// The administrator's URL, or nil (the test is skipped) when there is no server here.
    static func adminURL() throws -> String? {
        if let url = ProcessInfo.processInfo.environment["HAUL_TEST_POSTGRES"], !url.isEmpty { return url }
        try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil,
                     "a PostgreSQL server is required here: start one with scripts/pg-test-cluster.sh start DIR PORT and set HAUL_TEST_POSTGRES to the URL it prints")
        return nil
    }

    /// Why the PostgreSQL runs were skipped, for the test's output.
    static let skipped = "PostgreSQL runs skipped: HAUL_TEST_POSTGRES is not set (scripts/pg-test-cluster.sh start DIR PORT prints the URL)"

    /// `url` with its database replaced.
    static func url(_ url: String, database: String, user: String? = nil, password: String? = nil) -> String {
        var parts = URLComponents(string: url)!
        parts.path = "/" + database
        if let user { parts.user = user; parts.password = password }
        return parts.string!
    }

    /// A new, empty database on the server, dropped by the caller with ``drop(_:admin:)``.
    static func freshDatabase(admin: String) throws -> (name: String, url: String) {
        let name = "haul_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let result = try psql(admin, "CREATE DATABASE \(name)")
        try #require(result.status == 0, "cannot create a test database: \(result.stderr)")
        return (name, url(admin, database: name))
    }

    static func drop(_ name: String, admin: String) {
        _ = try? psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `sql` with plain psql (an independent client), stopping at the first error.
    static func psql(_ url: String, _ sql: String, environment: [String: String] = [:]) throws -> CLITests.Result {
        let psql = try #require(try CLITests.tool("psql", package: "postgresql-client"))
        return try CLITests().runTool(psql, ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], environment: environment)
    }
}
