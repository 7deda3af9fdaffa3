#include "slack.h"

#include "courseviews.h"
#include "reportviews.h"
#include "retry.h"

#include "sync-server/serverlimits.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

namespace imhere::server {

namespace {

bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// One or more path segments of letters and digits, as Slack's are.
bool slackPath(std::string_view path, int segments)
{
    for (int i = 0; i < segments; ++i) {
        const auto end = path.find('/');
        const std::string_view segment = path.substr(0, end);
        if (segment.empty() || !std::ranges::all_of(segment, isTokenChar))
            return false;
        if (i + 1 < segments) {
            if (end == std::string_view::npos)
                return false;
            path.remove_prefix(end + 1);
        } else if (end != std::string_view::npos) {
            return false;
        }
    }
    return true;
}

// http://127.0.0.1:PORT/path or http://[::1]:PORT/path, path of URL-safe characters.
bool loopbackWebhook(std::string_view url)
{
    for (std::string_view host : {"http://127.0.0.1:", "http://[::1]:"}) {
        if (!url.starts_with(host))
            continue;
        std::string_view rest = url.substr(host.size());
        const auto slash = rest.find('/');
        if (slash == 0 || slash == std::string_view::npos || slash > 5)
            return false;
        const std::string_view port = rest.substr(0, slash);
        if (!std::ranges::all_of(port, [](char c) { return c >= '0' && c <= '9'; }) || std::stoi(std::string(port)) > 65535)
            return false;
        return std::ranges::all_of(rest.substr(slash), [](char c) {
            return isTokenChar(c) || c == '/' || c == '-' || c == '_' || c == '.';
        });
    }
    return false;
}

constexpr std::string_view k_slackPrefix = "https://hooks.slack.com/services/";

// Slack's mrkdwn gives &, < and > a meaning of their own.
std::string mrkdwnEscaped(std::string_view text)
{
    std::string out;
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

// At most `limit` bytes (so at most as many characters), cut between
// characters, with an ellipsis when cut.
std::string within(std::string text, std::size_t limit)
{
    if (text.size() <= limit)
        return text;
    std::size_t cut = limit - 3; // room for "…"
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
        --cut;
    text.resize(cut);
    return text + "…";
}

nlohmann::json mrkdwn(const std::string& text)
{
    return {{"type", "mrkdwn"}, {"text", within(text, limits::k_slackMaxTextChars)}};
}

nlohmann::json field(const std::string& label, const std::string& value)
{
    return mrkdwn("*" + label + "*\n" + value);
}

} // namespace

Result<void> checkSlackWebhook(std::string_view url, bool allowLoopback)
{
    if (url.size() > limits::k_slackMaxWebhookBytes)
        return std::unexpected(invalid("slack_webhook_url: too long for a Slack webhook"));
    if (url.starts_with(k_slackPrefix) && slackPath(url.substr(k_slackPrefix.size()), 3))
        return {};
    if (allowLoopback && loopbackWebhook(url))
        return {};
    return std::unexpected(invalid(
        "slack_webhook_url: give a Slack incoming webhook, https://hooks.slack.com/services/T…/B…/…"
        + std::string(allowLoopback ? " (or http://127.0.0.1:PORT/… on this server)" : "")));
}

std::string maskSlackWebhook(std::string_view url)
{
    std::string_view start = url.starts_with(k_slackPrefix) ? k_slackPrefix : std::string_view();
    if (start.empty()) {
        // A loopback webhook: its scheme, host and port.
        const auto hostEnd = url.find('/', url.find("//") == std::string_view::npos ? 0 : url.find("//") + 2);
        return std::string(url.substr(0, hostEnd)) + "/…/••••";
    }
    std::string out(start);
    std::string_view rest = url.substr(start.size());
    for (int i = 0; i < 2; ++i) {
        const auto slash = rest.find('/');
        out += std::string(rest.substr(0, 1)) + "…/";
        rest.remove_prefix(slash == std::string_view::npos ? rest.size() : slash + 1);
    }
    return out + "••••";
}

Result<void> setSlackWebhook(Services& services, const Caller& caller, std::string_view course,
                             const std::optional<std::string>& url)
{
    TRY(courseAs(services, caller, course, Standing::Teaches, "only the course's teachers set its Slack webhook"));
    if (url)
        TRY(checkSlackWebhook(*url, services.slackLoopback));
    return services.store.outbox().setSlackWebhook(course, url, caller.person.id);
}

Result<SlackStatus> slackStatus(Services& services, const Caller& caller, std::string_view course)
{
    TRY(courseAs(services, caller, course, Standing::RunsClass, "only teachers and TAs see the course's Slack posts"));
    TRY_ASSIGN(webhook, services.store.outbox().slackWebhook(course));
    TRY_ASSIGN(outbox, services.store.outbox().slackOutboxOf(course));
    return SlackStatus{webhook ? std::optional(maskSlackWebhook(*webhook)) : std::nullopt, std::move(outbox)};
}

std::string slackMessage(const WindowReport& report)
{
    const std::string summary = windowSummary(report);
    const Tally& t = report.figures.trainees;
    const Tally& v = report.figures.volunteers;
    nlohmann::json fields = nlohmann::json::array();
    fields.push_back(field("Present", std::to_string(t.present) + " of " + std::to_string(t.records - t.undecided)));
    std::string late = std::to_string(t.late);
    if (t.meanMinutesLate)
        late += " (average " + std::to_string(static_cast<int>(std::lround(*t.meanMinutesLate))) + " min)";
    fields.push_back(field("Late", late));
    fields.push_back(field("Absent", std::to_string(t.absent)));
    if (t.excused > 0)
        fields.push_back(field("Excused", std::to_string(t.excused)));
    if (t.remote > 0)
        fields.push_back(field("Remote", std::to_string(t.remote)));
    if (v.records - v.undecided > 0)
        fields.push_back(field("Volunteers", std::to_string(v.present) + " of " + std::to_string(v.records - v.undecided)));

    nlohmann::json blocks = nlohmann::json::array();
    blocks.push_back({{"type", "section"},
                      {"text", mrkdwn("*" + mrkdwnEscaped(report.course.name) + " · "
                                      + mrkdwnEscaped(report.figures.window.title) + "*")}});
    blocks.push_back({{"type", "section"}, {"text", mrkdwn(mrkdwnEscaped(summary))}});
    blocks.push_back({{"type", "section"}, {"fields", std::move(fields)}});
    blocks.push_back({{"type", "context"},
                      {"elements", nlohmann::json::array({mrkdwn("imhere · the window has closed")})}});
    const nlohmann::json message = {{"text", within(summary, limits::k_slackMaxTextChars)},
                                    {"blocks", std::move(blocks)}};
    return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<SlackRound> deliverDueSlackPosts(Services& services, const PostToSlack& post)
{
    SlackRound round;
    auto& outbox = services.store.outbox();
    const Backoff backoff{limits::k_slackFirstRetryMs, limits::k_slackLongestRetryMs};
    for (std::size_t i = 0; i < limits::k_slackPerRound; ++i) {
        const auto claimedAt = services.clock.nowMs();
        TRY_ASSIGN(claimed, outbox.claimSlackPosts(claimedAt, claimedAt + limits::k_slackClaimMs, 1));
        if (claimed.empty())
            break;
        const QueuedSlackPost& queued = claimed.front();
        auto giveUp = [&](const std::string& why) -> Result<void> {
            ++round.givenUp;
            return outbox.markSlackFailed(queued.id, services.clock.nowMs(), std::nullopt, why, std::nullopt);
        };
        if (!queued.webhook) {
            TRY(giveUp("the course has no Slack webhook now"));
            continue;
        }
        if (!checkSlackWebhook(*queued.webhook, services.slackLoopback)) {
            TRY(giveUp("the course's Slack webhook is not one this server posts to"));
            continue;
        }
        auto window = services.windowById(queued.window);
        Result<WindowReport> report =
            window ? windowReportOf(services, *window) : Result<WindowReport>(std::unexpected(window.error()));
        if (!report) {
            if (report.error().code != Errc::NotFound)
                return std::unexpected(report.error());
            TRY(giveUp("the window or its course is gone"));
            continue;
        }
        const SlackAnswer answer = post(*queued.webhook, slackMessage(*report));
        const std::int64_t now = services.clock.nowMs();
        if (answer.status >= 200 && answer.status < 300) {
            TRY(outbox.markSlackDelivered(queued.id, now, static_cast<int>(answer.status)));
            ++round.delivered;
            continue;
        }
        const int made = queued.attempts + 1;
        const std::optional<int> status = answer.status ? std::optional(static_cast<int>(answer.status)) : std::nullopt;
        std::string error = answer.status ? "HTTP " + std::to_string(answer.status) : answer.error;
        if (answer.status && !answer.body.empty())
            error += ": " + answer.body;
        error = within(error, 500);
        const bool refused = answer.status >= 400 && answer.status < 500 && answer.status != 429;
        if (refused || made >= limits::k_slackMaxAttempts) {
            TRY(outbox.markSlackFailed(queued.id, now, status, error, std::nullopt));
            ++round.givenUp;
            continue;
        }
        std::int64_t wait = retryDelayMs(backoff, made);
        if (answer.status == 429 && answer.retryAfterSec)
            wait = std::clamp<std::int64_t>(*answer.retryAfterSec * 1000, 1000, limits::k_slackLongestRetryMs);
        TRY(outbox.markSlackFailed(queued.id, now, status, error, now + wait));
        ++round.retrying;
    }
    return round;
}

} // namespace imhere::server
