import ArgumentParser
import Foundation
import SLAKit

struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign a version with your SSH key (Ed25519) as the signatory whose key it is.",
        discussion: """
        Writes and commits agreements/ID/signatures/vN/PRINCIPAL.sig, an OpenSSH signature anyone can
        check with ssh-keygen -Y verify. An unencrypted private key signs in process; given a public key
        (.pub, the private key in ssh-agent) or a key with a passphrase, ssh-keygen -Y sign does the signing.
        Example: sla sign acme-sales-marketing v2 --key ~/.ssh/id_ed25519
        """
    )

    @OptionGroup var repository: RepositoryOptions
    @OptionGroup var format: FormatOption

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "The version, vN (default: the latest).")
    var version: String?

    @Option(name: .long, help: ArgumentHelp("Your SSH key: private key file, or its .pub with the key in ssh-agent.", valueName: "path"))
    var key: String

    struct Output: Encodable {
        let agreement: String
        let version: Int
        let path: String
        let signer: String
        let party: String?
        let commit: String?
        let alreadySigned: Bool

        enum CodingKeys: String, CodingKey {
            case agreement, version, path, signer, party, commit
            case alreadySigned = "already_signed"
        }
    }

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let n = try version.map(versionNumber)
            let repo = try repository.open()
            let outcome = try repo.sign(id, version: n, keyPath: key, now: Date())
            switch outcome {
            case .signed(let path, let principal, let party, let commit, let delegated):
                let number = Int(path.split(separator: "/")[3].dropFirst()) ?? 0
                if format.format == .json {
                    try JSON.print(Output(agreement: id, version: number, path: path, signer: principal, party: party, commit: commit, alreadySigned: false))
                } else {
                    Terminal.line("Signed \(id) v\(number) as \(principal) for \(party)\(delegated ? " (through ssh-keygen)" : ""): \(path) (commit \(commit.prefix(7))).")
                }
            case .alreadySigned(let path, let principal):
                let number = Int(path.split(separator: "/")[3].dropFirst()) ?? 0
                if format.format == .json {
                    try JSON.print(Output(agreement: id, version: number, path: path, signer: principal, party: nil, commit: nil, alreadySigned: true))
                } else {
                    Terminal.line("\(principal) has already signed \(id) v\(number) with this key (\(path)); nothing to do.")
                }
            }
        }
    }
}

/// `vN` → N; anything else is refused (exit 1).
func versionNumber(_ text: String) throws -> Int {
    guard let n = VersionSelector.versionNumber(text) else {
        throw SLAError("'\(text)' is not a version: write vN (v1, v2, …)")
    }
    return n
}
