// The kiosks section of the admin pages: every kiosk with the courses it
// serves, when it was provisioned and last synced; provisioning one, which
// shows its token once inside the command to run on the classroom machine;
// revoking one after a confirmation step.

#include "adminpages.h"

#include "sync-server/service/courseviews.h"
#include "sync-server/service/kiosks.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

#include <algorithm>
#include <cstdlib>
#include <charconv>
#include <map>
#include <set>

namespace imhere::server {

namespace {

Result<std::uint32_t> kioskParam(const Request& request)
{
    const std::string& text = request.param("kiosk");
    std::uint32_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id == 0 || text[0] == '0')
        return fail(Errc::InvalidId, "kiosk: expected a kiosk number");
    return id;
}

// The address this page was opened at, which is usually the one the
// classroom machine reaches too. Only characters a host may have, so the
// command is safe to paste into a shell. https:// when the server speaks
// HTTPS or is told a TLS proxy is in front of it.
std::string serverUrl(const Request& request)
{
    const std::string host(request.header("host").value_or(""));
    const bool plain = !host.empty() && host.size() < 256 && std::ranges::all_of(host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == ':' || c == '[' || c == ']';
    });
    const bool https = request.secure || request.header("x-forwarded-proto") == "https";
    if (!plain)
        return https ? "https://SERVER" : "http://SERVER:PORT";
    return std::string(https ? "https" : "http") + "://" + host;
}

struct CourseNames {
    std::map<std::string, Course> byId;
    [[nodiscard]] std::string zoneOf(const KioskInfo& k) const
    {
        for (const auto& id : k.courses)
            if (const auto it = byId.find(id); it != byId.end() && !it->second.removed)
                return it->second.timezone;
        return "UTC";
    }
};

Result<CourseNames> courseNames(Services& services, const Caller& caller, const std::vector<KioskInfo>& kiosks)
{
    CourseNames names;
    TRY_ASSIGN(live, allCourses(services, caller));
    for (auto& c : live)
        names.byId[c.course.id] = std::move(c.course);
    for (const auto& k : kiosks) {
        for (const auto& id : k.courses) {
            if (names.byId.contains(id))
                continue;
            TRY_ASSIGN(removed, anyCourse(services, caller, id));
            if (removed)
                names.byId[id] = std::move(*removed);
        }
    }
    return names;
}

// How far the kiosk's clock was from the server's at its last sync, in
// words; a minute or more is marked for the admin to set it right.
std::string clockText(std::optional<std::int64_t> skewMs)
{
    if (!skewMs)
        return "Not known yet";
    const std::int64_t s = (std::abs(*skewMs) + 500) / 1000;
    if (s < 2)
        return "Right";
    const std::int64_t h = s / 3600, min = s / 60 % 60, sec = s % 60;
    std::string amount;
    if (h > 0)
        amount = std::to_string(h) + " h " + std::to_string(min) + " min";
    else if (min > 0)
        amount = std::to_string(min) + " min " + std::to_string(sec) + " s";
    else
        amount = std::to_string(sec) + " s";
    const std::string text = amount + (*skewMs > 0 ? " fast" : " slow");
    return s >= 60 ? "<span class=\"tag late\">" + text + "</span>" : text;
}

// Times are in the zone of the kiosk's first course, named after each time
// when the kiosks are not all in one zone.
std::string kioskRow(const KioskInfo& k, const CourseNames& names, bool nameZones)
{
    const std::string zone = names.zoneOf(k);
    const std::string suffix = nameZones ? "<br><span class=\"muted\">" + web::escape(zone) + "</span>" : "";
    const std::string name = web::escape(k.name);
    std::string html = "<tr><th scope=\"row\">" + name + "</th><td data-label=\"Serves\"><ul class=\"plain\">";
    for (const auto& id : k.courses) {
        const auto it = names.byId.find(id);
        html += "<li>" + (it == names.byId.end() ? id : web::escape(it->second.name))
            + (it != names.byId.end() && it->second.removed ? " (removed)" : "") + "</li>";
    }
    html += "</ul></td><td data-label=\"Provisioned\">" + web::escape(web::dateTimeText(zone, k.createdAt)) + suffix
        + "</td><td data-label=\"Last sync\">"
        + (k.lastSyncAt ? web::escape(web::dateTimeText(zone, *k.lastSyncAt)) + suffix : std::string("Never"))
        + "</td><td data-label=\"Clock\">" + clockText(k.clockSkewMs) + "</td><td>";
    if (k.revoked)
        html += "<span class=\"tag absent\">Revoked</span>"
            + (k.revokedAt ? " " + web::escape(web::dateTimeText(zone, *k.revokedAt)) + suffix : std::string());
    else
        html += "<span class=\"tag on_time\">In use</span> <a href=\"/admin/kiosks/" + std::to_string(k.id)
            + "/revoke\" aria-label=\"Revoke " + name + "\">Revoke</a>";
    return html + "</td></tr>";
}

std::string provisionForm(const Caller& caller, const std::vector<CourseWithRole>& courses, const web::FormData* form,
                          const FieldErrors& errors)
{
    const auto chosen = form ? form->all("courses") : std::vector<std::string>();
    const std::string error = errorFor(errors, "courses");
    std::string html = "<h2 id=\"provision\">Provision a kiosk</h2><form method=\"post\" action=\"/admin/kiosks\" novalidate>"
        + web::csrfInput(caller.principal.csrfToken)
        + web::renderField({.name = "name", .label = "Kiosk name", .value = form ? form->text("name") : "",
                            .hint = "Where it stands, for example: Room 1 door", .error = errorFor(errors, "name"),
                            .autocomplete = "off", .required = true});
    if (courses.empty())
        return html + "<p>Add a course first: a kiosk serves one or more courses.</p></form>";
    html += std::string("<fieldset class=\"field") + (error.empty() ? "" : " invalid")
        + "\" aria-describedby=\"f-courses-hint" + (error.empty() ? "" : " f-courses-error")
        + "\"><legend>Courses it serves</legend><span class=\"hint\" id=\"f-courses-hint\">People of these courses can "
          "check in at it; choose one or more</span>";
    if (!error.empty())
        html += "<span class=\"field-error\" id=\"f-courses-error\"><span class=\"skip\">Error: </span>"
            + web::escape(error) + "</span>";
    for (std::size_t i = 0; i < courses.size(); ++i) {
        const Course& c = courses[i].course;
        const std::string id = i == 0 ? "f-courses" : "f-courses-" + std::to_string(i);
        const bool checked = std::ranges::find(chosen, c.id) != chosen.end();
        html += "<div class=\"checkbox\"><input type=\"checkbox\" id=\"" + id + "\" name=\"courses\" value=\"" + c.id
            + "\"" + (checked ? " checked" : "") + "><label for=\"" + id + "\">" + web::escape(c.name) + "</label></div>";
    }
    return html + "</fieldset><button type=\"submit\">Provision kiosk</button></form>";
}

Result<Response> kiosksPage(Services& services, const Request& request, const Caller& caller, const web::FormData* form,
                            const FieldErrors& errors, int status)
{
    TRY_ASSIGN(kiosks, kiosksFor(services, caller));
    TRY_ASSIGN(names, courseNames(services, caller, kiosks));
    TRY_ASSIGN(courses, allCourses(services, caller));
    auto frame = adminFrame(caller, errors.empty() ? "Kiosks" : "Error: kiosks", "/admin/kiosks");
    std::string& m = frame.main;
    m += web::errorSummary(errors) + "<h1>Kiosks</h1>";
    if (kiosks.empty()) {
        m += "<p>No kiosk is provisioned yet.</p>";
    } else {
        m += "<div class=\"table-wrap\"><table class=\"stack\"><caption>Every kiosk (" + std::to_string(kiosks.size())
            + ")</caption><thead><tr><th scope=\"col\">Kiosk</th><th scope=\"col\">Serves</th>"
              "<th scope=\"col\">Provisioned</th><th scope=\"col\">Last sync</th><th scope=\"col\">Clock</th>"
              "<th scope=\"col\">Status</th></tr>"
              "</thead><tbody>";
        std::set<std::string> zones;
        for (const auto& k : kiosks)
            zones.insert(names.zoneOf(k));
        for (const auto& k : kiosks)
            m += kioskRow(k, names, zones.size() > 1);
        m += "</tbody></table></div><p class=\"muted\">"
            + (zones.size() > 1 ? std::string("Times are in the time zone of each kiosk's first course")
                                : "Times are " + web::escape(*zones.begin()) + " time")
            + "; the last sync to within a minute. Clock: how far the kiosk's clock was from this server's at "
              "that sync. Each kiosk measures the difference at every sync and times check-ins on this server's "
              "clock, so a clock that is off makes nobody late; one a minute or more out is worth setting right on "
              "the classroom machine.</p>";
    }
    m += provisionForm(caller, courses, form, errors);
    return pageResponse(request, std::move(frame), status);
}

Result<Response> getKiosks(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    return kiosksPage(services, request, caller, nullptr, {}, 200);
}

Result<Response> postKiosk(Services& services, const Request& request)
{
    TRY_ASSIGN(post, adminPost(services, request));
    auto made = provisionKiosk(services, post.caller, post.form.text("name"), post.form.all("courses"));
    if (!made) {
        if (statusForErrorCode(made.error().code) != 422)
            return std::unexpected(made.error());
        return kiosksPage(services, request, post.caller, &post.form, {fieldError(made.error())}, 422);
    }
    const std::string name = web::escape(made->kiosk.name);
    auto frame = adminFrame(post.caller, made->kiosk.name + " is provisioned", "/admin/kiosks");
    std::string& m = frame.main;
    m += "<h1>" + name + " is provisioned</h1><p class=\"lead\">On the classroom machine, run this once:</p>"
         "<pre class=\"secret\"><code>"
        + web::escape(kioskStartCommand(serverUrl(request), made->token))
        + "</code></pre><p><strong>Copy it now: the token in it is shown only this once.</strong> If it is lost, "
          "revoke this kiosk and provision another.</p><p>Later starts need only <code>--data</code>. If the "
          "classroom machine reaches this server at another address, use that after <code>--server</code>.</p>";
    if (serverUrl(request).starts_with("https://"))
        m += "<p>If this server's certificate comes from your own CA, not one the classroom machine trusts, add "
             "<code>--ca-file</code> with that CA's certificate: the kiosk refuses a server it cannot verify.</p>";
    m += "<p><a href=\"/admin/kiosks\">Back to the kiosks</a></p>";
    return pageResponse(request, std::move(frame), 201);
}

Result<KioskInfo> kioskById(Services& services, const Caller& caller, std::uint32_t id)
{
    TRY_ASSIGN(kiosks, kiosksFor(services, caller));
    const auto it = std::ranges::find(kiosks, id, &KioskInfo::id);
    if (it == kiosks.end())
        return fail(Errc::NotFound, "no such kiosk");
    return *it;
}

Result<Response> confirmRevoke(Services& services, const Request& request)
{
    TRY_ASSIGN(caller, requireAdmin(services, request));
    TRY_ASSIGN(id, kioskParam(request));
    TRY_ASSIGN(kiosk, kioskById(services, caller, id));
    const std::string name = web::escape(kiosk.name);
    auto frame = adminFrame(caller, "Revoke " + kiosk.name, "/admin/kiosks");
    std::string& m = frame.main;
    if (kiosk.revoked) {
        m += "<h1>" + name + " is revoked</h1><p>Its token no longer works.</p>"
             "<p><a href=\"/admin/kiosks\">Back to the kiosks</a></p>";
        return pageResponse(request, std::move(frame));
    }
    m += "<h1>Revoke " + name + "?</h1><ul><li>Its token stops working at once: it can no longer sync, "
         "and check-ins made on it and not yet synced stay on it.</li><li>This cannot be undone. To use the "
         "machine again, provision a new kiosk and start it with a new <code>--data</code> directory.</li></ul>"
         "<form method=\"post\" action=\"/admin/kiosks/"
        + std::to_string(id) + "/revoke\">" + web::csrfInput(caller.principal.csrfToken)
        + "<div class=\"actions\"><button type=\"submit\" class=\"warning\">Revoke kiosk</button>"
          "<a href=\"/admin/kiosks\">Cancel, keep it</a></div></form>";
    return pageResponse(request, std::move(frame));
}

Result<Response> revokePost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, adminPost(services, request));
    TRY_ASSIGN(id, kioskParam(request));
    TRY_ASSIGN(kiosk, kioskById(services, post.caller, id));
    TRY_ASSIGN(revoked, revokeKiosk(services, post.caller, id));
    return redirect("/admin/kiosks", web::Flash{web::Flash::Kind::Success,
                                                "\"" + kiosk.name + (revoked ? "\" is revoked: its token no longer works."
                                                                             : "\" was already revoked.")});
}

} // namespace

void addAdminKioskPages(Router& router, Services& services)
{
    router.add("GET", "/admin/kiosks", page(services, [&services](const Request& r) { return getKiosks(services, r); }));
    router.add("POST", "/admin/kiosks", page(services, [&services](const Request& r) { return postKiosk(services, r); }));
    router.add("GET", "/admin/kiosks/{kiosk}/revoke", page(services, [&services](const Request& r) { return confirmRevoke(services, r); }));
    router.add("POST", "/admin/kiosks/{kiosk}/revoke", page(services, [&services](const Request& r) { return revokePost(services, r); }));
}

} // namespace imhere::server
