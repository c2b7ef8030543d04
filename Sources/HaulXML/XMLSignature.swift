import CXMLSec
import Foundation
import HaulCore

/// Signs case files with an enveloped XML digital signature (libxmlsec1, in process): one
/// reference to the whole document, exclusive canonicalisation, SHA-256, RSA-SHA256 or
/// ECDSA-SHA256 by the key, the signer's certificate in KeyInfo.
///
/// ```swift
/// let signer = XMLSigner(keyPath: "key.pem", certificatePath: "cert.pem", signedAt: now)
/// try CaseFileExporter().export(operation, to: target, signer: signer)
/// ```
public struct XMLSigner: Sendable {
    /// The signer's private key, a PEM file (RSA or EC).
    public var keyPath: String
    /// The signer's certificate, a PEM file, put in the signature's KeyInfo.
    public var certificatePath: String
    /// Written into the file before signing, so the signature covers it.
    public var signedAt: ZonedDateTime

    /// Makes a signer from a key, its certificate and the signing time.
    ///
    /// - Parameters:
    ///   - keyPath: the PEM private key.
    ///   - certificatePath: its PEM certificate.
    ///   - signedAt: the time written into the file as when it was signed.
    public init(keyPath: String, certificatePath: String, signedAt: ZonedDateTime) {
        self.keyPath = keyPath
        self.certificatePath = certificatePath
        self.signedAt = signedAt
    }

    /// The signed document for the file at `path`.
    public func sign(fileAt path: String) throws(HaulXMLError) -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw HaulXMLError(.io, "cannot read \(path): \(Publishing.whyUnreadable(path))") }
        var output: UnsafeMutablePointer<CChar>?
        var length = 0
        var error = [CChar](repeating: 0, count: 512)
        let status = data.withUnsafeBytes { bytes in
            haul_xmlsec_sign(bytes.bindMemory(to: CChar.self).baseAddress, bytes.count, keyPath, certificatePath, &output, &length, &error, error.count)
        }
        guard status == 0, let output else {
            throw HaulXMLError(.io, "signing failed: \(cString(error)); check that \(keyPath) is a PEM private key and \(certificatePath) its PEM certificate")
        }
        defer { haul_xmlsec_free(output) }
        return Data(bytes: output, count: length)
    }
}

/// The outcome of checking a signed case file.
public struct SignatureCheck: Sendable {
    /// True when the file validates and its one signature covers the whole document and verifies
    /// against the certificate; `reason` says why not otherwise.
    public var isValid: Bool
    /// The certificate's subject, when valid.
    public var signer: String?
    /// The time the file says it was signed (covered by the signature), when present.
    public var signedAt: String?
    /// Why it is not valid.
    public var reason: String?
    /// What a valid result rests on that a reader should know (an expired certificate checked
    /// with `allowExpired`).
    public var note: String?
}

/// Verifies signed case files against a certificate.
public struct XMLSignatureVerifier: Sendable {
    /// Makes a verifier; it holds no settings.
    public init() {}

    /// Validates the file (schema, semantic pass, safety) and then its signature; valid only when
    /// both hold and the one signature covers the whole document.
    /// - Parameters:
    ///   - path: The signed case file.
    ///   - certificatePath: The PEM certificate the signature must verify against.
    ///   - allowExpired: Check a signature made while a now expired certificate was valid (old
    ///     evidence); the result's `note` says so. Otherwise an expired or not yet valid
    ///     certificate, or a key below 2048-bit RSA or 256-bit EC, makes the result not valid.
    public func verify(fileAt path: String, certificatePath: String, allowExpired: Bool = false) throws(HaulXMLError) -> SignatureCheck {
        let report = try CaseFileValidator().validate(fileAt: path)
        guard report.isValid else {
            return SignatureCheck(isValid: false, reason: "the file is not a valid case file:\n" + report.diagnostics.map(\.description).joined(separator: "\n"))
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw HaulXMLError(.io, "cannot read \(path): \(Publishing.whyUnreadable(path))") }
        var subject = [CChar](repeating: 0, count: 512)
        var error = [CChar](repeating: 0, count: 512)
        let status = data.withUnsafeBytes { bytes in
            haul_xmlsec_verify(bytes.bindMemory(to: CChar.self).baseAddress, bytes.count, certificatePath, allowExpired ? 1 : 0, &subject, subject.count, &error, error.count)
        }
        switch status {
        case 1:
            let capture = SignedAtCapture()
            _ = try? SafeXMLStream.run(path: path, displayName: path, schema: nil, limits: .standard, handlers: [capture])
            let note = cString(error)
            return SignatureCheck(isValid: true, signer: cString(subject), signedAt: capture.value, note: note.isEmpty ? nil : note)
        case 0:
            return SignatureCheck(isValid: false, reason: cString(error))
        default:
            throw HaulXMLError(.io, "the signature could not be checked: \(cString(error))")
        }
    }
}

extension XMLSignatureVerifier {
    /// For a file that carries a signature: its check against the certificate the signature
    /// carries, which shows the file is as it was signed (not who signed it: `verify(fileAt:
    /// certificatePath:)` with the signer's certificate shows that). Nil for an unsigned file.
    /// An expired certificate is allowed here (old evidence), and the result says so.
    public func verifyWithOwnCertificate(fileAt path: String) throws(HaulXMLError) -> SignatureCheck? {
        // Haul puts the signature last, under the root: the file's tail tells whether there is one.
        guard let handle = FileHandle(forReadingAtPath: path) else { throw HaulXMLError(.io, "cannot read \(path): \(Publishing.whyUnreadable(path))") }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 262_144 ? size - 262_144 : 0)
        let tail = (try? handle.readToEnd()) ?? Data()
        try? handle.close()
        guard tail.range(of: Data("http://www.w3.org/2000/09/xmldsig#".utf8)) != nil else { return nil }
        let capture = CertificateCapture()
        _ = try SafeXMLStream.run(path: path, displayName: path, schema: nil, limits: .standard, handlers: [capture])
        guard let base64 = capture.value?.filter({ !$0.isWhitespace }), !base64.isEmpty else {
            return SignatureCheck(isValid: false, reason: "the signature carries no certificate to check it with")
        }
        var lines: [String] = []
        var rest = Substring(base64)
        while !rest.isEmpty { lines.append(String(rest.prefix(64))); rest = rest.dropFirst(64) }
        let pem = "-----BEGIN CERTIFICATE-----\n" + lines.joined(separator: "\n") + "\n-----END CERTIFICATE-----\n"
        var template = Array((FileManager.default.temporaryDirectory.path + "/.haul-cert-XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw HaulXMLError(.io, "cannot write the signature's certificate to check it") }
        let certificatePath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { unlink(certificatePath) }
        _ = pem.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        close(descriptor)
        return try verify(fileAt: path, certificatePath: certificatePath, allowExpired: true)
    }
}

/// Picks the signature's certificate (base64) out of a signed file.
final class CertificateCapture: XMLEventHandler {
    private(set) var value: String?
    private var capturing = false
    var interestingElements: Set<String>? { ["X509Certificate"] }

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        capturing = name == "X509Certificate" && namespace == "http://www.w3.org/2000/09/xmldsig#" && value == nil
        if capturing { value = "" }
    }

    func text(_ text: String) { if capturing { value? += text } }
    var wantsText: Bool { capturing }
    func endElement(_ name: String, line: Int) { capturing = false }
}

/// Picks the root's `signedAt` out of a case file.
final class SignedAtCapture: XMLEventHandler {
    private(set) var value: String?
    private var depth = 0
    private var capturing = false

    func startElement(_ name: String, namespace: String?, attributes: XMLAttributes, line: Int) {
        depth += 1
        capturing = depth == 2 && name == "signedAt" && namespace == CaseFileSchema.namespace
        if capturing { value = "" }
    }

    func text(_ text: String) { if capturing { value? += text } }
    var wantsText: Bool { capturing }

    func endElement(_ name: String, line: Int) {
        depth -= 1
        capturing = false
    }
}

/// The text of a NUL-terminated C buffer.
private func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
