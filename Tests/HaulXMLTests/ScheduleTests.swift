import Foundation
import HaulCore
import HaulTestSupport
import HaulData
import HaulXML
import Testing

@Suite("Schedule stylesheet")
struct ScheduleTests {
    @Test("the shipped stylesheet lays out the case file's own figures")
    func renders() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let caseFile = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: caseFile)
        let output = URL(fileURLWithPath: folder.path("schedule.html"))
        try DocumentRenderer().render(caseFile: caseFile.path, to: output)
        let html = try String(contentsOf: output, encoding: .utf8)
        #expect(html.contains("<strong>£10,500.00</strong>"))                    // the watch's market central, £ and grouped
        #expect(html.contains("Source: DrugWise Highways &amp; Buyways 2016 &lt;street&gt;"))
        #expect(html.contains("Event chain head \(Fixtures.hashB)"))
    }

    @Test("a stylesheet that tries to read a local file is stopped")
    func readsNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanUp() }
        let secret = try folder.write("secret.txt", "TOP SECRET")
        let stylesheet = try folder.write("evil.xsl", """
            <xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
              <xsl:template match="/"><out><xsl:copy-of select="document('file://\(secret)')"/></out></xsl:template>
            </xsl:stylesheet>
            """)
        let caseFile = URL(fileURLWithPath: folder.path("case.xml"))
        try CaseFileExporter().export(Fixtures.minimalCase(.nonValued(.phone)), to: caseFile)
        let output = URL(fileURLWithPath: folder.path("out.html"))
        do { try DocumentRenderer(stylesheet: URL(fileURLWithPath: stylesheet)).render(caseFile: caseFile.path, to: output) } catch {}
        let produced = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        #expect(!produced.contains("TOP SECRET"))
    }
}
