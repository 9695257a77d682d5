// The document's two templates (Mustache), built into the binary: a resource bundle would not
// be found beside an installed `sla`. Every `{{value}}` is escaped for its format (HTML, or
// the MARKDOWN content type `DocumentRenderer` registers); the templates hold no words, only
// layout — the words come from `AgreementDocument`.

enum DocumentTemplates {
    static let markdown = #"""
        {{% CONTENT_TYPE: MARKDOWN}}
        # {{title}}

        {{labels.company}}: {{company}}  
        {{labels.version}}: {{versionValue}}{{#sha256}}  
        {{labels.sha256}}: `{{.}}`{{/sha256}}

        {{#sections}}
        ## {{t1}}

        {{overview.purpose}}

        {{overview.approvalRule}}

        | {{labels.party}} | {{labels.signatories}} | {{labels.required}} |
        |---|---|---|
        {{#overview.parties}}
        | {{name}} | {{signatories}} | {{required}} |
        {{/overview.parties}}

        {{labels.owner}}: {{overview.owner}}{{#overview.informed}}  
        {{labels.informed}}: {{.}}{{/overview.informed}}

        ## {{t2}}

        | {{labels.criterion}} | {{labels.characteristic}} | {{labels.importance}} |
        |---|---|---:|
        {{#idealCustomer.criteria}}
        | {{criterion}} | {{characteristic}} | {{importance}} |
        {{/idealCustomer.criteria}}

        | {{labels.persona}} | {{labels.priority}} | {{labels.description}} |
        |---|---|---|
        {{#idealCustomer.personas}}
        | {{name}} | {{priority}} | {{description}} |
        {{/idealCustomer.personas}}

        ## {{t3}}

        | {{labels.matchEngagement}} | {{labels.lowEngagement}} | {{labels.highEngagement}} |
        |---|---|---|
        | **{{labels.goodMatch}}** | {{leadDefinitions.goodLow}} | {{leadDefinitions.goodHigh}} |
        | **{{labels.poorMatch}}** | {{leadDefinitions.poorLow}} | {{leadDefinitions.poorHigh}} |

        **{{labels.engagementThreshold}}:** {{leadDefinitions.engagementThreshold}}
        {{#leadDefinitions.hasFlows}}

        **{{labels.handling}}**

        {{/leadDefinitions.hasFlows}}
        {{#leadDefinitions.flows}}
        - **{{label}}:** {{text}}
        {{/leadDefinitions.flows}}

        - **{{labels.lead}}:** {{leadDefinitions.lead}}
        - **{{labels.mql}}:** {{leadDefinitions.mql}}
        - **{{labels.sql}}:** {{leadDefinitions.sql}}

        ## {{t4}}

        | {{labels.metric}} | {{labels.target}} | {{labels.deadline}} | {{labels.note}} |
        |---|---:|---|---|
        {{#goals}}
        | {{metric}} | {{target}} | {{deadline}} | {{note}} |
        {{/goals}}

        ## {{t5}}

        ### {{labels.marketing}}

        {{#leadHandling.marketingCommitments}}
        - {{.}}
        {{/leadHandling.marketingCommitments}}
        {{#leadHandling.marketingTexts}}
        - **{{label}}:** {{text}}
        {{/leadHandling.marketingTexts}}

        ### {{labels.sales}}

        {{#leadHandling.salesCommitments}}
        - {{.}}
        {{/leadHandling.salesCommitments}}
        {{#leadHandling.salesTexts}}
        - **{{label}}:** {{text}}
        {{/leadHandling.salesTexts}}

        ## {{t6}}

        | {{labels.kpiName}} | {{labels.definition}} | {{labels.kpiTarget}} |
        |---|---|---|
        {{#kpis.items}}
        | {{name}} | {{definition}} | {{target}} |
        {{/kpis.items}}

        **{{labels.reporting}}:** {{kpis.reportingSentence}}  
        **{{labels.attendees}}:** {{kpis.attendees}}  
        **{{labels.optimisation}}:** {{kpis.optimisation}}

        ## {{t7}}

        {{validity.sentence}}

        | | |
        |---|---|
        | {{labels.validFrom}} | {{validity.validFrom}} |
        | {{labels.renewal}} | {{validity.renewal}} |
        | {{labels.owner}} | {{validity.owner}} |
        | {{labels.reviewer}} | {{validity.reviewer}} |
        | {{labels.lastRenewal}} | {{validity.lastRenewal}} |
        | {{labels.nextRenewal}} | {{validity.nextRenewal}} |
        | {{labels.reminders}} | {{validity.reminders}} |
        {{/sections}}

        ## {{labels.signaturesTitle}}

        {{#signatures}}
        {{#signable}}
        | {{labels.name}} | {{labels.role}} | {{labels.party}} | {{labels.signedAt}} | {{labels.fingerprint}} | {{labels.verified}} |
        |---|---|---|---|---|---|
        {{#rows}}
        | {{name}} | {{role}} | {{party}} | {{signedAt}} | `{{fingerprint}}` | {{verdict}} |
        {{/rows}}

        {{/signable}}
        {{summary}}
        {{/signatures}}

        """#

    static let html = #"""
        <!DOCTYPE html>
        <html lang="{{language}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} — {{versionLabel}}</title>
        <style>
        {{> documentStyle}}
        </style>
        </head>
        <body>
        <div class="sla-document">
        {{> documentBody}}
        </div>
        </body>
        </html>

        """#

    /// The document's style sheet: A4 pages, tables that do not break across pages.
    static let style = """
        @page { size: A4; margin: 18mm 16mm 20mm 16mm; }
        .sla-document { --ink: #1d2330; --muted: #5b6472; --line: #d5d9e0; --accent: #1f5fa8; --ok: #1c7c3c; --bad: #b3261e; }
        .sla-document, .sla-document * { box-sizing: border-box; }
        .sla-document { font: 10.5pt/1.45 "Helvetica Neue", Arial, sans-serif; color: var(--ink); max-width: 180mm; margin: 2em auto; padding: 0 1em; }
        .sla-document h1 { font-size: 20pt; margin: 0 0 .3em; color: var(--accent); }
        .sla-document h2 { font-size: 13.5pt; margin: 1.6em 0 .5em; padding-bottom: .2em; border-bottom: 1.5pt solid var(--accent); break-after: avoid; }
        .sla-document h3 { font-size: 11pt; margin: 1em 0 .3em; break-after: avoid; }
        .sla-document p, .sla-document li { margin: .35em 0; }
        .sla-document dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15em 1em; margin: 0 0 1em; color: var(--muted); }
        .sla-document dl.meta dt { font-weight: 600; } .sla-document dl.meta dd { margin: 0; }
        .sla-document table { width: 100%; border-collapse: collapse; margin: .6em 0 1em; break-inside: avoid; }
        .sla-document th, .sla-document td { border: .75pt solid var(--line); padding: .35em .5em; text-align: left; vertical-align: top; }
        .sla-document th { background: #eef2f7; font-weight: 600; }
        .sla-document td.num { text-align: right; }
        .sla-document table.matrix { width: auto; }
        .sla-document table.matrix td { width: 10em; height: 4em; text-align: center; vertical-align: middle; font-weight: 600; }
        .sla-document table.matrix td.p1 { background: #d7ecd9; } .sla-document table.matrix td.p4 { background: #f3dcdc; }
        .sla-document table.facts th { width: 14em; }
        .sla-document code, .sla-document .fpr { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: 8.5pt; word-break: break-all; }
        .sla-document .verified { color: var(--ok); font-weight: 600; } .sla-document .unverified { color: var(--bad); font-weight: 600; }
        .sla-document .summary { font-weight: 600; }
        @media print { .sla-document { margin: 0; max-width: none; } }

        """

    /// The document itself, without page: the web service shows it inside its own.
    static let body = #"""
        <header>
        <h1>{{title}}</h1>
        <dl class="meta">
        <dt>{{labels.company}}</dt><dd>{{company}}</dd>
        <dt>{{labels.version}}</dt><dd>{{versionValue}}</dd>
        {{#sha256}}<dt>{{labels.sha256}}</dt><dd><code>{{.}}</code></dd>{{/sha256}}
        </dl>
        </header>
        {{#sections}}
        <section id="s1">
        <h2>{{t1}}</h2>
        <p>{{overview.purpose}}</p>
        <p>{{overview.approvalRule}}</p>
        <table>
        <thead><tr><th>{{labels.party}}</th><th>{{labels.signatories}}</th><th>{{labels.required}}</th></tr></thead>
        <tbody>
        {{#overview.parties}}
        <tr><td>{{name}}</td><td>{{signatories}}</td><td>{{required}}</td></tr>
        {{/overview.parties}}
        </tbody>
        </table>
        <p><strong>{{labels.owner}}:</strong> {{overview.owner}}{{#overview.informed}}<br><strong>{{labels.informed}}:</strong> {{.}}{{/overview.informed}}</p>
        </section>
        <section id="s2">
        <h2>{{t2}}</h2>
        <table>
        <thead><tr><th>{{labels.criterion}}</th><th>{{labels.characteristic}}</th><th>{{labels.importance}}</th></tr></thead>
        <tbody>
        {{#idealCustomer.criteria}}
        <tr><td>{{criterion}}</td><td>{{characteristic}}</td><td class="num">{{importance}}</td></tr>
        {{/idealCustomer.criteria}}
        </tbody>
        </table>
        <table>
        <thead><tr><th>{{labels.persona}}</th><th>{{labels.priority}}</th><th>{{labels.description}}</th></tr></thead>
        <tbody>
        {{#idealCustomer.personas}}
        <tr><td>{{name}}</td><td>{{priority}}</td><td>{{description}}</td></tr>
        {{/idealCustomer.personas}}
        </tbody>
        </table>
        </section>
        <section id="s3">
        <h2>{{t3}}</h2>
        <table class="matrix">
        <thead><tr><th>{{labels.matchEngagement}}</th><th>{{labels.lowEngagement}}</th><th>{{labels.highEngagement}}</th></tr></thead>
        <tbody>
        <tr><th>{{labels.goodMatch}}</th><td>{{leadDefinitions.goodLow}}</td><td class="p1">{{leadDefinitions.goodHigh}}</td></tr>
        <tr><th>{{labels.poorMatch}}</th><td class="p4">{{leadDefinitions.poorLow}}</td><td>{{leadDefinitions.poorHigh}}</td></tr>
        </tbody>
        </table>
        <p><strong>{{labels.engagementThreshold}}:</strong> {{leadDefinitions.engagementThreshold}}</p>
        {{#leadDefinitions.hasFlows}}<h3>{{labels.handling}}</h3>{{/leadDefinitions.hasFlows}}
        <ul>
        {{#leadDefinitions.flows}}
        <li><strong>{{label}}:</strong> {{text}}</li>
        {{/leadDefinitions.flows}}
        </ul>
        <dl>
        <dt><strong>{{labels.lead}}</strong></dt><dd>{{leadDefinitions.lead}}</dd>
        <dt><strong>{{labels.mql}}</strong></dt><dd>{{leadDefinitions.mql}}</dd>
        <dt><strong>{{labels.sql}}</strong></dt><dd>{{leadDefinitions.sql}}</dd>
        </dl>
        </section>
        <section id="s4">
        <h2>{{t4}}</h2>
        <table>
        <thead><tr><th>{{labels.metric}}</th><th>{{labels.target}}</th><th>{{labels.deadline}}</th><th>{{labels.note}}</th></tr></thead>
        <tbody>
        {{#goals}}
        <tr><td>{{metric}}</td><td class="num">{{target}}</td><td>{{deadline}}</td><td>{{note}}</td></tr>
        {{/goals}}
        </tbody>
        </table>
        </section>
        <section id="s5">
        <h2>{{t5}}</h2>
        <h3>{{labels.marketing}}</h3>
        <ul>
        {{#leadHandling.marketingCommitments}}
        <li>{{.}}</li>
        {{/leadHandling.marketingCommitments}}
        {{#leadHandling.marketingTexts}}
        <li><strong>{{label}}:</strong> {{text}}</li>
        {{/leadHandling.marketingTexts}}
        </ul>
        <h3>{{labels.sales}}</h3>
        <ul>
        {{#leadHandling.salesCommitments}}
        <li>{{.}}</li>
        {{/leadHandling.salesCommitments}}
        {{#leadHandling.salesTexts}}
        <li><strong>{{label}}:</strong> {{text}}</li>
        {{/leadHandling.salesTexts}}
        </ul>
        </section>
        <section id="s6">
        <h2>{{t6}}</h2>
        <table>
        <thead><tr><th>{{labels.kpiName}}</th><th>{{labels.definition}}</th><th>{{labels.kpiTarget}}</th></tr></thead>
        <tbody>
        {{#kpis.items}}
        <tr><td>{{name}}</td><td>{{definition}}</td><td>{{target}}</td></tr>
        {{/kpis.items}}
        </tbody>
        </table>
        <p><strong>{{labels.reporting}}:</strong> {{kpis.reportingSentence}}<br>
        <strong>{{labels.attendees}}:</strong> {{kpis.attendees}}<br>
        <strong>{{labels.optimisation}}:</strong> {{kpis.optimisation}}</p>
        </section>
        <section id="s7">
        <h2>{{t7}}</h2>
        <p>{{validity.sentence}}</p>
        <table class="facts">
        <tbody>
        <tr><th>{{labels.validFrom}}</th><td>{{validity.validFrom}}</td></tr>
        <tr><th>{{labels.renewal}}</th><td>{{validity.renewal}}</td></tr>
        <tr><th>{{labels.owner}}</th><td>{{validity.owner}}</td></tr>
        <tr><th>{{labels.reviewer}}</th><td>{{validity.reviewer}}</td></tr>
        <tr><th>{{labels.lastRenewal}}</th><td>{{validity.lastRenewal}}</td></tr>
        <tr><th>{{labels.nextRenewal}}</th><td>{{validity.nextRenewal}}</td></tr>
        <tr><th>{{labels.reminders}}</th><td>{{validity.reminders}}</td></tr>
        </tbody>
        </table>
        </section>
        {{/sections}}
        <section id="signatures">
        <h2>{{labels.signaturesTitle}}</h2>
        {{#signatures}}
        {{#signable}}
        <table>
        <thead><tr><th>{{labels.name}}</th><th>{{labels.role}}</th><th>{{labels.party}}</th><th>{{labels.signedAt}}</th><th>{{labels.fingerprint}}</th><th>{{labels.verified}}</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr><td>{{name}}</td><td>{{role}}</td><td>{{party}}</td><td>{{signedAt}}</td><td class="fpr">{{fingerprint}}</td><td class="{{#verified}}verified{{/verified}}{{^verified}}unverified{{/verified}}">{{verdict}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        {{/signable}}
        <p class="summary">{{summary}}</p>
        {{/signatures}}
        </section>

        """#
}
