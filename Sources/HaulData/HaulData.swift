import Foundation

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

    private static func resource(_ name: String) -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            preconditionFailure("Haul's resource bundle has no '\(name)' folder; the installation is incomplete")
        }
        return url
    }
}
