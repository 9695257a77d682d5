import Foundation
import Testing

@testable import GitKit

@Suite("Trees and the commit graph")
struct GraphTests {
    @Test("entryChanges lists exactly the names whose entry differs, one level deep")
    func entryChanges() throws {
        let tmp = try TemporaryDirectory()
        let (repo, first) = try repositoryWithCommit(tmp, files: ["a": "1", "b/x": "2", "c": "3", "b-c": "4", "e/y": "5"])
        try tmp.write("b/x", "changed")  // b: tree changes
        try tmp.write("d", "new")  // d: added
        try git("rm", "-q", "c", in: tmp.path)  // c: removed
        try git("rm", "-q", "-r", "e", in: tmp.path)
        try tmp.write("e", "now a file")  // e: a tree becomes a file
        try git("add", "-A", in: tmp.path)
        try git("commit", "-q", "-m", "second", in: tmp.path)
        let second = try #require(try repo.headCommit())
        let old = try repo.graphCommit(first).tree
        let new = try repo.graphCommit(second).tree
        let changes = try repo.entryChanges(from: old, to: new)
        let summary = changes.map {
            "\($0.name):\($0.old?.kind == nil ? "-" : "\($0.old!.kind)")>\($0.new?.kind == nil ? "-" : "\($0.new!.kind)")"
        }.sorted()
        #expect(summary == ["b:tree>tree", "c:file>-", "d:->file", "e:tree>file"], "\(summary)")
        #expect(try repo.entryChanges(from: new, to: new).isEmpty)
        #expect(try repo.entryChanges(from: nil, to: old).count == 5)
        #expect(try repo.malformedNames(inTree: new).isEmpty)
    }

    @Test("a tree listing a name twice is malformed")
    func duplicateNames() throws {
        let tmp = try TemporaryDirectory()
        let (repo, _) = try repositoryWithCommit(tmp, files: ["a": "1"])
        let blob = try git("rev-parse", "HEAD:a", in: tmp.path).trimmingCharacters(in: .whitespacesAndNewlines)
        // A raw tree object, written by hand: "100644 a\0" and the 20 id bytes, twice.
        var bytes: [UInt8] = []
        for _ in 0..<2 {
            bytes += Array("100644 a".utf8) + [0]
            var hex = Substring(blob)
            while !hex.isEmpty {
                bytes.append(UInt8(hex.prefix(2), radix: 16)!)
                hex = hex.dropFirst(2)
            }
        }
        try Data(bytes).write(to: URL(fileURLWithPath: tmp.url("raw-tree")))
        let tree = try #require(ObjectID(hex: try git("hash-object", "-t", "tree", "-w", "--literally", tmp.url("raw-tree"), in: tmp.path)))
        #expect(try repo.malformedNames(inTree: tree) == ["a"])
    }
}
