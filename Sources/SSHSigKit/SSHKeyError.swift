/// Every failure of SSHSigKit: a machine-checkable `code` and a human `message`
/// suitable for printing as is.
public struct SSHKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Equatable {
        /// A key of another algorithm (RSA, ECDSA, DSA, …).
        case unsupportedKeyType
        /// A FIDO security-key (`sk-…@openssh.com`) key.
        case securityKeyNotSupported
        /// An OpenSSH certificate instead of a plain key.
        case certificateNotSupported
        /// The private key is encrypted; use ssh-agent / `ssh-keygen` to sign.
        case passphraseProtected
        /// Not parseable as an OpenSSH public key (line or wire blob).
        case malformedPublicKey
        /// Not parseable as an `openssh-key-v1` private key.
        case malformedPrivateKey
        /// Not parseable as an armored SSHSIG signature.
        case malformedSignature
        /// The key file does not exist.
        case fileNotFound
        /// The key file exists but cannot be read.
        case fileUnreadable
        /// The signature was made for a different namespace.
        case wrongNamespace
        /// A hash algorithm other than sha256 / sha512.
        case unsupportedHashAlgorithm
        /// The signature does not verify.
        case invalidSignature
        /// The signature was made by another key than expected.
        case unexpectedSigner
        /// `ssh-keygen` was not found on PATH.
        case sshKeygenNotFound
        /// `ssh-keygen` failed (the message carries its stderr).
        case sshKeygenFailed
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static let passphraseProtected = SSHKeyError(
        .passphraseProtected, "the private key is protected by a passphrase")

    static func unsupportedType(_ type: String) -> SSHKeyError {
        if type.hasPrefix("sk-") {
            return SSHKeyError(
                .securityKeyNotSupported,
                "FIDO security-key (\(type)) keys are not supported yet")
        }
        if type.contains("-cert-v01@openssh.com") {
            return SSHKeyError(
                .certificateNotSupported,
                "OpenSSH certificates (\(type)) are not supported; use the plain ssh-ed25519 key")
        }
        return SSHKeyError(
            .unsupportedKeyType,
            "only Ed25519 keys are supported (this is an \(type) key)")
    }

    static let knownKeyTypes: Set<String> = [
        "ssh-ed25519", "ssh-rsa", "ssh-dss",
        "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
        "ssh-ed25519-cert-v01@openssh.com", "ssh-rsa-cert-v01@openssh.com", "ssh-dss-cert-v01@openssh.com",
        "ecdsa-sha2-nistp256-cert-v01@openssh.com", "ecdsa-sha2-nistp384-cert-v01@openssh.com",
        "ecdsa-sha2-nistp521-cert-v01@openssh.com",
        "sk-ssh-ed25519-cert-v01@openssh.com", "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
        "ssh-xmss@openssh.com", "ssh-xmss-cert-v01@openssh.com",
    ]
}
