import Foundation

/// The subject and text of a reminder, in the agreement's language: what it is about, and
/// what to do next (which command, what to sign, by when).
struct ReminderText {
    let subject: String
    let text: String

    init(
        kind: Reminder.Kind, agreement a: Agreement, version n: Int, about date: LocalDate, today: LocalDate, facts: ReminderFacts,
        activation: ReminderFacts.Activation? = nil
    ) {
        let da = a.language == .da
        let name = "\(a.title) (\(a.id))"
        let draft = AgreementPaths(a.id).draft
        let signHow =
            da
            ? "Underskriv med den nøgle, aftalen angiver for dig: `sla sign \(a.id) v\(n) --key ~/.ssh/id_ed25519`, og del commit'et (`git push`)."
            : "Sign with the key the agreement lists for you: `sla sign \(a.id) v\(n) --key ~/.ssh/id_ed25519`, then share the commit (`git push`)."
        let renewHow =
            da
            ? """
            Hold et møde, gennemgå aftalen sammen, og bliv enige om den:
            - uden ændringer: `sla renew \(a.id)`, derefter `sla propose \(a.id)`;
            - med ændringer: `sla revise \(a.id)`, ret \(draft), derefter `sla propose \(a.id)`.
            Alle underskrivere skriver under (`sla sign \(a.id) --key …`), og den ansvarlige aktiverer (`sla activate \(a.id)`).
            """
            : """
            Meet, go through the agreement, and agree on it:
            - no changes: `sla renew \(a.id)`, then `sla propose \(a.id)`;
            - changes: `sla revise \(a.id)`, edit \(draft), then `sla propose \(a.id)`.
            Every signatory signs (`sla sign \(a.id) --key …`), and the owner activates it (`sla activate \(a.id)`).
            """
        switch kind {
        case .renewalUpcoming:
            let days = today.days(until: date)
            let when =
                da
                ? (days == 0 ? "i dag" : days == 1 ? "i morgen" : "om \(days) dage")
                : (days == 0 ? "today" : days == 1 ? "tomorrow" : "in \(days) days")
            subject = da ? "Fornyelse af \(a.title) senest \(date.iso)" : "Renewal of \(a.title) due \(date.iso)"
            text =
                (da
                    ? "\(name), version \(n), i kraft fra \(a.validity.effectiveFrom.iso), skal fornyes senest \(date.iso), \(when)."
                    : "\(name), version \(n), in force from \(a.validity.effectiveFrom.iso), is due for renewal on \(date.iso), \(when).")
                + "\n\n" + renewHow + "\n\n"
                + (da ? "Ansvarlig for fornyelsen: \(a.validity.reviewer)." : "Responsible for the renewal: \(a.validity.reviewer).")
        case .renewalOverdue:
            let days = date.days(until: today)
            subject =
                da ? "Fornyelsen af \(a.title) er forsinket (skulle ske \(date.iso))" : "Renewal of \(a.title) overdue since \(date.iso)"
            text =
                (da
                    ? "\(name), version \(n), skulle have været fornyet \(date.iso), for \(days) dag\(days == 1 ? "" : "e") siden. Aftalen gælder stadig, men den er ikke gennemgået som aftalt."
                    : "\(name), version \(n), was due for renewal on \(date.iso), \(days) day\(days == 1 ? "" : "s") ago. It is still in force, but it has not been reviewed as agreed.")
                + "\n\n" + renewHow + "\n\n"
                + (da ? "Ansvarlig for fornyelsen: \(a.validity.reviewer)." : "Responsible for the renewal: \(a.validity.reviewer).")
        case .signaturePending:
            let missing = facts.status.missing.map(\.name).joined(separator: ", ")
            let effective = a.validity.effectiveFrom
            let byWhen =
                effective > today
                ? (da
                    ? "Den skal træde i kraft \(effective.iso); underskriv inden da."
                    : "It is meant to take effect on \(effective.iso); sign before then.")
                : (da
                    ? "Den skulle være trådt i kraft \(effective.iso); underskriv snarest."
                    : "It was meant to take effect on \(effective.iso); sign as soon as you can.")
            subject = da ? "Din underskrift mangler: \(a.title) v\(n)" : "Your signature is needed: \(a.title) v\(n)"
            text =
                (da
                    ? "Version \(n) af \(name) blev foreslået \(date.iso) og mangler stadig underskrift fra: \(missing). \(byWhen)"
                    : "Version \(n) of \(name) was proposed on \(date.iso) and still needs the signature of: \(missing). \(byWhen)")
                + "\n\n"
                + (da ? "Se hvad der er ændret: `sla diff \(a.id)`." : "See what changed: `sla diff \(a.id)`.")
                + "\n" + signHow
        case .activated:
            let effective = a.validity.effectiveFrom
            let inForce =
                effective > today
                ? (da ? "Den træder i kraft \(effective.iso)." : "It takes effect on \(effective.iso).")
                : (da ? "Den er i kraft fra \(effective.iso)." : "It is in force from \(effective.iso).")
            var inForceNow = inForce
            if let next = activation?.replacedBy {
                inForceNow +=
                    next.from <= effective
                    ? (da
                        ? " Men v\(next.version) er også aktiveret og gælder fra \(next.from.iso), så denne version træder aldrig i kraft."
                        : " But v\(next.version) was activated too and applies from \(next.from.iso), so this version never comes into force.")
                    : (da
                        ? " v\(next.version) er også aktiveret og afløser den fra \(next.from.iso)."
                        : " v\(next.version) was activated too and replaces it from \(next.from.iso).")
            }
            let by = activation.map { da ? " af \($0.activatedBy)" : " by \($0.activatedBy)" } ?? ""
            var changed: String
            if let previous = activation?.previous, let changes = activation?.changes {
                changed = (da ? "Ændret i forhold til v\(previous): \(changes)." : "Changed since v\(previous): \(changes).")
                changed +=
                    "\n"
                    + (da
                        ? "Se ændringerne: `sla diff \(a.id) v\(previous) v\(n)`."
                        : "See the changes: `sla diff \(a.id) v\(previous) v\(n)`.")
            } else {
                changed =
                    da
                    ? "Det er den første version af aftalen, der aktiveres." : "It is the first version of the agreement to be activated."
            }
            let neverInForce = activation?.replacedBy.map { $0.from <= effective } ?? false
            subject =
                neverInForce
                ? (da
                    ? "\(a.title) v\(n) er aktiveret, men afløst før den træder i kraft"
                    : "\(a.title) v\(n) activated, but replaced before it takes effect")
                : da
                    ? "\(a.title) v\(n) er aktiveret, i kraft fra \(effective.iso)"
                    : "\(a.title) v\(n) activated, in force from \(effective.iso)"
            text =
                (da
                    ? "Version \(n) af \(name) blev aktiveret \(date.iso)\(by). \(inForceNow)"
                    : "Version \(n) of \(name) was activated on \(date.iso)\(by). \(inForceNow)")
                + "\n" + changed + "\n"
                + (da ? "Læs den: `sla show \(a.id) v\(n)`." : "Read it: `sla show \(a.id) v\(n)`.")
        }
    }
}
