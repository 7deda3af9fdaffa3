#pragma once
// Which instance runs each background job (Store::holdLease) over one
// PostgreSQL database: a session-level advisory lock per job, held on a
// connection of its own for as long as the instance runs it.
//
// Why a session lock. PostgreSQL ends the session of an instance that dies
// (the socket closes with the process; for a machine that vanishes, the
// server's TCP keepalives end it), and the lock goes with it: the next
// instance to ask takes the job, with no expiry time to tune and no clock
// shared between machines. An instance that loses its connection has lost
// its locks too: it knows on its next question, reconnects and asks again.
//
// A job asked about while its holder is alive is Elsewhere; the first
// question after taking it says Taken (the job's last holder may have
// stopped half-way, which the jobs themselves allow for: closing a window
// is done once, Slack posts are claimed with an expiry, mail is marked as
// it goes).
//
// Thread rules: any thread; one question at a time.

#include "pgconnection.h"

#include "store.h"

#include "core/result.h"

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace imhere::server {

class PgLeases {
public:
    explicit PgLeases(std::string url) : m_url(std::move(url)) {}

    // Connects on the first question (commands that run no background job
    // never open the connection).
    [[nodiscard]] Result<JobLease> hold(std::string_view job);

    // The advisory lock's two keys for `job`: a fixed first key for every
    // imhere job, and a hash of the job's name.
    static constexpr std::int32_t k_namespace = 0x496d4865; // "ImHe"
    [[nodiscard]] static std::int32_t keyOf(std::string_view job);

private:
    Result<bool> ask(std::string_view job);

    const std::string m_url;
    std::mutex m_mutex;
    std::unique_ptr<PgConnection> m_connection;
    std::set<std::string, std::less<>> m_held;
};

} // namespace imhere::server
