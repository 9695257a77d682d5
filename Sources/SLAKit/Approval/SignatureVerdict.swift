import Foundation
import SSHSigKit

/// Whether one signature file is valid for its name (History rule 2): its seven header lines
/// match its path's agreement and version and the sha256 and `previous` of the version files
/// beside it, `signer` is the principal its name says, the SSHSIG verifies (namespace
/// `sla-approval`, sha512), and the key is listed for that principal in vN — or, for
/// `PRINCIPAL.FPR.sig`, in some version below N under the party the file names, FPR matching.
/// Whether it also counts is the approval rules' question (`ApprovalReport`).
public struct SignatureVerdict: Sendable {
    public let path: String
    public let fileName: String
    /// The name parsed, when it has either form.
    public let name: SignatureFileName?
    /// The file, when it is valid for its name.
    public let file: SignatureFile?
    /// Why it is not valid, or nil.
    public let problem: String?

    public var isValid: Bool { problem == nil }
    public var principal: String? { name?.principal }

    /// - Parameters:
    ///   - version: vN as committed beside the file (nil when there is none or it does not validate).
    ///   - previousSHA256: SHA-256 of v(N-1) beside it, nil when there is none.
    ///   - earlier: the versions below N that validate, for `PRINCIPAL.FPR.sig`.
    public static func judge(
        path: String, data: Data, agreementID: String, version: VersionRecord?, number: Int? = nil,
        previousSHA256: String?, earlier: [VersionRecord]
    ) -> SignatureVerdict {
        let fileName = String(path.split(separator: "/").last ?? "")
        let name = SignatureFileName(fileName: fileName)
        func invalid(_ problem: String) -> SignatureVerdict {
            SignatureVerdict(path: path, fileName: fileName, name: name, file: nil, problem: problem)
        }
        guard let name else { return invalid("is not named PRINCIPAL.sig or PRINCIPAL.FPR.sig") }
        let n = version?.number ?? number ?? 0
        guard let version else { return invalid("signs v\(n), which does not exist or does not validate") }
        let file: SignatureFile
        do {
            file = try SignatureFile(parsing: data)
        } catch {
            return invalid(error.reason)
        }
        guard file.agreement == agreementID else { return invalid("was made for agreement '\(file.agreement)', not '\(agreementID)'") }
        guard file.version == version.number else { return invalid("was made for v\(file.version), not v\(version.number)") }
        guard file.sha256 == version.sha256 else {
            return invalid("was made for other bytes than v\(version.number) has (sha256 differs)")
        }
        guard file.previous == previousSHA256 else { return invalid("names a different previous version (\(file.previous ?? "none"))") }
        guard file.signer == name.principal else { return invalid("is signed as '\(file.signer)' but named for '\(name.principal)'") }
        let key = file.signature.publicKey
        let line = key.openSSHLine
        if let fingerprint = name.fingerprint {
            guard fingerprint == key.shortFingerprintHex else {
                return invalid("names key \(fingerprint) but was made by key \(key.shortFingerprintHex)")
            }
            let listed = earlier.filter { $0.number < version.number }.contains { earlier in
                earlier.agreement.party(ofPrincipal: file.signer, key: line)?.id == file.party
            }
            guard listed else {
                return invalid(
                    "is made by key \(key.fingerprint), which is not listed for \(file.signer) in party '\(file.party)' in any version before v\(version.number)"
                )
            }
        } else {
            guard let party = version.agreement.party(ofPrincipal: file.signer, key: line) else {
                return invalid("is made by key \(key.fingerprint), which is not listed for \(file.signer) in v\(version.number)")
            }
            guard file.party == party.id else {
                return invalid("says party '\(file.party)', but \(file.signer) signs for '\(party.id)' in v\(version.number)")
            }
        }
        do {
            try file.verifySignature()
        } catch {
            return invalid("does not verify: \(error.reason)")
        }
        return SignatureVerdict(path: path, fileName: fileName, name: name, file: file, problem: nil)
    }
}
