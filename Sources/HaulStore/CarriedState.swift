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

    /// The texts a record must contain to bear on the carried state (`nil`: read every record).
    /// An item's id is quoted as JSON writes it (a `/` may be written `\/`); the inputs change
    /// only through these four changes.
    package static func recordNeedles(items: [Identifier], inputs: Bool) -> [String]? {
        guard items.count <= mostItemsPickedOut else { return nil }
        var needles: [String] = []
        for id in items {
            needles.append("\"\(id.value)\"")
            if id.value.contains("/") { needles.append("\"\(id.value.replacingOccurrences(of: "/", with: "\\/"))\"") }
        }
        if inputs { needles += ["\"confiscationInputs\"", "\"paymentAdded\"", "\"opened\"", "\"baseline\""] }
        return needles
    }

    /// Refuses a write that would record, as its own, state the rows hold but the chain does not.
    ///
    /// A write plans its change against the rows (cheap to read) and records replaced items and
    /// the confiscation inputs whole. A row edited outside Haul (with the `sqlite3` shell, or
    /// `psql` by a role the server lets update rows) would otherwise pass into the chain with the
    /// next write and `haul audit` would find nothing: so each carried item, and the inputs, are
    /// checked against their last version in the chain first, inside the write's transaction.
    ///
    /// - Parameters:
    ///   - changes: what the write is about to record.
    ///   - loaded: the case as the write read it from the rows, before its plan ran.
    ///   - records: the case's records in sequence order that contain any of the texts given
    ///     (every record when nil); at least all those a change to the carried state is in.
    /// - Throws: `StoreError` `.brokenChain` naming what differs; nothing is to be recorded.
    package static func refuseUnchainedState(_ changes: [CaseChange], loaded: Case,
                                             records: (_ containingAny: [String]?) throws -> [RecordEvent]) throws {
        let (items, inputs) = carriedState(changes)
        guard !items.isEmpty || inputs else { return }
        let wanted = Set(items)
        var chainItems: [Identifier: (item: Item, sequence: Int)] = [:]
        var chainInputs = ConfiscationInputs()
        var inputsSequence = 0
        func note(_ item: Item, _ sequence: Int) {
            guard wanted.contains(item.id) else { return }
            var stored = item
            stored.status = nil
            chainItems[item.id] = (stored, sequence)
        }
        for record in try records(recordNeedles(items: items, inputs: inputs)) {
            for change in try record.changes() {
                switch change {
                case .opened(let whole), .baseline(let whole):
                    // The case replaced whole: what it holds is all there is from here.
                    chainItems = [:]
                    for seizure in whole.seizures { for item in seizure.items { note(item, record.sequence) } }
                    chainInputs = whole.confiscationInputs
                    inputsSequence = record.sequence
                case .itemsAdded(let seizures):
                    for seizure in seizures { for item in seizure.items { note(item, record.sequence) } }
                case .itemsReplaced(let replaced):
                    for item in replaced { note(item, record.sequence) }
                case .confiscationInputs(let set):
                    chainInputs = set
                    inputsSequence = record.sequence
                case .paymentAdded(let payment):
                    chainInputs.payments.append(payment)
                    inputsSequence = record.sequence
                case .personAdded, .proceedings:
                    break
                }
            }
        }
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
