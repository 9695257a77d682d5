// TEMPORARY stand-in until the SSHSigKit branch lands.
import Foundation
public struct Ed25519PublicKey: Hashable, Sendable {
    public let rawRepresentation: Data
    public init(openSSHLine: String) throws {
        let parts = openSSHLine.split(separator: " ")
        guard parts.count >= 2, parts[0] == "ssh-ed25519", let blob = Data(base64Encoded: String(parts[1])), blob.count == 51 else {
            throw StubError()
        }
        rawRepresentation = blob.suffix(32)
    }
    public var openSSHLine: String { "ssh-ed25519 " + (Data([0,0,0,11]) + Data("ssh-ed25519".utf8) + Data([0,0,0,32]) + rawRepresentation).base64EncodedString() }
}
struct StubError: Error, CustomStringConvertible { var description: String { "not an ssh-ed25519 public key line" } }
