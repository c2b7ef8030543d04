import HaulCore
import Foundation

/// A distribution's shares add up to its total.
struct DistributionRule {
    private var shares: SemanticUnits.Units = 0

    mutating func open() { shares = 0 }

    mutating func share(_ text: String) {
        if let amount = SemanticUnits.parse(text) { shares += amount }
    }

    func close(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if let total = attributes["total"].flatMap(SemanticUnits.parse), total != shares {
            report.add(line, "the distribution's shares add up to \(SemanticUnits.plain(shares)), not its total \(SemanticUnits.plain(total))")
        }
    }
}

/// The confiscation figures foot: the benefit and available-amount lines, each at the penny,
/// add up to their section's last line, the total, which is the figure stated (the available
/// amount never below nil); the recoverable amount's line is the recoverable amount stated.
/// Files before schema 1.4 were written before this was a rule, and stay valid (and
/// importable) as they were.
struct ConfiscationFootingRule {
    typealias Units = SemanticUnits.Units

    /// The sections whose last line is a figure stated, as the file's `section` attribute names
    /// them; the lines of the first two foot to it.
    enum Section: String, CaseIterable {
        case benefit, available, recoverable

        var label: String {
            switch self {
            case .benefit: return "benefit"
            case .available: return "available amount"
            case .recoverable: return "recoverable amount"
            }
        }
        /// Whether the section's lines add up to its last: the recoverable amount is one line,
        /// the lesser of two figures (POCA 2002 s.7), not a sum.
        var foots: Bool { self != .recoverable }
    }
    /// Whether the lines must foot (files of 1.4 on).
    private var applies = true
    /// The lines by section (amount, line number), the amount of the line being read, and the
    /// totals the figures state.
    private var sectionLines: [Section: [(amount: Units, line: Int)]] = [:]
    private var lineAmount: Units?
    private var statedTotals: [Section: Units] = [:]

    /// The root's `schemaVersion`, e.g. "1.3".
    mutating func schemaVersion(_ version: String?) {
        if let version, version.hasPrefix("1."), let minor = Int(version.dropFirst(2)) { applies = minor >= 4 }
    }

    /// The benefit, available amount or recoverable amount the figures state.
    mutating func stated(_ section: Section, _ text: String) { statedTotals[section] = SemanticUnits.parse(text) }
    mutating func lineAmount(_ text: String) { lineAmount = SemanticUnits.parse(text) }

    mutating func line(_ attributes: XMLAttributes, line: Int) {
        if let section = attributes["section"].flatMap(Section.init(rawValue:)), let amount = lineAmount { sectionLines[section, default: []].append((amount, line)) }
        lineAmount = nil
    }

    mutating func close(line: Int, _ report: inout SemanticReport) {
        if applies {
            for section in Section.allCases {
                let label = section.label
                guard let lines = sectionLines[section], let total = lines.last else { continue }
                let sum = lines.dropLast().reduce(Units(0)) { $0 + $1.amount }
                let expected = section == .available ? max(sum, 0) : sum
                if section.foots && expected != total.amount {
                    report.add(total.line, "the \(label) lines add up to \(SemanticUnits.plain(expected)), but the total line says \(SemanticUnits.plain(total.amount))")
                }
                if let stated = statedTotals[section], stated != total.amount {
                    if section.foots {
                        report.add(line, "the \(label) is \(SemanticUnits.plain(stated)), but its total line says \(SemanticUnits.plain(total.amount))")
                    } else {
                        report.add(total.line, "the \(label) is \(SemanticUnits.plain(stated)), but its line says \(SemanticUnits.plain(total.amount))")
                    }
                }
            }
        }
        sectionLines = [:]
        statedTotals = [:]
    }
}

/// Interests in an item: each owner's interest states its percent and the owners' shares add
/// up to at most 100 %; a charge states the amount it secures.
struct InterestRule {
    private var ownedPercent: SemanticUnits.Units = 0
    private var hasAmount = false

    mutating func openInterests() { ownedPercent = 0 }

    mutating func openInterest(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        hasAmount = false
        if attributes["kind"] == "owner" {
            if let percent = attributes["percent"].flatMap(SemanticUnits.parse) { ownedPercent += percent } else { report.add(line, "an owner's interest needs its percent") }
        }
    }

    mutating func amount() { hasAmount = true }

    func closeInterest(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if attributes["kind"] == "charge" && !hasAmount { report.add(line, "a charge needs the amount it secures") }
    }

    func closeInterests(line: Int, _ report: inout SemanticReport) {
        if ownedPercent > 100 {
            report.add(line, "the owners' shares add up to \(SemanticUnits.plain(ownedPercent)) %, more than 100 %")
        }
    }
}
