import ArgumentParser
import Foundation
import SLAKit

struct GitDiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-diff",
        abstract: "git's external diff driver for agreement files (set up by `sla hooks install`).",
        discussion: """
            git runs it with PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE. By hand: git config diff.sla.command "sla git-diff" echo 'agreements/**/*.yaml diff=sla' >> .git/info/attributes git diff then shows agreements section by section; git log -p and git show need --ext-diff.
            """
    )

    @Argument(parsing: .allUnrecognized, help: "What git passes.")
    var arguments: [String] = []

    func run() async throws {
        guard arguments.count >= 7 else {
            throw ValidationError("git-diff expects PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE, as git passes them")
        }
        let path = arguments[0]
        func read(_ file: String) -> Data? {
            file == "/dev/null" ? nil : FileManager.default.contents(atPath: file)
        }
        let (text, problems) = GitDiffDriver.sectionDiff(path: path, old: read(arguments[1]), new: read(arguments[4]))
        if let text {
            Terminal.output(text)
            return
        }
        // Not two valid agreements (added, deleted, or invalid): an ordinary line diff, so git
        // never loses the change. git treats a non-zero exit of the driver as fatal.
        for problem in problems { Terminal.line("# \(problem)") }
        // Through sla's output, so a control character in a path or a line shows as an escape.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["diff", "-u", "--label", "a/\(path)", "--label", "b/\(path)", arguments[1], arguments[4]]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        Terminal.output(String(decoding: output, as: UTF8.self))
    }
}
