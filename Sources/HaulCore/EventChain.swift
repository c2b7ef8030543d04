import Crypto
import Foundation

/// The tamper-evident chain of a case's events.
///
/// A case has one chain holding every change: status moves (``StatusEvent``) and every other
/// record (``RecordEvent``: opening, items, people, valuations, confiscation inputs), numbered
/// together from 1. Each event's hash is SHA-256 over a canonical text of its content and the
/// previous event's hash, so altering, removing, inserting or reordering any event breaks every
/// hash after it; the newest hash (the chain head) goes into every export, so a copy kept
/// elsewhere can later prove that events were cut off the end.
///
/// The canonical text is one `key=value` line per field in a fixed order, after a version line,
/// with backslashes and line breaks escaped; absent fields are empty. It lives here, in the
/// vocabulary module, so every reader (the register, `haul validate`, an embedding program) can
/// verify a chain.
public enum EventChain {
    static func escape(_ text: String?) -> String {
        (text ?? "").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    /// The canonical text of a status move, for hashing.
    public static func canonicalText(case reference: Identifier, event: StatusEvent) -> String {
        var fields: [(String, String?)] = [
            ("case", reference.value),
            ("sequence", String(event.sequence)),
            ("at", event.at.iso8601),
            ("zone", event.at.zone),
            ("items", event.items.map(\.value).joined(separator: " ")),
            ("from", event.from?.rawValue),
            ("to", event.to.rawValue),
            ("regime", event.regime?.value),
            ("authority", event.authority),
            ("actor", event.actor),
            ("note", event.note),
            ("previous", event.previousHash),
        ]
        // Added with corrections; absent from ordinary events so their hashes never change.
        if let supersedes = event.supersedes { fields.append(("supersedes", String(supersedes))) }
        // Added with late moves (case file 1.4), likewise only when present.
        if let late = event.late { fields.append(("late", late)) }
        return "haul-event/1\n" + fields.map { "\($0.0)=\(escape($0.1))\n" }.joined()
    }

    /// The canonical text of a record (every change other than a status move), for hashing.
    /// The payload is hashed exactly as stored, so it never needs re-encoding to verify.
    public static func canonicalText(case reference: Identifier, record: RecordEvent) -> String {
        String(decoding: canonicalBytes(case: reference, record: record), as: UTF8.self)
    }

    /// The canonical text of a record as UTF-8 (see ``forEachCanonicalRun(case:record:_:)``).
    static func canonicalBytes(case reference: Identifier, record: RecordEvent) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(record.payload.utf8.count + record.reason.utf8.count + 256)
        forEachCanonicalRun(case: reference, record: record) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// Hands over the canonical text of a record in runs, in one pass: each field's bytes with
    /// `\` doubled and line feeds and carriage returns written `\n` and `\r`. Payloads run to
    /// tens of kilobytes and a record is hashed whenever it is written or verified, so the runs
    /// go straight into the hash, and a field is searched for those three bytes eight at a time.
    static func forEachCanonicalRun(case reference: Identifier, record: RecordEvent, _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        func literal(_ text: StaticString) {
            text.withUTF8Buffer { emit($0) }
        }
        func field(_ name: StaticString, _ value: String?) {
            literal(name)
            var text = value ?? ""
            text.withUTF8 { utf8 in
                var runStart = 0
                var index = 0
                let count = utf8.count
                while index < count {
                    // Eight bytes at a time while none of them is one of the three.
                    if index + 8 <= count {
                        let word = ByteWords.word(utf8, at: index)
                        if ByteWords.holds(word, UInt8(ascii: "\\")) | ByteWords.holds(word, 0x0A) | ByteWords.holds(word, 0x0D) == 0 { index += 8; continue }
                    }
                    let escaped: StaticString
                    switch utf8[index] {
                    case UInt8(ascii: "\\"): escaped = "\\\\"
                    case UInt8(ascii: "\n"): escaped = "\\n"
                    case UInt8(ascii: "\r"): escaped = "\\r"
                    default: index += 1; continue
                    }
                    emit(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                    literal(escaped)
                    index += 1
                    runStart = index
                }
                emit(UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
            }
            literal("\n")
        }
        literal("haul-record/1\n")
        field("case=", reference.value)
        field("sequence=", String(record.sequence))
        field("kind=", record.kind)
        field("at=", record.at.iso8601)
        field("zone=", record.at.zone)
        field("actor=", record.actor)
        field("reason=", record.reason)
        field("previous=", record.previousHash)
        field("payload=", record.payload)
    }

    /// SHA-256 of the canonical text, as 64 lower-case hex digits.
    public static func hash(case reference: Identifier, event: StatusEvent) -> String {
        hex(SHA256.hash(data: Data(canonicalText(case: reference, event: event).utf8)))
    }

    /// SHA-256 of a record's canonical text, as 64 lower-case hex digits.
    public static func hash(case reference: Identifier, record: RecordEvent) -> String {
        var hasher = SHA256()
        forEachCanonicalRun(case: reference, record: record) { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hex(hasher.finalize())
    }

    static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The first break in a chain, if any.
    public struct Break: Error, Hashable, Sendable {
        /// What went wrong where the chain breaks.
        public enum Kind: String, Sendable {
            /// `missing`: a sequence number was skipped (an event was removed); `reordered`: an event is
            /// out of place or does not follow the one before (reordered, removed, inserted or repeated);
            /// `altered`: an event's content no longer matches its hash; `truncated`: the recorded head is
            /// not in the chain (events were cut off the end, or the chain was rewritten).
            case missing, reordered, altered, truncated
        }

        /// What went wrong.
        public var kind: Kind
        /// The sequence number of the first event affected (for truncation, the last one kept).
        public var sequence: Int
        /// The break in words, naming the case and the event, for a person to read.
        public var message: String

    }

    /// Checks a case's status events as stored, in sequence order (a chain of status moves only,
    /// as case files before 1.3 carry); with `head`, also that the chain still contains the
    /// head recorded earlier (so nothing was cut off the end).
    public static func verify(case reference: Identifier, events: [StatusEvent], head: String? = nil) -> Break? {
        verify(case: reference, links: events.map(Link.status), head: head)
    }

    /// Checks a case's whole chain: its status moves and its records, merged by sequence.
    public static func verify(case reference: Identifier, events: [StatusEvent], records: [RecordEvent], head: String? = nil) -> Break? {
        verify(case: reference, links: merged(events, records), head: head)
    }

    /// One event of the chain, of either kind.
    public enum Link: Hashable, Sendable {
        /// A status move.
        case status(StatusEvent)
        /// Any other record: opening, items, people, valuations, confiscation inputs.
        case record(RecordEvent)

        /// The event's number in the case's chain, counted from 1.
        public var sequence: Int {
            switch self { case .status(let event): event.sequence; case .record(let record): record.sequence }
        }
        /// The hash of the event before, as stored; nil for the first event.
        public var previousHash: String? {
            switch self { case .status(let event): event.previousHash; case .record(let record): record.previousHash }
        }
        /// The event's hash as stored (SHA-256, 64 lower-case hex digits); verifying compares it with one computed from the content.
        public var hash: String {
            switch self { case .status(let event): event.hash; case .record(let record): record.hash }
        }
        /// What kind of event this is, as audit messages name it (`status move`, `payment`, …).
        public var label: String {
            switch self { case .status: "status move"; case .record(let record): record.kind }
        }
        func computedHash(case reference: Identifier) -> String {
            switch self {
            case .status(let event): EventChain.hash(case: reference, event: event)
            case .record(let record): EventChain.hash(case: reference, record: record)
            }
        }
    }

    /// Status events and records in one list, by sequence (a stable merge: equal numbers keep
    /// both, so a duplicated number is reported, not hidden).
    public static func merged(_ events: [StatusEvent], _ records: [RecordEvent]) -> [Link] {
        var links = events.map(Link.status) + records.map(Link.record)
        links.sort { $0.sequence < $1.sequence }
        return links
    }

    /// Checks links in the order given.
    public static func verify(case reference: Identifier, links: [Link], head: String? = nil) -> Break? {
        var previous: String?
        for (index, link) in links.enumerated() {
            let expected = index + 1
            if link.sequence != expected {
                return Break(kind: link.sequence > expected ? .missing : .reordered, sequence: expected,
                             message: link.sequence > expected
                                ? "case \(reference): event \(expected) is missing (the chain goes from \(expected - 1) to \(link.sequence)); it was removed"
                                : "case \(reference): event \(link.sequence) (\(link.label)) appears again after event \(expected - 1); the chain was reordered or an event was inserted")
            }
            if link.previousHash != previous {
                return Break(kind: .reordered, sequence: link.sequence,
                             message: "case \(reference): event \(link.sequence) (\(link.label)) does not follow event \(link.sequence - 1) (its previous hash is \(link.previousHash ?? "none"), the chain has \(previous ?? "none")); events were reordered, removed or inserted")
            }
            if link.computedHash(case: reference) != link.hash {
                return Break(kind: .altered, sequence: link.sequence,
                             message: "case \(reference): event \(link.sequence) (\(link.label)) was altered: its content no longer matches its hash \(link.hash)")
            }
            previous = link.hash
        }
        if let head, head != previous, !links.contains(where: { $0.hash == head }) {
            return Break(kind: .truncated, sequence: links.count,
                         message: "case \(reference): the recorded head \(head) is not in the chain, which now ends at event \(links.count) (\(previous ?? "empty")); events were cut off the end or the chain was rewritten")
        }
        return nil
    }
}

/// A break in a chain has the library's one error shape, under the code `broken-chain`.
extension EventChain.Break: HaulError {
    /// Always ``HaulErrorCode/brokenChain``.
    public var code: HaulErrorCode { .brokenChain }
    /// The message as it is: it names the case and the event, never their content.
    public var redactedMessage: String { message }
    /// None: a break is in the records, not at a place in a file.
    public var location: SourceLocation? { nil }
    /// None: a break is found, not caused.
    public var cause: (any Error)? { nil }
}
