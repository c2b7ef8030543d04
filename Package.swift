// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Haul",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "HaulCore", targets: ["HaulCore"]),
        .library(name: "HaulXML", targets: ["HaulXML"]),
        .library(name: "HaulValuation", targets: ["HaulValuation"]),
        .library(name: "HaulProceedings", targets: ["HaulProceedings"]),
        .library(name: "HaulTables", targets: ["HaulTables"]),
        .library(name: "HaulData", targets: ["HaulData"]),
        .library(name: "HaulStore", targets: ["HaulStore"]),
        .library(name: "HaulCases", targets: ["HaulCases"]),
        .library(name: "HaulPostgres", targets: ["HaulPostgres"]),
        .executable(name: "haul", targets: ["haul"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // `swift package generate-documentation` (scripts/check-docs.sh): the library's DocC catalog.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // libxml2 from the system, found through pkg-config (Debian: libxml2-dev).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev", "libxslt1-dev"]), .brew(["libxml2", "libxslt"])]
        ),
        // libxmlsec1 from the system, its include paths and libraries from pkg-config (Debian:
        // libxmlsec1-dev), so the package needs no unsafe flags and can be used as a versioned
        // dependency.
        .systemLibrary(
            name: "CXMLSecSystem",
            pkgConfig: "xmlsec1-openssl",
            providers: [.apt(["libxmlsec1-dev"]), .brew(["libxmlsec1"])]
        ),
        // libxmlsec1 behind a narrow C API. SwiftPM takes only include paths and libraries from
        // pkg-config, so the defines `pkg-config --cflags xmlsec1-openssl` prints on Debian 12
        // are repeated here.
        .target(
            name: "CXMLSec",
            dependencies: ["CXMLSecSystem", "CLibXML2"],
            cSettings: [
                .define("__XMLSEC_FUNCTION__", to: "__func__"),
                .define("XMLSEC_NO_SIZE_T"),
                .define("XMLSEC_OPENSSL3_ENGINES", to: "1"),
                .define("XMLSEC_NO_GOST", to: "1"),
                .define("XMLSEC_NO_GOST2012", to: "1"),
                .define("XMLSEC_NO_CRYPTO_DYNAMIC_LOADING", to: "1"),
                .define("XMLSEC_CRYPTO_OPENSSL", to: "1"),
            ]
        ),
        // The case model: plain value types, no I/O; the event chain's canonical form and hash.
        .target(name: "HaulCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Files that ship with Haul: the case-file schemas and the bundled example.
        // The top-level `schemas/` and `examples/` folders are links into this target.
        .target(name: "HaulData", dependencies: ["HaulCore"], resources: [.copy("Resources/schemas"), .copy("Resources/examples"), .copy("Resources/valuations"), .copy("Resources/rules")]),
        // Price tables and the valuers: data in, valuations out.
        .target(name: "HaulValuation", dependencies: ["HaulCore"]),
        // Rule packs, lifecycles, deadlines (and later the confiscation calculator): pure logic.
        .target(name: "HaulProceedings", dependencies: ["HaulCore", .product(name: "Crypto", package: "swift-crypto")]),
        // Haul's data files read into the pure modules' rows: price tables, rule packs, exhibit
        // sheets, published series (problems as file:line:column).
        .target(name: "HaulTables", dependencies: ["HaulCore", "HaulData", "HaulValuation", "HaulProceedings"]),
        // The register: cases, versions of their documents, the append-only event chain (SQLite through GRDB).
        .target(name: "HaulStore", dependencies: [
            "HaulCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's incremental blob reading, for streaming a large stored document.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // The register on PostgreSQL, for a unit: the same ledger, roles and row-level security by
        // agency enforced in the database, every access logged.
        .target(name: "HaulPostgres", dependencies: [
            "HaulCore", "HaulStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            // SHA-256, HMAC and PBKDF2 for a login's SCRAM verifier, worked out here so a password never reaches the server.
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "_CryptoExtras", package: "swift-crypto"),
        ]),
        // The library's front door: each use case checked and recorded as one event of the case's chain.
        .target(name: "HaulCases", dependencies: ["HaulCore", "HaulStore", "HaulValuation", "HaulProceedings", "HaulTables"]),
        // Everything XML, in process through libxml2.
        .target(name: "HaulXML", dependencies: ["CLibXML2", "CXMLSec", "HaulCore", "HaulData", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .executableTarget(
            name: "haul",
            dependencies: [
                "HaulCore", "HaulXML", "HaulData", "HaulValuation", "HaulProceedings", "HaulTables", "HaulStore", "HaulCases", "HaulPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The valuation throughput benchmark: swift run -c release haul-bench
        .executableTarget(name: "haul-bench", dependencies: ["HaulCore", "HaulValuation", "HaulTables", "HaulXML"]),
        // Large-file benchmark: streaming export + validation of a million items against xmllint.
        .executableTarget(name: "haul-bench-xml", dependencies: ["HaulCore", "HaulXML", "HaulData", "HaulStore"]),
        // Register benchmark: import, one move, a 10,000-item seizure move and export of N items, against xmllint.
        .executableTarget(name: "haul-bench-register", dependencies: ["HaulCore", "HaulXML", "HaulData", "HaulStore", "HaulPostgres"]),
        // libFuzzer target over the import path (scripts/fuzz.sh builds it with -sanitize=fuzzer).
        .executableTarget(name: "haul-fuzz", dependencies: ["HaulCore", "HaulXML", "HaulValuation", "HaulTables"]),
        // Writes as fast as it can (status moves, or mixed writes through the front door): the register's concurrency tests run several at once.
        .executableTarget(name: "haul-stress", dependencies: ["HaulCore", "HaulStore", "HaulPostgres", "HaulCases", "HaulProceedings", "HaulValuation", "HaulTables"]),
        // The Getting Started article's program: embedding Haul (a test runs it).
        .executableTarget(name: "haul-embedding-example", dependencies: ["HaulCases", "HaulCore", "HaulData", "HaulStore", "HaulTables", "HaulValuation", "HaulXML"],
                          path: "Examples/Embedding"),
        // What the test targets share (temporary folders, the independent judges, hand-built cases).
        .target(name: "HaulTestSupport", dependencies: ["HaulCore"], path: "Tests/HaulTestSupport"),
        .testTarget(name: "HaulCoreTests", dependencies: ["HaulCore", "HaulTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "HaulStoreTests", dependencies: ["HaulStore", "HaulCore", "HaulTestSupport"]),
        .testTarget(name: "HaulPostgresTests", dependencies: ["HaulPostgres", "HaulStore"]),
        .testTarget(name: "HaulProceedingsTests", dependencies: ["HaulProceedings", "HaulTables", "HaulCore", "HaulData", "HaulTestSupport"]),
        .testTarget(name: "HaulValuationTests", dependencies: ["HaulValuation", "HaulTables", "HaulCore", "HaulData", "HaulTestSupport"]),
        .testTarget(name: "HaulTablesTests", dependencies: ["HaulTables", "HaulValuation", "HaulProceedings", "HaulCore", "HaulData", "HaulTestSupport"]),
        .testTarget(name: "HaulXMLTests", dependencies: ["HaulXML", "HaulCore", "HaulData", "HaulTestSupport", "CLibXML2"], exclude: ["Golden", "Hostile", "NIEM"]),
        .testTarget(name: "HaulCLITests", dependencies: ["haul", "haul-stress", "haul-embedding-example", "HaulData"], exclude: ["Fixtures"]),
        // Random cases through the library's front door, at and beyond every bound the schema states.
        .testTarget(name: "HaulCasesTests", dependencies: ["HaulCases", "HaulStore", "HaulXML", "HaulCore", "HaulData", "HaulTables", "HaulTestSupport"]),
    ]
)
