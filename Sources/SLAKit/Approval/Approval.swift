import Foundation
import SSHSigKit

/// A version as committed: its bytes and what they say.
public struct VersionRecord: Sendable {
    public let number: Int
    public let bytes: Data
    public let sha256: String
    public let agreement: Agreement

    public init(number: Int, bytes: Data, agreement: Agreement) {
        self.init(number: number, bytes: bytes, sha256: bytes.sha256Hex, agreement: agreement)
    }

    /// - Parameter sha256: `bytes.sha256Hex`, computed already.
    init(number: Int, bytes: Data, sha256: String, agreement: Agreement) {
        self.number = number
        self.bytes = bytes
        self.sha256 = sha256
        self.agreement = agreement
    }
}

/// A party that lacks signatures, under rule 2 (vN's signatories) or rule 3 (A's).
public struct Shortfall: Sendable, Equatable {
    public let underVersion: Int
    public let partyID: String
    public let partyName: String
    public let required: Int
    public let valid: Int
    /// Signatories of that party whose key has not validly signed.
    public let unsigned: [Signatory]
}

/// What makes a version approved: rules 1–3 of DESIGN.md's "Approval and activation", for
/// version N of one agreement, given the verdicts on its signature files and A. The one home
/// of the rule; the ledger, `activate`, `sign` and `allowed-signers` all ask it.
public struct ApprovalReport: Sendable {
    public let agreementID: String
    public let version: Int
    /// A, when rule 3 applies: the version in force whose signatories must also approve.
    public let previousActivated: Int?
    public let verdicts: [SignatureVerdict]
    public let shortfalls: [Shortfall]

    public var isApproved: Bool { shortfalls.isEmpty }

    /// Rule 3's trigger: vN changes who signs (parties, `required`, principals or keys) against A.
    public static func ruleThreeApplies(to version: Agreement, after activated: Agreement) -> Bool {
        version.signingPolicy != activated.signingPolicy
    }

    /// The keys whose signatures can count for `version`: its signatories and, under rule 3, A's.
    public static func signingKeys(_ version: VersionRecord, after activated: VersionRecord?) -> [(principal: String, key: String)] {
        var pairs = version.agreement.parties.flatMap { $0.signatories.map { ($0.principal, $0.key) } }
        if let a = activated, ruleThreeApplies(to: version.agreement, after: a.agreement) {
            for party in a.agreement.parties {
                for s in party.signatories where !pairs.contains(where: { $0 == (s.principal, s.key) }) {
                    pairs.append((s.principal, s.key))
                }
            }
        }
        return pairs
    }

    /// - Parameters:
    ///   - verdicts: every file under `signatures/vN/`, judged valid for its name or not.
    ///   - activated: A, the version of the last entry that counted before (nil when none).
    public init(agreementID: String, version: VersionRecord, verdicts: [SignatureVerdict], activated: VersionRecord?) {
        self.agreementID = agreementID
        self.version = version.number
        self.verdicts = verdicts
        let current = version.agreement
        let ruleThree = activated.flatMap { Self.ruleThreeApplies(to: current, after: $0.agreement) ? $0 : nil }
        self.previousActivated = ruleThree?.number
        let valid = verdicts.compactMap { verdict in verdict.file.map { ($0, verdict.name?.fingerprint != nil) } }

        var shortfalls: [Shortfall] = []
        func check(_ agreement: Agreement, number: Int, counts: (SignatureFile, Bool, Party) -> Bool) {
            for party in agreement.parties {
                let keys = Set(valid.filter { counts($0.0, $0.1, party) }.map { $0.0.signature.publicKey.openSSHLine })
                let signed = party.signatories.filter { keys.contains($0.key) }
                if signed.count < party.requiredCount {
                    shortfalls.append(
                        Shortfall(
                            underVersion: number, partyID: party.id, partyName: party.name, required: party.requiredCount,
                            valid: signed.count, unsigned: party.signatories.filter { !keys.contains($0.key) }))
                }
            }
        }
        // Rule 2: vN's own signatories, each file named for its signer (valid means vN lists it there).
        check(current, number: version.number) { file, byOldKey, party in
            !byOldKey && file.party == party.id
        }
        // Rule 3: A's signatories, by a key A lists in that party. A key listed in both vN and A
        // counts for both rules, whatever principal vN gives it (a signatory renamed keeps their
        // key); a `PRINCIPAL.FPR.sig` file counts only for the party it names.
        if let a = ruleThree {
            check(a.agreement, number: a.number) { file, byOldKey, party in
                let listed = party.signatories.contains { $0.key == file.signature.publicKey.openSSHLine }
                return listed && (!byOldKey || file.party == party.id)
            }
        }
        self.shortfalls = shortfalls
    }

    /// The rules over signature files given as bytes (each judged here, in process).
    public init(
        agreementID: String, version: VersionRecord, previousSHA256: String?, signatures: [String: Data],
        activated: VersionRecord?, earlier: [VersionRecord] = []
    ) {
        let below = earlier + (activated.map { [$0] } ?? [])
        let verdicts = signatures.keys.sorted().map { path in
            SignatureVerdict.judge(
                path: path, data: signatures[path]!, agreementID: agreementID, version: version,
                previousSHA256: previousSHA256, earlier: below)
        }
        self.init(agreementID: agreementID, version: version, verdicts: verdicts, activated: activated)
    }

    /// Every missing or invalid signature, one per line: who, which party, why.
    public var refusal: String {
        var lines: [String] = []
        for shortfall in shortfalls {
            let ruleThree = shortfall.underVersion != version
            let under =
                ruleThree
                ? " as listed in v\(shortfall.underVersion), the version in force (its signatories must approve a change of who signs)" : ""
            lines.append(
                "  \(shortfall.partyName) (\(shortfall.partyID)): \(shortfall.valid) of \(shortfall.required) required signature\(shortfall.required == 1 ? "" : "s")\(under)"
            )
            for signatory in shortfall.unsigned {
                let files = verdicts.filter { $0.name?.principal == signatory.principal && !$0.isValid }
                let signedOtherwise = verdicts.contains { $0.name?.principal == signatory.principal && $0.isValid }
                if ruleThree && signedOtherwise, let key = try? Ed25519PublicKey(openSSHLine: signatory.key) {
                    lines.append(
                        "    missing: \(signatory.name) <\(signatory.principal)> has signed v\(version), but not with the key v\(shortfall.underVersion) lists (\(key.fingerprint)); sign again with that key: `sla sign \(agreementID) v\(version) --key OLD-KEY`"
                    )
                } else if files.isEmpty {
                    lines.append("    missing: \(signatory.name) <\(signatory.principal)> has not signed")
                } else {
                    for file in files {
                        lines.append("    invalid: \(signatory.name) <\(signatory.principal)>: \(file.fileName) \(file.problem ?? "")")
                    }
                }
            }
        }
        for verdict in verdicts where !verdict.isValid && !lines.contains(where: { $0.contains(verdict.fileName) }) {
            lines.append("  invalid: \(verdict.path) \(verdict.problem ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    /// One line: which parties fall short.
    public var summary: String {
        shortfalls.map { s in
            let under = s.underVersion == version ? "" : " (as listed in v\(s.underVersion), the version in force)"
            return "\(s.partyName) has \(s.valid) of \(s.required) signature\(s.required == 1 ? "" : "s")\(under)"
        }.joined(separator: "; ")
    }
}

extension Agreement {
    /// The party whose signatory is this principal with this key, if any.
    public func party(ofPrincipal principal: String, key: String) -> Party? {
        parties.first { $0.signatories.contains { $0.principal == principal && $0.key == key } }
    }

    /// The signatory and party listing this key, if any.
    public func signatory(withKey key: String) -> (party: Party, signatory: Signatory)? {
        for party in parties {
            if let signatory = party.signatories.first(where: { $0.key == key }) { return (party, signatory) }
        }
        return nil
    }
}
