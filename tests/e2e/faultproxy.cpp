#include "faultproxy.h"

#include "core/syncprotocol.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <stdexcept>

namespace imhere::e2e {

namespace {

constexpr int k_ioTimeoutSec = 30;

void setTimeouts(int fd)
{
    timeval tv{k_ioTimeoutSec, 0};
    (void)::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    (void)::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

bool writeAll(int fd, std::string_view bytes)
{
    while (!bytes.empty()) {
        const auto n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string lower(std::string s)
{
    std::ranges::transform(s, s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// One whole request (headers with Connection: close in place of any
// Connection header, then the body); empty when the client closed or sent
// something that is not a request with a Content-Length body.
std::string readRequest(int fd)
{
    std::string in;
    char buffer[16384];
    std::size_t headerEnd = std::string::npos;
    while ((headerEnd = in.find("\r\n\r\n")) == std::string::npos) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return {};
        in.append(buffer, static_cast<std::size_t>(n));
    }
    std::string head;
    std::size_t length = 0;
    std::size_t at = 0;
    const std::string headers = in.substr(0, headerEnd + 2);
    while (at < headers.size()) {
        const auto end = headers.find("\r\n", at);
        const std::string line = headers.substr(at, end - at);
        at = end + 2;
        const std::string name = lower(line.substr(0, line.find(':')));
        if (name == "connection")
            continue;
        if (name == "content-length")
            length = std::stoul(line.substr(line.find(':') + 1));
        head += line + "\r\n";
    }
    head += "Connection: close\r\n\r\n";
    std::string body = in.substr(headerEnd + 4);
    while (body.size() < length) {
        const auto n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0)
            return {};
        body.append(buffer, static_cast<std::size_t>(n));
    }
    return head + body;
}

int connectTo(std::uint16_t port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    setTimeouts(fd);
    return fd;
}

// The server's whole answer to `request` (it closes after it); empty when
// the server could not be reached.
std::string roundTrip(std::uint16_t port, const std::string& request)
{
    const int fd = connectTo(port);
    if (fd < 0)
        return {};
    std::string out;
    if (writeAll(fd, request)) {
        char buffer[16384];
        while (true) {
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                break;
            out.append(buffer, static_cast<std::size_t>(n));
        }
    }
    ::close(fd);
    return out;
}

std::string bodyOf(const std::string& response)
{
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

std::string statusLineOf(const std::string& response)
{
    return response.substr(0, response.find("\r\n"));
}

} // namespace

FaultProxy::FaultProxy(std::uint16_t upstreamPort, std::uint32_t seed) : m_upstream(upstreamPort), m_random(seed)
{
    m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const int one = 1;
    (void)::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof addr;
    if (::bind(m_listen, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 || ::listen(m_listen, 16) != 0
        || ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &size) != 0)
        throw std::runtime_error("fault proxy: cannot listen on loopback");
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] { run(); });
}

FaultProxy::~FaultProxy()
{
    m_stop = true;
    m_thread.join();
    ::close(m_listen);
}

void FaultProxy::useFaults(std::vector<Fault> faults)
{
    std::lock_guard lock(m_mutex);
    m_faults = std::move(faults);
}

std::array<int, FaultProxy::k_faultCount> FaultProxy::counts() const
{
    std::lock_guard lock(m_mutex);
    return m_counts;
}

std::vector<std::string> FaultProxy::mismatches() const
{
    std::lock_guard lock(m_mutex);
    return m_mismatches;
}

void FaultProxy::setStateProbe(std::function<std::string()> probe)
{
    std::lock_guard lock(m_mutex);
    m_probe = std::move(probe);
}

std::size_t FaultProxy::pendingReplays() const
{
    std::lock_guard lock(m_mutex);
    return m_replays.size();
}

const char* FaultProxy::nameOf(Fault fault)
{
    static constexpr const char* names[] = {"pass", "drop", "delay", "cut-request", "cut-response", "replay",
                                            "thrice"};
    return names[fault];
}

FaultProxy::Fault FaultProxy::draw()
{
    std::lock_guard lock(m_mutex);
    const Fault fault = m_faults[std::uniform_int_distribution<std::size_t>(0, m_faults.size() - 1)(m_random)];
    ++m_counts[fault];
    return fault;
}

void FaultProxy::run()
{
    while (!m_stop) {
        pollfd fd{m_listen, POLLIN, 0};
        if (::poll(&fd, 1, 50) <= 0)
            continue;
        const int client = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0)
            continue;
        setTimeouts(client);
        serve(client);
        ::close(client);
    }
}

void FaultProxy::serve(int client)
{
    const std::string request = readRequest(client);
    if (request.empty())
        return;
    // An earlier request, sent again now and then, before or after its events were acknowledged.
    bool replayNow = false;
    {
        std::lock_guard lock(m_mutex);
        replayNow = !m_replays.empty() && std::uniform_int_distribution<int>(0, 2)(m_random) == 0;
    }
    if (replayNow) {
        std::string old;
        {
            std::lock_guard lock(m_mutex);
            old = m_replays.back();
            m_replays.pop_back();
        }
        (void)roundTrip(m_upstream, old);
    }

    const Fault fault = draw();
    const std::size_t bodyAt = request.find("\r\n\r\n") + 4;
    switch (fault) {
    case Drop:
        return;
    case CutRequest: {
        const int upstream = connectTo(m_upstream);
        if (upstream >= 0) {
            (void)writeAll(upstream, std::string_view(request).substr(0, bodyAt + (request.size() - bodyAt) / 2));
            ::close(upstream);
        }
        return;
    }
    case CutResponse: {
        const std::string answer = roundTrip(m_upstream, request);
        (void)writeAll(client, std::string_view(answer).substr(0, answer.size() / 2));
        return;
    }
    case Delay:
        std::this_thread::sleep_for(std::chrono::milliseconds(50 + m_random() % 350));
        break;
    case Replay: {
        std::lock_guard lock(m_mutex);
        m_replays.push_back(request);
        break;
    }
    case Thrice: {
        std::function<std::string()> probe;
        {
            std::lock_guard lock(m_mutex);
            probe = m_probe;
        }
        const std::string first = roundTrip(m_upstream, request);
        const std::string stateAfterFirst = probe ? probe() : std::string();
        const std::string second = roundTrip(m_upstream, request);
        const std::string third = roundTrip(m_upstream, request);
        const std::string stateAfterThird = probe ? probe() : std::string();
        compareReplies(first, second);
        compareReplies(second, third);
        if (stateAfterFirst != stateAfterThird) {
            std::lock_guard lock(m_mutex);
            m_mismatches.push_back("state after one send " + stateAfterFirst + ", after three " + stateAfterThird);
        }
        (void)writeAll(client, first);
        return;
    }
    case Pass:
    case k_faultCount:
        break;
    }
    (void)writeAll(client, roundTrip(m_upstream, request));
}

void FaultProxy::compareReplies(const std::string& first, const std::string& again)
{
    std::string problem;
    const auto a = sync::decodeResponse(bodyOf(first));
    const auto b = sync::decodeResponse(bodyOf(again));
    if (statusLineOf(first) != statusLineOf(again)) {
        problem = statusLineOf(first) + " then " + statusLineOf(again);
    } else if (!a || !b) {
        if (bodyOf(first) != bodyOf(again))
            problem = "error bodies differ: " + bodyOf(first) + " then " + bodyOf(again);
    } else if (a->acks.size() != b->acks.size()) {
        problem = "ack counts differ";
    } else if (a->cursor != b->cursor || a->more != b->more || a->changes != b->changes || a->kiosk != b->kiosk) {
        problem = "changes differ: " + bodyOf(first) + " then " + bodyOf(again);
    } else {
        for (std::size_t i = 0; i < a->acks.size() && problem.empty(); ++i) {
            sync::Ack expected = a->acks[i];
            if (expected.status == sync::AckStatus::Stored)
                expected.status = sync::AckStatus::Duplicate;
            if (b->acks[i] != expected)
                problem = "ack " + std::to_string(i) + " differs: " + bodyOf(first) + " then " + bodyOf(again);
        }
    }
    if (!problem.empty()) {
        std::lock_guard lock(m_mutex);
        m_mismatches.push_back(std::move(problem));
    }
}

} // namespace imhere::e2e
