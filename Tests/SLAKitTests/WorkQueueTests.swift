import Foundation
import Testing

@testable import SLAKit

/// The ledger's warm-up: every item runs exactly once whoever runs it, an item that needs an
/// earlier one finds it done, a thread that needs one item gets it done, and one that helps while
/// waiting does other items instead of idling.
@Suite(.timeLimit(.minutes(1)))
struct WorkQueueTests {
    /// Counters written from several threads.
    final class Record: @unchecked Sendable {
        private let lock = NSLock()
        private var runs: [[Int]]
        private var missing = 0
        init(_ counts: [Int]) { runs = counts.map { Array(repeating: 0, count: $0) } }
        func ran(_ chunk: Int, _ index: Int) { lock.withLock { runs[chunk][index] += 1 } }
        func isDone(_ chunk: Int, _ index: Int) -> Bool { lock.withLock { runs[chunk][index] > 0 } }
        func noteMissing() { lock.withLock { missing += 1 } }
        var all: [[Int]] { lock.withLock { runs } }
        var missingDependencies: Int { lock.withLock { missing } }
    }

    /// Item i of every chunk after the first needs item i of the chunk before, when it has one;
    /// odd items of a chunk also need the item before them in it.
    static func body(_ chunk: Int, _ counts: [Int], _ record: Record, work: WorkQueue) -> WorkQueue.Body {
        { @Sendable [unowned work] index in
            var needs: [WorkQueue.Slot] = []
            if chunk > 0, index < counts[chunk - 1] { needs.append(.init(chunk: chunk - 1, index: index)) }
            if index % 2 == 1 { needs.append(.init(chunk: chunk, index: index - 1)) }
            for slot in needs {
                work.ensure(slot)
                if !record.isDone(slot.chunk, slot.index) { record.noteMissing() }
            }
            usleep(UInt32(50 + (index % 7) * 40))
            record.ran(chunk, index)
        }
    }

    @Test("every item runs once, needed items first, with helpers and a thread that asks for items", arguments: [0, 1, 3])
    func items(helpers: Int) {
        let counts = [40, 40, 40]
        let record = Record(counts)
        let work = WorkQueue()
        for chunk in counts.indices { work.append(counts[chunk], Self.body(chunk, counts, record, work: work)) }
        work.start(helpers: helpers)
        // Ask for items out of order while the helpers work, helping or not.
        for (index, helping) in [(39, true), (0, false), (17, true), (17, false)] {
            work.ensure(WorkQueue.Slot(chunk: 2, index: index), helping: helping)
            #expect(record.isDone(2, index))
        }
        work.run()
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
        #expect(record.missingDependencies == 0)
        // Running again, or asking for an item, once all is done does nothing.
        work.run()
        work.ensure(WorkQueue.Slot(chunk: 1, index: 0), helping: true)
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
    }

    @Test("open work: helpers start on the first chunk, later chunks are appended, seal ends it", arguments: [0, 1, 3])
    func openWork(helpers: Int) {
        let counts = [30, 50, 0, 20]
        let record = Record(counts)
        let work = WorkQueue(open: true)
        #expect(work.append(counts[0], Self.body(0, counts, record, work: work)) == 0)
        work.start(helpers: helpers)
        usleep(2_000)  // the helpers may finish the first chunk and wait for more
        for chunk in 1..<counts.count {
            #expect(work.chunkCount == chunk)
            #expect(work.append(counts[chunk], Self.body(chunk, counts, record, work: work)) == chunk)
        }
        work.ensure(WorkQueue.Slot(chunk: 3, index: 19), helping: true)
        work.seal()
        work.run()
        #expect(record.all == counts.map { Array(repeating: 1, count: $0) })
        #expect(record.missingDependencies == 0)
    }

    @Test("open work sealed with nothing appended, or with empty chunks, ends")
    func sealedEarly() {
        let work = WorkQueue(open: true)
        work.start(helpers: 2)
        work.seal()
        work.run()
        let empty = WorkQueue()
        empty.append(0, { @Sendable _ in Issue.record("an empty chunk ran an item") })
        empty.start()
        empty.run()
        #expect(empty.chunkCount == 1)
    }

    /// The item a helping thread waits for can finish only after an item behind it has run: a
    /// thread that waited idle would find it unfinished when its wait times out.
    @Test("a thread that helps while it waits does the next items meanwhile")
    func helpsWhileWaiting() throws {
        let released = DispatchSemaphore(value: 0)
        let firstTaken = DispatchSemaphore(value: 0)
        final class Outcome: @unchecked Sendable {
            let lock = NSLock()
            var releasedInTime = false
        }
        let outcome = Outcome()
        let work = WorkQueue()
        work.append(
            6,
            { @Sendable index in
                if index == 0 {
                    firstTaken.signal()
                    let inTime = released.wait(timeout: .now() + 5) == .success
                    outcome.lock.withLock { outcome.releasedInTime = inTime }
                } else if index == 5 {
                    released.signal()
                }
            })
        work.start(helpers: 1)  // the helper takes item 0 and blocks in it
        try #require(firstTaken.wait(timeout: .now() + 10) == .success)
        work.ensure(WorkQueue.Slot(chunk: 0, index: 0), helping: true)
        #expect(outcome.lock.withLock { outcome.releasedInTime })
        work.run()
    }
}
