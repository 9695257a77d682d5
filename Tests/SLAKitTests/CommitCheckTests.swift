import Foundation
import GitKit
import SSHSigKit
import Testing

@testable import SLAKit

/// Trees and blobs in memory, addressed like git's (a hash of the content), so the one-commit
/// check runs on histories built in a few lines.
final class MemoryObjects: ObjectReader {
    private var trees: [ObjectID: [TreeEntry]] = [:]
    private var blobs: [ObjectID: Data] = [:]
    private var counter = 0

    private func id(_ data: Data) -> ObjectID {
        ObjectID(hex: String(data.sha256Hex.prefix(40)))!
    }

    func treeEntries(_ tree: ObjectID) throws -> [TreeEntry] { trees[tree] ?? [] }
    func treeEntry(named name: String, in tree: ObjectID) throws -> TreeEntry? { trees[tree]?.first { $0.name == name } }
    func blob(_ blob: ObjectID) throws -> Data { blobs[blob]! }
    func malformedNames(inTree tree: ObjectID) throws -> [String] { [] }

    func entryChanges(from old: ObjectID?, to new: ObjectID?) throws -> [TreeEntryChange] {
        let before = old.map { trees[$0]! } ?? []
        let after = new.map { trees[$0]! } ?? []
        var changes: [TreeEntryChange] = []
        for entry in after where !before.contains(entry) {
            changes.append(TreeEntryChange(name: entry.name, old: before.first { $0.name == entry.name }, new: entry))
        }
        for entry in before where !after.contains(where: { $0.name == entry.name }) {
            changes.append(TreeEntryChange(name: entry.name, old: entry, new: nil))
        }
        return changes
    }

    /// A tree holding these files (paths with "/"), nested folders built as needed.
    func tree(_ files: [String: Data]) -> ObjectID {
        var here: [String: Data] = [:]
        var folders: [String: [String: Data]] = [:]
        for (path, data) in files {
            if let slash = path.firstIndex(of: "/") {
                folders[String(path[..<slash]), default: [:]][String(path[path.index(after: slash)...])] = data
            } else {
                here[path] = data
            }
        }
        var entries: [TreeEntry] = []
        for (name, data) in here {
            let blob = id(data)
            blobs[blob] = data
            entries.append(TreeEntry(name: name, id: blob, kind: .file))
        }
        for (name, content) in folders { entries.append(TreeEntry(name: name, id: tree(content), kind: .tree)) }
        entries.sort { $0.name < $1.name }
        let treeID = id(Data(entries.map { "\($0.name) \($0.id.hex)" }.joined(separator: "\n").utf8) + Data("tree".utf8))
        trees[treeID] = entries
        return treeID
    }

    /// A commit id of its own (commits are not stored: the check is given them).
    func commitID() -> ObjectID {
        counter += 1
        return ObjectID(hex: String(Data("commit \(counter)".utf8).sha256Hex.prefix(40)))!
    }
}

/// The one-commit check of DESIGN.md's History, on in-memory trees.
@Suite("One-commit check")
struct CommitCheckTests {
    let objects = MemoryObjects()
    let folder = "agreements/\(ProjectFiles.exampleID)"

    /// v1 with the keys of seeds 1 and 2, and both signatures.
    func signedV1() throws -> [String: Data] {
        let v1 = try ApprovalTests.version(1)
        let mette = try ApprovalTests.signature(v1, party: "marketing", signer: "mette@acme.dk", key: ApprovalTests.key(1))
        let soren = try ApprovalTests.signature(v1, party: "sales", signer: "soren@acme.dk", key: ApprovalTests.key(2))
        return ["\(folder)/versions/v1.yaml": v1.bytes, mette.0: mette.1, soren.0: soren.1]
    }

    func entry(_ n: Int, _ bytes: Data) -> String {
        ActivationEntry.text(version: n, sha256: bytes.sha256Hex, activatedAt: LocalDate(iso: "2026-12-01")!, activatedBy: "lars@acme.dk")
    }

    /// Folds commits given as file maps, each with the parents named by index; returns the
    /// states, the commit ids and the faults the queued checks found.
    func fold(_ commits: [(files: [String: Data], parents: [Int])]) throws -> (states: [LedgerState], ids: [ObjectID], faults: [Fault]) {
        let context = LedgerContext(objects: objects)
        let check = CommitCheck(context: context)
        var states: [LedgerState] = []
        var ids: [ObjectID] = []
        for commit in commits {
            let id = objects.commitID()
            let graph = GraphCommit(id: id, tree: objects.tree(commit.files), parents: commit.parents.map { ids[$0] })
            states.append(try check.run(graph, parents: commit.parents.map { states[$0] }).state)
            ids.append(id)
        }
        return (states, ids, try context.drainPending())
    }

    func faults(_ state: LedgerState) -> [Fault] { state.agreements[ProjectFiles.exampleID]?.faults ?? [] }

    @Test("an honest history: proposal, signatures, activation — no fault, the entry counts")
    func honest() throws {
        let signed = try signedV1()
        var activated = signed
        activated["\(folder)/activations.yaml"] = Data(entry(1, signed["\(folder)/versions/v1.yaml"]!).utf8)
        let result = try fold([(signed, []), (activated, [0])])
        #expect(result.faults.isEmpty)
        #expect(faults(result.states[1]).isEmpty)
        #expect(result.states[1].agreements[ProjectFiles.exampleID]?.entries.map(\.counts) == [true])
    }

    @Test("a version changed or deleted against a parent is a fault of that commit")
    func frozenVersion() throws {
        let signed = try signedV1()
        var changed = signed
        changed["\(folder)/versions/v1.yaml"]! += Data("# edited\n".utf8)
        var deleted = signed
        deleted["\(folder)/versions/v1.yaml"] = nil
        let result = try fold([(signed, []), (changed, [0]), (deleted, [0])])
        #expect(faults(result.states[1]).contains { $0.rule == .frozenFile && $0.commit == result.ids[1] })
        #expect(
            faults(result.states[2]).contains { $0.rule == .frozenFile && $0.commit == result.ids[2] && $0.message.contains("deleted") })
        #expect(faults(result.states[0]).isEmpty)
    }

    @Test("a merge whose tree equals one parent is still checked against the other")
    func mergeKeepingOneSide() throws {
        let signed = try signedV1()
        let bytes = signed["\(folder)/versions/v1.yaml"]!
        var activated = signed
        activated["\(folder)/activations.yaml"] = Data(entry(1, bytes).utf8)
        // 0: signed; 1: activated on main; 2: a side commit from 0; 3: merge of 1 and 2 keeping 2's tree.
        var side = signed
        side["NOTES"] = Data("x".utf8)
        for order in [[1, 2], [2, 1]] {
            let result = try fold([(signed, []), (activated, [0]), (side, [0]), (side, order)])
            let merge = result.ids[3]
            #expect(faults(result.states[3]).contains { $0.rule == .activationLog && $0.commit == merge }, "parents \(order)")
            #expect(faults(result.states[2]).isEmpty)
        }
    }

    @Test("an entry is judged where it is new: signatures arriving later never make it count")
    func judgedOnce() throws {
        let signed = try signedV1()
        let bytes = signed["\(folder)/versions/v1.yaml"]!
        let unsigned = ["\(folder)/versions/v1.yaml": bytes]
        var early = unsigned
        early["\(folder)/activations.yaml"] = Data(entry(1, bytes).utf8)
        var later = signed
        later["\(folder)/activations.yaml"] = early["\(folder)/activations.yaml"]
        let result = try fold([(unsigned, []), (early, [0]), (later, [1])])
        let state = try #require(result.states[2].agreements[ProjectFiles.exampleID])
        #expect(state.entries.map(\.counts) == [false])
        #expect(state.entries.first?.commit == result.ids[1])
        #expect(state.faults.contains { $0.rule == .activationEntry && $0.commit == result.ids[1] })
    }

    @Test("a signature deleted after the entry counted: the entry still counts, the deletion is a fault")
    func deletionDoesNotUncount() throws {
        let signed = try signedV1()
        var activated = signed
        activated["\(folder)/activations.yaml"] = Data(entry(1, signed["\(folder)/versions/v1.yaml"]!).utf8)
        var dropped = activated
        dropped["\(folder)/signatures/v1/soren@acme.dk.sig"] = nil
        let result = try fold([(signed, []), (activated, [0]), (dropped, [1])])
        let state = try #require(result.states[2].agreements[ProjectFiles.exampleID])
        #expect(state.entries.map(\.counts) == [true])
        #expect(
            state.faults.contains {
                $0.rule == .frozenFile && $0.commit == result.ids[2] && $0.message.contains("signature file was deleted")
            })
    }

    @Test("stray files, bad log bytes and forged signatures are faults of the commit that adds them")
    func newFilesAreValid() throws {
        let signed = try signedV1()
        var stray = signed
        stray["\(folder)/notes.txt"] = Data("x".utf8)
        var garbage = signed
        garbage["\(folder)/activations.yaml"] = Data("# nothing yet\n".utf8)
        var forged = signed
        var bytes = forged["\(folder)/signatures/v1/soren@acme.dk.sig"]!
        bytes[bytes.startIndex + 30] ^= 1  // inside the sha256 line: another message
        forged["\(folder)/signatures/v1/soren@acme.dk.sig"] = bytes
        let result = try fold([(signed, []), (stray, [0]), (garbage, [0]), (forged, [0])])
        #expect(faults(result.states[1]).contains { $0.rule == .layout && $0.path.hasSuffix("notes.txt") })
        #expect(faults(result.states[2]).contains { $0.rule == .activationLog && $0.message.contains("line 1") })
        #expect(result.faults.contains { $0.rule == .invalidFile && $0.commit == result.ids[3] && $0.path.hasSuffix("soren@acme.dk.sig") })
        #expect(result.faults.allSatisfy { $0.commit == result.ids[3] } && result.faults.count >= 1)
    }

    @Test("rule 3 uses A as the log fixes it: a version with new keys needs the old signatories")
    func ruleThreeFromTheLog() throws {
        let signed = try signedV1()
        let v1bytes = signed["\(folder)/versions/v1.yaml"]!
        var activated = signed
        activated["\(folder)/activations.yaml"] = Data(entry(1, v1bytes).utf8)
        // v2 swaps Søren's key (seed 2) for seed 9, signed by seeds 1 and 9 only.
        let v1 = try ApprovalTests.version(1)
        let v2 = try ApprovalTests.version(2, keys: [1, 9])
        let mette = try ApprovalTests.signature(
            v2, previous: v1.sha256, party: "marketing", signer: "mette@acme.dk", key: ApprovalTests.key(1))
        let intruder = try ApprovalTests.signature(
            v2, previous: v1.sha256, party: "sales", signer: "soren@acme.dk", key: ApprovalTests.key(9))
        var proposed = activated
        proposed["\(folder)/versions/v2.yaml"] = v2.bytes
        proposed[mette.0] = mette.1
        proposed[intruder.0] = intruder.1
        var selfApproved = proposed
        selfApproved["\(folder)/activations.yaml"] = Data((entry(1, v1bytes) + entry(2, v2.bytes)).utf8)
        let result = try fold([(signed, []), (activated, [0]), (proposed, [1]), (selfApproved, [2])])
        #expect(result.faults.isEmpty, "every file is valid for its name: \(result.faults)")
        let state = try #require(result.states[3].agreements[ProjectFiles.exampleID])
        #expect(state.entries.map(\.counts) == [true, false])
        #expect(state.entries[1].problem?.contains("v1") == true, "\(state.entries[1].problem ?? "")")
    }
}
