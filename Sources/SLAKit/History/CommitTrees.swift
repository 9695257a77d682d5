import Foundation
import GitKit

/// What the check of one commit reads from git before it judges anything: the commit's
/// `agreements/` tree, the entries that differ from each parent's, the folders of the agreements
/// that changed against every parent, and the names `agreements/` lists twice or out of order.
/// All of it follows from the commit's and its parents' trees alone, never from a ledger state
/// (an earlier reading of a folder that is reused changes the time it takes, not the result).
struct CommitTrees: Sendable, Equatable {
    /// The commit's `agreements/` tree; nil when there is none (or it is not a folder).
    let agreementsTree: ObjectID?
    /// Per parent, the entries of `agreements/` named like an agreement that differ, by name.
    let changes: [[String: TreeEntryChange]]
    /// The folder of each agreement whose entry differs from every parent's.
    let folders: [String: AgreementFiles]
    /// Names `agreements/` lists twice or out of order; read only when the tree differs from
    /// every parent's.
    let malformed: [String]
    /// Why git could read other agreements in the commit than the ledger does: the root tree
    /// lists `agreements` twice or out of order, or with a mode that is none of git's (git reads
    /// 040755 as a folder, the ledger reads no folder). `names`: the agreements such an entry
    /// lists, which the ledger does not read.
    let rootProblem: RootProblem?

    struct RootProblem: Sendable, Equatable {
        let message: String
        let names: [String]
    }

    /// - Parameter parentTrees: the `agreements/` tree of each parent (one nil for a commit
    ///   without parents: the empty tree).
    /// - Parameter reuse: an earlier reading of an agreement's folder, whose unchanged subtrees
    ///   need not be read again (which one does not change the result, only the time).
    static func read(
        _ commit: GraphCommit, parentTrees: [ObjectID?], objects: ObjectReader, reuse: (String) -> AgreementFiles?
    ) throws -> CommitTrees {
        let root = try objects.treeEntry(named: "agreements", in: commit.tree)
        let tree = root?.kind == .tree ? root?.id : nil
        var changes: [[String: TreeEntryChange]] = []
        for parent in parentTrees {
            var byName: [String: TreeEntryChange] = [:]
            for change in try objects.entryChanges(from: parent, to: tree) where AgreementDecoder.isValidID(change.name) {
                byName[change.name] = change
            }
            changes.append(byName)
        }
        var folders: [String: AgreementFiles] = [:]
        for (name, change) in changes.first ?? [:] where changes.dropFirst().allSatisfy({ $0[name] != nil }) {
            folders[name] = try AgreementFiles.read(change.new, reuse: reuse(name), objects: objects)
        }
        var malformed: [String] = []
        if let tree, !parentTrees.contains(tree) {
            malformed = try objects.malformedNames(inTree: tree)
        }
        var rootProblem: RootProblem?
        if try objects.malformedNames(inTree: commit.tree).contains("agreements") {
            rootProblem = RootProblem(
                message:
                    "is listed twice or out of order in the commit's root tree (git fsck rejects such a tree, and git could show other agreements than the ledger reads)",
                names: [])
        } else if let root, case .unusual(let mode) = root.kind {
            // Whatever the object is: when it is a tree, git shows its agreements.
            let names = ((try? objects.treeEntries(root.id)) ?? []).map(\.name).filter(AgreementDecoder.isValidID)
            rootProblem = RootProblem(
                message:
                    "has the mode \(String(mode, radix: 8)) in the commit's root tree, which is none of git's modes (git reads it as a folder, the ledger as no folder)",
                names: names)
        }
        return CommitTrees(agreementsTree: tree, changes: changes, folders: folders, malformed: malformed, rootProblem: rootProblem)
    }
}
