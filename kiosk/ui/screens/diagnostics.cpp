// The technician's diagnostics: devices, storage, the start-up checks, the network (each partner site, FranceConnect
// and the fleet's server, stage by stage, and a captive portal), and "back in service".
#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

namespace {

std::string text_of(std::initializer_list<core::AuditField> fields, std::string_view name)
{
    for (auto const& [key, value] : fields)
        if (key == name)
            if (auto const* text = std::get_if<std::string_view>(&value))
                return std::string(*text);
    return {};
}

} // namespace

void App::audit_event(std::string_view event, std::initializer_list<core::AuditField> fields)
{
    if (event == "config_fetch") {
        post([this, result = text_of(fields, "result"), version = text_of(fields, "version"),
                 stage = text_of(fields, "stage")] {
            m_fleet_outcomes.config_result = result;
            m_fleet_outcomes.config_version = version;
            m_fleet_outcomes.config_stage = stage;
        });
    } else if (event == "agent_webhook") {
        post([this, result = text_of(fields, "result")] { m_fleet_outcomes.agent_result = result; });
    }
}

void App::start_network_test()
{
    if (m_diagnostics.running)
        return;
    if (m_diagnostics.thread.joinable())
        m_diagnostics.thread.join();
    diagnostics::NetworkRequest request;
    request.targets = diagnostics::targets_from(m_catalogue, m_config.network);
    if (m_network_test_hook)
        m_network_test_hook(request);
    m_diagnostics.checks.clear();
    m_diagnostics.tested = false;
    m_diagnostics.sites_done = 0;
    m_diagnostics.sites_total = static_cast<int>(request.targets.size());
    m_diagnostics.running = true;
    m_diagnostics.cancel = false;
    m_diagnostics.follow = "diag_network";
    m_audit.record("network_test", { { "sites", static_cast<int64_t>(request.targets.size()) } });
    uint64_t generation = ++m_diagnostics.generation;
    m_diagnostics.thread = std::thread([this, generation, request = std::move(request)]() mutable {
        request.cancel = &m_diagnostics.cancel;
        // Each site as it is known: a dozen sites behind a dead link would otherwise show nothing for a while.
        request.on_site_done = [this, generation](std::vector<diagnostics::Check> const& checks) {
            post([this, generation, checks] {
                if (generation != m_diagnostics.generation)
                    return;
                m_diagnostics.checks.insert(m_diagnostics.checks.end(), checks.begin(), checks.end());
                ++m_diagnostics.sites_done;
            });
        };
        auto checks = diagnostics::run_network_checks(request);
        bool cancelled = m_diagnostics.cancel;
        post([this, generation, checks = std::move(checks), cancelled] {
            // Every test's end is audited, a cancelled one too; only the test on screen is shown.
            int failed = static_cast<int>(std::ranges::count_if(checks, [](auto const& c) { return !c.ok; }));
            m_audit.record("network_test_end",
                { { "checks", static_cast<int64_t>(checks.size()) }, { "failed", static_cast<int64_t>(failed) },
                    { "cancelled", cancelled } });
            if (generation != m_diagnostics.generation)
                return;
            m_diagnostics.checks = checks;
            m_diagnostics.tested = !cancelled;
        });
        m_diagnostics.running = false;
    });
}

void App::start_device_test(bool print)
{
    if (m_diagnostics.device_testing || (print ? !m_devices.printer : !m_devices.scanner))
        return;
    if (m_diagnostics.device_thread.joinable())
        m_diagnostics.device_thread.join();
    m_diagnostics.device_testing = true;
    m_diagnostics.follow = print ? "diag_test_print" : "diag_test_scan";
    (print ? m_diagnostics.print_test : m_diagnostics.scan_test).reset();
    uint64_t generation = m_diagnostics.generation;
    m_diagnostics.device_thread = std::thread([this, print, generation] {
        auto check = print ? diagnostics::test_print(
                         *m_devices.printer, m_config.kiosk_name, std::chrono::seconds(60), m_diagnostics.cancel)
                           : diagnostics::test_scan(*m_devices.scanner, m_diagnostics.cancel);
        post([this, print, generation, check = std::move(check)] {
            m_diagnostics.device_testing = false;
            m_audit.record(print ? "test_print" : "test_scan", { { "ok", check.ok } });
            if (generation == m_diagnostics.generation)
                (print ? m_diagnostics.print_test : m_diagnostics.scan_test) = check;
        });
    });
}

bool App::on_diagnostics_widget(std::string const& id)
{
    if (id == "diag_network") {
        start_network_test();
    } else if (id == "diag_test_print" || id == "diag_test_scan") {
        start_device_test(id == "diag_test_print");
    } else if (id == "diagnostics_prev" || id == "diagnostics_next") {
        m_diagnostics.first
            = turned(m_diagnostics.first, m_diagnostics.per_page, m_diagnostics.row_count, id == "diagnostics_next");
        m_diagnostics.follow.clear();
    } else if (id == "back_in_service") {
        // Whatever put the kiosk out of order, the last session's traces go before anyone else may start one.
        if (m_session.state() == core::SessionState::out_of_order) {
            if (remove_leftovers("back_in_service_wipe") && check_ground())
                m_session.clear_out_of_order();
            else
                show_message("message.problem",
                    tr("diagnostics.still_out_of_order",
                        { tr("out_of_order.reason." + m_session.out_of_order_reason()) }));
        }
    } else {
        return false;
    }
    return true;
}

void App::draw_diagnostics()
{
    auto& c = *m_canvas;
    // Large text: the top bar has no room for the technician's tests, which take a row of their own.
    bool narrow = c.design_width() < 1700;
    draw_top_bar(tr("diagnostics.title"), {}, narrow ? 0 : 3 * (330 + 16));
    Rect area = content_area();
    if (m_screen == Screen::diagnostics && !m_session.in_session())
        c.fill({ 0, c.height() - c.px(theme::session_bar), c.width(), c.px(theme::session_bar) }, theme::background);
    struct Line {
        std::string device;
        std::string driver;
        std::string state;
        bool ok;
        bool known = true; // false: not looked at yet, said in grey
        std::string test = {}; // large text: the test of this device, at the end of its row
    };
    std::vector<Line> lines;
    auto const& scanner = m_looks.scanner_capabilities;
    lines.push_back({ tr("diagnostics.scanner"), m_devices.scanner ? m_devices.scanner->name() : "-",
        scanner ? scanner->model : std::string(to_string(scanner.error().code)), scanner.has_value(), true,
        "diag_test_scan" });
    // A test's outcome, in the check's own words, in place of the device's state until the technician leaves.
    if (auto const& test = m_diagnostics.scan_test)
        lines.back().state = test->detail, lines.back().ok = test->ok;
    auto const& printer = m_looks.printer_status;
    std::string printer_state = printer ? tr(printer->stopped ? "diagnostics.state_stopped" : "diagnostics.state_ready")
                                        : std::string(to_string(printer.error().code));
    if (printer)
        for (auto condition : printer->conditions)
            printer_state += std::string(", ") + std::string(drivers::to_string(condition));
    lines.push_back({ tr("diagnostics.printer"), m_devices.printer ? m_devices.printer->name() : "-", printer_state,
        printer && !printer->stopped, true, "diag_test_print" });
    if (auto const& test = m_diagnostics.print_test)
        lines.back().state = test->detail, lines.back().ok = test->ok;
    // Toner and the like, as the printer reports them: a technician brings the right cartridge on the next visit.
    std::string supplies;
    bool supplies_ok = true;
    if (printer) {
        for (auto const& supply : printer->supplies) {
            supplies += (supplies.empty() ? "" : " · ") + supply.name + " "
                + (supply.level >= 0 ? std::to_string(supply.level) + " %" : "?");
            if (supply.level >= 0 && (supply.consumed ? supply.level <= 10 : supply.level >= 90))
                supplies_ok = false;
        }
    }
    lines.push_back(
        { tr("diagnostics.supplies"), "", supplies.empty() ? tr("diagnostics.no_supplies") : supplies, supplies_ok });
    lines.push_back({ tr("diagnostics.idreader"), m_devices.idreader ? m_devices.idreader->name() : "-",
        tr("diagnostics.state_started"), m_devices.idreader != nullptr });
    lines.push_back({ tr("diagnostics.browser"), m_devices.browser ? m_devices.browser->name() : "-",
        tr(m_devices.browser && m_devices.browser->is_open() ? "diagnostics.state_open" : "diagnostics.state_closed"),
        m_devices.browser != nullptr });
    // The headphone socket, as it is now: a technician plugs a headset in to see the socket sense it. The sockets'
    // names (a card's and its control's, "PCH: Headphone Jack") go with the state, which has the room.
    std::string sockets;
    if (m_headset_jack)
        for (auto const& socket : m_headset_jack->sockets())
            sockets += (sockets.empty() ? "" : " · ") + socket;
    lines.push_back({ tr("diagnostics.headset"), "",
        m_headset_jack ? tr(m_headset_jack->plugged() ? "diagnostics.headset_plugged" : "diagnostics.headset_free")
                + " · " + sockets
            : !m_headset_error.empty()           ? tr("diagnostics.headset_error", { m_headset_error })
            : m_config.devices.headset == "none" ? tr("diagnostics.headset_off")
                                                 : tr("diagnostics.headset_none"),
        m_headset_error.empty(), m_headset_jack != nullptr || !m_headset_error.empty() });
    lines.push_back({ tr("diagnostics.audit"), "",
        m_audit.write_failures() == 0 ? tr("diagnostics.state_ok")
                                      : tr("diagnostics.write_failures", { std::to_string(m_audit.write_failures()) }),
        m_audit.write_failures() == 0 });
    // The machine itself: what the start-up checks found, and swap, where a resident's decrypted pages could land.
    std::string system;
    for (auto const& problem : m_ground_problems)
        system += (system.empty() ? "" : " · ") + tr("out_of_order.reason." + problem.reason);
    if (!m_swap.empty())
        system += (system.empty() ? "" : " · ") + tr("diagnostics.swap_on", { m_swap.front() });
    if (m_config.dev_mode)
        system += (system.empty() ? "" : " · ") + tr("diagnostics.dev_mode");
    lines.push_back({ tr("diagnostics.system"), "", system.empty() ? tr("diagnostics.state_ok") : system,
        m_ground_problems.empty() && m_swap.empty() });
    // Room for the next session's scans, in memory as it should be (a disk would keep them after the wipe).
    if (auto const& room = m_diagnostics.room) {
        if (!*room)
            lines.push_back({ tr("diagnostics.storage"), "", std::string(to_string(room->error().code)), false });
        else
            lines.push_back({ tr("diagnostics.storage"), "",
                tr("diagnostics.storage_free", { std::to_string((*room)->free_mb), std::to_string((*room)->size_mb) })
                    + ((*room)->tmpfs ? "" : " · " + tr("diagnostics.not_tmpfs")),
                (*room)->free_mb >= m_config.storage_mb && (*room)->tmpfs });
    }
    // The fleet's services, as their last attempts went: a bad bundle or a webhook answering 500 is seen here.
    if (!m_config.network.config_url.empty()) {
        auto const& fleet = m_fleet_outcomes;
        bool failed = fleet.config_result == "failed";
        lines.push_back({ tr("diagnostics.fleet_config"), "",
            fleet.config_result.empty() ? tr("diagnostics.fleet_config_none")
                : failed                ? tr("diagnostics.fleet_config_failed", { fleet.config_stage })
                                        : tr("diagnostics.fleet_config_ok", { fleet.config_version.substr(0, 12) }),
            !failed, !fleet.config_result.empty() });
    }
    if (!m_config.network.agent_webhook.empty()) {
        auto const& result = m_fleet_outcomes.agent_result;
        lines.push_back({ tr("diagnostics.agent_call"), "",
            result.empty()       ? tr("diagnostics.agent_call_none")
                : result == "ok" ? tr("diagnostics.agent_call_ok")
                                 : tr("diagnostics.agent_call_failed", { result }),
            result.empty() || result == "ok", !result.empty() });
    }
    // The network: the test runs when asked (a dozen sites, some seconds), each site shown as it is known.
    auto const& checks = m_diagnostics.checks;
    int failed = static_cast<int>(std::ranges::count_if(checks, [](auto const& check) { return !check.ok; }));
    std::string network;
    if (m_diagnostics.running)
        network = tr("diagnostics.network_running",
            { std::to_string(m_diagnostics.sites_done), std::to_string(m_diagnostics.sites_total) });
    else if (!m_diagnostics.tested && checks.empty())
        network = tr("diagnostics.network_not_run");
    else if (failed == 0)
        network = tr("diagnostics.network_ok", { std::to_string(checks.size()) });
    else
        network = tr("diagnostics.network_failed", { std::to_string(failed), std::to_string(checks.size()) });
    lines.push_back({ tr("diagnostics.network"), "", network, failed == 0,
        m_diagnostics.tested || m_diagnostics.running || !checks.empty(), "diag_network" });
    bool out_of_order = m_session.state() == core::SessionState::out_of_order;
    // The technician's tests: the network, a test page, a test preview; drawn in the top bar, or in large text at the
    // end of their device's row.
    struct Test {
        std::string_view id;
        std::string_view label;
        bool enabled;
        ButtonStyle style;
    };
    Test const tests[] = { { "diag_network", "diagnostics.test_network", !m_diagnostics.running, ButtonStyle::primary },
        { "diag_test_print", "diagnostics.test_print", m_devices.printer && !m_diagnostics.device_testing,
            ButtonStyle::secondary },
        { "diag_test_scan", "diagnostics.test_scan", m_devices.scanner && !m_diagnostics.device_testing,
            ButtonStyle::secondary } };
    auto draw_test = [&](std::string_view id, Rect rect) {
        for (auto const& test : tests)
            if (test.id == id)
                c.button(std::string(test.id), rect, tr(std::string(test.label)), test.style, test.enabled);
    };
    // The rows share what the failures' lines and "back in service" leave.
    int rows_bottom = area.y + area.h - c.px(out_of_order ? 270 : 150);
    int row_h = std::min(c.px(80), (rows_bottom - area.y) / static_cast<int>(lines.size()));
    // Where a row would be too low for its words (out of order, with the fleet's rows), they turn in pages as in
    // large text.
    bool paged = narrow || std::ranges::any_of(lines, [&](Line const& line) {
        int state_x = line.driver.empty() ? c.px(560) : c.px(880);
        return c.wrapped_height(line.state, theme::text_body, true, area.w - state_x - c.px(30)) > row_h - c.px(10);
    });
    int y = area.y;
    if (paged) {
        // A row a device, as wide as the screen; in large text its test at the row's end (the top bar has no room
        // for them). What is wrong comes first, the network's failed checks among it, and the rows turn in pages; a
        // test's row moves with its outcome, and the page follows it.
        for (auto const& check : checks)
            if (!check.ok)
                lines.push_back({ check.name, "", check.detail, false });
        std::stable_partition(lines.begin(), lines.end(), [](Line const& line) { return line.known && !line.ok; });
        int bottom = area.y + area.h - (out_of_order ? c.px(270) : 0);
        row_h = c.px(theme::min_target + 6);
        int pager_h = c.px(theme::min_target);
        int count = static_cast<int>(lines.size());
        int room = bottom - area.y;
        if (count > room / row_h)
            room -= pager_h;
        // Out of order, "back in service" leaves less: one row then, as high as there is room for.
        row_h = std::max(1, std::min(row_h, room));
        int per_page = std::max(1, room / row_h);
        m_diagnostics.per_page = per_page;
        m_diagnostics.row_count = count;
        auto followed = std::ranges::find_if(
            lines, [this](Line const& line) { return !line.test.empty() && line.test == m_diagnostics.follow; });
        if (followed != lines.end())
            m_diagnostics.first = static_cast<int>(followed - lines.begin());
        int first = first_shown(m_diagnostics.first, per_page, count);
        for (int i = first; i < std::min(count, first + per_page); ++i) {
            auto const& line = lines[static_cast<size_t>(i)];
            Rect row { area.x, area.y + (i - first) * row_h, area.w, row_h - c.px(6) };
            c.fill_rounded(row, c.px(8), theme::white);
            int device_w = row.w * 3 / 10;
            bool test = narrow && !line.test.empty();
            int test_w = test ? c.px(320) : 0;
            c.text(line.device, { row.x + c.px(16), row.y, device_w - c.px(16), row.h }, theme::text_small, theme::text,
                Align::left, true, true);
            c.text(line.driver.empty() ? line.state : line.driver + " · " + line.state,
                { row.x + device_w + c.px(8), row.y, row.w - device_w - test_w - c.px(24), row.h }, theme::text_small,
                !line.known   ? theme::text_muted
                    : line.ok ? theme::green_success
                              : theme::red_marianne,
                Align::left, true, true);
            if (test)
                draw_test(line.test, { row.x + row.w - test_w, row.y, test_w, row.h });
        }
        if (count > per_page)
            draw_pager("diagnostics", { area.x, bottom - pager_h, area.w, pager_h }, first, per_page, count);
        y = bottom;
    }
    if (!narrow) {
        // At the right of the top bar, the network's the rightmost.
        int pad = c.px(16);
        int test_w = c.px(330);
        Rect rect { c.width() - pad - test_w, pad, test_w, c.px(theme::top_bar) - 2 * pad };
        for (auto const& test : tests) {
            draw_test(test.id, rect);
            rect.x -= test_w + pad;
        }
    }
    for (auto const& line : paged ? std::vector<Line> {} : lines) {
        c.fill_rounded({ area.x, y, area.w, row_h - c.px(10) }, c.px(8), theme::white);
        c.text(line.device, { area.x + c.px(30), y, c.px(500), row_h - c.px(10) }, theme::text_body, theme::text,
            Align::left, true);
        c.text(
            line.driver, { area.x + c.px(560), y, c.px(300), row_h - c.px(10) }, theme::text_body, theme::text_muted);
        // Without a driver to name, the state takes the driver's column too.
        int state_x = line.driver.empty() ? c.px(560) : c.px(880);
        c.text(line.state, { area.x + state_x, y, area.w - state_x - c.px(30), row_h - c.px(10) }, theme::text_body,
            !line.known   ? theme::text_muted
                : line.ok ? theme::green_success
                          : theme::red_marianne,
            Align::left, true, true);
        y += row_h;
    }
    // What failed, each in the checks' own words, as far as the screen allows.
    int bottom = out_of_order ? area.y + area.h - c.px(270) : area.y + area.h;
    int line_h = c.px(46);
    for (auto const& check : paged ? std::vector<diagnostics::Check> {} : checks) {
        if (check.ok)
            continue;
        if (y + line_h > bottom)
            break;
        c.text(check.name + " : " + check.detail, { area.x + c.px(30), y, area.w - c.px(60), line_h },
            theme::text_small, theme::red_marianne);
        y += line_h;
    }
    if (out_of_order) {
        c.text(tr("diagnostics.still_out_of_order", { tr("out_of_order.reason." + m_session.out_of_order_reason()) }),
            { area.x, area.y + area.h - c.px(265), area.w, c.px(100) }, theme::text_body, theme::red_marianne,
            Align::left, true, true);
        c.action("back_in_service", { area.x, area.y + area.h - c.px(160), area.w, c.px(160) }, Icon::check,
            tr("diagnostics.back_in_service"), ButtonStyle::primary);
    }
}

} // namespace kiosk::ui
