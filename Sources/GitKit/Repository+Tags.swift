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

    /// The tags whose name starts with `prefix`, each with the object its ref names (the tag
    /// object of an annotated tag), read in one pass and nothing more: cheap for thousands.
    public func tagObjects(prefix: String) throws -> [(name: String, object: ObjectID)] {
        let literal = !prefix.contains(where: { "*?[]\\".contains($0) })
        var iterator: OpaquePointer?
        try check("git_reference_iterator_glob_new") {
            git_reference_iterator_glob_new(&iterator, pointer, literal ? "refs/tags/\(prefix)*" : "refs/tags/*")
        }
        defer { git_reference_iterator_free(iterator) }
        var found: [(name: String, object: ObjectID)] = []
        while true {
            var ref: OpaquePointer?
            let rc = git_reference_next(&ref, iterator)
            if rc == GIT_ITEROVER.rawValue { break }
            try check("git_reference_next") { rc }
            defer { git_reference_free(ref) }
            let full = String(cString: git_reference_name(ref))
            let short = String(full.dropFirst("refs/tags/".count))
            guard full.hasPrefix("refs/tags/"), short.hasPrefix(prefix) else { continue }
            var resolved: OpaquePointer?
            // A symbolic ref that leads nowhere names no object: skipped, as a deleted tag is.
            guard git_reference_resolve(&resolved, ref) == 0 else { continue }
            defer { git_reference_free(resolved) }
            guard let oid = git_reference_target(resolved) else { continue }
            found.append((short, ObjectID(oid)))
        }
        return found.sorted { $0.name < $1.name }
    }

    /// What `object` finally names: a tag object peeled (through chains of tags) to the first
    /// object that is not a tag; any other object is itself.
    public func peeled(_ object: ObjectID) throws -> ObjectID {
        var oid = object.oid
        var found: OpaquePointer?
        try check("git_object_lookup") { git_object_lookup(&found, pointer, &oid, GIT_OBJECT_ANY) }
        defer { git_object_free(found) }
        guard git_object_type(found) == GIT_OBJECT_TAG else { return object }
        var target: OpaquePointer?
        try check("git_object_peel") { git_object_peel(&target, found, GIT_OBJECT_ANY) }
        defer { git_object_free(target) }
        return ObjectID(git_object_id(target))
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
