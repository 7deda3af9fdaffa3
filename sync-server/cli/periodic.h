#pragma once
// Runs a job on a thread of its own, once at once and then every `interval`
// (or sooner when woken), until destroyed; the destructor wakes the thread
// and waits for the job in progress to end.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace imhere::server::cli {

class Periodic {
public:
    Periodic(std::chrono::microseconds interval, std::function<void()> job)
        : m_interval(interval), m_job(std::move(job)), m_thread([this] { run(); })
    {
    }
    ~Periodic()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    // Runs the job again as soon as the one in progress (if any) ends;
    // any thread may call it.
    void wake()
    {
        {
            std::lock_guard lock(m_mutex);
            m_woken = true;
        }
        m_wake.notify_all();
    }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

private:
    void run()
    {
        std::unique_lock lock(m_mutex);
        while (!m_stopping) {
            lock.unlock();
            m_job();
            lock.lock();
            m_wake.wait_for(lock, m_interval, [this] { return m_stopping || m_woken; });
            m_woken = false;
        }
    }

    const std::chrono::microseconds m_interval;
    const std::function<void()> m_job;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    bool m_woken = false;
    std::thread m_thread; // last: starts once everything above exists
};

} // namespace imhere::server::cli
