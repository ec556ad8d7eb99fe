// Metrics fed by an in-memory audit log on a manual clock, as the kiosk's runner wires them: what the tests of the
// metrics, their server and the agent call record reaches the metrics through the log's observer.
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/clock.h"
#include "kiosk/net/metrics.h"

#include <catch2/catch.hpp>

namespace kiosk::tests {

struct ObservedMetrics {
    core::ManualClock clock;
    core::AuditLog audit = opened(clock);
    net::Metrics metrics { clock };

    ObservedMetrics()
    {
        audit.set_observer([this](std::string_view event, std::initializer_list<core::AuditField> fields) {
            metrics.observe(event, fields);
        });
    }
    ObservedMetrics(ObservedMetrics const&) = delete;
    ObservedMetrics& operator=(ObservedMetrics const&) = delete;
    ~ObservedMetrics() { audit.set_observer({}); }

private:
    static core::AuditLog opened(core::ManualClock& clock)
    {
        auto log = core::AuditLog::open("", clock);
        REQUIRE(log);
        return std::move(*log);
    }
};

} // namespace kiosk::tests
