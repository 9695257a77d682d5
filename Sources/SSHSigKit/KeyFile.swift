import Foundation
import SLALimits

/// What `sla sign --key PATH` was given.
public enum KeyFile: Sendable {
    /// An unencrypted OpenSSH Ed25519 private key: we can sign in process.
    case privateEd25519(Ed25519PrivateKey)
    /// A public key (`.pub`): signing needs the private key in ssh-agent (see `SSHKeygen`).
    case publicOnly(Ed25519PublicKey)
    /// A passphrase-protected OpenSSH private key: signing goes through `SSHKeygen`
    /// (ssh-agent or a passphrase prompt). openssh-key-v1 stores the public key unencrypted.
    case encryptedPrivate(publicKey: Ed25519PublicKey)

    public var publicKey: Ed25519PublicKey {
        switch self {
        case .privateEd25519(let k): return k.publicKey
        case .publicOnly(let k): return k
        case .encryptedPrivate(let k): return k
        }
    }

    static let maxFileSize = Limits.keyFileBytes

    /// Loads a key file. Accepts an OpenSSH private key (unencrypted or encrypted) or a public
    /// key line file. When PATH is an unreadable private key whose PATH.pub exists, the public
    /// key is used (`.publicOnly`). When PATH does not exist but PATH.pub does, that is used too.
    public static func load(path: String) throws -> KeyFile {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            if !path.hasSuffix(".pub"), fm.fileExists(atPath: path + ".pub") {
                return try load(path: path + ".pub")
            }
            throw SSHKeyError(.fileNotFound, "no such key file: \(path)")
        }
        guard !isDir.boolValue else {
            throw SSHKeyError(.fileUnreadable, "\(path) is a directory, not a key file")
        }
        let text: String
        do {
            text = try readText(path)
        } catch let error as SSHKeyError {
            if !path.hasSuffix(".pub"), fm.isReadableFile(atPath: path + ".pub") {
                return try load(path: path + ".pub")
            }
            throw error
        }
        return try parse(text, path: path)
    }

    /// Parses key file contents (see `load(path:)`); `path` is only used in messages.
    public static func parse(_ text: String, path: String = "key") throws -> KeyFile {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix(Armor.begin(OpenSSHPrivateKeyFile.label)) {
            let file = try OpenSSHPrivateKeyFile(pem: text)
            if let key = try file.decryptedKey() { return .privateEd25519(key) }
            return .encryptedPrivate(publicKey: file.publicKey)
        }
        if trimmed.hasPrefix("-----BEGIN ") {
            let firstLine = trimmed.prefix(while: { !$0.isNewline })
            switch firstLine {
            case "-----BEGIN RSA PRIVATE KEY-----":
                throw SSHKeyError.unsupportedType("ssh-rsa")
            case "-----BEGIN DSA PRIVATE KEY-----":
                throw SSHKeyError.unsupportedType("ssh-dss")
            case "-----BEGIN EC PRIVATE KEY-----":
                throw SSHKeyError(.unsupportedKeyType, "only Ed25519 keys are supported (this is an ECDSA key)")
            case "-----BEGIN SSH SIGNATURE-----":
                throw SSHKeyError(.malformedPrivateKey, "\(path) is an SSH signature, not a key")
            default:
                throw SSHKeyError(
                    .malformedPrivateKey,
                    "\(path): unsupported key format '\(firstLine.prefix(80))'; expected an OpenSSH key (ssh-keygen -t ed25519)")
            }
        }
        let lines = trimmed.split(whereSeparator: { $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1 else {
            if lines.isEmpty { throw SSHKeyError(.malformedPublicKey, "\(path) is empty") }
            throw SSHKeyError(.malformedPublicKey, "\(path) holds \(lines.count) lines; expected one public key")
        }
        return .publicOnly(try Ed25519PublicKey(openSSHLine: lines[0]))
    }

    private static func readText(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SSHKeyError(.fileUnreadable, "cannot read key file \(path) (permission denied?)")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: maxFileSize + 1) ?? Data()
        } catch {
            throw SSHKeyError(.fileUnreadable, "cannot read key file \(path): \(error)")
        }
        guard data.count <= maxFileSize else {
            throw SSHKeyError(
                .malformedPublicKey, "\(path) is larger than \(Limits.describe(bytes: maxFileSize)): too large to be a key file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SSHKeyError(.malformedPublicKey, "\(path) is not a text key file")
        }
        return text
    }
}
