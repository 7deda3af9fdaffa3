#pragma once
// A small real HTTP server on loopback standing in for a Slack incoming
// webhook in the Slack tests: it reads each POST (request line, headers and
// a Content-Length body), keeps it, and answers the way the test scripted
// for that request: 200 "ok" (Slack's answer), 429 with a Retry-After, 500,
// a connection reset with no answer, 404 "no_service", or no answer until
// the sink is stopped (to stop a server in the middle of a post). One
// connection at a time, on a thread of its own; every wait is bounded.
// slackShapeProblem checks a body against Slack's documented message shape.
//
// Thread rules: the public methods may be called from any thread.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace imhere::test {

enum class WebhookReply { Ok, TooMany, ServerError, Reset, NoService, Hang };

struct ReceivedPost {
    std::string path;
    std::string contentType;
    std::string body;
    WebhookReply reply = WebhookReply::Ok; // how the sink answered it
};

// "" when `body` is a message Slack's incoming webhooks take (api.slack.com
// /messaging/webhooks, /reference/block-kit/blocks, /reference/block-kit/
// composition-objects#text): a JSON object with a non-empty `text` string and
// a `blocks` array of at most 50 objects, each with a known `type`; a section
// has a `text` and/or at most 10 `fields`, a context 1 to 10 `elements`; every
// text object is mrkdwn or plain_text with 1 to 3000 characters (a field's
// at most 2000). Otherwise what is wrong.
inline std::string slackShapeProblem(const std::string& body)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(body), &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return "not a JSON object";
    const QJsonObject message = doc.object();
    if (!message.value("text").isString() || message.value("text").toString().isEmpty())
        return "no text fallback";
    if (message.value("text").toString().size() > 40000)
        return "text over 40000 characters";
    if (!message.value("blocks").isArray())
        return "no blocks array";
    const QJsonArray blocks = message.value("blocks").toArray();
    if (blocks.isEmpty() || blocks.size() > 50)
        return "blocks: from 1 to 50";
    auto textProblem = [](const QJsonValue& value, qsizetype maxChars) -> std::string {
        if (!value.isObject())
            return "a text object that is not an object";
        const QJsonObject text = value.toObject();
        const QString type = text.value("type").toString();
        if (type != "mrkdwn" && type != "plain_text")
            return "a text object of type \"" + type.toStdString() + "\"";
        if (!text.value("text").isString())
            return "a text object without text";
        const qsizetype chars = text.value("text").toString().toUcs4().size();
        if (chars < 1 || chars > maxChars)
            return "a text of " + std::to_string(chars) + " characters";
        return {};
    };
    static const QSet<QString> k_types = {"section", "context", "divider", "header", "actions",
                                          "image",   "input",   "rich_text", "file",  "video"};
    for (const QJsonValue& value : blocks) {
        if (!value.isObject())
            return "a block that is not an object";
        const QJsonObject block = value.toObject();
        const QString type = block.value("type").toString();
        if (!k_types.contains(type))
            return "a block of type \"" + type.toStdString() + "\"";
        if (block.contains("block_id") && block.value("block_id").toString().size() > 255)
            return "a block_id over 255 characters";
        if (type == "section") {
            if (!block.contains("text") && !block.contains("fields"))
                return "a section with neither text nor fields";
            if (block.contains("text"))
                if (auto p = textProblem(block.value("text"), 3000); !p.empty())
                    return "section text: " + p;
            if (block.contains("fields")) {
                const QJsonArray fields = block.value("fields").toArray();
                if (fields.isEmpty() || fields.size() > 10)
                    return "section fields: from 1 to 10";
                for (const QJsonValue& f : fields)
                    if (auto p = textProblem(f, 2000); !p.empty())
                        return "section field: " + p;
            }
        } else if (type == "context") {
            const QJsonArray elements = block.value("elements").toArray();
            if (elements.isEmpty() || elements.size() > 10)
                return "context elements: from 1 to 10";
            for (const QJsonValue& e : elements)
                if (auto p = textProblem(e, 3000); !p.empty())
                    return "context element: " + p;
        } else if (type == "header") {
            if (auto p = textProblem(block.value("text"), 150); !p.empty())
                return "header: " + p;
        }
    }
    return {};
}

class WebhookSink {
public:
    WebhookSink()
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
    ~WebhookSink()
    {
        m_stopping = true;
        m_thread.join();
        ::close(m_listen);
    }
    WebhookSink(const WebhookSink&) = delete;
    WebhookSink& operator=(const WebhookSink&) = delete;

    [[nodiscard]] unsigned short port() const { return m_port; }
    // A webhook URL on this sink, shaped like Slack's.
    [[nodiscard]] std::string url() const
    {
        return "http://127.0.0.1:" + std::to_string(m_port) + "/services/T0TEST/B0TEST/sinksecret";
    }

    // The next posts are answered these ways, in order; then 200 "ok".
    void script(std::vector<WebhookReply> replies)
    {
        std::lock_guard lock(m_mutex);
        m_script.assign(replies.begin(), replies.end());
    }
    // The Retry-After a 429 carries, in seconds.
    void setRetryAfter(int seconds) { m_retryAfter = seconds; }
    // A post held by WebhookReply::Hang is let go without an answer.
    void releaseHeld() { m_release = true; }

    [[nodiscard]] std::vector<ReceivedPost> posts() const
    {
        std::lock_guard lock(m_mutex);
        return m_posts;
    }
    // Posts answered 200.
    [[nodiscard]] std::vector<ReceivedPost> delivered() const
    {
        std::vector<ReceivedPost> out;
        for (const ReceivedPost& p : posts())
            if (p.reply == WebhookReply::Ok)
                out.push_back(p);
        return out;
    }
    // Waits (at most `timeout`) until `count` posts have been received.
    [[nodiscard]] bool waitForPosts(std::size_t count, std::chrono::milliseconds timeout) const
    {
        std::unique_lock lock(m_mutex);
        return m_arrived.wait_for(lock, timeout, [&] { return m_posts.size() >= count; });
    }

private:
    static constexpr int k_pollMs = 50;
    static constexpr int k_idleLimitMs = 10'000;

    void serve()
    {
        while (!m_stopping) {
            pollfd p{m_listen, POLLIN, 0};
            if (::poll(&p, 1, k_pollMs) <= 0)
                continue;
            const int fd = ::accept(m_listen, nullptr, nullptr);
            if (fd < 0)
                continue;
            converse(fd);
        }
    }

    // Reads until `done(buffer)` or the client goes, is silent too long, or
    // the sink stops.
    template <class Done>
    bool readUntil(int fd, std::string& buffer, Done done)
    {
        int waited = 0;
        while (!done(buffer)) {
            if (m_stopping || waited > k_idleLimitMs)
                return false;
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, k_pollMs) == 0) {
                waited += k_pollMs;
                continue;
            }
            char chunk[4096];
            const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
        }
        return true;
    }

    static std::string headerValue(const std::string& head, const std::string& name)
    {
        std::string lower = head;
        for (char& c : lower)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const std::string key = "\r\n" + name + ":";
        const auto at = lower.find(key);
        if (at == std::string::npos)
            return {};
        auto start = at + key.size();
        while (start < head.size() && head[start] == ' ')
            ++start;
        return head.substr(start, head.find("\r\n", start) - start);
    }

    void answer(int fd, const std::string& status, const std::string& body, const std::string& extra = {})
    {
        const std::string out = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain\r\nContent-Length: "
            + std::to_string(body.size()) + "\r\n" + extra + "Connection: close\r\n\r\n" + body;
        ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        ::close(fd);
    }

    void converse(int fd)
    {
        std::string buffer;
        if (!readUntil(fd, buffer, [](const std::string& b) { return b.find("\r\n\r\n") != std::string::npos; })) {
            ::close(fd);
            return;
        }
        const auto headEnd = buffer.find("\r\n\r\n");
        const std::string head = buffer.substr(0, headEnd);
        const std::size_t length = std::stoul("0" + headerValue(head, "content-length"));
        if (!readUntil(fd, buffer, [&](const std::string& b) { return b.size() >= headEnd + 4 + length; })) {
            ::close(fd);
            return;
        }
        ReceivedPost post;
        const auto firstSpace = head.find(' ');
        post.path = head.substr(firstSpace + 1, head.find(' ', firstSpace + 1) - firstSpace - 1);
        post.contentType = headerValue(head, "content-type");
        post.body = buffer.substr(headEnd + 4, length);
        {
            std::lock_guard lock(m_mutex);
            if (!m_script.empty()) {
                post.reply = m_script.front();
                m_script.pop_front();
            }
        }
        const WebhookReply reply = post.reply;
        {
            std::lock_guard lock(m_mutex);
            m_posts.push_back(post);
        }
        m_arrived.notify_all();
        switch (reply) {
        case WebhookReply::Ok:
            answer(fd, "200 OK", "ok");
            break;
        case WebhookReply::TooMany:
            answer(fd, "429 Too Many Requests", "rate_limited", "Retry-After: " + std::to_string(m_retryAfter) + "\r\n");
            break;
        case WebhookReply::ServerError:
            answer(fd, "500 Internal Server Error", "internal_error");
            break;
        case WebhookReply::NoService:
            answer(fd, "404 Not Found", "no_service");
            break;
        case WebhookReply::Reset: {
            const linger hard{1, 0}; // close with RST, no answer
            ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
            ::close(fd);
            break;
        }
        case WebhookReply::Hang:
            while (!m_stopping && !m_release)
                std::this_thread::sleep_for(std::chrono::milliseconds(k_pollMs));
            m_release = false;
            ::close(fd);
            break;
        }
    }

    int m_listen = -1;
    unsigned short m_port = 0;
    std::atomic<bool> m_stopping{false};
    std::atomic<bool> m_release{false};
    std::atomic<int> m_retryAfter{120};
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_arrived;
    std::deque<WebhookReply> m_script;
    std::vector<ReceivedPost> m_posts;
    std::thread m_thread;
};

} // namespace imhere::test
