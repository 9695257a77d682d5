import Dispatch
import Foundation
import SLAKit
import SSHSigKit

/// `sla-bench ledger --make DIR [--agreements A] [--versions V] [--signatories S]
///                   [--commits file|one] [--template FILE]`
///   writes a synthetic SLA repository of the shape real teams make, for the history ledger
///   (`verify`, `show active`, `log`, `diff`, `activate`): A agreements `agr-001` … (the example
///   draft with its id replaced and its parties replaced by `marketing` and `sales`, S/2
///   signatories each, principals `m1.agr-001@acme.dk` … `s2.agr-001@acme.dk`, keys derived
///   from fixed seeds), each proposed as V versions (version N has the leads target 2500+N-1),
///   every version signed by every signatory and then activated (`activations.yaml` grows by
///   one `ActivationEntry.text` per version). `agr-001` has one more version, V+1, proposed
///   and fully signed but not activated, so `sla activate agr-001` has something to do.
///
///   `--commits file` (default): every proposal (tagged `sla/ID/vN`), every signature and
///   every activation is its own commit, as `sla propose|sign|activate` make them, with the
///   agreements interleaved round-robin (step 1 of every agreement, then step 2, …), and
///   agr-001's extra version last: A×V×(S+2) + 1+S commits.
///   `--commits one`: the same final files in one single commit, every tag on it.
///
///   Files are built with `SignatureFile` + `SSHSignature.sign` and `ActivationEntry.text`,
///   so they are right by construction; the history goes in through `git fast-import`.
func runLedgerBenchmark(_ arguments: [String]) {
    let options = benchmarkOptions(
        arguments, known: ["make", "agreements", "versions", "signatories", "commits", "template"], usage: ledgerUsage)
    guard let dir = options["make"] else { ledgerUsage() }
    guard let agreements = Int(options["agreements"] ?? "200"),
        let versions = Int(options["versions"] ?? "6"),
        let signatories = Int(options["signatories"] ?? "4")
    else { ledgerUsage() }
    let onePerFile: Bool
    switch options["commits"] ?? "file" {
    case "file": onePerFile = true
    case "one": onePerFile = false
    default: ledgerUsage()
    }
    guard (1...999).contains(agreements), versions >= 1, signatories >= 2, signatories % 2 == 0,
        signatories <= 198
    else { ledgerUsage() }
    do {
        try LedgerRepository(
            directory: dir, template: options["template"] ?? "agreements/acme-sales-marketing/draft.yaml",
            agreements: agreements, versions: versions, signatories: signatories, commitPerFile: onePerFile
        ).make()
    } catch {
        FileHandle.standardError.write(Data("sla-bench ledger: \(error)\n".utf8))
        exit(1)
    }
}

private func ledgerUsage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: sla-bench ledger --make DIR [--agreements 200] [--versions 6] [--signatories 4] [--commits file|one] [--template FILE]
                   (signatories: an even number, half for marketing, half for sales)

            """.utf8))
    exit(64)
}

struct LedgerRepository {
    static let activatedAt = LocalDate(iso: "2026-12-01")!
    static let activatedBy = "bench@acme.dk"

    let directory: String
    let template: String
    let agreements: Int
    let versions: Int
    let signatories: Int
    let commitPerFile: Bool

    typealias Signer = SyntheticRepository.Signer

    /// One agreement: its versions' bytes and hashes, its signers, and (filled in later) the
    /// signature files, by version then signer.
    struct Item {
        let id: String
        let signers: [Signer]
        let versionBytes: [Data]
        let hashes: [String]
        /// Versions that get an activation entry (the rest are only proposed and signed).
        let activated: Int
    }

    /// One commit's worth of change, before it is written to the stream.
    enum Step {
        case propose(Int)
        case sign(Int, Int)  // version, signer index
        case activate(Int)
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
        let templateID = "acme-sales-marketing"
        guard let partiesStart = templateText.range(of: "\nparties:\n"),
            let ownerStart = templateText.range(of: "\nowner:", range: partiesStart.upperBound..<templateText.endIndex),
            templateText.contains("id: \(templateID)\n"),
            templateText.contains("target: 2500, ")
        else {
            throw BenchError(
                "\(template) does not look like the example agreement (id: \(templateID), parties:, owner:, a leads target of 2500)")
        }
        let head = String(templateText[..<partiesStart.upperBound])
        let tail = String(templateText[templateText.index(after: ownerStart.lowerBound)...])

        // Keys from fixed seeds, per agreement and signatory: deterministic, no ssh-keygen.
        let perParty = signatories / 2
        let items: [Item] = try (1...agreements).map { a in
            let id = String(format: "agr-%03d", a)
            let signers: [Signer] = try (0..<signatories).map { s in
                var random = BenchmarkRandom(seed: 0x1ED_6E4_0000 &+ UInt64(a) &* 1000 &+ UInt64(s))
                var seed = Data()
                for _ in 0..<4 { withUnsafeBytes(of: random.next().littleEndian) { seed.append(contentsOf: $0) } }
                let marketing = s < perParty
                let principal = "\(marketing ? "m" : "s")\(s % perParty + 1).\(id)@acme.dk"
                return Signer(
                    principal: principal, party: marketing ? "marketing" : "sales",
                    key: try Ed25519PrivateKey(seed: seed))
            }
            let partiesYAML = [("marketing", "Marketing"), ("sales", "Salg")].map { party, name in
                SyntheticRepository.partyYAML(id: party, name: name, signers: signers.filter { $0.party == party }, nameLength: 2)
            }.joined()
            let base = (head + partiesYAML + tail).replacingOccurrences(of: "id: \(templateID)\n", with: "id: \(id)\n")
            // agr-001 has one more version: proposed and signed, not activated.
            let count = a == 1 ? versions + 1 : versions
            let versionBytes: [Data] = (1...count).map { n in
                Data(base.replacingOccurrences(of: "target: 2500, ", with: "target: \(2500 + n - 1), ").utf8)
            }
            return Item(
                id: id, signers: signers, versionBytes: versionBytes,
                hashes: versionBytes.map(\.sha256Hex), activated: versions)
        }
        let keysMade = clock.now

        // Every signatory signs every version, in process, on all cores.
        var offsets: [Int] = []  // first signature index of each agreement
        var total = 0
        for item in items {
            offsets.append(total)
            total += item.versionBytes.count * signatories
        }
        let signatureFiles = ConcurrentResults<Data>(count: total)
        let failures = ConcurrentResults<String>(count: total)
        let sharedItems = items
        let sharedOffsets = offsets
        let signatoryCount = signatories
        DispatchQueue.concurrentPerform(iterations: total) { k in
            let a = (sharedOffsets.lastIndex { $0 <= k })!
            let item = sharedItems[a]
            let local = k - sharedOffsets[a]
            let n = local / signatoryCount + 1
            let signer = item.signers[local % signatoryCount]
            let previous = n > 1 ? item.hashes[n - 2] : nil
            let message = SignatureFile.message(
                agreement: item.id, version: n, sha256: item.hashes[n - 1], previous: previous,
                party: signer.party, signer: signer.principal, signedAt: SyntheticRepository.signedAt)
            do {
                let signature = try SSHSignature.sign(message, namespace: SignatureFile.namespace, with: signer.key)
                signatureFiles[k] =
                    SignatureFile(
                        agreement: item.id, version: n, sha256: item.hashes[n - 1], previous: previous,
                        party: signer.party, signer: signer.principal, signedAt: SyntheticRepository.signedAt,
                        signature: signature
                    ).contents
            } catch {
                failures[k] = "\(error)"
            }
        }
        if let failure = failures.values.compactMap({ $0 }).first { throw BenchError("signing failed: \(failure)") }
        let signed = clock.now

        func signature(_ a: Int, _ n: Int, _ s: Int) -> Data { signatureFiles[offsets[a] + (n - 1) * signatories + s]! }
        func versionPath(_ a: Int, _ n: Int) -> String { "agreements/\(items[a].id)/versions/v\(n).yaml" }
        func signaturePath(_ a: Int, _ n: Int, _ s: Int) -> String {
            "agreements/\(items[a].id)/signatures/v\(n)/\(items[a].signers[s].principal).sig"
        }
        func activationsPath(_ a: Int) -> String { "agreements/\(items[a].id)/activations.yaml" }
        func activations(_ a: Int, upTo n: Int) -> Data {
            Data(
                (1...n).map { v in
                    ActivationEntry.text(
                        version: v, sha256: items[a].hashes[v - 1],
                        activatedAt: Self.activatedAt, activatedBy: Self.activatedBy)
                }.joined().utf8)
        }
        func tagName(_ a: Int, _ n: Int) -> String { "sla/\(items[a].id)/v\(n)" }

        // History through git fast-import.
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main", directory])
        var stream = FastImportStream(committer: SyntheticRepository.committer)
        var tags = 0
        func write(_ a: Int, _ step: Step) {
            let id = items[a].id
            switch step {
            case .propose(let n):
                stream.commit(message: "Propose \(id) v\(n)", files: [(versionPath(a, n), items[a].versionBytes[n - 1])])
                stream.tag(tagName(a, n), message: "\(id) v\(n)")
                tags += 1
            case .sign(let n, let s):
                stream.commit(
                    message: "Sign \(id) v\(n) as \(items[a].signers[s].principal)",
                    files: [(signaturePath(a, n, s), signature(a, n, s))])
            case .activate(let n):
                stream.commit(message: "Activate \(id) v\(n)", files: [(activationsPath(a), activations(a, upTo: n))])
            }
        }
        func steps(versions range: ClosedRange<Int>, activate: Bool) -> [Step] {
            range.flatMap { n in
                [Step.propose(n)] + (0..<signatories).map { Step.sign(n, $0) } + (activate ? [Step.activate(n)] : [])
            }
        }
        if commitPerFile {
            let common = steps(versions: 1...versions, activate: true)
            for step in common {
                for a in items.indices { write(a, step) }
            }
            for step in steps(versions: (versions + 1)...(versions + 1), activate: false) { write(0, step) }
        } else {
            var files: [(String, Data)] = []
            for a in items.indices {
                for n in 1...items[a].versionBytes.count {
                    files.append((versionPath(a, n), items[a].versionBytes[n - 1]))
                    for s in 0..<signatories { files.append((signaturePath(a, n, s), signature(a, n, s))) }
                }
                files.append((activationsPath(a), activations(a, upTo: items[a].activated)))
            }
            stream.commit(message: "\(agreements) agreements, \(total) signatures, all at once", files: files)
            for a in items.indices {
                for n in 1...items[a].versionBytes.count {
                    stream.tag(tagName(a, n), message: "\(items[a].id) v\(n)")
                    tags += 1
                }
            }
        }
        try git(["-C", directory, "fast-import", "--quiet"], input: stream.data)
        try git(["-C", directory, "reset", "-q", "--hard", "main"])
        let committed = clock.now

        func s(_ d: Duration) -> String { String(format: "%.2f s", seconds(d)) }
        let activationCount = items.reduce(0) { $0 + $1.activated }
        print(
            "made \(directory): \(agreements) agreements × \(versions) versions (agr-001: \(versions + 1), the last not activated), "
                + "2 parties × \(perParty) signatories, \(total) signature files, \(activationCount) activations, "
                + "\(stream.commits) commits, \(tags) tags")
        print("result agreements \(agreements)")
        print("result signatures \(total)")
        print("result activations \(activationCount)")
        print("result commits \(stream.commits)")
        print("result tags \(tags)")
        print("  keys \(s(keysMade - start)), signing \(s(signed - keysMade)), git fast-import + checkout \(s(committed - signed))")
    }
}
