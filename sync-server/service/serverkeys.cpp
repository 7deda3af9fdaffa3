#include "serverkeys.h"

namespace imhere::server {

namespace {
constexpr std::string_view k_context = "imhere-s"; // crypto_kdf: exactly 8 characters
} // namespace

Result<Key> serverKey(Services& services, ServerKeyUse use)
{
    TRY_ASSIGN(master, services.store.people().masterKey());
    if (master.size() != 32)
        return fail(Errc::Internal, "the organisation's master key has the wrong size");
    return deriveKey(master, k_context, static_cast<std::uint64_t>(use));
}

} // namespace imhere::server
