import ArgumentParser
import Foundation
import HaulTables
import HaulCore
import HaulProceedings
import HaulCases
import HaulStore
import HaulValuation

struct ConfiscationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confiscation",
        abstract: "Compute a confiscation order (POCA 2002 Part 2) and record what it is worked from.",
        discussion: """
        `haul confiscation show CASE` prints the whole computation, each line with its statutory basis, \
        and changes nothing: every figure is worked out from the case's chain as it is now, and so are \
        the figures in `case show`, the schedule and the case file. The other subcommands record \
        benefit, gifts, obligations, shares, sales, the order and payments, each an event of the chain.
        """,
        subcommands: [Show.self, Benefit.self, BenefitItem.self, Gift.self, Obligation.self, Share.self, Sale.self, Order.self, Extension.self, Pay.self, Joint.self],
        defaultSubcommand: Show.self
    )

    /// Records a change to a case's inputs as one event, planned against the inputs as they
    /// stand in the transaction that records it.
    static func update(_ register: RegisterOptions, _ reference: String, kind: String, recorded: RecordedJSON, reason: String,
                       _ change: @escaping (inout ConfiscationInputs, Case) throws -> Void) throws {
        let caseReference = try attempt { try Identifier(reference) }
        try attempt { try register.casework(actor: recorded.actor).recordConfiscation(caseReference, kind: kind, reason: reason, change) }
        print(recorded.json ? Output.json(["case": reference, "recorded": kind, "reason": reason]) : "Recorded for case \(reference): \(reason)")
    }

    /// The confiscation position of `operation` as of `asOf` (the library works it out; this
    /// loads the shipped rules and prints their problems). Stores nothing.
    static func figures(_ operation: Case, asOf: CalendarDate, store: any Register, book: PriceBook) throws -> ConfiscationFigures {
        let (rules, problems) = ConfiscationRules.shipped()
        if !problems.isEmpty { problems.forEach { Output.error(Output.describe($0)) }; throw ExitCode(1) }
        let work = Casework(register: store, actor: defaultActor)
        return try attempt { try work.confiscationFigures(of: operation, asOf: asOf, rules: rules, book: book) }
    }

    /// `operation` with its confiscation figures worked out as of `asOf` when it has anything
    /// to work them from (what `case show`, the schedule and exports print).
    static func withFigures(_ operation: Case, asOf: CalendarDate, store: any Register, tables: TableOptions) throws -> Case {
        guard !operation.confiscationInputs.isEmpty else { return operation }
        var result = operation
        let book = try Pricing.book(for: operation.jurisdiction, tables: tables)
        result.confiscation = try figures(operation, asOf: asOf, store: store, book: book)
        return result
    }

    static func amount(_ text: String, _ name: String) throws -> Money {
        do { return try Money(parsing: text, currency: .gbp) } catch { throw ValidationError("--\(name): \(error.message)") }
    }

    static func date(_ text: String, _ name: String) throws -> CalendarDate {
        do { return try CalendarDate(parsing: text) } catch { throw ValidationError("--\(name): \(error.message)") }
    }

    /// The case holding an item, and the item.
    static func item(_ register: RegisterOptions, _ item: String) throws -> (Identifier, Identifier) {
        let found = try locateItem(try register.open(), item)
        return (found.case, found.item)
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Compute and show the confiscation position (stores nothing).")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "Compute as of this date (YYYY-MM-DD; default today).") var on: String?
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var register: RegisterOptions
        @OptionGroup var tableOptions: TableOptions

        func run() throws {
            let store = try register.openExisting()
            let operation = try attempt { try store.loadState(try Identifier(reference)) }
            let asOf = try on.map { try ConfiscationCommand.date($0, "on") } ?? DueReport.today()
            let book = try Pricing.book(for: operation.jurisdiction, tables: tableOptions)
            let figures = try ConfiscationCommand.figures(operation, asOf: asOf, store: store, book: book)
            if json {
                print(Output.json(["case": operation.reference.value, "asOf": asOf.description, "benefit": figures.benefit.amountText,
                                   "availableAmount": figures.availableAmount.amountText, "recoverableAmount": figures.recoverableAmount.amountText,
                                   "currency": figures.benefit.currency.code,
                                   "lines": figures.lines.map { line -> [String: Any] in
                                       var entry: [String: Any] = ["section": line.section.rawValue, "basis": line.basis, "description": line.description]
                                       if let amount = line.amount { entry["amount"] = amount.amountText }
                                       if let note = line.note { entry["note"] = note }
                                       return entry
                                   }] as [String: Any]))
                return
            }
            print("Confiscation, case \(operation.reference), as of \(asOf) (decision date \(figures.decidedOn))")
            for section in ConfiscationLine.Section.allCases {
                let lines = figures.lines.filter { $0.section == section }
                guard !lines.isEmpty else { continue }
                print("")
                print(section == .flag ? "To check" : section.rawValue.capitalized)
                for line in lines {
                    // A long description wraps within its column; the figure stays on its first line, right-aligned.
                    let amount = Output.right(line.amount.map { Output.money($0) } ?? "", 15)
                    let described = Output.wrap(line.description, width: 52, indent: "").split(separator: "\n", omittingEmptySubsequences: false)
                    print("  \(Output.pad(String(described[0]), 52)) \(amount)  [\(line.basis)]")
                    for more in described.dropFirst() { print("    \(more)") }
                    if let note = line.note { print("      \(note)") }
                }
            }
            // What to do about the lines to check is said here, on the terminal: the lines themselves go to the court.
            if figures.lines.contains(where: { $0.section == .flag && $0.note?.contains("no valuation recorded") == true }) {
                print("")
                print("To value what has no valuation: haul value \(operation.reference) --save")
            }
            if figures.lines.contains(where: { $0.section == .flag && $0.note?.contains("shown by evidence") == true }) {
                print("To record benefit from evidence: haul confiscation benefit \(operation.reference) --description … --obtained DATE --value GBP")
            }
            print("")
            print("Worked out from the case's chain as it is now; `haul export \(operation.reference) -o FILE` writes the same figures into the case file.")
        }
    }

    struct Benefit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "benefit", abstract: "Record property obtained (benefit), valued by the s.80 greater-of rule.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "What was obtained.") var description: String
        @Option(help: "When it was obtained (YYYY-MM-DD).") var obtained: String
        @Option(parsing: .unconditional, help: "Its value then, in GBP.") var value: String
        @Option(parsing: .unconditional, help: "Its value now, in GBP, if known.") var valueNow: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let entry = ObtainedProperty(description: description, obtainedOn: try ConfiscationCommand.date(obtained, "obtained"),
                                         valueThen: try ConfiscationCommand.amount(value, "value"), valueNow: try valueNow.map { try ConfiscationCommand.amount($0, "value-now") })
            try ConfiscationCommand.update(register, reference, kind: "benefit", recorded: recorded, reason: "benefit: \(description)") { inputs, _ in inputs.benefits.append(entry) }
        }
    }

    struct BenefitItem: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "benefit-item", abstract: "Count a seized item as benefit, at its current valuation.")
        @Argument(help: "The item id (or CASE/ITEM).", completion: Completions.items) var item: String
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let (reference, itemID) = try ConfiscationCommand.item(register, item)
            try ConfiscationCommand.update(register, reference.value, kind: "benefit-item", recorded: recorded, reason: "item \(itemID) counts as benefit") { inputs, _ in
                if !inputs.benefitItems.contains(itemID) { inputs.benefitItems.append(itemID) }
            }
        }
    }

    struct Gift: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "gift", abstract: "Record a tainted gift (s.77), valued by the greater-of rule (s.81).")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "What was given.") var description: String
        @Option(help: "When it was given (YYYY-MM-DD).") var given: String
        @Option(parsing: .unconditional, help: "Its value then, in GBP.") var value: String
        @Option(parsing: .unconditional, help: "Its value now, in GBP, if known.") var valueNow: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let entry = ObtainedProperty(description: description, obtainedOn: try ConfiscationCommand.date(given, "given"),
                                         valueThen: try ConfiscationCommand.amount(value, "value"), valueNow: try valueNow.map { try ConfiscationCommand.amount($0, "value-now") })
            try ConfiscationCommand.update(register, reference, kind: "gift", recorded: recorded, reason: "tainted gift: \(description)") { inputs, _ in inputs.gifts.append(entry) }
        }
    }

    struct Obligation: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "obligation", abstract: "Record an obligation having priority (s.9(2)), deducted from the available amount.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "What it is (e.g. an earlier fine).") var description: String
        @Option(parsing: .unconditional, help: "The amount, in GBP.") var amount: String
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let entry = PriorityObligation(description: description, amount: try ConfiscationCommand.amount(amount, "amount"))
            try ConfiscationCommand.update(register, reference, kind: "obligation", recorded: recorded, reason: "priority obligation: \(description)") { inputs, _ in inputs.obligations.append(entry) }
        }
    }

    /// Kept for scripts written before interests: one spelling records a defendant's share now,
    /// `haul interest ITEM --person DEFENDANT --owner PERCENT`, and this says so.
    struct Share: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "share",
            abstract: "Deprecated: record the defendant's share of an item (use haul interest ITEM --person P --owner PERCENT).",
            discussion: "Records the owner's interest of the case's one defendant, as haul interest does, and says so; a case with no defendant or several needs haul interest.",
            shouldDisplay: false)
        @Argument(help: "The item id (or CASE/ITEM).", completion: Completions.items) var item: String
        @Option(parsing: .unconditional, help: "The defendant's share, percent.") var percent: String
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            guard let value = try? DecimalText.parse(percent, allowNegative: false), value > 0, value <= 100 else {
                throw ValidationError("--percent must be above 0 and at most 100 (a defendant with no share: record the owners with haul interest).")
            }
            let work = try register.casework(actor: recorded.actor)
            let found = try locateItem(work.register, item)
            let (target, operation, defendant) = try attempt { try work.recordDefendantShare(value, in: found.case, item: found.item) }
            Output.error("haul: confiscation share is deprecated; recorded as: haul interest \(found.case)/\(found.item) --person \(defendant) --owner \(percent)")
            let share = operation.defendantsShare(of: target) ?? value
            let interest = Interest(person: defendant, kind: .owner, percent: value)
            recorded.report("\(found.item): \(defendant) — owner, \(DecimalText.plain(value)) %; defendants' share \(DecimalText.plain(share)) %",
                            ["case": found.case.value, "item": found.item.value, "recorded": "interest", "person": defendant.value,
                             "interest": InterestCommand.describe(interest), "defendantsShare": DecimalText.plain(share)])
        }
    }

    struct Joint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "joint",
            abstract: "Record benefit obtained jointly with co-defendants whose cases are in this register (R v Ahmad).",
            discussion: "Each defendant's order may be for the whole joint sum; what the others pay towards it is read from their cases and is not recovered twice."
        )
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(name: .customLong("with"), help: "A co-defendant's case reference; repeatable.", completion: Completions.cases) var withCases: [String]
        @Option(parsing: .unconditional, help: "The joint benefit, in GBP.") var amount: String
        @Option(help: "What was obtained jointly.") var description: String
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let joint = JointBenefit(amount: try ConfiscationCommand.amount(amount, "amount"),
                                     withCases: try withCases.map { text in try attempt { try Identifier(text) } }, description: description)
            if joint.withCases.contains(where: { $0.value == reference }) { throw ValidationError("A case cannot be its own co-defendant's.") }
            let caseReference = try attempt { try Identifier(reference) }
            try attempt { try register.casework(actor: recorded.actor).recordJointBenefit(joint, in: caseReference) }
            let reason = "joint benefit \(joint.amount.formatted) with \(withCases.joined(separator: ", "))"
            print(recorded.json ? Output.json(["case": reference, "recorded": "joint-benefit", "reason": reason]) : "Recorded for case \(reference): \(reason)")
        }
    }

    struct Sale: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "sale", abstract: "Record what an asset fetched when sold, and the costs of the sale.")
        @Argument(help: "The item id (or CASE/ITEM).", completion: Completions.items) var item: String
        @Option(help: "The date of the sale (YYYY-MM-DD).") var on: String
        @Option(parsing: .unconditional, help: "The gross proceeds, in GBP.") var gross: String
        @Option(parsing: .unconditional, help: "The costs of sale, in GBP.") var costs: String = "0"
        @Option(help: ArgumentHelp("Why a sale of the item already recorded is replaced by this one; the chain keeps both.", valueName: "reason")) var replacing: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func validate() throws {
            if let replacing, replacing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--replacing must say why the sale is replaced.") }
        }

        func run() throws {
            let (reference, itemID) = try ConfiscationCommand.item(register, item)
            let sale = Realisation(item: itemID, soldOn: try ConfiscationCommand.date(on, "on"), gross: try ConfiscationCommand.amount(gross, "gross"),
                                   costs: try ConfiscationCommand.amount(costs, "costs"))
            let net = Money(sale.gross.amount - sale.costs.amount, sale.gross.currency)
            guard net.amount >= 0 else { throw ValidationError("--costs (\(costs)) are more than --gross (\(gross)).") }
            // The item is revalued at what it fetched; its estimates stay in its trail.
            try attempt { try register.casework(actor: recorded.actor).recordSale(sale, in: reference, replacing: replacing) }
            recorded.report("Recorded for case \(reference): sale of \(itemID); realised \(Output.money(net)) net of costs, its estimates kept in its trail",
                            ["case": reference, "recorded": "sale", "item": itemID, "net": net.amountText, "currency": net.currency.code])
        }
    }

    struct Order: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "order", abstract: "Record the confiscation order the court made.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(name: .customLong("order-reference"), help: "The order's reference.") var orderReference: String
        @Option(help: "The date it was made (YYYY-MM-DD).") var made: String
        @Option(parsing: .unconditional, help: "The amount ordered, in GBP (default: the recoverable amount as computed).") var amount: String?
        @Option(help: "The date the court allowed for payment (s.11), if any.") var timeToPayUntil: String?
        @Option(parsing: .unconditional, help: "Compensation ordered alongside, in GBP (paid first, s.13).") var compensation: String?
        @Option(help: ArgumentHelp("Why an order already recorded is replaced by this one (varied under s.23, increased under s.22, a correction); the chain keeps both.",
                                   valueName: "reason")) var replacing: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func validate() throws {
            if let replacing, replacing.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw ValidationError("--replacing must say why the order is replaced.") }
        }

        func run() throws {
            let details = OrderDetails(reference: orderReference, madeOn: try ConfiscationCommand.date(made, "made"),
                                       amount: try amount.map { try ConfiscationCommand.amount($0, "amount") },
                                       timeToPayUntil: try timeToPayUntil.map { try ConfiscationCommand.date($0, "time-to-pay-until") },
                                       compensation: try compensation.map { try ConfiscationCommand.amount($0, "compensation") })
            let reason = "order \(orderReference) made \(made)" + (replacing.map { ", replacing the order recorded before: \($0)" } ?? "")
            let replacing = self.replacing
            try ConfiscationCommand.update(register, reference, kind: "order", recorded: recorded, reason: reason) { inputs, _ in
                // Checked in the transaction: the order replaced is the one recorded when this is.
                if let earlier = inputs.order, replacing == nil {
                    throw CaseworkError(.notAllowed, "case \(reference) already has the order \(earlier.reference) made \(earlier.madeOn)"
                                        + "\(earlier.amount.map { " for \($0.readable)" } ?? "")\(earlier.timeToPayUntil.map { ", time to pay until \($0)" } ?? ""); "
                                        + "to record this order in its place, say why with --replacing REASON (the chain keeps both)")
                }
                inputs.order = details
            }
        }
    }

    struct Extension: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "extension", abstract: "Record an application to extend time to pay, and the decision.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "When the application was made (YYYY-MM-DD).") var applied: String
        @Option(help: "When it was decided, if it has been.") var decided: String?
        @Option(help: "The date payment was extended to, if granted.") var until: String?
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let appliedOn = try ConfiscationCommand.date(applied, "applied")
            let decidedOn = try decided.map { try ConfiscationCommand.date($0, "decided") }
            let extendedUntil = try until.map { try ConfiscationCommand.date($0, "until") }
            let reason = "extension applied for on \(applied)" + (decided.map { ", decided on \($0)" } ?? "") + (until.map { ", time to pay extended until \($0)" } ?? (decided == nil ? "" : ", refused"))
            try ConfiscationCommand.update(register, reference, kind: "extension", recorded: recorded, reason: reason) { inputs, _ in
                guard inputs.order != nil else { throw ValidationError("Record the order first (haul confiscation order).") }
                inputs.order?.extensionAppliedOn = appliedOn
                inputs.order?.extensionDecidedOn = decidedOn
                inputs.order?.extendedUntil = extendedUntil
            }
        }
    }

    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "payment", abstract: "Record a payment towards the order.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "The date of the payment (YYYY-MM-DD).") var on: String
        @Option(parsing: .unconditional, help: "The amount, in GBP.") var amount: String
        @OptionGroup var register: RegisterOptions
        @OptionGroup var recorded: RecordedJSON

        func run() throws {
            let payment = Payment(paidOn: try ConfiscationCommand.date(on, "on"), amount: try ConfiscationCommand.amount(amount, "amount"))
            let caseReference = try attempt { try Identifier(reference) }
            try attempt { try register.casework(actor: recorded.actor).recordPayment(payment, in: caseReference) }
            recorded.report("Recorded for case \(reference): payment of \(Output.money(payment.amount)) on \(on)",
                            ["case": reference, "recorded": "payment", "paidOn": on, "amount": payment.amount.amountText, "currency": payment.amount.currency.code])
        }
    }
}
