import Foundation
import SLALimits
import SSHSigKit

/// `agreements/ID/signatures/vN/PRINCIPAL[.FPR].sig`: seven header lines, which are the
/// signed message, then one armored OpenSSH signature over them (namespace `sla-approval`).
public struct SignatureFile: Sendable, Equatable {
    public static let maximumSize = Limits.signatureFileBytes
    public static let namespace = "sla-approval"

    public let agreement: String
    public let version: Int
    /// SHA-256 of the exact bytes of versions/vN.yaml.
    public let sha256: String
    /// SHA-256 of versions/v(N-1).yaml, nil for `none`.
    public let previous: String?
    public let party: String
    public let signer: String
    /// Informational only: never used to decide validity.
    public let signedAt: String
    public let signature: SSHSignature

    /// The signed message: the seven header lines, LF-terminated.
    public var message: Data {
        SignatureFile.message(
            agreement: agreement, version: version, sha256: sha256, previous: previous,
            party: party, signer: signer, signedAt: signedAt)
    }

    public static func message(
        agreement: String, version: Int, sha256: String, previous: String?,
        party: String, signer: String, signedAt: String
    ) -> Data {
        Data(
            """
            agreement: \(agreement)
            version: \(version)
            sha256: \(sha256)
            previous: \(previous ?? "none")
            party: \(party)
            signer: \(signer)
            signed_at: \(signedAt)

            """.utf8)
    }

    public init(
        agreement: String, version: Int, sha256: String, previous: String?, party: String,
        signer: String, signedAt: String, signature: SSHSignature
    ) {
        self.agreement = agreement
        self.version = version
        self.sha256 = sha256
        self.previous = previous
        self.party = party
        self.signer = signer
        self.signedAt = signedAt
        self.signature = signature
    }

    /// The file's bytes.
    public var contents: Data {
        var data = message
        data.append(Data(signature.armored.utf8))
        if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        return data
    }

    /// Strict: exactly the seven lines in order, then one armored block, nothing else.
    public init(parsing data: Data) throws(SignatureFileError) {
        guard data.count <= SignatureFile.maximumSize else {
            throw SignatureFileError(
                "is \(data.count) bytes; a signature file is at most \(Limits.describe(bytes: SignatureFile.maximumSize))")
        }
        guard UTF8Validation.firstInvalidByte(in: data) == nil else {
            throw SignatureFileError("is not UTF-8 text")
        }
        // Read as bytes (every field is ASCII once valid). A byte-order mark carries no text: the
        // file is read without it, and the last check refuses it.
        let bytes = [UInt8](data)
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes[3...] : bytes[...]
        guard !text.contains(UInt8(ascii: "\r")) else { throw SignatureFileError("has CR line endings; only LF is allowed") }
        guard text.last == UInt8(ascii: "\n") else { throw SignatureFileError("does not end with a newline") }
        let lines = text.dropLast().split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let keys = ["agreement", "version", "sha256", "previous", "party", "signer", "signed_at"]
        guard lines.count > keys.count + 1 else { throw SignatureFileError("is truncated: expected 7 header lines and a signature") }
        var values: [String] = []
        for (index, key) in keys.enumerated() {
            let prefix = Array((key + ": ").utf8)
            guard lines[index].starts(with: prefix) else {
                throw SignatureFileError("has a line \(index + 1) other than '\(key): …'")
            }
            values.append(String(decoding: lines[index].dropFirst(prefix.count), as: UTF8.self))
        }
        let armor = lines[keys.count...]
        let begin = Array("-----BEGIN SSH SIGNATURE-----".utf8)
        let end = Array("-----END SSH SIGNATURE-----".utf8)
        let dashes = Array("-----".utf8)
        guard let first = armor.first, first.elementsEqual(begin), let last = armor.last, last.elementsEqual(end),
            armor.dropFirst().dropLast().allSatisfy({ !$0.starts(with: dashes) })
        else {
            throw SignatureFileError("must end with exactly one armored SSH signature block")
        }
        guard AgreementDecoder.isValidID(values[0]) else {
            throw SignatureFileError("names agreement '\(values[0])', which is not an agreement id")
        }
        guard let version = VersionSelector.versionNumber("v" + values[1]) else {
            throw SignatureFileError("names version '\(values[1])', which is not a version number")
        }
        guard Self.isSHA256Hex(values[2]) else { throw SignatureFileError("has a sha256 that is not 64 lower-case hex digits") }
        guard values[3] == "none" || Self.isSHA256Hex(values[3]) else {
            throw SignatureFileError("has a previous that is neither 64 lower-case hex digits nor none")
        }
        guard AgreementDecoder.isValidID(values[4]) else { throw SignatureFileError("names party '\(values[4])', which is not a party id") }
        guard AgreementDecoder.isValidPrincipal(values[5]) else {
            throw SignatureFileError("names signer '\(values[5])', which is not a principal")
        }
        guard Characters.isRFC3339UTC(values[6]) else {
            throw SignatureFileError("has a signed_at that is not an RFC 3339 UTC time like 2026-12-01T09:30:00Z")
        }
        let signature: SSHSignature
        do {
            signature = try SSHSignature(armored: String(decoding: text[first.startIndex..<text.endIndex], as: UTF8.self))
        } catch {
            throw SignatureFileError("holds no valid SSH signature: \(error)")
        }
        self.init(
            agreement: values[0], version: version, sha256: values[2], previous: values[3] == "none" ? nil : values[3],
            party: values[4], signer: values[5], signedAt: values[6], signature: signature)
        // Exactly the bytes `sla sign` and `ssh-keygen -Y sign` write, nothing decoded away (a
        // byte-order mark, other base64 line breaks): one signature has one file.
        guard contents == data else {
            throw SignatureFileError("is not byte for byte in the form sla writes (a byte-order mark, or the armor wrapped differently)")
        }
    }

    static func isSHA256Hex(_ text: String) -> Bool {
        Characters.isLowerHex(text, count: 64)
    }

    /// Checks the signature over the header lines, in process.
    public func verifySignature() throws(SignatureFileError) {
        guard signature.hashAlgorithm == .sha512 else {
            throw SignatureFileError("is signed with hash \(signature.hashAlgorithm.rawValue); approvals are signed with sha512")
        }
        do {
            try signature.verify(message, namespace: SignatureFile.namespace)
        } catch {
            throw SignatureFileError("\(error)")
        }
    }
}

public struct SignatureFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// The name a signature file must have: `PRINCIPAL.sig`, or `PRINCIPAL.FPR.sig` for a key of
/// the previously activated version that the new version does not list for that principal.
public struct SignatureFileName: Sendable, Hashable, CustomStringConvertible {
    public let principal: String
    /// The first 16 hex digits of the key's SHA-256, for the rule-3 form.
    public let fingerprint: String?

    public init(principal: String, fingerprint: String?) {
        self.principal = principal
        self.fingerprint = fingerprint
    }

    /// Nil for names that can be neither form.
    public init?(fileName: String) {
        guard fileName.hasSuffix(".sig") else { return nil }
        let stem = String(fileName.dropLast(4))
        if Characters.endsLikeFingerprint(stem), let dot = stem.lastIndex(of: ".") {
            let principal = String(stem[..<dot])
            guard AgreementDecoder.isValidPrincipal(principal) else { return nil }
            self.init(principal: principal, fingerprint: String(stem[stem.index(after: dot)...]))
        } else {
            guard AgreementDecoder.isValidPrincipal(stem) else { return nil }
            self.init(principal: stem, fingerprint: nil)
        }
    }

    public var description: String {
        fingerprint.map { "\(principal).\($0).sig" } ?? "\(principal).sig"
    }
}
