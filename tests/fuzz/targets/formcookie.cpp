// Fuzz target: the form-body parser (sync-server/web/formdata.h) and the
// cookie reader (Request::cookie), fed the same bytes.
//
// Properties: a body that parses keeps its limits (field count, value size)
// and every value it returns decodes from the body; percentDecode never grows
// its input; a cookie value found is a substring of the header.

#include "sync-server/http/request.h"
#include "sync-server/web/formdata.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace imhere;

namespace {

std::string encode(std::string_view raw)
{
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : raw) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_'
            || u == '.' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    if (const auto decoded = web::percentDecode(text)) {
        if (decoded->size() > text.size())
            std::abort();
        // Whatever decodes re-encodes to something that decodes to it again.
        const auto again = web::percentDecode(encode(*decoded));
        if (!again || *again != *decoded)
            std::abort();
    }

    if (const auto form = web::FormData::parse(text)) {
        for (const std::string_view name : {"name", "email", "csrf", "password", "a", ""}) {
            const auto values = form->all(name);
            if (values.size() > web::FormData::k_maxFields)
                std::abort();
            for (const auto& value : values) {
                if (value.size() > web::FormData::k_maxValueBytes)
                    std::abort();
            }
            if (const auto first = form->get(name); first && (values.empty() || values.front() != *first))
                std::abort();
            (void)form->text(name);
        }
    }

    server::Request request;
    request.headers.emplace("cookie", std::string(text));
    for (const bool secure : {false, true}) {
        request.secure = secure;
        for (const std::string_view name : {"session", "csrf", "a", ""}) {
            if (const auto value = request.cookie(name); value && text.find(*value) == std::string_view::npos)
                std::abort();
        }
    }
    return 0;
}
