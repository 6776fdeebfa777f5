// swift-tools-version:6.1
import PackageDescription

// Versions are the exact ones mirrored on our build machines (see README, "Build").
let package = Package(
    name: "mutual-aid",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MemberCore", targets: ["MemberCore"]),
        .library(name: "SyncServer", targets: ["SyncServer"]),
        .executable(name: "member-cli", targets: ["member-cli"]),
        .executable(name: "sync-server", targets: ["sync-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libcurl behind typed wrappers: Swift cannot call the variadic curl_easy_setopt.
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        // sqlite3_config, which is variadic, behind one typed function.
        .target(name: "CSQLiteTuning", linkerSettings: [.linkedLibrary("sqlite3")]),
        // mallopt, for member-cli's own heap policy (a process-wide choice, so not MemberCore's).
        .target(name: "CMallocTuning"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The one zlib wrapper: gzip bodies and ZIP (xlsx) entries.
        .target(name: "Deflate", dependencies: ["CZlib"]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // zstd response bodies (the server packs, libcurl unpacks on the client).
        .target(name: "Zstd", dependencies: ["CZstd"]),
        // Spreadsheets (xlsx, csv in UTF-8 or GBK) and PDF, written and read without outside tools.
        .target(name: "OfficeFormats", dependencies: ["Deflate"]),
        // SQL migrations, shipped as resources and applied in order at start.
        .target(
            name: "Schema", path: "schema", exclude: ["shipped-migrations.txt"],
            resources: [.copy("client"), .copy("server"), .copy("postgres")]),
        // Business rules shared by client and server: pure code, no I/O, no wire format.
        .target(
            name: "MutualAidDomain",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // The sync protocol's edge: request and response types, the JSON codec, gzip.
        .target(name: "SyncProtocol", dependencies: ["MutualAidDomain", "Deflate"]),
        // Synced field values in SQLite, shared by the client replica and the server store.
        .target(
            name: "SyncStorage",
            dependencies: [
                "MutualAidDomain", "SyncProtocol", "CSQLiteTuning", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The same SQL connection on PostgreSQL: the central case store when an office outgrows
        // one process.
        .target(
            name: "PostgresStorage",
            dependencies: [
                "MutualAidDomain", "SyncStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "MemberCore",
            dependencies: [
                "MutualAidDomain", "SyncProtocol", "CCurl", "Schema", "SyncStorage", "OfficeFormats",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "member-cli",
            dependencies: [
                "MemberCore", "CMallocTuning", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "SyncServer",
            dependencies: [
                "MutualAidDomain", "SyncProtocol", "Schema", "SyncStorage", "PostgresStorage", "CCurl", "Zstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "sync-server",
            dependencies: [
                "SyncServer", "PostgresStorage", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What the tests and benchmarks share: the built binaries run with deadlines, a demo
        // server process, scratch folders removed afterwards, seeded randomness.
        .target(name: "TestSupport", path: "Sources/TestSupport"),
        // The benchmark suite (scripts/bench): ratios against baselines measured in the same run.
        .executableTarget(
            name: "mutual-aid-bench",
            dependencies: [
                "MemberCore", "MutualAidDomain", "SyncProtocol", "SyncStorage", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Benchmarks/MutualAidBench"
        ),
        .testTarget(
            name: "OfficeFormatsTests",
            dependencies: ["OfficeFormats", "Deflate", "TestSupport"]
        ),
        .testTarget(
            name: "MutualAidDomainTests",
            dependencies: ["MutualAidDomain", "TestSupport"]
        ),
        .testTarget(
            name: "SyncProtocolTests",
            dependencies: [
                "SyncProtocol", "MutualAidDomain", "Deflate", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "MemberCoreTests",
            dependencies: [
                "MemberCore", "MutualAidDomain", "SyncProtocol", "SyncStorage", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "SyncServerTests",
            dependencies: [
                "SyncServer", "MemberCore", "MutualAidDomain", "SyncProtocol", "SyncStorage", "PostgresStorage",
                "TestSupport", "Schema", "Zstd",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "member-cli", "sync-server", "MemberCore", "MutualAidDomain", "SyncProtocol", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ]
)
