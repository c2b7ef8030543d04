#ifndef HAUL_XMLSEC_H
#define HAUL_XMLSEC_H

/*
 * A narrow signing API over libxmlsec1 for Haul. libxmlsec1's headers need the compile-time
 * defines that `pkg-config --cflags xmlsec1-openssl` prints (struct layouts depend on them), and
 * SwiftPM drops -D flags from a system library's pkg-config output; so this C target sets them
 * (Package.swift) and offers Swift only plain C types.
 */

#include <stddef.h>

/* Initialises libxmlsec1 and its OpenSSL back end once. 0 on success. */
int haul_xmlsec_init(char *error, size_t error_length);

/*
 * Adds an enveloped XML signature to the document in `xml`: one reference to the whole document
 * (URI ""), enveloped + exclusive C14N transforms, SHA-256 digest, RSA-SHA256 or ECDSA-SHA256 by
 * the key's type, and the signer's certificate in KeyInfo. On success returns 0 and a malloc'd
 * signed document in *out (free with haul_xmlsec_free).
 */
int haul_xmlsec_sign(const char *xml, size_t xml_length, const char *key_path, const char *cert_path,
                     char **out, size_t *out_length, char *error, size_t error_length);

/*
 * Verifies the document's one signature with the public key of the certificate at cert_path.
 * Accepts only: exactly one ds:Signature, a child of the root; exactly one reference, URI "";
 * only the enveloped and exclusive C14N transforms; SHA-256; RSA-SHA256 or ECDSA-SHA256.
 * Returns 1 when valid, 0 when invalid (reason in error), -1 on error. `subject` receives the
 * certificate's subject.
 */
int haul_xmlsec_verify(const char *xml, size_t xml_length, const char *cert_path, int allow_expired,
                       char *subject, size_t subject_length, char *error, size_t error_length);

/*
 * Checks a certificate: 0 when it is usable (inside its validity period unless allow_expired,
 * an RSA key of at least 2048 bits or an EC key of at least 256), else 1 with the reason in
 * error; -1 when it cannot be read. With key_path, the certificate must also hold the public half
 * of that private key. `note` receives "expired on …" when an expired certificate is allowed.
 */
int haul_xmlsec_check_certificate(const char *cert_path, const char *key_path, int allow_expired,
                                  char *note, size_t note_length, char *error, size_t error_length);

void haul_xmlsec_free(char *pointer);

#endif
