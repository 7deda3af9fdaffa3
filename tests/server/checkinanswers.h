#pragma once
// The outcomes a CheckInWriter hands over, by submission index, for the
// writer's tests at both levels (tests/server and tests/server/service).

#include "sync-server/service/checkinwriter.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <mutex>

namespace imhere::test {

// Outcomes by submission index, as the writer hands them over.
class Answers {
public:
    server::CheckInWriter::Done slot(int index)
    {
        return [this, index](Result<server::CheckInOutcome> outcome) {
            std::lock_guard lock(m_mutex);
            m_answers.emplace(index, std::move(outcome));
            m_changed.notify_all();
        };
    }
    // Every answer once `count` have come (bounded wait; fewer on timeout).
    std::map<int, Result<server::CheckInOutcome>> waitFor(std::size_t count)
    {
        std::unique_lock lock(m_mutex);
        m_changed.wait_for(lock, std::chrono::seconds(10), [&] { return m_answers.size() >= count; });
        return m_answers;
    }
    std::size_t count()
    {
        std::lock_guard lock(m_mutex);
        return m_answers.size();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::map<int, Result<server::CheckInOutcome>> m_answers;
};

} // namespace imhere::test
