import Foundation
import HaulCore

/// Files that ship with Haul: the case-file schemas and the bundled example cases.
///
/// In the repository these live in `schemas/` and `examples/` (links into this target), so
/// `xmllint --schema schemas/haul-case-1.xsd` works from a checkout and the installed binary
/// finds the same files in its resource bundle.
public enum HaulData {
    /// The folder holding the shipped XSD files.
    public static var schemasDirectory: URL { resource("schemas") }

    /// The folder holding the bundled example cases.
    public static var examplesDirectory: URL { resource("examples") }

    /// The folder holding the shipped price tables (`valuations/<JURISDICTION>/`) and rates (`valuations/rates/`).
    public static var valuationsDirectory: URL { resource("valuations") }

    /// The folder holding the shipped rule packs (`rules/<JURISDICTION>/<regime>/`).
    public static var rulesDirectory: URL { resource("rules") }

    /// The case-file schema of major version 1.
    public static var caseSchemaV1: URL { schemasDirectory.appendingPathComponent("haul-case-1.xsd") }

    /// The NIEM 6.0 seized-property profile: the extension schema holding the document root,
    /// beside the NIEM subset it imports (`schemas/niem/`).
    public static var niemProfileSchema: URL { schemasDirectory.appendingPathComponent("niem/haul-seized-property.xsd") }

    /// A bundled example by file name, e.g. `south-west-2020.xml`.
    public static func example(_ name: String) -> URL { examplesDirectory.appendingPathComponent(name) }

    /// Why Haul's data could not be found, in one line, in the library's one error shape: the
    /// code `not-found` and the message, which names the folder `HAUL_DATA` gave when it was set.
    public struct Missing: HaulError {
        /// Where Haul looked and how to point it at its data (`HAUL_DATA`).
        public var message: String

        /// An error saying Haul's data could not be found.
        ///
        /// - Parameter message: Where Haul looked and how to point it at its data.
        public init(message: String) { self.message = message }
        /// Always `HaulErrorCode.notFound`.
        public var code: HaulErrorCode { .notFound }
        /// The message as it is: it names a folder and Haul's own files, no one's data.
        public var redactedMessage: String { message }
        /// None: the message says where Haul looked.
        public var location: SourceLocation? { nil }
        /// None: nothing failed underneath, the files are not there.
        public var cause: (any Error)? { nil }
    }

    /// The folder holding `schemas/`, `examples/`, `valuations/` and `rules/`, looked for once:
    /// `$HAUL_DATA`; the resource bundle beside the executable (a build folder); `../share/haul`
    /// beside it (an installed copy); the bundle beside the running test bundle; this source
    /// checkout's `Resources`. Never through `Bundle.module`, which stops the process when the
    /// bundle is missing.
    static let root: URL? = {
        var candidates: [URL] = []
        if let given = ProcessInfo.processInfo.environment["HAUL_DATA"], !given.isEmpty {
            // Named explicitly: that folder or nothing, never a silent fallback.
            let folder = URL(fileURLWithPath: given)
            return FileManager.default.fileExists(atPath: folder.appendingPathComponent("schemas/haul-case-1.xsd").path) ? folder : nil
        }
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent() {
            candidates.append(executable.appendingPathComponent("Haul_HaulData.resources"))
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("share/haul"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("Haul_HaulData.resources"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("Haul_HaulData.resources"))
        #if DEBUG
        // A development build may read the checkout it was built from; a release build never
        // reaches for a path of the machine it was built on.
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources"))
        #endif
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("schemas/haul-case-1.xsd").path) }
    }()

    /// Where Haul's data is, or why it cannot be found: call once at start-up, so a binary
    /// copied without its data says so in one line instead of stopping on first use.
    public static func locate() throws(Missing) -> URL {
        guard let root else {
            if let given = ProcessInfo.processInfo.environment["HAUL_DATA"], !given.isEmpty {
                throw Missing(message: "HAUL_DATA is \(given), which holds no schemas/haul-case-1.xsd; point it at the folder holding Haul's schemas/, rules/ and valuations/")
            }
            throw Missing(message: "cannot find Haul's data (schemas, rules, price tables): install it beside the binary as ../share/haul (see the README's \"Install\"), or set HAUL_DATA to the folder holding schemas/ and rules/")
        }
        return root
    }

    private static func resource(_ name: String) -> URL {
        guard let root else { preconditionFailure("Haul's data is missing; HaulData.locate() says why") }
        return root.appendingPathComponent(name)
    }
}
