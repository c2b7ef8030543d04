import Foundation
import HaulCore

/// Reads an exhibit list (one row per item) into a case, all or nothing: every problem of every
/// row is reported as `file:line:column: message`, and only a sheet without problems is applied.
///
/// Columns: `exhibit`, `id`, `kind`, `seizure` (required); `description`; for a seizure not yet in
/// the case, `seized_at` (YYYY-MM-DDThh:mm or DD/MM/YYYY hh:mm, local time), `place`, `power`, `officer`, `agency`,
/// `warrant`; then the attribute columns (`substance`, `form`, `mass`, `count`, `purity`,
/// `currency`, `amount`, `denominations`, `brand`, `model`, `reference`, `condition`, `box`,
/// `papers`, `make`, `year`, `registration`, `vin`, `mileage`, `first-registered`, `class`, `metal`, `fineness`,
/// `gem-set`, `asset`, `units`, `wallet`, `exchange`, …) — fill those the item's kind takes.
///
/// ```swift
/// let result = ExhibitIntake.apply(text: csv, file: "exhibits.csv", to: operation)
/// if result.problems.isEmpty { operation = result.case }
/// ```
public enum ExhibitIntake {
    /// The columns that are not item attributes: the item's exhibit, id, kind, seizure and description, and the details of a seizure new to the case.
    public static let fixedColumns = ["exhibit", "id", "kind", "seizure", "description", "seized_at", "place", "power", "officer", "agency", "warrant"]
    /// The attribute columns of every item kind, required and optional, each named once, in the order of `ItemKind.allCases`.
    public static var attributeColumns: [String] {
        var names: [String] = []
        for kind in ItemKind.allCases {
            let (required, optional) = ItemAttributes.names(for: kind)
            for name in required + optional where !names.contains(name) { names.append(name) }
        }
        return names
    }

    /// What applying a sheet did: the case, how many items joined it, and the problems found.
    public struct Outcome: Sendable {
        /// The case with the sheet's items added (unchanged when there are problems).
        public var `case`: Case
        /// How many items were added; 0 when there are problems.
        public var added: Int
        /// Every problem of every row, with its line and column; empty when the sheet was applied.
        public var problems: [TableProblem]
    }

    /// Adds the sheet's items to the case, or nothing when any row has a problem.
    ///
    /// - Parameters:
    ///   - text: The sheet as text (see ``SheetText`` for reading a file of any of the shapes a
    ///     spreadsheet saves).
    ///   - file: The name problems are reported against.
    ///   - operation: The case the items join.
    ///   - separator: The field separator: a comma, or a tab.
    ///   - now: The time a seizure may not be after (its `seized_at` is named at its line).
    /// - Returns: The case with the items added (unchanged when there are problems), how many
    ///   were added, and every problem with its line and column.
    public static func apply(text: String, file: String, to operation: Case, separator: UInt8 = UInt8(ascii: ","), now: Date = Date()) -> Outcome {
        var result = operation
        var problems: [TableProblem] = []
        let records: [CSVRecord]
        do { records = try CSVReader.parse(text, separator: separator) } catch {
            return Outcome(case: operation, added: 0, problems: [TableProblem(file: file, line: error.line, column: error.column, message: error.message)])
        }
        guard let header = records.first else {
            return Outcome(case: operation, added: 0, problems: [TableProblem(file: file, line: 1, column: 0, message: "the sheet is empty; it needs a header row")])
        }
        let known = fixedColumns + attributeColumns
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces)
            if !known.contains(name) {
                problems.append(TableProblem(file: file, line: header.line, column: index + 1, message: "unknown column '\(name)'"))
            }
            columns[name] = index
        }
        for name in ["exhibit", "id", "kind", "seizure"] where columns[name] == nil {
            problems.append(TableProblem(file: file, line: header.line, column: 0, message: "the header lacks the column \(name)"))
        }
        guard problems.isEmpty else { return Outcome(case: operation, added: 0, problems: problems) }

        let fields = CSVFields(file: file, columns: columns)
        var ids = Set(operation.items.map(\.id.value)), exhibits = Set(operation.items.map(\.exhibit.value))
        var added = 0
        // Seizures a row declared (with seized_at): when that row failed, for whatever reason, its
        // seizure's later rows are not told again that it is new.
        var declaredSeizures: Set<String> = []
        for record in records.dropFirst() {
            // Excel keeps a row of empty cells where rows were deleted: it is no row at all.
            if record.fields.allSatisfy({ CSVFields.trimmingSpaces($0).isEmpty }) { continue }
            fields.start(record)
            let declares = !fields.raw("seized_at").isEmpty
            let rowSeizure = fields.raw("seizure")
            defer { if declares { declaredSeizures.insert(rowSeizure) } }
            guard record.fields.count == header.fields.count else {
                fields.report(column: 0, "the row has \(record.fields.count) fields; the header has \(header.fields.count)")
                continue
            }
            guard let kind: ItemKind = fields.enumeration("kind") else { continue }
            var attributes: [String: String] = [:]
            for name in attributeColumns where !fields.raw(name).isEmpty { attributes[name] = fields.raw(name) }
            if let registered = attributes["first-registered"] {
                // The template allows the day first, as UK sheets write dates.
                do { if let iso = try SheetDates.isoDate(fromUK: registered) { attributes["first-registered"] = iso } } catch {
                    fields.report("first-registered", error.message)
                    continue
                }
            }
            let details: ItemDetails
            do { details = try ItemAttributes.details(kind: kind, attributes) } catch {
                let name = String(error.message.prefix { $0 != ":" })
                fields.report(column: (columns[name] ?? -1) + 1, error.message)
                continue
            }
            let id: Identifier, exhibit: Identifier
            do { id = try Identifier(fields.raw("id")) } catch { fields.report("id", error.message); continue }
            do { exhibit = try Identifier(fields.raw("exhibit")) } catch { fields.report("exhibit", error.message); continue }
            guard ids.insert(id.value).inserted else { fields.report("id", "item \(id) is already in the case or the sheet"); continue }
            guard exhibits.insert(exhibit.value).inserted else { fields.report("exhibit", "exhibit \(exhibit) is already in the case or the sheet"); continue }
            let item = Item(id: id, exhibit: exhibit, description: fields.text("description", required: false), details: details)
            do { try item.checkBounds() } catch { fields.report(column: 0, error.message); continue }
            let seizureID = fields.raw("seizure")
            if let index = result.seizures.firstIndex(where: { $0.id.value == seizureID }) {
                // A later row of a seizure may repeat its details, never change them: what it says
                // differently (or cannot say at all) would otherwise be dropped without a word.
                guard sameSeizure(result.seizures[index], fields: fields, operation: result) else { continue }
                result.seizures[index].items.append(item)
            } else {
                // Declared by an earlier row that failed: that row's problem says what to fix.
                guard declares || !declaredSeizures.contains(seizureID) else { continue }
                guard let seizure = newSeizure(seizureID, fields: fields, operation: result, now: now) else { continue }
                var withItem = seizure
                withItem.items = [item]
                result.seizures.append(withItem)
            }
            added += 1
        }
        problems += fields.problems
        if problems.isEmpty && added == 0 {
            problems.append(TableProblem(file: file, line: header.line + 1, column: 0, message: "the sheet has its header but no item rows: add one row per item"))
        }
        return problems.isEmpty ? Outcome(case: result, added: added, problems: []) : Outcome(case: operation, added: 0, problems: problems)
    }

    /// Whether a row's seizure details (any it gives) are those of the seizure already known,
    /// from an earlier row or the case; reports each that is not, or is not a date.
    private static func sameSeizure(_ seizure: Seizure, fields: CSVFields, operation: Case) -> Bool {
        var same = true
        func differs(_ column: String, _ said: String, _ known: String) {
            fields.report(column, "seizure \(seizure.id) was recorded with \(column) \(known) (its first row, or the case); this row says \(said): give a seizure's details once, or the same on each row")
            same = false
        }
        let when = fields.raw("seized_at")
        if !when.isEmpty {
            do {
                let local = try SheetDates.localTime(fromSheet: when) ?? when
                let seizedAt = try ZonedDateTime(local: local, zone: operation.jurisdiction.timeZone)
                if seizedAt.epochSeconds != seizure.seizedAt.epochSeconds { differs("seized_at", "'\(when)'", seizure.seizedAt.iso8601) }
            } catch {
                fields.report("seized_at", error.message)
                same = false
            }
        }
        for (column, known) in [("place", seizure.place), ("officer", seizure.officer), ("agency", seizure.agency.value), ("power", seizure.power.rawValue),
                                ("warrant", seizure.warrantReference ?? "")] {
            let said = fields.raw(column).trimmingCharacters(in: .whitespaces)
            if !said.isEmpty && said != known { differs(column, "'\(said)'", "'\(known)'") }
        }
        return same
    }

    private static func newSeizure(_ id: String, fields: CSVFields, operation: Case, now: Date) -> Seizure? {
        let identifier: Identifier
        do { identifier = try Identifier(id) } catch { fields.report("seizure", error.message); return nil }
        // One problem for what the row lacks, not one per empty field and another for the seizure.
        let missing = ["seized_at", "place", "power", "officer", "agency"].filter { fields.raw($0).isEmpty }
        guard missing.isEmpty else {
            fields.report("seizure", "seizure \(id) is new: give seized_at, place, power, officer and agency on its first row (\(missing.joined(separator: ", ")) \(missing.count == 1 ? "is" : "are") empty)")
            return nil
        }
        guard let when = fields.text("seized_at"), let place = fields.text("place"), let officer = fields.text("officer"),
              let agency = fields.text("agency"), let power: SeizurePower = fields.enumeration("power") else { return nil }
        guard operation.agencies.contains(where: { $0.id.value == agency }) else {
            fields.report("agency", "the case has no agency '\(agency)'")
            return nil
        }
        let seizedAt: ZonedDateTime
        do {
            // YYYY-MM-DDThh:mm as the template has it, or DD/MM/YYYY hh:mm as a UK sheet shows it.
            let local = try SheetDates.localTime(fromSheet: when) ?? when
            seizedAt = try ZonedDateTime(local: local, zone: operation.jurisdiction.timeZone)
        } catch { fields.report("seized_at", error.message); return nil }
        // Only what has happened is recorded, and the sheet's own line says so, beside its other
        // problems (the use cases check it again, with the same grace, for every way in).
        guard seizedAt.epochSeconds <= Int(now.timeIntervalSince1970) + clockGraceSeconds else {
            fields.report("seized_at", "seizure \(id) is dated \(seizedAt.iso8601), in the future; record a seizure once it has happened")
            return nil
        }
        let seizure = Seizure(id: identifier, seizedAt: seizedAt, place: place, power: power, warrantReference: fields.text("warrant", required: false),
                              officer: officer, agency: try! Identifier(agency), items: [])
        do { try seizure.checkBounds() } catch { fields.report(column: 0, error.message); return nil }
        return seizure
    }
}
