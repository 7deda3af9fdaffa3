// service/accountlinks and service/mail: invitations and reset links that
// work once and expire, mailed through the outbox to a real SMTP server on
// loopback (tests/server/smtpsink.h) by deliverDueMail with the SMTP sender
// `serve` uses; a temporary refusal is tried again later, a permanent one
// given up; nothing queued is lost when the store is closed and reopened;
// "forgot your password?" answers the same for any address; who may send
// links; the password policy.

#include "servicefixture.h"

#include "tests/server/smtpsink.h"

#include "sync-server/auth/passwordpolicy.h"
#include "sync-server/mail/smtpsender.h"
#include "sync-server/service/accountlinks.h"
#include "sync-server/service/accounts.h"
#include "sync-server/service/mail.h"
#include "sync-server/serverlimits.h"

#include "tests/support/qtestsupport.h"

using namespace imhere;
using namespace imhere::server;
using namespace imhere::test;

namespace {
constexpr std::string_view k_site = "https://imhere.test";
constexpr std::string_view k_newPassword = "tulip orbit kettle marble";
constexpr std::chrono::seconds k_mailWait{10};

// The token of the first password link in a mail body, or "".
std::string tokenIn(const std::string& body)
{
    const std::string start = std::string(k_site) + "/password/";
    const auto at = body.find(start);
    if (at == std::string::npos)
        return {};
    std::string token;
    for (auto i = at + start.size(); i < body.size(); ++i) {
        const char c = body[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            break;
        token += c;
    }
    return token;
}

std::string tokenOf(const PasswordLink& link)
{
    return link.path.substr(std::string_view("/password/").size());
}
} // namespace

class AccountLinksTest : public QObject {
    Q_OBJECT

    std::unique_ptr<ServiceFixture> fx;
    std::unique_ptr<SmtpSink> sink;
    Person kim; // a student of course A with an email and no password
    Services& services() { return *fx->services; }

    void enableMail() { services().mail = MailSettings{true, std::string(k_site)}; }

    MailRound deliver()
    {
        SmtpSender smtp({"127.0.0.1", sink->port(), false, "", "", "attendance@imhere.test", 10});
        const auto round = deliverDueMail(services(), [&](const NewMail& mail) {
            const auto outcome = smtp.send({mail.recipient, mail.subject, mail.body});
            return MailAttempt{outcome.sent, outcome.permanent(), outcome.error};
        });
        if (!round)
            qFatal("deliverDueMail: %s", round.error().message.c_str());
        return *round;
    }

    OutboxCounts counts() { return fx->store->outbox().outboxCounts().value(); }

private slots:
    void init()
    {
        fx = std::make_unique<ServiceFixture>();
        sink = std::make_unique<SmtpSink>();
        kim = fx->addPerson("Kim Newcomer", "kim@example.org");
        fx->enrol(kim, fx->courseA, sync::Role::Student);
    }
    void cleanup()
    {
        fx.reset();
        sink.reset();
    }

    void anInvitationIsMailedAndWorksOnce();
    void aResetLinkWorksForADayAndAnInvitationForAWeek();
    void settingAPasswordEndsEverySession();
    void aTemporaryRefusalIsTriedAgainLater();
    void aPermanentRefusalIsGivenUp();
    void nothingQueuedIsLostAcrossARestart();
    void forgotPasswordAnswersTheSameForAnyAddress();
    void forgotPasswordIsRateLimited();
    void withoutMailTheLinkComesBackToPassOn();
    void aTeacherInvitesTheirCourseOnly();
    void onlyAdminsAndTeachersSendLinks();
    void aWeakPasswordIsRefusedAndTheLinkStillWorks();
    void thePasswordPolicy();
};

void AccountLinksTest::anInvitationIsMailedAndWorksOnce()
{
    enableMail();
    const auto link = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Invitation);
    QVERIFY2(link, link ? "" : link.error().message.c_str());
    QVERIFY(link->mailed);
    // Nothing is sent while the request is handled: it waits in the outbox.
    QCOMPARE(sink->connections(), 0);
    QCOMPARE(counts().waiting, std::int64_t(1));

    const MailRound round = deliver();
    QCOMPARE(round.sent, 1);
    const auto messages = sink->messages();
    QCOMPARE(messages.size(), std::size_t(1));
    const ReceivedMail& mail = messages.front();
    QCOMPARE(mail.from, "attendance@imhere.test");
    QCOMPARE(mail.to, std::vector<std::string>{"kim@example.org"});
    QCOMPARE(mail.header("To"), "<kim@example.org>");
    QCOMPARE(mail.header("Subject"), "Your imhere account: choose a password");
    QVERIFY(!mail.header("Date").empty());
    QVERIFY(!mail.header("Message-ID").empty());
    QVERIFY2(mail.body().contains("Hello Kim Newcomer,\r\n"), mail.body().c_str());
    QVERIFY(mail.body().contains("Ada Admin invited you"));
    QVERIFY(mail.body().contains("for 7 days"));
    const std::string token = tokenIn(mail.body());
    QCOMPARE(token, tokenOf(*link));
    // Sent once; the stored copy no longer holds the link.
    QCOMPARE(deliver().sent, 0);
    QCOMPARE(counts().sent, std::int64_t(1));
    QCOMPARE(counts().waiting, std::int64_t(0));

    const auto opened = openPasswordLink(services(), token);
    QVERIFY(opened);
    QCOMPARE(opened->person, kim.id);
    QVERIFY(opened->purpose == AccountLinkPurpose::Invitation);
    const auto set = setPasswordWithLink(services(), token, k_newPassword);
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(set->id, kim.id);
    QVERIFY(signIn(services(), "kim@example.org", k_newPassword, "203.0.113.9"));

    // Once only.
    const auto again = setPasswordWithLink(services(), token, "another good long passphrase");
    QVERIFY(!again);
    QCOMPARE(again.error().code, Errc::CodeExpired);
    QVERIFY(!openPasswordLink(services(), token));
    QVERIFY(signIn(services(), "kim@example.org", k_newPassword, "203.0.113.9"));
}

void AccountLinksTest::aResetLinkWorksForADayAndAnInvitationForAWeek()
{
    const auto reset = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Reset);
    const auto invitation =
        sendPasswordLink(services(), fx->as(fx->teacher), kim.publicId, AccountLinkPurpose::Invitation);
    QVERIFY(reset && invitation);
    QCOMPARE(reset->expiresAt, fx->clock.nowMs() + server::limits::k_resetLinkLifetimeMs);
    fx->clock.advance(server::limits::k_resetLinkLifetimeMs - 1);
    QVERIFY(openPasswordLink(services(), tokenOf(*reset)));
    fx->clock.advance(1);
    const auto expired = setPasswordWithLink(services(), tokenOf(*reset), k_newPassword);
    QVERIFY(!expired);
    QCOMPARE(expired.error().code, Errc::CodeExpired);

    QVERIFY(openPasswordLink(services(), tokenOf(*invitation)));
    fx->clock.advance(server::limits::k_invitationLinkLifetimeMs - server::limits::k_resetLinkLifetimeMs - 1);
    QVERIFY(openPasswordLink(services(), tokenOf(*invitation)));
    fx->clock.advance(1);
    QVERIFY(!openPasswordLink(services(), tokenOf(*invitation)));
    QVERIFY(!fx->person(kim.publicId)->passwordHash);
}

void AccountLinksTest::settingAPasswordEndsEverySession()
{
    const auto first = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Invitation);
    QVERIFY(first);
    QVERIFY(setPasswordWithLink(services(), tokenOf(*first), k_newPassword));
    const auto in = signIn(services(), "kim@example.org", k_newPassword, "203.0.113.9");
    QVERIFY(in);
    // A second link, issued before the first was used, is used up with it.
    const auto reset = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Reset);
    const auto other = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Reset);
    QVERIFY(reset && other);
    QVERIFY(setPasswordWithLink(services(), tokenOf(*reset), "a brand new passphrase"));
    QVERIFY(!fx->hasSession(in->sessionToken));
    QVERIFY(!openPasswordLink(services(), tokenOf(*other)));
}

void AccountLinksTest::aTemporaryRefusalIsTriedAgainLater()
{
    enableMail();
    QVERIFY(sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Reset));
    sink->refuseNextRecipients(1, "451 4.3.0 mailbox busy, try again later");
    MailRound round = deliver();
    QCOMPARE(round.retrying, 1);
    QCOMPARE(round.sent, 0);
    QVERIFY(sink->messages().empty());
    QCOMPARE(counts().waiting, std::int64_t(1));
    // Not before its time.
    QCOMPARE(deliver().sent, 0);
    fx->clock.advance(mailRetryDelayMs(1));
    round = deliver();
    QCOMPARE(round.sent, 1);
    QCOMPARE(sink->messages().size(), std::size_t(1));
    QCOMPARE(sink->messages().front().to, std::vector<std::string>{"kim@example.org"});
    QCOMPARE(counts().waiting, std::int64_t(0));
    // The waits double, up to an hour.
    QCOMPARE(mailRetryDelayMs(1), std::int64_t(60'000));
    QCOMPARE(mailRetryDelayMs(2), std::int64_t(120'000));
    QCOMPARE(mailRetryDelayMs(3), std::int64_t(240'000));
    QCOMPARE(mailRetryDelayMs(9), server::limits::k_mailLongestRetryMs);
}

void AccountLinksTest::aPermanentRefusalIsGivenUp()
{
    enableMail();
    QVERIFY(sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Reset));
    sink->refuseNextRecipients(1, "550 5.1.1 no such mailbox");
    QCOMPARE(deliver().givenUp, 1);
    fx->clock.advance(server::limits::k_mailLongestRetryMs);
    QCOMPARE(deliver().sent, 0);
    QCOMPARE(counts().givenUp, std::int64_t(1));
    QVERIFY(sink->messages().empty());
}

void AccountLinksTest::nothingQueuedIsLostAcrossARestart()
{
    enableMail();
    QVERIFY(sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Invitation));
    sink->refuseNextRecipients(1, "421 4.3.2 shutting down");
    QCOMPARE(deliver().retrying, 1);
    QVERIFY(requestPasswordReset(services(), "tomas@example.org", "203.0.113.9"));

    // The server stops and starts again on the same file.
    fx->restart();
    enableMail();
    QCOMPARE(counts().waiting, std::int64_t(2));
    // The reset goes at once; the refused invitation when its wait is over.
    QCOMPARE(deliver().sent, 1);
    fx->clock.advance(mailRetryDelayMs(1));
    QCOMPARE(deliver().sent, 1);
    QVERIFY(sink->waitForMessages(2, k_mailWait));
    std::vector<std::string> recipients;
    for (const auto& m : sink->messages())
        recipients.push_back(m.to.front());
    std::ranges::sort(recipients);
    QCOMPARE(recipients, (std::vector<std::string>{"kim@example.org", "tomas@example.org"}));
    for (const auto& m : sink->messages())
        QVERIFY(openPasswordLink(services(), tokenIn(m.body())));
}

void AccountLinksTest::forgotPasswordAnswersTheSameForAnyAddress()
{
    enableMail();
    const auto known = requestPasswordReset(services(), "Kim@Example.org", "203.0.113.9");
    const auto unknown = requestPasswordReset(services(), "nobody@example.org", "203.0.113.9");
    QVERIFY(known);
    QVERIFY(unknown);
    QCOMPARE(counts().waiting, std::int64_t(1));
    QCOMPARE(deliver().sent, 1);
    const auto messages = sink->messages();
    QCOMPARE(messages.size(), std::size_t(1));
    // To the address as the account has it.
    QCOMPARE(messages.front().to, std::vector<std::string>{"kim@example.org"});
    QVERIFY(messages.front().body().contains("for 24 hours"));
    const std::string token = tokenIn(messages.front().body());
    QVERIFY(setPasswordWithLink(services(), token, k_newPassword));
    QVERIFY(signIn(services(), "kim@example.org", k_newPassword, "203.0.113.9"));
}

void AccountLinksTest::forgotPasswordIsRateLimited()
{
    enableMail();
    for (int i = 0; i < server::limits::k_resetRequestsPerAccount; ++i)
        QVERIFY(requestPasswordReset(services(), "kim@example.org", "203.0.113.9"));
    const auto refused = requestPasswordReset(services(), "kim@example.org", "198.51.100.3");
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, Errc::RateLimited);
    // The same for an address without an account: nothing tells them apart.
    for (int i = 0; i < server::limits::k_resetRequestsPerAccount; ++i)
        QVERIFY(requestPasswordReset(services(), "nobody@example.org", "198.51.100.4"));
    const auto refusedToo = requestPasswordReset(services(), "nobody@example.org", "198.51.100.5");
    QVERIFY(!refusedToo);
    QCOMPARE(refusedToo.error().code, Errc::RateLimited);
    QCOMPARE(counts().waiting, std::int64_t(server::limits::k_resetRequestsPerAccount));
}

void AccountLinksTest::withoutMailTheLinkComesBackToPassOn()
{
    const auto link = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Invitation);
    QVERIFY(link);
    QVERIFY(!link->mailed);
    QVERIFY(link->path.starts_with("/password/"));
    QCOMPARE(counts().waiting, std::int64_t(0));
    QVERIFY(openPasswordLink(services(), tokenOf(*link)));
    // "Forgot your password?" has nothing to send.
    QVERIFY(requestPasswordReset(services(), "kim@example.org", "203.0.113.9"));
    QCOMPARE(counts().waiting, std::int64_t(0));
}

void AccountLinksTest::aTeacherInvitesTheirCourseOnly()
{
    enableMail();
    const Person noEmail = fx->addPerson("Noor Nomail");
    fx->enrol(noEmail, fx->courseA, sync::Role::Student);
    const auto links = inviteCourse(services(), fx->as(fx->teacher), fx->courseA.id);
    QVERIFY2(links, links ? "" : links.error().message.c_str());
    // Students and TAs without a password: the TA, both students, Kim and Noor.
    QCOMPARE(links->size(), std::size_t(5));
    int mailed = 0;
    for (const auto& l : *links) {
        QVERIFY(l.purpose == AccountLinkPurpose::Invitation);
        QVERIFY(l.person.id != fx->teacher.id);
        mailed += l.mailed ? 1 : 0;
        QCOMPARE(l.mailed, l.person.email.has_value());
    }
    QCOMPARE(mailed, 1); // only Kim has an email
    QCOMPARE(counts().waiting, std::int64_t(1));

    // Once Kim has a password, she is not invited again.
    const auto kims = std::ranges::find_if(*links, [&](const PasswordLink& l) { return l.person.id == kim.id; });
    QVERIFY(setPasswordWithLink(services(), tokenOf(*kims), k_newPassword));
    QCOMPARE(inviteCourse(services(), fx->as(fx->teacher), fx->courseA.id)->size(), std::size_t(4));

    for (const Person* who : {&fx->ta, &fx->studentA, &fx->teacherB, &fx->outsider}) {
        const auto refused = inviteCourse(services(), fx->as(*who), fx->courseA.id);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Errc::Forbidden);
    }
}

void AccountLinksTest::onlyAdminsAndTeachersSendLinks()
{
    const auto own = sendPasswordLink(services(), fx->as(fx->teacher), fx->studentA.publicId, AccountLinkPurpose::Reset);
    QVERIFY(own);
    QVERIFY(sendPasswordLink(services(), fx->as(fx->teacher), fx->ta.publicId, AccountLinkPurpose::Reset));
    QVERIFY(sendPasswordLink(services(), fx->as(fx->admin), fx->teacherB.publicId, AccountLinkPurpose::Reset));
    struct Case {
        const Person* caller;
        const Person* person;
    };
    for (const auto& [caller, person] : {Case{&fx->teacher, &fx->studentB}, Case{&fx->teacher, &fx->admin},
                                         Case{&fx->teacher, &fx->teacherB}, Case{&fx->ta, &fx->studentA},
                                         Case{&fx->studentA, &fx->studentA2}, Case{&fx->outsider, &fx->studentA}}) {
        const auto refused = sendPasswordLink(services(), fx->as(*caller), person->publicId, AccountLinkPurpose::Reset);
        QVERIFY2(!refused, (caller->displayName + " -> " + person->displayName).c_str());
        QCOMPARE(refused.error().code, Errc::Forbidden);
    }
    QCOMPARE(sendPasswordLink(services(), fx->as(fx->admin), "AAAAAAAAAA", AccountLinkPurpose::Reset).error().code,
             Errc::NotFound);
}

void AccountLinksTest::aWeakPasswordIsRefusedAndTheLinkStillWorks()
{
    const auto link = sendPasswordLink(services(), fx->as(fx->admin), kim.publicId, AccountLinkPurpose::Invitation);
    QVERIFY(link);
    for (const std::string weak : {"short", "elevenchars", "Password1234", "QWERTYUIOP123"}) {
        const auto refused = setPasswordWithLink(services(), tokenOf(*link), weak);
        QVERIFY2(!refused, weak.c_str());
        QCOMPARE(refused.error().code, Errc::InvalidRequest);
        QVERIFY(refused.error().message.starts_with("password: "));
    }
    QVERIFY(setPasswordWithLink(services(), tokenOf(*link), k_newPassword));
}

void AccountLinksTest::thePasswordPolicy()
{
    QVERIFY(passwordProblem("eleven char"));
    QVERIFY(!passwordProblem("twelve chars"));
    // Characters, not bytes: twelve of them in UTF-8.
    QVERIFY(!passwordProblem("ßßßßßßßßßßßß"));
    QVERIFY(passwordProblem("ßßßßßßßßßßß"));
    QVERIFY(passwordProblem(std::string(server::limits::k_maxPasswordBytes + 1, 'x')));
    // From the list, in any case.
    QVERIFY(isCommonPassword("password1234"));
    QVERIFY(isCommonPassword("PASSWORD1234"));
    QVERIFY(isCommonPassword("qwertyuiop123"));
    QVERIFY(isCommonPassword("123456789012"));
    // Shorter ones are refused for their length; the list holds long ones.
    QVERIFY(!isCommonPassword("123456"));
    QVERIFY(!isCommonPassword(k_newPassword));
    QVERIFY(passwordProblem("Password1234")->contains("common"));
}

QTEST_GUILESS_MAIN(AccountLinksTest)
#include "accountlinkstest.moc"
