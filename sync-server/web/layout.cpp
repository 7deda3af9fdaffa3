#include "layout.h"

#include "html.h"

namespace imhere::web {

namespace {

// High contrast (text 16:1, links and buttons >= 7:1 on white), a visible
// yellow-and-black focus ring, 44 px touch targets, readable at 360 px.
const std::string k_css = R"CSS(
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:106.25%;line-height:1.5;color:#0b0c0c;background:#f3f2f1}
body{margin:0}
a{color:#1d3f8a;text-underline-offset:.15em}
a:visited{color:#4c2c92}
a:hover{color:#0b0c0c}
:focus-visible{outline:3px solid #ffdd00;outline-offset:0;box-shadow:0 0 0 6px #0b0c0c}
a:focus-visible{background:#ffdd00;color:#0b0c0c;text-decoration:none;outline:none;box-shadow:0 -2px #ffdd00,0 4px #0b0c0c}
.skip{position:absolute;left:-999em}
.skip:focus{position:static;display:block;padding:.5rem 1rem}
header{background:#0b0c0c;color:#fff;padding:.5rem 1rem}
header .bar{max-width:64rem;margin:0 auto;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
header a,header a:visited{color:#fff}
.brand{font-weight:700;font-size:1.25rem;text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
nav a[aria-current]{font-weight:700;text-decoration-thickness:3px}
header form{margin-left:auto}
header .who{margin-right:.75rem}
.link-button{background:none;border:0;box-shadow:none;color:#fff;text-decoration:underline;font:inherit;cursor:pointer;padding:.5rem 0;min-height:44px}
main{display:block;max-width:64rem;margin:0 auto;padding:1rem 1rem 3rem;background:#fff;min-height:70vh}
main.narrow{max-width:34rem}
h1{font-size:1.9rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.4rem;margin:2rem 0 .75rem}
h3{font-size:1.15rem;margin:1.5rem 0 .5rem}
.lead{font-size:1.15rem}
.muted{color:#505a5f}
.flash{border-left:6px solid #00703c;background:#e9f5ee;padding:.75rem 1rem;margin:0 0 1rem}
.flash>p{margin:0}
.flash.error,.error-summary{border-left-color:#b10e1e;background:#fbe9ea}
.error-summary{border-left:6px solid #b10e1e;padding:.75rem 1rem;margin:0 0 1.5rem}
.error-summary h2{margin-top:0;font-size:1.15rem}
.field{margin:0 0 1.25rem}
.field label,.field legend{display:block;font-weight:700;margin-bottom:.25rem}
.hint{display:block;color:#505a5f;margin-bottom:.25rem}
.field-error{display:block;color:#b10e1e;font-weight:700;margin-bottom:.25rem}
input[type=text],input[type=email],input[type=url],input[type=password],input[type=number],input[type=datetime-local],input[type=date],select,textarea{font:inherit;width:100%;max-width:30rem;padding:.45rem .5rem;border:2px solid #0b0c0c;border-radius:0;background:#fff;color:#0b0c0c;min-height:44px}
.invalid input,.invalid select,.invalid textarea{border-color:#b10e1e;border-width:3px}
textarea{min-height:5rem}
button,.button{display:inline-block;font:inherit;font-weight:700;color:#fff;background:#00703c;border:2px solid transparent;border-radius:0;box-shadow:0 2px 0 #002d18;padding:.5rem 1rem;min-height:44px;cursor:pointer;text-decoration:none;margin:0 .5rem .5rem 0}
.button:visited{color:#fff}
button.secondary,.button.secondary,.button.secondary:visited{background:#dfe1e3;color:#0b0c0c;box-shadow:0 2px 0 #858686}
.button:focus-visible{background:#ffdd00;color:#0b0c0c;box-shadow:0 2px 0 #0b0c0c}
a.tap{display:inline-block;min-width:44px;min-height:44px;padding:.6rem .25rem;box-sizing:border-box}
.grid th[scope=row]{position:sticky;left:0;background:#fff;z-index:1;padding-left:.25rem}
.caption{font-weight:700;font-size:1.15rem;margin:.5rem 0}
button.warning{background:#b10e1e;box-shadow:0 2px 0 #55070e}
button:hover{filter:brightness(.9)}
button:focus-visible{background:#ffdd00;color:#0b0c0c;box-shadow:0 2px 0 #0b0c0c;outline:3px solid transparent}
form.inline{display:inline}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem}
.cards{list-style:none;padding:0;margin:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
.card{border:2px solid #b1b4b6;padding:1rem}
.card h3{margin-top:0}
.table-wrap{overflow-x:auto;margin:0 0 1.5rem}
.range{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}.range .field{margin-bottom:.75rem}.range button{margin-bottom:.75rem}
.chart{margin:0 0 1rem}.chart svg{display:block;width:100%;height:auto;max-width:36rem}
.figures{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(9rem,1fr));margin:0 0 1.5rem;padding:0;list-style:none}.figures li{border-left:4px solid #1d70b8;padding:.25rem .75rem}.figures strong{display:block;font-size:1.6rem}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:700;font-size:1.15rem;padding:.5rem 0}
th,td{text-align:left;padding:.5rem .75rem .5rem 0;border-bottom:1px solid #b1b4b6;vertical-align:top}
thead th{border-bottom:2px solid #0b0c0c}
.tag{display:inline-block;font-weight:700;font-size:.85rem;padding:.1rem .45rem;margin:.1rem .25rem .1rem 0;border:1px solid currentColor}
.tag.on_time,.tag.present{color:#005a30;background:#cce2d8}
.tag.late{color:#6e3619;background:#fcd6c3}
.tag.absent{color:#2a0b06;background:#f4cdc6}
.tag.excused{color:#0c2d4a;background:#bbd4ea}
.tag.flag{color:#3d2375;background:#dbd5e9}
.tag.review{color:#0b0c0c;background:#ffdd00}
.tag.not_enrolled{color:#505a5f;border-style:dashed}
.tag.on_track{color:#005a30;background:#cce2d8}.tag.behind{color:#6e3619;background:#fcd6c3}.tag.at_risk{color:#2a0b06;background:#f4cdc6}
.meter{display:block;height:.6rem;background:#dfe1e3;max-width:20rem;margin:.25rem 0 .75rem}.meter>span{display:block;height:100%;background:#1d70b8}
.qr{display:block;width:min(100%,18rem);height:auto;margin:1rem 0}
.badge-card{border:2px dashed #0b0c0c;padding:1rem;max-width:22rem;margin:1rem 0}
.code-big{font-size:2rem;font-weight:700;letter-spacing:.1em;margin:1rem 0}
button.wide{width:100%;font-size:1.25rem;min-height:3.5rem}
details{margin:0 0 1rem}
summary{cursor:pointer;font-weight:700;min-height:44px;padding:.5rem 0}
footer{max-width:64rem;margin:0 auto;padding:1rem;color:#505a5f}
.subnav{margin:0 0 1rem;padding:0 0 .5rem;border-bottom:1px solid #b1b4b6}
.subnav a{display:inline-block;padding:.5rem 0;min-height:44px}
ul.plain{list-style:none;margin:0;padding:0}
.card h2{margin-top:0}
fieldset{border:0;padding:0;min-width:0}
fieldset legend{padding:0}
.checkbox{display:flex;align-items:center;gap:.6rem}
.checkbox input{width:1.6rem;height:1.6rem;margin:0;accent-color:#0b0c0c}
.checkbox label{font-weight:400;padding:.5rem 0}
dl.details{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.35rem 1.25rem;margin:0 0 1.5rem}
dl.details dt{font-weight:700}
dl.details dd{margin:0;overflow-wrap:anywhere}
pre.secret{white-space:pre-wrap;overflow-wrap:anywhere;background:#f3f2f1;border:2px solid #0b0c0c;padding:.75rem;font-size:.95rem;max-width:48rem}
@media (max-width:40rem){h1{font-size:1.6rem}}
@media (max-width:40rem){table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:700}}
@media (max-width:40rem){table.stack thead{position:absolute;left:-999em}table.stack tr{display:block;border-bottom:2px solid #b1b4b6;padding:.5rem 0}table.stack th,table.stack td{display:block;border:0;padding:.15rem 0}}
@media print{header,footer,.no-print,.skip{display:none}main{padding:0}html{background:#fff}}
)CSS";

} // namespace

const std::string& stylesheet()
{
    return k_css;
}

std::string renderPage(const PageFrame& f)
{
    std::string html;
    html.reserve(k_css.size() + f.main.size() + 2048);
    html += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<title>";
    html += escape(f.title);
    html += " · imhere</title><meta name=\"description\" content=\"";
    html += escape(f.description.empty() ? "imhere attendance" : f.description);
    html += "\"><link rel=\"icon\" href=\"data:,\"><style>";
    html += k_css;
    html += "</style></head><body><a class=\"skip\" href=\"#main\">Skip to main content</a>"
            "<header><div class=\"bar\"><a class=\"brand\" href=\"/\">imhere</a>";
    if (!f.nav.empty()) {
        html += "<nav aria-label=\"Main\"><ul>";
        for (const auto& link : f.nav) {
            html += "<li><a href=\"" + escape(link.href) + "\"";
            if (link.current)
                html += " aria-current=\"page\"";
            html += ">" + escape(link.label) + "</a></li>";
        }
        html += "</ul></nav>";
    }
    if (f.userName) {
        html += "<form method=\"post\" action=\"/logout\"><span class=\"who\">" + escape(*f.userName)
            + "</span><input type=\"hidden\" name=\"csrf\" value=\"" + escape(f.csrfToken)
            + "\"><button class=\"link-button\" type=\"submit\">Sign out</button></form>";
    }
    html += "</div></header><main id=\"main\" tabindex=\"-1\"";
    if (f.narrow)
        html += " class=\"narrow\"";
    html += ">";
    if (f.flash) {
        const bool error = f.flash->kind == Flash::Kind::Error;
        html += std::string("<div class=\"flash") + (error ? " error\" role=\"alert\"" : "\" role=\"status\"") + ">"
            + escape(f.flash->message) + "</div>";
    }
    html += f.main;
    html += "</main><footer><p>imhere — attendance for volunteers and trainees. "
            "Trainee names never leave this site.</p></footer></body></html>\n";
    return html;
}

} // namespace imhere::web
