// The families' table, the audit events each one counts, and the text format: one mutex around a map per family.
#include "kiosk/net/metrics.h"

#include "kiosk/net/http_send.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <variant>

namespace kiosk::net {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view end_reasons[]
    = { "resident", "idle_timeout", "max_length", "agent", "out_of_order", "other" };
constexpr std::string_view wipe_results[] = { "ok", "failed", "other" };
constexpr std::string_view fetch_results[] = { "installed", "unchanged", "failed", "other" };
constexpr std::string_view agent_kinds[] = { "help", "printer", "scanner", "out_of_order", "other" };
// "asked": the resident pressed "Appeler un agent"; the others are what the webhook answered.
constexpr std::string_view call_results[]
    = { "asked", "ok", "refused", "unreachable", "timeout", "tls", "status", "too_large", "cancelled", "other" };
constexpr std::string_view push_results[]
    = { "ok", "refused", "unreachable", "timeout", "tls", "status", "too_large", "cancelled", "other" };

// Error kinds: every ErrorCode's name, what a print job can end as, and what the UI records besides.
std::vector<std::string_view> const& error_kinds()
{
    static std::vector<std::string_view> const kinds = [] {
        std::vector<std::string_view> list;
        for (int code = 0; code <= static_cast<int>(ErrorCode::request_failed); ++code)
            list.push_back(to_string(static_cast<ErrorCode>(code)));
        for (auto extra : { "aborted"sv, "canceled"sv, "lost"sv, "unknown"sv, "gave_up"sv, "stuck"sv, "other"sv })
            list.push_back(extra);
        return list;
    }();
    return kinds;
}

struct Table {
    std::array<MetricLabel, 1> reason { { { "reason", end_reasons } } };
    std::array<MetricLabel, 1> error_kind { { { "kind", {} } } };
    std::array<MetricLabel, 2> device { { { "device", device_names }, { "state", device_states } } };
    std::array<MetricLabel, 2> supply { { { "marker", {} }, { "colour", {} } } };
    std::array<MetricLabel, 1> wipe_result { { { "result", wipe_results } } };
    std::array<MetricLabel, 1> version { { { "version", {} } } };
    std::array<MetricLabel, 1> fetch_result { { { "result", fetch_results } } };
    std::array<MetricLabel, 2> call { { { "kind", agent_kinds }, { "result", call_results } } };
    std::array<MetricLabel, 1> push_result { { { "result", push_results } } };
    std::vector<MetricFamily> families;

    Table()
    {
        error_kind[0].values = error_kinds();
        using enum Metric;
        auto c = MetricType::counter;
        auto g = MetricType::gauge;
        families = {
            { sessions_started, "sessions_started_total", "Resident sessions started (rules accepted).", c, {} },
            { sessions_ended, "sessions_ended_total", "Resident sessions ended, by why they ended.", c, reason },
            { pages_scanned, "scanned_pages_total", "Pages scanned.", c, {} },
            { pages_printed, "printed_pages_total", "Pages sent to the printer, counted when the session is wiped.", c,
                {} },
            { scan_errors, "scan_errors_total", "Scans that failed, by kind of failure.", c, error_kind },
            { print_errors, "print_errors_total", "Print jobs that did not complete, by kind of failure.", c,
                error_kind },
            { device_state, "device_state", "1 for each device's current state, 0 for the others.", g, device },
            { supply_level, "printer_supply_level_percent",
                "The printer's consumables, percent left (room left for a waste tank), as the printer names them.", g,
                supply },
            { wipe_duration, "last_wipe_duration_seconds", "How long the last wipe took.", g, {} },
            { wipes, "wipes_total", "Wipes at the end of a session, by result.", c, wipe_result },
            { config_info, "config_info", "The fleet configuration's installed version, as a label.", g, version },
            { config_last_success, "config_last_success_timestamp_seconds",
                "When the configuration was last fetched successfully (installed or unchanged), Unix time.", g, {} },
            { config_fetches, "config_fetches_total", "Configuration fetches, by result.", c, fetch_result },
            { agent_calls, "agent_calls_total",
                "Calls for an agent: asked on screen, and what the chat webhook answered.", c, call },
            { metrics_pushes, "metrics_pushes_total", "Pushes to the Pushgateway, by result.", c, push_result },
            { start_time, "start_time_seconds", "When the kiosk process started, Unix time.", g, {} },
            { uptime, "uptime_seconds", "Seconds since the kiosk process started.", g, {} },
        };
    }
};

Table const& table()
{
    static Table const instance;
    return instance;
}

MetricFamily const& family(Metric metric)
{
    return table().families[static_cast<size_t>(metric)];
}

// A closed label keeps only its own values; an open one is bounded.
std::string label_value(MetricLabel const& label, std::string_view value)
{
    if (label.values.empty())
        return bounded_label(value);
    if (std::ranges::find(label.values, value) != label.values.end())
        return std::string(value);
    return "other";
}

std::string_view text_field(std::initializer_list<core::AuditField> fields, std::string_view name)
{
    for (auto const& [key, value] : fields)
        if (key == name)
            if (auto const* text = std::get_if<std::string_view>(&value))
                return *text;
    return {};
}

std::optional<int64_t> number_field(std::initializer_list<core::AuditField> fields, std::string_view name)
{
    for (auto const& [key, value] : fields)
        if (key == name)
            if (auto const* number = std::get_if<int64_t>(&value))
                return *number;
    return std::nullopt;
}

std::optional<bool> bool_field(std::initializer_list<core::AuditField> fields, std::string_view name)
{
    for (auto const& [key, value] : fields)
        if (key == name)
            if (auto const* flag = std::get_if<bool>(&value))
                return *flag;
    return std::nullopt;
}

// What an error code says of its device's state.
std::string_view state_of(std::string_view code)
{
    if (code == "ok")
        return "ok";
    if (code == "scanner_jammed" || code == "printer_jam")
        return "jammed";
    if (code == "scanner_cover_open" || code == "printer_door_open")
        return "door_open";
    if (code == "printer_paper_out")
        return "paper_out";
    if (code == "printer_offline")
        return "offline";
    if (code == "scanner_gone")
        return "gone";
    if (code == "scanner_busy")
        return "busy";
    return "error";
}

void append_number(std::string& out, double value)
{
    if (std::isnan(value)) {
        out += "NaN";
        return;
    }
    if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
        return;
    }
    char buffer[64];
    auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, error == std::errc() ? end : buffer);
}

} // namespace

std::span<const MetricFamily> metric_families()
{
    return table().families;
}

std::string bounded_label(std::string_view text, size_t max_bytes)
{
    std::string out;
    size_t i = 0;
    while (i < text.size()) {
        auto byte = static_cast<unsigned char>(text[i]);
        size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xe ? 3 : (byte >> 3) == 0x1e ? 4 : 0;
        bool valid = length > 0 && i + length <= text.size();
        for (size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        std::string_view piece = valid ? text.substr(i, length) : std::string_view("?");
        if (valid && length == 1 && (byte < 0x20 || byte == 0x7f))
            piece = " ";
        if (out.size() + piece.size() > max_bytes)
            break;
        out += piece;
        i += valid ? length : 1;
    }
    return out;
}

std::string escape_label(std::string_view value)
{
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

Metrics::Metrics(core::Clock const& clock)
    : m_clock(clock)
    , m_started(clock.now())
    , m_series(metric_families().size())
{
    m_start_time_seconds = std::chrono::duration<double>(m_clock.wall_now().time_since_epoch()).count();
    // Counters a query compares over time start at zero, so the first event is an increase and not a new series.
    std::lock_guard lock(m_mutex);
    for (auto const& f : metric_families()) {
        if (f.labels.empty() && f.type == MetricType::counter)
            m_series[static_cast<size_t>(f.id)][{}] = 0;
    }
    for (auto reason : end_reasons)
        m_series[static_cast<size_t>(Metric::sessions_ended)][{ std::string(reason) }] = 0;
    for (auto result : wipe_results)
        m_series[static_cast<size_t>(Metric::wipes)][{ std::string(result) }] = 0;
    for (auto result : fetch_results)
        m_series[static_cast<size_t>(Metric::config_fetches)][{ std::string(result) }] = 0;
    for (auto device : device_names)
        device_state_locked(device, "unknown");
}

void Metrics::update(Metric metric, std::initializer_list<std::string_view> labels, double value, bool add)
{
    auto const& f = family(metric);
    if (labels.size() != f.labels.size())
        return;
    std::vector<std::string> key;
    size_t i = 0;
    for (auto label : labels)
        key.push_back(label_value(f.labels[i++], label));
    auto& series = m_series[static_cast<size_t>(metric)];
    auto found = series.find(key);
    if (found == series.end()) {
        if (series.size() >= max_series_per_family)
            return;
        found = series.emplace(std::move(key), 0).first;
    }
    found->second = add ? found->second + value : value;
}

void Metrics::add(Metric metric, std::initializer_list<std::string_view> labels, double by)
{
    std::lock_guard lock(m_mutex);
    update(metric, labels, by, true);
}

void Metrics::set(Metric metric, std::initializer_list<std::string_view> labels, double value)
{
    std::lock_guard lock(m_mutex);
    update(metric, labels, value, false);
}

void Metrics::device_state_locked(std::string_view device, std::string_view state)
{
    if (std::ranges::find(device_names, device) == std::end(device_names))
        return;
    if (std::ranges::find(device_states, state) == std::end(device_states))
        state = "error";
    for (auto each : device_states)
        update(Metric::device_state, { device, each }, each == state ? 1 : 0, false);
}

void Metrics::set_device_state(std::string_view device, std::string_view state)
{
    std::lock_guard lock(m_mutex);
    device_state_locked(device, state);
}

void Metrics::set_supplies(std::span<const SupplyLevel> supplies)
{
    std::lock_guard lock(m_mutex);
    auto& series = m_series[static_cast<size_t>(Metric::supply_level)];
    series.clear();
    for (auto const& supply : supplies) {
        if (series.size() >= max_supplies)
            break;
        if (supply.percent < 0)
            continue;
        int left = std::min(supply.percent, 100);
        series[{ bounded_label(supply.name), bounded_label(supply.colour) }] = supply.consumed ? left : 100 - left;
    }
}

void Metrics::observe(std::string_view event, std::initializer_list<core::AuditField> fields)
{
    std::lock_guard lock(m_mutex);
    if (event == "session_start") {
        update(Metric::sessions_started, {}, 1, true);
    } else if (event == "transition") {
        auto from = text_field(fields, "from");
        auto to = text_field(fields, "to");
        bool in_session = from == "resident" || from == "assisted";
        if (to == "ending")
            update(Metric::sessions_ended, { text_field(fields, "reason") }, 1, true);
        else if (to == "out_of_order" && in_session)
            update(Metric::sessions_ended, { "out_of_order" }, 1, true);
        else if (to == "wiping")
            m_wipe_started = m_clock.now();
    } else if (event == "wipe") {
        update(Metric::wipes, { bool_field(fields, "ok").value_or(false) ? "ok" : "failed" }, 1, true);
        // From the wiping transition to this line: the whole wipe as the session saw it.
        if (m_wipe_started) {
            std::chrono::duration<double> took = m_clock.now() - *m_wipe_started;
            update(Metric::wipe_duration, {}, took.count(), false);
            m_wipe_started.reset();
        }
    } else if (event == "wipe_detail") {
        update(Metric::pages_printed, {},
            static_cast<double>(std::max<int64_t>(0, number_field(fields, "pages_printed").value_or(0))), true);
    } else if (event == "scan_start") {
        device_state_locked("scanner", "busy");
    } else if (event == "scan_end") {
        update(Metric::pages_scanned, {},
            static_cast<double>(std::max<int64_t>(0, number_field(fields, "pages").value_or(0))), true);
        auto result = text_field(fields, "result");
        if (result != "ok" && result != "cancelled")
            update(Metric::scan_errors, { result }, 1, true);
        device_state_locked("scanner", result == "cancelled" || result == "scanner_no_docs" ? "ok" : state_of(result));
    } else if (event == "print_end") {
        auto state = text_field(fields, "state");
        if (state == "completed") {
            device_state_locked("printer", "ok");
        } else {
            auto code = text_field(fields, "code");
            update(Metric::print_errors, { code.empty() ? state : code }, 1, true);
            if (!code.empty())
                device_state_locked("printer", state_of(code));
        }
    } else if (event == "print_cancelled") {
        update(Metric::print_errors, { text_field(fields, "reason") }, 1, true);
    } else if (event == "device_error") {
        device_state_locked(text_field(fields, "device"), state_of(text_field(fields, "code")));
    } else if (event == "device_state") {
        device_state_locked(text_field(fields, "device"), text_field(fields, "state"));
    } else if (event == "config_fetch") {
        auto result = text_field(fields, "result");
        auto version = text_field(fields, "version");
        update(Metric::config_fetches, { result }, 1, true);
        auto& info = m_series[static_cast<size_t>(Metric::config_info)];
        // A failed fetch still names the version in force: shown when nothing is known yet.
        if (!version.empty() && (result != "failed" || info.empty())) {
            info.clear();
            update(Metric::config_info, { version }, 1, false);
        }
        if (result == "installed" || result == "unchanged")
            update(Metric::config_last_success, {},
                std::chrono::duration<double>(m_clock.wall_now().time_since_epoch()).count(), false);
    } else if (event == "agent_called") {
        update(Metric::agent_calls, { "help", "asked" }, 1, true);
    } else if (event == "agent_webhook") {
        update(Metric::agent_calls, { text_field(fields, "kind"), text_field(fields, "result") }, 1, true);
    }
}

std::string Metrics::render() const
{
    std::string out;
    std::lock_guard lock(m_mutex);
    for (auto const& f : metric_families()) {
        std::string name = std::string(metrics_prefix) + std::string(f.name);
        out += "# HELP " + name + " " + std::string(f.help) + "\n";
        out += "# TYPE " + name + (f.type == MetricType::counter ? " counter\n" : " gauge\n");
        auto sample = [&](std::vector<std::string> const& labels, double value) {
            out += name;
            if (!labels.empty()) {
                out += '{';
                for (size_t i = 0; i < labels.size(); ++i) {
                    if (i)
                        out += ',';
                    out += std::string(f.labels[i].name) + "=\"" + escape_label(labels[i]) + "\"";
                }
                out += '}';
            }
            out += ' ';
            append_number(out, value);
            out += '\n';
        };
        if (f.id == Metric::start_time)
            sample({}, m_start_time_seconds);
        else if (f.id == Metric::uptime)
            sample({}, std::chrono::duration<double>(m_clock.now() - m_started).count());
        else
            for (auto const& [labels, value] : m_series[static_cast<size_t>(f.id)])
                sample(labels, value);
    }
    return out;
}

} // namespace kiosk::net
