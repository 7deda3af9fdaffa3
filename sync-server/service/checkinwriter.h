#pragma once
// Group commit for single check-ins (docs/SERVER.md, "Group commit"). Check-ins
// made on the server (the API, the web pages) are queued here from any HTTP
// thread, and one writer thread stores everything queued in one transaction:
// one fsync for the whole group instead of one per request. Each request is
// answered only after the commit holding its row is durable. The first
// check-in to reach an idle writer is committed at once; those that arrive
// meanwhile form the next group. There is no timer: nothing waits for a group
// to fill.
//
// Refusals (already checked in, window not open, not a participant) are
// decided per check-in inside the transaction and answered one by one; a
// failed transaction answers every check-in of its group `unavailable` and
// stores none of them. The queue is bounded: when it is full, submit()
// answers `unavailable` at once (HTTP 503 with Retry-After).
//
// Thread rules: submit() and commit() from any thread. `done` callbacks run
// on the writer thread (or on the caller's, when refused at once) and must be
// quick: hand the outcome over, nothing more. Never wait for commit() inside
// Store::inTransaction(): the group needs the write lock that transaction
// holds. The store must outlive the writer; the destructor answers
// everything still queued, then returns.

#include "sync-server/observe/servermetrics.h"
#include "sync-server/store/store.h"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace imhere::server {

class CheckInWriter {
public:
    using Done = std::function<void(Result<CheckInOutcome>)>;

    // With the limits of sync-server/serverlimits.h.
    // `metrics`, when given, counts each group and the check-ins it stored.
    explicit CheckInWriter(Store& store, observe::ServerMetrics* metrics = nullptr);
    CheckInWriter(Store& store, std::size_t queueLimit, std::size_t groupLimit,
                  observe::ServerMetrics* metrics = nullptr);
    ~CheckInWriter();
    CheckInWriter(const CheckInWriter&) = delete;
    CheckInWriter& operator=(const CheckInWriter&) = delete;

    // Queues the check-in; `done` is called exactly once with its outcome
    // once the group holding it is committed, or with `unavailable`.
    void submit(CheckInEvent event, Done done);
    // submit() and wait for the outcome, for callers that answer on their
    // own thread.
    [[nodiscard]] Result<CheckInOutcome> commit(CheckInEvent event);
    // Check-ins queued and not yet taken into a group.
    [[nodiscard]] std::size_t waiting() const;

private:
    struct Queued {
        CheckInEvent event;
        Done done;
    };

    void run();

    Store& m_store;
    observe::ServerMetrics* const m_metrics;
    const std::size_t m_queueLimit;
    const std::size_t m_groupLimit;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Queued> m_queue;
    bool m_stopping = false;
    std::thread m_thread; // last: starts once everything above exists
};

} // namespace imhere::server
