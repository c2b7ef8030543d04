import Foundation
import HaulCore

/// Reads the European Central Bank's euro reference-rate XML: the daily file
/// (`eurofxref-daily.xml`) and the history files (`eurofxref-hist.xml`, `-hist-90d`).
///
/// Structure: a `gesmes:Envelope` holding `Cube` elements in the namespace
/// `http://www.ecb.int/vocabulary/2002-08-01/eurofxref`, one `Cube time="YYYY-MM-DD"` per day
/// with `Cube currency="USD" rate="1.0705"` children (1 EUR = rate units). Days may come in any
/// order (the history file runs newest first). The file is read with the same safe streaming
/// parser as case files: no DTD, no entities, no network, bounded size.
///
/// ```swift
/// let rates = try ECBRatesReader().read(fileAt: "eurofxref-hist.xml")
/// ```
public struct ECBRatesReader: Sendable {
    public static let namespace = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref"
    public var limits: XMLReadLimits

    public init(limits: XMLReadLimits = .standard) { self.limits = limits }

    /// Reads every day; throws with every problem as `file:line: message` if any.
    public func read(fileAt path: String, displayName: String? = nil) throws(HaulXMLError) -> ReferenceRates {
        let name = displayName ?? path
        let collector = ECBCubeCollector(file: name)
        var diagnostics = try SafeXMLStream.run(path: path, displayName: name, schema: nil, limits: limits, handlers: [collector])
        if diagnostics.isEmpty { diagnostics = collector.problems }
        if diagnostics.isEmpty && collector.days.isEmpty {
            diagnostics = [XMLDiagnostic(file: name, line: 0, message: "no rates found: expected ECB reference-rate XML (Cube time=… with Cube currency=… rate=…)", origin: .semantic)]
        }
        guard diagnostics.isEmpty else {
            throw HaulXMLError(.invalidDocument, "\(name) is not a usable ECB reference-rate file; nothing was read", diagnostics: diagnostics)
        }
        return ReferenceRates(days: collector.days)
    }
}

final class ECBCubeCollector: XMLEventHandler {
    private enum Cube { case outer, day, rate }

    private let file: String
    private(set) var days: [ReferenceRates.Day] = []
    private(set) var problems: [XMLDiagnostic] = []
    private var current: ReferenceRates.Day?
    private var open: [Cube] = []
    private var seenDates: [CalendarDate: Int] = [:]

    init(file: String) { self.file = file }

    private func problem(_ line: Int, _ message: String) {
        if problems.count < 100 { problems.append(XMLDiagnostic(file: file, line: line, message: message, origin: .semantic)) }
    }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        guard name == "Cube", namespace == ECBRatesReader.namespace else { return }
        if let time = attributes["time"] {
            open.append(.day)
            guard let date = try? CalendarDate(parsing: time) else { return problem(line, "'\(time)' is not a date (YYYY-MM-DD)") }
            if let first = seenDates[date] { problem(line, "the day \(time) appears twice; first on line \(first)") }
            seenDates[date] = line
            current = ReferenceRates.Day(date: date, rates: [:], source: file, line: line)
        } else if let code = attributes["currency"] {
            open.append(.rate)
            guard current != nil else { return problem(line, "a rate outside any day's Cube") }
            guard (try? Currency(code: code)) != nil else { return problem(line, "'\(code)' is not an ISO 4217 currency code") }
            guard let text = attributes["rate"], let rate = try? DecimalText.parse(text, allowNegative: false), rate > 0 else {
                return problem(line, "the \(code) rate '\(attributes["rate"] ?? "")' is not a positive plain decimal")
            }
            // Within what a case file records of a rate (the schema's Rate): an extreme rate can
            // only be a mistake, and would make figures no case file can hold.
            do { try SchemaBounds.rate.check(rate, "the \(code) rate") } catch { return problem(line, error.message) }
            current?.rates[code] = rate
        } else {
            open.append(.outer)
        }
    }

    func text(_ text: String) {}
    var wantsText: Bool { false }

    func endElement(_ name: String, line: Int) {
        guard name == "Cube", let closing = open.popLast() else { return }
        if closing == .day, let day = current {
            if !day.rates.isEmpty { days.append(day) }
            current = nil
        }
    }
}
