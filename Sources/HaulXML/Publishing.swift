import Foundation

/// Files are written beside their target under a temporary name, checked, and only then moved
/// into place in one step (a rename within one folder), so a reader never sees half a file and
/// a refused file never replaces a good one.
enum Publishing {
    /// A hidden name beside `target` for the file while it is written and checked.
    static func temporaryURL(beside target: URL, _ suffix: String = "tmp") -> URL {
        target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString.prefix(8)).\(suffix)")
    }

    /// Moves the checked file `temporary` to `target`; `what` names it in the error.
    static func publish(_ temporary: URL, as target: URL, what: String = "the validated file") throws(HaulXMLError) {
        guard rename(temporary.path, target.path) == 0 else {
            throw HaulXMLError(.io, "could not move \(what) into place at \(target.path): \(String(cString: strerror(errno)))")
        }
    }
}

extension XMLStreamWriter {
    /// An `nc:IdentificationType` element (NIEM 4 and 6 spell it alike): the identifier and,
    /// when given, what kind of identifier it is.
    func niemIdentification(_ element: String, _ id: String, category: String? = nil) throws(HaulXMLError) {
        try start(element)
        try self.element("nc:IdentificationID", id)
        try optionalElement("nc:IdentificationCategoryDescriptionText", category)
        try end()
    }
}
