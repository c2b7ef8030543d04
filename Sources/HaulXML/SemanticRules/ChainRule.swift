import Foundation
import HaulCore

/// The history is one unbroken chain: events and records numbered 1, 2, 3… with each
/// `previousHash` the hash before it, each `hash` recomputed from the content (`EventChain`),
/// a correction naming an earlier event, and the history's `chainHead` the last hash.
struct ChainRule {
    private var expectedSequence = 1
    private var lastHash: String?
    /// The fields of the event or record being read, by element name.
    private var fields: [String: String] = [:]
    /// The case's reference, which every event's hash covers.
    private var caseReference: Identifier?

    mutating func reference(_ text: String) { caseReference = try? Identifier(text) }

    mutating func openHistory() {
        expectedSequence = 1
        lastHash = nil
    }

    mutating func openEvent() { fields = [:] }

    /// A field of the event being read. Free text is hashed as written (`raw`); the rest as
    /// the reader takes it, trimmed.
    mutating func field(_ code: CaseElement, name: String, raw: String, trimmed: String, attributes: XMLAttributes) {
        fields[name] = code == .note || code == .reason || code == .payload || code == .late ? raw : trimmed
        if code == .at { fields["zone"] = attributes["zone"] ?? "" }
    }

    mutating func closeEvent(_ code: CaseElement, attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        let sequence = Int(attributes["sequence"] ?? "") ?? 0
        if sequence != expectedSequence {
            report.add(line, "event number \(sequence) where \(expectedSequence) was expected; an event was removed, added or moved")
        }
        expectedSequence = sequence + 1
        let previous = fields["previousHash"]
        if previous != lastHash {
            if let lastHash {
                report.add(line, "event \(sequence) says the previous hash is \(previous ?? "absent"), but event \(sequence - 1) has hash \(lastHash)")
            } else {
                report.add(line, "event \(sequence) is the first in the chain and must not name a previous hash")
            }
        }
        lastHash = fields["hash"]
        if let supersedes = fields["supersedes"].flatMap({ Int($0) }), supersedes >= sequence {
            report.add(line, "event \(sequence) corrects event \(supersedes), which is not earlier in the chain")
        }
        if let stated = fields["hash"], let computed = recomputedHash(code, attributes: attributes, sequence: sequence), computed != stated {
            report.add(line, "event \(sequence) was altered: its content no longer matches its hash \(stated) (the content hashes to \(computed))")
        }
    }

    func closeHistory(_ attributes: XMLAttributes, line: Int, _ report: inout SemanticReport) {
        if let head = attributes["chainHead"], head != lastHash {
            report.add(line, "the history's chainHead \(head) is not the hash of its last event (\(lastHash ?? "none")); the chain was cut or edited")
        }
    }

    /// The hash of the event just read, from its fields (nil when a field is one the schema
    /// already refuses, so the mistake is reported once).
    private func recomputedHash(_ code: CaseElement, attributes: XMLAttributes, sequence: Int) -> String? {
        guard let reference = caseReference, let atText = fields["at"], let zone = fields["zone"],
              let at = try? ZonedDateTime(parsing: atText, zone: zone), let actor = fields["actor"] else { return nil }
        let previous = fields["previousHash"]
        if code == .record {
            guard let kind = attributes["kind"], let reason = fields["reason"], let payload = fields["payload"] else { return nil }
            return EventChain.hash(case: reference, record: RecordEvent(sequence: sequence, kind: kind, at: at, actor: actor, reason: reason,
                                                                        payload: payload, previousHash: previous, hash: ""))
        }
        guard let to = fields["to"].flatMap(State.init(rawValue:)) else { return nil }
        var items: [Identifier] = []
        for id in (fields["items"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }) {
            guard let identifier = try? Identifier(String(id)) else { return nil }
            items.append(identifier)
        }
        let event = StatusEvent(sequence: sequence, at: at, items: items, from: fields["from"].flatMap(State.init(rawValue:)), to: to,
                                regime: fields["regime"].flatMap { try? Identifier($0) }, authority: fields["authority"], actor: actor,
                                note: fields["note"], previousHash: previous, hash: "", supersedes: fields["supersedes"].flatMap { Int($0) },
                                late: fields["late"])
        return EventChain.hash(case: reference, event: event)
    }
}
