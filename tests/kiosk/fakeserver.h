#pragma once
// An in-process imhere-server for kiosk tests: decodes each request with the
// server's strict codec, stores each event id once, answers a replay as the
// first time, and can be switched off or made to lose its replies.
//
// Thread rules: post() may be called from any one thread at a time; the
// switches and counters are safe to use from the test's thread meanwhile.

#include "kiosk/httptransport.h"

#include "core/clock.h"
#include "core/syncprotocol.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>

namespace imhere::kiosk::test {

class FakeSyncServer final : public HttpTransport {
public:
    FakeSyncServer(const Clock& serverClock, sync::SyncResponse firstReply)
        : m_clock(serverClock), m_firstReply(std::move(firstReply)) {}

    [[nodiscard]] Result<HttpResponse> post(const HttpRequest& request) override;

    std::atomic<bool> down{false};        // connection refused
    std::atomic<bool> loseReplies{false}; // store the events, then fail to answer
    std::atomic<long> forcedStatus{0};    // answer this status instead (e.g. 401, 503)
    std::set<std::string> rejectIds;      // events to reject, by id

    [[nodiscard]] std::size_t storedCount() const;
    // Stored check-in events per person: a kiosk that re-made events on retry shows up here.
    [[nodiscard]] std::map<std::string, int> checkInsPerPerson() const;
    [[nodiscard]] int requests() const { return m_requests.load(); }
    [[nodiscard]] std::size_t largestBatch() const { return m_largestBatch.load(); }
    [[nodiscard]] std::string lastToken() const;
    [[nodiscard]] std::string lastUrl() const;
    // Changes sent on the next reply with a cursor above 0.
    void queueChanges(sync::Changes changes);

private:
    const Clock& m_clock;
    sync::SyncResponse m_firstReply;
    mutable std::mutex m_mutex;
    std::map<std::string, sync::Event> m_events; // by id: each stored once
    std::optional<sync::Changes> m_pending;
    std::atomic<int> m_requests{0};
    std::atomic<std::size_t> m_largestBatch{0};
    std::string m_lastToken;
    std::string m_lastUrl;
};

} // namespace imhere::kiosk::test
