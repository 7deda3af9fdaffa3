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

// Long lists with a button or two per row (a course roster) share one form
// that carries the CSRF token: each button names it (form=) and posts to its
// own address (formaction=), without a form and a token of its own per row.
// Works without JavaScript; keeps a class of 30 well inside the page budget.
[[nodiscard]] std::string renderSharedForm(const std::string& id, const std::string& csrfToken);
// A button of the shared form `formId`; `button.csrfToken` and
// `button.hidden` are not used (the shared form sends the token only).
[[nodiscard]] std::string renderSharedFormButton(const std::string& formId, const ButtonForm& button);

} // namespace imhere::web
