// Fuzz target for everything that parses bytes from the network: sync requests
// and responses, single outbox events, and rotating codes.
//
// Properties beyond "does not crash": whatever decodes re-encodes to something
// that decodes to the same value.

#include "core/rotatingcode.h"
#include "core/syncprotocol.h"

#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace imhere;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (auto request = sync::decodeRequest(text)) {
        // Rejected events are dropped by encode(), so compare accepted ones.
        sync::SyncRequest accepted = *request;
        std::erase_if(accepted.events, [](const auto& e) { return std::holds_alternative<sync::EventRejection>(e); });
        const auto again = sync::decodeRequest(sync::encode(accepted));
        if (!again || *again != accepted)
            std::abort();
    }
    if (auto response = sync::decodeResponse(text)) {
        const auto again = sync::decodeResponse(sync::encode(*response));
        if (!again || *again != *response)
            std::abort();
    }
    if (auto event = sync::decodeEvent(text)) {
        const auto again = sync::decodeEvent(sync::encodeEvent(*event));
        if (!again || *again != *event)
            std::abort();
    }
    if (auto fields = RotatingCode::parse(text)) {
        static const std::uint8_t key[32] = {1};
        (void)RotatingCode::verify(text, key, fields->window, 0);
    }
    return 0;
}
