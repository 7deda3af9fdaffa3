#pragma once
// Strict reading of JSON objects: each accessor checks type, range and length
// and records the first problem with its path, so decoders stay linear.

#include "limits.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace imhere {

enum class TextKind { Any, Uuid, UuidV4, PublicId, Hex64, Token };

// Rejects input deeper than `maxDepth` before parsing, so a hostile document
// cannot exhaust the stack or memory of any later recursive walk.
[[nodiscard]] bool jsonDepthWithin(std::string_view text, int maxDepth);

// What a client is told about a document nlohmann::json could not parse:
// where, in its own words, never the parser's message (which names the
// library's internals and echoes the input back).
[[nodiscard]] std::string describeJsonFailure(const nlohmann::json::exception& e);

class JsonReader {
public:
    JsonReader(const nlohmann::json& object, std::string path);

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    [[nodiscard]] const std::string& error() const { return *m_error; }
    void failAt(std::string_view key, std::string_view problem);

    // Unknown keys are an error: a typo must not silently drop data.
    void allowOnly(std::initializer_list<std::string_view> keys);

    std::string text(std::string_view key, std::size_t maxBytes, TextKind kind = TextKind::Any,
                     bool allowEmpty = false);
    std::optional<std::string> optionalText(std::string_view key, std::size_t maxBytes,
                                            TextKind kind = TextKind::Any);
    std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max);
    std::optional<std::int64_t> optionalInteger(std::string_view key, std::int64_t min, std::int64_t max);
    std::int64_t timestamp(std::string_view key) { return integer(key, 0, limits::k_maxTimestampMs); }
    std::optional<std::int64_t> optionalTimestamp(std::string_view key)
    {
        return optionalInteger(key, 0, limits::k_maxTimestampMs);
    }
    bool boolean(std::string_view key);
    bool optionalBoolean(std::string_view key, bool fallback);
    // The array at `key` (an empty one when absent and optional), at most maxCount long.
    const nlohmann::json& array(std::string_view key, std::size_t maxCount, bool optional = false);
    const nlohmann::json* object(std::string_view key, bool optional = false);

private:
    const nlohmann::json* find(std::string_view key, bool required);
    std::string pathOf(std::string_view key) const;

    const nlohmann::json& m_object;
    std::string m_path;
    std::optional<std::string> m_error;
};

} // namespace imhere
