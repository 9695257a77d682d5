import Mustache

/// The service's pages (Mustache, HTML-escaped values), built into the binary. A page's
/// content is rendered first and placed in the layout unescaped; so are the timeline's SVG
/// and the agreement's document, which their own templates escaped.
enum PageTemplates {
    private static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        do {
            for (name, text) in [
                ("layout", layoutText), ("dashboard", dashboardText), ("agreement", agreementText), ("diff", diffText),
                ("timeline", timelineText),
            ] {
                try library.register(text, named: name)
            }
        } catch {
            fatalError("sla's own page template does not parse: \(error)")
        }
        return library
    }()

    static func render(_ name: String, _ object: Any) -> String {
        library.render(object, withTemplate: name) ?? ""
    }

    static func layout(title: String, content: String) -> String {
        struct Layout {
            let title: String
            let content: String
        }
        return render("layout", Layout(title: title, content: content))
    }

    static let layoutText = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · sla</title>
        <style>
        body { font: 15px/1.5 system-ui, "Helvetica Neue", Arial, sans-serif; color: #1d2330; margin: 0; background: #f6f7f9; }
        header.site { background: #1f3a5f; color: #fff; padding: .7em 1.5em; display: flex; gap: 1.5em; align-items: baseline; }
        header.site a { color: #fff; text-decoration: none; } header.site strong { font-size: 1.15em; }
        main { max-width: 1100px; margin: 1.5em auto; padding: 0 1.5em; }
        .card { background: #fff; border: 1px solid #d5d9e0; border-radius: 6px; padding: 1em 1.3em; margin-bottom: 1.2em; }
        table.list { width: 100%; border-collapse: collapse; font-size: .93em; }
        table.list th, table.list td { text-align: left; padding: .4em .55em; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
        table.list th { background: #eef2f7; }
        .card { overflow-x: auto; }
        .state { display: inline-block; padding: .05em .55em; border-radius: 1em; font-size: .85em; font-weight: 600; background: #e3e6eb; }
        .state-active { background: #d7ecd9; color: #1c5c30; } .state-scheduled { background: #dde8f6; color: #1f4f8a; }
        .state-renewal-due { background: #fff0c7; color: #7a5600; } .state-overdue, .state-faulted { background: #f6d6d4; color: #8c1d18; }
        .state-awaiting-signatures { background: #ffe3c4; color: #8a4b00; }
        .fault { border-left: 5px solid #b3261e; background: #fbeeee; }
        .bad { color: #b3261e; } .good { color: #1c7c3c; }
        code, .mono { font-family: "DejaVu Sans Mono", Menlo, monospace; font-size: .88em; }
        pre.diff { white-space: pre-wrap; background: #fff; border: 1px solid #d5d9e0; padding: 1em; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1.2em; margin: 0; }
        dl.facts dt { font-weight: 600; } dl.facts dd { margin: 0; }
        footer.site { color: #5b6472; font-size: .85em; text-align: center; margin: 2em 0; }
        </style>
        </head>
        <body>
        <header class="site"><strong><a href="/">Service Level Agreements</a></strong>
        <a href="/api/agreements">JSON</a> <a href="/calendar.ics">Calendar</a></header>
        <main>
        {{{content}}}
        </main>
        <footer class="site">Read-only. Signing and activating happen on the command line: sla sign, sla activate.</footer>
        </body>
        </html>

        """#

    static let dashboardText = #"""
        <h1>Agreements</h1>
        <p>As of {{today}}, commit <code>{{commit}}</code>.</p>
        <div class="card">
        {{#hasRows}}
        <table class="list" id="agreements">
        <thead><tr><th>Agreement</th><th>State</th><th>In force</th><th>Valid from</th><th>Renewal due</th><th>Days left</th><th>Pending</th><th>Missing signers</th></tr></thead>
        <tbody>
        {{#rows}}
        <tr data-id="{{id}}" data-state="{{state}}"><td><a href="/agreements/{{id}}">{{id}}</a><br><small>{{title}}</small></td>
        <td><span class="state state-{{state}}">{{state}}</span>{{#fault}}<br><small class="bad">{{.}}</small>{{/fault}}</td>
        <td>{{inForce}}</td><td>{{effectiveFrom}}</td><td>{{renewalDue}}</td><td>{{daysLeft}}</td><td>{{pending}}</td><td class="missing">{{missing}}</td></tr>
        {{/rows}}
        </tbody>
        </table>
        {{/hasRows}}
        {{^hasRows}}<p>There are no agreements in this repository yet. Start one with <code>sla new ID</code>.</p>{{/hasRows}}
        </div>

        """#

    static let agreementText = #"""
        <h1>{{title}}</h1>
        <p><code>{{id}}</code> · <a href="/api/agreements/{{id}}">JSON</a> · <a href="/agreements/{{id}}/diff">What changed</a></p>
        {{#fault}}
        <div class="card fault" id="fault"><strong>Faulted: nothing of this agreement is in force.</strong><br>{{.}}<br>
        Only restoring the history (resetting the branch to before that commit) cures it; <code>sla verify {{id}}</code> lists every fault.</div>
        {{/fault}}
        {{#row}}
        <div class="card">
        <dl class="facts" id="status">
        <dt>State</dt><dd><span class="state state-{{state}}">{{state}}</span></dd>
        <dt>In force</dt><dd>{{inForce}}</dd>
        <dt>Valid from</dt><dd>{{effectiveFrom}}</dd>
        <dt>Renewal due</dt><dd>{{renewalDue}} ({{daysLeft}} days left)</dd>
        <dt>Pending</dt><dd>{{pending}}</dd>
        <dt>Missing signers</dt><dd class="missing">{{missing}}</dd>
        </dl>
        </div>
        {{/row}}
        {{#timeline}}<div class="card"><h2>Timeline</h2>{{{.}}}</div>{{/timeline}}
        <div class="card"><h2>Versions</h2>
        <table class="list">
        <thead><tr><th>Version</th><th>SHA-256</th><th>Valid from</th><th>Approval</th><th></th></tr></thead>
        <tbody>
        {{#versions}}
        <tr><td>v{{number}}</td><td class="mono">{{sha256}}</td><td>{{effectiveFrom}}</td><td>{{approval}}</td>
        <td><a href="/agreements/{{id}}/versions/v{{number}}">document</a>{{#previous}} · <a href="/agreements/{{id}}/diff?from=v{{.}}&amp;to=v{{number}}">diff to v{{.}}</a>{{/previous}}</td></tr>
        {{/versions}}
        </tbody>
        </table>
        </div>
        <div class="card"><h2>Signatures</h2>
        <table class="list">
        <thead><tr><th>Version</th><th>Signer</th><th>Party</th><th>Signed at</th><th>Key</th><th>Verdict</th></tr></thead>
        <tbody>
        {{#signatures}}
        <tr><td>v{{version}}</td><td>{{principal}}</td><td>{{party}}</td><td>{{signedAt}}</td><td class="mono">{{fingerprint}}</td>
        <td class="{{#valid}}good{{/valid}}{{^valid}}bad{{/valid}}">{{verdict}}</td></tr>
        {{/signatures}}
        </tbody>
        </table>
        </div>
        <div class="card"><h2>Activations</h2>
        <table class="list">
        <thead><tr><th>Version</th><th>Activated</th><th>By</th><th>Commit</th><th>Verdict</th></tr></thead>
        <tbody>
        {{#activations}}
        <tr><td>v{{version}}</td><td>{{activatedAt}}</td><td>{{activatedBy}}</td><td class="mono">{{commit}}</td>
        <td class="{{#counts}}good{{/counts}}{{^counts}}bad{{/counts}}">{{verdict}}</td></tr>
        {{/activations}}
        </tbody>
        </table>
        </div>
        <div class="card document" id="in-force">
        {{#document}}
        <style>{{{documentStyle}}}</style>
        <h2>The version in force</h2>
        <div class="sla-document">{{{document}}}</div>
        {{/document}}
        {{^document}}<p>No version is in force on this date.</p>{{/document}}
        </div>
        <div class="card"><h2>Audit trail</h2>
        <table class="list">
        <thead><tr><th>Date</th><th>What</th><th>Version</th><th>Author</th><th>Commit</th><th>Message</th><th></th></tr></thead>
        <tbody>
        {{#events}}
        <tr><td>{{date}}</td><td>{{kind}}</td><td>{{version}}</td><td>{{author}}</td><td class="mono">{{commit}}</td><td>{{summary}}</td><td>{{note}}</td></tr>
        {{/events}}
        </tbody>
        </table>
        </div>

        """#

    static let diffText = #"""
        <h1>{{id}}: {{from}} → {{to}}</h1>
        <p><a href="/agreements/{{id}}">Back to the agreement</a> · <a href="/api/agreements/{{id}}/diff?from={{from}}&amp;to={{to}}">JSON</a></p>
        {{#empty}}<p>No changes.</p>{{/empty}}
        {{^empty}}<pre class="diff">{{text}}</pre>{{/empty}}

        """#

    static let timelineText = #"""
        <svg xmlns="http://www.w3.org/2000/svg" style="max-width:100%;height:auto" width="{{width}}" height="{{height}}" viewBox="0 0 {{width}} {{height}}" role="img" aria-label="Validity of each version, renewal dates and today" font-family="system-ui, sans-serif" font-size="11">
        <style>.in-force{fill:#3c8d5a}.scheduled{fill:#5b8fd6}.past{fill:#b8bec8}.renewal{stroke:#c58a00;stroke-dasharray:4 3}.today{stroke:#b3261e;stroke-width:2}</style>
        {{#bars}}
        <text x="8" y="{{y}}" dy="13">{{label}}</text>
        <rect class="{{kind}}" x="{{x}}" y="{{y}}" width="{{width}}" height="18" rx="3"><title>{{label}}: {{range}}</title></rect>
        {{/bars}}
        {{#renewals}}
        <line class="renewal" x1="{{x}}" x2="{{x}}" y1="{{y1}}" y2="{{y2}}"><title>renewal due {{label}}</title></line>
        {{/renewals}}
        {{#today}}
        <line class="today" x1="{{x}}" x2="{{x}}" y1="{{y1}}" y2="{{y2}}"/>
        <text x="{{x}}" y="11" text-anchor="middle" fill="#b3261e">today {{label}}</text>
        {{/today}}
        {{#ticks}}
        <text x="{{x}}" y="{{axisY}}" text-anchor="middle" fill="#5b6472">{{label}}</text>
        {{/ticks}}
        </svg>
        """#
}
