import Foundation
import HaulCore

/// Every currency code — a `currency` attribute, a cash item's currency, an exchange rate's
/// ends — is an ISO 4217 code Haul knows. Codes of the wrong shape are the schema's to report.
struct CurrencyRule {
    /// The last code found valid: nearly every amount in a file is in one currency.
    private var lastValid = ""

    /// What is wrong with `code`, or nil. (The problem is returned rather than reported: this
    /// runs for nearly every amount, and the report is touched only when there is something to say.)
    mutating func problem(with code: String) -> String? {
        let code = SemanticUnits.trimmed(code)
        if code == lastValid { return nil }
        guard code.utf8.count == 3, code.utf8.allSatisfy({ (65...90).contains($0) }) else { return nil }  // the schema reports it
        guard (try? Currency(code: code)) != nil else { return "currency '\(code)' is not an ISO 4217 code; use e.g. GBP, EUR or USD" }
        lastValid = code
        return nil
    }
}

/// A time with a `zone` attribute: its UTC offset must be the zone's at that moment, and the
/// zone one Haul knows. Lexical and range errors are the schema's to report.
enum ZoneRule {
    /// What is wrong with the time `text` in `zone`, or nil.
    static func problem(with text: String, zone: String) -> String? {
        do { _ = try ZonedDateTime(parsing: text, zone: zone) } catch {
            if error.code == .inconsistent || error.code == .unknownValue { return error.message }
        }
        return nil
    }
}

/// A cash item's amount has no more decimal places than its currency's minor unit, and equals
/// the sum of its denominations when it lists them.
struct CashRule {
    typealias Units = SemanticUnits.Units
    private var currency: String?
    private var amount: Units?
    private var denominationSum: Units = 0
    private var denominationCount = 0

    mutating func open() {
        currency = nil
        amount = nil
        denominationSum = 0
        denominationCount = 0
    }

    mutating func currency(_ text: String) { currency = text }
    mutating func amount(_ text: String) { amount = SemanticUnits.parse(text) }

    mutating func denomination(_ attributes: XMLAttributes, count text: String) {
        if let value = attributes["value"].flatMap(SemanticUnits.parse), let count = Int(text), count > 0 {
            denominationSum += value * Units(count)
            denominationCount += 1
        }
    }

    func close(line: Int, _ report: inout SemanticReport) {
        guard let code = currency, let currency = try? Currency(code: code), let amount else { return }
        if amount.fractionDigits > currency.minorUnits {
            report.add(line, "cash amount \(SemanticUnits.plain(amount)) has more decimal places than \(code) allows (\(currency.minorUnits))")
        }
        if denominationCount > 0 && amount != denominationSum {
            report.add(line, "cash amount \(SemanticUnits.plain(amount)) \(code) does not match its denominations, which add up to \(SemanticUnits.plain(denominationSum))")
        }
    }
}
