import Foundation
import Testing

/// The README as a reader's Markdown renderer shows it (markdown-it-py, CommonMark with tables):
/// the commands table renders as a table, every command and option is documented, and every
/// link stays inside the repository.
@Suite("README rendering")
struct ReadmeRenderTests {
    let cli = CLITests()
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A python3 that can import markdown_it (Debian: python3-markdown-it), or nil.
    static func python() throws -> String? { try CLITests.python(importing: "markdown_it", package: "python3-markdown-it") }

    @Test("the commands table renders with one row per command line; every command and option is in the README; links stay in the repository")
    func renders() throws {
        guard let python = try Self.python() else { return }
        let readme = Self.repository.appendingPathComponent("README.md").path
        // Rendered independently: the rows of the table under "## Commands", and every link target.
        let script = """
            import json, sys
            from markdown_it import MarkdownIt
            text = open(sys.argv[1], encoding='utf-8').read()
            tokens = MarkdownIt('commonmark').enable('table').parse(text)
            section, tables, rows, links = None, [], None, []
            for i, token in enumerate(tokens):
                if token.type == 'heading_open':
                    section = tokens[i + 1].content
                if token.type == 'table_open':
                    rows = []
                    tables.append({'section': section, 'rows': rows})
                if token.type == 'tr_open' and rows is not None:
                    rows.append([])
                if token.type == 'inline' and rows is not None and tokens[i - 1].type in ('td_open', 'th_open'):
                    rows[-1].append(token.content)
                if token.type == 'table_close':
                    rows = None
                for child in (token.children or []):
                    if child.type == 'link_open':
                        links.append(child.attrs.get('href'))
            print(json.dumps({'tables': tables, 'links': links}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", script, readme]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rendered = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let tables = try #require(rendered["tables"] as? [[String: Any]])
        let commands = try #require(tables.first { $0["section"] as? String == "Commands" })
        let rows = try #require(commands["rows"] as? [[String]]).dropFirst()   // the header row
        let text = try String(contentsOfFile: readme, encoding: .utf8)
        let start = try #require(text.range(of: "## Commands\n"))
        let section = String(text[start.upperBound...]).components(separatedBy: "\n## ")[0]
        // The rows as written: from the table's header to the first line of prose (blank lines
        // skipped, so a blank line that cuts the table short, turning the rows after it into
        // plain text, is caught).
        let lines = section.components(separatedBy: "\n")
        let header = try #require(lines.firstIndex(of: "| command | what it does |"))
        let sourceRows = lines[(header + 2)...].filter { !$0.isEmpty }.prefix { $0.hasPrefix("|") }
        #expect(rows.count == sourceRows.count, "\(rows.count) rendered rows, \(sourceRows.count) written")
        #expect(rows.allSatisfy { $0.count == 2 && !$0[1].isEmpty }, "a row lost its cells (an unescaped | ?)")

        // Every command haul lists, and every option it takes, appears in the README.
        let dump = try cli.haul("--experimental-dump-help")
        let help = try #require(try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])
        var missing: [String] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            let name = command["commandName"] as? String ?? ""
            let here = name == "haul" ? path : path + [name]
            let shown = command["shouldDisplay"] as? Bool ?? true
            guard shown else { return }
            if !here.isEmpty {
                // A command nested under a group may be written in the group's row (`order REF …`).
                let written = text.contains("haul " + here.joined(separator: " ")) || (here.count == 2 && sourceRows.contains { row in
                    row.hasPrefix("| `haul \(here[0])") && (row.contains("`\(here[1]) ") || row.contains("\\|\(here[1]) ") || row.contains(" \(here[1])\\|"))
                })
                if !written { missing.append("haul " + here.joined(separator: " ")) }
            }
            for argument in command["arguments"] as? [[String: Any]] ?? [] where argument["shouldDisplay"] as? Bool ?? true {
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    let flag = "--" + (name["name"] as? String ?? "")
                    if !["--help", "--version"].contains(flag) && !text.contains(flag) { missing.append("haul \(here.joined(separator: " ")) \(flag)") }
                }
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, here) }
        }
        walk(try #require(help["command"] as? [String: Any]), [])
        #expect(missing.isEmpty, "not in the README: \(missing)")

        // Links point into the repository, at files that exist.
        for link in rendered["links"] as? [String] ?? [] {
            #expect(!link.contains("://") && !link.hasPrefix("mailto:"), "\(link) leaves the repository")
            let path = String(link.prefix { $0 != "#" })
            if !path.isEmpty { #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent(path).path), "\(link) names no file") }
        }
    }
}
