// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "sla",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sla", targets: ["sla"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Streaming CSV (from an InputStream) for the CRM exports of `sla report`.
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Only SLAServer imports Hummingbird; its optional traits (swift-configuration) are not needed.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
    ],
    targets: [
        // Debian's libgit2-dev (1.5.1). Only GitKit imports it.
        .systemLibrary(
            name: "CLibGit2",
            path: "Sources/CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        .target(name: "GitKit", dependencies: ["CLibGit2"]),
        // Every bound on what sla reads (file sizes, list lengths, nesting, line lengths).
        .target(name: "SLALimits"),
        .target(
            name: "SSHSigKit",
            dependencies: ["SLALimits", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "SLAKit",
            dependencies: [
                "GitKit",
                "SSHSigKit",
                "SLALimits",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        // The read-only web service: the only target that imports Hummingbird.
        .target(
            name: "SLAServer",
            dependencies: [
                "SLAKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .executableTarget(
            name: "sla",
            dependencies: [
                "SLAKit",
                "GitKit",
                "SLALimits",
                "SLAServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "sla-bench", dependencies: ["SLAKit"], path: "Benchmarks/sla-bench"),
        // Fuzzing (Fuzz/run): the readers of pushed input as functions of bytes, and a driver that
        // is libFuzzer's entry point when built with -D FUZZING, else a replayer of saved inputs.
        .target(name: "SLAFuzzing", dependencies: ["SLAKit", "SSHSigKit"], path: "Fuzz/Harness"),
        .executableTarget(name: "sla-fuzz", dependencies: ["SLAFuzzing"], path: "Fuzz/Driver"),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "CLibGit2"]),
        .testTarget(name: "SSHSigKitTests", dependencies: ["SSHSigKit"]),
        .testTarget(name: "SLAKitTests", dependencies: ["SLAKit", "GitKit", "SLALimits"], resources: [.copy("Golden")]),
        .testTarget(
            name: "SLAServerTests",
            dependencies: [
                "SLAServer", "SLAKit", "GitKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["sla", "SLAKit", "GitKit"]),
        .testTarget(name: "FuzzTests", dependencies: ["SLAFuzzing"]),
    ]
)
