#pragma once
// Sends one plain-text message through an SMTP server with libcurl: EHLO,
// STARTTLS when asked (refusing to go on without it), AUTH when a user is
// given, MAIL FROM, RCPT TO, DATA. Knows nothing of the outbox: the caller
// decides what to do with a failure (service/mail.h).
//
// Thread rules: one send() at a time per SmtpSender; no shared state.

#include <string>

namespace imhere::server {

struct SmtpSettings {
    std::string host;
    unsigned port = 587;
    bool startTls = true;
    std::string user; // empty: no AUTH
    std::string password;
    std::string from; // the envelope and From: address
    long timeoutSec = 30;
};

struct SmtpMessage {
    std::string to;
    std::string subject;
    std::string body; // plain text, '\n' line ends
};

struct SmtpOutcome {
    bool sent = false;
    long replyCode = 0; // the server's last reply, 0 when it gave none
    std::string error;
    // A 5xx reply is a refusal for good; anything else may pass later.
    [[nodiscard]] bool permanent() const { return replyCode >= 500 && replyCode < 600; }
};

class SmtpSender {
public:
    explicit SmtpSender(SmtpSettings settings) : m_settings(std::move(settings)) {}
    [[nodiscard]] SmtpOutcome send(const SmtpMessage& message) const;
    // The message as it goes after DATA: headers, a blank line, the body
    // with CRLF line ends. `date` is an RFC 5322 date; `messageId` unique.
    [[nodiscard]] std::string format(const SmtpMessage& message, const std::string& date,
                                     const std::string& messageId) const;

private:
    SmtpSettings m_settings;
};

} // namespace imhere::server
