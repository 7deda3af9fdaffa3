#pragma once
// Limits, timeouts and cost parameters of imhere-server. Shared ones (body
// sizes, sync counts) live in core/limits.h; these only matter to the server.

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace imhere::server::limits {

// HTTP (DESIGN §6). The per-connection memory pool holds the request line and
// headers plus MHD's read/write buffers, so it is the header limit plus room
// for those buffers; MHD answers 431 when headers do not fit.
inline constexpr std::size_t k_connectionMemoryBytes = 32 << 10;
inline constexpr unsigned k_maxConnections = 1000;
inline constexpr unsigned k_maxConnectionsPerIp = 400;
inline constexpr unsigned k_defaultThreads = 4;
inline constexpr unsigned k_maxThreads = 64;
// An idle or slow client is dropped after this many seconds without progress.
inline constexpr unsigned k_connectionTimeoutSec = 15;
inline constexpr std::size_t k_maxUrlBytes = 2048;
// Over HTTPS, browsers are told to use nothing else for this long (a year).
inline constexpr unsigned k_hstsMaxAgeSec = 365U * 24 * 3600;
// Bodies are read only after the route admits the caller from the headers;
// at most this many bodies over k_largeBodyBytes (or chunked, so of unknown
// size) are read at one time, so they hold at most 16 × 4 MiB; one more is
// refused with 503 before it is read.
inline constexpr std::size_t k_largeBodyBytes = 64 << 10;
inline constexpr unsigned k_maxLargeBodiesAtOnce = 16;

// Sessions and tokens.
inline constexpr std::int64_t k_sessionLifetimeMs = 12LL * 3600 * 1000;
inline constexpr std::size_t k_secretTokenBytes = 32;
inline constexpr std::size_t k_tokenLookupPrefixChars = 11; // "ak_" + 8 characters
// API keys people make (service/apikeys.h): valid 90 days unless they say
// otherwise, at most a year; their last use noted to within a minute.
inline constexpr int k_apiKeyDefaultDays = 90;
inline constexpr int k_apiKeyMaxDays = 366;
inline constexpr std::size_t k_maxApiKeyNameBytes = 80;
inline constexpr std::int64_t k_apiKeyUseResolutionMs = 60'000;
// The public API (docs/PUBLIC-API.md): requests per client per minute, the
// largest page, and the smallest group an aggregate is shown for.
inline constexpr int k_publicRequestsPerMinute = 120;
inline constexpr std::int64_t k_publicRateWindowMs = 60'000;
inline constexpr int k_publicDefaultPageSize = 100;
inline constexpr int k_publicMaxPageSize = 500;
inline constexpr int k_publicMinGroup = 5;
inline constexpr int k_publicCacheMaxAgeSec = 60;
inline constexpr std::size_t k_maxTokenChars = 128;
inline constexpr std::size_t k_maxPasswordBytes = 1024;
// A session unused this long ends (the `session-idle-timeout` setting), and
// its last use is written at most once in this long.
inline constexpr std::int64_t k_defaultSessionIdleMs = 60LL * 60 * 1000;
inline constexpr std::int64_t k_sessionTouchResolutionMs = 60'000;
// Links to set a password (service/accountlinks.h): a reset works for a
// day, an invitation for a week; each once.
inline constexpr std::int64_t k_resetLinkLifetimeMs = 24LL * 3600 * 1000;
inline constexpr std::int64_t k_invitationLinkLifetimeMs = 7LL * 24 * 3600 * 1000;
// "Forgot your password?": requests per email and per client address.
inline constexpr int k_resetRequestsPerAccount = 3;
inline constexpr int k_resetRequestsPerIp = 20;
inline constexpr std::int64_t k_resetRequestWindowMs = 60LL * 60 * 1000;
// A course's invitations at once.
inline constexpr std::size_t k_maxInvitationsAtOnce = 500;
inline constexpr std::size_t k_maxEmailBytes = 254;
inline constexpr std::size_t k_maxUsernameBytes = 64;

// Failed logins (DESIGN §6): per account and per client address, in a window.
inline constexpr int k_loginFailuresPerAccount = 5;
inline constexpr int k_loginFailuresPerIp = 20;
inline constexpr std::int64_t k_loginFailureWindowMs = 15LL * 60 * 1000;
inline constexpr std::size_t k_maxTrackedLoginKeys = 100'000;

// Remote check-in (DESIGN §4, §6): requests to /q/ per client address, and
// wrong phone link codes per address, in a window.
inline constexpr int k_remoteRequestsPerIp = 120;
inline constexpr std::int64_t k_remoteRequestWindowMs = 10LL * 60 * 1000;
inline constexpr int k_linkCodeFailuresPerIp = 5;
inline constexpr std::int64_t k_linkCodeFailureWindowMs = 15LL * 60 * 1000;
// How often the server looks for windows past their end and grace (and at start).
inline constexpr std::chrono::seconds k_windowCloseInterval{15};
// A phone link code works once, for a week.
inline constexpr std::int64_t k_linkCodeLifetimeMs = 7LL * 24 * 3600 * 1000;
// A linked phone checks in for this long after it was linked (default of
// the `phone-link-days` setting, 1 to 400), then needs a new link code.
inline constexpr std::int64_t k_phoneLinkLifetimeMs = 180LL * 24 * 3600 * 1000;
inline constexpr unsigned k_maxPhoneLinkDays = 400;
// A linked phone keeps its cookie for 400 days (the longest browsers keep one).
inline constexpr std::int64_t k_deviceCookieMaxAgeSec = 400LL * 24 * 3600;
// Between scanning a code and tapping "Check in": the scan is what counts.
inline constexpr std::int64_t k_scanTicketLifetimeMs = 2LL * 60 * 1000;

// The store's page cache: the random-key event indexes outgrow SQLite's
// default 2 MiB within a term, and every miss is a read inside the write lock.
inline constexpr int k_storeCacheKiB = 32 << 10;

// Sync (DESIGN §5): changes per reply; a kiosk event may be this far ahead
// of server time before it is refused as from the future.
inline constexpr std::size_t k_syncChangeRowsPerReply = 1'000;
// A kiosk batch's check-ins are logged as change_log rows of at most this
// many check-ins each, so a pull can tell before reading a row that it fits.
inline constexpr std::size_t k_syncCheckInsPerChangeRow = 100;
inline constexpr std::int64_t k_maxEventFutureSkewMs = 5LL * 60 * 1000;
// Check-ins stamped this long after a window closed are still accepted: the
// kiosk clock is corrected, but only to within the last sync's round trip.
inline constexpr std::int64_t k_windowCloseGraceMs = 60'000;
// Check-ins made elsewhere are sent to kiosks only for windows open now or
// closed within this long.
inline constexpr std::int64_t k_syncCheckInHorizonMs = 24LL * 3600 * 1000;
// A kiosk's last sync is recorded to within this, so a kiosk that syncs
// every few seconds costs one extra write a minute.
inline constexpr std::int64_t k_kioskSyncResolutionMs = 60'000;
// A kiosk's clock skew is recorded again when it moves by this much.
inline constexpr std::int64_t k_kioskSkewResolutionMs = 1'000;

// Group commit of single check-ins (service/checkinwriter.h): how many may
// wait for the writer before more are refused with 503, and the most one
// transaction holds (so a group keeps the write lock only briefly).
inline constexpr std::size_t k_checkInQueueLimit = 1'024;
inline constexpr std::size_t k_checkInGroupLimit = 256;

// The mail outbox (service/mail.h): how often `serve` looks for mail due
// (and at once when some is queued), how much per round, the wait after the
// first failure (doubling up to the longest), and the attempts before it
// gives up; an SMTP conversation is bounded by the timeout.
inline constexpr std::chrono::seconds k_mailInterval{30};
inline constexpr std::size_t k_mailPerRound = 50;
inline constexpr std::int64_t k_mailFirstRetryMs = 60'000;
inline constexpr std::int64_t k_mailLongestRetryMs = 3600'000;
inline constexpr int k_mailMaxAttempts = 10;
// The milestone harvester (service/harvest.h): minutes between rounds (0:
// off until the `harvest-interval` setting turns it on, so that no server
// asks GitHub or Codewars unless told to) and seconds to wait for one reply.
inline constexpr unsigned k_defaultHarvestMinutes = 0;
inline constexpr unsigned k_defaultHarvestTimeoutSec = 10;
inline constexpr long k_smtpTimeoutSec = 30;

// Slack posts (service/slack.h): how often `serve` looks for posts due (and
// at once when a window closes), how many per round, the wait after the
// first failure (doubling up to the longest; a 429's Retry-After instead,
// within those bounds), the attempts before it gives up, how long a sender's
// claim on a post lasts (longer than a post may take), and the timeout of
// one post.
inline constexpr std::chrono::seconds k_slackInterval{15};
inline constexpr std::size_t k_slackPerRound = 50;
inline constexpr std::int64_t k_slackFirstRetryMs = 30'000;
inline constexpr std::int64_t k_slackLongestRetryMs = 3600'000;
inline constexpr int k_slackMaxAttempts = 10;
inline constexpr std::int64_t k_slackClaimMs = 5 * 60'000;
inline constexpr long k_slackTimeoutSec = 20;
// Slack's limits on a message (api.slack.com/reference/block-kit).
inline constexpr std::size_t k_slackMaxTextChars = 3000;
inline constexpr std::size_t k_slackMaxWebhookBytes = 500;

// Roster import.
inline constexpr std::size_t k_maxRosterRows = 5'000;
inline constexpr std::size_t k_maxRosterBytes = 4 << 20;

// Lists over the API are bounded.
inline constexpr std::size_t k_maxListedRows = 10'000;
inline constexpr std::size_t k_maxStudentsAtCreation = 500;

} // namespace imhere::server::limits
