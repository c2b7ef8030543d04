import ArgumentParser
import HaulCore
import HaulXML
import Foundation

/// Small printing helpers shared by the subcommands.
enum Output {
    /// Pretty, key-sorted JSON text for `--json`.
    static func json(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]),
              let text = String(data: data, encoding: .utf8) else { return "null" }
        return text
    }

    /// Writes a line to standard error.
    static func error(_ text: String) {
        toStandardError(text + "\n")
    }

    /// Writes `text` to standard error as it is, with `write(2)`: when the reader has gone
    /// (`haul … 2>&1 | head -3`) the bytes are dropped. `FileHandle.write` stops the process
    /// on such an error, which turned a finished command into a crash (exit 132).
    static func toStandardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written > 0 { bytes = bytes.dropFirst(written) } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }

    /// An error as the user at the keyboard reads it: where, the whole message (personal data
    /// included: they supplied it) and what caused it. A library error's `description` would
    /// leave personal values out, which is right for a log but not for the person fixing the input.
    static func describe(_ error: any Error) -> String {
        // A case file's problems follow, one a line, as xmllint prints them.
        guard let error = error as? HaulXMLError else { return ErrorText.forUser(error) }
        return HaulXMLError.listing(ErrorText.forUser(error), error.diagnostics.map(\.description))
    }

    /// Pads `text` on the right to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// Pads `text` on the left to `width` characters: figures right-aligned in their column.
    static func right(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// An amount as people read it on a terminal (`Money.readable`): `£1,234,567.89`.
    static func money(_ money: Money) -> String { money.readable }

    static func money(_ amount: FixedDecimal, _ currency: Currency) -> String { money(Money(amount, currency)) }

    /// "1 item", "2 items": a count with its noun in the right number.
    static func count(_ count: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? singular : plural ?? singular + "s")"
    }

    /// `text` broken into lines of at most `width` characters at spaces, the lines after the
    /// first indented by `indent` (a word longer than the width stays whole).
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let limit = lines.isEmpty ? width : width - indent.count
            if !current.isEmpty && current.count + 1 + word.count > limit {
                lines.append(current)
                current = String(word)
            } else {
                current += (current.isEmpty ? "" : " ") + word
            }
        }
        lines.append(current)
        return lines.enumerated().map { $0.offset == 0 ? $0.element : indent + $0.element }.joined(separator: "\n")
    }

    enum Highlight: String {
        /// Overdue deadlines and refusals: red.
        case alarm = "31"
        /// Warnings: yellow.
        case warning = "33"
    }

    /// Whether standard output is a terminal that takes colour: not when NO_COLOR is set
    /// (no-color.org), nor in a pipe or a file.
    static let colours: Bool = ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
        && isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    /// `text` in `style` on a terminal that takes colour; as it is everywhere else.
    static func highlight(_ text: String, _ style: Highlight) -> String {
        colours ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}

/// Where a command's file goes, by the one output rule (`Publishing` in HaulXML): `-` is
/// standard output; a symbolic link to a file is refused unless `--follow` writes through it.
struct OutputOptions: ParsableArguments {
    @Flag(help: "When the output path is a symbolic link to a file, write to the file it points to (without it the link is refused, never replaced).")
    var follow = false

    /// The target for `path`.
    func target(_ path: String) -> URL {
        if path == "-" { return Publishing.standardOutput }
        let url = URL(fileURLWithPath: path)
        if follow, (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil { return url.resolvingSymlinksInPath() }
        return url
    }

    /// Prints a line about the work done: to standard output, or to standard error when the
    /// file itself went to standard output (`-o -`), so a pipe gets the file alone.
    static func say(_ line: String, fileOnStandardOutput: Bool) {
        if fileOnStandardOutput { Output.error(line) } else { print(line) }
    }
}

/// `--json` for a command that records something: it then prints what was recorded as JSON
/// (one object) instead of its sentence.
/// The options of every command that records: who records it, and JSON output.
struct RecordedJSON: ParsableArguments {
    @Flag(help: "Print what was recorded as JSON.") var json = false
    @Option(help: ArgumentHelp("Who records this, as the chain keeps it (default HAUL_ACTOR, else your login name).", valueName: "name"))
    var actor: String?

    /// Prints `object` as JSON when asked, else `sentence`.
    func report(_ sentence: @autoclosure () -> String, _ object: @autoclosure () -> [String: Any]) {
        print(json ? Output.json(object()) : sentence())
    }
}
