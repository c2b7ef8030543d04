import Foundation
import HaulCore
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
}
