import Foundation
import Testing

/// The ledger cache under `.git/sla/` speeds commands up; it must never make a bad signature,
/// a changed file or an entry that does not count pass.
@Suite("Ledger cache")
struct LedgerCacheTests {
    func cacheFile(_ repo: SignedRepository) -> URL {
        repo.box.repo.appendingPathComponent(".git/sla/ledger.cache")
    }

    @Test("a command writes the cache; commits made after it are still checked")
    func newCommitsAreChecked() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
        #expect(FileManager.default.fileExists(atPath: cacheFile(repo).path))
        // A forged signature for v2 and a hand-written entry, committed with plain git after the cache.
        try repo.proposeRevision { $0.replacingOccurrences(of: "sql_per_month: 40", with: "sql_per_month: 45") }
        try repo.sign(repo.mette, "v2")
        let stranger = try repo.box.makeKey("stranger")
        let forged = try repo.sshKeygenSignatureFile(try repo.message(version: 2, party: "sales", signer: "soren@acme.dk"), key: stranger)
        try repo.commitWithGit(forged, to: SignedRepository.signature(2, "soren@acme.dk"))
        let log = String(decoding: try repo.box.read(repo.activationsPath), as: UTF8.self)
        try repo.commitWithGit(log + (try repo.activationEntry(2)), to: repo.activationsPath)
        #expect(try repo.inForce() == "faulted")
        // A changed version file, on a fresh cache: also seen.
        let other = try SignedRepository()
        try other.signBoth()
        #expect(try other.activate().status == 0)
        var bytes = try other.box.read(Example.version(1))
        bytes.append(contentsOf: Data("# edited\n".utf8))
        try other.box.write(bytes, to: Example.version(1))
        try other.box.git("commit", "-qam", "edit v1")
        #expect(try other.inForce() == "faulted")
    }

    @Test("verify never trusts the cache: a cache that hides a fault changes nothing for verify")
    func verifyIgnoresTamperedCache() throws {
        let repo = try SignedRepository()
        try repo.sign(repo.mette)
        try repo.commitWithGit(try repo.activationEntry(1), to: repo.activationsPath, message: "entry before Søren signed")
        #expect(try repo.inForce() == "faulted")
        // Rewrite the cache to claim no fault and a counting entry, with a matching checksum:
        // a cache that the other commands would believe.
        let url = cacheFile(repo)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix(SignedRepository.id + "\t") })
        let fields = lines[index].components(separatedBy: "\t")
        var state = try #require(try JSONSerialization.jsonObject(with: Data(fields[1].utf8)) as? [String: Any])
        state["faults"] = []
        state["entries"] = (state["entries"] as? [[String: Any]])?.map { entry -> [String: Any] in
            var entry = entry
            entry["problem"] = nil
            return entry
        }
        let forged = String(decoding: try JSONSerialization.data(withJSONObject: state), as: UTF8.self)
        lines[index] = [fields[0], forged, fields[2]].joined(separator: "\t")
        let body = lines.dropFirst().joined(separator: "\n")
        var header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        // The checksum the cache carries: FNV-1a, 64 bits, in hex.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Data(body.utf8) { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        header["checksum"] = String(hash, radix: 16)
        try (String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self) + "\n" + body).write(to: url, atomically: true, encoding: .utf8)
        // The forged cache fools a command that trusts it (which is why it lives under .git/,
        // where only the repository's owner writes) …
        #expect(try repo.inForce() == "v1")
        // … but never verify, which checks every commit again.
        let verify = try repo.box.sla("verify")
        #expect(verify.status == 1 && verify.stderr.contains("not approved"), "\(verify)")
    }

    @Test("a damaged, foreign or stale cache is ignored and rebuilt")
    func damagedCache() throws {
        let repo = try SignedRepository()
        try repo.signBoth()
        try #require(try repo.activate().status == 0)
        #expect(try repo.inForce() == "v1")
        let url = cacheFile(repo)
        let real = try Data(contentsOf: url)
        var flipped = real
        flipped[flipped.count - 10] ^= 0x01   // one byte of the body: the checksum no longer matches
        for junk in [Data("{".utf8), Data(), Data(repeating: 0xFF, count: 1000), Data("{\"rules\": 999}\n".utf8), flipped,
                     real.prefix(real.count / 2)] {
            try junk.write(to: url)
            #expect(try repo.inForce() == "v1")
        }
        // A cache for a commit that is no longer in the history (a branch rewound) is not used.
        let good = try repo.head()
        try repo.box.git("reset", "-q", "--hard", "HEAD~1")   // before the activation
        #expect(try repo.inForce() == "none")
        try repo.commitWithGit(try repo.activationEntry(1, by: "mallory@example.invalid").replacingOccurrences(of: "1\n  sha256", with: "1\n  sha256"),
                               to: repo.activationsPath, message: "by hand")
        #expect(try repo.head() != good)
        // The hand-written entry is judged like any: both signed v1, so it counts — and the
        // cache from the other branch tip played no part.
        #expect(try repo.inForce() == "v1")
        #expect(try repo.box.sla("verify").status == 0)
    }
}
