import Foundation

/// The git hooks `sla hooks install` writes: thin scripts that run `sla hook NAME`. The files
/// `hooks/pre-receive`, `hooks/pre-commit` and `hooks/pre-merge-commit` at the top of the
/// project are these texts (a test keeps them equal); all the logic is in Swift (`preReceive`,
/// `preCommit`).
public enum HookScripts {
    public static let names = ["pre-receive", "pre-commit", "pre-merge-commit"]
    /// The hooks of a clone: git runs pre-commit for `git commit`, and pre-merge-commit (not
    /// pre-commit) for a merge that needs no conflict resolved; both check the staged change.
    static let workTree = ["pre-commit", "pre-merge-commit"]
    /// The line that names the `sla` to run; `install` replaces it when given `--sla PATH`.
    static let defaultBinaryLine = "sla=${SLA_BIN:-sla}"
    /// Marks a hook as ours, so installing again may replace it.
    public static let marker = "# installed by: sla hooks install"

    /// What the hook runs: `sla hook COMMAND`. A merge's staged result is checked as a commit's
    /// is (against HEAD and MERGE_HEAD).
    static func command(_ name: String) -> String { name == "pre-merge-commit" ? "pre-commit" : name }

    public static func script(_ name: String, sla path: String? = nil) -> String {
        let purpose =
            switch name {
            case "pre-receive":
                "# Refuses a push that breaks the SLA rules: a changed or deleted version or signature,\n"
                    + "# a signature not valid for its name, an edited activation log, an entry that would not\n"
                    + "# count, a rewound main branch, a moved or deleted version tag (DESIGN.md, \"The server hook\")."
            case "pre-merge-commit":
                "# Refuses a merge whose result breaks the SLA rules against either side (git runs this hook,\n"
                    + "# not pre-commit, for a merge without conflicts); the checks of the pre-commit hook."
            default: "# Refuses a commit whose staged change breaks the SLA rules (the same checks as the server hook)."
            }
        let command = command(name)
        let binary = path.map { "sla=${SLA_BIN:-\(ShellWord.quoted($0))}" } ?? defaultBinaryLine
        return """
            #!/bin/sh
            \(marker)
            \(purpose)
            # It runs `sla hook \(command)`: sla on PATH, or the one SLA_BIN names.
            \(binary)
            if ! command -v "$sla" >/dev/null 2>&1; then
                echo "sla \(name) hook: cannot find '$sla'; install sla on PATH (or set SLA_BIN). Refusing, to be safe." >&2
                exit 1
            fi
            exec "$sla" hook \(command)

            """
    }
}

extension SLARepository {
    /// Writes the hooks into this repository's hooks folder (`core.hooksPath` if set): the
    /// pre-receive hook for a server (a bare repository, or `server`), else the pre-commit and
    /// pre-merge-commit hooks.
    /// A hook file that is not ours is never overwritten. With `server`, also sets
    /// `receive.fsckObjects`. Returns what it did, one line each.
    public func installHooks(server: Bool, sla path: String?) throws -> [String] {
        let serverSide = server || isBare
        var done: [String] = []
        let folder: URL
        if let configured = try wrap({ try git.config("core.hooksPath") }), !configured.isEmpty {
            folder = URL(fileURLWithPath: configured, relativeTo: URL(fileURLWithPath: root + "/")).standardizedFileURL
        } else {
            // git runs the hooks of the common directory in every linked work tree.
            folder = URL(fileURLWithPath: git.commonDirectory).appendingPathComponent("hooks")
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in serverSide ? ["pre-receive"] : HookScripts.workTree {
            let file = folder.appendingPathComponent(name)
            // Compared as bytes: a hook that is not UTF-8 is someone else's too, never overwritten.
            if FileManager.default.fileExists(atPath: file.path),
                (try? Data(contentsOf: file))?.range(of: Data(HookScripts.marker.utf8)) == nil
            {
                throw SLAError(
                    "\(file.path) exists and was not installed by sla; add `sla hook \(HookScripts.command(name))` to it yourself, or move it away and install again",
                    kind: .refused)
            }
            try Data(HookScripts.script(name, sla: path).utf8).write(to: file, options: .atomic)
            guard chmod(file.path, 0o755) == 0 else { throw SLAError("cannot make \(file.path) executable") }
            done.append("\(name) hook: \(file.path)")
        }
        if serverSide {
            try wrap { try git.setConfig("receive.fsckObjects", "true") }
            done.append("git config receive.fsckObjects true")
            let head = try wrap { try git.headBranch() }
            if !head.hasPrefix("refs/heads/") {
                done.append(
                    "note: HEAD does not name a branch (\(head)); the hook refuses every push until it does: git symbolic-ref HEAD refs/heads/NAME"
                )
            } else if try wrap({ try git.reference(head) }) == nil {
                done.append(
                    "note: HEAD names \(head), which has no commits yet; the hook keeps the rules on that branch and refuses pushes to "
                        + "another while it has none. If the team's branch has another name: git symbolic-ref HEAD refs/heads/NAME")
            }
        }
        return done
    }
}
