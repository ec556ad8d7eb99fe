// The metrics registry: the families' table, the audit events a real SessionManager and the kiosk's screens record
// turned into samples, label escaping and bounds, and the rendered text checked by promtool itself.
#include "kiosk/core/json.h"
#include "kiosk/core/session.h"
#include "kiosk/net/agent_call.h"
#include "kiosk/net/metrics.h"
#include "tests/net/loopback.h"
#include "tests/net/observed_metrics.h"
#include "tests/support/temp_dir.h"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <set>
#include <thread>

using namespace kiosk;
using namespace kiosk::net;

namespace {

// The value of one sample line "NAME{LABELS} VALUE", or -1 when absent.
double sample(std::string const& text, std::string const& series)
{
    std::string key = "\n" + std::string(metrics_prefix) + series + " ";
    auto at = ("\n" + text).find(key);
    if (at == std::string::npos)
        return -1;
    auto value = text.substr(at + key.size() - 1);
    return std::stod(value.substr(0, value.find('\n')));
}

tests::CommandOutput promtool_check(std::string const& text)
{
    tests::TempDir dir("kiosk-metrics-text");
    auto file = dir.path() / "metrics.txt";
    std::ofstream(file, std::ios::binary) << text;
    return tests::run_command("promtool check metrics < " + file.string());
}

// Every family with samples: the events the kiosk records today, and the printer's supplies.
void feed_everything(core::ManualClock& clock, core::AuditLog& audit, Metrics& metrics)
{
    core::SessionManager session(clock, core::SessionTimings {}, audit);
    session.start();
    session.accept_rules("fr");
    audit.record("scan_start", { { "source", "flatbed" } });
    audit.record("scan_end", { { "pages", int64_t(3) }, { "result", "ok" } });
    audit.record("scan_end", { { "pages", int64_t(0) }, { "result", "scanner_jammed" } });
    audit.record("print_end", { { "state", "completed" } });
    audit.record("print_end", { { "state", "unknown" }, { "code", "printer_jam" } });
    audit.record("device_error", { { "device", "idreader" }, { "code", "idreader_failed" } });
    audit.record("agent_called", { { "session", "abc" } });
    audit.record("config_fetch", { { "result", "installed" }, { "version", "2026-12-01.3" } });
    audit.record("config_fetch",
        { { "result", "failed" }, { "version", "2026-12-01.3" }, { "stage", "download" }, { "error", "timed out" } });
    session.request_end(core::EndReason::idle_timeout);
    session.finish_ending();
    clock.advance(std::chrono::milliseconds(2'500));
    audit.record("wipe_detail", { { "documents", int64_t(2) }, { "pages_printed", int64_t(4) } });
    session.wipe_finished(true);
    std::vector<SupplyLevel> supplies { { "Black Toner", "black", 7 }, { "Cyan \"C\"\nCartridge", "cyan", 55 },
        { "Waste Toner Box", "", 96, false } };
    metrics.set_supplies(supplies);
    metrics.add(Metric::metrics_pushes, { "ok" });
}

} // namespace

TEST_CASE("every family is declared once, in the enum's order, with a valid name and its type's suffix", "[metrics]")
{
    auto families = metric_families();
    std::set<std::string_view> names;
    for (size_t i = 0; i < families.size(); ++i) {
        auto const& f = families[i];
        CHECK(static_cast<size_t>(f.id) == i);
        CHECK(names.insert(f.name).second);
        CHECK_FALSE(f.help.empty());
        for (char c : f.name)
            CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'));
        CHECK(f.name.ends_with("_total") == (f.type == MetricType::counter));
        // Only the printer's marker names and the configuration's version come from outside a closed list.
        for (auto const& label : f.labels)
            if (label.values.empty())
                CHECK((f.id == Metric::supply_level || f.id == Metric::config_info || label.name == "kind"));
    }
}

TEST_CASE("audit events from a real session move the metrics they stand for", "[metrics]")
{
    tests::ObservedMetrics observed;
    auto& [clock, audit, metrics] = observed;
    auto before = metrics.render();
    CHECK(sample(before, "sessions_started_total") == 0);
    CHECK(sample(before, "device_state{device=\"printer\",state=\"unknown\"}") == 1);

    feed_everything(clock, audit, metrics);
    auto text = metrics.render();
    CHECK(sample(text, "sessions_started_total") == 1);
    CHECK(sample(text, "sessions_ended_total{reason=\"idle_timeout\"}") == 1);
    CHECK(sample(text, "sessions_ended_total{reason=\"resident\"}") == 0);
    CHECK(sample(text, "scanned_pages_total") == 3);
    CHECK(sample(text, "scan_errors_total{kind=\"scanner_jammed\"}") == 1);
    CHECK(sample(text, "printed_pages_total") == 4);
    CHECK(sample(text, "print_errors_total{kind=\"printer_jam\"}") == 1);
    CHECK(sample(text, "device_state{device=\"printer\",state=\"jammed\"}") == 1);
    CHECK(sample(text, "device_state{device=\"printer\",state=\"ok\"}") == 0);
    CHECK(sample(text, "device_state{device=\"scanner\",state=\"jammed\"}") == 1);
    CHECK(sample(text, "device_state{device=\"idreader\",state=\"error\"}") == 1);
    CHECK(sample(text, "wipes_total{result=\"ok\"}") == 1);
    CHECK(sample(text, "last_wipe_duration_seconds") == Approx(2.5));
    CHECK(sample(text, "config_info{version=\"2026-12-01.3\"}") == 1);
    CHECK(sample(text, "config_fetches_total{result=\"installed\"}") == 1);
    CHECK(sample(text, "config_fetches_total{result=\"failed\"}") == 1);
    CHECK(sample(text, "config_last_success_timestamp_seconds") > 1.7e9);
    CHECK(sample(text, "agent_calls_total{kind=\"help\",result=\"asked\"}") == 1);
    CHECK(sample(text, "printer_supply_level_percent{marker=\"Black Toner\",colour=\"black\"}") == 7);
    // A waste tank 96 % full has 4 % of room left: low, like a toner nearly empty.
    CHECK(sample(text, "printer_supply_level_percent{marker=\"Waste Toner Box\",colour=\"\"}") == 4);
    CHECK(sample(text, "uptime_seconds") == Approx(2.5));
    CHECK(sample(text, "start_time_seconds") > 1.7e9);
    // The session's id, its language and the agent's reference are in the log, never in the metrics.
    CHECK(text.find("abc") == std::string::npos);
    CHECK(text.find("\"fr\"") == std::string::npos);
}

TEST_CASE("the rendered text passes promtool's own check", "[metrics][promtool]")
{
    tests::ObservedMetrics observed;
    auto& [clock, audit, metrics] = observed;
    feed_everything(clock, audit, metrics);
    auto text = metrics.render();
    // Every family has at least one sample.
    for (auto const& f : metric_families())
        CHECK(text.find("\n" + std::string(metrics_prefix) + std::string(f.name)) != std::string::npos);
    auto checked = promtool_check(text);
    INFO(checked.text);
    CHECK(checked.status == 0);
    CHECK(checked.text.empty()); // no lint warning either
}

TEST_CASE("label values from the printer are escaped, cut short and limited in number", "[metrics]")
{
    CHECK(escape_label("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
    CHECK(bounded_label("Toner\nNoir\x01") == "Toner Noir ");
    CHECK(bounded_label("\xff\xfe ok") == "?? ok");
    // Cut on a character's boundary: "é" is two bytes and never split.
    CHECK(bounded_label(std::string(63, 'x') + "é") == std::string(63, 'x'));
    CHECK(bounded_label(std::string(1000, 'y')).size() == Metrics::max_label_bytes);

    core::ManualClock clock;
    Metrics metrics(clock);
    std::vector<SupplyLevel> supplies;
    supplies.push_back({ "Back\\slash \"quoted\"\nnew line", "black", 12 });
    for (int i = 0; i < 40; ++i)
        supplies.push_back({ "marker " + std::to_string(i), "", 50 });
    metrics.set_supplies(supplies);
    auto text = metrics.render();
    CHECK(text.find(R"(marker="Back\\slash \"quoted\" new line",colour="black"} 12)") != std::string::npos);
    size_t lines = 0;
    for (size_t at = text.find("\nfrance_services_kiosk_printer_supply_level_percent{"); at != std::string::npos;
         at = text.find("\nfrance_services_kiosk_printer_supply_level_percent{", at + 1))
        ++lines;
    CHECK(lines == Metrics::max_supplies);
    // And promtool reads what the escaping made of it.
    auto checked = promtool_check(text);
    INFO(checked.text);
    CHECK(checked.status == 0);
}

TEST_CASE("a label outside its closed list becomes \"other\": no caller can put personal data in a metric", "[metrics]")
{
    core::ManualClock clock;
    Metrics metrics(clock);
    metrics.observe("transition", { { "from", "resident" }, { "to", "ending" }, { "reason", "Jean Dupont" } });
    metrics.observe("scan_end", { { "pages", int64_t(1) }, { "result", "jean.dupont@example.fr" } });
    metrics.observe("agent_webhook", { { "kind", "call Mme Martin" }, { "result", "ok" } });
    metrics.add(Metric::print_errors, { "1 rue de la Paix" });
    metrics.set_device_state("Jean's phone", "ok");
    auto text = metrics.render();
    CHECK(text.find("Dupont") == std::string::npos);
    CHECK(text.find("Martin") == std::string::npos);
    CHECK(text.find("Paix") == std::string::npos);
    CHECK(text.find("phone") == std::string::npos);
    CHECK(sample(text, "sessions_ended_total{reason=\"other\"}") == 1);
    CHECK(sample(text, "scan_errors_total{kind=\"other\"}") == 1);
    CHECK(sample(text, "agent_calls_total{kind=\"other\",result=\"ok\"}") == 1);
}

TEST_CASE("the agent call's body says which kiosk and why, and nothing else", "[metrics][agent]")
{
    AgentCallSettings settings;
    settings.kiosk_name = "Guéret \"Mairie\"";
    settings.location = "Rez-de-chaussée\nbureau 2";
    auto body = agent_call_body(settings, AgentCallKind::printer);
    CHECK(body
        == R"({"text":"Borne « Guéret \"Mairie\" » (Rez-de-chaussée\nbureau 2) : l'imprimante a besoin d'un agent.",)"
           R"("kiosk":"Guéret \"Mairie\"","location":"Rez-de-chaussée\nbureau 2","kind":"printer"})");
    CHECK(json_valid(body));
}

TEST_CASE("events from many threads while the text is rendered are all counted", "[metrics]")
{
    core::ManualClock clock;
    Metrics metrics(clock);
    std::atomic<bool> done { false };
    std::thread reader([&] {
        while (!done)
            CHECK(
                metrics.render().find("# TYPE france_services_kiosk_scanned_pages_total counter") != std::string::npos);
    });
    std::vector<std::thread> writers;
    for (int t = 0; t < 4; ++t)
        writers.emplace_back([&] {
            for (int i = 0; i < 500; ++i) {
                metrics.observe("scan_end", { { "pages", int64_t(2) }, { "result", "ok" } });
                metrics.observe("session_start", {});
            }
        });
    for (auto& writer : writers)
        writer.join();
    done = true;
    reader.join();
    auto text = metrics.render();
    CHECK(sample(text, "scanned_pages_total") == 4000);
    CHECK(sample(text, "sessions_started_total") == 2000);
}
