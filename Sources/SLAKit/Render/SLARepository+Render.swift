import Foundation

extension AgreementLedger {
    /// The document of committed version N: its text, and the signature block as the ledger
    /// judged vN's signature files (A, for rule 3, as `approval` fixes it).
    public func document(version n: Int, language: Language?) throws -> AgreementDocument {
        let version = try self.version(n)
        let report = try approval(n)
        let signatures = documentSignatures(version.agreement, report: report, activated: try activatedBefore(n)?.agreement)
        return AgreementDocument(
            version.agreement,
            subject: .version(
                n, sha256: version.sha256, signatures: signatures, approved: report.isApproved, missing: report.missingSigners),
            language: language)
    }

    /// One row per signatory of vN, in the agreement's order, then one per other signature
    /// file (a signatory of the version in force approving a change of signatories, or a file
    /// that is not valid for its name).
    func documentSignatures(_ agreement: Agreement, report: ApprovalReport, activated: Agreement?) -> [DocumentSignature] {
        var used: Set<String> = []
        var rows: [DocumentSignature] = []
        for party in agreement.parties {
            for signatory in party.signatories {
                let own = report.verdicts.filter { $0.name?.principal == signatory.principal && $0.name?.fingerprint == nil }
                let verdict: DocumentSignature.Verdict
                var signedAt: String?
                if let valid = own.first(where: { $0.isValid }), let file = valid.file {
                    verdict = .verified
                    signedAt = file.signedAt
                } else if let invalid = own.first {
                    verdict = .invalid(invalid.problem ?? "")
                } else {
                    verdict = .unsigned
                }
                for verdict in own { used.insert(verdict.path) }
                rows.append(
                    DocumentSignature(
                        name: signatory.name, role: signatory.role, partyName: party.name, principal: signatory.principal,
                        key: signatory.key, signedAt: signedAt, verdict: verdict))
            }
        }
        for verdict in report.verdicts where !used.contains(verdict.path) {
            let principal = verdict.principal ?? verdict.fileName
            let key = verdict.file?.signature.publicKey.openSSHLine
            let listed = key.flatMap { activated?.signatory(withKey: $0) ?? agreement.signatory(withKey: $0) }
            rows.append(
                DocumentSignature(
                    name: listed?.signatory.name ?? principal, role: listed?.signatory.role ?? "",
                    partyName: listed?.party.name ?? verdict.file?.party ?? "", principal: principal, key: key ?? "",
                    signedAt: verdict.file?.signedAt, verdict: verdict.isValid ? .verified : .invalid(verdict.problem ?? "")))
        }
        return rows
    }
}

extension SLARepository {
    /// `sla render`: the document of a version (`active` fails closed on a faulted agreement)
    /// or of the draft in the work tree.
    public func document(
        _ id: String, _ selector: VersionSelector, today: LocalDate, language: Language?, in built: Ledger? = nil
    ) throws -> AgreementDocument {
        if selector == .draft {
            guard AgreementDecoder.isValidID(id) else { throw SLAError.invalidID(id) }
            guard let data = try draftData(id) else {
                throw SLAError("agreement '\(id)' has no open draft", kind: .notFound)
            }
            let agreement = try decodeAgreement(data, path: AgreementPaths(id).draft, id: id).0
            return AgreementDocument(agreement, subject: .draft, language: language)
        }
        let agreement = try self.agreement(id, in: try built ?? ledger())
        return try agreement.document(version: try agreement.select(selector, today: today), language: language)
    }
}
