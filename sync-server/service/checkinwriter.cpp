#include "checkinwriter.h"

#include "windowrules.h"

#include "sync-server/observe/log.h"
#include "sync-server/serverlimits.h"

#include <algorithm>
#include <cstdio>
#include <future>
#include <memory>

namespace imhere::server {

CheckInWriter::CheckInWriter(Store& store, observe::ServerMetrics* metrics)
    : CheckInWriter(store, limits::k_checkInQueueLimit, limits::k_checkInGroupLimit, metrics)
{
}

CheckInWriter::CheckInWriter(Store& store, std::size_t queueLimit, std::size_t groupLimit,
                             observe::ServerMetrics* metrics)
    : m_store(store), m_metrics(metrics), m_queueLimit(std::max<std::size_t>(queueLimit, 1)),
      m_groupLimit(std::max<std::size_t>(groupLimit, 1)), m_thread([this] { run(); })
{
}

CheckInWriter::~CheckInWriter()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void CheckInWriter::submit(CheckInEvent event, Done done)
{
    bool stopping = false;
    {
        std::lock_guard lock(m_mutex);
        stopping = m_stopping;
        if (!stopping && m_queue.size() < m_queueLimit) {
            m_queue.push_back({std::move(event), std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    done(stopping ? fail(Errc::Unavailable, "the server is stopping; try again in a moment")
                  : fail(Errc::Unavailable, "too many check-ins are waiting to be stored; try again in a moment"));
}

Result<CheckInOutcome> CheckInWriter::commit(CheckInEvent event)
{
    // Shared with the callback, which may still be returning when get() does.
    auto promise = std::make_shared<std::promise<Result<CheckInOutcome>>>();
    auto outcome = promise->get_future();
    submit(std::move(event), [promise](Result<CheckInOutcome> r) { promise->set_value(std::move(r)); });
    return outcome.get();
}

std::size_t CheckInWriter::waiting() const
{
    std::lock_guard lock(m_mutex);
    return m_queue.size();
}

void CheckInWriter::run()
{
    std::vector<Queued> group;
    std::vector<CheckInEvent> events;
    for (;;) {
        group.clear();
        events.clear();
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything queued has been answered
            while (!m_queue.empty() && group.size() < m_groupLimit) {
                group.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        for (Queued& q : group)
            events.push_back(std::move(q.event));
        const auto outcomes = m_store.attendance().commitCheckIns(events, decideCheckIn);
        if (!outcomes) {
            observe::log(observe::LogLevel::Error, "a group of check-ins was not stored",
                         {{"CHECK_INS", std::to_string(group.size())}, {"REASON", outcomes.error().message}});
        } else if (m_metrics) {
            m_metrics->recordGroupCommit(group.size());
            for (std::size_t i = 0; i < outcomes->size() && i < events.size(); ++i)
                if ((*outcomes)[i] == CheckInOutcome::Stored)
                    m_metrics->recordCheckIns(sync::toString(events[i].source), 1);
        }
        for (std::size_t i = 0; i < group.size(); ++i) {
            if (outcomes && i < outcomes->size())
                group[i].done((*outcomes)[i]);
            else
                group[i].done(fail(Errc::Unavailable, "the check-in could not be stored; try again in a moment"));
        }
    }
}

} // namespace imhere::server
