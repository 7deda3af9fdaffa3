#include "forms.h"

#include "html.h"

#include <cctype>

namespace imhere::web {

namespace {

std::string describedBy(const Field& f, const std::string& id)
{
    std::string ids;
    if (!f.hint.empty())
        ids += id + "-hint";
    if (!f.error.empty())
        ids += (ids.empty() ? "" : " ") + id + "-error";
    return ids.empty() ? std::string() : " aria-describedby=\"" + ids + "\"";
}

std::string fieldOpen(const Field& f, const std::string& id)
{
    std::string html = std::string("<div class=\"field") + (f.error.empty() ? "" : " invalid") + "\">";
    html += "<label for=\"" + id + "\">" + escape(f.label) + "</label>";
    if (!f.hint.empty())
        html += "<span class=\"hint\" id=\"" + id + "-hint\">" + escape(f.hint) + "</span>";
    if (!f.error.empty())
        html += "<span class=\"field-error\" id=\"" + id + "-error\"><span class=\"skip\">Error: </span>"
            + escape(f.error) + "</span>";
    return html;
}

std::string commonAttributes(const Field& f, const std::string& id)
{
    std::string html = " id=\"" + id + "\" name=\"" + escape(f.name) + "\"" + describedBy(f, id);
    if (!f.error.empty())
        html += " aria-invalid=\"true\"";
    if (f.required)
        html += " required";
    if (!f.autocomplete.empty())
        html += " autocomplete=\"" + escape(f.autocomplete) + "\"";
    return html;
}

} // namespace

std::string fieldId(const std::string& name)
{
    std::string id = "f-";
    for (const char c : name)
        id += (std::isalnum(static_cast<unsigned char>(c)) != 0) ? c : '-';
    return id;
}

std::string renderField(const Field& f)
{
    const std::string id = fieldId(f.name);
    std::string html = fieldOpen(f, id);
    if (f.type == "textarea") {
        html += "<textarea" + commonAttributes(f, id) + " rows=\"3\">" + escape(f.value) + "</textarea>";
    } else {
        html += "<input type=\"" + escape(f.type) + "\"" + commonAttributes(f, id);
        if (!f.inputmode.empty())
            html += " inputmode=\"" + escape(f.inputmode) + "\"";
        if (f.type != "password")
            html += " value=\"" + escape(f.value) + "\"";
        html += ">";
    }
    return html + "</div>";
}

std::string renderSelect(const Field& f, const std::vector<Choice>& choices)
{
    const std::string id = fieldId(f.name);
    std::string html = fieldOpen(f, id) + "<select" + commonAttributes(f, id) + ">";
    for (const auto& c : choices) {
        html += "<option value=\"" + escape(c.value) + "\"";
        if (c.value == f.value)
            html += " selected";
        html += ">" + escape(c.label) + "</option>";
    }
    return html + "</select></div>";
}

std::string csrfInput(const std::string& token)
{
    return hiddenInput("csrf", token);
}

std::string hiddenInput(const std::string& name, const std::string& value)
{
    return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">";
}

std::string errorSummary(const std::vector<std::pair<std::string, std::string>>& errors)
{
    if (errors.empty())
        return {};
    std::string html = "<div class=\"error-summary\" role=\"alert\" tabindex=\"-1\" id=\"error-summary\">"
                       "<h2>There is a problem</h2><ul>";
    for (const auto& [name, message] : errors)
        html += "<li><a href=\"#" + fieldId(name) + "\">" + escape(message) + "</a></li>";
    return html + "</ul></div>";
}

std::string renderButtonForm(const ButtonForm& b)
{
    std::string html = "<form class=\"inline\" method=\"post\" action=\"" + escape(b.action) + "\">" + csrfInput(b.csrfToken);
    for (const auto& [name, value] : b.hidden)
        html += hiddenInput(name, value);
    html += "<button type=\"submit\"";
    if (!b.style.empty())
        html += " class=\"" + escape(b.style) + "\"";
    if (!b.accessibleLabel.empty())
        html += " aria-label=\"" + escape(b.accessibleLabel) + "\"";
    return html + ">" + escape(b.label) + "</button></form>";
}

std::string renderSharedForm(const std::string& id, const std::string& csrfToken)
{
    return "<form id=\"" + escape(id) + "\" method=\"post\">" + csrfInput(csrfToken) + "</form>";
}

std::string renderSharedFormButton(const std::string& formId, const ButtonForm& b)
{
    std::string html = "<button type=\"submit\" form=\"" + escape(formId) + "\" formaction=\"" + escape(b.action) + "\"";
    if (!b.style.empty())
        html += " class=\"" + escape(b.style) + "\"";
    if (!b.accessibleLabel.empty())
        html += " aria-label=\"" + escape(b.accessibleLabel) + "\"";
    return html + ">" + escape(b.label) + "</button>";
}

} // namespace imhere::web
