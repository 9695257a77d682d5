import CLibGit2
import Foundation

// Tags: read, list, and create (never move).
extension Repository {
    /// The tag `name` (without "refs/tags/"); nil when there is no such tag.
    public func tag(named name: String) throws -> TagInfo? {
        try nilIfNotFound {
            var ref: OpaquePointer?
            try check("git_reference_lookup") { git_reference_lookup(&ref, pointer, "refs/tags/" + name) }
            defer { git_reference_free(ref) }
            return try tagInfo(name: name, reference: ref)
        }
    }

    /// All tags whose name starts with `prefix` (a plain string, not a pattern; e.g. "sla/acme/"),
    /// sorted by name.
    public func tags(prefix: String) throws -> [TagInfo] {
        // A prefix without glob characters narrows the glob, so libgit2 reads only that part
        // of refs/tags (a repository of many agreements has many tags).
        let literal = !prefix.contains(where: { "*?[]\\".contains($0) })
        let names = try referenceNames(glob: literal ? "refs/tags/\(prefix)*" : "refs/tags/*").compactMap { full -> String? in
            let short = String(full.dropFirst("refs/tags/".count))
            return full.hasPrefix("refs/tags/") && short.hasPrefix(prefix) ? short : nil
        }
        // Looked up after iterating: a tag deleted meanwhile is skipped rather than failing the list.
        return try names.sorted().compactMap { try tag(named: $0) }
    }

    /// Creates annotated tag `name` (without "refs/tags/") on `target`. Throws `isAlreadyExists`
    /// without writing anything if a tag of that name exists: tags are never moved.
    public func createAnnotatedTag(name: String, target: ObjectID, message: String, tagger: GitSignature) throws {
        var targetOID = target.oid
        var object: OpaquePointer?
        try explaining("Cannot tag \(target): no such object") {
            try check("git_object_lookup") { git_object_lookup(&object, pointer, &targetOID, GIT_OBJECT_ANY) }
        }
        defer { git_object_free(object) }
        var oid = git_oid()
        _ = try tagger.withGitSignature { signature in
            try explaining("Cannot create tag \(name); existing tags are never moved") {
                // force 0: libgit2 checks for the ref before writing the tag object, and the ref
                // itself is created under a lock with no overwrite.
                try check("git_tag_create") { git_tag_create(&oid, pointer, name, object, signature, message, 0) }
            }
        }
    }

    private func tagInfo(name: String, reference: OpaquePointer?) throws -> TagInfo {
        var resolved: OpaquePointer?
        try check("git_reference_resolve") { git_reference_resolve(&resolved, reference) }
        defer { git_reference_free(resolved) }
        var object: OpaquePointer?
        try check("git_reference_peel") { git_reference_peel(&object, resolved, GIT_OBJECT_ANY) }
        defer { git_object_free(object) }
        let target = ObjectID(git_object_id(object))
        let objectID = ObjectID(git_reference_target(resolved))

        var message: String?
        var tagger: GitSignature?
        var isAnnotated = false
        var directOID = objectID.oid
        var direct: OpaquePointer?
        try check("git_object_lookup") { git_object_lookup(&direct, pointer, &directOID, GIT_OBJECT_ANY) }
        defer { git_object_free(direct) }
        // Only annotated tags point at a tag object (a git_tag is a git_object of that type).
        if git_object_type(direct) == GIT_OBJECT_TAG {
            isAnnotated = true
            message = git_tag_message(direct).map { String(cString: $0) } ?? ""
            tagger = git_tag_tagger(direct).map { GitSignature($0) }
        }
        return TagInfo(name: name, object: objectID, target: target, isAnnotated: isAnnotated, message: message, tagger: tagger)
    }
}
