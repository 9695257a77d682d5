/// The starting drafts `sla new` writes, built into the binary (Bundle.module is not used: the binary must run alone).
///
/// Each template is a complete agreement file in the schema of DESIGN.md ("The agreement file (YAML)"):
/// every section present, in order, the Danish SLA template's purpose texts and help questions as YAML
/// comments above the fields they help with, and `""` for every value the user must write (the
/// validator reports those as empty). Both end with a newline.
enum AgreementTemplates {
    /// Danish template. Placeholders: {{id}}, {{company}}, {{effective_from}}.
    /// `{{id}}` and `{{company}}` stand inside double quotes (escape `\` and `"` in the company name);
    /// `{{effective_from}}` is a bare `YYYY-MM-DD` date.
    static let danish: String = #"""
        # Udkast til en Service Level Agreement (SLA) mellem Marketing og Salg.
        #
        # Linjer, der begynder med #, er vejledning ligesom den blå tekst i skabelonen:
        # de forklarer formålet med hvert afsnit og stiller hjælpespørgsmål, og I kan
        # slette dem, når aftalen er skrevet. Alle felter med "" skal udfyldes;
        # `sla check` melder dem, der stadig er tomme.
        #
        # Råd: Saml de vigtigste folk fra både salg og marketing til et møde og gå
        # punkterne igennem sammen. Alle parter skriver under, også dem der ikke var
        # med til at skrive aftalen. Gennemgå aftalen hvert kvartal eller halvår.
        schema: sla/1
        id: "{{id}}"
        title: Service Level Agreement mellem Marketing og Salg
        company: "{{company}}"
        language: da

        # Parter, underskrivere og ansvarlig
        # Hver part (afdeling) har en eller flere underskrivere. `required` er "all"
        # (alle underskrivere skal skrive under) eller et tal fra 1 til antallet.
        # `principal` er fx underskriverens e-mailadresse (kun A-Z a-z 0-9 . _ + @ -),
        # og `key` er den offentlige SSH-nøgle: linjen "ssh-ed25519 AAAA..." fra
        # ~/.ssh/id_ed25519.pub.
        parties:
          - id: marketing
            name: Marketing
            required: all
            signatories:
              - name: ""
                role: ""
                principal: ""
                key: ""
          - id: sales
            name: Salg
            required: all
            signatories:
              - name: ""
                role: ""
                principal: ""
                key: ""
        # Den SLA-ansvarlige, der holder aftalen opdateret.
        owner: { name: "", principal: "" }
        # Valgfrit: personer eller teams, der får besked om hver ændring, men ikke
        # skriver under, fx:
        #   - { name: Salgsteamet, principal: salg@example.com }
        informed: []

        # 1. Overblik over aftale
        # Beskriv kort, hvem aftalen er mellem, og hvad den skal opnå. Forslag:
        # "Aftalen er en Service Level Agreement mellem Marketing og Salg. Den skal
        # strømline virksomhedens salgs- og marketingaktiviteter og sikre, at de to
        # afdelinger arbejder i samme retning. Nye versioner skal godkendes af de
        # involverede parter."
        overview:
          purpose: ""

        # 2. Den ideelle kunde
        # Bliv enige om, hvilken slags virksomheder salg og marketing først og
        # fremmest går efter. Så kan marketing støtte salgsprocessen bedst muligt, og
        # salg holder fokus på de rigtige kunder.
        ideal_customer:
          # Vælg nogle kendetegn, og giv hvert en vigtighed fra 1 til 5 (1 er vigtigst).
          # Hjælpespørgsmål:
          # - Er nogle virksomhedsstørrelser mere eller mindre ideelle end andre?
          # - Måler I størrelse i antal ansatte, omsætning, kundernes størrelse eller andet?
          # - Er nogle brancher mere eller mindre ideelle?
          # - Er nogle geografiske områder mere eller mindre ideelle?
          # - Er der andre kendetegn, der afgør, om en virksomhed er en ideel kunde?
          # Hver kombination af kriterie og karakteristik må kun stå én gang.
          criteria:
            - { criterion: Virksomhedsstørrelse, characteristic: "Antal ansatte > 200", importance: 1 }
            - { criterion: Branche, characteristic: "", importance: 2 }
            - { criterion: Geografi, characteristic: "", importance: 3 }
          # Gå et skridt videre: hvem i de virksomheder skal I tale til? Hvem leder
          # efter jeres ydelser (en direktør, en projektleder eller en helt tredje),
          # og hvad søger vedkommende svar på? Både salg og marketing skal kende den
          # persona, der henvender sig til jer.
          # Højst 3 personas, prioriteret som primary (primær), secondary (sekundær)
          # og tertiary (tertiær). Beskrivelsen er valgfri.
          personas:
            - name: Dan direktør
              priority: primary
              # description: ""   (valgfri)

        # 3. Definitioner på leads
        # Indkreds, hvad en kontakt skal opfylde for at være et lead, og hvad et lead
        # skal opfylde for at være klar til at købe.
        lead_definitions:
          # Prioritér kontakterne efter to akser: engagement (sidevisninger, åbnede
          # e-mails, hentet gated indhold osv.) og hvor godt kontakten matcher den
          # ideelle virksomhedsprofil ovenfor.
          #                     lavt engagement   højt engagement
          #   godt match            2. eller 3.        1.
          #   dårligt match         4.                 2. eller 3.
          # 1. og 4. prioritet ligger fast; brug god tid på at vælge, hvem af de to
          # andre der er 2. og 3. prioritet.
          matrix:
            good_match_high_engagement: 1
            good_match_low_engagement: 2
            poor_match_high_engagement: 3
            poor_match_low_engagement: 4
          # Hvor går grænsen mellem højt og lavt engagement?
          engagement_threshold: ""
          # Hvordan håndterer I hvert felt? 4. prioritet holdes som regel uden for
          # leadflowet. 2. og 3. prioritet kan få deres egen liste og et særligt flow:
          # gode match med lavt engagement har måske brug for ekstra hjælp, og dårlige
          # match med højt engagement kan få en anden slags værdi end et salg (de kan
          # fx blive jeres næste medarbejder), så overse dem ikke helt.
          # - Hvordan prioriterer I gode match, der ikke er engagerede?
          # - Hvordan prioriterer I dårlige match, der er meget engagerede?
          flows:
            # good_match_low_engagement: ""   (valgfri)
            # poor_match_high_engagement: ""   (valgfri)
            poor_match_low_engagement: "Holdes uden for leadflowet."
          # Definér de tre modenhedstrin for jeres 1. prioritet. Eksempler:
          # - Lead: en navngiven kontakt, der har konverteret på gated indhold
          #   (premium content).
          # - MQL (Marketing Qualified Lead): passer på den ideelle virksomhedsprofil
          #   og har vist en adfærd, der gør et senere køb sandsynligt. Er det besøg
          #   på bestemte blogsider, antallet af sete sider eller begge dele?
          # - SQL (Sales Qualified Lead): viser en adfærd, der tyder på købsinteresse,
          #   fx besøg på siderne om jeres ydelser eller download af indhold fra
          #   bunden af salgstragten.
          lead: ""
          mql: ""
          sql: ""

        # 4. Målsætninger
        # Gør målene helt konkrete, så salg og marketing styrer mod det samme. Mål skal
        # være specifikke, målbare, realistiske, relevante og have en klar frist.
        # Hjælpespørgsmål:
        # - Hvad er jeres overordnede mål i tal?
        # - Hvornår skal I nå dem?
        # - Hvordan kommer I derhen?
        # - Hvad er jeres delmål, og hvad er fristen for hvert af dem?
        # metric er leads, mql, sql, sales (salg) eller revenue (omsætning). Et delmål
        # er endnu en række for samme metric med en tidligere deadline (ÅÅÅÅ-MM-DD).
        # note er valgfri. For samme deadline bør leads >= mql >= sql >= sales.
        goals:
          - { metric: leads, target: 0, deadline: {{effective_from}} }
          - { metric: mql, target: 0, deadline: {{effective_from}} }
          - { metric: sql, target: 0, deadline: {{effective_from}} }
          - { metric: sales, target: 0, deadline: {{effective_from}} }
          - { metric: revenue, target: 0, unit: DKK, deadline: {{effective_from}} }

        # 5. Behandling af leads
        # Beskriv, hvordan I arbejder med de leads, der er defineret ovenfor, for at nå
        # målene, og hvad marketing og salg hver især har ansvaret for.
        lead_handling:
          # Hjælpespørgsmål til marketing:
          # - Hvor mange SQL skal marketing levere til salg hver måned?
          # - Hvor stor en omsætning skal marketing bidrage til?
          # - Hvilken kvalitet skal de overleverede leads have?
          # - Hvordan bliver leads overleveret til salg?
          marketing:
            sql_per_month: 0
            revenue_contribution: 0
            revenue_unit: DKK
            quality: ""
            handover: ""
          # Hjælpespørgsmål til salg:
          # - Må salg kontakte leads, der ikke er SQL? Hvis ja, hvordan?
          # - Hvor mange timer må der gå, fra et lead bliver SQL, til en sælger tager
          #   kontakt?
          # - Hvor mange gange skal en sælger følge op, før et lead opgives?
          # - Hvad sker der med kontaktede leads, der ikke er klar til at købe endnu?
          sales:
            contact_non_sql: ""
            response_time_hours: 24
            follow_up_attempts: 6
            not_ready: ""

        # 6. Analyse og optimering af performance
        # Vælg 5-7 KPI'er, der viser, hvordan inbound-indsatsen skrider frem og
        # virker, og hold jer til dem: måler I på for meget, mister I overblikket.
        # Tag udgangspunkt i målsætningerne. Både salg og marketing skal kunne se,
        # hvordan det går, så aftal også, hvordan I rapporterer, og hvordan I
        # beslutter, hvad der skal forbedres.
        # Hjælpespørgsmål:
        # - Hvilke KPI'er vil I måle på?
        # - Hvor ofte skal der rapporteres?
        # - Hvem skal være med, når der rapporteres?
        # - Hvordan afgør I, hvad der skal optimeres?
        # KPI-navne skal være forskellige. target er valgfrit: slet linjen, hvis en
        # KPI ikke har et mål.
        kpis:
          items:
            - name: Leads genereret
              definition: ""
              # target: ""   (valgfrit, fx "25 %")
            - name: Lead→MQL-konvertering
              definition: ""
              # target: ""   (valgfrit, fx "25 %")
            - name: MQL→SQL-konvertering
              definition: ""
              # target: ""   (valgfrit, fx "25 %")
            - name: SQL→kunde-konvertering
              definition: ""
              # target: ""   (valgfrit, fx "25 %")
            - name: Omsætning fra nye kunder
              definition: ""
              # target: ""   (valgfrit, fx "25 %")
          reporting:
            # weekly, biweekly, monthly eller quarterly
            frequency: monthly
            # Hvem deltager, når der rapporteres? Én linje pr. deltager.
            attendees:
              - ""
            optimisation: ""

        # 7. Gyldighed
        # Aftalen gælder fra effective_from, og alle punkter gælder, indtil den
        # fornyes. Den fornyes ved et møde mellem parterne renewals_per_year gange om
        # året (2 = halvårligt; 1, 2, 3, 4, 6 eller 12). reviewer er den, der
        # jævnligt gennemgår aftalen. Aftalen kan ændres efter behov, når de primære
        # interessenter er enige, og ændringen meddeles alle berørte parter.
        # remind_days_before: hvor mange dage før fornyelsen der sendes påmindelser.
        validity:
          effective_from: {{effective_from}}
          renewals_per_year: 2
          reviewer: ""
          remind_days_before: [30, 7, 1]

        """#

    /// English template, a translation of the Danish one with the same structure.
    /// Placeholders: {{id}}, {{company}}, {{effective_from}}, as in `danish`.
    static let english: String = #"""
        # Draft of a Service Level Agreement (SLA) between Marketing and Sales.
        #
        # Lines starting with # are guidance, like the blue text of the template:
        # they explain the purpose of each section and ask help questions, and you
        # can delete them once the agreement is written. Every field holding "" must
        # be filled in; `sla check` reports the ones still empty.
        #
        # Tip: gather the key people from both sales and marketing in one meeting and
        # go through the points together. Every party signs, including those who did
        # not take part in writing the agreement. Review it every quarter or half-year.
        schema: sla/1
        id: "{{id}}"
        title: Service Level Agreement between Marketing and Sales
        company: "{{company}}"
        language: en

        # Parties, signatories and owner
        # Each party (department) has one or more signatories. `required` is "all"
        # (every signatory must sign) or a number from 1 to the number of signatories.
        # `principal` is e.g. the signatory's e-mail address (only A-Z a-z 0-9 . _ + @ -),
        # and `key` is the public SSH key: the line "ssh-ed25519 AAAA..." from
        # ~/.ssh/id_ed25519.pub.
        parties:
          - id: marketing
            name: Marketing
            required: all
            signatories:
              - name: ""
                role: ""
                principal: ""
                key: ""
          - id: sales
            name: Sales
            required: all
            signatories:
              - name: ""
                role: ""
                principal: ""
                key: ""
        # The SLA owner, who keeps the agreement up to date.
        owner: { name: "", principal: "" }
        # Optional: people or teams told of every change who do not sign, e.g.:
        #   - { name: Sales team, principal: sales@example.com }
        informed: []

        # 1. Overview of the agreement
        # Say briefly who the agreement is between and what it is meant to achieve.
        # Suggestion: "This agreement is a Service Level Agreement between Marketing
        # and Sales. It is meant to streamline the company's sales and marketing
        # activities and to make sure the two departments pull in the same direction.
        # New versions must be approved by the parties involved."
        overview:
          purpose: ""

        # 2. The ideal customer
        # Agree on which kinds of companies sales and marketing go after first and
        # foremost. Marketing can then support the sales process as well as possible,
        # and sales keeps its focus on the right customers.
        ideal_customer:
          # Pick a few characteristics and give each an importance from 1 to 5 (1 is
          # the most important).
          # Help questions:
          # - Are some company sizes more or less ideal than others?
          # - Do you measure size by employees, revenue, the size of their customers or something else?
          # - Are some industries more or less ideal?
          # - Are some geographical areas more or less ideal?
          # - Are there other characteristics that decide whether a company is an ideal customer?
          # Each combination of criterion and characteristic may appear only once.
          criteria:
            - { criterion: Company size, characteristic: "Employees > 200", importance: 1 }
            - { criterion: Industry, characteristic: "", importance: 2 }
            - { criterion: Geography, characteristic: "", importance: 3 }
          # Go one step further: whom in those companies do you talk to? Who looks
          # for your services (a CEO, a project manager or someone else entirely),
          # and what answers is that person looking for? Both sales and marketing
          # must know the persona who contacts you.
          # At most 3 personas, ranked primary, secondary and tertiary. The
          # description is optional.
          personas:
            - name: Dan the director
              priority: primary
              # description: ""   (optional)

        # 3. Lead definitions
        # Pin down what a contact must meet to be a lead, and what a lead must meet
        # to be ready to buy.
        lead_definitions:
          # Rank contacts along two axes: engagement (pages viewed, e-mails opened,
          # gated content downloaded and so on) and how well the contact matches the
          # ideal company profile above.
          #                     low engagement    high engagement
          #   good match            2nd or 3rd         1st
          #   poor match            4th                2nd or 3rd
          # The 1st and 4th priorities are fixed; take your time choosing which of
          # the other two is 2nd and which is 3rd.
          matrix:
            good_match_high_engagement: 1
            good_match_low_engagement: 2
            poor_match_high_engagement: 3
            poor_match_low_engagement: 4
          # Where is the line between high and low engagement?
          engagement_threshold: ""
          # How do you handle each quadrant? The 4th priority is usually left out of
          # the lead flow. The 2nd and 3rd priorities can get a list and a flow of
          # their own: good matches with low engagement may need extra help, and poor
          # matches with high engagement may be offered value other than a sale
          # (they might become your next employee), so do not ignore them entirely.
          # - How do you rank good matches who are not engaged?
          # - How do you rank poor matches who are highly engaged?
          flows:
            # good_match_low_engagement: ""   (optional)
            # poor_match_high_engagement: ""   (optional)
            poor_match_low_engagement: "Left out of the lead flow."
          # Define the three stages of maturity for your 1st priority. Examples:
          # - Lead: a named contact who has converted on gated (premium) content.
          # - MQL (Marketing Qualified Lead): fits the ideal company profile and has
          #   shown behaviour that makes a later purchase likely. Is it visits to
          #   certain blog pages, the number of pages viewed, or both?
          # - SQL (Sales Qualified Lead): shows behaviour that points to an interest
          #   in buying, e.g. visits to the pages about your services or downloads of
          #   content from the bottom of the sales funnel.
          lead: ""
          mql: ""
          sql: ""

        # 4. Goals
        # Make the goals concrete, so sales and marketing steer towards the same
        # thing. Goals must be specific, measurable, realistic, relevant and have a
        # clear deadline.
        # Help questions:
        # - What are your overall goals in numbers?
        # - When must you reach them?
        # - How will you get there?
        # - What are your sub-goals, and what is the deadline for each?
        # metric is leads, mql, sql, sales or revenue. A sub-goal is one more row of
        # the same metric with an earlier deadline (YYYY-MM-DD). note is optional.
        # For one deadline, leads >= mql >= sql >= sales should hold.
        goals:
          - { metric: leads, target: 0, deadline: {{effective_from}} }
          - { metric: mql, target: 0, deadline: {{effective_from}} }
          - { metric: sql, target: 0, deadline: {{effective_from}} }
          - { metric: sales, target: 0, deadline: {{effective_from}} }
          - { metric: revenue, target: 0, unit: DKK, deadline: {{effective_from}} }

        # 5. Lead handling
        # Describe how you work the leads defined above to reach the goals, and what
        # marketing and sales are each responsible for.
        lead_handling:
          # Help questions for marketing:
          # - How many SQLs must marketing deliver to sales each month?
          # - How much revenue must marketing contribute to?
          # - What quality must handed-over leads have?
          # - How are leads handed over to sales?
          marketing:
            sql_per_month: 0
            revenue_contribution: 0
            revenue_unit: DKK
            quality: ""
            handover: ""
          # Help questions for sales:
          # - May sales contact leads that are not SQLs? If so, how?
          # - How many hours may pass from a lead becoming an SQL until a salesperson
          #   gets in touch?
          # - How many times must a salesperson follow up before a lead is dropped?
          # - What happens to contacted leads that turn out not to be ready to buy yet?
          sales:
            contact_non_sql: ""
            response_time_hours: 24
            follow_up_attempts: 6
            not_ready: ""

        # 6. Performance analysis and optimisation
        # Pick 5-7 KPIs that show how the inbound effort progresses and performs, and
        # stick to them: measure too much and you lose the overview. Start from the
        # goals. Both sales and marketing must be able to see how things are going,
        # so also agree on how you report and how you decide what to improve.
        # Help questions:
        # - Which KPIs will you measure?
        # - How often will you report?
        # - Who must attend the reporting?
        # - How do you decide what to optimise?
        # KPI names must differ. target is optional: delete the line if a KPI has no
        # target.
        kpis:
          items:
            - name: Leads generated
              definition: ""
              # target: ""   (optional, e.g. "25 %")
            - name: Lead→MQL conversion
              definition: ""
              # target: ""   (optional, e.g. "25 %")
            - name: MQL→SQL conversion
              definition: ""
              # target: ""   (optional, e.g. "25 %")
            - name: SQL→customer conversion
              definition: ""
              # target: ""   (optional, e.g. "25 %")
            - name: Revenue from new customers
              definition: ""
              # target: ""   (optional, e.g. "25 %")
          reporting:
            # weekly, biweekly, monthly or quarterly
            frequency: monthly
            # Who attends the reporting? One line per attendee.
            attendees:
              - ""
            optimisation: ""

        # 7. Validity
        # The agreement applies from effective_from, and all of its points apply
        # until it is renewed. It is renewed at a meeting of the parties
        # renewals_per_year times a year (2 = half-yearly; 1, 2, 3, 4, 6 or 12).
        # reviewer is the person who reviews the agreement regularly. The agreement
        # may be changed as needed when the primary stakeholders agree, and every
        # change is communicated to all affected parties.
        # remind_days_before: how many days before the renewal reminders are sent.
        validity:
          effective_from: {{effective_from}}
          renewals_per_year: 2
          reviewer: ""
          remind_days_before: [30, 7, 1]

        """#
}
