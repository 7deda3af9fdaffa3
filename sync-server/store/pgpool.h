#pragma once
// The connections PgStore works through: as many as the server has worker
// threads (plus the background loops), opened at start, handed to one
// thread at a time.
//
// Transactions. A write runs in transact(): BEGIN at the isolation level it
// asks for, the work, COMMIT. Repository calls made inside it on the same
// thread join it (the connection is the thread's until the commit), which
// is how Store::inTransaction spans repositories. A serialization failure
// or deadlock (Busy) rolls back and runs the work again, a few times: the
// work must be safe to run again, which it is when it only reads and
// writes through the store and keeps its results in variables it assigns.
//
// Restarts. After the database restarts every pooled connection is dead,
// which libpq only notices when it is next used. A call whose connection is
// found lost before its COMMIT was sent has written nothing: the connection
// is opened again and the call tried once more. When that fails too, or the
// COMMIT itself got no answer, the call fails with Unavailable (503 and
// Retry-After; kiosk events are idempotent, so sending them again is safe).
//
// Thread rules: any thread.

#include "pgconnection.h"

#include "core/result.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace imhere::server {

enum class PgIsolation {
    ReadCommitted,
    RepeatableRead, // one snapshot for every statement: reads of several queries
    Serializable,   // as if one writer at a time, as SQLite's BEGIN IMMEDIATE
};

class PgPool {
public:
    // Opens `size` connections to `url`; Unavailable when the server does
    // not answer.
    [[nodiscard]] static Result<std::unique_ptr<PgPool>> open(const std::string& url, std::size_t size);
    ~PgPool();
    PgPool(const PgPool&) = delete;
    PgPool& operator=(const PgPool&) = delete;

    using Work = std::function<Result<void>(PgConnection&)>;
    // `work` in one transaction (see above); inside another transaction of
    // this pool on the same thread it joins that one.
    [[nodiscard]] Result<void> transact(PgIsolation isolation, const Work& work);
    // Read-only `work`: in the thread's transaction if it has one, else on a
    // connection of its own in autocommit (each statement its own snapshot).
    // Use transact(RepeatableRead) for reads that must agree with each other.
    [[nodiscard]] Result<void> read(const Work& work);

    [[nodiscard]] std::size_t size() const { return m_all.size(); }
    // How many times a lost connection was opened again.
    [[nodiscard]] std::size_t reconnects() const;

    // Transactions tried again after a serialization failure, at most.
    static constexpr int k_maxRetries = 8;
    // How long a call waits for a free connection before Unavailable.
    static constexpr std::chrono::seconds k_acquireTimeout{10};

private:
    PgPool() = default;
    Result<PgConnection*> acquire();
    void release(PgConnection* connection);
    // The transaction this thread is in on this pool, or nullptr.
    PgConnection* current() const;
    Result<void> transactOnce(PgConnection& connection, PgIsolation isolation, const Work& work, bool& sentCommit);

    std::vector<std::unique_ptr<PgConnection>> m_all;
    mutable std::mutex m_mutex;
    std::condition_variable m_freed;
    std::vector<PgConnection*> m_free;
    std::size_t m_reconnects = 0;
};

} // namespace imhere::server
