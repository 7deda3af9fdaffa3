#pragma once
// A small real SMTP server on loopback for the mail tests: it speaks EHLO,
// HELO, MAIL FROM, RCPT TO, DATA (undoing the sender's dot-stuffing), RSET,
// NOOP and QUIT over TCP, keeps what it receives, and can refuse the next
// recipients with a reply the test chooses (a 4xx to make the sender try
// again later, a 5xx to make it give up). One connection at a time, on a
// thread of its own; every wait is bounded.
//
// Thread rules: the public methods may be called from any thread.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imhere::test {

struct ReceivedMail {
    std::string from;            // MAIL FROM:<this>
    std::vector<std::string> to; // RCPT TO:<these>
    std::string data;            // what came after DATA, dot-stuffing undone, CRLF line ends

    // The value of the first header with this name ("Subject"), or "".
    [[nodiscard]] std::string header(const std::string& name) const
    {
        const std::string key = "\r\n" + name + ": ";
        const std::string text = "\r\n" + data;
        const auto at = text.find(key);
        if (at == std::string::npos || at > text.find("\r\n\r\n"))
            return {};
        const auto start = at + key.size();
        return text.substr(start, text.find("\r\n", start) - start);
    }
    [[nodiscard]] std::string body() const
    {
        const auto at = data.find("\r\n\r\n");
        return at == std::string::npos ? std::string() : data.substr(at + 4);
    }
};

class SmtpSink {
public:
    SmtpSink()
    {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        const int yes = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        ::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
        ::listen(m_listen, 8);
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~SmtpSink()
    {
        m_stopping = true;
        m_thread.join();
        ::close(m_listen);
    }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    [[nodiscard]] unsigned short port() const { return m_port; }

    // The next `count` RCPT TO commands get `reply` instead of 250.
    void refuseNextRecipients(int count, std::string reply)
    {
        std::lock_guard lock(m_mutex);
        m_refusals = count;
        m_refusal = std::move(reply);
    }
    [[nodiscard]] std::vector<ReceivedMail> messages() const
    {
        std::lock_guard lock(m_mutex);
        return m_messages;
    }
    // How many SMTP conversations were started (delivered or not).
    [[nodiscard]] int connections() const { return m_connections; }
    // Waits (at most `timeout`) until `count` messages have arrived.
    [[nodiscard]] bool waitForMessages(std::size_t count, std::chrono::milliseconds timeout) const
    {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, timeout, [&] { return m_messages.size() >= count; });
    }

private:
    static constexpr int k_pollMs = 100;
    static constexpr int k_idleLimitMs = 10'000; // a silent client is dropped

    void serve()
    {
        while (!m_stopping) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, k_pollMs) <= 0)
                continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            ++m_connections;
            converse(fd);
            ::close(fd);
        }
    }

    bool sendLine(int fd, const std::string& line)
    {
        const std::string out = line + "\r\n";
        return ::send(fd, out.data(), out.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(out.size());
    }

    // The next CRLF-terminated line (without it); false when the client
    // went away, was silent too long, or the sink is stopping.
    bool readLine(int fd, std::string& buffer, std::string& line)
    {
        int waited = 0;
        for (;;) {
            if (const auto end = buffer.find("\r\n"); end != std::string::npos) {
                line = buffer.substr(0, end);
                buffer.erase(0, end + 2);
                return true;
            }
            if (m_stopping || waited > k_idleLimitMs)
                return false;
            pollfd p{fd, POLLIN, 0};
            const int ready = ::poll(&p, 1, k_pollMs);
            if (ready == 0) {
                waited += k_pollMs;
                continue;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    static std::string upper(std::string text)
    {
        for (char& c : text)
            if (c >= 'a' && c <= 'z')
                c = static_cast<char>(c - 32);
        return text;
    }

    static std::string inAngles(const std::string& line)
    {
        const auto open = line.find('<');
        const auto close = line.find('>', open);
        return open == std::string::npos || close == std::string::npos ? std::string()
                                                                       : line.substr(open + 1, close - open - 1);
    }

    void converse(int fd)
    {
        std::string buffer, line;
        ReceivedMail mail;
        if (!sendLine(fd, "220 sink.test ESMTP imhere test sink"))
            return;
        while (readLine(fd, buffer, line)) {
            const std::string verb = upper(line.substr(0, line.find(' ')));
            if (verb == "EHLO") {
                sendLine(fd, "250-sink.test greets you");
                sendLine(fd, "250-8BITMIME");
                sendLine(fd, "250 SIZE 1048576");
            } else if (verb == "HELO" || verb == "NOOP") {
                sendLine(fd, "250 OK");
            } else if (verb == "RSET") {
                mail = {};
                sendLine(fd, "250 OK");
            } else if (verb == "MAIL") {
                mail = {};
                mail.from = inAngles(line);
                sendLine(fd, "250 2.1.0 OK");
            } else if (verb == "RCPT") {
                std::string refusal;
                {
                    std::lock_guard lock(m_mutex);
                    if (m_refusals > 0) {
                        --m_refusals;
                        refusal = m_refusal;
                    }
                }
                if (!refusal.empty()) {
                    sendLine(fd, refusal);
                } else {
                    mail.to.push_back(inAngles(line));
                    sendLine(fd, "250 2.1.5 OK");
                }
            } else if (verb == "DATA") {
                if (mail.to.empty()) {
                    sendLine(fd, "503 5.5.1 no valid recipients");
                    continue;
                }
                sendLine(fd, "354 end with <CRLF>.<CRLF>");
                std::string data;
                bool ended = false;
                while (readLine(fd, buffer, line)) {
                    if (line == ".") {
                        ended = true;
                        break;
                    }
                    data += (line.starts_with("..") ? line.substr(1) : line) + "\r\n";
                }
                if (!ended)
                    return;
                mail.data = std::move(data);
                {
                    std::lock_guard lock(m_mutex);
                    m_messages.push_back(std::move(mail));
                }
                m_arrived.notify_all();
                mail = {};
                sendLine(fd, "250 2.0.0 queued");
            } else if (verb == "QUIT") {
                sendLine(fd, "221 2.0.0 bye");
                return;
            } else {
                sendLine(fd, "502 5.5.2 not implemented");
            }
        }
    }

    int m_listen = -1;
    unsigned short m_port = 0;
    std::atomic<bool> m_stopping = false;
    std::atomic<int> m_connections = 0;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_arrived;
    std::vector<ReceivedMail> m_messages;
    int m_refusals = 0;
    std::string m_refusal;
    std::thread m_thread; // last: starts once everything above exists
};

} // namespace imhere::test
