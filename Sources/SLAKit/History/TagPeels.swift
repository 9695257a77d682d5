import Foundation
import GitKit

/// Version tags peeled to their commits, remembered under `.git/sla/tags.cache`: an annotated
/// tag object never changes, so what it names is read from git once. The refs themselves are
/// read on every command (a tag can be moved or added without a commit). `verify` never
/// reads the file; a damaged one is ignored.
final class TagPeels {
    private let file: URL?
    private var map: [ObjectID: ObjectID] = [:]
    private var added = 0
    private var loaded = false

    /// - Parameter gitDirectory: nil: remember nothing across commands (`verify`).
    init(gitDirectory: String?) {
        file = gitDirectory.map { URL(fileURLWithPath: $0).appendingPathComponent("sla/tags.cache") }
    }

    /// Read on first use: a command whose tags were all judged before never needs it.
    private func load() {
        guard !loaded else { return }
        loaded = true
        guard let file, let data = try? Data(contentsOf: file), data.count % 40 == 0 else { return }
        // Pairs of raw object ids: the tag object, then what it names.
        let bytes = Array(data)
        map.reserveCapacity(bytes.count / 40)
        for start in stride(from: 0, to: bytes.count, by: 40) {
            guard let tag = ObjectID(rawBytes: bytes[start..<(start + 20)]),
                let target = ObjectID(rawBytes: bytes[(start + 20)..<(start + 40)])
            else { return }
            map[tag] = target
        }
    }

    func target(of object: ObjectID, in git: Repository) throws -> ObjectID {
        load()
        if let known = map[object] { return known }
        let target = try git.peeled(object)
        map[object] = target
        added += 1
        return target
    }

    /// Writes the file when this command peeled tags it did not hold (best effort, atomic).
    func store() {
        guard added > 0, let file else { return }
        added = 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(map.count * 40)
        for (tag, target) in map.sorted(by: { $0.key < $1.key }) {
            tag.append(to: &bytes)
            target.append(to: &bytes)
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(bytes).write(to: file, options: .atomic)
    }
}
