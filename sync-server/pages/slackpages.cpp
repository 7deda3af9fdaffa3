// A course's Slack channel on its page: for its teachers and TAs, the
// masked webhook and how the posts went (the latest failure with its
// error, attempts and next try); for its teachers and admins, the form that
// sets or removes the webhook (POST /courses/{course}/slack).

#include "pages.h"
#include "sync-server/service/slack.h"

#include "core/result.h"
#include "core/timezone.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"

namespace imhere::server {

namespace {

Result<Response> slackPost(Services& services, const Request& request)
{
    TRY_ASSIGN(post, signedInPost(services, request));
    TRY_ASSIGN(id, uuidParam(request, "course"));
    const std::string back = "/courses/" + id + "#slack";
    if (post.form.text("remove") == "yes") {
        auto done = setSlackWebhook(services, post.caller, id, std::nullopt);
        return redirectWithOutcome(done ? Result<std::string>("The course no longer posts to Slack.")
                                        : std::unexpected(done.error()),
                                   back);
    }
    auto done = setSlackWebhook(services, post.caller, id, post.form.text("webhook-url"));
    return redirectWithOutcome(done ? Result<std::string>("Closed windows' summaries will be posted to this Slack webhook.")
                                    : std::unexpected(done.error()),
                               back);
}

} // namespace

std::string slackSection(const SlackStatus& slack, const Course& course, bool teaches, const std::string& csrf)
{
    const std::string& zone = course.timezone;
    std::string html = "<h2 id=\"slack\">Slack</h2>";
    if (!slack.maskedWebhook) {
        html += "<p>This course posts nothing to Slack.";
    } else {
        html += "<p>Each window's summary is posted when it closes to <code>" + web::escape(*slack.maskedWebhook)
            + "</code>.";
    }
    const SlackOutboxState& o = slack.outbox;
    if (o.delivered + o.waiting + o.givenUp > 0) {
        html += " Posted: " + std::to_string(o.delivered);
        if (o.lastDeliveredAt)
            html += " (the latest " + formatLocalDateTime(zone, *o.lastDeliveredAt) + ")";
        html += "; waiting: " + std::to_string(o.waiting) + "; given up: " + std::to_string(o.givenUp) + ".";
    }
    html += "</p>";
    if (o.problem) {
        const SlackPostProblem& p = *o.problem;
        html += "<p role=\"status\"><span class=\"tag absent\">"
            + std::string(p.nextAttemptAt ? "Slack post failing" : "Slack post given up") + "</span> "
            + "The latest failed post: " + std::to_string(p.attempts) + (p.attempts == 1 ? " attempt" : " attempts")
            + ", the last at " + formatLocalDateTime(zone, p.at) + ": " + web::escape(p.lastError) + ". "
            + (p.nextAttemptAt ? "Next try at " + formatLocalDateTime(zone, *p.nextAttemptAt) + "."
                               : std::string("It will not be tried again."))
            + "</p>";
    }
    if (!teaches)
        return html;
    html += "<form method=\"post\" action=\"/courses/" + course.id + "/slack\">" + web::csrfInput(csrf)
        + web::renderField({.name = "webhook-url",
                            .label = slack.maskedWebhook ? "New Slack webhook URL" : "Slack webhook URL",
                            .type = "url",
                            .hint = "An incoming webhook, https://hooks.slack.com/services/…",
                            .autocomplete = "off",
                            .required = true})
        + "<button type=\"submit\">Save Slack webhook</button></form>";
    if (slack.maskedWebhook)
        html += web::renderButtonForm({.action = "/courses/" + course.id + "/slack",
                                       .label = "Stop posting to Slack",
                                       .csrfToken = csrf,
                                       .hidden = {{"remove", "yes"}},
                                       .style = "secondary"});
    return html;
}

void addSlackPages(Router& router, Services& services)
{
    router.add("POST", "/courses/{course}/slack",
               page(services, [&services](const Request& r) { return slackPost(services, r); }));
}

} // namespace imhere::server
