// Benchmarks, not tests: `swift run -c release sla-bench diff|verify`. Figures go to the README.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "diff":
    runDiffBenchmark(Array(arguments.dropFirst()))
case "verify": runVerifyBenchmark(Array(arguments.dropFirst()))
default:
    FileHandle.standardError.write(Data("usage: sla-bench diff [ITERATIONS] | verify --make DIR | verify --measure DIR\n".utf8))
    exit(64)
}
