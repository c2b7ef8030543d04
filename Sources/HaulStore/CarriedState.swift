import HaulCore

extension LedgerWriting {
    /// What a write's changes carry over whole from the rows it read: each replaced item is
    /// recorded whole (a sale, an interest, a valuation change the rest of the item with it), and
    /// so are the confiscation inputs.
    package static func carriedState(_ changes: [CaseChange]) -> (items: [Identifier], inputs: Bool) {
        var items: [Identifier] = []
        var inputs = false
        for change in changes {
            switch change {
            case .itemsReplaced(let replaced): items += replaced.map(\.id)
            case .confiscationInputs: inputs = true
            default: break
            }
        }
        return (items, inputs)
    }

    /// Most items whose records are picked out by their ids; a write carrying more reads every record.
    static let mostItemsPickedOut = 16
    /// Records read at a time, newest first, when every record is read. Picked out by their
    /// text, they are read one at a time: a query for 64 would scan back through every record
    /// to find that many, where the last versions are usually among the newest.
    package static let recordsPerPage = 64

    /// The texts a record must contain to bear on the carried state (`nil`: read every record).
    /// An item's id is quoted as JSON writes it (a `/` may be written `\/`); the inputs change
    /// only through four changes; an opening or baseline replaces the case whole.
    package static func recordNeedles(items: [Identifier], inputs: Bool) -> [String]? {
        guard items.count <= mostItemsPickedOut else { return nil }
        var needles: [String] = []
        for id in items {
            needles.append("\"\(id.value)\"")
            if id.value.contains("/") { needles.append("\"\(id.value.replacingOccurrences(of: "/", with: "\\/"))\"") }
        }
        if inputs { needles += ["\"confiscationInputs\"", "\"paymentAdded\""] }
        return needles + ["\"opened\"", "\"baseline\""]
    }

    /// Refuses a write that would record, as its own, state the rows hold but the chain does not.
    ///
    /// A write plans its change against the rows (cheap to read) and records replaced items and
    /// the confiscation inputs whole. A row edited outside Haul (with the `sqlite3` shell, or
    /// `psql` by a role the server lets update rows) would otherwise pass into the chain with the
    /// next write and `haul audit` would find nothing: so each carried item, and the inputs, are
    /// checked against their last version in the chain first, inside the write's transaction.
    /// The records are read newest first, and only until each has its last version.
    ///
    /// - Parameters:
    ///   - changes: what the write is about to record.
    ///   - loaded: the case as the write read it from the rows, before its plan ran.
    ///   - records: up to `limit` of the case's records before sequence `before` (from the head
    ///     when nil), newest first, that contain any of the texts given (every record when nil).
    /// - Throws: `StoreError` `.brokenChain` naming what differs; nothing is to be recorded.
    package static func refuseUnchainedState(_ changes: [CaseChange], loaded: Case, pageSize given: Int? = nil,
                                             records: (_ containingAny: [String]?, _ before: Int?, _ limit: Int) throws -> [RecordEvent]) throws {
        let (items, inputs) = carriedState(changes)
        guard !items.isEmpty || inputs else { return }
        var pending = Set(items)
        var chainItems: [Identifier: (item: Item, sequence: Int)] = [:]
        // The inputs: the last change that set them whole, then the payments added after it.
        var inputsPending = inputs
        var laterPayments: [Payment] = []
        var chainInputs = ConfiscationInputs()
        var inputsSequence = 0
        func note(_ item: Item, _ sequence: Int) {
            guard pending.remove(item.id) != nil else { return }
            var stored = item
            stored.status = nil
            chainItems[item.id] = (stored, sequence)
        }
        func setInputs(_ set: ConfiscationInputs, _ sequence: Int) {
            guard inputsPending else { return }
            chainInputs = set
            chainInputs.payments += laterPayments.reversed()
            if inputsSequence == 0 { inputsSequence = sequence }
            inputsPending = false
        }
        let needles = recordNeedles(items: items, inputs: inputs)
        let pageSize = given ?? (needles == nil ? recordsPerPage : 1)
        var before: Int?
        reading: while !pending.isEmpty || inputsPending {
            let page = try records(needles, before, pageSize)
            for record in page {
                before = record.sequence
                for change in try record.changes().reversed() {
                    switch change {
                    case .itemsReplaced(let replaced):
                        for item in replaced.reversed() { note(item, record.sequence) }
                    case .itemsAdded(let seizures):
                        for seizure in seizures.reversed() { for item in seizure.items.reversed() { note(item, record.sequence) } }
                    case .opened(let whole), .baseline(let whole):
                        // The case replaced whole: what it holds is all there was before what came later.
                        for seizure in whole.seizures { for item in seizure.items { note(item, record.sequence) } }
                        pending.removeAll()
                        setInputs(whole.confiscationInputs, record.sequence)
                    case .confiscationInputs(let set):
                        setInputs(set, record.sequence)
                    case .paymentAdded(let payment):
                        if inputsPending {
                            laterPayments.append(payment)
                            if inputsSequence == 0 { inputsSequence = record.sequence }
                        }
                    case .personAdded, .proceedings:
                        break
                    }
                }
                if pending.isEmpty && !inputsPending { break reading }
            }
            if page.count < pageSize { break }
        }
        // A chain that never set the inputs whole: what the payments alone make of none.
        setInputs(ConfiscationInputs(), 0)
        let consequence = "the rows were edited outside Haul, and this write would have recorded the edit as its own; nothing was recorded (haul audit names every difference)"
        for id in items {
            // An item the case does not have is the plan's to refuse.
            guard var stored = loaded.locate(id)?.item else { continue }
            stored.status = nil
            guard let chain = chainItems[id] else {
                throw StoreError(.brokenChain, "case \(loaded.reference): item \(id) has a row, but no record of the chain holds it; \(consequence)")
            }
            guard stored != chain.item else { continue }
            throw StoreError(.brokenChain, "case \(loaded.reference): the rows and the chain differ in \(CaseLedger.itemDifference(stored, chain.item)) (the chain's last version is in record \(chain.sequence)); \(consequence)")
        }
        if inputs, loaded.confiscationInputs != chainInputs {
            throw StoreError(.brokenChain, "case \(loaded.reference): the rows and the chain differ in the confiscation inputs\(inputsSequence > 0 ? " (last set by record \(inputsSequence))" : ""); \(consequence)")
        }
    }
}
