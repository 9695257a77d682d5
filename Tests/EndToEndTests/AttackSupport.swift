import Foundation
import Testing

/// Helpers for the attack probes: keys, fingerprints, activation and timeouts.
extension SignedRepository {
    /// Both signatories sign `version` with `sla sign`; throws unless both succeed.
    func signBoth(_ version: String = "v1") throws {
        for key in [mette, soren] {
            let result = try sign(key, version)
            guard result.status == 0 else { throw SandboxError("sign failed: \(result)") }
        }
    }

    @discardableResult
    func activate(_ version: String? = nil, today: String = "2026-12-01") throws -> RunResult {
        try box.run(Sandbox.slaBinary.path, ["activate", Self.id] + (version.map { [$0] } ?? []) + ["--today", today])
    }

    /// The first 16 hex digits of the SHA-256 of the key blob, as a `PRINCIPAL.FPR.sig` names it.
    func shortFingerprint(_ key: URL) throws -> String {
        let result = try box.run(
            "/bin/bash", ["-c", "cut -d' ' -f2 \"$1\" | base64 -d | sha256sum | cut -c1-16", "fpr", key.path + ".pub"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What `sla show ID active` says is in force at `today`: "v2", "none" (exit 1, nothing in
    /// force), or "faulted" (exit 1, the agreement fails closed). Anything else — a crash, another
    /// exit code, a message it does not recognise — throws, so an assertion on it can fail.
    func inForce(today: String = "2027-06-01") throws -> String {
        let result = try box.sla("show", Self.id, "active", "--format", "json", "--today", today)
        switch result.status {
        case 0:
            guard let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                let n = json["version"] as? Int
            else {
                throw SandboxError("sla show active printed no version: \(result)")
            }
            return "v\(n)"
        case 1 where result.stderr.contains("is faulted"):
            return "faulted"
        case 1 where result.stderr.contains("is in force on"):
            return "none"
        default:
            throw SandboxError("sla show active: unexpected outcome: \(result)")
        }
    }

    /// The full id of HEAD.
    func head() throws -> String {
        try box.git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `sla verify`, expected to fail naming `commit` (its 7-digit abbreviation) on stderr.
    func expectFault(naming commit: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try box.sla("verify")
        #expect(verify.status == 1, "verify should fail: \(verify)", sourceLocation: sourceLocation)
        #expect(
            verify.stderr.contains("commit \(commit.prefix(7))"), "verify should name commit \(commit.prefix(7)): \(verify.stderr)",
            sourceLocation: sourceLocation)
        #expect(verify.stderr.contains(fragment), "verify should say '\(fragment)': \(verify.stderr)", sourceLocation: sourceLocation)
    }

    /// A merge commit with `tree`'s tree and these parents (any number), made the tip of the
    /// checked-out branch with plain git: what `git merge -s ours` and its mirror image make.
    @discardableResult
    func mergeKeeping(tree: String, parents: [String]) throws -> String {
        let treeID = try box.git("rev-parse", "\(tree)^{tree}").trimmed
        let arguments = ["commit-tree", treeID] + parents.flatMap { ["-p", $0] } + ["-m", "merge"]
        let merge = try box.run("/usr/bin/git", arguments)
        guard merge.status == 0 else { throw SandboxError("git commit-tree failed: \(merge)") }
        let id = merge.stdout.trimmed
        try box.git("reset", "-q", "--hard", id)
        return id
    }

    var activationsPath: String { "agreements/acme-sales-marketing/activations.yaml" }

    func activationEntry(_ n: Int, by: String = "mallory@example.invalid") throws -> String {
        """
        - version: \(n)
          sha256: \(try box.read(Example.version(n)).sha256)
          activated_at: 2026-12-01
          activated_by: \(by)

        """
    }
}

extension Sandbox {
    /// A symbolic link `name` in the sandbox's root to `target`, whose folder is made.
    func symlink(_ name: String, to target: URL) throws -> URL {
        let link = root.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        return link
    }

    /// A commit on HEAD made with plain git whose tree gives the entry `path` the raw `mode`
    /// (same object), such as 120755, which `git mktree` refuses and `git hash-object
    /// --literally` writes; the branch is moved to it. Returns the commit id.
    @discardableResult
    func commitWithMode(_ mode: String, at path: String) throws -> String {
        // The tree is written byte for byte by Python (not by printf in bash), from `ls-tree -z`.
        let script = """
            set -euo pipefail
            R0=$(git rev-parse HEAD)
            DIR=$(dirname "$ENTRY"); [ "$DIR" = . ] && DIR=""
            export NAME=$(basename "$ENTRY")
            NEW=$(git ls-tree -z "$R0:$DIR" | python3 -c '
            import os, sys
            out = b""
            for entry in sys.stdin.buffer.read().split(b"\\0"):
                if not entry:
                    continue
                meta, name = entry.split(b"\\t", 1)
                mode, kind, sha = meta.split(b" ")
                mode = mode.lstrip(b"0")
                if name == os.environ["NAME"].encode():
                    mode = os.environ["MODE"].encode()
                out += mode + b" " + name + b"\\0" + bytes.fromhex(sha.decode())
            sys.stdout.buffer.write(out)
            ' | git hash-object -t tree -w --stdin --literally)
            git cat-file tree $NEW | python3 -c 'import os, sys; sys.exit(0 if (os.environ["MODE"] + " " + os.environ["NAME"] + "\\0").encode() in sys.stdin.buffer.read() else 1)'
            CHILD=$DIR
            while [ -n "$CHILD" ]; do
              PARENT=$(dirname "$CHILD"); [ "$PARENT" = . ] && PARENT=""
              NEW=$(git ls-tree "$R0:$PARENT" | sed "s/$(git rev-parse "$R0:$CHILD")/$NEW/" | git mktree)
              CHILD=$PARENT
            done
            C=$(git commit-tree $NEW -p $R0 -m "mode $MODE at $ENTRY")
            git update-ref HEAD $C
            echo $C
            """
        let made = try run("/bin/bash", ["-c", script], environment: ["MODE": mode, "ENTRY": path])
        guard made.status == 0 else { throw SandboxError("making a tree with mode \(mode) failed: \(made)") }
        return made.stdout.trimmed
    }

    /// Runs `sla` under `timeout` (and optionally a virtual-memory limit in KiB), so a hang or
    /// a runaway read becomes a status (124 or 137) instead of a stuck test run.
    func slaBounded(_ arguments: [String], seconds: Int = 20, memoryKiB: Int? = nil, in directory: URL? = nil) throws -> RunResult {
        var script = ""
        // A sanitizer reserves terabytes of address space for its shadow memory: under
        // scripts/sanitize only the time is bounded.
        if let memoryKiB, ProcessInfo.processInfo.environment["SLA_SANITIZER"] == nil { script += "ulimit -v \(memoryKiB); " }
        script += "exec /usr/bin/timeout -k 5 \(seconds) \"$@\""
        return try run("/bin/bash", ["-c", script, "bounded", Sandbox.slaBinary.path] + arguments, in: directory)
    }
}

/// Exit codes DESIGN.md allows for input that names nothing valid: 1 (refused) or 64 (usage).
func isOrderlyRefusal(_ result: RunResult) -> Bool {
    result.status == 1 || result.status == 64
}
