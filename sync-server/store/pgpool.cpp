#include "pgpool.h"

#include <thread>
#include <utility>

namespace imhere::server {

namespace {

// The transaction the calling thread is in, and the pool it belongs to.
struct ThreadTransaction {
    const PgPool* pool = nullptr;
    PgConnection* connection = nullptr;
};
thread_local ThreadTransaction t_transaction;

std::string_view beginSql(PgIsolation isolation)
{
    switch (isolation) {
    case PgIsolation::ReadCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case PgIsolation::RepeatableRead: return "BEGIN ISOLATION LEVEL REPEATABLE READ";
    case PgIsolation::Serializable: return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    }
    return "BEGIN";
}

// Sets and clears the thread's transaction.
class Joined {
public:
    Joined(const PgPool* pool, PgConnection* connection) { t_transaction = {pool, connection}; }
    ~Joined() { t_transaction = {}; }
    Joined(const Joined&) = delete;
    Joined& operator=(const Joined&) = delete;
};

} // namespace

Result<std::unique_ptr<PgPool>> PgPool::open(const std::string& url, std::size_t size)
{
    std::unique_ptr<PgPool> pool(new PgPool());
    for (std::size_t i = 0; i < std::max<std::size_t>(size, 1); ++i) {
        TRY_ASSIGN(connection, PgConnection::connect(url));
        pool->m_free.push_back(connection.get());
        pool->m_all.push_back(std::move(connection));
    }
    return pool;
}

PgPool::~PgPool() = default;

std::size_t PgPool::reconnects() const
{
    std::lock_guard lock(m_mutex);
    return m_reconnects;
}

PgConnection* PgPool::current() const
{
    return t_transaction.pool == this ? t_transaction.connection : nullptr;
}

Result<PgConnection*> PgPool::acquire()
{
    PgConnection* connection = nullptr;
    {
        std::unique_lock lock(m_mutex);
        if (!m_freed.wait_for(lock, k_acquireTimeout, [&] { return !m_free.empty(); }))
            return fail(Errc::Unavailable, "every database connection is busy");
        connection = m_free.back();
        m_free.pop_back();
    }
    if (connection->broken()) {
        if (auto r = connection->reconnect(); !r) {
            release(connection);
            return std::unexpected(std::move(r.error()));
        }
        std::lock_guard lock(m_mutex);
        ++m_reconnects;
    }
    return connection;
}

void PgPool::release(PgConnection* connection)
{
    {
        std::lock_guard lock(m_mutex);
        m_free.push_back(connection);
    }
    m_freed.notify_one();
}

Result<void> PgPool::transactOnce(PgConnection& connection, PgIsolation isolation, const Work& work,
                                  bool& sentCommit)
{
    sentCommit = false;
    TRY(connection.exec(beginSql(isolation)));
    Result<void> result;
    {
        Joined joined(this, &connection);
        result = work(connection);
    }
    if (!result) {
        if (!connection.broken() && connection.inTransaction())
            (void)connection.exec("ROLLBACK");
        return result;
    }
    sentCommit = true;
    if (auto committed = connection.exec("COMMIT"); !committed) {
        if (!connection.broken() && connection.inTransaction())
            (void)connection.exec("ROLLBACK");
        return committed;
    }
    return {};
}

Result<void> PgPool::transact(PgIsolation isolation, const Work& work)
{
    if (PgConnection* joined = current())
        return work(*joined);
    TRY_ASSIGN(connection, acquire());
    Result<void> result;
    bool reconnected = false;
    for (int attempt = 0;; ++attempt) {
        bool sentCommit = false;
        result = transactOnce(*connection, isolation, work, sentCommit);
        if (result || attempt >= k_maxRetries)
            break;
        if (result.error().code == Errc::Busy) {
            // Another transaction won: wait a little, longer each time, and go again.
            std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt, 6)));
            continue;
        }
        // A connection found lost before the commit was sent wrote nothing.
        if (result.error().code == Errc::Unavailable && connection->broken() && !sentCommit && !reconnected) {
            reconnected = true;
            if (auto r = connection->reconnect(); !r) {
                result = std::unexpected(std::move(r.error()));
                break;
            }
            std::lock_guard lock(m_mutex);
            ++m_reconnects;
            continue;
        }
        break;
    }
    release(connection);
    return result;
}

Result<void> PgPool::read(const Work& work)
{
    if (PgConnection* joined = current())
        return work(*joined);
    TRY_ASSIGN(connection, acquire());
    auto result = work(*connection);
    if (!result && result.error().code == Errc::Unavailable && connection->broken()) {
        // Reads change nothing: open the connection again and read once more.
        if (connection->reconnect()) {
            {
                std::lock_guard lock(m_mutex);
                ++m_reconnects;
            }
            result = work(*connection);
        }
    }
    release(connection);
    return result;
}

} // namespace imhere::server
