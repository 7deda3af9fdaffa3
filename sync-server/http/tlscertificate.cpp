#include "tlscertificate.h"

#include "tlsnative.h"

#include <gnutls/x509.h>

namespace imhere::server {

namespace {

struct Datum {
    gnutls_datum_t d{nullptr, 0};
    ~Datum() { gnutls_free(d.data); }
};

struct CredentialsDeleter {
    void operator()(gnutls_certificate_credentials_t c) const { gnutls_certificate_free_credentials(c); }
};

Error tlsError(const std::string& what, int code)
{
    return Error{Errc::BadConfig, what + ": " + gnutls_strerror(code)};
}

} // namespace

TlsCertificate::TlsCertificate() : m_native(std::make_unique<Native>()) {}

TlsCertificate::~TlsCertificate()
{
    for (unsigned i = 0; i < m_native->chainLength; ++i)
        gnutls_pcert_deinit(&m_native->chain[i]);
    if (m_native->key)
        gnutls_privkey_deinit(m_native->key);
}

Result<std::shared_ptr<const TlsCertificate>> TlsCertificate::load(const TlsFiles& files)
{
    // GnuTLS's own reading of the pair refuses a key that is not the
    // certificate's, with a message that says so.
    gnutls_certificate_credentials_t raw = nullptr;
    if (const int rc = gnutls_certificate_allocate_credentials(&raw); rc < 0)
        return std::unexpected(tlsError("TLS", rc));
    std::unique_ptr<gnutls_certificate_credentials_st, CredentialsDeleter> check(raw);
    if (const int rc = gnutls_certificate_set_x509_key_file2(raw, files.certificateFile.c_str(), files.keyFile.c_str(),
                                                             GNUTLS_X509_FMT_PEM, nullptr, 0);
        rc < 0)
        return std::unexpected(tlsError(files.certificateFile + " and " + files.keyFile, rc));

    std::shared_ptr<TlsCertificate> loaded(new TlsCertificate());
    Native& n = *loaded->m_native;
    unsigned length = Native::k_maxChain;
    if (const int rc = gnutls_pcert_list_import_x509_file(n.chain, &length, files.certificateFile.c_str(),
                                                          GNUTLS_X509_FMT_PEM, nullptr, nullptr, 0);
        rc < 0)
        return std::unexpected(tlsError(files.certificateFile, rc));
    n.chainLength = length;
    Datum key;
    if (const int rc = gnutls_load_file(files.keyFile.c_str(), &key.d); rc < 0)
        return std::unexpected(tlsError(files.keyFile, rc));
    if (const int rc = gnutls_privkey_init(&n.key); rc < 0)
        return std::unexpected(tlsError(files.keyFile, rc));
    if (const int rc = gnutls_privkey_import_x509_raw(n.key, &key.d, GNUTLS_X509_FMT_PEM, nullptr, 0); rc < 0)
        return std::unexpected(tlsError(files.keyFile, rc));
    return std::shared_ptr<const TlsCertificate>(std::move(loaded));
}

} // namespace imhere::server
