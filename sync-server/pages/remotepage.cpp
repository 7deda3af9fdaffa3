// /q/<code>: the page a phone opens from the classroom screen's rotating QR
// code (DESIGN §4). The first time, the phone is linked to its person with a
// personal code; after that, checking in is one tap. Phone-sized, no
// JavaScript, and every dead end says what to do next.

#include "pages.h"
#include "sync-server/service/attendance.h"
#include "sync-server/service/records.h"

#include "sync-server/service/remote.h"
#include "sync-server/serverlimits.h"
#include "core/result.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

constexpr std::string_view k_deviceCookie = "imhere_device";

std::string deviceCookie(const std::string& token)
{
    // Lax, not Strict: the phone arrives from its camera app, and the cookie
    // must come along on that first navigation.
    return std::string(k_deviceCookie) + "=" + token + "; Path=/q/; HttpOnly; SameSite=Lax; Max-Age="
        + std::to_string(limits::k_deviceCookieMaxAgeSec);
}

web::PageFrame phoneFrame(std::string title)
{
    web::PageFrame f;
    f.description = "Check in to your class from your phone";
    f.title = std::move(title);
    f.narrow = true;
    return f;
}

// A dead end: what happened and what to do about it.
Response deadEnd(int status, const std::string& title, const std::string& advice)
{
    auto f = phoneFrame(title);
    f.main = "<h1>" + web::escape(title) + "</h1><p class=\"lead\">" + web::escape(advice) + "</p>";
    return htmlResponse(status, web::renderPage(f));
}

std::optional<Response> deadEndFor(const Error& error)
{
    if (error.code == Errc::InvalidCode)
        return deadEnd(400, "This is not a check-in code",
                       "Scan the code on the classroom screen with your phone's camera. If it still does not work, "
                       "ask your mentor to check you in.");
    if (error.code == Errc::CodeExpired)
        return deadEnd(410, "This code has expired",
                       "The code on the screen changes every 10 seconds. Scan the code on the screen again.");
    if (error.code == Errc::WindowClosed)
        return deadEnd(409, "This class is not taking check-ins now",
                       "Attendance opens when the class starts. If you think it should be open, ask your mentor.");
    if (error.code == Errc::RateLimited)
        return deadEnd(429, "Too many attempts",
                       "Wait a few minutes, then scan the code on the screen again. If you are stuck, ask your "
                       "mentor to check you in.");
    if (error.code == Errc::NotFound)
        return deadEnd(403, "You are not on this class's list",
                       "This phone is linked to someone who is not in this course. Ask your mentor to add you, "
                       "or to check you in.");
    return std::nullopt;
}

Result<Response> orDeadEnd(Result<Response> response)
{
    if (response)
        return response;
    if (auto page = deadEndFor(response.error()))
        return std::move(*page);
    return response;
}

std::string heading(const ScannedCode& s)
{
    return "<p class=\"muted\">" + web::escape(s.course.name) + "</p><h1>" + web::escape(s.window.title) + "</h1>";
}

std::string checkedInText(const AttendanceRecord& r, const std::string& timezone)
{
    std::string text = "at " + web::timeText(timezone, r.firstCheckIn.value_or(0));
    if (r.status == AttendanceStatus::Late)
        text += ", late by " + std::to_string(r.minutesLate) + " min";
    else if (r.status == AttendanceStatus::OnTime)
        text += ", on time";
    return text;
}

std::string linkForm(const std::string& action, const std::string& ticket, const std::string& error,
                     const std::string& label, const std::string& button);

// "Not you?": a phone shared by two trainees is re-linked with the other's
// own personal code (and both check-ins are then shown for review).
std::string notYou(const std::string& name, const std::string& code, const std::string& ticket,
                   const std::string& error = {})
{
    return std::string(error.empty() ? "<details>" : "<details open>") + "<summary>Not you?</summary><p>This phone checks in " + web::escape(name)
        + ". To use it for someone else, type their personal code.</p>"
        + linkForm("/q/" + code, ticket, error, "Personal code", "Link this phone and check in") + "</details>";
}

Response checkedInPage(const ScannedCode& s, const AttendanceRecord& r, bool now, const std::string& code,
                       const std::string& ticket)
{
    auto f = phoneFrame(now ? "You are checked in" : "Already checked in");
    f.main = heading(s) + "<div class=\"flash\" role=\"status\"><p><strong>"
        + (now ? std::string("You are checked in") : std::string("You are already checked in")) + "</strong> "
        + web::escape(checkedInText(r, s.course.timezone)) + ".</p></div><p>Checked in as " + web::escape(r.displayName)
        + ". You can close this page.</p>" + notYou(r.displayName, code, ticket);
    return htmlResponse(200, web::renderPage(f));
}

std::string linkForm(const std::string& action, const std::string& ticket, const std::string& error,
                     const std::string& label, const std::string& button)
{
    std::string html;
    html += "<form method=\"post\" action=\"" + web::escape(action) + "\" novalidate>" + web::hiddenInput("ticket", ticket);
    html += web::renderField({.name = "link_code", .label = label,
                              .hint = "Ten letters and numbers, like ABCDE-23456. Your mentor can give you one, or "
                                      "find it on your attendance page.",
                              .error = error, .autocomplete = "one-time-code", .required = true});
    return html + "<button type=\"submit\">" + web::escape(button) + "</button></form>";
}

Response scanPage(const ScannedCode& s, const std::string& code, const std::string& deviceToken,
                  bool newCookie, const std::optional<Person>& person, std::int64_t scannedAt,
                  const std::string& error, int status)
{
    const std::string action = "/q/" + code;
    const std::string ticket = scanTicket(code, deviceToken, scannedAt);
    auto f = phoneFrame("Check in to " + s.window.title);
    std::string& m = f.main;
    if (!error.empty())
        m += web::errorSummary({{"link_code", error}});
    m += heading(s);
    if (person) {
        m += "<p class=\"lead\">Checking in as <strong>" + web::escape(person->displayName) + "</strong>.</p>"
             "<form method=\"post\" action=\"" + web::escape(action) + "\">" + web::hiddenInput("ticket", ticket)
            + "<button type=\"submit\" class=\"wide\">Check in</button></form>"
            + notYou(person->displayName, code, ticket, error);
    } else {
        m += "<p class=\"lead\">The first time you check in from this phone, type your personal code. "
             "After that, one tap is enough.</p>"
            + linkForm(action, ticket, error, "Your personal code", "Link this phone and check in");
    }
    Response r = htmlResponse(status, web::renderPage(f));
    if (newCookie)
        r.withHeader("Set-Cookie", deviceCookie(deviceToken));
    return r;
}

struct Scan {
    ScannedCode scanned;
    std::string code;
};

Result<Scan> scan(Services& services, const Request& request)
{
    TRY(countRemoteRequest(services, request.remoteIp));
    std::string code = request.param("code");
    TRY_ASSIGN(scanned, readScannedCode(services, code));
    return Scan{std::move(scanned), std::move(code)};
}


Result<Response> getScan(Services& services, const Request& request)
{
    TRY_ASSIGN(s, scan(services, request));
    // Only a token this server issued is kept; any other value (one planted
    // to learn the phone's link later) is replaced.
    const auto cookie = request.cookie(k_deviceCookie);
    bool newCookie = !cookie;
    if (cookie) {
        TRY_ASSIGN(issued, isIssuedDeviceToken(services, *cookie));
        newCookie = !issued;
    }
    std::string deviceToken;
    if (newCookie) {
        TRY_ASSIGN(fresh, newDeviceToken(services));
        deviceToken = std::move(fresh);
    } else {
        deviceToken = *cookie;
    }
    TRY_ASSIGN(device, linkedDevice(services, deviceToken));
    TRY_ASSIGN(person, linkedPerson(services, device));
    if (person) {
        TRY(participantOf(services, s.scanned.window, person->publicId));
        TRY_ASSIGN(record, recordOf(services, s.scanned.window.id, person->id));
        if (record.present && record.firstCheckIn)
            return checkedInPage(s.scanned, record, false, s.code,
                                 scanTicket(s.code, deviceToken, services.clock.nowMs()));
    }
    return scanPage(s.scanned, s.code, deviceToken, newCookie, person, services.clock.nowMs(), "", 200);
}

Result<Response> postScan(Services& services, const Request& request)
{
    // Only this site's own pages post here.
    if (const auto origin = request.header("origin"); origin && *origin != "null") {
        const auto host = request.header("host");
        const auto at = origin->find("://");
        if (!host || at == std::string_view::npos || origin->substr(at + 3) != *host)
            return fail(Errc::Forbidden, "this form was sent from another site");
    }
    TRY(countRemoteRequest(services, request.remoteIp));
    TRY_ASSIGN(form, formBody(request));
    const std::string code = request.param("code");
    const auto cookie = request.cookie(k_deviceCookie);
    if (!cookie || cookie->empty())
        return deadEnd(400, "This phone did not keep our cookie",
                       "Allow cookies for this site (private browsing may block them), then scan the code on the "
                       "screen again.");
    TRY_ASSIGN(issued, isIssuedDeviceToken(services, *cookie));
    if (!issued)
        return deadEnd(400, "Scan the code again",
                       "This phone's cookie did not come from this site. Scan the code on the screen again.");
    TRY_ASSIGN(scannedAt, readScanTicket(form.text("ticket"), code, *cookie, services.clock.nowMs()));
    // The ticket vouches that the code was current when scanned, so a tap
    // that comes after the code has moved on still counts.
    TRY_ASSIGN(scanned, readScannedCode(services, code, scannedAt));
    TRY_ASSIGN(device, linkedDevice(services, *cookie));
    const std::string typed = form.text("link_code");
    if (typed.empty() && !device) {
        return scanPage(scanned, code, *cookie, false, std::nullopt, scannedAt, "Type your personal code", 422);
    }
    if (!typed.empty()) {
        auto linked = linkPhone(services, typed, *cookie, request.remoteIp);
        if (!linked && linked.error().code == Errc::InvalidRequest) {
            TRY_ASSIGN(person, linkedPerson(services, device));
            return scanPage(scanned, code, *cookie, false, person, scannedAt,
                            "That code is not right, or it has been used or has expired", 422);
        }
        if (!linked)
            return std::unexpected(linked.error());
        device = *linked;
    }
    auto outcome = remoteCheckIn(services, scanned, *device, scannedAt, request.remoteIp);
    if (!outcome && outcome.error().code == Errc::Forbidden)
        return deadEnd(403, "This phone is linked for another class",
                       "Your mentor's code linked this phone for their class only. Get your own code from your "
                       "attendance page (it works for all your classes), or ask this class's mentor for one.");
    if (!outcome)
        return std::unexpected(outcome.error());
    return checkedInPage(scanned, outcome->record, outcome->stored, code, form.text("ticket"));
}

} // namespace

void addRemotePages(Router& router, Services& services)
{
    router.add("GET", "/q/{code}",
               page(services, [&services](const Request& r) { return orDeadEnd(getScan(services, r)); }));
    router.add("POST", "/q/{code}",
               page(services, [&services](const Request& r) { return orDeadEnd(postScan(services, r)); }));
}

} // namespace imhere::server
