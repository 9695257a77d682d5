import Foundation
import GitKit

/// The ledger state at one commit, kept under `.git/sla/` so the next command checks only the
/// commits made since. Keyed by commit id and `Ledger.rulesVersion`; written atomically
/// (temporary file, then rename); a missing, damaged or foreign cache is ignored and rebuilt.
/// Deleting it changes nothing but time, and `verify` never reads it.
struct LedgerCache {
    struct Snapshot: Codable {
        var rules = Ledger.rulesVersion
        let commit: ObjectID
        let state: LedgerState
        let events: [String: [FileEvent]]

        init(commit: ObjectID, state: LedgerState, events: [String: [FileEvent]]) {
            self.commit = commit
            self.state = state
            self.events = events
        }
    }

    let file: URL

    init(directory gitDirectory: String) {
        file = URL(fileURLWithPath: gitDirectory).appendingPathComponent("sla/ledger.cache")
    }

    func load() -> Snapshot? {
        guard let data = try? Data(contentsOf: file),
              let snapshot = try? JSONDecoder().decode(Snapshot.self, from: data),
              snapshot.rules == Ledger.rulesVersion else { return nil }
        return snapshot
    }

    /// Best effort: a repository we may not write to (a server's, a read-only mount) just
    /// stays uncached.
    func store(_ snapshot: Snapshot) {
        guard let data = try? JSONEncoder().encode(snapshot) else { return }
        let folder = file.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temporary = folder.appendingPathComponent("ledger.cache.\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                return
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
