import CLibXML2
import Foundation
import HaulCore

/// A bounded queue of byte chunks between the writing thread and the validating thread: memory
/// stays flat however large the document, and each side waits for the other when it must.
final class ChunkPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var closed = false
    private let capacity: Int

    init(capacity: Int = 16) { self.capacity = capacity }

    func put(_ chunk: Data) {
        condition.lock()
        while chunks.count >= capacity && !closed { condition.wait() }
        if !closed { chunks.append(chunk) }
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or empty data once the writer has closed the pipe and it is drained.
    func take() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !closed { condition.wait() }
        guard !chunks.isEmpty else { return Data() }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the pipe was closed (by either side).
    var isClosed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return closed
    }
}

/// Where the streaming writer's bytes go: the temporary file and, at the same time, the validator.
final class TeeSink {
    let file: FileHandle
    let pipe: ChunkPipe
    /// The `errno` of the first write to the file that failed.
    private(set) var failure: Int32?

    init(file: FileHandle, pipe: ChunkPipe) {
        self.file = file
        self.pipe = pipe
    }

    /// Writes one chunk (the writer hands them over 64 KB at a time) to the file, and the same
    /// bytes to the validator. False once the file could not be written: the writer then stops.
    func write(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while failure == nil, written < bytes.count {
            let result = Glibc.write(file.fileDescriptor, bytes.baseAddress! + written, bytes.count - written)
            if result < 0 {
                if errno != EINTR { failure = errno }
            } else {
                written += result
            }
        }
        pipe.put(Data(bytes))
        return failure == nil
    }
}

/// What a validating thread found (an export's, or a large read's), kept apart from its caller
/// so the thread never outlives what it writes into; read once `done` is signalled.
final class ValidationOutcome: @unchecked Sendable {
    var result: Result<[XMLDiagnostic], HaulXMLError> = .success([])
    let done = DispatchSemaphore(value: 0)
}

/// Exports a case too large to hold in memory, item by item: the document is written to a
/// temporary file beside the target while a second thread validates the same bytes (schema and
/// semantic pass) as they are produced; only a valid document is renamed into place.
///
/// ```swift
/// let export = try StreamingCaseExport(target: url, header: operation)   // header: no items needed
/// try export.beginSeizure(seizure)
/// for item in items { try export.item(item) }
/// try export.endSeizure()
/// try export.finish()
/// ```
public final class StreamingCaseExport: @unchecked Sendable {
    /// Where the file is published once it is valid; it is written beside it until then.
    public let target: URL
    private let temporary: URL
    private let sink: TeeSink
    private let pipe = ChunkPipe()
    private let writer: XMLStreamWriter
    private let writing: CaseWriting
    private let header: Case
    private var totals = TotalsAccumulator()
    private let outcome = ValidationOutcome()
    /// Called with the number of items written so far, every `progressInterval` items.
    public var progress: ((Int) -> Void)?
    /// How many items between calls to `progress` (10,000 unless set).
    public var progressInterval = 10_000
    /// How many items have been written so far.
    public private(set) var itemsWritten = 0

    /// Starts the document: root, header, and the validator thread.
    /// `expectedItems`, when known, sizes the validator's identifier tables once.
    public init(target: URL, header: Case, limits: XMLReadLimits = .standard, expectedItems: Int = 0) throws(HaulXMLError) {
        self.target = target
        self.header = header
        let temporaryFile = try Publishing.temporaryURL(beside: target)
        // Removed if the start fails before the export is whole (once it is, deinit removes it too).
        var started = false
        defer { if !started { Publishing.discard(temporaryFile) } }
        temporary = temporaryFile
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil), let handle = FileHandle(forWritingAtPath: temporary.path) else {
            throw HaulXMLError(.io, "cannot create a file beside \(target.path): check the folder exists and is writable")
        }
        sink = TeeSink(file: handle, pipe: pipe)
        writer = XMLStreamWriter(sink: sink, path: target.path)
        writing = CaseWriting(xml: writer)
        let schema = try CaseFileSchema.shipped()
        let name = target.path
        let pipe = self.pipe
        let outcome = self.outcome
        let thread = Thread {
            // Haul's own writer made these bytes: the scan for hostile shapes is not needed.
            var ownLimits = limits
            ownLimits.scansMarkup = false
            let validator = CaseFileValidator(schema: schema, limits: ownLimits)
            do {
                outcome.result = .success(try validator.check(stream: { pipe.take() }, displayName: name, expectedItems: expectedItems))
            } catch {
                outcome.result = .failure(error as? HaulXMLError ?? HaulXMLError(.io, "the case could not be exported", cause: error))
            }
            // Drain whatever the writer still sends after a refusal, so it never blocks.
            while !pipe.take().isEmpty {}
            outcome.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        try writing.begin(header)
        started = true
    }

    /// An export abandoned part-way (an error while reading the register) leaves nothing behind:
    /// the pipe is closed, so the validating thread reads an end and finishes.
    deinit {
        pipe.close()
        Publishing.discard(temporary)
    }

    /// Opens a seizure: writes its details and starts its items; its own `items` are not written.
    ///
    /// - Parameter seizure: the seizure whose items follow.
    /// - Throws: `HaulXMLError` when the document cannot be written.
    public func beginSeizure(_ seizure: Seizure) throws(HaulXMLError) {
        try writing.beginSeizure(seizure)
    }

    /// Writes one item of the open seizure and counts it towards the totals.
    ///
    /// - Parameter item: the item to write.
    /// - Throws: `HaulXMLError` when the document cannot be written.
    public func item(_ item: Item) throws(HaulXMLError) {
        try writing.write(item)
        totals.add(item)
        itemsWritten += 1
        if itemsWritten % progressInterval == 0 { progress?(itemsWritten) }
    }

    /// Closes the seizure opened by `beginSeizure(_:)`.
    ///
    /// - Throws: `HaulXMLError` when the document cannot be written.
    public func endSeizure() throws(HaulXMLError) { try writing.endSeizure() }

    /// The chain to write as the history, read as it is written; without it, the header's
    /// `history` and `records`.
    public var chain: ChainStream?

    /// Writes the rest (history, confiscation, totals), waits for the validator, and publishes
    /// the file only if it is valid. Returns the number of items.
    ///
    /// - Throws: `HaulXMLError`: `.invalidDocument` when the file does not validate, and nothing
    ///   is published; `.io` when writing failed.
    @discardableResult
    public func finish() throws(HaulXMLError) -> Int {
        try writing.end(header, totals: totals.totals(), chain: chain)
        try writer.finish()
        try? sink.file.close()
        pipe.close()
        outcome.done.wait()
        defer { Publishing.discard(temporary) }
        if let failure = sink.failure { throw HaulXMLError(.io, "writing \(target.path) failed: \(String(cString: strerror(failure))); is the disk full?") }
        let diagnostics = try outcome.result.get()
        guard diagnostics.isEmpty else {
            throw HaulXMLError(.invalidDocument, "the case file for \(header.reference) did not validate, so \(target.path) was not written", diagnostics: diagnostics)
        }
        try Publishing.publish(temporary, as: target)
        return itemsWritten
    }
}

/// Totals by kind, basis and currency, added up item by item (rounded figures, as `Case.totals`).
struct TotalsAccumulator {
    private struct Key: Hashable { var kind: ItemKind; var basis: ValuationBasis; var currency: Currency }
    /// Sums of the figures rounded to their currency's minor unit.
    private struct Sum { var count = 0; var low = FixedDecimal.zero; var central = FixedDecimal.zero; var high = FixedDecimal.zero }
    private var sums = RecentKeyTable<Key, Sum>()

    mutating func add(_ item: Item) {
        for exact in item.valuations where !exact.isUpperBound {
            let key = Key(kind: item.kind, basis: exact.basis, currency: exact.currency)
            let index = sums.index(of: key, adding: Sum())
            sums[index].count += 1
            sums[index].low += exact.low.rounded().amount
            sums[index].central += exact.central.rounded().amount
            sums[index].high += exact.high.rounded().amount
        }
    }

    func totals() -> [ValuationTotal] {
        let kinds = Dictionary(uniqueKeysWithValues: ItemKind.allCases.enumerated().map { ($1, $0) })
        let bases = Dictionary(uniqueKeysWithValues: ValuationBasis.allCases.enumerated().map { ($1, $0) })
        return zip(sums.keys, sums.values).map { key, sum in
            ValuationTotal(kind: key.kind, basis: key.basis, itemCount: sum.count, low: Money(sum.low, key.currency),
                           central: Money(sum.central, key.currency), high: Money(sum.high, key.currency))
        }.sorted {
            (kinds[$0.kind]!, bases[$0.basis]!, $0.central.currency.code) < (kinds[$1.kind]!, bases[$1.basis]!, $1.central.currency.code)
        }
    }
}
