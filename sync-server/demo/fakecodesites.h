#pragma once
// A stand-in for GitHub's and Codewars' APIs on loopback, answering in their
// real shapes, for the harvester's tests and the demo (which has no
// internet): GitHub's search for merged pull requests
// (/search/issues?q=is:pr+is:merged+author:NAME[+org:ORG] → total_count,
// with ETag, x-ratelimit-* headers and 304 for a matching If-None-Match; 422
// for an unknown user, as GitHub answers a search naming one) and Codewars'
// /api/v1/users/NAME (honor, ranks, codeChallenges) and
// /api/v1/users/NAME/code-challenges/completed?page=N (200 a page; 404 for
// an unknown user).
//
// A test can make one user's replies misbehave (slow, a reset connection,
// malformed JSON, a 5xx) and make either site answer 403 or 429 with
// rate-limit headers. Each connection on a thread of its own; every wait
// is bounded.
//
// Thread rules: the public methods may be called from any thread.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imhere::demo {

struct FakeKata {
    std::string id;
    std::string name;
    std::vector<std::string> languages;
    std::string completedAt; // RFC 3339
};

struct FakeCoder {
    // GitHub
    int prsMerged = 0;
    std::map<std::string, int> prsByOrg;
    // Codewars
    int honor = 0;
    int rank = -8; // -8 = 8 kyu ... -1 = 1 kyu, 1 = 1 dan
    std::vector<FakeKata> katas;
};

// How one user's replies misbehave.
enum class Misbehaviour { None, Slow, Reset, Malformed, ServerError };

// How a site answers everyone: normally, or refusing with a rate limit.
enum class Limit { None, Primary403, Secondary429 };

struct SeenRequest {
    std::string path; // with the query
    std::map<std::string, std::string> headers; // names in lower case
};

class FakeCodeSites {
public:
    explicit FakeCodeSites(std::uint16_t port = 0)
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        const int yes = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = htons(port);
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 16) != 0) {
            ::close(m_listen);
            m_listen = -1;
            return;
        }
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~FakeCodeSites()
    {
        m_stopping = true;
        if (m_thread.joinable())
            m_thread.join();
        if (m_listen >= 0)
            ::close(m_listen);
    }
    FakeCodeSites(const FakeCodeSites&) = delete;
    FakeCodeSites& operator=(const FakeCodeSites&) = delete;

    [[nodiscard]] bool listening() const { return m_listen >= 0; }
    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    void setCoder(const std::string& name, FakeCoder coder)
    {
        std::lock_guard lock(m_mutex);
        m_coders[name] = std::move(coder);
    }
    // Changes one coder in place (the demo's growth).
    void update(const std::string& name, const std::function<void(FakeCoder&)>& change)
    {
        std::lock_guard lock(m_mutex);
        change(m_coders[name]);
    }
    [[nodiscard]] std::vector<std::string> coderNames()
    {
        std::lock_guard lock(m_mutex);
        std::vector<std::string> out;
        for (const auto& [name, coder] : m_coders)
            out.push_back(name);
        return out;
    }
    void misbehaveFor(const std::string& name, Misbehaviour how)
    {
        std::lock_guard lock(m_mutex);
        m_misbehaviour[name] = how;
    }
    // `resetEpoch`: the x-ratelimit-reset to send (seconds since 1970);
    // `retryAfter`: a Retry-After in seconds, none when 0.
    void limitGithub(Limit limit, std::int64_t resetEpoch = 0, int retryAfter = 0)
    {
        std::lock_guard lock(m_mutex);
        m_githubLimit = {limit, resetEpoch, retryAfter};
    }
    void limitCodewars(Limit limit, std::int64_t resetEpoch = 0, int retryAfter = 0)
    {
        std::lock_guard lock(m_mutex);
        m_codewarsLimit = {limit, resetEpoch, retryAfter};
    }
    // How long a Slow reply takes.
    void setSlowness(std::chrono::milliseconds delay) { m_slowMs = static_cast<int>(delay.count()); }

    [[nodiscard]] std::vector<SeenRequest> requests()
    {
        std::lock_guard lock(m_mutex);
        return m_seen;
    }
    [[nodiscard]] std::size_t requestCount()
    {
        std::lock_guard lock(m_mutex);
        return m_seen.size();
    }

private:
    struct LimitState {
        Limit limit = Limit::None;
        std::int64_t resetEpoch = 0;
        int retryAfter = 0;
    };
    struct Reply {
        int status = 200;
        std::string body;
        std::vector<std::pair<std::string, std::string>> headers;
        bool reset = false;
        bool slow = false;
    };

    static std::string jsonString(const std::string& s)
    {
        std::string out = "\"";
        for (const char c : s) {
            if (c == '"' || c == '\\')
                out.push_back('\\');
            out.push_back(c);
        }
        return out + "\"";
    }
    static std::string etagOf(const std::string& body)
    {
        std::uint64_t h = 1469598103934665603ULL; // FNV-1a
        for (const char c : body)
            h = (h ^ static_cast<std::uint8_t>(c)) * 1099511628211ULL;
        char text[24];
        std::snprintf(text, sizeof text, "\"%016llx\"", static_cast<unsigned long long>(h));
        return text;
    }
    static std::string decoded(const std::string& s)
    {
        std::string out;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (s[i] == '+')
                out.push_back(' ');
            else if (s[i] == '%' && i + 2 < s.size()) {
                out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16)));
                i += 2;
            } else
                out.push_back(s[i]);
        }
        return out;
    }
    static std::string queryValue(const std::string& query, const std::string& name)
    {
        std::size_t at = 0;
        while (at <= query.size()) {
            const auto end = std::min(query.find('&', at), query.size());
            const std::string pair = query.substr(at, end - at);
            if (pair.starts_with(name + "="))
                return decoded(pair.substr(name.size() + 1));
            at = end + 1;
        }
        return {};
    }
    static std::string rankName(int rank)
    {
        return rank < 0 ? std::to_string(-rank) + " kyu" : std::to_string(rank) + " dan";
    }
    static std::string rankColor(int rank)
    {
        if (rank >= -2)
            return rank > 0 ? "black" : "purple";
        return rank >= -4 ? "blue" : rank >= -6 ? "yellow" : "white";
    }

    Reply limited(const LimitState& l, bool github)
    {
        Reply r;
        r.status = l.limit == Limit::Primary403 ? 403 : 429;
        r.body = github ? R"({"message":"API rate limit exceeded","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"})"
                        : R"({"success":false,"reason":"too many requests"})";
        r.headers = {{"x-ratelimit-limit", "30"}, {"x-ratelimit-remaining", "0"},
                     {"x-ratelimit-reset", std::to_string(l.resetEpoch)}, {"x-ratelimit-used", "30"}};
        if (l.retryAfter > 0)
            r.headers.emplace_back("retry-after", std::to_string(l.retryAfter));
        return r;
    }

    Reply answer(const std::string& target, const std::map<std::string, std::string>& headers)
    {
        std::lock_guard lock(m_mutex);
        m_seen.push_back({target, headers});
        const auto q = target.find('?');
        const std::string path = target.substr(0, q);
        const std::string query = q == std::string::npos ? "" : target.substr(q + 1);
        Reply r;
        std::string user;
        if (path == "/search/issues") {
            if (m_githubLimit.limit != Limit::None)
                return limited(m_githubLimit, true);
            std::string org;
            const std::string terms = queryValue(query, "q") + " ";
            for (std::size_t at = 0; at < terms.size();) {
                const auto end = terms.find(' ', at);
                const std::string term = terms.substr(at, end - at);
                if (term.starts_with("author:"))
                    user = term.substr(7);
                if (term.starts_with("org:"))
                    org = term.substr(4);
                at = end + 1;
            }
            r.headers = {{"x-ratelimit-limit", "30"}, {"x-ratelimit-remaining", "29"},
                         {"x-ratelimit-reset", std::to_string(std::time(nullptr) + 60)},
                         {"x-ratelimit-used", "1"}, {"x-ratelimit-resource", "search"}};
            const auto coder = m_coders.find(user);
            if (coder == m_coders.end()) {
                r.status = 422;
                r.body = R"({"message":"Validation Failed","errors":[{"message":"The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.","resource":"Search","field":"q","code":"invalid"}],"documentation_url":"https://docs.github.com/v3/search/"})";
            } else {
                const int total = org.empty() ? coder->second.prsMerged
                                              : (coder->second.prsByOrg.contains(org) ? coder->second.prsByOrg.at(org) : 0);
                r.body = R"({"total_count":)" + std::to_string(total) + R"(,"incomplete_results":false,"items":[]})";
            }
        } else if (path.starts_with("/api/v1/users/")) {
            if (m_codewarsLimit.limit != Limit::None)
                return limited(m_codewarsLimit, false);
            const std::string rest = path.substr(14);
            const auto slash = rest.find('/');
            user = rest.substr(0, slash);
            const auto coder = m_coders.find(user);
            if (coder == m_coders.end()) {
                r.status = 404;
                r.body = R"({"success":false,"reason":"not found"})";
            } else if (slash == std::string::npos) {
                const FakeCoder& c = coder->second;
                std::map<std::string, int> perLanguage;
                for (const FakeKata& k : c.katas)
                    for (const std::string& l : k.languages)
                        ++perLanguage[l];
                std::string languages;
                for (const auto& [l, n] : perLanguage)
                    languages += (languages.empty() ? "" : ",") + jsonString(l) + R"(:{"rank":)"
                               + std::to_string(c.rank) + R"(,"name":)" + jsonString(rankName(c.rank))
                               + R"(,"color":)" + jsonString(rankColor(c.rank)) + R"(,"score":)"
                               + std::to_string(n * 2) + "}";
                r.body = R"({"username":)" + jsonString(user) + R"(,"name":null,"honor":)" + std::to_string(c.honor)
                       + R"(,"clan":"","leaderboardPosition":null,"skills":[],"ranks":{"overall":{"rank":)"
                       + std::to_string(c.rank) + R"(,"name":)" + jsonString(rankName(c.rank)) + R"(,"color":)"
                       + jsonString(rankColor(c.rank)) + R"(,"score":)" + std::to_string(c.honor * 3)
                       + R"(},"languages":{)" + languages + R"(}},"codeChallenges":{"totalAuthored":0,"totalCompleted":)"
                       + std::to_string(c.katas.size()) + "}}";
            } else if (rest.substr(slash) == "/code-challenges/completed") {
                const FakeCoder& c = coder->second;
                constexpr std::size_t k_perPage = 200;
                const std::size_t page = static_cast<std::size_t>(std::atoi(queryValue(query, "page").c_str()));
                const std::size_t pages = std::max<std::size_t>(1, (c.katas.size() + k_perPage - 1) / k_perPage);
                std::string data;
                for (std::size_t i = page * k_perPage; i < std::min(c.katas.size(), (page + 1) * k_perPage); ++i) {
                    const FakeKata& k = c.katas[i];
                    std::string langs;
                    for (const std::string& l : k.languages)
                        langs += (langs.empty() ? "" : ",") + jsonString(l);
                    data += (data.empty() ? "" : ",") + std::string(R"({"id":)") + jsonString(k.id) + R"(,"name":)"
                          + jsonString(k.name) + R"(,"slug":)" + jsonString(k.id) + R"(,"completedLanguages":[)"
                          + langs + R"(],"completedAt":)" + jsonString(k.completedAt) + "}";
                }
                r.body = R"({"totalPages":)" + std::to_string(pages) + R"(,"totalItems":)"
                       + std::to_string(c.katas.size()) + R"(,"data":[)" + data + "]}";
            } else {
                r.status = 404;
                r.body = R"({"success":false,"reason":"not found"})";
            }
        } else {
            r.status = 404;
            r.body = R"({"message":"Not Found"})";
        }
        switch (m_misbehaviour.contains(user) ? m_misbehaviour.at(user) : Misbehaviour::None) {
        case Misbehaviour::None: break;
        case Misbehaviour::Slow: r.slow = true; break;
        case Misbehaviour::Reset: r.reset = true; break;
        case Misbehaviour::Malformed: r.status = 200; r.body = R"({"total_count": 3, "honor": [unclosed)"; break;
        case Misbehaviour::ServerError: r.status = 502; r.body = "<html>Bad gateway</html>"; break;
        }
        if (r.status == 200) {
            const std::string etag = etagOf(r.body);
            r.headers.emplace_back("etag", etag);
            const auto match = headers.find("if-none-match");
            if (match != headers.end() && match->second == etag) {
                r.status = 304;
                r.body.clear();
            }
        }
        return r;
    }

    void serve()
    {
        while (!m_stopping) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            // A thread per connection, so a slow reply holds up nobody else.
            m_workers.emplace_back([this, fd] { handle(fd); });
        }
        for (std::thread& t : m_workers)
            t.join();
    }

    void handle(int fd)
    {
        std::string in;
        char buffer[4096];
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (in.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            in.append(buffer, static_cast<std::size_t>(n));
        }
        const auto lineEnd = in.find("\r\n");
        if (lineEnd == std::string::npos) {
            ::close(fd);
            return;
        }
        const std::string line = in.substr(0, lineEnd);
        const auto sp1 = line.find(' ');
        const auto sp2 = line.find(' ', sp1 + 1);
        const std::string target = sp1 == std::string::npos ? "/" : line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::map<std::string, std::string> headers;
        for (std::size_t at = lineEnd + 2; at < in.size();) {
            const auto end = in.find("\r\n", at);
            if (end == std::string::npos || end == at)
                break;
            const std::string h = in.substr(at, end - at);
            const auto colon = h.find(':');
            if (colon != std::string::npos) {
                std::string name = h.substr(0, colon);
                std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                std::string value = h.substr(colon + 1);
                while (!value.empty() && value.front() == ' ')
                    value.erase(0, 1);
                headers[name] = value;
            }
            at = end + 2;
        }
        const Reply r = answer(target, headers);
        if (r.reset) {
            linger l{1, 0}; // close with RST
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
            ::close(fd);
            return;
        }
        if (r.slow) {
            for (int waited = 0; waited < m_slowMs && !m_stopping; waited += 50)
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        std::string out = "HTTP/1.1 " + std::to_string(r.status) + (r.status == 200 ? " OK" : " Status") + "\r\n";
        out += "Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n";
        out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
        for (const auto& [name, value] : r.headers)
            out += name + ": " + value + "\r\n";
        out += "\r\n" + r.body;
        for (std::size_t sent = 0; sent < out.size();) {
            const ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            sent += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }

    int m_listen = -1;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_slowMs{3000};
    std::mutex m_mutex;
    std::map<std::string, FakeCoder> m_coders;
    std::map<std::string, Misbehaviour> m_misbehaviour;
    LimitState m_githubLimit;
    LimitState m_codewarsLimit;
    std::vector<SeenRequest> m_seen;
    std::vector<std::thread> m_workers; // the serving thread's own
    std::thread m_thread; // last: starts once everything above exists
};

} // namespace imhere::demo
