#include "passwordpolicy.h"

#include "sync-server/serverlimits.h"

#include <algorithm>
#include <string>
#include <unordered_set>

namespace imhere::server {

// common-passwords.txt, embedded by the build (commonpasswords.cpp).
extern const std::string_view k_commonPasswordsText;

namespace {

const std::unordered_set<std::string_view>& commonPasswords()
{
    static const std::unordered_set<std::string_view> set = [] {
        std::unordered_set<std::string_view> out;
        std::string_view text = k_commonPasswordsText;
        while (!text.empty()) {
            const auto end = text.find('\n');
            const auto line = text.substr(0, end);
            if (!line.empty() && !line.starts_with('#'))
                out.insert(line);
            text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
        }
        return out;
    }();
    return set;
}

std::size_t characters(std::string_view utf8)
{
    return static_cast<std::size_t>(std::ranges::count_if(utf8, [](char c) { return (c & 0xC0) != 0x80; }));
}

} // namespace

bool isCommonPassword(std::string_view password)
{
    std::string lower(password);
    std::ranges::transform(lower, lower.begin(), [](char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; });
    return commonPasswords().contains(lower);
}

std::optional<std::string> passwordProblem(std::string_view password)
{
    if (characters(password) < k_minPasswordChars)
        return "use at least " + std::to_string(k_minPasswordChars) + " characters";
    if (password.size() > limits::k_maxPasswordBytes)
        return "use at most " + std::to_string(limits::k_maxPasswordBytes) + " bytes";
    if (isCommonPassword(password))
        return "this password is one of the most common ones; choose another, such as a few unrelated words";
    return std::nullopt;
}

} // namespace imhere::server
