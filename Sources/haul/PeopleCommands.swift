import ArgumentParser
import Foundation
import HaulCore
import HaulCases
import HaulStore

/// `haul person`: the people of a case. Names are personal data: only `list` prints them.
struct PersonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Record the people of a case: defendants, suspects, third parties with an interest, claimants.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person to a case.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Option(help: "The person's id in the case, e.g. P-1 (used everywhere instead of the name).") var id: String
        @Option(help: "defendant, suspect, third-party or claimant.", completion: Completions.roles) var role: String
        @Option(help: "The name (kept in the register and the case file only).") var name: String
        @OptionGroup var recorded: RecordedJSON
        @OptionGroup var register: RegisterOptions

        func run() throws {
            guard let personRole = PersonRole(rawValue: role) else {
                throw ValidationError("Unknown role '\(role)'; use \(PersonRole.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty.") }
            let personID = try attempt { try Identifier(id) }
            let caseReference = try attempt { try Identifier(reference) }
            try attempt { try register.casework(actor: recorded.actor).addPerson(Person(id: personID, role: personRole, name: name), to: caseReference) }
            recorded.report("Added \(personID) (\(personRole.rawValue)) to case \(caseReference)",
                            ["case": caseReference.value, "recorded": "person-added", "person": personID.value, "role": personRole.rawValue])
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a case's people, with their names and interests.")
        @Argument(help: "The case reference.", completion: Completions.cases) var reference: String
        @Flag(help: "Print the result as JSON.") var json = false
        @OptionGroup var register: RegisterOptions

        func run() throws {
            let operation = try attempt { try register.openExisting().loadState(try Identifier(reference)) }
            // Listed once: `items` gathers every seizure's items each time it is read.
            let items = operation.items
            if json {
                print(Output.json(["case": operation.reference.value, "people": operation.people.map { person -> [String: Any] in
                    let interests = items.flatMap { item in
                        item.interests.filter { $0.person == person.id }.map { ["item": item.id.value, "exhibit": item.exhibit.value, "interest": InterestCommand.describe($0)] }
                    }
                    return ["id": person.id.value, "role": person.role.rawValue, "name": person.name, "interests": interests]
                }] as [String: Any]))
                return
            }
            print("People of case \(operation.reference): \(operation.people.count)")
            for person in operation.people {
                print("  \(Output.pad(person.id.value, 8)) \(Output.pad(person.role.rawValue, 12)) \(person.name)")
                for item in items {
                    for interest in item.interests where interest.person == person.id {
                        print("      \(item.id) (\(item.exhibit)): \(InterestCommand.describe(interest))")
                    }
                }
            }
        }
    }
}

/// `haul interest`: who owns an item, holds a charge over it or claims it.
struct InterestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interest",
        abstract: "Record a person's interest in an item: an owner's share, a charge, or a claim.",
        discussion: """
        The available amount counts only the defendant's interest (POCA 2002 s.79(3)): charges \
        held by others come off the item's value first, then the defendants' owned share is \
        taken. Owners' shares of an item may not add up to more than 100 %.
        """
    )

    @Argument(help: "The item id (or CASE/ITEM).", completion: Completions.items) var item: String
    @Option(help: "The person's id in the case.") var person: String
    @Option(parsing: .unconditional, help: "An owner's share, in percent.") var owner: String?
    @Option(parsing: .unconditional, help: "A charge: the amount it secures, in GBP.") var charge: String?
    @Flag(help: "A claim not yet decided (recorded, not deducted).") var claim = false
    @Option(help: "A note, e.g. the finance agreement's reference.") var note: String?
    @OptionGroup var recorded: RecordedJSON
    @OptionGroup var register: RegisterOptions

    static func describe(_ interest: Interest) -> String {
        switch interest.kind {
        case .owner: return "owner, \(DecimalText.plain(interest.percent ?? 0)) %"
        case .charge: return "charge, \(interest.amount?.formatted ?? "")"
        case .claim: return "claim" + (interest.note.map { " (\($0))" } ?? "")
        }
    }

    func validate() throws {
        if [owner != nil, charge != nil, claim].filter({ $0 }).count != 1 {
            throw ValidationError("Give exactly one of --owner PERCENT, --charge AMOUNT or --claim.")
        }
        if let owner, (try? DecimalText.parse(owner, allowNegative: false)).map({ $0 > 0 && $0 <= 100 }) != true {
            throw ValidationError("--owner must be a percentage above 0 and at most 100, not '\(owner)'.")
        }
        if let charge, (try? ConfiscationCommand.amount(charge, "charge")).map({ $0.amount > 0 }) != true {
            throw ValidationError("--charge must be an amount above 0 in GBP, e.g. 5000.00, not '\(charge)'.")
        }
    }

    func run() throws {
        let work = try register.casework(actor: recorded.actor)
        let found = try locateItem(work.register, item)
        let personID = try attempt { try Identifier(person) }
        var interest = Interest(person: personID, kind: .claim, note: note)
        if let owner {
            interest.kind = .owner
            interest.percent = try DecimalText.parse(owner, allowNegative: false)   // checked in validate()
        } else if let charge {
            interest.kind = .charge
            interest.amount = try ConfiscationCommand.amount(charge, "charge")
        }
        let (target, operation) = try attempt { try work.recordInterest(interest, in: found.case, item: found.item, description: Self.describe(interest)) }
        if recorded.json {
            var value: [String: Any] = ["case": found.case.value, "item": found.item.value, "recorded": "interest", "person": personID.value,
                                        "interest": Self.describe(interest)]
            if let share = operation.defendantsShare(of: target) { value["defendantsShare"] = DecimalText.plain(share) }
            print(Output.json(value))
            return
        }
        print("\(found.item): \(personID) — \(Self.describe(interest))")
        if let share = operation.defendantsShare(of: target) {
            print("  defendants' share of \(found.item): \(DecimalText.plain(share)) %")
        }
    }
}
