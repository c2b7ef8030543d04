import Foundation
import HaulCore
import HaulTestSupport
import HaulXML
import Testing

@Suite("ECB reference-rate XML")
struct ECBRatesTests {
    static let currencies = ["USD", "JPY", "BGN", "CZK", "DKK", "GBP", "HUF", "PLN", "RON", "SEK", "CHF", "ISK", "NOK", "HRK", "RUB", "TRY",
                             "AUD", "BRL", "CAD", "CNY", "HKD", "IDR", "ILS", "INR", "KRW", "MXN", "MYR", "NZD", "PHP", "SGD", "THB", "ZAR"]

    /// A history file in the ECB's layout: days newest first but one out of order, 32 currencies
    /// a day, and a 2007 day with the Cyprus pound. Rates are made up except where noted.
    static func historyFile() -> String {
        func day(_ date: String, usd: String, gbp: String, extra: String = "") -> String {
            let others = currencies.filter { $0 != "USD" && $0 != "GBP" }.enumerated().map { index, code in
                "      <Cube currency=\"\(code)\" rate=\"\(index + 2).5\"/>"
            }.joined(separator: "\n")
            return """
                <Cube time="\(date)">
                  <Cube currency="USD" rate="\(usd)"/>
                  <Cube currency="GBP" rate="\(gbp)"/>
            \(others)\(extra)
                </Cube>
            """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
              <gesmes:subject>Reference rates</gesmes:subject>
              <gesmes:Sender><gesmes:name>European Central Bank</gesmes:name></gesmes:Sender>
              <Cube>
            \(day("2020-06-19", usd: "1.1180", gbp: "0.90318"))
            \(day("2020-06-17", usd: "1.1250", gbp: "0.89693"))
            \(day("2020-06-18", usd: "1.1200", gbp: "0.90000"))
            \(day("2020-06-15", usd: "1.1300", gbp: "0.89000"))
            \(day("2007-12-31", usd: "1.4721", gbp: "0.73335", extra: "\n      <Cube currency=\"CYP\" rate=\"0.585274\"/>"))
              </Cube>
            </gesmes:Envelope>
            """
    }

    @Test("an extreme rate, beyond what a case file records of a rate (10⁹), is refused with its line, and nothing is read")
    func extremeRate() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let text = Self.historyFile().replacingOccurrences(of: "rate=\"0.90000\"", with: "rate=\"10000000000\"")
        #expect { try ECBRatesReader().read(fileAt: try folder.write("extreme.xml", text)) } throws: { error in
            guard let error = error as? HaulXMLError else { return false }
            return error.diagnostics.contains { $0.message.contains("the GBP rate 10000000000 is out of range") }
        }
    }

    @Test("reads every day and currency, whatever the order of the days")
    func readsHistory() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let rates = try ECBRatesReader().read(fileAt: try folder.write("hist.xml", Self.historyFile()))
        #expect(rates.days.map(\.date.description) == ["2007-12-31", "2020-06-15", "2020-06-17", "2020-06-18", "2020-06-19"])
        #expect(rates.days.last?.rates.count == 32)
        #expect(rates.days.last?.rates["GBP"] == decimal("0.90318"))
    }

    @Test("the last rate on or before the date, its own date disclosed; cross rates derived")
    func quotes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let rates = try ECBRatesReader().read(fileAt: try folder.write("hist.xml", Self.historyFile()))
        // Saturday 20 June: Friday 19 June's rate.
        let direct = try rates.quote(from: .eur, to: .gbp, on: CalendarDate(parsing: "2020-06-20"))
        #expect(direct.rate == decimal("0.90318") && direct.date.description == "2020-06-19" && !direct.isDerived)
        // 16 June has no publication in this file: 15 June's.
        let cross = try rates.quote(from: .usd, to: .gbp, on: CalendarDate(parsing: "2020-06-16"))
        #expect(cross.date.description == "2020-06-15")
        #expect(cross.rate == decimal("0.89") / decimal("1.13"))
        #expect(cross.isDerived)
        let inverse = try rates.quote(from: .gbp, to: .eur, on: CalendarDate(parsing: "2020-06-18"))
        #expect(inverse.rate == 1 / decimal("0.9") && inverse.isDerived)
    }

    @Test("retired currencies convert from the days they were published")
    func retired() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let rates = try ECBRatesReader().read(fileAt: try folder.write("hist.xml", Self.historyFile()))
        let cyprus = try Currency(code: "CYP")
        let quote = try rates.quote(from: cyprus, to: .eur, on: CalendarDate(parsing: "2008-06-30"))
        #expect(quote.date.description == "2007-12-31")
        #expect(quote.rate == 1 / decimal("0.585274"))
        // After the euro replaced it, a 2020 date still finds only the 2007 rate: the caller sees the date.
        #expect(try rates.quote(from: cyprus, to: .gbp, on: CalendarDate(parsing: "2020-06-19")).date.description == "2007-12-31")
    }

    @Test("a date before the first rate is refused with a message that says what to do")
    func beforeFirst() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let rates = try ECBRatesReader().read(fileAt: try folder.write("hist.xml", Self.historyFile()))
        #expect { try rates.quote(from: .usd, to: .gbp, on: CalendarDate(parsing: "2001-01-01")) } throws: { error in
            (error as? HaulCoreError)?.message == "no reference rate from USD to GBP on or before 2001-01-01 (the rates start on 2007-12-31); import the ECB history with `haul rates import`"
        }
    }

    @Test("a bad rate or a repeated day is refused whole, with its line")
    func badFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        var text = Self.historyFile().replacingOccurrences(of: "rate=\"0.90000\"", with: "rate=\"0,9\"")
        text = text.replacingOccurrences(of: "time=\"2020-06-15\"", with: "time=\"2020-06-17\"")
        let path = try folder.write("bad.xml", text)
        #expect { try ECBRatesReader().read(fileAt: path) } throws: { error in
            guard let error = error as? HaulXMLError else { return false }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let rateLine = lines.firstIndex { $0.contains("rate=\"0,9\"") }! + 1
            let repeatLine = lines.lastIndex { $0.contains("time=\"2020-06-17\"") }! + 1
            return error.diagnostics.map(\.line) == [rateLine, repeatLine]
                && error.diagnostics[0].message == "the GBP rate '0,9' is not a positive plain decimal"
        }
    }

    @Test("the ECB's CSV form reads as its XML does: the same days and rates, N/A and the trailing comma skipped, the rates read when asked")
    func csvForm() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        // The ECB's CSV layout: newest first, N/A where a currency was not quoted, a trailing comma.
        let csv = try folder.write("eurofxref-hist.csv", """
            Date,USD,JPY,CYP,GBP,
            2020-06-19,1.1180,119.77,N/A,0.90318,
            2020-06-18,1.1200,120,N/A,0.90000,
            2007-12-31,1.4721,164.93,0.585274,0.73335,

            """)
        let rates = try ECBRatesReader().read(fileAt: csv)
        #expect(rates.days.map(\.date.description) == ["2007-12-31", "2020-06-18", "2020-06-19"])
        #expect(rates.days[1].rates == ["USD": decimal("1.1200"), "JPY": decimal("120"), "GBP": decimal("0.90000")])
        #expect(rates.days[0].rate("CYP") == decimal("0.585274") && rates.days[2].rate("CYP") == nil)
        #expect(rates.days[2].line == 2 && rates.days[0].line == 4)
        // 1 USD in GBP on the 18th: 0.90000 / 1.1200, derived (the ECB publishes EUR → X only).
        let quote = try rates.quote(from: .usd, to: .gbp, on: try CalendarDate(parsing: "2020-06-18"))
        #expect(quote.rate == decimal("0.9") / decimal("1.12") && quote.isDerived && quote.line == 3)
    }

    @Test("the ECB's daily CSV (eurofxref.csv): a spelled-out date and a space after each comma")
    func dailyCSV() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let csv = try folder.write("eurofxref.csv", "Date, USD, JPY, BGN, GBP, \n10 February 2023, 1.0690, 141.21, 1.9558, 0.88520, \n")
        let rates = try ECBRatesReader().read(fileAt: csv)
        #expect(rates.days.map(\.date.description) == ["2023-02-10"])
        #expect(rates.days[0].rate("GBP") == decimal("0.8852") && rates.days[0].rates["USD"] == decimal("1.069"))
        // A rate with no digit before its point is refused, not read as nothing.
        let dot = try folder.write("dot.csv", "Date,USD,GBP\n2030-02-03,.5,1.0\n")
        #expect(throws: HaulXMLError.self) { _ = try ECBRatesReader().read(fileAt: dot) }
    }

    @Test("a damaged CSV is refused whole, every problem with its line and column")
    func csvProblems() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let csv = try folder.write("bad.csv", """
            Date,USD,XXX,GBP,
            2020-06-19,1.1180,1,0.90318,
            2020-06-31,1.1200,1,0.90000,
            2020-06-17,-1.12,1,0.9.0,
            2020-06-19,1.13,1,0.89,
            2020-06-16,1.13,1,2000000000,1,

            """)
        do {
            _ = try ECBRatesReader().read(fileAt: csv)
            Issue.record("a damaged file was read")
        } catch {
            #expect(error.diagnostics.map { "\($0.line): \($0.message)" } == [
                "1: column 3 'XXX' is not an ISO 4217 currency code",
                "3: column 1 (Date): '2020-06-31' is not a date (YYYY-MM-DD)",
                "4: column 2 (USD): '-1.12' is not a positive plain decimal",
                "4: column 4 (GBP): '0.9.0' is not a positive plain decimal",
                "5: the day 2020-06-19 appears twice; first on line 2",
                "6: column 4: the GBP rate 2000000000 is out of range: it must be greater than 0 and at most 1000000000",
                "6: column 5: a value under no currency",
                "6: more columns than the header's 5",
            ])
        }
    }

    @Test("the shipped history (the ECB's CSV) reads whole, with the rates the ECB published on its first day and on 28 January and 18 June 2020")
    func shipped() throws {
        let path = HaulDataPaths.shippedRates
        let rates = try ECBRatesReader().read(fileAt: path)
        // ECB, eurofxref-hist: the first day of the euro, 4 January 1999, and the last day shipped.
        #expect(rates.days.first?.date.description == "1999-01-04" && rates.days.first?.rates["USD"] == decimal("1.1789"))
        #expect(rates.days.last?.date.description == "2026-04-13" && rates.days.last?.rates["GBP"] == decimal("0.87058"))
        let day = try #require(rates.days.first { $0.date.description == "2020-01-28" })
        #expect(day.rates["GBP"] == decimal("0.84603") && day.rates["USD"] == decimal("1.1005"))
        #expect(day.rates.count == 32)   // the 41 columns less the 9 no longer quoted by then (N/A): 7 the euro replaced, ROL and TRL redenominated
        let june = try #require(rates.days.first { $0.date.description == "2020-06-18" })
        #expect(june.rates["GBP"] == decimal("0.90028") && june.rates["USD"] == decimal("1.1222"))
        #expect(rates.days.count == 6983)   // one line per publication day: the file's 6,984 lines less its header
    }
}

import HaulData
enum HaulDataPaths {
    static var shippedRates: String { HaulData.valuationsDirectory.appendingPathComponent("rates/eurofxref-hist.csv").path }
}
