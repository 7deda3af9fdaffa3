// The HTML parts every page is built from: escaping, form parsing, accessible
// controls, the page frame, and QR codes that decode back to their text.

#include "sync-server/web/formdata.h"
#include "sync-server/web/forms.h"
#include "sync-server/web/html.h"
#include "sync-server/web/layout.h"
#include "sync-server/web/qrsvg.h"

#include "tests/support/qtestsupport.h"

#include <ZXing/ReadBarcode.h>

#include <optional>
#include <regex>

using namespace imhere::web;

namespace {

// Fills a bitmap from the SVG's path of "Mx yhNv1h-Nz" runs, as a renderer
// would; nullopt when the SVG has no viewBox.
std::optional<ZXing::ImageView> rasterise(const std::string& svg, std::vector<std::uint8_t>& pixels, int scale)
{
    std::smatch box;
    if (!std::regex_search(svg, box, std::regex(R"(viewBox="0 0 (\d+) \d+")")))
        return std::nullopt;
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
    return ZXing::ImageView(pixels.data(), px, px, ZXing::ImageFormat::Lum);
}

} // namespace

class WebPartsTest : public QObject {
    Q_OBJECT

private slots:
    void htmlEscapesEverythingThatCouldBreakOut()
    {
        QCOMPARE(escape(R"(<script>alert("x")</script> & 'y')"),
                 "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
        QCOMPARE(escape("Zoë Ağaoğlu"), "Zoë Ağaoğlu");
        QCOMPARE(urlEncode("a b/ä?&="), "a%20b%2F%C3%A4%3F%26%3D");
    }

    void formDataParsesUrlEncodedBodies()
    {
        const auto form = FormData::parse("email=ada%40example.org&password=p%C3%A4ss+word&csrf=abc&role=ta&role=student&empty=");
        QVERIFY2(form, form ? "" : form.error().message.c_str());
        QCOMPARE(form->get("email"), "ada@example.org");
        QCOMPARE(form->get("password"), "päss word");
        QCOMPARE(form->all("role"), (std::vector<std::string>{"ta", "student"}));
        QCOMPARE(form->get("empty"), "");
        QVERIFY(!form->get("missing"));
        QCOMPARE(FormData::parse("reason=++forgot+to+clock+in++")->text("reason"), "forgot to clock in");
        QVERIFY(FormData::parse(""));
        QVERIFY(FormData::parse("a=1&&b=2"));
    }

    void formDataRejectsMalformedBodies()
    {
        for (const std::string bad : {"a=%", "a=%4", "a=%zz", "a=%ff", "=x", "a=%C0%AF"})
            QVERIFY2(!FormData::parse(bad), bad.c_str());
        std::string many;
        for (int i = 0; i < 201; ++i)
            many += "f" + std::to_string(i) + "=1&";
        QVERIFY(!FormData::parse(many));
        QVERIFY(!FormData::parse("a=" + std::string(10'001, 'x')));
    }

    void formsControlsAreLabelledAndErrorsTiedToThem()
    {
        const auto html = renderField({.name = "reason", .label = "Reason", .value = "<b>",
                                       .hint = "Say why, e.g. forgot to clock in", .error = "Enter a reason",
                                       .required = true});
        QVERIFY2(html.find(R"(<label for="f-reason">Reason</label>)") != std::string::npos, html.c_str());
        QVERIFY(html.find(R"(aria-describedby="f-reason-hint f-reason-error")") != std::string::npos);
        QVERIFY(html.find(R"(id="f-reason-error")") != std::string::npos);
        QVERIFY(html.find(R"(aria-invalid="true")") != std::string::npos);
        QVERIFY(html.find("value=\"&lt;b&gt;\"") != std::string::npos);
        const auto password = renderField({.name = "password", .label = "Password", .type = "password", .value = "secret"});
        QCOMPARE(password.find("secret"), std::string::npos); // never echoed back
        const auto summary = errorSummary({{"reason", "Enter a reason"}});
        QVERIFY(summary.find(R"(<a href="#f-reason">Enter a reason</a>)") != std::string::npos);
        QVERIFY(errorSummary({}).empty());
    }

    void formsButtonFormsCarryTheCsrfToken()
    {
        const auto html = renderButtonForm({.action = "/courses/x/windows", .label = "Open attendance window",
                                            .csrfToken = "tok\"en", .hidden = {{"op", "open"}}});
        QVERIFY2(html.find(R"(name="csrf" value="tok&quot;en")") != std::string::npos, html.c_str());
        QVERIFY(html.find(R"(method="post")") != std::string::npos);
        QVERIFY(html.find(R"(name="op" value="open")") != std::string::npos);
    }

    void formsSharedFormButtonsPostTheSharedFormsToken()
    {
        const auto form = renderSharedForm("roster", "tok\"en");
        QVERIFY2(form.find(R"(<form id="roster" method="post">)") != std::string::npos, form.c_str());
        QVERIFY2(form.find(R"(name="csrf" value="tok&quot;en")") != std::string::npos, form.c_str());
        const auto button = renderSharedFormButton("roster", {.action = "/courses/x/members/y/remove", .label = "Remove",
                                                              .csrfToken = "unused", .style = "secondary",
                                                              .accessibleLabel = "Remove <Ada>"});
        QCOMPARE(button, R"(<button type="submit" form="roster" formaction="/courses/x/members/y/remove" class="secondary" )"
                         R"(aria-label="Remove &lt;Ada&gt;">Remove</button>)");
    }

    void layoutPageHasLanguageSkipLinkAndOneMain()
    {
        PageFrame frame;
        frame.title = "Course <JS1>";
        frame.userName = "Ada";
        frame.csrfToken = "t";
        frame.nav = {{"/", "Home", true}, {"/me", "My attendance", false}};
        frame.flash = Flash{Flash::Kind::Error, "Could not save"};
        frame.main = "<h1>Course</h1>";
        const auto html = renderPage(frame);
        QCOMPARE(html.rfind("<!doctype html>", 0), 0u);
        QVERIFY(html.find(R"(<html lang="en">)") != std::string::npos);
        QVERIFY(html.find("<title>Course &lt;JS1&gt; · imhere</title>") != std::string::npos);
        QVERIFY(html.find(R"(<a class="skip" href="#main">)") != std::string::npos);
        QVERIFY(html.find(R"(<main id="main")") != std::string::npos);
        QCOMPARE(html.find("<main"), html.rfind("<main"));
        QVERIFY(html.find(R"(<a href="/" aria-current="page">Home</a>)") != std::string::npos);
        QVERIFY(html.find(R"(role="alert")") != std::string::npos);
        QVERIFY(html.find(R"(action="/logout")") != std::string::npos);
        QCOMPARE_LT(stylesheet().size(), 8'000u); // inline on every page: keep it small
    }

    void qrSvgDecodesBackToItsText()
    {
        for (const std::string& text : {std::string("http://127.0.0.1:8080/q/Dx4tPEtaaXiHlqW0w9Lh8AAAAAcKIf6Aav1wtFmiPkMc5y4P"),
                                       std::string("imhere:b1:3q2-7wQ8Zk1mN0pR4sT6uV")}) {
            const auto svg = qrSvg(text, "Your badge code");
            QVERIFY(!svg.empty());
            QVERIFY(svg.find(R"(role="img" aria-label="Your badge code")") != std::string::npos);
            QCOMPARE_LT(svg.size(), 12'000u);
            std::vector<std::uint8_t> pixels;
            const auto image = rasterise(svg, pixels, 4);
            QVERIFY2(image, "no viewBox in the SVG");
            const auto result = ZXing::ReadBarcode(*image, ZXing::DecodeHints().setFormats(ZXing::BarcodeFormat::QRCode));
            QVERIFY(result.isValid());
            QCOMPARE(result.text(), text);
        }
    }
};

QTEST_GUILESS_MAIN(WebPartsTest)
#include "webpartstest.moc"
