import ArgumentParser
import Foundation
import SLAKit

struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a version with your SSH key (Ed25519) as the signatory whose key it is.",
        discussion: """
            Writes and commits agreements/ID/signatures/vN/PRINCIPAL.sig, an OpenSSH signature anyone can check with ssh-keygen -Y verify. An unencrypted private key signs in process; given a public key (.pub, the private key in ssh-agent) or a key with a passphrase, ssh-keygen -Y sign does the signing. Without --key, the key is git config user.signingkey, else ~/.ssh/id_ed25519 when the version lists it; sla says which key it used.
            Example: sla sign acme-sales-marketing v2 --key ~/.ssh/id_ed25519
            """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "The version, vN (default: the latest).")
    var version: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Your SSH key: private key file, or its .pub with the key in ssh-agent (default: git config user.signingkey, else ~/.ssh/id_ed25519 if the version lists it).",
            valueName: "path"))
    var key: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let n = try version.map(versionNumber)
            let repo = try repository.open(committing: true)
            // Without a version, "the latest" may be behind what others pushed.
            if n == nil, let note = repo.remoteAheadNote() { Terminal.error(note) }
            var keyPath = key
            if keyPath == nil {
                let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
                let chosen = try repo.defaultSigningKey(id, version: n, home: home)
                Terminal.error("Using the key \(chosen.path) (\(chosen.reason)).")
                keyPath = chosen.path
            }
            let result = try repo.sign(id, version: n, keyPath: keyPath!, now: Date())
            if format.format == .json {
                try JSON.print(result)
            } else if let commit = result.commit {
                Terminal.line(
                    "Signed \(id) v\(result.version) as \(result.signer) for \(result.party ?? "")\(result.delegated ? " (through ssh-keygen)" : ""): \(result.path) (commit \(commit.prefix(7)))."
                )
            } else {
                Terminal.line("\(result.signer) has already signed \(id) v\(result.version) with this key (\(result.path)); nothing to do.")
            }
        }
    }
}

/// `vN` → N; anything else is refused (exit 1).
func versionNumber(_ text: String) throws -> Int {
    guard let n = VersionSelector.versionNumber(text) else {
        throw SLAError("'\(text)' is not a version: write vN (v1, v2, …)", kind: .badInput)
    }
    return n
}
