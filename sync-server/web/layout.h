#pragma once
// The frame every dashboard page shares: skip link, header with navigation and
// sign-out, one <main>, and a small inline stylesheet (no extra requests).

#include <optional>
#include <string>
#include <vector>

namespace imhere::web {

struct NavLink {
    std::string href;
    std::string label;
    bool current = false;
};

struct Flash {
    enum class Kind { Success, Error } kind = Kind::Success;
    std::string message;
};

struct PageFrame {
    std::string title;       // page <title>, before " · imhere"
    std::string description; // <meta name="description">
    std::optional<std::string> userName; // signed in as; nullopt on public pages
    std::string csrfToken;               // for the sign-out form
    std::vector<NavLink> nav;
    std::optional<Flash> flash;
    std::string main; // HTML inside <main>, starting with its <h1>
    bool narrow = false; // phone-first pages (remote check-in, sign-in)
};

[[nodiscard]] std::string renderPage(const PageFrame& frame);

// The stylesheet, exposed for the size test.
[[nodiscard]] const std::string& stylesheet();

} // namespace imhere::web
