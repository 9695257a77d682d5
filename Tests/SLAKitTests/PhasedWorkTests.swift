import Foundation
import Testing

@testable import SLAKit

/// The ledger's warm-up: items of a phase start only when the phase before is done, every item
/// runs exactly once whoever runs it, and a thread that needs one item gets it done.
struct PhasedWorkTests {
    /// Counters written from several threads.
    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [[Int]]
        private var early = 0
        init(_ counts: [Int]) { runs = counts.map { Array(repeating: 0, count: $0) } }
        func ran(_ phase: Int, _ index: Int) { lock.withLock { runs[phase][index] += 1 } }
        func doneCount(_ phase: Int) -> Int { lock.withLock { runs[phase].filter { $0 > 0 }.count } }
        func noteEarly() { lock.withLock { early += 1 } }
        var all: [[Int]] { lock.withLock { runs } }
        var earlyStarts: Int { lock.withLock { early } }
    }

    @Test("every item runs once, phases in order, with helpers and a thread that asks for items", arguments: [0, 1, 3])
    func phases(helpers: Int) {
        let counts = [40, 0, 60, 1]
        let record = Record(counts)
        let work = PhasedWork(
            counts.enumerated().map { phase, count in
                (
                    count,
                    { @Sendable index in
                        // A phase-0 item asked for directly may run early; later phases never
                        // start before the one before them is done when `run` takes them.
                        if phase > 0, record.doneCount(phase - 1) < counts[phase - 1] { record.noteEarly() }
                        usleep(UInt32(100 + (index % 7) * 50))
                        record.ran(phase, index)
                    }
                )
            })
        work.start(helpers: helpers)
        // Ask for items of the first phase out of order while the helpers work.
        for index in [39, 0, 17, 17] { work.ensure(PhasedWork.Slot(phase: 0, index: index)) }
        #expect(record.doneCount(0) >= 3)
        work.run()
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
        #expect(record.earlyStarts == 0)
        // Running again, or asking for an item, once all is done does nothing.
        work.run()
        work.ensure(PhasedWork.Slot(phase: 3, index: 0))
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
    }

    @Test("open work: helpers start on the first phase, later phases are appended, seal ends it", arguments: [0, 1, 3])
    func openWork(helpers: Int) throws {
        let counts = [30, 50, 0, 20]
        let record = Record(counts)
        func body(_ phase: Int) -> PhasedWork.Body {
            { @Sendable index in
                if phase > 0, record.doneCount(phase - 1) < counts[phase - 1] { record.noteEarly() }
                usleep(UInt32(100 + (index % 5) * 40))
                record.ran(phase, index)
            }
        }
        let work = PhasedWork([(counts[0], body(0))], open: true)
        work.start(helpers: helpers)
        usleep(2_000)  // the helpers may finish the first phase and wait for more
        for phase in 1..<counts.count {
            #expect(work.append(counts[phase], body(phase)) == phase)
        }
        work.ensure(PhasedWork.Slot(phase: 3, index: 19))  // asked for before its phase begins
        work.seal()
        work.run()
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
        // Only the item asked for directly may have run before its phase.
        #expect(record.earlyStarts <= 1)
    }

    @Test("open work sealed with no more phases ends once its known phase is done")
    func sealedEarly() {
        let record = Record([5])
        let work = PhasedWork([(5, { @Sendable index in record.ran(0, index) })], open: true)
        work.start(helpers: 2)
        work.seal()
        work.run()
        #expect(record.all == [[1, 1, 1, 1, 1]])
    }
}
