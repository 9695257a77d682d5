import Foundation
import GitKit

/// Opening revisions and freezing them into versions: `new`, `revise`, `propose`.
extension SLARepository {
    public struct Proposal: Sendable {
        public let version: Int
        public let commit: String
        public let tag: String
        public let warnings: [Diagnostic]
    }

    /// `sla new`: the draft from the built-in template. Refuses an id that is taken.
    @discardableResult
    public func newAgreement(_ id: String, language: Language, company: String, effectiveFrom: LocalDate, now: Date) throws -> String {
        guard AgreementDecoder.isValidID(id) else {
            throw SLAError.invalidID(id)
        }
        if let control = company.unicodeScalars.first(where: DisplayControl.isControl) {
            throw SLAError(
                String(
                    format: "--company holds the control character U+%04X, which no text of an agreement may hold; leave it out",
                    control.value),
                kind: .badInput)
        }
        let paths = AgreementPaths(id)
        if try agreementIDs().contains(id) {
            throw SLAError("agreement '\(id)' already exists; open a revision with `sla revise \(id)`")
        }
        let text = AgreementTemplate.text(language: language, id: id, company: company, effectiveFrom: effectiveFrom)
        try commit([paths.draft: .write(Data(text.utf8))], message: "sla: new agreement \(id)", now: now)
        return paths.draft
    }

    /// `sla revise`: the draft as a byte-for-byte copy of the latest version.
    @discardableResult
    public func revise(_ id: String, now: Date) throws -> (path: String, from: Int) {
        let (paths, latest, data) = try latestForRevision(id)
        try commit([paths.draft: .write(data)], message: "sla: revise \(id) from v\(latest)", now: now)
        return (paths.draft, latest)
    }

    /// `sla renew`: a revision of the latest activated version (in force or scheduled) that
    /// changes only `validity.effective_from`: to `effectiveFrom`, by default that version's
    /// renewal due date. A date not after the version's own `effective_from` is refused.
    @discardableResult
    public func renew(_ id: String, effectiveFrom requested: LocalDate?, now: Date) throws -> (
        path: String, from: Int, effectiveFrom: LocalDate
    ) {
        let agreement = try self.agreement(id, in: try ledger())
        try agreement.requireNoFault()
        guard let last = agreement.counted.last else {
            throw SLAError(
                "no version of '\(id)' has been activated, so there is nothing to renew; activate one first (`sla activate \(id)`)",
                kind: .refused)
        }
        let (paths, _, _) = try latestForRevision(id)
        let n = last.entry.version
        let record = try agreement.version(n)
        let validity = record.agreement.validity
        let date = requested ?? Schedule.renewalDue(validity)
        guard date > validity.effectiveFrom else {
            throw SLAError(
                "a renewal of v\(n) of '\(id)' must take effect after v\(n)'s own effective_from (\(validity.effectiveFrom.iso)); \(date.iso) is not",
                kind: .badInput)
        }
        var renewedValidity = validity
        renewedValidity.effectiveFrom = date
        guard Schedule.writableRenewalDue(renewedValidity) != nil else {
            throw SLAError(
                "a renewal of '\(id)' from \(date.iso) would be due after 9999-12-31, which no agreement can say; choose an earlier date",
                kind: .badInput)
        }
        guard let renewed = YAMLEdit.replacingScalar(in: record.bytes, path: ["validity", "effective_from"], with: date.iso) else {
            throw SLAError("cannot find validity.effective_from in \(paths.version(n))")
        }
        try commit([paths.draft: .write(renewed)], message: "sla: renew \(id) v\(n) from \(date.iso)", now: now)
        return (paths.draft, n, date)
    }

    /// The latest version's bytes, for a revision to start from; refuses while one is open.
    private func latestForRevision(_ id: String) throws -> (AgreementPaths, Int, Data) {
        try requireAgreement(id)
        let paths = AgreementPaths(id)
        guard let latest = try latestVersion(of: id) else {
            throw SLAError("agreement '\(id)' has no version yet; edit \(paths.draft) and run `sla propose \(id)`", kind: .notFound)
        }
        if try draftData(id) != nil {
            throw SLAError(
                "a revision of '\(id)' is already open in \(paths.draft); propose it with `sla propose \(id)`, or abandon it with `sla revise \(id) --discard`"
            )
        }
        return (paths, latest, try versionData(id, latest))
    }

    /// `sla revise --discard`: abandons the open revision (one commit deleting the draft).
    /// Refuses, writing nothing, while the draft holds edits that are not committed (they would
    /// be lost), unless `force`.
    public func discardRevision(_ id: String, force: Bool = false, now: Date) throws -> String {
        try requireAgreement(id)
        let paths = AgreementPaths(id)
        let committed = try file(paths.draft) != nil
        let onDisk =
            git.workDirectory.map {
                FileManager.default.fileExists(atPath: URL(fileURLWithPath: $0).appendingPathComponent(paths.draft).path)
            } ?? false
        guard committed || onDisk else {
            throw SLAError("there is no open revision of '\(id)' to abandon", kind: .notFound)
        }
        if !force, onDisk, try !committed || !wrap({ try git.uncommittedPaths([paths.draft]) }).isEmpty {
            throw SLAError(
                "\(paths.draft) has edits that are not committed, and abandoning the revision would lose them. "
                    + "Keep them: `sla propose \(id)` (or `git add \(paths.draft) && git commit`); "
                    + "or throw them away: `sla revise \(id) --discard --force`", kind: .refused)
        }
        if committed {
            try commit([paths.draft: .delete], message: "sla: abandon the revision of \(id)\n", now: now, allowUncommitted: [paths.draft])
        }
        if onDisk, let work = git.workDirectory {
            // An untracked draft is the user's own file; deleting it is what they asked for.
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: work).appendingPathComponent(paths.draft).path)
        }
        return paths.draft
    }

    /// `sla propose`: freezes the work-tree draft as the next version and tags it `sla/ID/vN`.
    public func propose(_ id: String, message: String?, now: Date) throws -> Proposal {
        try requireAgreement(id)
        let paths = AgreementPaths(id)
        guard git.workDirectory != nil else {
            throw SLAError("propose needs a work tree with \(paths.draft); this repository is bare")
        }
        guard let draft = try draftData(id) else {
            throw SLAError(
                "there is no open revision of '\(id)': \(paths.draft) does not exist; run `sla revise \(id)` first", kind: .notFound)
        }
        var (_, warnings) = try decodeAgreement(draft, path: paths.draft, id: id)
        let latest = try latestVersion(of: id)
        if let latest {
            let previous = try versionData(id, latest)
            if previous == draft {
                throw SLAError("\(paths.draft) is identical to v\(latest); change something before proposing")
            }
            // Other bytes are a new version (DESIGN.md); line ends alone are worth a word.
            func lf(_ data: Data) -> [UInt8] {
                let bytes = [UInt8](data)
                return bytes.indices.filter { !(bytes[$0] == 0x0D && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x0A) }.map { bytes[$0] }
            }
            if lf(previous) == lf(draft) {
                warnings.append(
                    Diagnostic(
                        .warning, file: paths.draft, position: .start,
                        message:
                            "differs from v\(latest) only in its line ends (CRLF against LF; git's core.autocrlf may have changed them on checkout); it becomes v\(latest + 1) all the same"
                    ))
            }
        }
        let n = (latest ?? 0) + 1
        guard n <= VersionSelector.highest else {
            throw SLAError("'\(id)' has v\(n - 1), the highest version number there is; no version can follow it")
        }
        let tag = paths.tag(n)
        if let existing = try wrap({ try git.tag(named: tag) }) {
            throw SLAError(
                "tag \(tag) already exists (on commit \(existing.target.short)) although there is no v\(n); a tag is never moved, so v\(n) cannot be proposed here. If that tag was made by mistake and never shared, remove it with `git tag -d \(tag)`"
            )
        }
        var text = "sla: propose \(id) v\(n)"
        if let message, !message.isEmpty { text += "\n\n\(message)" }
        let draftCommitted = try file(paths.draft) != nil
        // An untracked draft is not in the commit; it lives on as vN.yaml, and is removed after.
        let commitID = try commit(
            [paths.version(n): .write(draft), paths.draft: .delete], message: text + "\n", now: now,
            allowUncommitted: [paths.draft], tag: .init(name: tag, message: text + "\n"),
            untrackedDraft: draftCommitted ? nil : (paths.draft, draft))
        return Proposal(version: n, commit: commitID.hex, tag: tag, warnings: warnings)
    }
}
