#pragma once
// Accessible form parts: every control has a label; hints and errors are tied
// to it with aria-describedby; an error summary links to each bad field; every
// state-changing form carries the CSRF token.

#include <string>
#include <utility>
#include <vector>

namespace imhere::web {

struct Field {
    std::string name;
    std::string label;
    std::string type = "text"; // text, email, password, number, datetime-local, textarea
    std::string value;
    std::string hint;
    std::string error;
    std::string autocomplete; // e.g. "username", "current-password", "off"
    std::string inputmode;    // e.g. "numeric"
    bool required = false;
};

struct Choice {
    std::string value;
    std::string label;
};

[[nodiscard]] std::string fieldId(const std::string& name);
[[nodiscard]] std::string renderField(const Field& field);
[[nodiscard]] std::string renderSelect(const Field& field, const std::vector<Choice>& choices);
[[nodiscard]] std::string csrfInput(const std::string& token);
[[nodiscard]] std::string hiddenInput(const std::string& name, const std::string& value);

// "There is a problem" box linking to each field: (field name, message) pairs.
[[nodiscard]] std::string errorSummary(const std::vector<std::pair<std::string, std::string>>& errors);

// A one-button POST form (open/close window, remove member ...).
struct ButtonForm {
    std::string action;
    std::string label;
    std::string csrfToken;
    std::vector<std::pair<std::string, std::string>> hidden;
    std::string style; // "", "secondary", "warning"
    std::string accessibleLabel; // when the visible label needs context ("Remove Ada Lovelace")
};
[[nodiscard]] std::string renderButtonForm(const ButtonForm& form);

} // namespace imhere::web
