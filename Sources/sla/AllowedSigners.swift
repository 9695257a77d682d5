import ArgumentParser
import Foundation
import SLAKit

struct AllowedSigners: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "allowed-signers",
        abstract: "OpenSSH allowed_signers lines for every key whose signature can count for a version.",
        discussion: """
            For auditors checking signatures with stock OpenSSH:
              sla allowed-signers acme-sales-marketing v2 > allowed
            F=agreements/acme-sales-marketing/signatures/v2/mette@acme.dk.sig head -n 7 $F | ssh-keygen -Y verify -f allowed -I mette@acme.dk -n sla-approval -s <(sed -n '/BEGIN SSH/,$p' $F)
            """
    )

    @OptionGroup var repository: RepositoryOptions

    @Argument(help: "The agreement id.")
    var id: String

    @Argument(help: "The version, vN (default: the latest).")
    var version: String?

    func run() async throws {
        try perform {
            let id = try agreementID(id)
            let n = try version.map(versionNumber)
            Terminal.output(try repository.open().allowedSigners(id, version: n))
        }
    }
}
