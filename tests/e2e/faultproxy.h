#pragma once
// An HTTP/1.1 proxy on loopback, between the kiosk's CurlTransport and the
// real imhere-server, that injects the faults a school's network makes. It
// reads each request whole (Content-Length bodies; the kiosk sends no
// Expect), passes it upstream with `Connection: close` and reads the answer
// to its end. What it does with each request is the next fault of a seeded
// random sequence:
//
//   Pass         forwards it and returns the answer
//   Drop         reads it, then closes: nothing reaches the server
//   Delay        waits 50-400 ms, then forwards it
//   CutRequest   sends the server the headers and part of the body, then
//                closes both sides
//   CutResponse  forwards it, returns only part of the answer, then closes
//   Replay       forwards it, and later sends it again on its own (the
//                answer to the copy goes nowhere)
//   Thrice       sends it three times; returns the first answer and checks
//                the other two (see mismatches())
//
// Thread rules: the proxy runs its own thread; every public member is safe
// to call from the test thread.

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace imhere::e2e {

class FaultProxy {
public:
    enum Fault { Pass, Drop, Delay, CutRequest, CutResponse, Replay, Thrice, k_faultCount };

    // Listens on a free loopback port and forwards to 127.0.0.1:upstreamPort.
    FaultProxy(std::uint16_t upstreamPort, std::uint32_t seed);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    [[nodiscard]] std::uint16_t port() const { return m_port; }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    // The faults drawn from, with equal weight; {Pass} makes a clean line.
    void useFaults(std::vector<Fault> faults);
    // How many requests each fault was applied to.
    [[nodiscard]] std::array<int, k_faultCount> counts() const;
    // Thrice: every way the second or third answer differed from the first
    // beyond what a replay may change (a stored event becomes a duplicate;
    // server_time moves). Empty when every replay was answered the same.
    [[nodiscard]] std::vector<std::string> mismatches() const;
    // Thrice: read after the first and after the third answer; a difference
    // is a mismatch (the replays changed what the server holds).
    void setStateProbe(std::function<std::string()> probe);
    // Replays still waiting to be sent.
    [[nodiscard]] std::size_t pendingReplays() const;

    [[nodiscard]] static const char* nameOf(Fault fault);

private:
    void run();
    void serve(int client);
    Fault draw();
    void compareReplies(const std::string& first, const std::string& again);

    std::uint16_t m_upstream;
    std::uint16_t m_port = 0;
    int m_listen = -1;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;

    mutable std::mutex m_mutex;
    std::mt19937 m_random;
    std::vector<Fault> m_faults{Pass};
    std::array<int, k_faultCount> m_counts{};
    std::vector<std::string> m_mismatches;
    std::function<std::string()> m_probe;
    std::vector<std::string> m_replays; // proxy thread only
};

} // namespace imhere::e2e
