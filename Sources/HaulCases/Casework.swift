import Foundation
import HaulTables
import HaulCore
import HaulProceedings
import HaulStore
import HaulValuation

/// The library's front door: every change to a case, checked and recorded as one event of its
/// chain, in one transaction with the checks it depends on.
///
/// Each `haul` subcommand parses its arguments, makes one call here and prints the answer; an
/// embedding program makes the same calls.
///
/// ```swift
/// let work = Casework(register: try SQLiteRegister(path: "register.sqlite"), actor: "DC 4471")
/// try work.addPerson(Person(id: "P-1", role: .defendant, name: "A. Smith"), to: "SW-2020-0417")
/// let moved = try work.move(MoveRequest(items: ["I-009"], to: .detained, at: at), in: "SW-2020-0417", rules: rules, valuer: valuer)
/// ```
public struct Casework: Sendable {
    /// The register every change is read from and recorded in (SQLite or PostgreSQL).
    public let register: any Register
    /// Who records: every event carries it.
    public var actor: String
    /// The time events are recorded at (passed in, so tests and replays control it).
    public var clock: @Sendable () -> Date

    /// Makes the front door for one register and one person recording.
    ///
    /// - Parameters:
    ///   - register: the register the cases are kept in.
    ///   - actor: who records; every event carries it.
    ///   - clock: gives the time events are recorded at; the system clock unless a test or replay passes its own.
    public init(register: any Register, actor: String, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.register = register
        self.actor = actor
        self.clock = clock
    }

    // MARK: Opening and intake

    /// Opens a new case (header only, or with seizures and people, each recorded).
    @discardableResult
    public func open(_ operation: Case, reason: String = "opened") throws -> RecordEvent {
        try operation.checkBounds()
        // CASE/ITEM and CASE/N name an item or an event of a case: a reference with a "/" in it
        // would make those names ambiguous.
        if operation.reference.value.contains("/") {
            throw CaseworkError(.invalid, "the case reference \(operation.reference) holds a \"/\", which CASE/ITEM and CASE/N use to name an item or event; use another character, such as \(operation.reference.value.replacingOccurrences(of: "/", with: "-"))")
        }
        let now = clock()
        let today = try HappenedCheck.today(now, in: operation.jurisdiction)
        guard operation.openedOn <= today else {
            throw CaseworkError(.notAllowed, "the case is opened on \(operation.openedOn), after today (\(today)); open it on the day it is opened")
        }
        for seizure in operation.seizures { try HappenedCheck.refuse(seizure, now: now) }
        try refuseFuture(operation.confiscationInputs, before: ConfiscationInputs(), in: operation)
        try operation.confiscationInputs.refuseFinerThanTheirUnit(before: ConfiscationInputs())
        try HappenedCheck.refuseOrderBeforeConviction(operation.confiscationInputs.order, operation.proceedings?.convictedOn, in: operation.jurisdiction)
        return try register.open(operation, actor: actor, reason: reason, recordedAt: now)
    }

    /// Adds one item to a seizure of the case; `newSeizure` (without items) when the seizure is
    /// not yet in the case. Refused if the id or exhibit is taken or the seizure's agency is not
    /// the case's.
    @discardableResult
    public func addItem(_ item: Item, to reference: Identifier, seizure: Identifier, newSeizure: Seizure? = nil) throws -> Case {
        try item.checkBounds()
        try newSeizure?.checkBounds()
        if let newSeizure { try HappenedCheck.refuse(newSeizure, now: clock()) }
        return try register.record(reference, kind: "items-added", actor: actor, reason: "item \(item.id) seized", recordedAt: clock(),
                            scope: .skeleton) { operation in
            // The register refuses an id or exhibit the case already has (it sees every item;
            // this plan sees none of them).
            if var existing = operation.seizures.first(where: { $0.id == seizure }) {
                existing.items = [item]
                return [.itemsAdded([existing])]
            }
            guard var created = newSeizure else {
                throw CaseworkError(.notFound, "seizure \(seizure) is new: give --at, --place, --power, --officer and --agency")
            }
            guard operation.agencies.contains(where: { $0.id == created.agency }) else {
                throw CaseworkError(.notFound, "the case has no agency '\(created.agency)'; it has \(operation.agencies.map(\.id.value).joined(separator: ", "))")
            }
            created.items = [item]
            return [.itemsAdded([created])]
        }.case
    }

    /// The all-or-nothing intake of an exhibit sheet: every row checked against the case as it
    /// stands in the transaction that records them.
    /// - Parameters:
    ///   - text: the sheet's text (`SheetText` in HaulTables decodes a file's bytes into it).
    ///   - file: the sheet's name as problems should cite it (`file:line:column`).
    ///   - reference: the case the rows are added to.
    ///   - separator: the sheet's field separator: a comma or a tab.
    /// - Returns: What was added, or every problem found (then nothing is recorded).
    /// - Throws: When the case cannot be read or the register refuses the write.
    public func intake(text: String, file: String, into reference: Identifier, separator: UInt8 = UInt8(ascii: ",")) throws -> ExhibitIntake.Outcome {
        var outcome: ExhibitIntake.Outcome?
        do {
            try register.record(reference, kind: "items-added", actor: actor, reason: "items from \(file)", recordedAt: clock(), scope: .all) { operation in
                let result = ExhibitIntake.apply(text: text, file: file, to: operation, separator: separator, now: clock())
                outcome = result
                guard result.problems.isEmpty else { throw IntakeRefused() }
                let added = Self.added(from: operation, to: result.case)
                let known = Set(operation.seizures.map(\.id))
                for seizure in added where !known.contains(seizure.id) { try HappenedCheck.refuse(seizure, now: clock()) }
                return [.itemsAdded(added)]
            }
        } catch is IntakeRefused {}
        return outcome!
    }

    private struct IntakeRefused: Error {}

    /// The seizures of `after` holding only the items `before` lacks.
    static func added(from before: Case, to after: Case) -> [Seizure] {
        let known = Set(before.items.map(\.id))
        return after.seizures.compactMap { seizure in
            var fresh = seizure
            fresh.items = seizure.items.filter { !known.contains($0.id) }
            return fresh.items.isEmpty ? nil : fresh
        }
    }

    // MARK: People

    /// Adds a person to the case, recorded as a `person-added` event. Refused if the case already
    /// has a person with that id.
    ///
    /// - Parameters:
    ///   - person: the person to add, with their role.
    ///   - reference: the case they are added to.
    /// - Throws: `CaseworkError` when the id is taken, `HaulCoreError` when the name does not fit
    ///   the case file (1 to 200 characters), or the register's error when the case cannot be read or written.
    public func addPerson(_ person: Person, to reference: Identifier) throws {
        try register.record(reference, kind: "person-added", actor: actor, reason: "person \(person.id) added (\(person.role.rawValue))", recordedAt: clock(),
                            scope: .skeleton) { operation in
            if operation.people.contains(where: { $0.id == person.id }) { throw CaseworkError(.duplicate, "case \(reference) already has a person \(person.id)") }
            try SchemaBounds.shortText.check(person.name, "the name of \(person.id)")
            // The case file would carry a line break, but a name is one line on every list and document.
            if person.name.unicodeScalars.contains(where: { ["\n", "\r", "\t", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }) {
                throw CaseworkError(.invalid, "the name of \(person.id) holds a line break or tab; give the name on one line")
            }
            return [.personAdded(person)]
        }
    }

    /// Records a person's interest in an item (one of each kind per person and item: recording
    /// it again replaces it). Refused if owners' shares would pass 100 %.
    @discardableResult
    public func recordInterest(_ interest: Interest, in reference: Identifier, item itemID: Identifier, description: String) throws -> (item: Item, case: Case) {
        var updated: Item?
        let result = try register.record(reference, kind: "interest", actor: actor, reason: "interest of \(interest.person) in \(itemID): \(description)",
                                         recordedAt: clock(), scope: .items([itemID])) { operation in
            guard operation.people.contains(where: { $0.id == interest.person }) else {
                throw CaseworkError(.notFound, "case \(reference) has no person \(interest.person); add them with haul person add")
            }
            // What the case file carries of an interest: a percentage, a sum, a short note.
            if let percent = interest.percent { try SchemaBounds.percent.check(percent, "the owner's share") }
            if let amount = interest.amount {
                try SchemaBounds.amount.check(amount.amount, "the charge")
                try amount.checkWholeMinorUnits("the charge")
            }
            if let note = interest.note { try SchemaBounds.shortText.check(note, "the interest's note") }
            guard var item = operation.locate(itemID)?.item else { throw CaseworkError(.notFound, "case \(reference) has no item \(itemID)") }
            item.interests.removeAll { $0.person == interest.person && $0.kind == interest.kind }
            item.interests.append(interest)
            let owned = item.interests.filter { $0.kind == .owner }.reduce(FixedDecimal(0)) { $0 + ($1.percent ?? 0) }
            if owned > 100 {
                throw CaseworkError(.notAllowed, "the owners' shares of \(itemID) would add up to \(DecimalText.plain(owned)) %; nothing recorded")
            }
            updated = item
            return [.itemsReplaced([item])]
        }
        return (updated!, result.case)
    }

    /// Records the case's one defendant as owner of `percent` of an item (what `confiscation
    /// share` meant before interests), the defendant found inside the transaction that records it.
    /// Refused when the case has no defendant or several: then the owner must be named.
    @discardableResult
    public func recordDefendantShare(_ percent: FixedDecimal, in reference: Identifier, item itemID: Identifier) throws -> (item: Item, case: Case, defendant: Identifier) {
        var updated: Item?
        var defendant: Identifier?
        let result = try register.record(reference, kind: "interest", actor: actor, reason: "the defendant's share of \(itemID): \(DecimalText.plain(percent)) %",
                                         recordedAt: clock(), scope: .items([itemID])) { operation in
            let defendants = operation.people.filter { $0.role == .defendant }
            guard defendants.count == 1, let only = defendants.first else {
                throw CaseworkError(.invalid, "case \(reference) has \(defendants.isEmpty ? "no defendant" : "\(defendants.count) defendants"); name the owner: haul interest \(itemID) --person ID --owner \(DecimalText.plain(percent))")
            }
            try SchemaBounds.percent.check(percent, "the owner's share")
            guard var item = operation.locate(itemID)?.item else { throw CaseworkError(.notFound, "case \(reference) has no item \(itemID)") }
            item.interests.removeAll { $0.person == only.id && $0.kind == .owner }
            item.interests.append(Interest(person: only.id, kind: .owner, percent: percent))
            let owned = item.interests.filter { $0.kind == .owner }.reduce(FixedDecimal(0)) { $0 + ($1.percent ?? 0) }
            if owned > 100 {
                throw CaseworkError(.notAllowed, "the owners' shares of \(itemID) would add up to \(DecimalText.plain(owned)) %; nothing recorded")
            }
            updated = item
            defendant = only.id
            return [.itemsReplaced([item])]
        }
        return (updated!, result.case, defendant!)
    }

    /// Records the court proceedings (the whole of them, replacing any recorded before), the
    /// defendants checked against the case's people inside the transaction that records them.
    @discardableResult
    public func recordProceedings(_ proceedings: Proceedings, in reference: Identifier, reason: String = "the proceedings recorded") throws -> Case {
        try proceedings.checkBounds()
        return try register.record(reference, kind: "proceedings", actor: actor, reason: reason, recordedAt: clock(), scope: .skeleton) { operation in
            try proceedings.checkDefendants(in: operation)
            // Judged only when the conviction changes: an order recorded earlier never blocks a later write.
            if proceedings.convictedOn != operation.proceedings?.convictedOn {
                try HappenedCheck.refuseOrderBeforeConviction(operation.confiscationInputs.order, proceedings.convictedOn, in: operation.jurisdiction)
            }
            return [.proceedings(proceedings)]
        }.case
    }

    // MARK: Valuation

    /// Values every item on its seizure date and records the figures that changed (each item's
    /// previous figures kept in its trail with `day` and `reason`).
    ///
    /// - Returns: The valuation (of the case as it stood in the transaction) and the records
    ///   (one per 40 items changed; none when no figure changed).
    public func saveValuation(of reference: Identifier, valuer: Valuer, day: CalendarDate, reason: String) throws -> (result: CaseValuer.Result, records: [RecordEvent]) {
        var result: CaseValuer.Result?
        do {
            let recorded = try register.record(reference, kind: "valued", actor: actor, reason: reason, recordedAt: clock(), scope: .all) { operation in
                let valued = CaseValuer(valuer: valuer).value(operation, on: nil, trail: (day: day, reason: reason))
                result = valued
                let changed = Self.changedItems(from: operation, to: valued.valued)
                if changed.isEmpty { throw NothingChanged() }
                // A case file's totals are Amounts too: figures each within bounds can add up beyond
                // them, and a case that could no longer be exported is not recorded.
                for total in valued.valued.totals() where total.high.amount > SchemaBounds.amount.maximum {
                    throw CaseworkError(.invalid, "the \(total.kind.rawValue) / \(total.basis.rawValue) total of \(total.itemCount) items would come to \(total.high.readable), "
                                        + "beyond the \(DecimalText.plain(SchemaBounds.amount.maximum)) a case file can hold; check the amounts (nothing recorded)")
                }
                return [.itemsReplaced(changed)]
            }
            return (result!, recorded.records)
        } catch is NothingChanged {
            return (result!, [])
        }
    }

    private struct NothingChanged: Error {}

    static func changedItems(from before: Case, to after: Case) -> [Item] {
        zip(before.items, after.items).compactMap { old, new in old == new ? nil : new }
    }

    /// Values one item again (after a lab result, a table update), keeping its previous figures
    /// in its trail; `purity` replaces a drug's purity first. Nothing is recorded when the
    /// figures and details are unchanged.
    public func revalue(_ itemID: Identifier, in reference: Identifier, purity: Purity?, on date: CalendarDate?, valuer: Valuer,
                        day: CalendarDate, reason: String) throws -> (before: Item, after: Item, recorded: Bool) {
        // The reason becomes the earlier valuation's reason in the case file (a ShortText).
        try SchemaBounds.shortText.check(reason, "the reason for revaluing")
        var before: Item?
        var after: Item?
        do {
            try register.record(reference, kind: "revalued", actor: actor, reason: "revalued \(itemID): \(reason)", recordedAt: clock(),
                                scope: .items([itemID])) { stored in
                var operation = stored
                guard let item = operation.locate(itemID)?.item else { throw CaseworkError(.notFound, "case \(reference) has no item \(itemID)") }
                // A value is what the item was worth on a day that has come: a later day is a mistake.
                if let date, date > (try HappenedCheck.today(clock(), in: operation.jurisdiction)) {
                    throw CaseworkError(.notAllowed, "\(itemID) cannot be valued on \(date), a day still to come; give --on a day up to today, or leave it out to value on the seizure date")
                }
                before = item
                if let purity {
                    guard case .drug(var drug) = item.details else { throw CaseworkError(.invalid, "\(itemID) is not a drug; --purity applies to drugs only") }
                    // A counted drug (tablets, squares, plants) is priced by the unit, whatever its purity.
                    if case .count = drug.quantity {
                        throw CaseworkError(.invalid, "\(itemID) is counted, not weighed: its price is by the unit and no purity changes it; --purity applies to drugs weighed")
                    }
                    drug.purity = purity
                    operation.updateItem(itemID) { $0.details = .drug(drug) }
                }
                let result = CaseValuer(valuer: valuer).value(operation, on: date, trail: (day: day, reason: reason), only: [itemID])
                after = result.valued.locate(itemID)?.item
                guard let after, after.valuations != item.valuations || after.details != item.details else { throw NothingChanged() }
                return [.itemsReplaced([after])]
            }
            return (before!, after!, true)
        } catch is NothingChanged {
            return (before!, after ?? before!, false)
        }
    }

    // MARK: Confiscation inputs

    /// Records a confiscation input: `change` edits the inputs as they stand in the transaction.
    ///
    /// - Parameters:
    ///   - reference: the case.
    ///   - kind: what is recorded (`benefit`, `gift`, `obligation`, `share`, `order`,
    ///     `extension`, `payment`, `joint-benefit`, `benefit-item`).
    ///   - reason: why, as the chain records it.
    ///   - change: edits the inputs, given the case as it stands in the transaction; throwing
    ///     refuses the write and records nothing.
    /// - Returns: The case as recorded.
    @discardableResult
    public func recordConfiscation(_ reference: Identifier, kind: String, reason: String,
                                   _ change: @escaping (inout ConfiscationInputs, Case) throws -> Void) throws -> Case {
        try register.record(reference, kind: kind, actor: actor, reason: reason, recordedAt: clock(), scope: .skeleton) { operation in
            var inputs = operation.confiscationInputs
            try change(&inputs, operation)
            try inputs.checkBounds()
            try inputs.refuseFinerThanTheirUnit(before: operation.confiscationInputs)
            try refuseFuture(inputs, before: operation.confiscationInputs, in: operation)
            try refuseOrderDates(inputs.order, before: operation.confiscationInputs.order)
            // Judged only when the order's date changes, likewise.
            if inputs.order?.madeOn != operation.confiscationInputs.order?.madeOn {
                try HappenedCheck.refuseOrderBeforeConviction(inputs.order, operation.proceedings?.convictedOn, in: operation.jurisdiction)
            }
            // Payments are made under the order: an order re-recorded with a later date may not
            // leave an earlier payment behind it.
            if let order = inputs.order, let early = inputs.payments.first(where: { $0.paidOn < order.madeOn }) {
                throw CaseworkError(.notAllowed, "the payment of \(early.paidOn) would come before the order \(order.reference) made \(order.madeOn); correct the order's date or the payment")
            }
            return [.confiscationInputs(inputs)]
        }.case
    }

    /// Records a benefit obtained jointly with the defendants of other cases (R v Ahmad [2014]
    /// UKSC 36), replacing any recorded before: what they pay towards it is read from their cases
    /// whenever the figures are worked out, so each must be a case in this register.
    ///
    /// - Parameters:
    ///   - joint: The joint benefit and the co-defendants' cases.
    ///   - reference: The case it is recorded in.
    /// - Returns: The case as recorded.
    /// - Throws: `CaseworkError` (`invalid`) for no co-defendant's case or the case itself among
    ///   them, (`not-found`) for a case this register does not hold; what the register throws.
    @discardableResult
    public func recordJointBenefit(_ joint: JointBenefit, in reference: Identifier) throws -> Case {
        guard !joint.withCases.isEmpty else { throw CaseworkError(.invalid, "a joint benefit needs at least one co-defendant's case") }
        guard !joint.withCases.contains(reference) else { throw CaseworkError(.invalid, "case \(reference) cannot be its own co-defendant's") }
        // Checked before the write: a case, once in the register, is never taken out of it (the
        // register log chains them), so what is found here still holds when the record is made.
        for other in joint.withCases where try register.listing(of: other) == nil {
            throw CaseworkError(.notFound, "the co-defendant's case \(other) is not in this register; import or open it first, so that its payments count")
        }
        return try recordConfiscation(reference, kind: "joint-benefit", reason: "joint benefit \(joint.amount.formatted) with \(joint.withCases.map(\.value).joined(separator: ", "))") { inputs, _ in
            inputs.joint = joint
        }
    }

    /// Refuses an order whose own dates run backwards: time to pay ending before the order was
    /// made, an application to extend it made before the order, an extension that ends no later
    /// than the time it extends. Judged only where a date changed, so an order recorded earlier
    /// never blocks a later write.
    func refuseOrderDates(_ order: OrderDetails?, before: OrderDetails?) throws {
        guard let order else { return }
        let changed = { (path: KeyPath<OrderDetails, CalendarDate?>) in order[keyPath: path] != before?[keyPath: path] || order.madeOn != before?.madeOn }
        if let until = order.timeToPayUntil, until < order.madeOn, changed(\.timeToPayUntil) {
            throw CaseworkError(.invalid, "time to pay until \(until) would end before the order \(order.reference) was made (\(order.madeOn))")
        }
        if let applied = order.extensionAppliedOn, applied < order.madeOn, changed(\.extensionAppliedOn) {
            throw CaseworkError(.invalid, "the application to extend the time to pay is dated \(applied), before the order \(order.reference) was made (\(order.madeOn))")
        }
        let due = order.timeToPayUntil ?? order.madeOn
        if let extended = order.extendedUntil, extended <= due, changed(\.extendedUntil) || changed(\.timeToPayUntil) {
            throw CaseworkError(.invalid, "an extension until \(extended) does not extend the time to pay, which ends on \(due); give the day the extended time ends")
        }
    }

    /// Refuses inputs that say something happened after today (in the case's own time zone), or an
    /// extension decided before it was applied for: only what has happened is recorded, as a
    /// status move dated in the future is refused. Only dates `before` did not hold are judged,
    /// so an input recorded earlier never blocks a later write.
    func refuseFuture(_ inputs: ConfiscationInputs, before: ConfiscationInputs, in operation: Case) throws {
        func happened(_ inputs: ConfiscationInputs) -> [(what: String, date: CalendarDate)] {
            var dates = inputs.benefits.map { ("a benefit obtained", $0.obtainedOn) } + inputs.gifts.map { ("a gift given", $0.obtainedOn) }
            dates += inputs.realisations.map { ("a sale", $0.soldOn) } + inputs.payments.map { ("a payment", $0.paidOn) }
            if let order = inputs.order {
                dates.append(("the order made", order.madeOn))
                if let applied = order.extensionAppliedOn { dates.append(("the application to extend made", applied)) }
                if let decided = order.extensionDecidedOn { dates.append(("the extension decided", decided)) }
            }
            return dates
        }
        let today = try HappenedCheck.today(clock(), in: operation.jurisdiction)
        // Counted, not looked up: a second payment on a future day already held is still new.
        var held: [String: Int] = [:]
        for (what, date) in happened(before) where date > today { held["\(what) \(date)", default: 0] += 1 }
        for (what, date) in happened(inputs) where date > today {
            let key = "\(what) \(date)"
            guard let count = held[key], count > 0 else {
                throw CaseworkError(.notAllowed, "\(what) on \(date) is after today (\(today)); record it once it has happened")
            }
            held[key] = count - 1
        }
        if let order = inputs.order, let applied = order.extensionAppliedOn, let decided = order.extensionDecidedOn, decided < applied,
           before.order?.extensionDecidedOn != decided || before.order?.extensionAppliedOn != applied {
            throw CaseworkError(.invalid, "the extension is decided on \(decided), before it was applied for on \(applied)")
        }
    }

    /// Records a payment towards the order (the record carries only the payment).
    @discardableResult
    public func recordPayment(_ payment: Payment, in reference: Identifier) throws -> Case {
        try register.record(reference, kind: "payment", actor: actor, reason: "payment of \(payment.amount.formatted) on \(payment.paidOn)",
                            recordedAt: clock(), scope: .skeleton) { operation in
            // A payment is made under an order (s.6); checked in the transaction that records it.
            guard let order = operation.confiscationInputs.order else {
                throw CaseworkError(.notAllowed, "case \(reference) has no confiscation order to pay; record the order first (haul confiscation order)")
            }
            guard payment.amount.amount > 0 else {
                throw CaseworkError(.invalid, "a payment of \(payment.amount.readable) pays nothing; record what was paid")
            }
            var inputs = operation.confiscationInputs
            inputs.payments.append(payment)
            try inputs.checkBounds()
            try inputs.refuseFinerThanTheirUnit(before: operation.confiscationInputs)
            try refuseFuture(inputs, before: operation.confiscationInputs, in: operation)
            guard payment.paidOn >= order.madeOn else {
                throw CaseworkError(.notAllowed, "the payment of \(payment.paidOn) is dated before the order \(order.reference) was made (\(order.madeOn))")
            }
            return [.paymentAdded(payment)]
        }.case
    }

    /// Records a sale: the realisation among the inputs, and the item revalued at what it
    /// fetched net of costs (its estimates kept in its trail), in one event.
    ///
    /// - Parameters:
    ///   - sale: The item, the day, the gross proceeds and the costs.
    ///   - reference: The case.
    ///   - replacing: Why a sale of the item recorded before is replaced by this one; a second
    ///     sale without it is refused.
    /// - Returns: The case as recorded.
    /// - Throws: `CaseworkError` for an item the case lacks, costs above the proceeds, a sale
    ///   before the seizure, a drug, a sale already recorded without `replacing`; what the
    ///   register throws.
    @discardableResult
    public func recordSale(_ sale: Realisation, in reference: Identifier, replacing: String? = nil) throws -> Case {
        let net = Money(sale.gross.amount - sale.costs.amount, sale.gross.currency)
        guard net.amount >= 0 else { throw CaseworkError(.invalid, "the costs (\(sale.costs.formatted)) are more than the gross proceeds (\(sale.gross.formatted))") }
        let realised = try Valuation(basis: .realised, valuedOn: sale.soldOn, low: net, central: net, high: net,
                                     sources: [PriceSource(table: "sale", line: nil, effectiveFrom: sale.soldOn, confidence: .verified,
                                                           citation: "sold on \(sale.soldOn) for \(sale.gross.formatted), costs \(sale.costs.formatted)")])
        let reason = "sale of \(sale.item)" + (replacing.map { ", replacing the sale recorded before: \($0)" } ?? "")
        return try register.record(reference, kind: "sale", actor: actor, reason: reason, recordedAt: clock(),
                                   scope: .items([sale.item])) { operation in
            guard let located = operation.locate(sale.item) else { throw CaseworkError(.notFound, "case \(reference) has no item \(sale.item)") }
            var item = located.item
            // A sale comes after the seizure (in the case's own time zone), and drugs are never sold.
            let seizedOn = located.seizure.seizedAt.date
            guard sale.soldOn >= seizedOn else {
                throw CaseworkError(.notAllowed, "\(sale.item) was seized on \(seizedOn); a sale on \(sale.soldOn) would come before it")
            }
            if case .drug = item.details {
                throw CaseworkError(.notAllowed, "\(sale.item) is a controlled drug: seized drugs are destroyed, not sold, and count at nil in the available amount (R v Islam [2009] UKHL 30)")
            }
            var inputs = operation.confiscationInputs
            if let earlier = inputs.realisations.first(where: { $0.item == sale.item }), replacing == nil {
                throw CaseworkError(.notAllowed, "\(sale.item) was already sold on \(earlier.soldOn) for \(earlier.gross.readable) (costs \(earlier.costs.readable)); "
                                    + "to record this sale in its place, say why with --replacing REASON (the chain keeps both)")
            }
            inputs.realisations.removeAll { $0.item == sale.item }
            inputs.realisations.append(sale)
            try inputs.checkBounds()
            try inputs.refuseFinerThanTheirUnit(before: operation.confiscationInputs)
            try refuseFuture(inputs, before: operation.confiscationInputs, in: operation)
            item.revalue(with: [realised], on: sale.soldOn, reason: "sold on \(sale.soldOn)")
            return [.confiscationInputs(inputs), .itemsReplaced([item])]
        }.case
    }

    // MARK: Moves

    /// Moves items (or every item of a seizure) to a new state under their rule pack, checked
    /// against the case as it stands inside the transaction that records the move.
    @discardableResult
    public func move(_ request: MoveRequest, in reference: Identifier, rules: RuleBook, valuer: Valuer) throws -> (event: StatusEvent, case: Case) {
        try move(request, in: reference, rules: rules, lazyValuer: { valuer })
    }

    /// The same, the valuer made only if a minimum needs one (see ``MovePlanner``, whose initialiser takes the valuer as a closure).
    @discardableResult
    public func move(_ request: MoveRequest, in reference: Identifier, rules: RuleBook, lazyValuer: @escaping () throws -> Valuer) throws -> (event: StatusEvent, case: Case) {
        // A minimum is judged across the seizure: a seizure's move reads it whole; an item's move
        // reads the item and its seizure's figures (not every item of the seizure).
        let scope: LoadScope = request.seizure.map { .seizures([$0]) } ?? .items(request.items)
        let now = clock()
        return try register.move(reference, recordedAt: now, scope: scope) { operation, figures in
            try MovePlanner(rules: rules, valuer: lazyValuer).plan(request, in: operation, seizureFigures: request.seizure == nil ? figures : nil, actor: actor, now: now)
        }
    }

    /// Corrects status move `sequence`: a new event that supersedes it, refused if any later
    /// move of the same items would no longer be allowed.
    @discardableResult
    public func correct(_ request: CorrectionRequest, in reference: Identifier, rules: RuleBook, valuer: Valuer) throws -> (original: StatusEvent, event: StatusEvent, case: Case) {
        if let at = request.at { try HappenedCheck.refuse(at, now: clock(), "the corrected move", "a move") }
        var original: StatusEvent?
        // Events never change once appended, so the corrected event's items can be read first.
        let named = try register.events(of: reference).first { $0.sequence == request.sequence }?.items
        let result = try register.move(reference, recordedAt: clock(), scope: named.map { .seizuresOf($0) } ?? .all) { operation in
            let planned = try MovePlanner(rules: rules, valuer: valuer).correction(request, in: operation, actor: actor)
            original = planned.original
            return planned.draft
        }
        return (original!, result.event, result.case)
    }

    // MARK: Confiscation figures

    /// The confiscation position of `operation` as of `asOf`, worked out from its inputs and,
    /// for a joint benefit, the co-defendants' payments read from their cases in this register.
    /// Stores nothing.
    public func confiscationFigures(of operation: Case, asOf: CalendarDate, rules: ConfiscationRules, book: PriceBook) throws -> ConfiscationFigures {
        let calculator = ConfiscationCalculator(rules: rules, currency: book.manifest.currency) { book.indexPoint(onOrBefore: $0) }
        var coDefendantPayments: [Payment] = []
        var absent: [Identifier] = []
        for other in operation.confiscationInputs.joint?.withCases ?? [] {
            do { coDefendantPayments += try register.loadState(other, scope: .skeleton).confiscationInputs.payments } catch {
                guard error.code == .notFound else { throw error }
                absent.append(other)
            }
        }
        var figures = try calculator.compute(operation, asOf: asOf, coDefendantPayments: coDefendantPayments)
        // A case imported without its co-defendants' is still worked out, shown and exported: what
        // they paid is left out, which can only overstate what is outstanding, and the figures say so.
        for other in absent {
            figures.lines.append(ConfiscationLine(section: .flag, basis: ConfiscationFigures.ahmadBasis,
                                                  description: "The co-defendant's case \(other) is not in this register: what its defendant paid towards the joint benefit is not counted",
                                                  note: "import the case (haul import) so its payments count; until then the outstanding figure may be too high"))
        }
        return figures
    }

    // MARK: Import and audit

    /// Imports a case file's case with its chain as it was (verified first).
    public func importCase(_ operation: Case) throws {
        try register.importCase(operation, actor: actor, recordedAt: clock())
    }

    /// Imports a case file read item by item (`read` hands each item on as it reads it; in the
    /// command line, `CaseFileReader.stream`), so a file of a million items imports in flat memory.
    ///
    /// - Parameters:
    ///   - provenance: Where the file came from and what its signature showed, kept with the case.
    ///   - read: Reads the file, handing each item to its argument (case reference, seizure
    ///     position, seizure id, item) as it goes, and returns the case without its items.
    /// - Returns: The case as stored, how many items and how many events were imported.
    /// - Throws: The reader's error, or `StoreError` when the register refuses the case; nothing is
    ///   stored then.
    @discardableResult
    public func importCase(provenance: String? = nil,
                           streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case) throws -> (case: Case, items: Int, events: Int) {
        try register.importCase(actor: actor, recordedAt: clock(), provenance: provenance, streaming: read)
    }

    /// Imports a case file into a new SQLite register at `path`, built beside it and named only
    /// when complete, each page written once (see `SQLiteRegister.importCase(intoNewRegisterAt:…)`).
    ///
    /// - Parameters:
    ///   - path: Where the register is to be.
    ///   - actor: Who imports the case.
    ///   - provenance: Where the file came from and what its signature showed, kept with the case.
    ///   - clock: When it is recorded.
    ///   - read: As ``importCase(provenance:streaming:)`` takes it.
    /// - Returns: Casework on the new register and what was imported; nil when a register is at
    ///   `path` (import into it with ``importCase(provenance:streaming:)``).
    /// - Throws: The reader's error, or `StoreError`; nothing is left at `path` then.
    public static func importCase(intoNewRegisterAt path: String, actor: String, provenance: String? = nil,
                                  clock: @escaping @Sendable () -> Date = { Date() },
                                  streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case)
        throws -> (work: Casework, case: Case, items: Int, events: Int)? {
        guard let made = try SQLiteRegister.importCase(intoNewRegisterAt: path, actor: actor, recordedAt: clock(), provenance: provenance, streaming: read) else {
            return nil
        }
        return (Casework(register: made.register, actor: actor, clock: clock), made.case, made.items, made.events)
    }

    /// Verifies the register (see `RegisterAudit` in HaulStore).
    public func audit(_ reference: Identifier? = nil, head: String? = nil) throws -> RegisterAudit {
        try register.audit(reference, head: head)
    }
}
