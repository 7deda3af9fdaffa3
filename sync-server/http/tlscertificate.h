#pragma once
// The HTTPS server's certificate chain and private key, read from PEM files
// (GnuTLS). load() checks that the key belongs to the first certificate, so
// a bad pair is refused when it is read, not at the first handshake.
//
// Thread rules: immutable once loaded; shared between MHD's pool threads.

#include "core/result.h"

#include <memory>
#include <string>

namespace imhere::server {

struct TlsFiles {
    std::string certificateFile; // PEM: the server's certificate, then any intermediates
    std::string keyFile;         // PEM: its private key, unencrypted
};

class TlsCertificate {
public:
    [[nodiscard]] static Result<std::shared_ptr<const TlsCertificate>> load(const TlsFiles& files);
    ~TlsCertificate();
    TlsCertificate(const TlsCertificate&) = delete;
    TlsCertificate& operator=(const TlsCertificate&) = delete;

    struct Native; // gnutls_pcert_st list and gnutls_privkey_t, for the handshake callback
    [[nodiscard]] Native& native() const { return *m_native; }

private:
    TlsCertificate();
    std::unique_ptr<Native> m_native;
};

} // namespace imhere::server
