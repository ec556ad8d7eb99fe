// The push loop: render, PUT, count the result, wait the interval (or longer after failures) unless stopped.
#include "kiosk/net/metrics_push.h"

#include "kiosk/net/http_send.h"

#include <algorithm>
#include <cstdint>

namespace kiosk::net {

std::unique_ptr<MetricsPusher> MetricsPusher::start(MetricsPushSettings settings, Metrics& metrics)
{
    std::unique_ptr<MetricsPusher> pusher(new MetricsPusher(std::move(settings), metrics));
    pusher->m_thread = std::thread([raw = pusher.get()] { raw->run(); });
    return pusher;
}

MetricsPusher::MetricsPusher(MetricsPushSettings settings, Metrics& metrics)
    : m_settings(std::move(settings))
    , m_metrics(metrics)
{
}

MetricsPusher::~MetricsPusher()
{
    stop();
}

void MetricsPusher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_cancel = true;
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

std::string MetricsPusher::url_for(std::string_view base, std::string_view kiosk_name)
{
    std::string url(base);
    while (url.ends_with('/'))
        url.pop_back();
    // The Pushgateway's "@base64" form carries any name, a '/' or an accent included, as one path segment.
    url += "/metrics/job/france_services_kiosk/instance@base64/";
    constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint32_t bits = 0;
    int held = 0;
    for (unsigned char c : kiosk_name) {
        bits = (bits << 8) | c;
        held += 8;
        while (held >= 6) {
            held -= 6;
            url += alphabet[(bits >> held) & 0x3f];
        }
    }
    if (held > 0)
        url += alphabet[(bits << (6 - held)) & 0x3f];
    if (kiosk_name.empty())
        url += '='; // the gateway's spelling of an empty label value
    return url;
}

void MetricsPusher::run()
{
    int failures = 0;
    for (;;) {
        HttpSendRequest request;
        request.method = HttpMethod::put;
        request.url = m_settings.url;
        request.allow_plain_http = true; // a Pushgateway on loopback or the fleet's own network; https when it is not
        request.content_type = "text/plain; version=0.0.4; charset=utf-8";
        request.body = m_metrics.render();
        request.ca_file = m_settings.ca_file;
        request.connect_timeout = std::min(m_settings.timeout, std::chrono::milliseconds(5'000));
        request.total_timeout = m_settings.timeout;
        request.cancel = &m_cancel;
        HttpFailure failure = HttpFailure::none;
        auto pushed = http_send(request, &failure);
        if (!pushed && failure == HttpFailure::cancelled)
            return;
        m_metrics.add(Metric::metrics_pushes, { to_string(failure) });
        failures = pushed ? 0 : std::min(failures + 1, 16);
        auto wait = m_settings.interval;
        for (int i = 0; i < failures && wait < m_settings.max_backoff; ++i)
            wait *= 2;
        if (failures > 0)
            wait = std::min(wait, std::max(m_settings.max_backoff, m_settings.interval));
        std::unique_lock lock(m_mutex);
        if (m_wake.wait_for(lock, wait, [this] { return m_stopping; }))
            return;
    }
}

} // namespace kiosk::net
