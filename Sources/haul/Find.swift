import ArgumentParser
import Foundation
import HaulCore
import HaulStore

struct Find: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find items in every case by id, exhibit label, VIN, registration, serial number, description, brand, make, model, substance, metal, asset or kind.",
        discussion: """
        Letters match without regard to case; a VIN, registration or serial number matches without \
        its spaces or hyphens (wu19abc finds WU19 ABC). Each line gives CASE/ITEM, which every \
        command that takes an item accepts.
        """
    )

    @Argument(help: "The text to look for, e.g. HAL/AB/6, WU19 ABC, Rolex.") var text: String
    @Option(help: "Show at most this many items.") var limit: Int = 200
    @Flag(help: "Print the result as JSON.") var json = false
    @OptionGroup var register: RegisterOptions

    func validate() throws {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("Give the text to look for.") }
        guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
    }

    func run() throws {
        let store = try register.openExisting()
        let (items, total) = try attempt { try store.find(text.trimmingCharacters(in: .whitespaces), limit: limit) }
        if json {
            print(Output.json(["text": text, "total": total, "items": items.map { found -> [String: Any] in
                var entry: [String: Any] = ["case": found.case.value, "item": found.item.value, "exhibit": found.exhibit, "kind": found.kind, "keys": found.keys]
                if let description = found.description { entry["description"] = description }
                return entry
            }] as [String: Any]))
            return
        }
        guard total > 0 else {
            Output.error("haul: no item of any case matches '\(text)'")
            throw ExitCode(1)
        }
        print("\(total) \(total == 1 ? "item matches" : "items match") '\(text)'\(total > items.count ? " (the first \(items.count) shown; --limit shows more)" : "")")
        for found in items {
            let keys = found.keys.isEmpty ? "" : "  [\(found.keys.joined(separator: "; "))]"
            print("  \(Output.pad("\(found.case)/\(found.item)", 24)) \(Output.pad(found.exhibit, 12)) \(Output.pad(found.kind, 11)) \(found.description ?? "")\(keys)")
        }
    }
}
