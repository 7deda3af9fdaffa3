#include "jsonreader.h"

#include "encoding.h"
#include "random.h"

#include <algorithm>

namespace imhere {

namespace {
const nlohmann::json k_emptyArray = nlohmann::json::array();

bool hasControlCharacters(std::string_view s)
{
    return std::ranges::any_of(s, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\n' && c != '\t';
    });
}

bool isToken(std::string_view s)
{
    return !s.empty() && std::ranges::all_of(s, [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '$' || c == '=' || c == ',' || c == '+' || c == '/' || c == '.';
    });
}

std::optional<std::string_view> kindProblem(std::string_view s, TextKind kind)
{
    switch (kind) {
    case TextKind::Any: return std::nullopt;
    case TextKind::Uuid: return isUuid(s) ? std::nullopt : std::optional<std::string_view>("expected a UUID");
    case TextKind::UuidV4:
        return isUuidV4(s) ? std::nullopt : std::optional<std::string_view>("expected a version 4 UUID");
    case TextKind::PublicId:
        return isPublicId(s) ? std::nullopt : std::optional<std::string_view>("expected a public id");
    case TextKind::Hex64:
        return s.size() == 64 && hexDecode(s) ? std::nullopt
                                              : std::optional<std::string_view>("expected 64 lowercase hex digits");
    case TextKind::Token:
        return isToken(s) ? std::nullopt : std::optional<std::string_view>("unexpected characters");
    }
    return std::nullopt;
}
} // namespace

std::string describeJsonFailure(const nlohmann::json::exception& e)
{
    if (const auto* parse = dynamic_cast<const nlohmann::json::parse_error*>(&e))
        return "not valid JSON (at byte " + std::to_string(parse->byte) + ")";
    if (dynamic_cast<const nlohmann::json::out_of_range*>(&e))
        return "not valid JSON (a number out of range)";
    return "not valid JSON";
}

bool jsonDepthWithin(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    bool escaped = false;
    for (const char c : text) {
        if (inString) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > maxDepth)
                return false;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return true;
}

JsonReader::JsonReader(const nlohmann::json& object, std::string path)
    : m_object(object), m_path(std::move(path))
{
    if (!m_object.is_object())
        m_error = (m_path.empty() ? std::string("document") : m_path) + ": expected an object";
}

std::string JsonReader::pathOf(std::string_view key) const
{
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

void JsonReader::failAt(std::string_view key, std::string_view problem)
{
    if (!m_error)
        m_error = pathOf(key) + ": " + std::string(problem);
}

void JsonReader::allowOnly(std::initializer_list<std::string_view> keys)
{
    if (!ok())
        return;
    for (const auto& [key, value] : m_object.items()) {
        if (std::ranges::find(keys, std::string_view(key)) == keys.end()) {
            failAt(key.size() > 40 ? key.substr(0, 40) + "..." : key, "unknown field");
            return;
        }
    }
}

const nlohmann::json* JsonReader::find(std::string_view key, bool required)
{
    if (!ok())
        return nullptr;
    const auto it = m_object.find(key);
    if (it == m_object.end() || (it->is_null() && !required)) {
        if (required)
            failAt(key, "missing");
        return nullptr;
    }
    return &*it;
}

std::string JsonReader::text(std::string_view key, std::size_t maxBytes, TextKind kind, bool allowEmpty)
{
    const auto* v = find(key, true);
    if (!v)
        return {};
    if (!v->is_string()) {
        failAt(key, "expected a string");
        return {};
    }
    const auto& s = v->get_ref<const std::string&>();
    if (s.size() > maxBytes)
        failAt(key, "longer than " + std::to_string(maxBytes) + " bytes");
    else if (s.empty() && !allowEmpty)
        failAt(key, "must not be empty");
    else if (!isValidUtf8(s) || hasControlCharacters(s))
        failAt(key, "invalid characters");
    else if (auto problem = kindProblem(s, kind); problem && !(s.empty() && allowEmpty))
        failAt(key, *problem);
    return ok() ? s : std::string();
}

std::optional<std::string> JsonReader::optionalText(std::string_view key, std::size_t maxBytes, TextKind kind)
{
    if (!find(key, false))
        return std::nullopt;
    auto s = text(key, maxBytes, kind);
    return ok() ? std::optional(std::move(s)) : std::nullopt;
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max)
{
    const auto* v = find(key, true);
    if (!v)
        return 0;
    if (v->is_number_unsigned()) {
        const auto u = v->get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(max)) {
            failAt(key, "out of range");
            return 0;
        }
        const auto n = static_cast<std::int64_t>(u);
        if (n < min) {
            failAt(key, "out of range");
            return 0;
        }
        return n;
    }
    if (!v->is_number_integer()) {
        failAt(key, "expected an integer");
        return 0;
    }
    const auto n = v->get<std::int64_t>();
    if (n < min || n > max) {
        failAt(key, "out of range");
        return 0;
    }
    return n;
}

std::optional<std::int64_t> JsonReader::optionalInteger(std::string_view key, std::int64_t min, std::int64_t max)
{
    if (!find(key, false))
        return std::nullopt;
    const auto n = integer(key, min, max);
    return ok() ? std::optional(n) : std::nullopt;
}

bool JsonReader::boolean(std::string_view key)
{
    const auto* v = find(key, true);
    if (!v)
        return false;
    if (!v->is_boolean()) {
        failAt(key, "expected true or false");
        return false;
    }
    return v->get<bool>();
}

bool JsonReader::optionalBoolean(std::string_view key, bool fallback)
{
    if (!find(key, false))
        return fallback;
    return boolean(key);
}

const nlohmann::json& JsonReader::array(std::string_view key, std::size_t maxCount, bool optional)
{
    const auto* v = find(key, !optional);
    if (!v)
        return k_emptyArray;
    if (!v->is_array()) {
        failAt(key, "expected an array");
        return k_emptyArray;
    }
    if (v->size() > maxCount) {
        failAt(key, "more than " + std::to_string(maxCount) + " items");
        return k_emptyArray;
    }
    return *v;
}

const nlohmann::json* JsonReader::object(std::string_view key, bool optional)
{
    const auto* v = find(key, !optional);
    if (v && !v->is_object()) {
        failAt(key, "expected an object");
        return nullptr;
    }
    return v;
}

} // namespace imhere
