#pragma once
// What the page tests share: a real server with the School in it (see
// tests/server/testserver.h), made afresh for each test, and a browser's ways
// of using it: a session for each kind of person, form posts with the CSRF
// token in the body, the cookies of a reply, the fields of a form, and the
// structure every page must have.

#include "tests/server/testserver.h"

#include <cstddef>
#include <memory>
#include <sstream>
#include <string>

namespace imhere::test {

// The people a page tells apart, in the order of the access matrices.
enum Who { Anonymous, StudentOfCourse, StudentOfOther, Ta, Teacher, Admin, ApiKey, k_whoCount };
inline constexpr const char* k_whoNames[k_whoCount] = {"anonymous", "student of the course",
                                                       "student of another course", "TA", "teacher", "admin",
                                                       "API key"};

// The base of a page test class: startServer() in init(), stopServer() in
// cleanup().
class WebFixture {
protected:
    void startServer();
    void stopServer();

    // The headers `who` sends: a session cookie and CSRF token of their own
    // (the API key: its Authorization header; anonymous: none).
    Headers session(Who who);
    // A form post as the browser sends it: the session cookie and the CSRF
    // token in the form body (not the header the JSON API uses).
    HttpResult post(const std::string& path, const Headers& who, std::string form);
    server::AttendanceRecord record(const server::Window& w, const server::Person& p);

    std::unique_ptr<TestServer> server;
    School school;
    std::unique_ptr<HttpClient> client;
};

// The value of the cookie `name` the reply sets; empty when it sets none.
std::string setCookie(const HttpResult& r, const std::string& name);
// The flash message the reply leaves for the next page: 's…' success,
// 'e…' error; empty when none.
std::string flashOf(const HttpResult& r);
// The value of the form field `name` in a page; empty when there is none.
std::string formField(const std::string& html, const std::string& name);
// How often `pattern` matches in `text`.
std::ptrdiff_t matchCount(const std::string& text, const std::string& pattern);
// What keeps a page from being read with a screen reader: not exactly one
// <h1>, a visible control without an id, or one no <label> points at. Empty
// when there is nothing.
std::string pageStructureProblems(const std::string& html);

// Its arguments as one text, for a check's message:
// QVERIFY2(ok, describe("GET ", path, " as ", name).c_str()).
template <class... Parts>
std::string describe(const Parts&... parts)
{
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

} // namespace imhere::test
