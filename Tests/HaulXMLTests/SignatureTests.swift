import Foundation
import HaulCore
import HaulTestSupport
import HaulData
import HaulXML
import Testing

/// Keys made with the openssl command line for each test (never committed).
struct TestKeys {
    let folder: TemporaryFolder

    init?(kind: String) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "openssl is required here: apt-get install openssl")
            return nil
        }
        folder = try TemporaryFolder()
        let algorithm = kind == "rsa" ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]
        let result = try run("/usr/bin/openssl", ["req", "-x509"] + algorithm + ["-nodes", "-keyout", folder.path("key.pem"), "-out", folder.path("cert.pem"),
                                                                               "-days", "2", "-subj", "/CN=Test Signer \(kind)/O=Haul Tests"])
        try #require(result.status == 0, "\(result.output)")
    }

    var key: String { folder.path("key.pem") }
    var cert: String { folder.path("cert.pem") }
}

@Suite("Signed case files")
struct SignatureTests {
    let signedAt = try! ZonedDateTime(parsing: "2026-11-25T10:00:00Z", zone: "Europe/London")

    func signedFile(_ keys: TestKeys) throws -> String {
        let target = URL(fileURLWithPath: keys.folder.path("signed.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: target, signer: XMLSigner(keyPath: keys.key, certificatePath: keys.cert, signedAt: signedAt))
        return target.path
    }

    @Test("sign → verify passes, for RSA and for EC keys; xmllint accepts the signed file", arguments: ["rsa", "ec"])
    func signAndVerify(kind: String) throws {
        guard let keys = try TestKeys(kind: kind) else { return }
        defer { keys.folder.cleanUp() }
        let path = try signedFile(keys)
        let check = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.cert)
        #expect(check.isValid, "\(check.reason ?? "")")
        #expect(check.signer == "/CN=Test Signer \(kind)/O=Haul Tests")
        #expect(check.signedAt == "2026-11-25T10:00:00Z")
        if let lint = try xmllint(["--noout", "--schema", HaulData.caseSchemaV1.path, path]) { #expect(lint.status == 0) }
        // The signed file still reads as the case it was.
        #expect(try CaseFileReader().read(fileAt: path) == Fixtures.fullCase())
    }

    @Test("any change to a signed file fails verification: one digit of an amount, a word of text")
    func tampering() throws {
        guard let keys = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp() }
        let text = try String(contentsOfFile: try signedFile(keys), encoding: .utf8)
        for (original, changed) in [("<interestAccrued currency=\"GBP\">123.29", "<interestAccrued currency=\"GBP\">123.28"),
                                    ("<place>Bristol</place>", "<place>Bath</place>")] {
            #expect(text.contains(original))
            let path = try keys.folder.write("tampered.xml", text.replacingOccurrences(of: original, with: changed))
            let check = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.cert)
            #expect(!check.isValid)
            #expect(check.reason == "the signature does not match: the document was changed after signing, or signed with another key")
        }
    }

    @Test("another signer's certificate does not verify")
    func wrongCertificate() throws {
        guard let keys = try TestKeys(kind: "rsa"), let other = try TestKeys(kind: "ec") else { return }
        defer { keys.folder.cleanUp(); other.folder.cleanUp() }
        let check = try XMLSignatureVerifier().verify(fileAt: try signedFile(keys), certificatePath: other.cert)
        #expect(!check.isValid)
    }

    @Test("a second signature, or a signature below the root, is refused")
    func structure() throws {
        guard let keys = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp() }
        let unsigned = URL(fileURLWithPath: keys.folder.path("plain.xml"))
        try CaseFileExporter().export(Fixtures.fullCase(), to: unsigned)
        #expect(try XMLSignatureVerifier().verify(fileAt: unsigned.path, certificatePath: keys.cert).reason == "the document is not signed")
        let text = try String(contentsOfFile: try signedFile(keys), encoding: .utf8)
        let signature = String(text[text.range(of: "<Signature")!.lowerBound..<text.range(of: "</Signature>")!.upperBound])
        // Two signatures: the schema allows one, so the file is refused before xmlsec sees it.
        let path = try keys.folder.write("twice.xml", text.replacingOccurrences(of: "</case>", with: signature + "</case>"))
        let check = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.cert)
        #expect(!check.isValid)
        #expect(check.reason?.hasPrefix("the file is not a valid case file") == true)
    }

    // MARK: Certificates and what a signature may carry

    @Test("signing is refused when the certificate is not the key's: the file would name the wrong signer")
    func mismatchedCertificate() throws {
        guard let keys = try TestKeys(kind: "rsa"), let other = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp(); other.folder.cleanUp() }
        let target = URL(fileURLWithPath: keys.folder.path("mismatched.xml"))
        #expect { try CaseFileExporter().export(Fixtures.fullCase(), to: target, signer: XMLSigner(keyPath: keys.key, certificatePath: other.cert, signedAt: signedAt)) } throws: { error in
            "\(error)".contains("the certificate does not belong to this private key")
        }
        #expect(!FileManager.default.fileExists(atPath: target.path))
    }

    @Test("a certificate with a 1024-bit RSA key is not accepted for verification")
    func weakKey() throws {
        guard let keys = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp() }
        let path = try signedFile(keys)
        let weak = try run("/usr/bin/openssl", ["req", "-x509", "-newkey", "rsa:1024", "-nodes", "-keyout", keys.folder.path("weak.key"),
                                                "-out", keys.folder.path("weak.pem"), "-days", "2", "-subj", "/CN=Weak"])
        try #require(weak.status == 0, "\(weak.output)")
        let check = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.folder.path("weak.pem"))
        #expect(!check.isValid)
        #expect(check.reason == "the certificate's RSA key has 1024 bits; Haul accepts RSA keys of at least 2048 bits")
    }

    @Test("an expired certificate fails verification unless old evidence is checked on purpose, and then the result says so")
    func expiredCertificate() throws {
        guard let keys = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp() }
        let path = try signedFile(keys)
        // The same key in a certificate valid only in 2020 (Python's cryptography builds it; openssl req cannot back-date).
        let script = """
            import sys, datetime
            from cryptography import x509
            from cryptography.x509.oid import NameOID
            from cryptography.hazmat.primitives import hashes, serialization
            key = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'Expired Signer')])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key()).serial_number(1)
                    .not_valid_before(datetime.datetime(2020, 1, 1)).not_valid_after(datetime.datetime(2021, 1, 1)).sign(key, hashes.SHA256()))
            open(sys.argv[2], 'wb').write(cert.public_bytes(serialization.Encoding.PEM))
            """
        let made = try run("/usr/bin/python3", ["-c", script, keys.key, keys.folder.path("expired.pem")])
        guard made.status == 0 else {
            try #require(ProcessInfo.processInfo.environment["HAUL_REQUIRE_TOOLS"] == nil, "python3-cryptography is required here: \(made.output)")
            return
        }
        let refused = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.folder.path("expired.pem"))
        #expect(!refused.isValid)
        #expect(refused.reason?.hasPrefix("the certificate expired on 2021-01-01") == true, "\(refused.reason ?? "")")
        let allowed = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.folder.path("expired.pem"), allowExpired: true)
        #expect(allowed.isValid, "\(allowed.reason ?? "")")
        #expect(allowed.note == "the certificate expired on 2021-01-01; checked because --allow-expired was given")
    }

    @Test("content inside the Signature that the signature does not cover is refused")
    func unsignedContent() throws {
        guard let keys = try TestKeys(kind: "rsa") else { return }
        defer { keys.folder.cleanUp() }
        let text = try String(contentsOfFile: try signedFile(keys), encoding: .utf8)
        // The signature is written with the XML-signature namespace as its default.
        let marker = "</KeyInfo>"
        try #require(text.contains(marker), "the signed file's KeyInfo")
        let smuggled = text.replacingOccurrences(of: marker, with: marker + "<Object><note>not signed</note></Object>")
        let path = try keys.folder.write("smuggled.xml", smuggled)
        let check = try XMLSignatureVerifier().verify(fileAt: path, certificatePath: keys.cert)
        #expect(!check.isValid)
        #expect(check.reason == "the signature carries content it does not sign (Object); refused")
    }
}
