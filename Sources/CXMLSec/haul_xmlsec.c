#include "haul_xmlsec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

static int initialised = 0;

/* xmlsec reports its errors on stderr by default; Haul words its own messages instead. */
static void quiet_errors(const char *file, int line, const char *func, const char *errorObject,
                         const char *errorSubject, int reason, const char *msg) {
    (void)file; (void)line; (void)func; (void)errorObject; (void)errorSubject; (void)reason; (void)msg;
}

static void set_error(char *error, size_t length, const char *message) {
    if (error && length > 0) {
        strncpy(error, message, length - 1);
        error[length - 1] = '\0';
    }
}

int haul_xmlsec_init(char *error, size_t error_length) {
    if (initialised) return 0;
    if (xmlSecInit() < 0) { set_error(error, error_length, "xmlsec initialisation failed"); return -1; }
    if (xmlSecCheckVersion() != 1) { set_error(error, error_length, "the loaded xmlsec library does not match the headers"); return -1; }
    if (xmlSecCryptoAppInit(NULL) < 0) { set_error(error, error_length, "the crypto back end failed to initialise"); return -1; }
    if (xmlSecCryptoInit() < 0) { set_error(error, error_length, "xmlsec-openssl failed to initialise"); return -1; }
    xmlSecErrorsSetCallback(quiet_errors);
    initialised = 1;
    return 0;
}

static X509 *read_certificate(const char *cert_path) {
    FILE *file = fopen(cert_path, "r");
    if (!file) return NULL;
    X509 *cert = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    return cert;
}

/* "2024-05-01" from an ASN1_TIME (notBefore / notAfter). */
static void asn1_day(const ASN1_TIME *time, char *out, size_t length) {
    struct tm parts;
    memset(&parts, 0, sizeof parts);
    if (out && length > 0) out[0] = '\0';
    if (!time || ASN1_TIME_to_tm(time, &parts) != 1) return;
    snprintf(out, length, "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday);
}

/* An encrypted key is refused rather than prompted for on the terminal. */
static int no_password(char *buffer, int size, int rwflag, void *user) {
    (void)buffer; (void)size; (void)rwflag; (void)user;
    return -1;
}

int haul_xmlsec_check_certificate(const char *cert_path, const char *key_path, int allow_expired,
                                  char *note, size_t note_length, char *error, size_t error_length) {
    if (note && note_length > 0) note[0] = '\0';
    X509 *cert = read_certificate(cert_path);
    if (!cert) { set_error(error, error_length, "cannot read the certificate (PEM)"); return -1; }
    int result = 0;
    char day[32];
    char message[256];
    EVP_PKEY *public_key = X509_get0_pubkey(cert);
    int bits = public_key ? EVP_PKEY_bits(public_key) : 0;
    int type = public_key ? EVP_PKEY_base_id(public_key) : 0;
    if (type == EVP_PKEY_RSA && bits < 2048) {
        snprintf(message, sizeof message, "the certificate's RSA key has %d bits; Haul accepts RSA keys of at least 2048 bits", bits);
        set_error(error, error_length, message); result = 1; goto done;
    }
    if (type == EVP_PKEY_EC && bits < 256) {
        snprintf(message, sizeof message, "the certificate's EC key has %d bits; Haul accepts EC keys of at least 256 bits", bits);
        set_error(error, error_length, message); result = 1; goto done;
    }
    if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC) {
        set_error(error, error_length, "the certificate's key is neither RSA nor EC"); result = 1; goto done;
    }
    /* X509_cmp_current_time returns 0 when the time cannot be read: that is not a valid period. */
    int starts = X509_cmp_current_time(X509_get0_notBefore(cert));
    int ends = X509_cmp_current_time(X509_get0_notAfter(cert));
    if (starts == 0 || ends == 0) {
        set_error(error, error_length, "the certificate's validity period cannot be read"); result = 1; goto done;
    }
    if (starts > 0) {
        asn1_day(X509_get0_notBefore(cert), day, sizeof day);
        snprintf(message, sizeof message, "the certificate is not valid until %s", day);
        set_error(error, error_length, message); result = 1; goto done;
    }
    if (ends < 0) {
        asn1_day(X509_get0_notAfter(cert), day, sizeof day);
        if (!allow_expired) {
            snprintf(message, sizeof message, "the certificate expired on %s (give --allow-expired to check old evidence; the result says so)", day);
            set_error(error, error_length, message); result = 1; goto done;
        }
        snprintf(message, sizeof message, "the certificate expired on %s; checked because --allow-expired was given", day);
        set_error(note, note_length, message);
    }
    if (key_path) {
        FILE *file = fopen(key_path, "r");
        EVP_PKEY *private_key = file ? PEM_read_PrivateKey(file, NULL, no_password, NULL) : NULL;
        if (file) fclose(file);
        if (!private_key) { set_error(error, error_length, "cannot read the private key (PEM)"); result = -1; goto done; }
        int matches = X509_check_private_key(cert, private_key);
        EVP_PKEY_free(private_key);
        if (matches != 1) {
            set_error(error, error_length, "the certificate does not belong to this private key: a signature made with it would name the wrong signer");
            result = 1; goto done;
        }
    }
done:
    X509_free(cert);
    return result;
}

static xmlDocPtr parse(const char *xml, size_t length) {
    /* No network, no entity substitution, no DTD loading: the caller validated the file first. */
    return xmlReadMemory(xml, (int)length, "document.xml", "UTF-8", XML_PARSE_NONET);
}

int haul_xmlsec_sign(const char *xml, size_t xml_length, const char *key_path, const char *cert_path,
                     char **out, size_t *out_length, char *error, size_t error_length) {
    int result = -1;
    xmlDocPtr doc = NULL;
    xmlSecDSigCtxPtr ctx = NULL;
    xmlSecKeyPtr key = NULL;
    if (haul_xmlsec_init(error, error_length) < 0) return -1;
    /* The certificate must be usable and hold this key's public half: never sign as someone else. */
    char note[256];
    int usable = haul_xmlsec_check_certificate(cert_path, key_path, 0, note, sizeof note, error, error_length);
    if (usable != 0) return -1;

    doc = parse(xml, xml_length);
    if (!doc || !xmlDocGetRootElement(doc)) { set_error(error, error_length, "the document could not be parsed"); goto done; }

    key = xmlSecCryptoAppKeyLoad(key_path, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
    if (!key) { set_error(error, error_length, "cannot load the private key (PEM)"); goto done; }
    if (xmlSecCryptoAppKeyCertLoad(key, cert_path, xmlSecKeyDataFormatPem) < 0) {
        set_error(error, error_length, "cannot load the certificate (PEM)"); goto done;
    }
    xmlSecTransformId method;
    if (xmlSecKeyDataCheckId(xmlSecKeyGetValue(key), xmlSecOpenSSLKeyDataRsaId)) method = xmlSecTransformRsaSha256Id;
    else if (xmlSecKeyDataCheckId(xmlSecKeyGetValue(key), xmlSecOpenSSLKeyDataEcdsaId)) method = xmlSecTransformEcdsaSha256Id;
    else { set_error(error, error_length, "the key is neither RSA nor EC"); goto done; }

    xmlNodePtr signature = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId, method, NULL);
    if (!signature) { set_error(error, error_length, "cannot create the signature template"); goto done; }
    xmlAddChild(xmlDocGetRootElement(doc), signature);
    xmlNodePtr reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
    if (!reference
        || !xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId)
        || !xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId)) {
        set_error(error, error_length, "cannot add the reference"); goto done;
    }
    xmlNodePtr keyInfo = xmlSecTmplSignatureEnsureKeyInfo(signature, NULL);
    xmlNodePtr x509 = keyInfo ? xmlSecTmplKeyInfoAddX509Data(keyInfo) : NULL;
    if (!x509 || !xmlSecTmplX509DataAddSubjectName(x509) || !xmlSecTmplX509DataAddCertificate(x509)) {
        set_error(error, error_length, "cannot add the certificate to KeyInfo"); goto done;
    }

    ctx = xmlSecDSigCtxCreate(NULL);
    if (!ctx) { set_error(error, error_length, "cannot create a signature context"); goto done; }
    ctx->signKey = key;
    key = NULL; /* owned by the context now */
    if (xmlSecDSigCtxSign(ctx, signature) < 0) { set_error(error, error_length, "signing failed"); goto done; }

    xmlChar *buffer = NULL;
    int size = 0;
    xmlDocDumpMemoryEnc(doc, &buffer, &size, "UTF-8");
    if (!buffer) { set_error(error, error_length, "cannot serialise the signed document"); goto done; }
    *out = malloc((size_t)size + 1);
    memcpy(*out, buffer, (size_t)size);
    (*out)[size] = '\0';
    *out_length = (size_t)size;
    xmlFree(buffer);
    result = 0;

done:
    if (ctx) xmlSecDSigCtxDestroy(ctx);
    if (key) xmlSecKeyDestroy(key);
    if (doc) xmlFreeDoc(doc);
    return result;
}

static void certificate_subject(const char *cert_path, char *subject, size_t length) {
    if (!subject || length == 0) return;
    subject[0] = '\0';
    FILE *file = fopen(cert_path, "r");
    if (!file) return;
    X509 *cert = PEM_read_X509(file, NULL, NULL, NULL);
    fclose(file);
    if (!cert) return;
    X509_NAME_oneline(X509_get_subject_name(cert), subject, (int)length);
    X509_free(cert);
}

/* Whether every element inside the Signature is one the signature covers or names its key:
   SignedInfo (signed), SignatureValue, and KeyInfo holding X509Data (subject name, certificate).
   Anything else (an Object, say) would ride along unsigned. */
static const xmlChar *unsigned_content(xmlNodePtr signature) {
    for (xmlNodePtr child = signature->children; child; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue;
        if (xmlStrEqual(child->name, BAD_CAST "SignedInfo") || xmlStrEqual(child->name, BAD_CAST "SignatureValue")) continue;
        if (!xmlStrEqual(child->name, BAD_CAST "KeyInfo")) return child->name;
        for (xmlNodePtr info = child->children; info; info = info->next) {
            if (info->type != XML_ELEMENT_NODE) continue;
            if (!xmlStrEqual(info->name, BAD_CAST "X509Data")) return info->name;
            for (xmlNodePtr data = info->children; data; data = data->next) {
                if (data->type != XML_ELEMENT_NODE) continue;
                if (!xmlStrEqual(data->name, BAD_CAST "X509SubjectName") && !xmlStrEqual(data->name, BAD_CAST "X509Certificate")) return data->name;
            }
        }
    }
    return NULL;
}

int haul_xmlsec_verify(const char *xml, size_t xml_length, const char *cert_path, int allow_expired,
                       char *subject, size_t subject_length, char *error, size_t error_length) {
    int result = -1;
    xmlDocPtr doc = NULL;
    xmlSecDSigCtxPtr ctx = NULL;
    if (haul_xmlsec_init(error, error_length) < 0) return -1;
    char note[256];
    int usable = haul_xmlsec_check_certificate(cert_path, NULL, allow_expired, note, sizeof note, error, error_length);
    if (usable < 0) return -1;
    if (usable > 0) return 0;

    doc = parse(xml, xml_length);
    xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
    if (!root) { set_error(error, error_length, "the document could not be parsed"); goto done; }

    /* Exactly one Signature, and it must be a child of the root (enveloped). */
    xmlNodePtr signature = NULL;
    int count = 0;
    for (xmlNodePtr node = xmlSecFindNode(root, xmlSecNodeSignature, xmlSecDSigNs); node; ) {
        count++;
        signature = node;
        xmlNodePtr next = NULL;
        for (xmlNodePtr walk = node->next; walk && !next; walk = walk->next) {
            next = xmlSecFindNode(walk, xmlSecNodeSignature, xmlSecDSigNs);
        }
        node = next;
    }
    if (count == 0) { set_error(error, error_length, "the document is not signed"); result = 0; goto done; }
    if (count > 1 || signature->parent != root) {
        set_error(error, error_length, "the document must carry exactly one signature, directly under its root"); result = 0; goto done;
    }
    const xmlChar *extra = unsigned_content(signature);
    if (extra) {
        char message[256];
        snprintf(message, sizeof message, "the signature carries content it does not sign (%s); refused", (const char *)extra);
        set_error(error, error_length, message); result = 0; goto done;
    }

    ctx = xmlSecDSigCtxCreate(NULL);
    if (!ctx) { set_error(error, error_length, "cannot create a signature context"); goto done; }
    ctx->signKey = xmlSecCryptoAppKeyLoad(cert_path, xmlSecKeyDataFormatCertPem, NULL, NULL, NULL);
    if (!ctx->signKey) { set_error(error, error_length, "cannot load the certificate (PEM)"); goto done; }
    /* Only the same-document reference and the expected transforms. */
    ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
    if (xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId) < 0
        || xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformExclC14NId) < 0
        || xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha256Id) < 0
        || xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformExclC14NId) < 0
        || xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformRsaSha256Id) < 0
        || xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformEcdsaSha256Id) < 0) {
        set_error(error, error_length, "cannot restrict the transforms"); goto done;
    }
    if (xmlSecDSigCtxVerify(ctx, signature) < 0) {
        set_error(error, error_length, "the signature cannot be checked with this certificate: it was made with another key, or uses a reference, transform or algorithm Haul does not accept"); result = 0; goto done;
    }
    if (ctx->status != xmlSecDSigStatusSucceeded) {
        set_error(error, error_length, "the signature does not match: the document was changed after signing, or signed with another key"); result = 0; goto done;
    }
    if (xmlSecPtrListGetSize(&(ctx->signedInfoReferences)) != 1) {
        set_error(error, error_length, "the signature must have exactly one reference"); result = 0; goto done;
    }
    xmlSecDSigReferenceCtxPtr reference = (xmlSecDSigReferenceCtxPtr)xmlSecPtrListGetItem(&(ctx->signedInfoReferences), 0);
    if (!reference || reference->status != xmlSecDSigStatusSucceeded || !reference->uri || reference->uri[0] != '\0') {
        set_error(error, error_length, "the signature's reference does not cover the whole document"); result = 0; goto done;
    }
    certificate_subject(cert_path, subject, subject_length);
    /* An expired certificate checked on request: the result says so. */
    if (note[0]) set_error(error, error_length, note);
    result = 1;

done:
    if (ctx) xmlSecDSigCtxDestroy(ctx);
    if (doc) xmlFreeDoc(doc);
    return result;
}

void haul_xmlsec_free(char *pointer) { free(pointer); }
