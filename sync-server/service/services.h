#pragma once
// The domain's shared parts, built once by the serve command and handed to
// the JSON API, the web pages and the command line: storage, the clock, who
// is calling, the rate limits, and the group-commit writer. The use cases
// (attendance.h, people.h, kiosks.h, remote.h, accounts.h, kiosksync.h) take
// it as their first argument; nothing here knows HTTP.
//
// Thread rules: any thread; the store, limiters and writer lock inside.

#include "caller.h"
#include "checkinwriter.h"

#include "sync-server/auth/authenticator.h"
#include "sync-server/auth/loginlimiter.h"
#include "sync-server/observe/servermetrics.h"
#include "sync-server/store/store.h"

#include "core/clock.h"

#include <cstdint>
#include <functional>
#include <string>

namespace imhere::server {

// How mail is sent, set by `serve` before requests arrive.
struct MailSettings {
    bool enabled = false; // an SMTP server is set; otherwise links are passed on by hand
    std::string siteUrl;  // "https://attendance.example.org", the start of links in mail
};

class Services {
public:
    Services(Store& store, const Clock& clock);

    Store& store;
    const Clock& clock;
    observe::ServerMetrics metrics; // what /metrics shows
    Authenticator auth;
    LoginLimiter accountLimiter;  // failed sign-ins per email
    LoginLimiter addressLimiter;  // failed sign-ins per client address
    LoginLimiter remoteLimiter;   // requests to /q/ per client address
    LoginLimiter linkCodeLimiter; // wrong phone link codes per client address
    LoginLimiter resetAccountLimiter; // "forgot your password?" per email
    LoginLimiter resetAddressLimiter; // ... and per client address
    CheckInWriter checkIns;       // group commit of single check-ins
    // A phone's link lasts this long (the `phone-link-days` setting, default
    // limits::k_phoneLinkLifetimeMs); set before serving.
    std::int64_t phoneLinkLifetimeMs;
    MailSettings mail;
    // Slack webhooks on loopback (http://127.0.0.1:PORT/…) are accepted:
    // the `slack-loopback` setting, for tests and the demo (service/slack.h).
    bool slackLoopback = false;
    // Wakes the Slack sender when a window closes; empty when nothing sends.
    std::function<void()> slackQueued;
    // Wakes the mail sender when mail is queued; empty when nothing sends.
    std::function<void()> mailQueued;

    // The lookups every use case starts from: not_found when missing.
    [[nodiscard]] Result<CourseAccess> access(const Caller& caller, std::string_view course) const;
    // A live (not removed) course.
    [[nodiscard]] Result<Course> liveCourse(std::string_view id) const;
    // A window of a live course.
    [[nodiscard]] Result<Window> windowById(std::string_view id) const;
    [[nodiscard]] Result<Person> personById(std::string_view publicId) const;
};

} // namespace imhere::server
