import Foundation
import Mustache
import SLAKit

/// Every route's answer, from one snapshot. The JSON is the command line's, from the kit's
/// types; the pages are Mustache templates filled with view models built here.
extension Snapshot {
    func health() throws -> Page {
        try .json(["status": "ok", "commit": commit ?? "", "today": today.iso])
    }

    /// `GET /api/agreements`: exactly `sla status --format json`.
    func statusJSON() throws -> Page {
        try .json(try repository.status(today: today, in: try ledger))
    }

    /// `GET /api/agreements/ID`: the status object plus versions, signatures and activations.
    func detailJSON(_ id: String) throws -> Page {
        let agreement = try repository.agreement(id, in: try ledger)
        return try .json(try agreement.detail(today: today, hasDraft: repository.hasDraft(agreement)))
    }

    /// `GET /agreements/ID/report` and `/api/agreements/ID/report`: `sla report` over the exports
    /// named on the command line, up to today, as HTML or as `--format json`.
    func reportPage(_ id: String, _ report: (exports: ReportExports, mapping: ColumnMapping)?, html: Bool) throws -> Page {
        guard let report else {
            throw SLAError(
                "no CRM exports to report from: start sla serve with --contacts FILE [--deals FILE] [--mapping FILE]", kind: .notFound)
        }
        let result = try repository.report(id, exports: report.exports, from: nil, to: today, mapping: report.mapping, in: try ledger)
        return html ? .html(ReportHTML.html(result)) : Page(contentType: "application/json; charset=utf-8", body: try result.json())
    }

    /// `GET /api/agreements/ID/diff?from=&to=`: exactly `sla diff --format json`.
    func diffJSON(_ id: String, _ selectors: (from: VersionSelector?, to: VersionSelector?)) throws -> Page {
        let comparison = try repository.comparison(id, from: selectors.from, to: selectors.to, today: today, in: try ledger)
        let text = DiffRenderer.render(
            comparison.diff, agreement: id, from: comparison.fromName, to: comparison.toName, language: comparison.to.language,
            format: .json)
        return Page(contentType: "application/json; charset=utf-8", body: text)
    }

    /// `GET /calendar.ics`: `sla calendar`, for subscriptions. A faulted agreement has no events.
    func calendar() throws -> Page {
        let run = try repository.calendar(today: today, in: try ledger)
        return Page(contentType: "text/calendar; charset=utf-8", body: ICalendar.document(run.events, name: "SLA"))
    }

    /// `GET /agreements/ID/versions/VERSION`: the document, as `sla render` writes it.
    func document(_ id: String, _ selector: VersionSelector, format: DocumentFormat, language: Language?) throws -> Page {
        let document = try repository.document(id, selector, today: today, language: language, in: try ledger)
        let text = DocumentRenderer.render(document, as: format)
        return Page(contentType: format == .html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8", body: text)
    }

    // MARK: Pages

    func dashboard() throws -> Page {
        let rows = try repository.everyAgreement(in: try ledger).map { agreement, hasDraft in
            let status = try agreement.status(today: today, hasDraft: hasDraft)
            return StatusRow(status, title: title(agreement) ?? "")
        }
        let content = PageTemplates.render(
            "dashboard",
            Dashboard(rows: rows, hasRows: !rows.isEmpty, today: today.iso, commit: commit.map { String($0.prefix(12)) } ?? "–"))
        return .html(PageTemplates.layout(title: "Service Level Agreements", content: content))
    }

    func agreementPage(_ id: String) throws -> Page {
        let ledger = try self.ledger
        let agreement = try repository.agreement(id, in: ledger)
        let detail = try agreement.detail(today: today, hasDraft: repository.hasDraft(agreement))
        let status = detail.status
        let title = title(agreement) ?? id
        var timeline: String?
        var documentBody: String?
        if !agreement.isFaulted {
            let activated = try agreement.counted.map { entry in
                (number: entry.entry.version, validity: try entry.validity ?? agreement.version(entry.entry.version).agreement.validity)
            }
            timeline = Timeline(versions: activated, inForce: status.inForceVersion, today: today).map {
                PageTemplates.render("timeline", $0)
            }
            if let inForce = status.inForceVersion {
                documentBody = DocumentRenderer.htmlBody(try agreement.document(version: inForce, language: nil))
            }
        }
        let events = try repository.auditLog(id, in: ledger)
        let view = AgreementView(
            id: id, title: title, row: StatusRow(status, title: title), fault: status.fault, timeline: timeline,
            document: documentBody, documentStyle: DocumentRenderer.htmlStyle,
            versions: detail.versions.reversed().map { version in
                VersionRow(
                    number: version.version, sha256: version.sha256.map { String($0.prefix(12)) } ?? "–",
                    effectiveFrom: version.effectiveFrom ?? "–",
                    approval: version.approved.map { $0 ? "approved" : "not approved" } ?? "does not validate",
                    previous: version.version > 1 ? version.version - 1 : nil)
            },
            signatures: detail.signatures.map { signature in
                SignatureRow(
                    version: signature.version, principal: signature.principal ?? signature.path, party: signature.party ?? "–",
                    signedAt: signature.signedAt ?? "–", fingerprint: signature.fingerprint ?? "–",
                    verdict: signature.valid ? "valid" : "not valid: \(signature.problem ?? "")", valid: signature.valid)
            },
            activations: detail.activations.map { entry in
                ActivationRow(
                    version: entry.version, activatedAt: entry.activatedAt, activatedBy: entry.activatedBy,
                    commit: String(entry.commit.prefix(12)), verdict: entry.counts ? "counts" : "does not count: \(entry.problem ?? "")",
                    counts: entry.counts)
            },
            events: events.map { event in
                EventRow(
                    date: String(event.date.prefix(10)), kind: event.kind.rawValue, version: event.version.map { "v\($0)" } ?? "",
                    author: event.author, commit: String(event.commit.prefix(12)), summary: event.summary,
                    note: event.counts == false ? "does not count: \(event.problem ?? "")" : event.problem ?? event.changes ?? "")
            })
        let content = PageTemplates.render("agreement", view)
        return .html(PageTemplates.layout(title: "\(title) (\(id))", content: content))
    }

    /// The agreement's title as its latest version gives it (none when that does not validate).
    private func title(_ agreement: AgreementLedger) -> String? {
        agreement.latestVersion.flatMap { try? agreement.version($0).agreement.title }
    }

    func diffPage(_ id: String, _ selectors: (from: VersionSelector?, to: VersionSelector?)) throws -> Page {
        let comparison = try repository.comparison(id, from: selectors.from, to: selectors.to, today: today, in: try ledger)
        let text = DiffRenderer.render(
            comparison.diff, agreement: id, from: comparison.fromName, to: comparison.toName, language: comparison.to.language,
            format: .text)
        let view = DiffView(
            id: id, from: comparison.fromName, to: comparison.toName, text: text, count: comparison.diff.changes.count,
            empty: comparison.diff.isEmpty)
        return .html(
            PageTemplates.layout(title: "\(id): \(comparison.fromName) → \(comparison.toName)", content: PageTemplates.render("diff", view))
        )
    }
}

// MARK: View models (stored properties only: Mustache reads them by reflection)

struct StatusRow {
    let id, title, state, inForce, effectiveFrom, renewalDue, daysLeft, pending, missing: String
    let fault: String?

    init(_ status: AgreementStatus, title: String) {
        id = status.id
        self.title = title
        state = status.state.rawValue
        inForce = status.inForceVersion.map { "v\($0)" } ?? "–"
        effectiveFrom = status.effectiveFrom?.iso ?? "–"
        renewalDue = status.renewalDue?.iso ?? "–"
        daysLeft = status.daysLeft.map(String.init) ?? "–"
        let scheduled = status.scheduled.first.map { "v\($0.version) from \($0.effectiveFrom.iso)" }
        pending = status.pendingVersion.map { "v\($0)" } ?? scheduled ?? "–"
        missing = status.missing.map(\.name).joined(separator: ", ")
        fault = status.fault
    }
}

struct Dashboard {
    let rows: [StatusRow]
    let hasRows: Bool
    let today: String
    let commit: String
}

struct VersionRow {
    let number: Int
    let sha256, effectiveFrom, approval: String
    let previous: Int?
}

struct SignatureRow {
    let version: Int
    let principal, party, signedAt, fingerprint, verdict: String
    let valid: Bool
}

struct ActivationRow {
    let version: Int
    let activatedAt, activatedBy, commit, verdict: String
    let counts: Bool
}

struct EventRow {
    let date, kind, version, author, commit, summary, note: String
}

struct AgreementView {
    let id, title: String
    let row: StatusRow
    let fault: String?
    let timeline: String?
    let document: String?
    let documentStyle: String
    let versions: [VersionRow]
    let signatures: [SignatureRow]
    let activations: [ActivationRow]
    let events: [EventRow]
}

struct DiffView {
    let id, from, to, text: String
    let count: Int
    let empty: Bool
}
