import Foundation
import SLAKit

/// `sla-bench parts DIR [--repeat R] [--only PART]`: the parts of `sla verify`'s work, one at a time on one
/// core, over the files in DIR's work tree (a repository `sla-bench ledger --make` wrote):
/// reading every version's YAML, decoding and validating it, parsing every signature file,
/// verifying its SSHSIG, and judging it whole (`SignatureVerdict.judge`). Best of R, in ms and
/// µs per file. Shows where `verify` spends its time beside the Ed25519 checks.
func runPartsBenchmark(_ arguments: [String]) {
    let options = benchmarkOptions(Array(arguments.dropFirst()), known: ["repeat", "only"], usage: partsUsage)
    guard let directory = arguments.first, !directory.hasPrefix("--") else { partsUsage() }
    let repeats = options["repeat"].flatMap(Int.init) ?? 3
    do {
        try PartsMeasurement(directory: directory, repeats: repeats, only: options["only"]).run()
    } catch {
        FileHandle.standardError.write(Data("sla-bench parts: \(error)\n".utf8))
        exit(1)
    }
}

private func partsUsage() -> Never {
    FileHandle.standardError.write(Data("usage: sla-bench parts DIR [--repeat R] [--only PART]\n".utf8))
    exit(64)
}

private struct PartsMeasurement {
    let directory: String
    let repeats: Int
    /// Time only the part of this name (`none`: only the setup), e.g. to count instructions
    /// under `valgrind --tool=callgrind`, which this VM's noise does not disturb.
    let only: String?

    struct Version {
        let agreement: String
        let number: Int
        let path: String
        let data: Data
    }

    struct Signature {
        let agreement: String
        let number: Int
        let path: String
        let data: Data
    }

    func run() throws {
        let manager = FileManager.default
        let root = URL(fileURLWithPath: directory).appendingPathComponent("agreements")
        var versions: [Version] = []
        var signatures: [Signature] = []
        for agreement in try manager.contentsOfDirectory(atPath: root.path).sorted() {
            let folder = root.appendingPathComponent(agreement)
            for name in (try? manager.contentsOfDirectory(atPath: folder.appendingPathComponent("versions").path)) ?? [] {
                guard let n = Int(name.dropFirst().dropLast(5)) else { continue }
                let path = "agreements/\(agreement)/versions/\(name)"
                versions.append(
                    Version(
                        agreement: agreement, number: n, path: path,
                        data: try Data(contentsOf: root.deletingLastPathComponent().appendingPathComponent(path))))
            }
            let signatureFolder = folder.appendingPathComponent("signatures")
            for version in (try? manager.contentsOfDirectory(atPath: signatureFolder.path)) ?? [] {
                guard let n = Int(version.dropFirst()) else { continue }
                for name in try manager.contentsOfDirectory(atPath: signatureFolder.appendingPathComponent(version).path) {
                    let path = "agreements/\(agreement)/signatures/\(version)/\(name)"
                    signatures.append(
                        Signature(
                            agreement: agreement, number: n, path: path,
                            data: try Data(contentsOf: root.deletingLastPathComponent().appendingPathComponent(path))))
                }
            }
        }
        print("\(versions.count) versions (\(versions.reduce(0) { $0 + $1.data.count }) bytes), \(signatures.count) signature files")

        var records: [String: VersionRecord] = [:]
        for version in versions where only == nil || only == "signature_judge" {
            guard let agreement = AgreementDecoder.decode(version.data, file: version.path, expectedID: version.agreement).agreement else {
                throw BenchError("\(version.path) does not validate")
            }
            records["\(version.agreement)/\(version.number)"] = VersionRecord(
                number: version.number, bytes: version.data, agreement: agreement)
        }
        let parsed = only == nil || only == "signature_verify" ? try signatures.map { try SignatureFile(parsing: $0.data) } : []

        time("yaml read", versions.count) {
            for version in versions { _ = YAMLReader.read(version.data) }
        }
        time("decode + validate", versions.count) {
            for version in versions { _ = AgreementDecoder.decode(version.data, file: version.path, expectedID: version.agreement) }
        }
        time("version record (sha256)", versions.count) {
            for version in versions { _ = version.data.sha256Hex }
        }
        time("signature parse", signatures.count) {
            for signature in signatures { _ = try? SignatureFile(parsing: signature.data) }
        }
        time("signature verify", signatures.count) {
            for file in parsed { try? file.verifySignature() }
        }
        time("signature judge", signatures.count) {
            for signature in signatures {
                let verdict = SignatureVerdict.judge(
                    path: signature.path, data: signature.data, agreementID: signature.agreement,
                    version: records["\(signature.agreement)/\(signature.number)"], number: signature.number,
                    previousSHA256: records["\(signature.agreement)/\(signature.number - 1)"]?.sha256, earlier: [])
                if !verdict.isValid { print("invalid: \(signature.path): \(verdict.problem ?? "")") }
            }
        }
    }

    func time(_ name: String, _ count: Int, _ body: () throws -> Void) rethrows {
        if let only, only != name.replacingOccurrences(of: " ", with: "_") { return }
        let clock = ContinuousClock()
        var best: Duration?
        for _ in 0..<repeats {
            let start = clock.now
            try body()
            let elapsed = clock.now - start
            if best == nil || elapsed < best! { best = elapsed }
        }
        let ms = Double(best!.components.seconds) * 1000 + Double(best!.components.attoseconds) / 1e15
        let label = name.padding(toLength: 26, withPad: " ", startingAt: 0)
        print("\(label) \(String(format: "%8.1f", ms)) ms  \(String(format: "%7.1f", ms * 1000 / Double(max(count, 1)))) µs each")
        print("result \(name.replacingOccurrences(of: " ", with: "_")) \(String(format: "%.1f", ms))")
    }
}
