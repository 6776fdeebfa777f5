import Crypto
import Foundation
import SwiftASN1
import X509

/// The certificate a server makes for itself on first start when none is given: P-256, valid
/// for 127.0.0.1 and localhost, written as PEM with the key readable by the owner only.
public enum SelfSignedCertificate {
    public struct Files: Sendable {
        public let certificatePath: String
        public let privateKeyPath: String
        /// SHA-256 of the DER certificate, "AB:CD:…" as browsers and openssl show it.
        public let fingerprint: String
        public let created: Bool
    }

    public static func ensure(in directory: URL, now: Date = Date()) throws -> Files {
        let certURL = directory.appendingPathComponent("cert.pem")
        let keyURL = directory.appendingPathComponent("key.pem")
        let fm = FileManager.default
        var created = false
        if !fm.fileExists(atPath: certURL.path) || !fm.fileExists(atPath: keyURL.path) {
            try fm.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let (certPEM, keyPEM) = try make(now: now)
            // Key first, owner-only, so a crash never leaves a certificate without its key.
            try write(keyPEM, to: keyURL, permissions: 0o600)
            try write(certPEM, to: certURL, permissions: 0o644)
            created = true
        }
        let pem = try String(contentsOf: certURL, encoding: .utf8)
        let der = try PEMDocument(pemString: pem).derBytes
        let fingerprint = SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        return Files(
            certificatePath: certURL.path, privateKeyPath: keyURL.path, fingerprint: fingerprint, created: created)
    }

    static func make(now: Date) throws -> (cert: String, key: String) {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            CommonName("127.0.0.1")
            OrganizationName("职工互助保障 sync-server")
        }
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
            try ExtendedKeyUsage([.serverAuth])
            SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
        }
        var serial = [UInt8](repeating: 0, count: 16)
        for i in serial.indices { serial[i] = UInt8.random(in: 0...255) }
        serial[0] &= 0x7f
        let certificate = try Certificate(
            version: .v3,
            serialNumber: Certificate.SerialNumber(bytes: serial),
            publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600),
            notValidAfter: now.addingTimeInterval(825 * 24 * 3600),
            issuer: name,
            subject: name,
            signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions,
            issuerPrivateKey: .init(key)
        )
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        let certPEM = PEMDocument(type: "CERTIFICATE", derBytes: serializer.serializedBytes).pemString
        return (certPEM + "\n", key.pemRepresentation + "\n")
    }

    private static func write(_ text: String, to url: URL, permissions: Int) throws {
        let tmp = url.appendingPathExtension("tmp")
        try Data(text.utf8).write(to: tmp)
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: tmp.path)
        guard rename(tmp.path, url.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
