import Foundation
import HaulCore
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

    @Test("text is read with ASCII white space trimmed from both ends, and nothing else")
    func trimming() {
        #expect(SemanticUnits.trimmed("") == "")
        #expect(SemanticUnits.trimmed(" \t\r\n ") == "")
        #expect(SemanticUnits.trimmed("\t 12.50\r\n") == "12.50")
        #expect(SemanticUnits.trimmed("a b") == "a b")
        #expect(SemanticUnits.trimmed(" é € ") == "é €")
        // Not white space to XML: a no-break space and a line separator stay.
        #expect(SemanticUnits.trimmed("\u{A0}x\u{2028}") == "\u{A0}x\u{2028}")
        // Where the cut meets a non-ASCII character the result is what slicing the string gave:
        // a combining mark after a leading space starts the text; a space after a prepended mark
        // (one character with it) stays.
        #expect(Array(SemanticUnits.trimmed("  \u{301}x ").unicodeScalars) == ["\u{301}", "x"])
        #expect(Array(SemanticUnits.trimmed(" x\u{600}  ").unicodeScalars) == ["x", "\u{600}", " "])
        #expect(SemanticUnits.trimmed(" é ") == "é")
    }

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
        // 10.05 GBP: two places, as sterling has; nothing to say.
        rule.open()
        rule.currency("GBP")
        rule.amount("10.05")
        rule.close(line: 16, &report)
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
            rule.low(low, currency: "GBP")
            rule.central(central, currency: "GBP")
            rule.high(high, currency: "GBP")
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
        rule.low("350", currency: "GBP")
        rule.central("350", currency: "GBP")
        rule.high("350", currency: "GBP")
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
        rule.low("900", currency: "GBP")
        rule.central("800", currency: "GBP")
        rule.high("1000", currency: "GBP")
        rule.valuation(attributes(["basis": "market"]), line: 5, &report)
        rule.openRange()
        rule.low("700", currency: "GBP")
        rule.central("800", currency: "GBP")
        rule.high("1000", currency: "GBP")
        rule.valuation(attributes(["basis": "market"]), line: 6, &report)
        rule.finish(&report)
        #expect(messages(report) == ["the valuation needs low ≤ central ≤ high, not 900 / 800 / 1000",
                                     "the case has valuations (e.g. watch / market) but no totals section"])
    }

    @Test("a refused range is reported where it is, and its total is neither miscounted nor called missing")
    func refusedRangeNotCountedTwice() {
        func run(valuations: [(String, String, String)], total: (String, String, String, String)) -> [String] {
            var report = SemanticReport(file: "f.xml")
            var rule = ValuationRule()
            for (index, (low, central, high)) in valuations.enumerated() {
                rule.item()
                rule.itemKind("jewellery")
                rule.openRange()
                rule.low(low, currency: "GBP")
                rule.central(central, currency: "GBP")
                rule.high(high, currency: "GBP")
                rule.valuation(attributes(["basis": "market"]), line: 5 + index, &report)
            }
            rule.openTotals()
            rule.openRange()
            rule.low(total.1, currency: "GBP")
            rule.central(total.2, currency: "GBP")
            rule.high(total.3, currency: "GBP")
            rule.total(attributes(["kind": "jewellery", "basis": "market", "items": total.0]), line: 20, &report)
            rule.closeTotals(caseLine: 2, &report)
            rule.finish(&report)
            return report.diagnostics.map { "\($0.line): \($0.message)" }
        }
        // Both sound: 100 + 200 = 300, and so on.
        #expect(run(valuations: [("90", "100", "110"), ("180", "200", "220")], total: ("2", "270", "300", "330")).isEmpty)
        // One valuation's central raised above its high: that valuation is named, and only it
        // (not "the valuations add up to 1 item").
        #expect(run(valuations: [("90", "100", "110"), ("180", "250", "220")], total: ("2", "270", "300", "330"))
                == ["6: the valuation needs low ≤ central ≤ high, not 180 / 250 / 220"])
        // The total's central raised above its high: the total is named, and not called left out.
        #expect(run(valuations: [("90", "100", "110"), ("180", "200", "220")], total: ("2", "270", "340", "330"))
                == ["20: the total needs low ≤ central ≤ high, not 270 / 340 / 330"])
        // A sound total that does not foot is still named with both sums.
        #expect(run(valuations: [("90", "100", "110"), ("180", "200", "220")], total: ("2", "270", "310", "330"))
                == ["20: the jewellery / market total says 2 items, 270 / 310 / 330 GBP, but the items' valuations add up to 2 items, 270 / 300 / 330"])
    }

    @Test("confiscation lines foot to their totals from schema 1.4 on, and not before")
    func footing() {
        func run(version: String, lines: [(String, String)], stated: String) -> [String] {
            var report = SemanticReport(file: "f.xml")
            var rule = ConfiscationFootingRule()
            rule.schemaVersion(version)
            rule.stated(.benefit, stated)
            for (index, (section, amount)) in lines.enumerated() {
                rule.lineAmount(amount)
                rule.line(attributes(["section": section]), line: 10 + index)
            }
            rule.close(line: 40, &report)
            return report.diagnostics.map { "\($0.line): \($0.message)" }
        }
        // 60,000 + 25,000.50 = 85,000.50, the total line and the stated benefit.
        #expect(run(version: "1.4", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000.50")], stated: "85000.50").isEmpty)
        #expect(run(version: "1.4", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000")], stated: "85000.50") == [
            "12: the benefit lines add up to 85000.5, but the total line says 85000",
            "40: the benefit is 85000.5, but its total line says 85000",
        ])
        // The available amount never falls below nil: 5,000 of assets less 8,000 of a charge
        // (−3,000) is an available amount of 0, so a total line of 0 foots and −3,000 does not.
        #expect(run(version: "1.4", lines: [("available", "5000"), ("available", "-8000"), ("available", "0")], stated: "0").isEmpty)
        #expect(run(version: "1.4", lines: [("available", "5000"), ("available", "-8000"), ("available", "-3000")], stated: "0") == [
            "12: the available amount lines add up to 0, but the total line says -3000",
        ])
        #expect(run(version: "1.3", lines: [("benefit", "60000"), ("benefit", "25000.50"), ("benefit", "85000")], stated: "85000.50").isEmpty)
    }

    @Test("the recoverable amount's one line is the recoverable amount stated (it is the lesser of two figures, not a sum)")
    func recoverableLine() {
        func run(line amount: String, stated: String, version: String = "1.6") -> [String] {
            var report = SemanticReport(file: "f.xml")
            var rule = ConfiscationFootingRule()
            rule.schemaVersion(version)
            rule.stated(.recoverable, stated)
            rule.lineAmount(amount)
            rule.line(attributes(["section": "recoverable"]), line: 30)
            rule.close(line: 40, &report)
            return report.diagnostics.map { "\($0.line): \($0.message)" }
        }
        #expect(run(line: "0.00", stated: "0.00").isEmpty)
        #expect(run(line: "10000.00", stated: "0.00") == ["30: the recoverable amount is 0, but its line says 10000"])
        #expect(run(line: "10000.00", stated: "0.00", version: "1.3").isEmpty)
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
        rule.amount()
        rule.closeInterest(attributes(["kind": "charge"]), line: 5, &report)  // states its amount: nothing to say
        rule.openInterest(attributes(["kind": "charge"]), line: 7, &report)
        rule.closeInterest(attributes(["kind": "charge"]), line: 7, &report)  // the last one's amount does not count for this
        rule.closeInterests(line: 9, &report)
        #expect(report.diagnostics.map { "\($0.line): \($0.message)" } == ["4: an owner's interest needs its percent", "7: a charge needs the amount it secures",
                                                                          "9: the owners' shares add up to 110.25 %, more than 100 %"])
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
        #expect(report.diagnostics.map(\.line) == [9, 9, 30, 40])
        #expect(rule.duplicates.map(\.id) == ["I-1"] && rule.duplicates.map(\.line) == [10])
    }

    @Test("currency codes: known ones pass, unknown ones are named, malformed ones are left to the schema")
    func currencies() {
        var rule = CurrencyRule()
        var report = [String]()
        for code in ["GBP", "GBP", " EUR ", " XYZ\n", "gbp", "ABCD"] { if let problem = rule.problem(with: code) { report.append(problem) } }
        // The code is read trimmed, as the schema's token type reads it.
        #expect(report == ["currency 'XYZ' is not an ISO 4217 code; use e.g. GBP, EUR or USD"])
    }

    /// Events hashed by HaulCore's `EventChain` (the ledger's own hashing), then read back field
    /// by field as the checker reads them.
    @Test("the chain: linked events pass; an altered field, a wrong link, a first event with a link and a cut head are named")
    func chain() throws {
        let zone = "Europe/London"
        func event(_ sequence: Int, to: State, actor: String, previous: String?) throws -> StatusEvent {
            let at = try ZonedDateTime(parsing: "2020-06-1\(sequence)T10:00:00+01:00", zone: zone)
            var event = StatusEvent(sequence: sequence, at: at, items: ["I-1"], from: nil, to: to, regime: nil, authority: nil, actor: actor,
                                    note: nil, previousHash: previous, hash: "", supersedes: nil, late: nil)
            event.hash = EventChain.hash(case: "C-1", event: event)
            return event
        }
        let first = try event(1, to: .seized, actor: "DS 1", previous: nil)
        let second = try event(2, to: .detained, actor: "DS 2", previous: first.hash)
        func read(_ events: [(StatusEvent, actor: String, previous: String?)], head: String) -> [String] {
            var report = SemanticReport(file: "f.xml")
            var rule = ChainRule()
            rule.reference("C-1")
            rule.openHistory()
            for (index, (event, actor, previous)) in events.enumerated() {
                rule.openEvent()
                rule.field(.at, name: "at", raw: event.at.iso8601, trimmed: event.at.iso8601, attributes: attributes(["zone": zone]))
                rule.field(.items, name: "items", raw: "I-1", trimmed: "I-1", attributes: XMLAttributes())
                rule.field(.to, name: "to", raw: event.to.rawValue, trimmed: event.to.rawValue, attributes: XMLAttributes())
                rule.field(.actor, name: "actor", raw: actor, trimmed: actor, attributes: XMLAttributes())
                if let previous { rule.field(.previousHash, name: "previousHash", raw: previous, trimmed: previous, attributes: XMLAttributes()) }
                rule.field(.hash, name: "hash", raw: event.hash, trimmed: event.hash, attributes: XMLAttributes())
                rule.closeEvent(.event, attributes: attributes(["sequence": String(event.sequence)]), line: 10 * (index + 1), &report)
            }
            rule.closeHistory(attributes(["chainHead": head]), line: 99, &report)
            return report.diagnostics.map { "\($0.line): \($0.message)" }
        }
        #expect(read([(first, "DS 1", nil), (second, "DS 2", first.hash)], head: second.hash).isEmpty)
        let altered = read([(first, "DS 1", nil), (second, "DS 9", first.hash)], head: second.hash)
        #expect(altered.count == 1 && altered[0].hasPrefix("20: event 2 was altered: its content no longer matches its hash \(second.hash)"))
        let other = String(repeating: "c", count: 64)
        #expect(read([(first, "DS 1", nil), (second, "DS 2", other)], head: second.hash).first
                == "20: event 2 says the previous hash is \(other), but event 1 has hash \(first.hash)")
        #expect(read([(first, "DS 1", other)], head: first.hash).first == "10: event 1 is the first in the chain and must not name a previous hash")
        #expect(read([(first, "DS 1", nil)], head: second.hash)
                == ["99: the history's chainHead \(second.hash) is not the hash of its last event (\(first.hash)); the chain was cut or edited"])
        #expect(read([(second, "DS 2", first.hash)], head: second.hash).first == "10: event number 2 where 1 was expected; an event was removed, added or moved")
    }

    @Test("a distribution's shares add up to its total")
    func distribution() {
        var report = SemanticReport(file: "f.xml")
        var rule = DistributionRule()
        // 875 + 125 = 1,000: foots.
        rule.open()
        rule.share("875.00")
        rule.share("125.00")
        rule.close(attributes(["total": "1000.00"]), line: 3, &report)
        // 875 + 125.01 = 1,000.01: does not.
        rule.open()
        rule.share("875.00")
        rule.share("125.01")
        rule.close(attributes(["total": "1000.00"]), line: 8, &report)
        #expect(report.diagnostics.map { "\($0.line): \($0.message)" } == ["8: the distribution's shares add up to 1000.01, not its total 1000"])
    }

    @Test("a time's offset must be its zone's at that moment")
    func zones() {
        // London keeps +01:00 in June (BST) and +00:00 in December (GMT).
        #expect(ZoneRule.problem(with: "2020-06-18T07:20:00+01:00", zone: "Europe/London") == nil)
        #expect(ZoneRule.problem(with: "2020-12-01T09:00:00Z", zone: "Europe/London") == nil)
        #expect(ZoneRule.problem(with: "2020-12-01T09:00:00+01:00", zone: "Europe/London")?.contains("Europe/London was at +00:00") == true)
        #expect(ZoneRule.problem(with: "2020-12-01T09:00:00Z", zone: "Mars/Olympus_Mons") != nil)
        // Lexical mistakes are the schema's to report, once.
        #expect(ZoneRule.problem(with: "1 December 2020", zone: "Europe/London") == nil)
    }

    @Test("the report keeps 1,000 problems and says once that more follow")
    func limit() {
        var report = SemanticReport(file: "f.xml")
        for line in 1...1_500 { report.add(line, "problem \(line)") }
        #expect(report.diagnostics.count == SemanticReport.limit + 1)
        #expect(report.diagnostics[SemanticReport.limit].message.hasPrefix("more problems follow from here"))
        #expect(report.diagnostics[SemanticReport.limit].line == 1_001)
    }

    @Test("amounts are read in every form xs:decimal allows, with at most four places")
    func decimalForms() {
        // XML Schema 1.0 Part 2, 3.2.3.1: an optional sign, digits, an optional point, either side may be empty.
        #expect(SemanticUnits.parse(".5") == FixedDecimal("0.5"))
        #expect(SemanticUnits.parse("5.") == 5)
        #expect(SemanticUnits.parse("+60") == 60)
        #expect(SemanticUnits.parse("-.25") == FixedDecimal("-0.25"))
        #expect(SemanticUnits.parse(" 1234.5000 ") == FixedDecimal("1234.5"))
        #expect(SemanticUnits.parse("0.00001") == nil)
        #expect(SemanticUnits.parse("1,5") == nil)
        // Not decimals: no digit, or two signs.
        for text in [".", "+.", "-.", "+-5", "-+5", "+-.5", "--5", ""] { #expect(SemanticUnits.parse(text) == nil, "\(text)") }
    }
}
