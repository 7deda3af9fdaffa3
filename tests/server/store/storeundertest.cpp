#include "storeundertest.h"

#include "sync-server/store/pgstore.h"
#include "sync-server/store/sqlitestore.h"

#include <cstdlib>
#include <string_view>

namespace imhere::test {

namespace {

class SqliteUnderTest final : public StoreUnderTest {
public:
    explicit SqliteUnderTest(std::unique_ptr<server::SqliteStore> store) : m_store(std::move(store)) {}
    server::PeopleRepository& people() override { return m_store->people(); }
    server::CourseRepository& courses() override { return m_store->courses(); }
    server::AttendanceRepository& attendance() override { return m_store->attendance(); }
    server::CredentialRepository& credentials() override { return m_store->credentials(); }
    server::OutboxRepository& outbox() override { return m_store->outbox(); }
    server::RemoteRepository& remote() override { return m_store->remote(); }
    server::TrackerRepository& tracker() override { return m_store->tracker(); }
    Result<void> inTransaction(const std::function<Result<void>()>& work) override
    {
        return m_store->inTransaction(work);
    }

private:
    std::unique_ptr<server::SqliteStore> m_store;
};

class PgUnderTest final : public StoreUnderTest {
public:
    explicit PgUnderTest(std::unique_ptr<server::PgStore> store) : m_store(std::move(store)) {}
    server::PeopleRepository& people() override { return m_store->people(); }
    server::CourseRepository& courses() override { return m_store->courses(); }
    server::AttendanceRepository& attendance() override { return m_store->attendance(); }
    server::CredentialRepository& credentials() override { return m_store->credentials(); }
    server::OutboxRepository& outbox() override { return m_store->outbox(); }
    server::RemoteRepository& remote() override { return m_store->remote(); }
    server::TrackerRepository& tracker() override { return m_store->tracker(); }
    Result<void> inTransaction(const std::function<Result<void>()>& work) override
    {
        return m_store->inTransaction(work);
    }

private:
    std::unique_ptr<server::PgStore> m_store;
};

} // namespace

Backends::Backends()
{
    const char* chosen = std::getenv("IMHERE_TEST_STORE");
    m_postgres = chosen && std::string_view(chosen) == "postgresql";
    if (m_postgres)
        m_cluster = std::make_unique<PgCluster>("imhere");
}

Backends::~Backends() = default;

std::string Backends::problem() const
{
    if (m_postgres && !m_cluster->ok())
        return "the PostgreSQL cluster did not start: " + m_cluster->error();
    return {};
}

Result<std::unique_ptr<StoreUnderTest>> Backends::open(const Clock& clock, std::size_t connections)
{
    const std::string name = "store" + std::to_string(++m_opened);
    if (!m_postgres) {
        TRY_ASSIGN(store, server::SqliteStore::open(m_dir.file(name + ".db"), clock));
        return std::unique_ptr<StoreUnderTest>(new SqliteUnderTest(std::move(store)));
    }
    if (!m_cluster->ok())
        return fail(Errc::Unavailable, problem());
    if (!m_cluster->createDatabase(name))
        return fail(Errc::Unavailable, "createdb " + name + ": " + m_cluster->error());
    m_lastUrl = m_cluster->url(name);
    TRY_ASSIGN(store, server::PgStore::open(m_lastUrl, clock, {.connections = connections}));
    return std::unique_ptr<StoreUnderTest>(new PgUnderTest(std::move(store)));
}

} // namespace imhere::test
