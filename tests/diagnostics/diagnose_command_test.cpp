// `kiosk diagnose` as a technician runs it: the kiosk binary, its JSON line or its table, and its exit codes, against
// the loopback servers of the network checks' tests and a catalogue of the test's own.
#include "kiosk/core/json.h"

#include "tests/diagnostics/diagnostics_servers.h"

#include <catch2/catch.hpp>

#include <sys/wait.h>

using kiosk::tests::DiagnosticsServers;
using kiosk::tests::read_text;
namespace fs = std::filesystem;

namespace {

struct Run {
    int exit = -1;
    std::string out;
    std::string err;
};

Run diagnose(fs::path const& dir, std::string const& args, std::string const& environment = "")
{
    std::string command = environment + " timeout 60 " KIOSK_BINARY " diagnose " + args + " > " + (dir / "out").string()
        + " 2> " + (dir / "err").string();
    int status = std::system(command.c_str());
    return { WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir / "out"), read_text(dir / "err") };
}

bool contains(std::string const& text, std::string const& part)
{
    return text.find(part) != std::string::npos;
}

// A kiosk.toml in dir whose catalogue holds one partner, https://site.test:PORT/, and whose fleet server is
// https://fleet.test:PORT/bundle.tar with the test CA; the options that send every name to loopback.
std::string prepare(DiagnosticsServers const& servers, fs::path const& dir, std::string const& devices = "")
{
    int port = servers.site_port();
    kiosk::tests::write_text(dir / "assets" / "catalogue.toml",
        "[[partner]]\nslug = \"site\"\nname = \"Site\"\nurl = \"https://site.test:" + std::to_string(port)
            + "/\"\ndomains = [\"site.test\"]\nfull_name = { fr = \"Site\" }\ndescription = { fr = \"Site\" }\n\n"
              "[[event]]\nslug = \"e\"\ntitle = { fr = \"E\" }\n");
    kiosk::tests::write_text(dir / "kiosk.toml",
        "[kiosk]\ndev_mode = true\nruntime_dir = \"" + (dir / "run").string() + "\"\nassets_dir = \""
            + (dir / "assets").string()
            + "\"\n[session]\nstorage_mb = 10\n[network]\nconfig_url = \"https://fleet.test:" + std::to_string(port)
            + "/bundle.tar\"\nconfig_pubkey = \"" + (dir / "fleet.pub").string() + "\"\nca_file = \""
            + servers.ca_file().string() + "\"\n" + devices);
    return "--config " + (dir / "kiosk.toml").string() + " --ca-file " + servers.ca_file().string() + " --resolve "
        + DiagnosticsServers::loopback("site.test", port) + " --resolve "
        + DiagnosticsServers::loopback("fleet.test", port)
        + " --connect-to app.franceconnect.gouv.fr:443:127.0.0.1:" + std::to_string(port);
}

} // namespace

TEST_CASE("kiosk diagnose --json: one line of checks, exit 0 when every one passed")
{
    DiagnosticsServers servers;
    kiosk::tests::TempDir dir("kiosk-diagnose-ok");
    auto options = prepare(servers, dir.path()) + " --resolve "
        + DiagnosticsServers::loopback("probe.test", servers.probe_port())
        + " --probe http://probe.test:" + std::to_string(servers.probe_port()) + "/";
    auto run = diagnose(dir.path(), options + " --json");
    INFO(run.out << run.err);
    CHECK(run.exit == 0);
    CHECK(run.err.empty());
    REQUIRE(!run.out.empty());
    CHECK(run.out.back() == '\n');
    std::string line = run.out.substr(0, run.out.size() - 1);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(kiosk::json_valid(line));
    CHECK(line.starts_with(R"({"checks":[{"name":"free-space )"));
    // The configuration's devices are the simulated ones.
    CHECK(contains(line, R"({"name":"test-print sim","ok":true,"detail":"test page printed, job )"));
    CHECK(contains(line, R"({"name":"test-scan sim","ok":true,"detail":"preview scanned: )"));
    for (auto const* host : { "site.test", "fleet.test", "app.franceconnect.gouv.fr" }) {
        for (auto const* stage : { "dns", "tcp", "tls", "http" })
            CHECK(contains(line, std::string(R"({"name":")") + stage + " " + host + R"(","ok":true,"detail":")"));
    }
    CHECK(contains(line,
        R"({"name":"captive-portal probe.test","ok":true,"detail":"no captive portal: the probe answered 204 as expected","ms":)"));
    CHECK(line.ends_with("}]}"));
}

TEST_CASE("kiosk diagnose: a captive portal is a failed check, exit 1, the table says it")
{
    DiagnosticsServers servers;
    kiosk::tests::TempDir dir("kiosk-diagnose-portal");
    auto options = prepare(servers, dir.path()) + " --resolve "
        + DiagnosticsServers::loopback("probe.test", servers.portal_port())
        + " --probe http://probe.test:" + std::to_string(servers.portal_port()) + "/";

    auto json = diagnose(dir.path(), options + " --json");
    INFO(json.out << json.err);
    CHECK(json.exit == 1);
    CHECK(contains(
        json.out, R"({"name":"captive-portal probe.test","ok":false,"detail":"a captive portal is in the way)"));
    CHECK(json.err == "kiosk diagnose: 1 of 16 checks failed\n");

    auto table = diagnose(dir.path(), options);
    INFO(table.out << table.err);
    CHECK(table.exit == 1);
    CHECK(table.out.starts_with("CHECK"));
    CHECK(contains(table.out, "captive-portal probe.test"));
    CHECK(contains(table.out, "FAILED"));
    CHECK(contains(table.out, "redirected to http://portal.invalid/login"));
}

TEST_CASE("kiosk diagnose: a site that fails a stage fails the run")
{
    DiagnosticsServers servers;
    kiosk::tests::TempDir dir("kiosk-diagnose-refused");
    // FranceConnect sent to a closed port instead of the test server.
    auto options = prepare(servers, dir.path()) + " --connect-to app.franceconnect.gouv.fr:443:127.0.0.1:"
        + std::to_string(kiosk::tests::closed_port()) + " --probe ''";
    // The first --connect-to for a name wins, as in curl: put this one first.
    auto run = diagnose(dir.path(),
        "--connect-to app.franceconnect.gouv.fr:443:127.0.0.1:" + std::to_string(kiosk::tests::closed_port()) + " "
            + options + " --json");
    INFO(run.out << run.err);
    CHECK(run.exit == 1);
    CHECK(contains(run.out, R"({"name":"tcp app.franceconnect.gouv.fr","ok":false,"detail":"connection refused)"));
    CHECK(contains(run.out, R"({"name":"http site.test","ok":true)"));
}

TEST_CASE("kiosk diagnose: bad usage and a bad configuration exit 2")
{
    kiosk::tests::TempDir dir("kiosk-diagnose-usage");
    auto unknown = diagnose(dir.path(), "--frobnicate");
    CHECK(unknown.exit == 2);
    CHECK(unknown.err == "kiosk diagnose: unknown option '--frobnicate' (kiosk help diagnose)\n");
    CHECK(unknown.out.empty());

    auto timeout = diagnose(dir.path(), "--timeout soon");
    CHECK(timeout.exit == 2);
    auto no_file = diagnose(dir.path(), "--config");
    CHECK(no_file.exit == 2);
    CHECK(no_file.err == "kiosk diagnose: --config needs a value (kiosk help diagnose)\n");

    kiosk::tests::write_text(dir.path() / "bad.toml", "[kiosk]\nno_such_key = 1\n");
    auto bad = diagnose(dir.path(), "--config " + (dir.path() / "bad.toml").string() + " --json");
    CHECK(bad.exit == 2);
    CHECK(contains(bad.err, "no_such_key"));
    CHECK(bad.out.empty());

    auto help = diagnose(dir.path(), "--help");
    CHECK(help.exit == 0);
    CHECK(help.out.starts_with("Usage: kiosk diagnose [--config FILE] [--json]"));
}

TEST_CASE("kiosk diagnose: the preview through a real SANE backend")
{
    DiagnosticsServers servers;
    kiosk::tests::TempDir dir("kiosk-diagnose-sane");
    // SANE's own "test" backend, alone in a configuration directory of this test's.
    kiosk::tests::write_text(dir.path() / "sane" / "dll.conf", "test\n");
    auto options = prepare(servers, dir.path(), "[devices]\nscanner = \"sane:device=test:0\"\n") + " --probe ''";
    auto run = diagnose(dir.path(), "--json " + options, "SANE_CONFIG_DIR=" + (dir.path() / "sane").string());
    INFO(run.out << run.err);
    CHECK(run.exit == 0);
    CHECK(contains(run.out, R"({"name":"test-scan sane:test:0","ok":true,"detail":"preview scanned: )"));
}
