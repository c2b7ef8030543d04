import Foundation
import GRDB
import HaulCore

extension SQLiteRegister {
    /// Imports a case file into a register that does not exist yet: the register is built in a
    /// file of its own beside `path`, named `path` only once it is complete and on disk.
    ///
    /// A register in use keeps every change in its write-ahead log and copies it into the file
    /// afterwards, so a large import writes each page twice (a 1,000,000-item case: 1.1 GB
    /// twice). A register nobody else can have open yet needs no log: its pages are written once
    /// and the finished file is switched to WAL before it is named. Nothing is at `path` until the
    /// import has succeeded; a refused file leaves nothing behind.
    ///
    /// - Parameters:
    ///   - path: Where the register is to be; nothing may be there.
    ///   - actor: Who imports the case, as its records keep it.
    ///   - recordedAt: When it is recorded.
    ///   - provenance: Where the file came from, kept with the case.
    ///   - read: Reads the file as ``importCase(actor:recordedAt:provenance:streaming:)`` takes it;
    ///     called again, from the start, when the import falls back to an ordinary one.
    /// - Returns: The register now at `path` and what was imported; nil when a register was at
    ///   `path` already, appeared there during the import, or the file system there has no hard
    ///   links (import into it with ``importCase(actor:recordedAt:provenance:streaming:)`` then).
    /// - Throws: What the reader or the import throws (nothing is left at `path` or beside it),
    ///   or `StoreError` `.io` when the finished file cannot be put in place.
    public static func importCase(intoNewRegisterAt path: String, actor: String, recordedAt: Date, provenance: String? = nil,
                                  streaming read: (_ item: @escaping (Identifier, Int, Identifier, Item) throws -> Void) throws -> Case)
        throws -> (register: SQLiteRegister, case: Case, items: Int, events: Int)? {
        guard !FileManager.default.fileExists(atPath: path) else { return nil }
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        // The folders made for it, deepest first: removed again if the import is refused.
        var made: [String] = []
        var missing = folder
        while !FileManager.default.fileExists(atPath: missing.path), missing.path != "/" {
            made.append(missing.path)
            missing = missing.deletingLastPathComponent()
        }
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw StoreError(.io, "cannot make the folder for the register at \(path)", cause: error)
        }
        func removeMadeFolders() { for path in made { rmdir(path) } }
        // Hidden, and named for this process, so no one mistakes it for a register. An import
        // holds a lock on its staged file for as long as it runs: one whose lock can be taken was
        // left by an import that was killed, and is removed first (it can be gigabytes). A
        // process id alone would not tell: the importer may run on another host or container.
        let prefix = ".\(target.lastPathComponent).importing-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(prefix) && !name.hasSuffix("-journal") {
            let leftover = folder.appendingPathComponent(name).path
            let descriptor = Glibc.open(leftover, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { for suffix in ["", "-journal"] { unlink(leftover + suffix) } }
            Glibc.close(descriptor)
        }
        let staged = folder.appendingPathComponent("\(prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        // Made and locked before SQLite opens it, so no other import's sweep can take it.
        let lockDescriptor = Glibc.open(staged, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard lockDescriptor >= 0, flock(lockDescriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = String(cString: strerror(errno))
            if lockDescriptor >= 0 { Glibc.close(lockDescriptor); unlink(staged) }
            removeMadeFolders()
            throw StoreError(.io, "cannot make the file an import builds the register in, beside \(path): \(reason); nothing was imported")
        }
        // Closed before the finished register is opened: closing any descriptor of a file drops
        // every POSIX lock the process holds on it, SQLite's included.
        var lockHeld = true
        func releaseLock() { if lockHeld { Glibc.close(lockDescriptor); lockHeld = false } }
        defer { releaseLock() }
        func removeStaged() { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(staged + suffix) } }
        let imported: (case: Case, items: Int, events: Int)
        do {
            let staging = try SQLiteRegister(path: staged, create: true, mustExist: false, busyTimeout: 30, staging: true)
            imported = try staging.importCase(actor: actor, recordedAt: recordedAt, provenance: provenance, streaming: read)
            // The finished file is a register like any other: WAL from its first opening.
            try staging.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try staging.pool.close()
        } catch {
            removeStaged()
            removeMadeFolders()
            throw error
        }
        // On disk before it has its name, and the name on disk after.
        func sync(_ file: String, _ flags: Int32) -> Bool {
            let descriptor = Glibc.open(file, flags | O_CLOEXEC)
            guard descriptor >= 0 else { return false }
            defer { Glibc.close(descriptor) }
            return fsync(descriptor) == 0
        }
        guard sync(staged, O_RDONLY) else {
            let reason = String(cString: strerror(errno))
            removeStaged()
            removeMadeFolders()
            throw StoreError(.io, "cannot write the imported register to disk beside \(path): \(reason); nothing was imported")
        }
        // link(2) names the file only if nothing has that name: a register made at `path` in the
        // meantime is never replaced.
        if link(staged, path) != 0 {
            let reason = errno
            removeStaged()
            // A register there now, or a file system without hard links (FAT, some network and
            // FUSE mounts): the ordinary import, into the register at `path`, does.
            if [EEXIST, EPERM, ENOTSUP, EOPNOTSUPP, EMLINK, ENOSYS, EXDEV].contains(reason) {
                if reason != EEXIST { removeMadeFolders() }
                return nil
            }
            removeMadeFolders()
            throw StoreError(.io, "cannot put the imported register at \(path): \(String(cString: strerror(reason))); nothing was imported")
        }
        removeStaged()
        // The name made durable too; a file system that cannot sync a folder has it on disk in
        // its own time, and the register is complete under its name either way.
        _ = sync(folder.path, O_RDONLY | O_DIRECTORY)
        releaseLock()
        return (try SQLiteRegister(path: path), imported.case, imported.items, imported.events)
    }
}
