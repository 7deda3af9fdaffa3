#pragma once
// TlsCertificate's GnuTLS handles, seen only inside the http library.

#include "tlscertificate.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

namespace imhere::server {

struct TlsCertificate::Native {
    static constexpr unsigned k_maxChain = 8;
    gnutls_pcert_st chain[k_maxChain]{};
    unsigned chainLength = 0;
    gnutls_privkey_t key = nullptr;
};

} // namespace imhere::server
