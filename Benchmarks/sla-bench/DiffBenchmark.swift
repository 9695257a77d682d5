import Foundation
import SLAKit

/// `sla-bench diff [ITERATIONS]`: diffs two large agreements (500 criteria, 7 KPIs with 5 kB
/// definitions, a 20 kB purpose, long lead texts) that differ in a few dozen records and a
/// few words of every long text, and renders the diff in all three formats.
func runDiffBenchmark(_ arguments: [String]) {
    let iterations = arguments.first.flatMap(Int.init) ?? 50
    let (a, b) = DiffBenchmarkAgreements.pair()

    var diffTimes: [Duration] = []
    var renderTimes: [DiffFormat: [Duration]] = [:]
    var totalTimes: [Duration] = []
    let clock = ContinuousClock()
    var diff = AgreementDiff(from: a, to: b)  // warm-up
    var bytes = 0
    for _ in 0..<iterations {
        let start = clock.now
        diff = AgreementDiff(from: a, to: b)
        let diffed = clock.now
        diffTimes.append(diffed - start)
        var last = diffed
        for format in DiffFormat.allCases {
            let output = DiffRenderer.render(
                diff, agreement: a.id, from: "v1", to: "v2",
                language: .da, format: format, colour: false)
            bytes = max(bytes, output.utf8.count)
            let now = clock.now
            renderTimes[format, default: []].append(now - last)
            last = now
        }
        totalTimes.append(last - start)
    }

    func ms(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }
    func line(_ name: String, _ times: [Duration]) -> String {
        let values = times.map(ms).sorted()
        let median =
            values.count % 2 == 1
            ? values[values.count / 2]
            : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        let mean = values.reduce(0, +) / Double(values.count)
        let pad = name.padding(toLength: 22, withPad: " ", startingAt: 0)
        return pad + String(format: "median %8.2f ms   mean %8.2f ms   min %8.2f ms", median, mean, values.first ?? 0)
    }

    let texts = a.overview.purpose.utf8.count + a.kpis.items.reduce(0) { $0 + $1.definition.utf8.count }
    print(
        "diff benchmark: \(a.idealCustomer.criteria.count) → \(b.idealCustomer.criteria.count) criteria, "
            + "\(a.goals.count) goals, \(a.kpis.items.count) KPIs, \(texts / 1024) kB of long text; "
            + "\(diff.changes.count) changes; \(iterations) iterations")
    print(line("AgreementDiff", diffTimes))
    for format in DiffFormat.allCases {
        print(line("render \(format.rawValue)", renderTimes[format] ?? []))
    }
    print(line("diff + all formats", totalTimes))
    print("largest output: \(bytes / 1024) kB")
}

/// Two synthetic agreements, built as YAML and read by the real decoder.
enum DiffBenchmarkAgreements {
    static func pair() -> (Agreement, Agreement) {
        var random = BenchmarkRandom(seed: 42)
        let base = Content(random: &random)
        var changed = base
        changed.change(random: &random)
        return (decode(base.yaml(), "a"), decode(changed.yaml(), "b"))
    }

    static func decode(_ yaml: String, _ name: String) -> Agreement {
        let (agreement, diagnostics) = AgreementDecoder.decode(Data(yaml.utf8), file: "bench-\(name).yaml", expectedID: nil)
        guard let agreement else {
            fatalError(
                "synthetic agreement \(name) does not decode:\n"
                    + diagnostics.errors.prefix(10).map(\.description).joined(separator: "\n"))
        }
        return agreement
    }

    static let keys = [
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDmpkE2TFB6JK8ZUZdBTVTWAZm+AZBitZauL9HUan8bB",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICBa08c+Lm1snuQ6WjI/Dv9rXUeWzaoZohZYllHQZx4D",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZSFn6iC3Ka0NSwoaFMksNY56luYLlL0XShHk5xqEtw",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDu97nbx4y0Xr6ok0LzhcdofYZDlrfr0rvvn28b5x2UZ",
    ]

    static let words = [
        "aftale", "marketing", "salg", "kunde", "lead", "kontakt", "måned", "mål", "omsætning", "data",
        "rapport", "møde", "frist", "indhold", "kampagne", "sælger", "ansvarlig", "kvalitet", "opfølgning",
        "og", "eller", "med", "for", "til", "af", "på", "i", "der", "som", "skal", "kan", "efter", "inden",
    ]

    struct Content {
        var purpose: String
        var criteria: [(name: String, characteristic: String, importance: Int)]
        var kpis: [(name: String, definition: String)]
        var leadTexts: [String]
        var attendees: [String]
        var soren: String

        init(random: inout BenchmarkRandom) {
            purpose = Self.text(bytes: 20_000, &random)
            criteria = (0..<500).map { n in
                ("Kriterie \(n)", Self.text(bytes: 60, &random), Int.random(in: 1...5, using: &random))
            }
            kpis = (1...7).map { ("KPI \($0)", Self.text(bytes: 5_000, &random)) }
            leadTexts = (0..<10).map { _ in Self.text(bytes: 3_000, &random) }
            attendees = (0..<20).map { "Deltager \($0)" }
            soren = keys[1]
        }

        /// A few dozen record changes, a few words in every long text, and a new order.
        mutating func change(random: inout BenchmarkRandom) {
            purpose = Self.edit(purpose, words: 6, &random)
            for i in criteria.indices where i % 10 == 0 {
                criteria[i].importance = criteria[i].importance % 5 + 1
            }
            criteria.removeSubrange(100..<120)
            criteria += (500..<520).map { ("Kriterie \($0)", Self.text(bytes: 60, &random), 3) }
            criteria.shuffle(using: &random)
            kpis = kpis.map { ($0.name, Self.edit($0.definition, words: 3, &random)) }.reversed()
            leadTexts = leadTexts.map { Self.edit($0, words: 2, &random) }
            attendees.append("Deltager 20")
            attendees.removeFirst()
            soren = keys[2]
        }

        static func text(bytes: Int, _ random: inout BenchmarkRandom) -> String {
            var text = ""
            while text.utf8.count < bytes {
                text += (text.isEmpty ? "" : " ") + words.randomElement(using: &random)!
            }
            return text
        }

        static func edit(_ text: String, words count: Int, _ random: inout BenchmarkRandom) -> String {
            var tokens = text.split(separator: " ").map(String.init)
            for _ in 0..<count {
                tokens[Int.random(in: 0..<tokens.count, using: &random)] = "ændret"
            }
            return tokens.joined(separator: " ")
        }

        func yaml() -> String {
            var y = """
                schema: sla/1
                id: bench
                title: Benchmark
                company: Bench ApS
                language: da
                parties:
                  - id: marketing
                    name: Marketing
                    signatories:
                      - { name: Mette, role: Chef, principal: mette@bench.dk, key: \(keys[0]) }
                  - id: sales
                    name: Salg
                    signatories:
                      - { name: Søren, role: Direktør, principal: soren@bench.dk, key: \(soren) }
                      - { name: Karen, role: Chef, principal: karen@bench.dk, key: \(keys[3]) }
                owner: { name: Lars, principal: lars@bench.dk }
                overview:
                  purpose: "\(purpose)"
                ideal_customer:
                  criteria:

                """
            for c in criteria {
                y += "    - { criterion: \(c.name), characteristic: \"\(c.characteristic)\", importance: \(c.importance) }\n"
            }
            y += """
                  personas:
                    - { name: Dan, priority: primary, description: "\(leadTexts[0])" }
                    - { name: Pia, priority: secondary, description: "\(leadTexts[1])" }
                lead_definitions:
                  matrix: { good_match_high_engagement: 1, good_match_low_engagement: 2, poor_match_high_engagement: 3, poor_match_low_engagement: 4 }
                  engagement_threshold: "\(leadTexts[2])"
                  lead: "\(leadTexts[3])"
                  mql: "\(leadTexts[4])"
                  sql: "\(leadTexts[5])"
                goals:

                """
            var month = 1
            for year in 2027...2029 {
                for m in stride(from: 3, through: 12, by: 3) {
                    let deadline = "\(year)-\(m < 10 ? "0" : "")\(m)-\(m == 6 || m == 9 ? 30 : 31)"
                    for (metric, factor) in [("leads", 100), ("mql", 40), ("sql", 10), ("sales", 2)] {
                        y += "  - { metric: \(metric), target: \(factor * month), deadline: \(deadline) }\n"
                    }
                    month += 3
                }
            }
            y += """
                lead_handling:
                  marketing: { sql_per_month: 40, revenue_contribution: 1000000, revenue_unit: DKK, quality: "\(leadTexts[6])", handover: "\(leadTexts[7])" }
                  sales: { contact_non_sql: "\(leadTexts[8])", response_time_hours: 24, follow_up_attempts: 6, not_ready: "\(leadTexts[9])" }
                kpis:
                  items:

                """
            for k in kpis {
                y += "    - { name: \(k.name), definition: \"\(k.definition)\", target: \"40 %\" }\n"
            }
            y += """
                  reporting:
                    frequency: monthly
                    attendees: [\(attendees.joined(separator: ", "))]
                    optimisation: "\(leadTexts[0])"
                validity:
                  effective_from: 2027-01-01
                  renewals_per_year: 2
                  reviewer: Lars
                  remind_days_before: [30, 7, 1]

                """
            return y
        }
    }
}

/// SplitMix64: the same agreements on every run.
struct BenchmarkRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
