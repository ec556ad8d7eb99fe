// Pushes the kiosk's metrics to a Pushgateway where the fleet cannot scrape the kiosk: a PUT of the same text the
// metrics server serves, on a thread of its own, with a back-off while the gateway fails.
#pragma once

#include "kiosk/net/metrics.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace kiosk::net {

struct MetricsPushSettings {
    // http://127.0.0.1:9091/metrics/job/france_services_kiosk/instance/<kiosk name>, or url_for()'s: a PUT replaces
    // the group's metrics.
    std::string url;
    std::filesystem::path ca_file;
    std::chrono::milliseconds interval { 60'000 };
    std::chrono::milliseconds max_backoff { 15 * 60'000 }; // failures double the wait, up to this
    std::chrono::milliseconds timeout { 10'000 };
};

class MetricsPusher {
public:
    // Pushes at once, then every interval; each push's result is counted in metrics_pushes_total.
    static std::unique_ptr<MetricsPusher> start(MetricsPushSettings settings, Metrics& metrics);
    ~MetricsPusher(); // stop()
    MetricsPusher(MetricsPusher const&) = delete;
    MetricsPusher& operator=(MetricsPusher const&) = delete;

    // Ends a push under way (within a fraction of a second) and joins the thread.
    void stop();

    // The gateway's address for a kiosk: base (http://HOST:PORT) +
    // /metrics/job/france_services_kiosk/instance@base64/NAME, NAME in unpadded base64url.
    static std::string url_for(std::string_view base, std::string_view kiosk_name);

private:
    MetricsPusher(MetricsPushSettings settings, Metrics& metrics);
    void run();

    MetricsPushSettings m_settings;
    Metrics& m_metrics;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::atomic<bool> m_cancel { false };
    std::thread m_thread;
};

} // namespace kiosk::net
