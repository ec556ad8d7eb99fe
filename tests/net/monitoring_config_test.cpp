// deploy/monitoring checked by Prometheus' own tool: the configuration, the alert rules, and the rules' unit tests
// (each alert fires on the series that should raise it, after its delay, with its words).
#include "tests/net/loopback.h"

#include <catch2/catch.hpp>

namespace {

std::string const monitoring = KIOSK_SOURCE_DIR "/deploy/monitoring";

} // namespace

TEST_CASE("promtool accepts the fleet's prometheus.yml and alerts.yml, and the alerts' unit tests pass", "[monitoring]")
{
    for (std::string command : { "promtool check config prometheus.yml", "promtool check rules alerts.yml",
             "promtool test rules alerts_test.yml" }) {
        auto checked = kiosk::tests::run_command("cd " + monitoring + " && " + command);
        INFO(command << "\n" << checked.text);
        CHECK(checked.status == 0);
        CHECK(checked.text.find("SUCCESS") != std::string::npos);
        CHECK(checked.text.find("WARNING") == std::string::npos);
    }
}
