import Foundation
import Testing

@testable import SSHSigKit

/// An `ssh-agent -D -a SOCKET` started for one test; terminated on `stop()`.
private final class Agent {
    let process = Process()
    let socket: String

    init(dir: TempDir) throws {
        socket = dir.file("agent.sock")
        let exe = try SSHKeygen.findExecutable("ssh-agent", path: ProcessInfo.processInfo.environment["PATH"])
        process.executableURL = URL(fileURLWithPath: exe)
        process.arguments = ["-D", "-a", socket]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: socket) {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw CommandError(description: "ssh-agent did not create \(socket)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    func stop() {
        // SIGKILL: Foundation starts children with the test thread's signal mask, in which
        // SIGTERM is blocked, so ssh-agent would never see a terminate().
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

@Suite("ssh-keygen delegation", .timeLimit(.minutes(1)))
struct SSHKeygenTests {
    @Test("signs through a real ssh-agent given only the .pub path")
    func throughAgent() throws {
        let dir = try TempDir()
        // Passphrase-protected: the only way to sign without a prompt is the agent.
        let keyPath = try generateKey(in: dir, passphrase: "secret")
        let pub = try Ed25519PublicKey(openSSHLine: try dir.read("key.pub"))
        let askpass = try dir.write("askpass", "#!/bin/sh\necho secret\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: askpass)

        let agent = try Agent(dir: dir)
        defer { agent.stop() }
        let env = ["SSH_AUTH_SOCK": agent.socket]
        try run(
            "ssh-add", [keyPath],
            env: env.merging([
                "SSH_ASKPASS": askpass, "SSH_ASKPASS_REQUIRE": "force",
                "DISPLAY": ":0",
            ]) { $1 })
        let listed = try run("ssh-add", ["-l"], env: env).stdout
        #expect(listed.contains(pub.fingerprint))

        let message = Data("approve v2\n".utf8)
        for path in [keyPath + ".pub", keyPath] {
            let sig = try SSHKeygen.sign(message, namespace: "sla-approval", keyPath: path, environment: env)
            #expect(sig.publicKey == pub)
            #expect(sig.namespace == "sla-approval")
            try sig.verify(message, namespace: "sla-approval", signer: pub)
            #expect(throws: SSHKeyError.self) { try sig.verify(Data("approve v3\n".utf8), namespace: "sla-approval") }
        }
        agent.stop()
        #expect(!agent.process.isRunning)
    }

    @Test("signing with an unencrypted key file equals the in-process signature")
    func unencryptedKeyFile() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir)
        let key = try Ed25519PrivateKey(openSSHPrivateKey: try dir.read("key"))
        let message = Data("m".utf8)
        let sig = try SSHKeygen.sign(
            message, namespace: "sla-approval", keyPath: keyPath,
            environment: ["SSH_AUTH_SOCK": dir.file("no-agent")])
        #expect(sig == (try SSHSignature.sign(message, namespace: "sla-approval", with: key)))
    }

    @Test("failures carry ssh-keygen's stderr or a clear reason")
    func failures() throws {
        let dir = try TempDir()
        let keyPath = try generateKey(in: dir)
        // No agent, and no private key next to the .pub: ssh-keygen cannot sign.
        try FileManager.default.removeItem(atPath: keyPath)
        let e2 = try #require(throws: SSHKeyError.self) {
            try SSHKeygen.sign(
                Data("m".utf8), namespace: "sla-approval", keyPath: keyPath + ".pub",
                environment: ["SSH_AUTH_SOCK": dir.file("no-agent")])
        }
        #expect(e2.code == .sshKeygenFailed)
        #expect(e2.message.hasPrefix("ssh-keygen -Y sign failed"))
        #expect(e2.message.count > "ssh-keygen -Y sign failed (exit status 255)".count, "includes stderr: \(e2.message)")

        let e3 = try #require(throws: SSHKeyError.self) {
            try SSHKeygen.sign(Data("m".utf8), namespace: "sla-approval", keyPath: dir.file("missing"))
        }
        #expect(e3.code == .fileNotFound)

        let e4 = try #require(throws: SSHKeyError.self) {
            try SSHKeygen.sign(
                Data("m".utf8), namespace: "sla-approval", keyPath: keyPath + ".pub",
                environment: ["PATH": dir.path])
        }
        #expect(e4.code == .sshKeygenNotFound)
    }
}
