import Foundation

extension AgreementLedger {
    /// What `Schedule.status` needs, read from the ledger. Of the entries that count, only the
    /// one in force at `today` and those after it matter; only their versions are decoded.
    public func scheduleInput(today: LocalDate, hasDraft: Bool) throws -> Schedule.Input {
        if isFaulted { return Schedule.Input(fault: faults[0].description, hasDraft: hasDraft) }
        // From the last entry that counts back to the one in force at `today`: only those are read.
        var tail: [EntryVerdict] = []
        for entry in countedFromEnd {
            tail.append(entry)
            if try effectiveFrom(entry) <= today { break }
        }
        let activated = try tail.reversed().map { entry in
            Schedule.Input.Activated(
                version: entry.entry.version,
                validity: try entry.validity ?? version(entry.entry.version).agreement.validity)
        }
        var pending: Schedule.Input.Pending?
        if let latest = latestVersion, latest > (state.lastCounted?.entry.version ?? 0) {
            let report = try approval(latest)
            pending = Schedule.Input.Pending(version: latest, approved: report.isApproved, missing: report.missingSigners)
        }
        return Schedule.Input(activated: activated, latestVersion: latestVersion, hasDraft: hasDraft, pending: pending)
    }

    /// The agreement's row of `sla status` at `today`.
    public func status(today: LocalDate, hasDraft: Bool) throws -> AgreementStatus {
        Schedule.status(id: id, try scheduleInput(today: today, hasDraft: hasDraft), today: today)
    }
}

extension ApprovalReport {
    /// The signatories of every party that falls short who have not signed (any of them would
    /// do), each once, by principal.
    public var missingSigners: [Person] {
        var seen: Set<String> = []
        var people: [Person] = []
        for shortfall in shortfalls {
            for signatory in shortfall.unsigned where seen.insert(signatory.principal).inserted {
                people.append(Person(name: signatory.name, principal: signatory.principal))
            }
        }
        return people
    }
}

extension SLARepository {
    /// `sla status`: one row per agreement (or only `id`), in id order, from HEAD's ledger.
    public func status(_ id: String? = nil, today: LocalDate, in built: Ledger? = nil) throws -> [AgreementStatus] {
        let ledger = try built ?? self.ledger()
        if let id {
            let agreement = try self.agreement(id, in: ledger)
            return [try agreement.status(today: today, hasDraft: hasDraft(agreement))]
        }
        return try everyAgreement(in: ledger).map { try $0.agreement.status(today: today, hasDraft: $0.hasDraft) }
    }

    /// Every agreement of the checked history, every id a version tag names, and every draft
    /// in the work tree, in id order; the tags read in one pass.
    public func everyAgreement(in ledger: Ledger) throws -> [(agreement: AgreementLedger, hasDraft: Bool)] {
        let drafts = Set(try workTreeDrafts())
        let ids = Set(try ledger.agreementIDs()).union(drafts).sorted()
        defer { ledger.storeTagPeels() }
        return try ids.compactMap { id in
            // Each agreement judged once; a tag on a commit the history does not reach names
            // nothing here (History rule 5), and a draft alone has no history yet.
            let found = try ledger.agreement(id)
            guard found != nil || drafts.contains(id) else { return nil }
            let agreement = found ?? .draftOnly(id, in: ledger)
            return (agreement, hasDraft(agreement, inWorkTree: drafts.contains(id)))
        }
    }

    /// The ids with `agreements/ID/draft.yaml` in the work tree (tracked or not).
    func workTreeDrafts() throws -> [String] {
        guard readsWorkTree, let work = git.workDirectory else { return [] }
        let folder = URL(fileURLWithPath: work).appendingPathComponent("agreements")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter {
            AgreementDecoder.isValidID($0)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).appendingPathComponent("draft.yaml").path)
        }
    }

    /// An open draft of this agreement: committed, or in the work tree (when read).
    public func hasDraft(_ agreement: AgreementLedger) -> Bool {
        hasDraft(agreement, inWorkTree: hasDraftInWorkTree(agreement.id))
    }

    /// An open draft: committed, or in the work tree.
    private func hasDraft(_ agreement: AgreementLedger, inWorkTree: Bool) -> Bool {
        agreement.state.files.draft != nil || inWorkTree
    }

    /// Whether the work tree holds `agreements/ID/draft.yaml` (tracked or not); never reads it.
    func hasDraftInWorkTree(_ id: String) -> Bool {
        guard readsWorkTree, let work = git.workDirectory else { return false }
        return FileManager.default.fileExists(atPath: URL(fileURLWithPath: work).appendingPathComponent(AgreementPaths(id).draft).path)
    }
}
