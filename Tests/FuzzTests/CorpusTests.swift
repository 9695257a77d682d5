import Foundation
import SLAFuzzing
import Testing

/// Every committed fuzz input — the seed corpora and the findings that were fixed — runs through
/// the fuzz targets' own code in the normal suite, so a fixed finding stays fixed.
@Suite struct CorpusTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func inputs(_ target: FuzzTarget, in folder: String) throws -> [URL] {
        let directory = fuzzFolder.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedCorpus(_ target: FuzzTarget) throws {
        let files = try Self.inputs(target, in: "corpus")
        #expect(files.count >= 3, "the seed corpus of \(target.rawValue) has \(files.count) inputs")
        for file in files {
            let broken = target.run(try Data(contentsOf: file))
            #expect(broken.isEmpty, "\(target.rawValue)/\(file.lastPathComponent): \(broken)")
        }
    }

    @Test(arguments: FuzzTarget.allCases)
    func fixedFindings(_ target: FuzzTarget) throws {
        for file in try Self.inputs(target, in: "findings") {
            let broken = target.run(try Data(contentsOf: file))
            #expect(broken.isEmpty, "\(target.rawValue)/\(file.lastPathComponent): \(broken)")
        }
    }

    /// The hook target's fixture gives the verdicts its inputs are named for, so fuzzing it
    /// exercises the checks and not only the parser.
    @Test func hookFixtureVerdicts() throws {
        func refusals(_ name: String) throws -> [String]? {
            FuzzTarget.hookRefusals(try Data(contentsOf: Self.fuzzFolder.appendingPathComponent("corpus/hook-input/\(name)")))
        }
        #expect(try refusals("fast-forward") == [])
        #expect(try refusals("new-refs") == [])
        for refused in ["faulted-merge", "deleted-version", "delete-main", "rewind"] {
            let reasons = try refusals(refused)
            #expect(reasons?.isEmpty == false, "\(refused): \(String(describing: reasons))")
        }
    }
}
