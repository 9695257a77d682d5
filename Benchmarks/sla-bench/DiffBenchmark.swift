import SLAKit

func runDiffBenchmark(_ arguments: [String]) {
    print("diff benchmark: not written yet")
}
