import Foundation

/// Files that `sla` replaces whole (temporary file, then rename) at a path the user names.
public enum FilePaths {
    /// The file a path names once symbolic links are followed (at most 40, as the kernel does),
    /// so that replacing it keeps the link, and every path to one file is one file (`remind
    /// --state`'s lock, `calendar --out`). A dangling link names the file it would create.
    public static func followingLinks(_ url: URL) -> URL {
        var current = url.standardizedFileURL
        for _ in 0..<40 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current.path) else { break }
            current = URL(fileURLWithPath: destination, relativeTo: current.deletingLastPathComponent()).standardizedFileURL
        }
        // Links among the folders too, where the folders exist.
        let folder = current.deletingLastPathComponent().resolvingSymlinksInPath()
        return folder.appendingPathComponent(current.lastPathComponent)
    }

    /// Refuses a file to write whose folder does not exist: a mistyped path would otherwise make
    /// folders, and a record of what was delivered kept somewhere else than the next run reads.
    public static func requireFolder(of url: URL, named given: String) throws {
        let folder = url.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw SLAError("cannot write \(given): the folder \(folder.path) does not exist; make it first", kind: .badInput)
        }
    }
}
