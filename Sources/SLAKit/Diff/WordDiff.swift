/// A word-level diff of two texts, as `git diff --word-diff` shows it: words are runs of
/// non-whitespace, compared exactly; the whitespace shown is the new text's.
public enum WordDiff {

    public enum Segment: Sendable, Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// Texts longer than this, or of more words than `longTextWords`, are shown as a word
    /// diff rather than `old → new`.
    public static let longTextCharacters = 60
    public static let longTextWords = 8

    public static func isLongText(_ text: String) -> Bool {
        text.unicodeScalars.count > longTextCharacters || words(text).words.count > longTextWords
    }

    /// Beyond this many edits the texts have little in common: the differing middle is shown
    /// removed and added whole, which keeps time and memory bounded (Myers is O((N+M)·D)
    /// in time and here O(D²) in memory).
    static let maxEdits = 1_500

    /// The segments that turn `old` into `new`; adjacent segments of one kind are merged.
    public static func segments(from old: String, to new: String) -> [Segment] {
        let a = words(old)
        let b = words(new)
        // Compare small integers, not strings, in the inner loop.
        var ids: [Substring: Int] = [:]
        func id(_ word: Substring) -> Int {
            if let id = ids[word] { return id }
            ids[word] = ids.count
            return ids.count - 1
        }
        let x = a.words.map(id)
        let y = b.words.map(id)
        let script = editScript(x, y)

        var out = SegmentBuilder()
        out.append(.same(String(b.leading.isEmpty ? a.leading : b.leading)))
        var index = 0
        while index < script.count {
            if case .equal(let i, let j) = script[index] {
                // Where the new text glues a word to a change the old text kept apart,
                // keep them apart: "one [-two-]", not "one[-two-]".
                let separator = b.separators[j].isEmpty ? a.separators[i] : b.separators[j]
                out.append(.same(String(b.words[j]) + String(separator)))
                index += 1
                continue
            }
            var removed: [Int] = []
            var added: [Int] = []
            while index < script.count {
                switch script[index] {
                case .delete(let i): removed.append(i)
                case .insert(let j): added.append(j)
                case .equal: break
                }
                if case .equal = script[index] { break }
                index += 1
            }
            if !removed.isEmpty {
                out.append(.removed(joined(removed, a)))
            }
            if !added.isEmpty {
                out.append(.added(joined(added, b)))
            }
            let separator = added.last.map { b.separators[$0] } ?? removed.last.map { a.separators[$0] } ?? ""
            out.append(.same(String(separator)))
        }
        return out.segments
    }

    /// `[-removed words-]{+added words+}`, the rest as it is.
    public static func plain(_ segments: [Segment]) -> String {
        segments.map { segment in
            switch segment {
            case .same(let text): text
            case .removed(let text): "[-" + text + "-]"
            case .added(let text): "{+" + text + "+}"
            }
        }.joined()
    }

    // MARK: Words

    struct Words {
        var leading: Substring
        var words: [Substring]
        /// The whitespace after each word ("" after the last one at the end).
        var separators: [Substring]
    }

    static func words(_ text: String) -> Words {
        // Over Unicode scalars with an ASCII fast path: `Character.isWhitespace` looks up
        // Unicode properties for every character and dominated the rendering time.
        let scalars = text.unicodeScalars
        var result = Words(leading: "", words: [], separators: [])
        var index = scalars.startIndex
        while index < scalars.endIndex, isSpace(scalars[index]) { index = scalars.index(after: index) }
        result.leading = Substring(scalars[scalars.startIndex..<index])
        while index < scalars.endIndex {
            var wordStart = index
            while index < scalars.endIndex, !isSpace(scalars[index]) { index = scalars.index(after: index) }
            var wordEnd = index
            while index < scalars.endIndex, isSpace(scalars[index]) { index = scalars.index(after: index) }
            let separator = Substring(scalars[wordEnd..<index])
            // Punctuation at either end is a word of its own, so that "retning." and
            // "retning og mere." share "retning" and ".".
            while scalars.index(after: wordStart) < wordEnd, isDetachable(scalars[wordStart]) {
                let next = scalars.index(after: wordStart)
                result.words.append(Substring(scalars[wordStart..<next]))
                result.separators.append("")
                wordStart = next
            }
            var trailing: [Substring] = []
            while scalars.index(after: wordStart) < wordEnd {
                let last = scalars.index(before: wordEnd)
                guard isDetachable(scalars[last]) else { break }
                trailing.append(Substring(scalars[last..<wordEnd]))
                wordEnd = last
            }
            result.words.append(Substring(scalars[wordStart..<wordEnd]))
            result.separators.append("")
            for mark in trailing.reversed() {
                result.words.append(mark)
                result.separators.append("")
            }
            result.separators[result.separators.count - 1] = separator
        }
        return result
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09...0x0D: true
        case 0..<0x80: false
        default: scalar.properties.isWhitespace
        }
    }

    /// Punctuation that is split off a word; hyphens and apostrophes stay ("CRM-", "SQL'er").
    private static func isDetachable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "-", "'", "\u{2019}": return false
        case ".", ",", ";", ":", "!", "?", "(", ")", "[", "]", "{", "}", "\"": return true
        default:
            guard scalar.value >= 0x80 else { return false }
            switch scalar.properties.generalCategory {
            case .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation:
                return true
            default:
                return false
            }
        }
    }

    private static func joined(_ indices: [Int], _ w: Words) -> String {
        var text = ""
        for (n, i) in indices.enumerated() {
            text += w.words[i]
            if n < indices.count - 1 { text += w.separators[i] }
        }
        return text
    }

    // MARK: Myers

    enum Edit: Equatable {
        case equal(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// The shortest edit script from `a` to `b` (Myers 1986), after taking off the common
    /// prefix and suffix.
    static func editScript(_ a: [Int], _ b: [Int]) -> [Edit] {
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix,
            a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
        { suffix += 1 }

        var script: [Edit] = (0..<prefix).map { .equal($0, $0) }
        let middleA = Array(a[prefix..<(a.count - suffix)])
        let middleB = Array(b[prefix..<(b.count - suffix)])
        if let middle = myers(middleA, middleB) {
            for edit in middle {
                switch edit {
                case .equal(let i, let j): script.append(.equal(i + prefix, j + prefix))
                case .delete(let i): script.append(.delete(i + prefix))
                case .insert(let j): script.append(.insert(j + prefix))
                }
            }
        } else {
            script += (0..<middleA.count).map { .delete($0 + prefix) }
            script += (0..<middleB.count).map { .insert($0 + prefix) }
        }
        script += (0..<suffix).map { .equal(a.count - suffix + $0, b.count - suffix + $0) }
        return script
    }

    /// Nil when more than `maxEdits` edits are needed.
    private static func myers(_ a: [Int], _ b: [Int]) -> [Edit]? {
        let n = a.count
        let m = b.count
        if n == 0 { return (0..<m).map { .insert($0) } }
        if m == 0 { return (0..<n).map { .delete($0) } }
        let limit = min(n + m, maxEdits)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d] holds v[k] for k in -(d+1)...(d+1), as it was before step d.
        var trace: [[Int]] = []
        for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            for k in stride(from: -d, through: d, by: 2) {
                var x =
                    (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                    ? v[offset + k + 1]
                    : v[offset + k - 1] + 1
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m {
                    return backtrack(trace, n: n, m: m)
                }
            }
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], n: Int, m: Int) -> [Edit] {
        var edits: [Edit] = []
        var x = n
        var y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let v = trace[d]
            func at(_ k: Int) -> Int { v[k + d + 1] }
            let k = x - y
            let previousK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let previousX = at(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                edits.append(.equal(x - 1, y - 1))
                x -= 1
                y -= 1
            }
            if d > 0 {
                if x == previousX {
                    edits.append(.insert(y - 1))
                } else {
                    edits.append(.delete(x - 1))
                }
            }
            x = previousX
            y = previousY
        }
        return edits.reversed()
    }
}

private struct SegmentBuilder {
    var segments: [WordDiff.Segment] = []

    mutating func append(_ segment: WordDiff.Segment) {
        switch (segments.last, segment) {
        case (_, .same("")), (_, .removed("")), (_, .added("")):
            return
        case (.same(let a)?, .same(let b)):
            segments[segments.count - 1] = .same(a + b)
        case (.removed(let a)?, .removed(let b)):
            segments[segments.count - 1] = .removed(a + " " + b)
        case (.added(let a)?, .added(let b)):
            segments[segments.count - 1] = .added(a + " " + b)
        default:
            segments.append(segment)
        }
    }
}
