import Foundation
import SSHSigKit

/// `GET /api/agreements/ID` of the web service: the agreement's `status --format json` object
/// with its versions, signature files and activation entries as the ledger judged them.
public struct AgreementDetail: Sendable, Encodable {
    public let status: AgreementStatus
    public let versions: [VersionSummary]
    public let signatures: [SignatureSummary]
    public let activations: [ActivationSummary]

    public struct VersionSummary: Sendable, Encodable {
        public let version: Int
        /// nil when the file does not validate (a fault).
        public let sha256: String?
        public let effectiveFrom: String?
        public let valid: Bool
        /// Whether every party has approved it (rules 1–3), nil when it does not validate.
        public let approved: Bool?

        enum CodingKeys: String, CodingKey {
            case version, sha256, valid, approved
            case effectiveFrom = "effective_from"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(effectiveFrom, forKey: .effectiveFrom)
            try c.encode(valid, forKey: .valid)
            try c.encode(approved, forKey: .approved)
        }
    }

    public struct SignatureSummary: Sendable, Encodable {
        public let version: Int
        public let path: String
        public let principal: String?
        public let party: String?
        public let signedAt: String?
        /// `SHA256:…` as `ssh-keygen -l` prints it, for a file that parses.
        public let fingerprint: String?
        public let valid: Bool
        public let problem: String?

        enum CodingKeys: String, CodingKey {
            case version, path, principal, party, fingerprint, valid, problem
            case signedAt = "signed_at"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(path, forKey: .path)
            try c.encode(principal, forKey: .principal)
            try c.encode(party, forKey: .party)
            try c.encode(signedAt, forKey: .signedAt)
            try c.encode(fingerprint, forKey: .fingerprint)
            try c.encode(valid, forKey: .valid)
            try c.encode(problem, forKey: .problem)
        }
    }

    public struct ActivationSummary: Sendable, Encodable {
        public let version: Int
        public let sha256: String
        public let activatedAt: String
        public let activatedBy: String
        public let commit: String
        public let counts: Bool
        public let problem: String?

        enum CodingKeys: String, CodingKey {
            case version, sha256, commit, counts, problem
            case activatedAt = "activated_at"
            case activatedBy = "activated_by"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(version, forKey: .version)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(activatedAt, forKey: .activatedAt)
            try c.encode(activatedBy, forKey: .activatedBy)
            try c.encode(commit, forKey: .commit)
            try c.encode(counts, forKey: .counts)
            try c.encode(problem, forKey: .problem)
        }
    }

    enum CodingKeys: String, CodingKey { case versions, signatures, activations }

    /// The status object's keys, then the three lists beside them in the same object.
    public func encode(to encoder: Encoder) throws {
        try status.encode(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(versions, forKey: .versions)
        try c.encode(signatures, forKey: .signatures)
        try c.encode(activations, forKey: .activations)
    }
}

extension AgreementLedger {
    /// The detail of this agreement at `today`, from this ledger alone.
    public func detail(today: LocalDate, hasDraft: Bool) throws -> AgreementDetail {
        let status = try self.status(today: today, hasDraft: hasDraft)
        let versions = try versionNumbers.map { n -> AgreementDetail.VersionSummary in
            guard let record = try? version(n) else {
                return .init(version: n, sha256: nil, effectiveFrom: nil, valid: false, approved: nil)
            }
            return .init(
                version: n, sha256: record.sha256, effectiveFrom: record.agreement.validity.effectiveFrom.iso, valid: true,
                approved: try approval(n).isApproved)
        }
        let signatures = try signatureVerdicts().map { n, verdict in
            AgreementDetail.SignatureSummary(
                version: n, path: verdict.path, principal: verdict.principal, party: verdict.file?.party,
                signedAt: verdict.file?.signedAt, fingerprint: verdict.file?.signature.publicKey.fingerprint, valid: verdict.isValid,
                problem: verdict.problem)
        }
        let activations = entries.map { verdict in
            AgreementDetail.ActivationSummary(
                version: verdict.entry.version, sha256: verdict.entry.sha256, activatedAt: verdict.entry.activatedAt.iso,
                activatedBy: verdict.entry.activatedBy, commit: verdict.commit.hex, counts: verdict.counts, problem: verdict.problem)
        }
        return AgreementDetail(status: status, versions: versions, signatures: signatures, activations: activations)
    }
}

/// The JSON every command and the web service print: sorted keys, two-space indentation
/// (pretty), `/` unescaped, a final newline.
public enum JSONOutput {
    public static func data<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return escapingControls(try encoder.encode(value)) + Data("\n".utf8)
    }

    /// The encoders escape C0 controls; DEL, C1 controls and the bidirectional marks
    /// (`DisplayControl`) they leave raw, and a terminal showing the JSON would act on them.
    /// They can stand only inside strings, where `\uXXXX` means the same.
    public static func escapingControls(_ json: Data) -> Data {
        guard json.contains(where: { $0 == 0x7F || $0 >= 0xC2 }) else { return json }
        let text = String(decoding: json, as: UTF8.self)
        guard text.unicodeScalars.contains(where: DisplayControl.isControl) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if DisplayControl.isControl(scalar) {
                let hex = String(scalar.value, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return Data(String(out).utf8)
    }
}
