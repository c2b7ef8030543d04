import Crypto
import Foundation
import HaulCore

/// The tamper-evident chain of a case's events.
///
/// Each event's hash is SHA-256 over a canonical text of its content and the previous event's
/// hash, so altering, removing or reordering any event breaks every hash after it; and the
/// newest hash (the chain head) goes into every export, so a copy kept elsewhere can later
/// prove that events were cut off the end.
///
/// The canonical text is one `key=value` line per field in a fixed order, after a version line,
/// with backslashes and line breaks escaped; absent fields are empty.
public enum EventChain {
    /// The canonical text of an event's content, for hashing.
    public static func canonicalText(case reference: Identifier, event: StatusEvent) -> String {
        func escape(_ text: String?) -> String {
            (text ?? "").replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        }
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
        return "haul-event/1\n" + fields.map { "\($0.0)=\(escape($0.1))\n" }.joined()
    }

    /// SHA-256 of the canonical text, as 64 lower-case hex digits.
    public static func hash(case reference: Identifier, event: StatusEvent) -> String {
        let digest = SHA256.hash(data: Data(canonicalText(case: reference, event: event).utf8))
        return digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The first break in a chain, if any.
    public struct Break: Error, Hashable, Sendable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case missing, reordered, altered, truncated
        }

        public var kind: Kind
        /// The sequence number of the first event affected (for truncation, the last one kept).
        public var sequence: Int
        public var message: String

        public var description: String { message }
    }

    /// Checks a case's events as stored, in sequence order; with `head`, also that the chain
    /// still contains the head recorded earlier (so nothing was cut off the end).
    public static func verify(case reference: Identifier, events: [StatusEvent], head: String? = nil) -> Break? {
        var previous: String?
        for (index, event) in events.enumerated() {
            let expected = index + 1
            if event.sequence != expected {
                return Break(kind: event.sequence > expected ? .missing : .reordered, sequence: expected,
                             message: event.sequence > expected
                                ? "case \(reference): event \(expected) is missing (the chain goes from \(expected - 1) to \(event.sequence)); it was removed"
                                : "case \(reference): event \(event.sequence) appears again after event \(expected - 1); the chain was reordered or an event was inserted")
            }
            if event.previousHash != previous {
                return Break(kind: .reordered, sequence: event.sequence,
                             message: "case \(reference): event \(event.sequence) does not follow event \(event.sequence - 1) (its previous hash is \(event.previousHash ?? "none"), the chain has \(previous ?? "none")); events were reordered, removed or inserted")
            }
            if hash(case: reference, event: event) != event.hash {
                return Break(kind: .altered, sequence: event.sequence,
                             message: "case \(reference): event \(event.sequence) was altered: its content no longer matches its hash \(event.hash)")
            }
            previous = event.hash
        }
        if let head, head != previous, !events.contains(where: { $0.hash == head }) {
            return Break(kind: .truncated, sequence: events.count,
                         message: "case \(reference): the recorded head \(head) is not in the chain, which now ends at event \(events.count) (\(previous ?? "empty")); events were cut off the end or the chain was rewritten")
        }
        return nil
    }
}
