import Foundation
import HaulData
import Testing

/// The schedule as PDF, read back by poppler (pdfinfo, pdftotext): A4, the title of proceedings
/// and "Page N of M" on every page, the figures as `confiscation show` works them out, and
/// nothing addressed to Haul's user.
@Suite("the schedule as PDF")
struct SchedulePDFTests {
    let cli = CLITests()

    func tool(_ name: String) throws -> String? { try CLITests.tool(name, package: name == "weasyprint" ? "weasyprint" : "poppler-utils") }

    func output(_ executable: String, _ arguments: [String]) throws -> String { try cli.runTool(executable, arguments).stdout }

    /// A plain amount ("666652.11") as the documents print it in pounds ("£666,652.11"), worked here independently.
    static func pounds(_ plain: String) -> String {
        let parts = plain.split(separator: ".")
        var digits = String(parts[0]), grouped = ""
        while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits = String(digits.dropLast(3)) }
        return "£" + digits + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// A case with a defendant, proceedings and a benefit, in a new register (the caller removes the folder).
    func caseWithProceedings(prosecutor: Bool = false) throws -> (folder: String, run: (String...) throws -> CLITests.Result) {
        let (folder, _, env) = try cli.importedExample()
        let run: (String...) throws -> CLITests.Result = { arguments in try cli.haulArray(arguments, environment: env) }
        #expect(try run("value", "SW-2020-0417", "--save").status == 0)
        #expect(try run("person", "add", "SW-2020-0417", "--id", "P-1", "--role", "defendant", "--name", "Aaron Bell").status == 0)
        var proceedings = ["case", "proceedings", "SW-2020-0417", "--court", "Bristol Crown Court", "--number", "T20217001", "--defendant", "P-1"]
        if prosecutor { proceedings += ["--prosecutor", "Crown Prosecution Service"] }
        #expect(try cli.haulArray(proceedings, environment: env).status == 0)
        #expect(try run("confiscation", "benefit", "SW-2020-0417", "--description", "Proceeds", "--obtained", "2019-09-01", "--value", "750000").status == 0)
        return (folder, run)
    }

    /// Each page's text as pdftotext lays it out, after checking the page size is A4.
    func pageTexts(_ pdf: String, pdfinfo: String, pdftotext: String) throws -> [String] {
        let info = try output(pdfinfo, [pdf])
        #expect(info.contains("Page size:       595.276 x 841.89 pts (A4)"), "\(info)")
        let pages = try #require(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }.flatMap { Int($0.split(separator: " ").last ?? "") })
        return try (1...pages).map { page in try output(pdftotext, ["-layout", "-f", "\(page)", "-l", "\(page)", pdf, "-"]) }
    }

    @Test("A4 pages, each with the title of proceedings and its page number; the figures as confiscation show gives them, £ and grouped")
    func pages() throws {
        guard try tool("weasyprint") != nil, let pdfinfo = try tool("pdfinfo"), let pdftotext = try tool("pdftotext") else { return }
        let (folder, run) = try caseWithProceedings()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let pdf = folder + "/schedule.pdf"
        let written = try run("schedule", "SW-2020-0417", "-o", pdf)
        #expect(written.status == 0, "\(written.stderr)")
        let texts = try pageTexts(pdf, pdfinfo: pdfinfo, pdftotext: pdftotext)
        #expect(texts.count >= 2)
        for (index, text) in texts.enumerated() {
            #expect(text.contains("R v Aaron Bell — Bristol Crown Court, T20217001 — Schedule of assets"), "page \(index + 1) has no title of proceedings")
            #expect(text.contains("Page \(index + 1) of \(texts.count)"), "page \(index + 1) has no page number")
        }
        let whole = texts.joined()
        // No instruction to Haul's user reaches the court's copy.
        #expect(!whole.contains("haul "), "a haul command is printed in the schedule")
        // The watches' figures rest on illustrative rows: marked in the summary, with the notice.
        let summaryWatch = whole.split(separator: "\n").first { $0.contains("I-010") && $0.contains("HAL/SH/2") }
        #expect(summaryWatch?.contains("market [I]") == true, "\(summaryWatch ?? "")")
        #expect(whole.contains("Figures marked [I] rest on illustrative price rows"))

        // The available amount as confiscation show gives it, grouped with its symbol.
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try run("confiscation", "show", "SW-2020-0417", "--json").stdout.utf8)) as? [String: Any])
        let expected = Self.pounds(try #require(shown["availableAmount"] as? String))
        #expect(whole.contains("available amount " + expected), "\(expected) not in the PDF")
    }

    @Test("without WeasyPrint on the PATH, a PDF is refused naming the package, and the HTML still written")
    func withoutWeasyPrint() throws {
        let (folder, _, env) = try cli.importedExample()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bare = env
        bare["PATH"] = folder   // nothing there
        let refused = try cli.haulArray(["schedule", "SW-2020-0417", "-o", folder + "/s.pdf"], environment: bare)
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/weasyprint") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/weasyprint") {
            // Found in its usual place whatever PATH says: this check needs a machine without it.
            return
        }
        #expect(refused.status == 1 && refused.stderr.contains("needs WeasyPrint (Debian: apt-get install weasyprint)"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/s.pdf"))
        #expect(try cli.haulArray(["schedule", "SW-2020-0417", "-o", folder + "/s.html"], environment: bare).status == 0)
    }

    @Test("the statement of information: A4, titled and numbered on every page, the figures of confiscation show on its date, a statement of truth signed by its author")
    func statement() throws {
        guard try tool("weasyprint") != nil, let pdfinfo = try tool("pdfinfo"), let pdftotext = try tool("pdftotext") else { return }
        let (folder, run) = try caseWithProceedings(prosecutor: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try run("interest", "I-006", "--person", "P-1", "--owner", "50").status == 0)

        let pdf = folder + "/statement.pdf"
        let written = try run("statement", "SW-2020-0417", "--author", "Jane Smith", "--role", "Senior Crown Prosecutor", "--on", "2021-10-01", "-o", pdf)
        #expect(written.status == 0, "\(written.stderr)")
        let texts = try pageTexts(pdf, pdfinfo: pdfinfo, pdftotext: pdftotext)
        for (index, text) in texts.enumerated() {
            #expect(text.contains("R v Aaron Bell — Bristol Crown Court, T20217001 — Statement of information"), "page \(index + 1)")
            #expect(text.contains("Page \(index + 1) of \(texts.count)"), "page \(index + 1)")
        }
        let whole = texts.joined()
        #expect(!whole.contains("haul "))
        #expect(whole.contains("Prepared by Jane Smith, Senior Crown Prosecutor, on 1 October 2021"))
        #expect(whole.contains("Statement of truth. I believe that the facts stated in this statement are true."))
        #expect(whole.contains("On behalf of") && whole.contains("Crown Prosecution Service"))
        // Every figure the court is asked to find, as confiscation show gives it on the same date.
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(try run("confiscation", "show", "SW-2020-0417", "--on", "2021-10-01", "--json").stdout.utf8)) as? [String: Any])
        func pounds(_ key: String) throws -> String { Self.pounds(try #require(shown[key] as? String)) }
        let flat = whole.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(flat.contains("benefit from the relevant criminal conduct is \(try pounds("benefit")) (s.8)"), "\(flat.suffix(800))")
        #expect(flat.contains("amount of the confiscation order, is \(try pounds("recoverableAmount")) (s.7)"))
        // The defendant's half of the car, and whose interest it is, named with the asset.
        #expect(flat.contains("the defendant's 50 % share (s.79(3))") && flat.contains("Aaron Bell (defendant) owner, 50 %"))
        // The watches are priced from illustrative rows (valuations/GB-EAW/watches.csv, marked I): each
        // is marked and the notice says what that means; the cash, counted at face value, is not.
        #expect(flat.contains("Values marked [I] rest on illustrative price rows"))
        #expect(flat.contains("the available amount is \(try pounds("availableAmount")) (s.9), a figure that includes values marked [I]"))
        #expect(flat.range(of: #"I-010 \(HAL/SH/2\) watch, realisable value \[I\] £[0-9,.]+ POCA"#, options: .regularExpression) != nil, "\(flat)")
        #expect(flat.range(of: #"I-009 \(HAL/SH/1\) cash, face value £30,000.00 POCA"#, options: .regularExpression) != nil)
    }
}
