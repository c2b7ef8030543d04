import Foundation
@testable import HaulXML
import Testing

/// Each semantic rule on its own, driven as the checker drives it, with figures worked by hand.
/// (ValidationTests runs them all together on whole files, through libxml2.)
@Suite("Semantic rules, one at a time")
struct SemanticRuleTests {
    private func attributes(_ pairs: KeyValuePairs<String, String>) -> XMLAttributes {
        XMLAttributes(pairs: pairs.map { (key: $0.key, value: $0.value) })
    }

    private func messages(_ report: SemanticReport) -> [String] { report.diagnostics.map(\.message) }

    @Test("cash: more places than the currency has, and denominations that do not add up")
    func cash() {
        var report = SemanticReport(file: "f.xml")
        var rule = CashRule()
        // 10.005 GBP: a third decimal place where sterling has two (ISO 4217).
        rule.open()
        rule.currency("GBP")
        rule.amount("10.005")
        rule.close(line: 7, &report)
        // 60 GBP counted as 2 × £20 + 1 × £10 = £50.
        rule.open()
        rule.currency("GBP")
        rule.amount("60")
        rule.denomination(attributes(["value": "20"]), count: "2")
        rule.denomination(attributes(["value": "10"]), count: "1")
        rule.close(line: 12, &report)
        // 500 JPY in 5 × ¥100: whole yen and footing, nothing to say.
        rule.open()
        rule.currency("JPY")
        rule.amount("500")
        rule.denomination(attributes(["value": "100"]), count: "5")
        rule.close(line: 20, &report)
        #expect(messages(report) == ["cash amount 10.005 has more decimal places than GBP allows (2)",
                                     "cash amount 60 GBP does not match its denominations, which add up to 50"])
        #expect(report.diagnostics.map(\.line) == [7, 12])
    }

    @Test("valuations: one current valuation per basis, and totals equal to the sums")
    func valuations() {
        var report = SemanticReport(file: "f.xml")
        var rule = ValuationRule()
        func value(_ low: String, _ central: String, _ high: String, basis: String, line: Int) {
            rule.openRange()
            rule.low(low, attributes(["currency": "GBP"]))
            rule.central(central, attributes(["currency": "GBP"]))
            rule.high(high, attributes(["currency": "GBP"]))
            rule.valuation(attributes(["basis": basis]), line: line, &report)
        }
        rule.item()
        rule.itemKind("cash")
        value("100", "100", "100", basis: "face", line: 3)
        value("100", "100", "100", basis: "face", line: 4)      // a second current "face": refused, not summed
        rule.item()
        rule.itemKind("cash")
        value("250.5", "250.5", "250.5", basis: "face", line: 9)
        rule.openTotals()
        // The two items' face values: 100 + 250.5 = 350.5 over 2 items; the file says 350.
        rule.openRange()
        rule.low("350", attributes(["currency": "GBP"]))
        rule.central("350", attributes(["currency": "GBP"]))
        rule.high("350", attributes(["currency": "GBP"]))
        rule.total(attributes(["kind": "cash", "basis": "face", "items": "2"]), line: 30, &report)
        rule.closeTotals(caseLine: 1, &report)
        rule.finish(&report)
        #expect(messages(report) == [
            "the item has two current valuations on the 'face' basis; keep one (earlier ones belong in its history)",
            "the cash / face total says 2 items, 350 / 350 / 350 GBP, but the items' valuations add up to 2 items, 350.5 / 350.5 / 350.5",
        ])
    }

    @Test("valuations with no totals section, and a range out of order")
    func noTotals() {
        var report = SemanticReport(file: "f.xml")
        var rule = ValuationRule()
        rule.item()
        rule.itemKind("watch")
        rule.openRange()
        rule.low("900", attributes(["currency": "GBP"]))
        rule.central("800", attributes(["currency": "GBP"]))
        rule.high("1000", attributes(["currency": "GBP"]))
        rule.valuation(attributes(["basis": "market"]), line: 5, &report)
        rule.openRange()
        rule.low("700", attributes(["currency": "GBP"]))
        rule.central("800", attributes(["currency": "GBP"]))
        rule.high("1000", attributes(["currency": "GBP"]))
        rule.valuation(attributes(["basis": "market"]), line: 6, &report)
        rule.finish(&report)
        #expect(messages(report) == ["the valuation needs low ≤ central ≤ high, not 900 / 800 / 1000",
                                     "the case has valuations (e.g. watch / market) but no totals section"])
    }

    @Test("confiscation lines foot to their totals from schema 1.4 on, and not before")
    func footing() {
        func run(version: String, lines: [(String, String)], stated: String) -> [String] {
            var report = SemanticReport(file: "f.xml")
            var rule = ConfiscationFootingRule()
            rule.schemaVersion(version)
            rule.stated("benefit", stated)
            for (index, (section, amount)) in lines.enumerated() {
                rule.lineAmount(amount)
                rule.line(attributes(["section": section]), line: 10 + index)
            }
            rule.close(line: 40, &report)
            return messages(report)
        }
        // 60,000 + 25,000.50 = 85,000.50, the total line and the stated benefit.
        #expect(run(version: "1.4", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000.50")], stated: "85000.50").isEmpty)
        #expect(run(version: "1.4", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000")], stated: "85000.50") == [
            "the benefit lines add up to 85000.5, but the total line says 85000",
            "the benefit is 85000.5, but its total line says 85000",
        ])
        #expect(run(version: "1.3", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000")], stated: "85000.50").isEmpty)
    }

    @Test("owners' shares over 100 %, an owner without a percent, a charge without its amount")
    func interests() {
        var report = SemanticReport(file: "f.xml")
        var rule = InterestRule()
        rule.openInterests()
        rule.openInterest(attributes(["kind": "owner", "percent": "60"]), line: 2, &report)
        rule.openInterest(attributes(["kind": "owner", "percent": "50.25"]), line: 3, &report)
        rule.openInterest(attributes(["kind": "owner"]), line: 4, &report)
        rule.openInterest(attributes(["kind": "charge"]), line: 5, &report)
        rule.closeInterest(attributes(["kind": "charge"]), line: 5, &report)
        rule.closeInterests(line: 6, &report)
        #expect(messages(report) == ["an owner's interest needs its percent", "a charge needs the amount it secures",
                                     "the owners' shares add up to 110.25 %, more than 100 %"])
    }

    @Test("identifiers: a seizure id twice, references to nobody, a defendant who is not one")
    func identifiers() {
        var report = SemanticReport(file: "f.xml")
        var rule = IdentifierRule(expectedItems: 0)
        rule.agency(attributes(["id": "A1"]), line: 2, &report)
        rule.seizure(attributes(["id": "S1", "agency": "A1"]), line: 5, &report)
        rule.seizure(attributes(["id": "S1", "agency": "A2"]), line: 9, &report)
        rule.item(attributes(["id": "I-1", "exhibit": "E/1"]), line: 6)
        rule.item(attributes(["id": "I-1", "exhibit": "E/2"]), line: 10)
        rule.person(attributes(["id": "P1", "role": "suspect"]), line: 20, &report)
        rule.defendant(attributes(["person": "P1"]), line: 30)
        rule.eventItems("I-1 I-9", line: 40)
        rule.finish(&report)
        #expect(messages(report) == [
            "seizure id 'S1' is used again; it was first used on line 5",
            "the seizure names agency 'A2', which the header does not list",
            "the proceedings name 'P1' as a defendant, but the case's people list them as suspect",
            "the event names item 'I-9', which is not in the case",
        ])
        #expect(rule.duplicates.map(\.id) == ["I-1"])
    }

    @Test("currency codes: known ones pass, unknown ones are named, malformed ones are left to the schema")
    func currencies() {
        var report = SemanticReport(file: "f.xml")
        var rule = CurrencyRule()
        for code in ["GBP", "GBP", " EUR ", "XYZ", "gbp", "ABCD"] { rule.check(code, line: 1, &report) }
        #expect(messages(report) == ["currency 'XYZ' is not an ISO 4217 code; use e.g. GBP, EUR or USD"])
    }

    @Test("the report keeps 1,000 problems and says once that more follow")
    func limit() {
        var report = SemanticReport(file: "f.xml")
        for line in 1...1_500 { report.add(line, "problem \(line)") }
        #expect(report.diagnostics.count == SemanticReport.limit + 1)
        #expect(report.diagnostics[SemanticReport.limit].message.hasPrefix("more problems follow from here"))
        #expect(report.diagnostics[SemanticReport.limit].line == 1_001)
    }
}
