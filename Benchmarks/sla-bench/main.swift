// Benchmarks, not tests: `swift run -c release sla-bench diff|verify|ledger|parts`. Figures go to the README and BENCHMARKS.md.
import Foundation

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "diff":
    runDiffBenchmark(Array(arguments.dropFirst()))
case "verify": runVerifyBenchmark(Array(arguments.dropFirst()))
case "ledger": runLedgerBenchmark(Array(arguments.dropFirst()))
case "parts": runPartsBenchmark(Array(arguments.dropFirst()))
default:
    FileHandle.standardError.write(
        Data("usage: sla-bench diff [ITERATIONS] | verify --make DIR | verify --measure DIR | ledger --make DIR | parts DIR\n".utf8))
    exit(64)
}
