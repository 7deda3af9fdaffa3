// The HTML parts every page is built from: escaping, form parsing, accessible
// controls, the page frame, and QR codes that decode back to their text.

#include "sync-server/web/formdata.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"
#include "sync-server/web/layout.h"
#include "sync-server/web/qrsvg.h"

#include <ZXing/ReadBarcode.h>

#include <gtest/gtest.h>

#include <regex>

using namespace imhere::web;

TEST(Html, EscapesEverythingThatCouldBreakOut)
{
    EXPECT_EQ(escape(R"(<script>alert("x")</script> & 'y')"),
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    EXPECT_EQ(escape("Zoë Ağaoğlu"), "Zoë Ağaoğlu");
    EXPECT_EQ(urlEncode("a b/ä?&="), "a%20b%2F%C3%A4%3F%26%3D");
}

TEST(FormData, ParsesUrlEncodedBodies)
{
    const auto form = FormData::parse("email=ada%40example.org&password=p%C3%A4ss+word&csrf=abc&role=ta&role=student&empty=");
    ASSERT_TRUE(form) << form.error().message;
    EXPECT_EQ(form->get("email"), "ada@example.org");
    EXPECT_EQ(form->get("password"), "päss word");
    EXPECT_EQ(form->all("role"), (std::vector<std::string>{"ta", "student"}));
    EXPECT_EQ(form->get("empty"), "");
    EXPECT_FALSE(form->get("missing"));
    EXPECT_EQ(FormData::parse("reason=++forgot+to+clock+in++")->text("reason"), "forgot to clock in");
    EXPECT_TRUE(FormData::parse(""));
    EXPECT_TRUE(FormData::parse("a=1&&b=2"));
}

TEST(FormData, RejectsMalformedBodies)
{
    for (const std::string bad : {"a=%", "a=%4", "a=%zz", "a=%ff", "=x", "a=%C0%AF"})
        EXPECT_FALSE(FormData::parse(bad)) << bad;
    std::string many;
    for (int i = 0; i < 201; ++i)
        many += "f" + std::to_string(i) + "=1&";
    EXPECT_FALSE(FormData::parse(many));
    EXPECT_FALSE(FormData::parse("a=" + std::string(10'001, 'x')));
}

TEST(Forms, ControlsAreLabelledAndErrorsTiedToThem)
{
    const auto html = renderField({.name = "reason", .label = "Reason", .value = "<b>",
                                   .hint = "Say why, e.g. forgot to clock in", .error = "Enter a reason",
                                   .required = true});
    EXPECT_NE(html.find(R"(<label for="f-reason">Reason</label>)"), std::string::npos) << html;
    EXPECT_NE(html.find(R"(aria-describedby="f-reason-hint f-reason-error")"), std::string::npos);
    EXPECT_NE(html.find(R"(id="f-reason-error")"), std::string::npos);
    EXPECT_NE(html.find(R"(aria-invalid="true")"), std::string::npos);
    EXPECT_NE(html.find("value=\"&lt;b&gt;\""), std::string::npos);
    const auto password = renderField({.name = "password", .label = "Password", .type = "password", .value = "secret"});
    EXPECT_EQ(password.find("secret"), std::string::npos); // never echoed back
    const auto summary = errorSummary({{"reason", "Enter a reason"}});
    EXPECT_NE(summary.find(R"(<a href="#f-reason">Enter a reason</a>)"), std::string::npos);
    EXPECT_TRUE(errorSummary({}).empty());
}

TEST(Forms, ButtonFormsCarryTheCsrfToken)
{
    const auto html = renderButtonForm({.action = "/courses/x/windows", .label = "Open attendance window",
                                        .csrfToken = "tok\"en", .hidden = {{"op", "open"}}});
    EXPECT_NE(html.find(R"(name="csrf" value="tok&quot;en")"), std::string::npos) << html;
    EXPECT_NE(html.find(R"(method="post")"), std::string::npos);
    EXPECT_NE(html.find(R"(name="op" value="open")"), std::string::npos);
}

TEST(Forms, SharedFormButtonsPostTheSharedFormsToken)
{
    const auto form = renderSharedForm("roster", "tok\"en");
    EXPECT_NE(form.find(R"(<form id="roster" method="post">)"), std::string::npos) << form;
    EXPECT_NE(form.find(R"(name="csrf" value="tok&quot;en")"), std::string::npos) << form;
    const auto button = renderSharedFormButton("roster", {.action = "/courses/x/members/y/remove", .label = "Remove",
                                                          .csrfToken = "unused", .style = "secondary",
                                                          .accessibleLabel = "Remove <Ada>"});
    EXPECT_EQ(button, R"(<button type="submit" form="roster" formaction="/courses/x/members/y/remove" class="secondary" )"
                      R"(aria-label="Remove &lt;Ada&gt;">Remove</button>)");
}

TEST(Layout, PageHasLanguageSkipLinkAndOneMain)
{
    PageFrame frame;
    frame.title = "Course <JS1>";
    frame.userName = "Ada";
    frame.csrfToken = "t";
    frame.nav = {{"/", "Home", true}, {"/me", "My attendance", false}};
    frame.flash = Flash{Flash::Kind::Error, "Could not save"};
    frame.main = "<h1>Course</h1>";
    const auto html = renderPage(frame);
    EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
    EXPECT_NE(html.find(R"(<html lang="en">)"), std::string::npos);
    EXPECT_NE(html.find("<title>Course &lt;JS1&gt; · imhere</title>"), std::string::npos);
    EXPECT_NE(html.find(R"(<a class="skip" href="#main">)"), std::string::npos);
    EXPECT_NE(html.find(R"(<main id="main")"), std::string::npos);
    EXPECT_EQ(html.find("<main"), html.rfind("<main"));
    EXPECT_NE(html.find(R"(<a href="/" aria-current="page">Home</a>)"), std::string::npos);
    EXPECT_NE(html.find(R"(role="alert")"), std::string::npos);
    EXPECT_NE(html.find(R"(action="/logout")"), std::string::npos);
    EXPECT_LT(stylesheet().size(), 8'000u); // inline on every page: keep it small
}

namespace {

// Fills a bitmap from the SVG's path of "Mx yhNv1h-Nz" runs, as a renderer would.
ZXing::ImageView rasterise(const std::string& svg, std::vector<std::uint8_t>& pixels, int scale)
{
    std::smatch box;
    EXPECT_TRUE(std::regex_search(svg, box, std::regex(R"(viewBox="0 0 (\d+) \d+")")));
    const int size = std::stoi(box[1]);
    const int px = size * scale;
    pixels.assign(static_cast<std::size_t>(px * px), 255);
    const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-\d+z)");
    for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator(); ++it) {
        const int x = std::stoi((*it)[1]), y = std::stoi((*it)[2]), n = std::stoi((*it)[3]);
        for (int dy = 0; dy < scale; ++dy)
            for (int dx = 0; dx < n * scale; ++dx)
                pixels[static_cast<std::size_t>((y * scale + dy) * px + x * scale + dx)] = 0;
    }
    return {pixels.data(), px, px, ZXing::ImageFormat::Lum};
}

} // namespace

TEST(QrSvg, DecodesBackToItsText)
{
    for (const std::string& text : {std::string("http://127.0.0.1:8080/q/Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P"),
                                   std::string("imhere:b1:3q2-7wQ8Zk1mN0pR4sT6uV")}) {
        const auto svg = qrSvg(text, "Your badge code");
        ASSERT_FALSE(svg.empty());
        EXPECT_NE(svg.find(R"(role="img" aria-label="Your badge code")"), std::string::npos);
        EXPECT_LT(svg.size(), 12'000u);
        std::vector<std::uint8_t> pixels;
        const auto result = ZXing::ReadBarcode(rasterise(svg, pixels, 4),
                                               ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
        ASSERT_TRUE(result.isValid());
        EXPECT_EQ(result.text(), text);
    }
}
