#pragma once
// A throwaway PostgreSQL cluster for one test program: initdb in a fresh
// temporary directory, a free loopback port, `pg_ctl start -w`, one database
// made; stopped and removed with everything in it when the object goes.
//
// initdb refuses to run as root, so when the tests run as root every
// PostgreSQL program runs as `nobody` (through runuser) and the directory is
// handed to it; as any other user they run as that user. Every step has a
// time limit, so a cluster that will not start fails the test instead of
// hanging it; if the test process is killed, a watchdog shell stops the
// server and removes the directory. The server binaries come from
// IMHERE_PG_BINDIR, or Debian's /usr/lib/postgresql/<major>/bin.
//
// Thread rules: one thread.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace imhere::test {

class PgCluster {
public:
    // Starts a cluster with database `database`; ok() says whether it runs,
    // and error() why not.
    explicit PgCluster(std::string database = "imhere");
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    [[nodiscard]] bool ok() const { return m_running; }
    [[nodiscard]] const std::string& error() const { return m_error; }
    [[nodiscard]] int port() const { return m_port; }
    // postgresql://imhere@127.0.0.1:PORT/DATABASE
    [[nodiscard]] std::string url() const { return url(m_database); }
    [[nodiscard]] std::string url(const std::string& database) const;

    // Another database in the same cluster (a fresh one per test case).
    [[nodiscard]] bool createDatabase(const std::string& name);
    // Stops and starts the server (fast shutdown: sessions are ended), as
    // an operator's restart does; the data stays.
    [[nodiscard]] bool restart();
    [[nodiscard]] bool stop();
    [[nodiscard]] bool start();

    // Where the server binaries are, or empty when PostgreSQL is not installed.
    [[nodiscard]] static std::filesystem::path binDir();

private:
    // Stops the server and removes the directory when the test process dies.
    void watchOver();
    // Runs a server program (as nobody when root), at most `timeoutS` seconds.
    bool run(const std::string& program, const std::vector<std::string>& args, int timeoutS);

    std::string m_database;
    std::filesystem::path m_dir;
    std::filesystem::path m_data;
    int m_port = 0;
    bool m_asNobody = false;
    bool m_running = false;
    std::string m_error;
};

} // namespace imhere::test
