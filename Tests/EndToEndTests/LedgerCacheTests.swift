import Foundation
import Testing

@testable import SLAKit

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
        let data = try Data(contentsOf: url)
        let newline = try #require(data.firstIndex(of: 0x0A))
        var records: [(id: String?, state: Data?, events: Data?)] = []
        _ = CacheReader.read(data[(newline + 1)...]) { reader -> Bool? in
            while !reader.isAtEnd {
                records.append((reader.string(), reader.bytes(), reader.bytes()))
                if records.last!.id == nil || records.last!.state == nil || records.last!.events == nil { break }
            }
            return true
        }
        var body = CacheWriter()
        var forgedOne = false
        for record in records {
            let id = try #require(record.id)
            let events = try #require(record.events)
            let raw = try #require(record.state)
            var state = try #require(AgreementState(cacheBytes: raw))
            if id == SignedRepository.id {
                state.faults = []
                state.entries = EntryList(
                    state.entries.map { verdict in
                        var entry = EntryVerdict(entry: verdict.entry, index: verdict.index, commit: verdict.commit, problem: nil)
                        entry.validity = verdict.validity
                        return entry
                    })
                forgedOne = true
            }
            body.string(id)
            body.bytes(state.cacheBytes)
            body.bytes(events)
        }
        #expect(forgedOne)
        var header = try #require(try JSONSerialization.jsonObject(with: data[..<newline]) as? [String: Any])
        header["checksum"] = LedgerCache.checksum(body.bytes)
        var forged = try JSONSerialization.data(withJSONObject: header)
        forged.append(0x0A)
        forged.append(contentsOf: body.bytes)
        try forged.write(to: url)
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
        flipped[flipped.count - 10] ^= 0x01  // one byte of the body: the checksum no longer matches
        for junk in [
            Data("{".utf8), Data(), Data(repeating: 0xFF, count: 1000), Data("{\"rules\": 999}\n".utf8), flipped,
            real.prefix(real.count / 2),
        ] {
            try junk.write(to: url)
            #expect(try repo.inForce() == "v1")
        }
        // A cache for a commit that is no longer in the history (a branch rewound) is not used.
        let good = try repo.head()
        try repo.box.git("reset", "-q", "--hard", "HEAD~1")  // before the activation
        #expect(try repo.inForce() == "none")
        try repo.commitWithGit(
            try repo.activationEntry(1, by: "mallory@example.invalid").replacingOccurrences(of: "1\n  sha256", with: "1\n  sha256"),
            to: repo.activationsPath, message: "by hand")
        #expect(try repo.head() != good)
        // The hand-written entry is judged like any: both signed v1, so it counts — and the
        // cache from the other branch tip played no part.
        #expect(try repo.inForce() == "v1")
        #expect(try repo.box.sla("verify").status == 0)
    }
}
