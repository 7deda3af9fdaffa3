// bench_with_pg COMMAND [ARG...]: runs COMMAND next to a throwaway
// PostgreSQL cluster on loopback (tests/support/pgcluster.h: initdb in a
// temporary directory, a free port, production durability: fsync and
// synchronous_commit on), with databases sync, wrk and reports made in it
// and IMHERE_BENCH_PG set to the cluster's URL without a database
// (postgresql://imhere@127.0.0.1:PORT/). The cluster is removed when the
// command ends; its exit status is the command's.

#include "tests/support/pgcluster.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fputs("usage: bench_with_pg COMMAND [ARG...]\n", stderr);
        return 2;
    }
    if (imhere::test::PgCluster::binDir().empty()) {
        std::fputs("bench_with_pg: PostgreSQL is not installed\n", stderr);
        return 1;
    }
    imhere::test::PgCluster cluster("sync", imhere::test::PgCluster::Durability::Production);
    if (!cluster.ok()) {
        std::fprintf(stderr, "bench_with_pg: %s\n", cluster.error().c_str());
        return 1;
    }
    for (const char* name : {"wrk", "reports"}) {
        if (!cluster.createDatabase(name)) {
            std::fprintf(stderr, "bench_with_pg: %s\n", cluster.error().c_str());
            return 1;
        }
    }
    const std::string base = cluster.url("");
    setenv("IMHERE_BENCH_PG", base.c_str(), 1);
    std::fflush(stdout);
    const pid_t child = fork();
    if (child == 0) {
        execvp(argv[1], argv + 1);
        std::perror("bench_with_pg: exec");
        _exit(127);
    }
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) < 0)
        return 1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
