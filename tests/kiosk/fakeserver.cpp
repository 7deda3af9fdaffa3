#include "fakeserver.h"

namespace imhere::kiosk::test {

Result<HttpResponse> FakeSyncServer::post(const HttpRequest& request)
{
    ++m_requests;
    if (down)
        return fail(Errc::Network, "Failed to connect to 127.0.0.1 port 9: Connection refused");
    std::lock_guard lock(m_mutex);
    m_lastToken = request.bearerToken;
    m_lastUrl = request.url;
    if (long status = forcedStatus.load(); status != 0)
        return HttpResponse{status, R"({"error":{"code":"forced","message":"forced by the test"}})"};
    auto decoded = sync::decodeRequest(request.body);
    if (!decoded)
        return HttpResponse{400, R"({"error":{"code":"malformed_json","message":"bad request"}})"};
    m_largestBatch = std::max(m_largestBatch.load(), decoded->events.size());

    sync::SyncResponse reply;
    if (decoded->cursor == 0)
        reply = m_firstReply;
    else if (m_pending) {
        reply.changes = std::move(*m_pending);
        m_pending.reset();
    }
    reply.serverTimeMs = m_clock.nowMs();
    reply.cursor = decoded->cursor + 1;
    reply.acks.clear();
    for (const auto& item : decoded->events) {
        const auto& event = std::get<sync::Event>(item);
        if (rejectIds.contains(event.id)) {
            reply.acks.push_back({event.id, sync::AckStatus::Rejected, "unknown_window"});
            continue;
        }
        const bool fresh = m_events.emplace(event.id, event).second;
        reply.acks.push_back({event.id, fresh ? sync::AckStatus::Stored : sync::AckStatus::Duplicate, ""});
    }
    if (loseReplies)
        return fail(Errc::Timeout, "Operation timed out after 30000 milliseconds with 0 bytes received");
    return HttpResponse{200, sync::encode(reply)};
}

std::size_t FakeSyncServer::storedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_events.size();
}

std::map<std::string, int> FakeSyncServer::checkInsPerPerson() const
{
    std::lock_guard lock(m_mutex);
    std::map<std::string, int> counts;
    for (const auto& [id, event] : m_events) {
        if (const auto* checkIn = std::get_if<sync::CheckIn>(&event.body))
            ++counts[checkIn->person];
    }
    return counts;
}

std::string FakeSyncServer::lastToken() const
{
    std::lock_guard lock(m_mutex);
    return m_lastToken;
}

std::string FakeSyncServer::lastUrl() const
{
    std::lock_guard lock(m_mutex);
    return m_lastUrl;
}

void FakeSyncServer::queueChanges(sync::Changes changes)
{
    std::lock_guard lock(m_mutex);
    m_pending = std::move(changes);
}

} // namespace imhere::kiosk::test
