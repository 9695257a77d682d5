import Foundation
import GitKit
import SLALimits
import SSHSigKit

/// `sign`, `activate`, `allowed-signers`: the approval workflow, asking the ledger.
extension SLARepository {
    public struct SignResult: Sendable, Encodable {
        public let agreement: String
        public let version: Int
        public let path: String
        public let signer: String
        public let party: String?
        /// nil when it was already signed (nothing written).
        public let commit: String?
        public let alreadySigned: Bool
        /// Signed by `ssh-keygen -Y sign` (ssh-agent or a passphrase) rather than in process.
        public let delegated: Bool

        enum CodingKeys: String, CodingKey {
            case agreement, version, path, signer, party, commit, delegated
            case alreadySigned = "already_signed"
        }

        /// `commit` and `party` are null when there is none, never absent (as `activate`'s).
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(agreement, forKey: .agreement)
            try c.encode(version, forKey: .version)
            try c.encode(path, forKey: .path)
            try c.encode(signer, forKey: .signer)
            try c.encode(party, forKey: .party)
            try c.encode(commit, forKey: .commit)
            try c.encode(alreadySigned, forKey: .alreadySigned)
            try c.encode(delegated, forKey: .delegated)
        }
    }

    /// The key to sign with when none is named, as git chooses one for SSH signing: git config
    /// `user.signingkey` (a key file), else `~/.ssh/id_ed25519` when vN (default: the latest),
    /// or under rule 3 the version in force, lists its public key. Returns the path and why.
    public func defaultSigningKey(_ id: String, version: Int?, home: String) throws -> (path: String, reason: String) {
        if let configured = try wrap({ try git.config("user.signingkey") }), !configured.isEmpty {
            guard !configured.hasPrefix("key::"), !configured.hasPrefix("ssh-") else {
                throw SLAError(
                    "git config user.signingkey holds a key itself, not a key file; pass --key PATH (the .pub file works with ssh-agent)",
                    kind: .badInput)
            }
            let path = configured.hasPrefix("~/") ? home + configured.dropFirst(1) : configured
            return (path, "git config user.signingkey")
        }
        let agreement = try self.agreement(id, in: try ledger())
        guard let n = version ?? agreement.latestVersion else {
            throw SLAError("agreement '\(id)' has no version to sign yet; propose the draft first", kind: .notFound)
        }
        let listed = ApprovalReport.signingKeys(try agreement.version(n), after: try agreement.activatedBefore(n)).map(\.key)
        let base = home + "/.ssh/id_ed25519"
        for candidate in [base + ".pub", base] where FileManager.default.fileExists(atPath: candidate) {
            if let key = try? KeyFile.load(path: candidate).publicKey, listed.contains(key.openSSHLine) {
                return (FileManager.default.fileExists(atPath: base) ? base : candidate, "~/.ssh/id_ed25519, which \(id) v\(n) lists")
            }
        }
        throw SLAError(
            "no key given: pass --key PATH (your private key, or its .pub with the key in ssh-agent), or set it once with "
                + "`git config --global user.signingkey PATH`; ~/.ssh/id_ed25519 is \(FileManager.default.fileExists(atPath: base) ? "not listed in \(id) v\(n)" : "not there")",
            kind: .badInput)
    }

    /// Signs vN (default: the latest) as the signatory whose key `keyPath` is.
    public func sign(_ id: String, version: Int?, keyPath: String, now: Date) throws -> SignResult {
        let agreement = try self.agreement(id, in: try ledger())
        guard let n = version ?? agreement.latestVersion else {
            throw SLAError("agreement '\(id)' has no version to sign yet; propose the draft first", kind: .notFound)
        }
        let record = try agreement.version(n)
        _ = try identity(now: now)  // before anyone types a passphrase for a commit that cannot be made
        let resolved = URL(fileURLWithPath: keyPath).resolvingSymlinksInPath().path
        if FileManager.default.fileExists(atPath: resolved),
            (try? FileManager.default.attributesOfItem(atPath: resolved)[.type] as? FileAttributeType) != .typeRegular
        {
            throw SLAError("cannot use the key \(keyPath): it is not a regular file", kind: .badInput)
        }
        let keyFile: KeyFile
        do {
            keyFile = try KeyFile.load(path: keyPath)
        } catch {
            throw SLAError("cannot use the key \(keyPath): \(error)", kind: .badInput)
        }
        let key = keyFile.publicKey
        let report = try agreement.approval(n)
        let ruleThree = try report.previousActivated.map { try agreement.version($0) }

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
            throw SLAError(message + "; sign with your own key as listed in the agreement", kind: .refused)
        }

        let path = "\(agreement.paths.signatures(n))/\(fileName)"
        if let existing = report.verdicts.first(where: { $0.path == path }) {
            if existing.isValid {
                return SignResult(
                    agreement: id, version: n, path: path, signer: fileName.principal, party: party.id,
                    commit: nil, alreadySigned: true, delegated: false)
            }
            throw SLAError(
                "\(path) is already committed and is not a valid signature by this key: it \(existing.problem ?? "is invalid"). "
                    + "A signature file is never changed; committing it was a fault (see `sla verify \(id)`)", kind: .fault)
        }

        let previous = try agreement.state.files.versions[n - 1].map { try blob($0).sha256Hex }
        let message = SignatureFile.message(
            agreement: id, version: n, sha256: record.sha256, previous: previous,
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
            throw SLAError("signing with \(keyPath) failed: \(error)", kind: .refused)
        }
        let file = try SignatureFile(parsing: message + Data(signature.armored.utf8))
        let commitID = try commit(
            [path: .write(file.contents)],
            message: "sla: sign \(id) v\(n) as \(fileName.principal) (\(party.id))\n", now: now)
        return SignResult(
            agreement: id, version: n, path: path, signer: fileName.principal, party: party.id,
            commit: commitID.hex, alreadySigned: false, delegated: delegated)
    }

    public struct ActivationResult: Sendable, Encodable {
        public let agreement: String
        public let version: Int
        /// nil when the version was already the last one activated (nothing written).
        public let commit: String?
        public let activatedAt: LocalDate
        public let effectiveFrom: LocalDate
        /// `effective_from` is after `today`: activated, not yet in force.
        public let scheduled: Bool
        public let alreadyActivated: Bool

        enum CodingKeys: String, CodingKey {
            case agreement, version, commit, scheduled
            case activatedAt = "activated_at"
            case effectiveFrom = "effective_from"
            case alreadyActivated = "already_activated"
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(agreement, forKey: .agreement)
            try c.encode(version, forKey: .version)
            try c.encode(commit, forKey: .commit)
            try c.encode(activatedAt.iso, forKey: .activatedAt)
            try c.encode(effectiveFrom.iso, forKey: .effectiveFrom)
            try c.encode(scheduled, forKey: .scheduled)
            try c.encode(alreadyActivated, forKey: .alreadyActivated)
        }
    }

    /// Appends the activation of vN (default: the latest) if an entry for it would count now
    /// (History rule 4), then reads the log back and confirms that it does.
    public func activate(_ id: String, version: Int?, today: LocalDate, now: Date) throws -> ActivationResult {
        let before = try ledger()
        let agreement = try self.agreement(id, in: before)
        guard let n = version ?? agreement.latestVersion else {
            throw SLAError("agreement '\(id)' has no version to activate", kind: .notFound)
        }
        try agreement.requireNoFault()
        let record = try agreement.version(n)
        let effective = record.agreement.validity.effectiveFrom
        if let last = agreement.counted.last {
            if last.entry.version == n {
                return ActivationResult(
                    agreement: id, version: n, commit: nil, activatedAt: last.entry.activatedAt,
                    effectiveFrom: effective, scheduled: effective > today, alreadyActivated: true)
            }
            if n < last.entry.version {
                throw SLAError(
                    "v\(n) cannot be activated: v\(last.entry.version) is already activated, and an agreement never goes back to an older version",
                    kind: .refused)
            }
        }
        let report = try agreement.approval(n)
        guard report.isApproved else {
            throw SLAError(
                "v\(n) of \(id) is not approved by every party:\n" + report.refusal
                    + "\nIf someone has signed on another machine, fetch their commits first (`git pull`).", kind: .refused)
        }
        let email = try identity(now: now).email
        guard ActivationEntry.isValidActivator(email) else {
            throw SLAError(
                "your git user.email '\(email)' cannot be written in activations.yaml: use only A-Z a-z 0-9 . _ + @ -", kind: .badInput)
        }
        if let problem = try agreement.problemWithNewEntry(version: n, sha256: record.sha256, activatedAt: today, activatedBy: email) {
            throw SLAError("an activation of v\(n) would not count: \(problem)", kind: .refused)
        }
        var data = try agreement.activationLogBytes()
        data.append(Data(ActivationEntry.text(version: n, sha256: record.sha256, activatedAt: today, activatedBy: email).utf8))
        guard data.count <= Limits.activationLogBytes else {
            throw SLAError(
                "\(agreement.paths.activations) would grow beyond \(Limits.describe(bytes: Limits.activationLogBytes)), the most sla reads",
                kind: .refused)
        }
        let commitID = try commit([agreement.paths.activations: .write(data)], message: "sla: activate \(id) v\(n)\n", now: now)

        // Read back what was written, through the same ledger every command uses.
        let after = try self.agreement(id, in: try ledger(after: before))
        guard let written = after.entries.last, written.commit == commitID, written.counts, written.entry.version == n else {
            throw SLAError(
                "committed \(commitID.short), but the ledger does not count it as the activation of v\(n): "
                    + (after.entries.last?.problem ?? "its entry is missing") + "; run `sla verify \(id)`", kind: .fault)
        }
        return ActivationResult(
            agreement: id, version: n, commit: commitID.hex, activatedAt: today,
            effectiveFrom: effective, scheduled: effective > today, alreadyActivated: false)
    }

    /// OpenSSH allowed_signers lines for every key whose signature can count for vN. Refused
    /// for a faulted agreement: an auditor must not take its keys on trust.
    public func allowedSigners(_ id: String, version: Int?) throws -> String {
        let agreement = try self.agreement(id, in: try ledger())
        try agreement.requireNoFault()
        guard let n = version ?? agreement.latestVersion else {
            throw SLAError("agreement '\(id)' has no version yet", kind: .notFound)
        }
        let pairs = ApprovalReport.signingKeys(try agreement.version(n), after: try agreement.activatedBefore(n))
        return pairs.map { "\($0.principal) namespaces=\"\(SignatureFile.namespace)\" \($0.key)\n" }.joined()
    }
}
