import Foundation
import SLAFuzzing

// Built two ways (see Fuzz/run):
// - with `-sanitize=fuzzer,address -D FUZZING`: libFuzzer's driver calls the entry point below
//   for the target named by SLA_FUZZ_TARGET, and a broken invariant traps, which libFuzzer
//   reports with the input that caused it;
// - normally: `sla-fuzz TARGET FILE...` runs saved inputs through the same code and prints
//   what broke (exit 1), to reproduce a finding without the fuzzer.

#if FUZZING
    let selectedTarget: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["SLA_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("SLA_FUZZ_TARGET must be one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    public typealias Arguments = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?

    /// libFuzzer's driver, which `-sanitize=fuzzer` links in.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<Arguments>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's `main` to `<module>_main`; here that hands over to libFuzzer.
    @_cdecl("sla_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: Arguments) -> CInt {
        var count = argc
        var arguments = argv
        return runFuzzerDriver(&count, &arguments, fuzzOneInput)
    }

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        let broken = selectedTarget.run(data)
        if !broken.isEmpty {
            fatalError("\(selectedTarget.rawValue): \(broken.joined(separator: "; "))")
        }
        return 0
    }
#else
    @main
    struct FuzzReplay {
        static func main() {
            let arguments = CommandLine.arguments.dropFirst()
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
                let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                FileHandle.standardError.write(Data("usage: sla-fuzz \(names) FILE...\n".utf8))
                exit(64)
            }
            var failed = false
            for path in arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    print("\(path): cannot read")
                    failed = true
                    continue
                }
                let broken = target.run(data)
                print("\(path): \(broken.isEmpty ? "ok" : broken.joined(separator: "; "))")
                failed = failed || !broken.isEmpty
            }
            exit(failed ? 1 : 0)
        }
    }
#endif
