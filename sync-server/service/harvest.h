#pragma once
// The harvester (docs/MILESTONES.md): asks GitHub and Codewars about
// everyone with a username, and stores what they answer as snapshots
// (stored when a value changes, and once a day), so that progress can be
// drawn over weeks. Attendance % and on-time % of the courses with such
// milestones are stored the same way.
//
// - GitHub: the REST search for pull requests, `is:pr is:merged author:NAME`
//   (and `org:ORG` for each organisation a milestone names), read for its
//   total_count; with User-Agent, Accept: application/vnd.github+json,
//   X-GitHub-Api-Version: 2022-11-28 and the token when one is set.
// - Codewars: /api/v1/users/NAME for honor, rank and katas completed, and
//   the pages of /api/v1/users/NAME/code-challenges/completed when a
//   milestone counts one language.
// - Every reply with an ETag is kept, and asked about again with
//   If-None-Match; a 304 reuses the kept reply.
// - Rate limits: when a reply says no requests remain (x-ratelimit-remaining
//   0), or a 403 or 429 says to wait (retry-after, or the reset time), that
//   source is not asked again until then; the people not asked keep their
//   values.
// - A failure for one person (unknown user, malformed reply, timeout,
//   refused connection, 5xx) is stored as that person's error for that
//   source, and the round goes on with the next person.
//
// Thread rules: runOnce() on one thread at a time (serve's periodic
// harvester); the store locks inside.

#include "services.h"

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace imhere::server {

// One GET, as the transport makes it.
struct FetchRequest {
    std::string url;
    std::vector<std::string> headers; // "Name: value"
};
struct FetchReply {
    long status = 0;                            // 0: no answer (see error)
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    std::string error; // why there was no answer: a timeout, a reset connection
};
using Fetch = std::function<FetchReply(const FetchRequest&)>;

struct HarvestSettings {
    std::string githubApiUrl = "https://api.github.com";
    std::string codewarsApiUrl = "https://www.codewars.com";
    std::string githubToken; // empty: ask without one
    std::string userAgent = "imhere-server";
    // Set when the server stops: the round ends before its next request.
    const std::atomic<bool>* stop = nullptr;
};

struct HarvestRound {
    int people = 0;      // with a GitHub or Codewars name
    int requests = 0;    // asked
    int notModified = 0; // 304: the kept reply was reused
    int stored = 0;      // snapshots stored
    int failed = 0;      // failures recorded this round (one per person and source)
    int waiting = 0;     // people not asked because a source said to wait
};

class Harvester {
public:
    Harvester(Services& services, HarvestSettings settings, Fetch fetch);

    // One round over everyone.
    [[nodiscard]] Result<HarvestRound> runOnce();
    // When a source may be asked again (0: now), for the logs and tests.
    [[nodiscard]] std::int64_t githubWaitUntil() const { return m_waitUntil.at("github"); }
    [[nodiscard]] std::int64_t codewarsWaitUntil() const { return m_waitUntil.at("codewars"); }

private:
    struct Asked; // one GET's outcome
    Asked get(const std::string& source, const std::string& url, bool github);
    Result<void> harvestGithub(const Person& person, const std::vector<std::string>& orgs, HarvestRound& round);
    Result<void> harvestCodewars(const Person& person, const std::vector<std::string>& languages,
                                 HarvestRound& round);
    Result<void> harvestRates(HarvestRound& round);
    Result<void> snapshot(const Person& person, const std::string& key, double value, HarvestRound& round);

    Services& m_services;
    HarvestSettings m_settings;
    Fetch m_fetch;
    std::map<std::string, std::int64_t> m_waitUntil{{"github", 0}, {"codewars", 0}};
    int m_requests = 0; // in the round under way
    int m_notModified = 0;
};

} // namespace imhere::server
