import Dispatch
import Foundation
import SLAKit
import SSHSigKit

/// `sla-bench verify --make DIR [--signatories N] [--parties P] [--versions V]
///                   [--commits version|signature] [--template FILE]`
///   writes a synthetic SLA repository: one agreement (the example draft with its parties
///   replaced by P parties × N/P signatories `pNNN@acme.dk`, keys derived from fixed seeds),
///   proposed as V versions (each changes one goal's target), every signatory signing every
///   version; files built with `SignatureFile` + `SSHSignature.sign`, so they are right by
///   construction. History goes in through `git fast-import`: with `--commits version`
///   (default) one commit per proposal and one per version's batch of signatures, with
///   `--commits signature` one commit per signature, as `sla sign` makes them. Also writes
///   `DIR.allowed_signers` (every key, namespace sla-approval) for `ssh-keygen -Y verify`.
///
/// `sla-bench verify --measure DIR [--repeat R]`
///   times, in process, what `sla verify --repo DIR` does and its parts: reading and parsing
///   every signature file of the work tree, verifying them on one core and on all cores,
///   the raw Ed25519 check alone, and `SLARepository.verify` with a breakdown by phase.
///   Lines starting `result ` are for scripts/bench-verify.
func runVerifyBenchmark(_ arguments: [String]) {
    let options = benchmarkOptions(
        arguments, known: ["make", "measure", "signatories", "parties", "versions", "commits", "template", "repeat"], usage: verifyUsage)
    do {
        if let dir = options["make"] {
            let signatories = options["signatories"].flatMap(Int.init) ?? 500
            let parties = options["parties"].flatMap(Int.init) ?? 10
            let versions = options["versions"].flatMap(Int.init) ?? 8
            let perSignature: Bool
            switch options["commits"] ?? "version" {
            case "version": perSignature = false
            case "signature": perSignature = true
            default: verifyUsage()
            }
            guard parties >= 2, signatories >= parties, signatories <= 9999, versions >= 1 else { verifyUsage() }
            try SyntheticRepository(
                directory: dir, template: options["template"] ?? "agreements/acme-sales-marketing/draft.yaml",
                signatories: signatories, parties: parties, versions: versions, commitPerSignature: perSignature
            ).make()
        } else if let dir = options["measure"] {
            try VerifyMeasurement(directory: dir, repeats: options["repeat"].flatMap(Int.init) ?? 3).run()
        } else {
            verifyUsage()
        }
    } catch {
        FileHandle.standardError.write(Data("sla-bench verify: \(error)\n".utf8))
        exit(1)
    }
}

private func verifyUsage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: sla-bench verify --make DIR [--signatories N] [--parties P] [--versions V] [--commits version|signature] [--template FILE]
                   sla-bench verify --measure DIR [--repeat R]

            """.utf8))
    exit(64)
}

/// `--name value` pairs; anything else, or a name not in `known`, is `usage()`.
func benchmarkOptions(_ arguments: [String], known: Set<String>, usage: () -> Never) -> [String: String] {
    var options: [String: String] = [:]
    var index = 0
    while index < arguments.count {
        let argument = arguments[index]
        guard argument.hasPrefix("--"), index + 1 < arguments.count else { usage() }
        options[String(argument.dropFirst(2))] = arguments[index + 1]
        index += 2
    }
    guard options.keys.allSatisfy(known.contains) else { usage() }
    return options
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

// MARK: - Making the repository

struct SyntheticRepository {
    static let agreementID = "acme-sales-marketing"
    static let signedAt = "2026-12-01T09:30:00Z"
    static let committer = ("SLA Bench", "bench@acme.dk")

    let directory: String
    let template: String
    let signatories: Int
    let parties: Int
    let versions: Int
    let commitPerSignature: Bool

    struct Signer {
        let principal: String
        let party: String
        let key: Ed25519PrivateKey
    }

    /// One party of the `parties:` list, every signer with `required: all`.
    static func partyYAML(id: String, name: String, signers: [Signer], nameLength: Int) -> String {
        var text = """
              - id: \(id)
                name: \(name)
                required: all
                signatories:

            """
        for signer in signers {
            text += """
                      - name: Underskriver \(signer.principal.prefix(nameLength))
                        role: Chef
                        principal: \(signer.principal)
                        key: \(signer.key.publicKey.openSSHLine)

                """
        }
        return text
    }

    func make() throws {
        let clock = ContinuousClock()
        let start = clock.now
        guard !FileManager.default.fileExists(atPath: directory) else {
            throw BenchError("\(directory) exists already; give a new directory")
        }
        guard let templateText = try? String(contentsOfFile: template, encoding: .utf8) else {
            throw BenchError("cannot read the template \(template) (run from the project root or pass --template)")
        }

        // Keys from fixed seeds: deterministic, and no ssh-keygen run per signatory.
        let signers: [Signer] = try (0..<signatories).map { i in
            var random = BenchmarkRandom(seed: 0x5_1A_BE_4C_00 &+ UInt64(i))
            var seed = Data()
            for _ in 0..<4 { withUnsafeBytes(of: random.next().littleEndian) { seed.append(contentsOf: $0) } }
            return Signer(
                principal: String(format: "p%03d@acme.dk", i + 1),
                party: String(format: "party-%02d", i % parties + 1),
                key: try Ed25519PrivateKey(seed: seed))
        }
        let keysMade = clock.now

        // The versions: the example draft with the generated parties, one number changed each time.
        let partiesYAML = (0..<parties).map { p in
            let id = String(format: "party-%02d", p + 1)
            return Self.partyYAML(id: id, name: "Afdeling \(p + 1)", signers: signers.filter { $0.party == id }, nameLength: 4)
        }.joined()
        guard let partiesStart = templateText.range(of: "\nparties:\n"),
            let ownerStart = templateText.range(of: "\nowner:", range: partiesStart.upperBound..<templateText.endIndex),
            templateText.contains("target: 2500, ")
        else {
            throw BenchError("\(template) does not look like the example agreement (parties:, owner:, a leads target of 2500)")
        }
        let base =
            String(templateText[..<partiesStart.upperBound]) + partiesYAML
            + String(templateText[templateText.index(after: ownerStart.lowerBound)...])
        let versionBytes: [Data] = (1...versions).map { n in
            Data(base.replacingOccurrences(of: "target: 2500, ", with: "target: \(2500 + n - 1), ").utf8)
        }
        let hashes = versionBytes.map(\.sha256Hex)

        // Every signatory signs every version, in process, on all cores.
        let folder = "agreements/\(Self.agreementID)"
        let total = versions * signatories
        let signatureFiles = ConcurrentResults<Data>(count: total)
        let failures = ConcurrentResults<String>(count: total)
        DispatchQueue.concurrentPerform(iterations: total) { k in
            let n = k / signatories + 1
            let signer = signers[k % signatories]
            let message = SignatureFile.message(
                agreement: Self.agreementID, version: n, sha256: hashes[n - 1], previous: n > 1 ? hashes[n - 2] : nil,
                party: signer.party, signer: signer.principal, signedAt: Self.signedAt)
            do {
                let signature = try SSHSignature.sign(message, namespace: SignatureFile.namespace, with: signer.key)
                signatureFiles[k] =
                    SignatureFile(
                        agreement: Self.agreementID, version: n, sha256: hashes[n - 1], previous: n > 1 ? hashes[n - 2] : nil,
                        party: signer.party, signer: signer.principal, signedAt: Self.signedAt, signature: signature
                    ).contents
            } catch {
                failures[k] = "\(error)"
            }
        }
        if let failure = failures.values.compactMap({ $0 }).first { throw BenchError("signing failed: \(failure)") }
        let signed = clock.now

        // History through git fast-import (the real git, in one process).
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main", directory])
        var stream = FastImportStream(committer: Self.committer)
        for n in 1...versions {
            stream.commit(
                message: "Propose \(Self.agreementID) v\(n)",
                files: [("\(folder)/versions/v\(n).yaml", versionBytes[n - 1])])
            stream.tag("sla/\(Self.agreementID)/v\(n)", message: "\(Self.agreementID) v\(n)")
            let batch = (0..<signatories).map { s in
                ("\(folder)/signatures/v\(n)/\(signers[s].principal).sig", signatureFiles[(n - 1) * signatories + s]!)
            }
            if commitPerSignature {
                for (path, data) in batch {
                    stream.commit(
                        message: "Sign \(Self.agreementID) v\(n) as \(path.split(separator: "/").last!.dropLast(4))",
                        files: [(path, data)])
                }
            } else {
                stream.commit(message: "Sign \(Self.agreementID) v\(n) (\(signatories) signatures)", files: batch)
            }
        }
        try git(["-C", directory, "fast-import", "--quiet"], input: stream.data)
        try git(["-C", directory, "reset", "-q", "--hard", "main"])
        let committed = clock.now

        // allowed_signers for ssh-keygen, next to the repository (not in it: no stray file).
        let allowed = signers.map { "\($0.principal) namespaces=\"\(SignatureFile.namespace)\" \($0.key.publicKey.openSSHLine)\n" }.joined()
        try Data(allowed.utf8).write(to: URL(fileURLWithPath: directory + ".allowed_signers"))

        func s(_ d: Duration) -> String { String(format: "%.2f s", seconds(d)) }
        print(
            "made \(directory): 1 agreement, \(parties) parties, \(signatories) signatories, \(versions) versions, "
                + "\(total) signature files, \(stream.commits) commits, \(versions) tags; "
                + "allowed signers in \(directory).allowed_signers")
        print("  keys \(s(keysMade - start)), signing \(s(signed - keysMade)), git fast-import + checkout \(s(committed - signed))")
    }
}

/// A `git fast-import` stream: commits on refs/heads/main, annotated tags on the last commit.
struct FastImportStream {
    let committer: (String, String)
    private(set) var data = Data()
    private(set) var commits = 0
    private var time = 1_796_000_000  // 2026-11-30, one second per commit

    init(committer: (String, String)) { self.committer = committer }

    private mutating func text(_ s: String) { data.append(contentsOf: s.utf8) }
    private mutating func blob(_ bytes: Data) {
        text("data \(bytes.count)\n")
        data.append(bytes)
        text("\n")
    }

    mutating func commit(message: String, files: [(String, Data)]) {
        commits += 1
        time += 1
        text("commit refs/heads/main\nmark :\(commits)\ncommitter \(committer.0) <\(committer.1)> \(time) +0000\n")
        blob(Data(message.utf8))
        if commits > 1 { text("from :\(commits - 1)\n") }
        for (path, bytes) in files {
            text("M 100644 inline \(path)\n")
            blob(bytes)
        }
    }

    mutating func tag(_ name: String, message: String) {
        text("tag \(name)\nfrom :\(commits)\ntagger \(committer.0) <\(committer.1)> \(time) +0000\n")
        blob(Data(message.utf8))
    }
}

@discardableResult
func git(_ arguments: [String], input: Data? = nil) throws -> Data {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
        [
            "git", "-c", "user.name=\(SyntheticRepository.committer.0)",
            "-c", "user.email=\(SyntheticRepository.committer.1)",
            "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false",
        ] + arguments
    let output = Pipe()
    process.standardOutput = output
    let inputPipe = input.map { _ in Pipe() }
    if let inputPipe { process.standardInput = inputPipe }
    try process.run()
    if let input, let inputPipe {
        let handle = inputPipe.fileHandleForWriting
        let writer = Thread {
            handle.write(input)
            try? handle.close()
        }
        writer.start()
    }
    let result = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BenchError("git \(arguments.prefix(3).joined(separator: " ")) … exited with \(process.terminationStatus)")
    }
    return result
}

/// Results written by index from `DispatchQueue.concurrentPerform`; each slot by one iteration only.
final class ConcurrentResults<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>
    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }
    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }
    subscript(index: Int) -> T? {
        get { buffer[index] }
        set { buffer[index] = newValue }
    }
    var values: [T?] { Array(buffer) }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

// MARK: - Measuring

struct VerifyMeasurement {
    let directory: String
    let repeats: Int

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let clock = ContinuousClock()

        // Every signature file in the work tree, as `sla verify` reads them (it reads blobs).
        let root = URL(fileURLWithPath: directory)
        var paths: [String] = []
        let agreements = root.appendingPathComponent("agreements")
        for id in try FileManager.default.contentsOfDirectory(atPath: agreements.path).sorted() {
            let signatures = agreements.appendingPathComponent(id).appendingPathComponent("signatures")
            guard let versions = try? FileManager.default.contentsOfDirectory(atPath: signatures.path) else { continue }
            for version in versions.sorted() {
                let folder = signatures.appendingPathComponent(version)
                for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".sig") {
                    paths.append(folder.appendingPathComponent(file).path)
                }
            }
        }
        let count = paths.count
        guard count > 0 else { throw BenchError("no signature files under \(agreements.path)") }

        func best(_ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<max(1, repeats) {
                let start = clock.now
                try body()
                times.append(seconds(clock.now - start))
            }
            return times.min()!
        }
        func report(_ key: String, _ label: String, _ time: Double, perSignature: Bool = true) {
            if perSignature {
                print(
                    label.padding(toLength: 52, withPad: " ", startingAt: 0)
                        + String(
                            format: "%9.1f ms  %9.0f signatures/s  %7.1f µs/signature", time * 1000, Double(count) / time,
                            time * 1e6 / Double(count)))
                print("result \(key)_per_s \(Int((Double(count) / time).rounded()))")
            } else {
                print(label.padding(toLength: 52, withPad: " ", startingAt: 0) + String(format: "%9.1f ms", time * 1000))
            }
            print("result \(key)_ms \(String(format: "%.1f", time * 1000))")
        }

        print("verify measurement: \(count) signature files in \(directory), \(cores) cores, best of \(max(1, repeats))")
        print("result signatures \(count)")
        print("result cores \(cores)")

        var contents: [Data] = []
        report(
            "read", "read files (1 core)",
            try best {
                contents = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
            })
        var files: [SignatureFile] = []
        report(
            "parse_1core", "SignatureFile(parsing:) (1 core)",
            try best {
                files = try contents.map { try SignatureFile(parsing: $0) }
            })
        report(
            "verify_1core", "verifySignature() (1 core)",
            try best {
                for file in files { try file.verifySignature() }
            })
        let signedData = files.map {
            SSHSignature.signedData(message: $0.message, namespace: $0.signature.namespace, hashAlgorithm: $0.signature.hashAlgorithm)
        }
        report(
            "ed25519_1core", "raw Ed25519 isValidSignature (1 core)",
            try best {
                for (file, data) in zip(files, signedData)
                where !file.signature.publicKey.isValidSignature(file.signature.signature, for: data) {
                    throw BenchError("a signature does not verify")
                }
            })
        let chunks = cores * 8
        func parallel(_ body: @escaping @Sendable (Int) -> Bool) throws {
            let failed = ConcurrentResults<Bool>(count: chunks)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                var ok = true
                var i = chunk
                while i < count {
                    ok = body(i) && ok
                    i += chunks
                }
                failed[chunk] = !ok
            }
            if failed.values.contains(true) { throw BenchError("a signature does not parse or verify") }
        }
        let sharedContents = contents
        report(
            "parse_verify_ncore", "parse + verifySignature() (\(cores) cores)",
            try best {
                try parallel { i in
                    guard let file = try? SignatureFile(parsing: sharedContents[i]) else { return false }
                    return (try? file.verifySignature()) != nil
                }
            })
        let sharedFiles = files
        let sharedSigned = signedData
        report(
            "ed25519_ncore", "raw Ed25519 isValidSignature (\(cores) cores)",
            try best {
                try parallel { i in
                    sharedFiles[i].signature.publicKey.isValidSignature(sharedFiles[i].signature.signature, for: sharedSigned[i])
                }
            })

        // What `sla verify` does, in process, and where its time goes.
        var verifyReport: VerifyReport!
        report(
            "repository_verify", "SLARepository.verify (whole, in process)",
            try best {
                verifyReport = try SLARepository.open(at: directory).verify(nil)
            })
        guard verifyReport.faults.isEmpty, verifyReport.validSignatures == count else {
            throw BenchError(
                "SLARepository.verify: \(verifyReport.validSignatures) of \(verifyReport.signatures) valid, "
                    + "\(verifyReport.faults.count) faults: \(verifyReport.faults.prefix(3).map(\.description))")
        }
    }
}
