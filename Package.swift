// swift-tools-version:6.0
// recjudge: one module per concern (see README "Layout"). Data flows one way:
// Domain → Store → Judges / Workbench → Stats → Curation; RecJudgeCLI ties them together.
import PackageDescription

let package = Package(
    name: "recjudge",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "recjudge", targets: ["recjudge"]),
    ],
    dependencies: [
        // SQLite access with migrations, WAL pools and busy timeouts (the session store).
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // The command line.
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // Rubric and session files are YAML; Yams reports line numbers for errors.
        .package(url: "https://github.com/jpsim/Yams", exact: "5.0.1"),
        // A small async HTTP server: the fake OpenAI-compatible endpoint for tests and `bench judge`.
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        // C shims
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .systemLibrary(name: "CWidth", path: "Sources/CWidth"),

        // Domain model: samples, rubrics, verdicts, decisions; parsing and validation.
        .target(name: "Domain", dependencies: [.product(name: "Yams", package: "Yams")]),
        // The session store (SQLite through GRDB).
        .target(name: "Store", dependencies: ["Domain", .product(name: "GRDB", package: "GRDB.swift"),
                                            .product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // OpenAI-compatible chat-completions client on libcurl.
        .target(name: "LLM", dependencies: ["CCurl", "Domain"]),
        // Judges (openai, rules, replay) and the judge runner.
        .target(name: "Judges", dependencies: ["Domain", "Store", "LLM"]),
        // Agreement statistics (pure).
        .target(name: "Stats"),
        // Final labels and training-set export.
        .target(name: "Curation", dependencies: ["Domain", "Store", "Stats"]),
        // Terminal toolkit: cells, display width, sanitiser, layout (no curses here).
        .target(name: "TerminalKit", dependencies: ["CWidth"]),
        // The only module that talks to ncurses.
        .target(name: "CursesBackend", dependencies: ["TerminalKit", "CNCursesW"]),
        // Workbench screens: state + action → state + effects, render → grid.
        .target(name: "Workbench", dependencies: ["Domain", "Store", "TerminalKit", "Stats",
                                                .product(name: "Yams", package: "Yams")]),
        // The fake OpenAI-compatible server (tests and `recjudge bench judge`).
        .target(name: "FakeOpenAI", dependencies: [.product(name: "FlyingFox", package: "FlyingFox")],
                path: "Tests/FakeOpenAI"),
        // Test support shared by test targets: tmux driver, process spawning, temp dirs.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // A tiny program that draws through CursesBackend, for the backend's tmux tests.
        .executableTarget(name: "termcheck", dependencies: ["TerminalKit", "CursesBackend"], path: "Tests/termcheck"),
        // Subcommands.
        .target(name: "RecJudgeCLI", dependencies: [
            "Domain", "Store", "LLM", "Judges", "Stats", "Curation", "TerminalKit", "CursesBackend",
            "Workbench", "FakeOpenAI",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "recjudge", dependencies: ["RecJudgeCLI"]),

        .testTarget(name: "DomainTests", dependencies: ["Domain", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Domain", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "LLMTests", dependencies: ["LLM", "FakeOpenAI"]),
        .testTarget(name: "JudgesTests", dependencies: ["Judges", "Store", "Domain", "LLM", "FakeOpenAI", "TestSupport"]),
        .testTarget(name: "StatsTests", dependencies: ["Stats"], exclude: ["Fixtures"]),
        // GRDB: one test damages a stored sample by hand, as a user editing the store might.
        .testTarget(name: "CurationTests", dependencies: ["Curation", "Stats", "Store", "Domain", "TestSupport",
                                                          .product(name: "GRDB", package: "GRDB.swift")], exclude: ["Fixtures"]),
        .testTarget(name: "TerminalKitTests", dependencies: ["TerminalKit", "TestSupport", "termcheck"]),
        .testTarget(name: "WorkbenchTests", dependencies: ["Workbench", "TerminalKit", "Store", "Domain", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["RecJudgeCLI", "Store", "Domain", "Judges", "Curation", "TestSupport", "recjudge"]),
    ]
)
