#include "webtestsupport.h"
#include "sync-server/service/records.h"

#include "sync-server/web/html.h"

#include <regex>

namespace imhere::test {

using namespace imhere::server;

void WebFixture::startServer()
{
    server = std::make_unique<TestServer>();
    school = School::build(*server);
    client = std::make_unique<HttpClient>(server->url());
}

void WebFixture::stopServer()
{
    client.reset();
    server.reset();
}

Headers WebFixture::session(Who who)
{
    switch (who) {
    case Anonymous: return {};
    case StudentOfCourse: return School::sessionFor(*server, school.studentA);
    case StudentOfOther: return School::sessionFor(*server, school.studentB);
    case Ta: return School::sessionFor(*server, school.taA);
    case Teacher: return School::sessionFor(*server, school.teacherA);
    case Admin: return School::sessionFor(*server, school.admin);
    case ApiKey: return bearer(school.writeKey);
    case k_whoCount: break;
    }
    return {};
}

HttpResult WebFixture::post(const std::string& path, const Headers& who, std::string form)
{
    Headers headers{"Content-Type: application/x-www-form-urlencoded"};
    for (const auto& h : who) {
        if (h.starts_with("X-CSRF-Token: "))
            form += (form.empty() ? "" : "&") + std::string("csrf=") + web::urlEncode(h.substr(14));
        else
            headers.push_back(h);
    }
    return client->request("POST", path, form, headers);
}

AttendanceRecord WebFixture::record(const Window& w, const Person& p)
{
    return server::recordOf(*server->services, w.id, p.id).value();
}

std::string setCookie(const HttpResult& r, const std::string& name)
{
    for (const auto& h : r.headers) {
        const auto lower = h.substr(0, 12);
        if ((lower == "Set-Cookie: " || lower == "set-cookie: ") && h.compare(12, name.size() + 1, name + "=") == 0)
            return h.substr(12 + name.size() + 1, h.find(';') - 12 - name.size() - 1);
    }
    return {};
}

std::string flashOf(const HttpResult& r)
{
    return setCookie(r, "imhere_flash");
}

std::string formField(const std::string& html, const std::string& name)
{
    std::smatch m;
    const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
    return std::regex_search(html, m, re) ? m[1].str() : std::string();
}

std::ptrdiff_t matchCount(const std::string& text, const std::string& pattern)
{
    const std::regex re(pattern);
    return std::distance(std::sregex_iterator(text.begin(), text.end(), re), std::sregex_iterator());
}

std::string pageStructureProblems(const std::string& html)
{
    std::string problems;
    if (const auto h1 = matchCount(html, "<h1[ >]"); h1 != 1)
        problems += describe(h1, " <h1> instead of one; ");
    // Every visible control has a label pointing at its id.
    const std::regex control(R"re(<(input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)")re");
    std::ptrdiff_t controls = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), control); it != std::sregex_iterator(); ++it) {
        ++controls;
        if (html.find("<label for=\"" + (*it)[2].str() + "\"") == std::string::npos)
            problems += "no label for " + (*it)[2].str() + "; ";
    }
    if (const auto all = matchCount(html, R"(<(input|select|textarea)(?![^>]*type="hidden"))"); all != controls)
        problems += describe(all - controls, " control(s) without an id; ");
    return problems;
}

} // namespace imhere::test
