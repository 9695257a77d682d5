import Foundation
import GitKit

/// What an agreement's folder holds at one commit, classified by the layout of DESIGN.md:
/// `draft.yaml`, `activations.yaml`, `versions/vN.yaml`, `signatures/vN/FILE`. Anything else
/// is a stray, and a stray is a fault (History rule 2). This is the one place that knows the
/// layout; paths are built by `AgreementPaths`.
public struct AgreementFiles: Sendable, Equatable {
    /// The tree of `agreements/ID`; nil when the folder is absent.
    public var folder: ObjectID?
    public var draft: ObjectID?
    public var activations: ObjectID?
    /// Blob of `versions/vN.yaml` by N.
    public var versions: [Int: ObjectID] = [:]
    /// Blob of `signatures/vN/NAME` by N and NAME.
    public var signatures: [Int: [String: ObjectID]] {
        get { signatureMap.value }
        set { signatureMap = LazySlot(newValue) }
    }
    /// Decoded from the ledger cache only when asked for: `status` over hundreds of agreements
    /// never needs their signature files.
    var signatureMap = LazySlot<SignatureListing>([:])
    /// Paths relative to the agreement folder that do not belong, with what they are.
    public var strays: [String: Stray] = [:]
    /// Subtrees, so a commit that changed one signature folder reads only that one.
    var versionsTree: ObjectID?
    var signaturesTree: ObjectID?
    var signatureTrees: [Int: ObjectID] {
        get { signatureTreeSlot.value.ids }
        set { signatureTreeSlot = LazySlot(IDsByVersion(newValue)) }
    }
    var signatureTreeSlot = LazySlot(IDsByVersion([:]))

    public struct Stray: Sendable, Equatable {
        public let id: ObjectID
        public let what: String
    }

    public init() {}

    /// What a path inside an agreement's folder is, by the layout alone.
    public enum Role: Sendable, Equatable {
        case draft
        case activations
        case version(Int)
        case signature(version: Int, name: String)
        case stray

        /// An order of the kinds, for sorting.
        var rank: Int {
            switch self {
            case .draft: 0
            case .activations: 1
            case .version: 2
            case .signature: 3
            case .stray: 4
            }
        }

        /// `path` relative to the agreement's folder, e.g. `signatures/v2/mette@acme.dk.sig`.
        public init(path: String) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            switch parts.count {
            case 1 where parts[0] == "draft.yaml": self = .draft
            case 1 where parts[0] == "activations.yaml": self = .activations
            case 2 where parts[0] == "versions" && parts[1].hasSuffix(".yaml"):
                self = VersionSelector.versionNumber(String(parts[1].dropLast(5))).map(Role.version) ?? .stray
            case 3 where parts[0] == "signatures" && !parts[2].isEmpty:
                self = VersionSelector.versionNumber(parts[1]).map { .signature(version: $0, name: parts[2]) } ?? .stray
            default: self = .stray
            }
        }
    }

    /// Every file's path relative to the folder, with its blob (strays included).
    public var paths: [String: ObjectID] {
        var result: [String: ObjectID] = [:]
        if let draft { result["draft.yaml"] = draft }
        if let activations { result["activations.yaml"] = activations }
        for (n, blob) in versions { result["versions/v\(n).yaml"] = blob }
        for (n, files) in signatures {
            for (name, blob) in files { result["signatures/v\(n)/\(name)"] = blob }
        }
        for (path, stray) in strays { result[path] = stray.id }
        return result
    }
}

/// The signature files of an agreement: blob by version and file name.
typealias SignatureListing = [Int: [String: ObjectID]]

extension SignatureListing: CacheDecodable {
    // Bytes that passed the cache's checksum but do not decode: no signatures (fails closed).
    static var undecodable: SignatureListing { [:] }
}

/// Reads trees and blobs; the git repository in use, an in-memory store in unit tests.
public protocol ObjectReader: AnyObject {
    func treeEntries(_ tree: ObjectID) throws -> [TreeEntry]
    func treeEntry(named name: String, in tree: ObjectID) throws -> TreeEntry?
    /// Names listed twice or out of order (a malformed tree); empty when well formed.
    func malformedNames(inTree tree: ObjectID) throws -> [String]
    /// The entries that differ between two trees, one level deep (nil: the empty tree).
    func entryChanges(from old: ObjectID?, to new: ObjectID?) throws -> [TreeEntryChange]
    func blob(_ id: ObjectID) throws -> Data
}

extension Repository: ObjectReader {}

extension AgreementFiles {
    /// A path whose blob differs between two snapshots of a folder.
    public struct Difference: Sendable, Equatable {
        /// Relative to the agreement's folder ("" for the folder itself).
        public let path: String
        public let role: Role
        public let old: ObjectID?
        public let new: ObjectID?
    }

    /// The blob at `path` as `role` classifies it (strays apart: a symlink named v1.yaml is a stray).
    func blob(_ role: Role, path: String) -> ObjectID? {
        if strays[path] != nil { return strays[path]!.id }
        switch role {
        case .draft: return draft
        case .activations: return activations
        case .version(let n): return versions[n]
        case .signature(let n, let name): return signatures[n]?[name]
        case .stray: return nil
        }
    }

    /// Every path whose blob differs from `old` to `new`, by path (the same order however the
    /// two were read, so faults come out in the same order every run); subtrees with equal ids
    /// are skipped, so a commit that adds one signature costs one folder, not the whole agreement.
    static func differences(_ old: AgreementFiles, _ new: AgreementFiles) -> [Difference] {
        var result: [Difference] = []
        if old.folder == new.folder, old.folder != nil || old.strays == new.strays { return result }
        if old.draft != new.draft { result.append(Difference(path: "draft.yaml", role: .draft, old: old.draft, new: new.draft)) }
        if old.activations != new.activations {
            result.append(Difference(path: "activations.yaml", role: .activations, old: old.activations, new: new.activations))
        }
        if old.versionsTree != new.versionsTree || old.versionsTree == nil {
            for n in Set(old.versions.keys).union(new.versions.keys) where old.versions[n] != new.versions[n] {
                result.append(Difference(path: "versions/v\(n).yaml", role: .version(n), old: old.versions[n], new: new.versions[n]))
            }
        }
        if old.signaturesTree != new.signaturesTree || old.signaturesTree == nil {
            for n in Set(old.signatures.keys).union(new.signatures.keys) {
                if let a = old.signatureTrees[n], a == new.signatureTrees[n] { continue }
                let before = old.signatures[n] ?? [:]
                let after = new.signatures[n] ?? [:]
                for name in Set(before.keys).union(after.keys) where before[name] != after[name] {
                    result.append(
                        Difference(
                            path: "signatures/v\(n)/\(name)", role: .signature(version: n, name: name),
                            old: before[name], new: after[name]))
                }
            }
        }
        for path in Set(old.strays.keys).union(new.strays.keys) where old.strays[path] != new.strays[path] {
            result.append(Difference(path: path, role: .stray, old: old.strays[path]?.id, new: new.strays[path]?.id))
        }
        // By path, then by kind (a malformed tree can hold one name as a file and a folder).
        return result.sorted { ($0.path, $0.role.rank) < ($1.path, $1.role.rank) }
    }

    /// The folder as `entry` (an entry of `agreements/`) holds it; subtrees equal to `reuse`'s
    /// are taken from it instead of being read again.
    static func read(_ entry: TreeEntry?, reuse: AgreementFiles?, objects: ObjectReader) throws -> AgreementFiles {
        var files = AgreementFiles()
        guard let entry else { return files }
        guard entry.kind == .tree else {
            files.strays[""] = Stray(id: entry.id, what: "\(describe(entry.kind)) where the agreement's folder belongs")
            return files
        }
        if let reuse, reuse.folder == entry.id { return reuse }
        // Subtrees are taken from an earlier reading only when it was of well-formed trees: a
        // listing of a malformed tree is not the sum of its changes, and the result must be the
        // same whichever earlier reading is at hand.
        var reuse = reuse.flatMap { $0.hasMalformedTree ? nil : $0 }
        files.folder = entry.id
        try files.flagMalformed(entry.id, prefix: "", objects: objects)
        if files.hasMalformedTree { reuse = nil }
        for item in try objects.treeEntries(entry.id) {
            switch (item.name, item.kind) {
            case ("draft.yaml", .file): files.draft = item.id
            case ("activations.yaml", .file): files.activations = item.id
            case ("versions", .tree):
                files.versionsTree = item.id
                try files.flagMalformed(item.id, prefix: "versions/", objects: objects)
                if let reuse, reuse.versionsTree == item.id, !files.hasMalformedTree {
                    files.versions = reuse.versions
                    files.strays.merge(reuse.strays.filter { $0.key.hasPrefix("versions/") }) { a, _ in a }
                } else {
                    for version in try objects.treeEntries(item.id) {
                        if version.kind == .file, case .version(let n) = Role(path: "versions/\(version.name)") {
                            files.versions[n] = version.id
                        } else {
                            files.strays["versions/\(version.name)"] = Stray(
                                id: version.id, what: "not a version file vN.yaml (\(describe(version.kind)))")
                        }
                    }
                }
            case ("signatures", .tree):
                files.signaturesTree = item.id
                try files.flagMalformed(item.id, prefix: "signatures/", objects: objects)
                for folder in try objects.treeEntries(item.id) {
                    guard folder.kind == .tree, let n = VersionSelector.versionNumber(folder.name) else {
                        files.strays["signatures/\(folder.name)"] = Stray(
                            id: folder.id, what: "not a folder signatures/vN (\(describe(folder.kind)))")
                        continue
                    }
                    files.signatureTrees[n] = folder.id
                    try files.flagMalformed(folder.id, prefix: "signatures/\(folder.name)/", objects: objects)
                    if let reuse, reuse.signatureTrees[n] == folder.id, !files.hasMalformedTree {
                        files.signatures[n] = reuse.signatures[n]
                        let prefix = "signatures/\(folder.name)/"
                        files.strays.merge(reuse.strays.filter { $0.key.hasPrefix(prefix) }) { a, _ in a }
                        continue
                    }
                    // A folder that gained a file: patch the earlier listing with what changed.
                    let prefix = "signatures/\(folder.name)/"
                    var signatures: [String: ObjectID] = [:]
                    let entries: [TreeEntry?]
                    // Patched only when this folder is well formed too (and listed once).
                    if let reuse, let earlier = reuse.signatureTrees[n], !files.hasMalformedTree,
                        !files.strays.keys.contains(where: { $0.hasPrefix(prefix) })
                    {
                        signatures = reuse.signatures[n] ?? [:]
                        files.strays.merge(reuse.strays.filter { $0.key.hasPrefix(prefix) }) { a, _ in a }
                        let changes = try objects.entryChanges(from: earlier, to: folder.id)
                        for change in changes {
                            signatures[change.name] = nil
                            files.strays[prefix + change.name] = nil
                        }
                        entries = changes.map(\.new)
                    } else {
                        entries = try objects.treeEntries(folder.id)
                    }
                    for case let file? in entries {
                        if file.kind == .file {
                            signatures[file.name] = file.id
                        } else {
                            files.strays[prefix + file.name] = Stray(id: file.id, what: "\(describe(file.kind)), not a signature file")
                        }
                    }
                    files.signatures[n] = signatures
                }
            default:
                files.strays[item.name] = Stray(id: item.id, what: "not part of the agreement layout (\(describe(item.kind)))")
            }
        }
        return files
    }

    /// Whether a tree of this folder lists a name twice or out of order (see `flagMalformed`).
    var hasMalformedTree: Bool { strays.keys.contains { $0.hasSuffix("#malformed") } }

    /// A name listed twice or out of order is a stray: git and the ledger could read different
    /// bytes for it.
    private mutating func flagMalformed(_ tree: ObjectID, prefix: String, objects: ObjectReader) throws {
        for name in try objects.malformedNames(inTree: tree) {
            strays[prefix + name + "#malformed"] = Stray(
                id: tree,
                what:
                    "'\(prefix + name)' is listed twice or out of order in its tree (git fsck rejects such a tree, and git could show other bytes than the ledger reads)"
            )
        }
    }

    private static func describe(_ kind: TreeEntry.Kind) -> String {
        switch kind {
        case .file: "a file"
        case .tree: "a folder"
        case .symlink: "a symbolic link"
        case .gitlink: "a submodule entry"
        case .unusual(let mode):
            "an entry of mode \(String(mode, radix: 8)), which is none of git's modes (git and libgit2 read it as different things)"
        }
    }
}
