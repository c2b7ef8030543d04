import ArgumentParser
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
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Pads `text` on the right to `width` characters.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
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
