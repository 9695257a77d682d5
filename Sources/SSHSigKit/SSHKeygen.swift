import Foundation

/// Signing through OpenSSH's own `ssh-keygen -Y sign`, for keys we cannot use in process:
/// a public key whose private half is in ssh-agent, or a passphrase-protected private key
/// (ssh-keygen then prompts on the terminal, /dev/tty).
public enum SSHKeygen {
    /// Runs `ssh-keygen -Y sign -f KEYPATH -n NAMESPACE` with `message` on stdin and reads the
    /// armored signature from stdout, then parses and verifies it in process (and, when KEYPATH
    /// is loadable, checks it was made by that key) before returning it.
    ///
    /// - Parameter environment: variables set for ssh-keygen on top of this process's environment
    ///   (e.g. `["SSH_AUTH_SOCK": path]`). `PATH` from here is also used to find ssh-keygen.
    public static func sign(
        _ message: Data, namespace: String, keyPath: String,
        environment: [String: String] = [:]
    ) throws -> SSHSignature {
        guard !namespace.isEmpty else {
            throw SSHKeyError(.malformedSignature, "the namespace must not be empty")
        }
        // Early, clear errors (missing file, RSA, FIDO, …) and the expected signer.
        let expectedKey = try KeyFile.load(path: keyPath).publicKey

        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let executable = try findExecutable("ssh-keygen", path: env["PATH"])

        let result = try run(
            executable, ["-Y", "sign", "-f", keyPath, "-n", namespace],
            stdin: message, environment: env)
        let stderrText = String(decoding: result.stderr, as: UTF8.self)
            .split(whereSeparator: { $0.isNewline })
            .filter { $0 != "Signing data on standard input" }
            .joined(separator: "\n")
        guard result.status == 0 else {
            throw SSHKeyError(
                .sshKeygenFailed,
                "ssh-keygen -Y sign failed (exit status \(result.status))"
                    + (stderrText.isEmpty ? "" : ": \(stderrText)"))
        }
        let armored = String(decoding: result.stdout, as: UTF8.self)
        let sig: SSHSignature
        do {
            sig = try SSHSignature(armored: armored)
        } catch let error as SSHKeyError {
            throw SSHKeyError(
                .sshKeygenFailed,
                "ssh-keygen produced an unusable signature: \(error.message)"
                    + (stderrText.isEmpty ? "" : " (stderr: \(stderrText))"))
        }
        try sig.verify(message, namespace: namespace, signer: expectedKey)
        return sig
    }

    static func findExecutable(_ name: String, path: String?) throws -> String {
        let dirs = (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        for dir in dirs where !dir.isEmpty {
            let candidate = (dir as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDir), !isDir.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        throw SSHKeyError(
            .sshKeygenNotFound,
            "\(name) not found on PATH; install OpenSSH (Debian: apt-get install openssh-client)")
    }

    struct RunResult {
        let status: Int32
        let stdout: Data
        let stderr: Data
    }

    /// Runs a process with stdin/stdout/stderr connected to temporary files (no pipe deadlocks).
    /// The terminal stays available to the child through /dev/tty for passphrase prompts.
    static func run(
        _ executable: String, _ arguments: [String], stdin: Data,
        environment: [String: String]
    ) throws -> RunResult {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("sshsigkit-\(UUID().uuidString)")
        do {
            try fm.createDirectory(
                at: dir, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } catch {
            throw SSHKeyError(.sshKeygenFailed, "cannot create a temporary directory: \(error)")
        }
        defer { try? fm.removeItem(at: dir) }
        let inURL = dir.appendingPathComponent("in")
        let outURL = dir.appendingPathComponent("out")
        let errURL = dir.appendingPathComponent("err")
        do {
            try stdin.write(to: inURL)
            guard fm.createFile(atPath: outURL.path, contents: nil),
                fm.createFile(atPath: errURL.path, contents: nil)
            else {
                throw SSHKeyError(.sshKeygenFailed, "cannot create temporary files in \(dir.path)")
            }
            let inH = try FileHandle(forReadingFrom: inURL)
            let outH = try FileHandle(forWritingTo: outURL)
            let errH = try FileHandle(forWritingTo: errURL)
            defer {
                try? inH.close()
                try? outH.close()
                try? errH.close()
            }

            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
            p.environment = environment
            p.standardInput = inH
            p.standardOutput = outH
            p.standardError = errH
            try p.run()
            p.waitUntilExit()
            return RunResult(
                status: p.terminationStatus,
                stdout: (try? Data(contentsOf: outURL)) ?? Data(),
                stderr: (try? Data(contentsOf: errURL)) ?? Data())
        } catch let e as SSHKeyError {
            throw e
        } catch {
            throw SSHKeyError(.sshKeygenFailed, "cannot run \(executable): \(error)")
        }
    }
}
