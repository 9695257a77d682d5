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
}
