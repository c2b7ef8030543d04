import Foundation

/// How every file Haul writes reaches its target, whatever the target is:
///
/// - `-` is standard output: the checked file is copied there.
/// - A regular file, or a path not there yet, is written beside it in a private folder (0700),
///   checked, and renamed into place in one step, so a reader never sees half a file and a refused
///   file never replaces a good one. It keeps the permissions of the file it replaces; a new file
///   is private (0600), since case files, schedules and calendars hold personal data.
/// - A device or FIFO is written through, never replaced: the file is written and checked in a
///   private folder of the system's temporary directory, then copied to it (a socket cannot be
///   opened as a file, and is refused).
/// - A symbolic link is refused, never silently replaced (the command line resolves it first when
///   asked to with `--follow`); a missing folder is named.
///
/// The private folder and everything in it are removed on every path out (``discard(_:)``).
public enum Publishing {
    /// Where `target` is to be written.
    enum Kind {
        case standardOutput
        /// A regular file (its permission bits) or a new path (nil).
        case file(mode: mode_t?)
        /// A character or block device, FIFO or socket.
        case writtenThrough
        case symbolicLink
        case directory
    }

    /// Why a file could not be read, in words for the person who named it.
    package static func whyUnreadable(_ path: String) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return "there is no such file" }
        if isFolder.boolValue { return "it is a folder, not a file" }
        return FileManager.default.isReadableFile(atPath: path) ? "it could not be opened" : "permission denied"
    }

    /// What `-` stands for: the process's standard output (whatever it is redirected to).
    public static let standardOutput = URL(fileURLWithPath: "/dev/stdout")

    static func kind(of target: URL) -> Kind {
        if target.path == standardOutput.path { return .standardOutput }
        var info = stat()
        guard lstat(target.path, &info) == 0 else { return .file(mode: nil) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file(mode: info.st_mode & 0o777)   // never setuid, setgid or sticky bits
        case S_IFDIR: return .directory
        case S_IFLNK:
            // A link to a device or pipe (/dev/fd/1, say) is written through; a link to a file is
            // never replaced.
            var pointed = stat()
            guard stat(target.path, &pointed) == 0 else { return .symbolicLink }
            let type = pointed.st_mode & S_IFMT
            return type == S_IFREG || type == S_IFDIR ? .symbolicLink : .writtenThrough
        default: return .writtenThrough
        }
    }

    /// A file in a new private folder where `target`'s content is written and checked: beside a
    /// file target (so the rename stays on one file system), else in the temporary directory.
    /// Throws, naming it, when the target's folder does not exist.
    public static func temporaryURL(beside target: URL, _ suffix: String = "tmp") throws(HaulXMLError) -> URL {
        let base: String
        switch kind(of: target) {
        case .file, .symbolicLink, .directory:
            let folder = target.deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw HaulXMLError(.io, "cannot write \(target.path): the folder \(folder) does not exist")
            }
            base = folder
        case .standardOutput, .writtenThrough:
            base = FileManager.default.temporaryDirectory.path
        }
        var template = Array((base + "/.haul-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw HaulXMLError(.io, "cannot write beside \(target.path): \(String(cString: strerror(errno)))")
        }
        let name = target.path == "-" ? "stdout" : target.lastPathComponent
        return URL(fileURLWithPath: String(cString: made)).appendingPathComponent("\(name).\(suffix)")
    }

    /// Removes a file from ``temporaryURL(beside:_:)`` and its private folder.
    public static func discard(_ temporary: URL) {
        try? FileManager.default.removeItem(at: temporary)
        let folder = temporary.deletingLastPathComponent()
        if folder.lastPathComponent.hasPrefix(".haul-") { try? FileManager.default.removeItem(at: folder) }
    }

    /// Moves the checked file `temporary` to `target` by the rules above; `what` names it in errors.
    public static func publish(_ temporary: URL, as target: URL, what: String = "the validated file") throws(HaulXMLError) {
        switch kind(of: target) {
        case .standardOutput:
            try copy(temporary, toDescriptor: FileHandle.standardOutput.fileDescriptor, target: "standard output", what: what)
        case .writtenThrough:
            // Opened without following a link and without blocking, then checked to be the device
            // or FIFO looked at (not a file swapped in meanwhile); a FIFO nobody reads is an error,
            // not a hang. A link to a device (/dev/stdout is one) is followed: it cannot point at a file here.
            var before = stat()
            let isLink = lstat(target.path, &before) == 0 && before.st_mode & S_IFMT == S_IFLNK
            if isLink { _ = stat(target.path, &before) }
            let descriptor = open(target.path, O_WRONLY | O_NOCTTY | O_NONBLOCK | (isLink ? 0 : O_NOFOLLOW))
            guard descriptor >= 0 else {
                let reason = errno == ENXIO ? "nothing is reading it" : String(cString: strerror(errno))
                throw HaulXMLError(.io, "cannot write \(what) to \(target.path): \(reason)")
            }
            defer { close(descriptor) }
            var opened = stat()
            let type = fstat(descriptor, &opened) == 0 ? opened.st_mode & S_IFMT : 0
            guard type == S_IFCHR || type == S_IFBLK || type == S_IFIFO, opened.st_dev == before.st_dev, opened.st_ino == before.st_ino else {
                throw HaulXMLError(.io, "\(target.path) changed while it was being opened; nothing written")
            }
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
            try copy(temporary, toDescriptor: descriptor, target: target.path, what: what)
        case .symbolicLink:
            throw HaulXMLError(.io, "\(target.path) is a symbolic link; Haul does not replace it (give --follow to write to the file it points to)")
        case .directory:
            throw HaulXMLError(.io, "\(target.path) is a folder; name a file to write")
        case .file(let mode):
            guard chmod(temporary.path, mode ?? 0o600) == 0, rename(temporary.path, target.path) == 0 else {
                throw HaulXMLError(.io, "could not move \(what) into place at \(target.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Copies a file to an open descriptor, all of it or an error (a full disk, a closed pipe).
    private static func copy(_ file: URL, toDescriptor descriptor: Int32, target: String, what: String) throws(HaulXMLError) {
        guard let input = FileHandle(forReadingAtPath: file.path) else { throw HaulXMLError(.io, "cannot read \(what) back to write it to \(target)") }
        defer { try? input.close() }
        while true {
            let chunk: Data
            do { chunk = try input.read(upToCount: 1 << 20) ?? Data() } catch { throw HaulXMLError(.io, "cannot read \(what) back: \(error: error)") }
            if chunk.isEmpty { return }
            var offset = 0
            let failure: Int32? = chunk.withUnsafeBytes { bytes -> Int32? in
                while offset < bytes.count {
                    let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += written
                }
                return nil
            }
            if let failure { throw HaulXMLError(.io, "writing \(what) to \(target) failed: \(String(cString: strerror(failure)))") }
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
