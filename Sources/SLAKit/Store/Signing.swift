import Foundation
import GitKit
import SSHSigKit

/// `sign`, `activate`, `allowed-signers`: the approval workflow on top of the ledger.
extension SLARepository {
    public enum SignOutcome: Sendable {
        case signed(path: String, principal: String, party: String, commit: String, delegated: Bool)
        case alreadySigned(path: String, principal: String)
    }

    /// Signs vN (default: the latest) as the signatory whose key `keyPath` is.
    public func sign(_ id: String, version: Int?, keyPath: String, now: Date) throws -> SignOutcome {
        try requireAgreement(id)
        let ledger = try self.ledger(id)
        guard let n = version ?? ledger.latestVersion else {
            throw SLAError("agreement '\(id)' has no version to sign yet; propose the draft first")
        }
        let record = try ledger.version(n)
        _ = try identity(now: now)   // before anyone types a passphrase for a commit that cannot be made
        let resolved = URL(fileURLWithPath: keyPath).resolvingSymlinksInPath().path
        if FileManager.default.fileExists(atPath: resolved),
           (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType) != .typeRegular {
            throw SLAError("cannot use the key \(keyPath): it is not a regular file")
        }
        let keyFile: KeyFile
        do {
            keyFile = try KeyFile.load(path: keyPath)
        } catch {
            throw SLAError("cannot use the key \(keyPath): \(error)")
        }
        let key = keyFile.publicKey
        let ruleThree = try ledger.previousActivated(for: n).flatMap { a in
            a.agreement.signingPolicy != record.agreement.signingPolicy ? a : nil
        }

        let fileName: SignatureFileName
        let party: Party
        if let found = record.agreement.signatory(withKey: key.openSSHLine) {
            fileName = SignatureFileName(principal: found.signatory.principal, fingerprint: nil)
            party = found.party
        } else if let a = ruleThree, let found = a.agreement.signatory(withKey: key.openSSHLine) {
            fileName = SignatureFileName(principal: found.signatory.principal, fingerprint: key.shortFingerprintHex)
            party = found.party
        } else {
            var message = "the key \(key.fingerprint) (\(keyPath)) is not listed for any signatory of \(id) v\(n)"
            if let a = ruleThree { message += " nor of v\(a.number), the version whose signatories must approve the change" }
            throw SLAError(message + "; sign with your own key as listed in the agreement")
        }

        let path = "\(AgreementPaths(id).signatures(n))/\(fileName)"
        let report = try ledger.approval(n, activated: ruleThree)
        if let existing = report.verdicts.first(where: { $0.path == path }), existing.isValid {
            return .alreadySigned(path: path, principal: fileName.principal)
        }

        let message = SignatureFile.message(
            agreement: id, version: n, sha256: record.sha256, previous: try ledger.previousSHA256(of: n),
            party: party.id, signer: fileName.principal, signedAt: RFC3339.string(now))
        let signature: SSHSignature
        let delegated: Bool
        do {
            switch keyFile {
            case .privateEd25519(let privateKey):
                signature = try SSHSignature.sign(message, namespace: SignatureFile.namespace, with: privateKey)
                delegated = false
            case .publicOnly, .encryptedPrivate:
                signature = try SSHKeygen.sign(message, namespace: SignatureFile.namespace, keyPath: keyPath)
                delegated = true
            }
            try signature.verify(message, namespace: SignatureFile.namespace, signer: key)
        } catch {
            throw SLAError("signing with \(keyPath) failed: \(error)")
        }
        let file = try SignatureFile(parsing: message + Data(signature.armored.utf8))
        try commit([path: .write(file.contents)],
                   message: "sla: sign \(id) v\(n) as \(fileName.principal) (\(party.id))\n", now: now)
        return .signed(path: path, principal: fileName.principal, party: party.id,
                       commit: try head()?.hex ?? "", delegated: delegated)
    }

    /// Appends the activation of vN (default: the latest) if it is approved and newer than
    /// every version whose activation holds.
    public func activate(_ id: String, version: Int?, today: LocalDate, now: Date) throws -> (version: Int, commit: String) {
        try requireAgreement(id)
        let ledger = try self.ledger(id)
        guard let n = version ?? ledger.latestVersion else {
            throw SLAError("agreement '\(id)' has no version to activate")
        }
        let record = try ledger.version(n)
        let fileProblems = try ledger.activationHeadProblems()
        guard fileProblems.isEmpty else {
            throw SLAError("\(ledger.paths.activations) is damaged, so an entry appended to it might not count; repair it first (see `sla verify \(id)`)",
                           diagnostics: fileProblems)
        }
        let activated = try ledger.activatedVersions()
        if let last = activated.last, n <= last.version.number {
            throw SLAError("v\(n) cannot be activated: v\(last.version.number) is already activated, and an agreement never goes back to an older version")
        }
        let report = try ledger.approval(n, activated: activated.last?.version)
        guard report.isApproved else {
            throw SLAError("v\(n) of \(id) is not approved by every party:\n" + describeRefusal(report))
        }
        let email = try identity(now: now).email
        var data = try file(ledger.paths.activations) ?? Data()
        if !data.isEmpty, data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        data.append(Data(ActivationRecord.yaml(version: n, sha256: record.sha256, activatedAt: today, activatedBy: email).utf8))
        let commitID = try commit([ledger.paths.activations: .write(data)], message: "sla: activate \(id) v\(n)\n", now: now)
        return (n, commitID.hex)
    }

    /// OpenSSH allowed_signers lines for every key whose signature can count for vN.
    public func allowedSigners(_ id: String, version: Int?) throws -> String {
        try requireAgreement(id)
        let ledger = try self.ledger(id)
        guard let n = version ?? ledger.latestVersion else {
            throw SLAError("agreement '\(id)' has no version yet")
        }
        let record = try ledger.version(n)
        var pairs: [(String, String)] = record.agreement.parties.flatMap { $0.signatories.map { ($0.principal, $0.key) } }
        if let a = try ledger.previousActivated(for: n), a.agreement.signingPolicy != record.agreement.signingPolicy {
            for party in a.agreement.parties {
                for s in party.signatories where !pairs.contains(where: { $0 == (s.principal, s.key) }) {
                    pairs.append((s.principal, s.key))
                }
            }
        }
        return pairs.map { "\($0.0) namespaces=\"\(SignatureFile.namespace)\" \($0.1)\n" }.joined()
    }

}

/// Every missing or invalid signature, one per line: who, which party, why.
func describeRefusal(_ report: ApprovalReport) -> String {
    var lines: [String] = []
    for shortfall in report.shortfalls {
        let ruleThree = shortfall.underVersion != report.version
        let under = ruleThree ? " as listed in v\(shortfall.underVersion), the latest activated version (its signatories must approve a change of who signs)" : ""
        lines.append("  \(shortfall.partyName) (\(shortfall.partyID)): \(shortfall.valid) of \(shortfall.required) required signature\(shortfall.required == 1 ? "" : "s")\(under)")
        for signatory in shortfall.unsigned {
            let files = report.verdicts.filter { $0.principal == signatory.principal && !$0.isValid }
            let signedOtherwise = report.verdicts.contains { $0.principal == signatory.principal && $0.isValid }
            if ruleThree && signedOtherwise, let key = try? Ed25519PublicKey(openSSHLine: signatory.key) {
                lines.append("    missing: \(signatory.name) <\(signatory.principal)> has signed v\(report.version), but not with the key v\(shortfall.underVersion) lists (\(key.fingerprint)); sign again with that key: `sla sign \(report.agreementID) v\(report.version) --key OLD-KEY`")
            } else if files.isEmpty {
                lines.append("    missing: \(signatory.name) <\(signatory.principal)> has not signed")
            } else {
                for file in files {
                    lines.append("    invalid: \(signatory.name) <\(signatory.principal)>: \(file.fileName) \(file.problem ?? "")")
                }
            }
        }
    }
    for verdict in report.verdicts where !verdict.isValid && !lines.contains(where: { $0.contains(verdict.fileName) }) {
        lines.append("  invalid: \(verdict.path) \(verdict.problem ?? "")")
    }
    return lines.joined(separator: "\n")
}
