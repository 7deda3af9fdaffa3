#include "smtpsender.h"

#include "core/random.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

namespace imhere::server {

namespace {

// Header values come from the store; a line break in one would start a
// header of its own.
std::string oneLine(std::string text)
{
    std::ranges::replace_if(text, [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return text;
}

std::string rfc5322Now()
{
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[64];
    std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
    return buffer;
}

std::string angle(const std::string& address)
{
    return "<" + oneLine(address) + ">";
}

struct Upload {
    const std::string& data;
    std::size_t offset = 0;
};

std::size_t readUpload(char* out, std::size_t size, std::size_t count, void* user)
{
    auto* upload = static_cast<Upload*>(user);
    const std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
    std::memcpy(out, upload->data.data() + upload->offset, n);
    upload->offset += n;
    return n;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

} // namespace

std::string SmtpSender::format(const SmtpMessage& m, const std::string& date, const std::string& messageId) const
{
    std::string out = "Date: " + date + "\r\nFrom: imhere " + angle(m_settings.from) + "\r\nTo: " + angle(m.to)
        + "\r\nSubject: " + oneLine(m.subject) + "\r\nMessage-ID: " + angle(messageId)
        + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit"
          "\r\nAuto-Submitted: auto-generated\r\n\r\n";
    for (char c : m.body) {
        if (c == '\n')
            out += "\r\n";
        else if (c != '\r')
            out += c;
    }
    if (!out.ends_with("\r\n"))
        out += "\r\n";
    return out;
}

SmtpOutcome SmtpSender::send(const SmtpMessage& message) const
{
    SmtpOutcome outcome;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
        outcome.error = "libcurl could not start";
        return outcome;
    }
    const std::string domain = m_settings.from.substr(m_settings.from.find('@') + 1);
    const std::string payload = format(message, rfc5322Now(), newUuidV4() + "@" + domain);
    Upload upload{payload};
    std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, angle(message.to).c_str()));
    const std::string url = "smtp://" + m_settings.host + ":" + std::to_string(m_settings.port);
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, angle(m_settings.from).c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, readUpload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(payload.size()));
    curl_easy_setopt(c, CURLOPT_USE_SSL, m_settings.startTls ? CURLUSESSL_ALL : CURLUSESSL_NONE);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_settings.timeoutSec);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, m_settings.timeoutSec);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp");
    if (!m_settings.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, m_settings.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, m_settings.password.c_str());
    }
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errorBuffer);
    const CURLcode code = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &outcome.replyCode);
    if (code == CURLE_OK) {
        outcome.sent = true;
        return outcome;
    }
    outcome.error = std::string(curl_easy_strerror(code)) + (errorBuffer[0] ? std::string(": ") + errorBuffer : "");
    return outcome;
}

} // namespace imhere::server
