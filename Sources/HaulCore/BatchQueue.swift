import Foundation

/// A short queue of batches between a producing thread and a consuming one: the producer waits
/// when four batches are waiting, so memory stays bounded.
package final class BatchQueue<Element>: @unchecked Sendable {
    package static var batchSize: Int { 256 }
    private static var capacity: Int { 4 }
    private let condition = NSCondition()
    private var batches: [[Element]] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false

    package init() {}

    /// Waits for room; false when the caller has stopped reading.
    package func put(_ batch: [Element]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while batches.count >= Self.capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        batches.append(batch)
        condition.broadcast()
        return true
    }

    package func finish(_ error: (any Error)?) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil at the end; the reading thread's error, if it failed.
    package func take() throws -> [Element]? {
        condition.lock()
        defer { condition.unlock() }
        // A cancelled queue ends the consumer too (an importer's writer waits here).
        while batches.isEmpty && !finished && !cancelled { condition.wait() }
        if cancelled { return nil }
        if !batches.isEmpty {
            condition.broadcast()
            return batches.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }

    /// Whether either side has called ``cancel()`` (`take()` gives nil then, as at the end).
    package var isCancelled: Bool {
        condition.lock()
        defer { condition.unlock() }
        return cancelled
    }

    package func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }
}
