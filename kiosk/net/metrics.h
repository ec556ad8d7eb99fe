// The kiosk's Prometheus metrics: every family declared up front, fed from the audit log's events and from the
// printer's supply levels, rendered in the text exposition format 0.0.4 for the metrics server and the Pushgateway.
// Nothing about a resident, a document or a partner site can be recorded: every label takes its value from a closed
// list (anything else becomes "other"), except the printer's marker names and the configuration's version, which
// come from the fleet's own equipment and are cut short and limited in number.
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/clock.h"

#include <initializer_list>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::net {

// Every family the kiosk exports; the table in metrics.cpp gives each its name, help, type and labels.
enum class Metric {
    sessions_started,
    sessions_ended, // reason
    pages_scanned,
    pages_printed,
    scan_errors, // kind
    print_errors, // kind
    device_state, // device, state
    supply_level, // marker, colour
    wipe_duration,
    wipes, // result
    config_info, // version
    config_last_success,
    config_fetches, // result
    agent_calls, // kind, result
    metrics_pushes, // result
    start_time,
    uptime,
};

enum class MetricType { counter, gauge };

// A label's values: a closed list, or (empty list) text from the fleet's equipment, bounded by Metrics.
struct MetricLabel {
    std::string_view name;
    std::span<const std::string_view> values;
};

struct MetricFamily {
    Metric id;
    std::string_view name; // without the prefix
    std::string_view help;
    MetricType type;
    std::span<const MetricLabel> labels;
};

inline constexpr std::string_view metrics_prefix = "france_services_kiosk_";
std::span<const MetricFamily> metric_families();

// The devices and states of Metric::device_state.
inline constexpr std::string_view device_names[] = { "scanner", "printer", "idreader", "browser" };
inline constexpr std::string_view device_states[]
    = { "unknown", "ok", "busy", "error", "jammed", "paper_out", "door_open", "offline", "gone" };

// One printer consumable as the kiosk passes it on (from drivers::Supply).
struct SupplyLevel {
    std::string name; // the printer's words: cut to max_label_bytes, control characters replaced
    std::string colour;
    int percent = -1; // -1: unknown, not exported
    // false for a tank that fills up (waste toner): exported as the room left, 100 - percent, so "low" means
    // "act now" for every marker and one alert serves them all.
    bool consumed = true;
};

class Metrics {
public:
    static constexpr size_t max_label_bytes = 64;
    static constexpr size_t max_supplies = 16;
    static constexpr size_t max_series_per_family = 256;

    explicit Metrics(core::Clock const& clock);
    Metrics(Metrics const&) = delete;
    Metrics& operator=(Metrics const&) = delete;

    // Maps one audit event to the metrics it moves (AuditLog::set_observer). Thread-safe; unknown events are ignored.
    void observe(std::string_view event, std::initializer_list<core::AuditField> fields);

    // Counters go up by `by`; gauges are set. Label values follow the family's label order. A family or label count
    // that does not match is ignored (a programming error, never worth stopping a session for).
    void add(Metric metric, std::initializer_list<std::string_view> labels = {}, double by = 1);
    void set(Metric metric, std::initializer_list<std::string_view> labels, double value);

    // One device's current state: its gauge for that state is 1, the others 0.
    void set_device_state(std::string_view device, std::string_view state);
    // The printer's consumables, replacing the previous list.
    void set_supplies(std::span<const SupplyLevel> supplies);

    // The text exposition format 0.0.4, every family with its HELP and TYPE.
    std::string render() const;

private:
    using Series = std::map<std::vector<std::string>, double>;
    void update(Metric metric, std::initializer_list<std::string_view> labels, double value, bool add);
    void device_state_locked(std::string_view device, std::string_view state);

    core::Clock const& m_clock;
    core::Clock::time_point m_started;
    double m_start_time_seconds = 0;
    mutable std::mutex m_mutex;
    std::vector<Series> m_series; // by Metric
    std::optional<core::Clock::time_point> m_wipe_started;
};

// A label value from the fleet's equipment, fit for a label: at most max_bytes (cut on a UTF-8 boundary), control
// characters as spaces, invalid UTF-8 as '?'.
std::string bounded_label(std::string_view text, size_t max_bytes = Metrics::max_label_bytes);
// Escaping of a label value in the text format: backslash, double quote and newline.
std::string escape_label(std::string_view value);

} // namespace kiosk::net
