// The technician's diagnostics: devices, storage, the start-up checks, and "back in service".
#include "kiosk/ui/app.h"

#include <algorithm>

namespace kiosk::ui {

bool App::on_diagnostics_widget(std::string const& id)
{
    if (id == "back_in_service") {
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
    draw_top_bar(tr("diagnostics.title"));
    Rect area = content_area();
    if (m_screen == Screen::diagnostics && !m_session.in_session())
        c.fill({ 0, c.height() - c.px(theme::session_bar), c.width(), c.px(theme::session_bar) }, theme::background);
    struct Line {
        std::string device;
        std::string driver;
        std::string state;
        bool ok;
    };
    std::vector<Line> lines;
    auto const& scanner = m_looks.scanner_capabilities;
    lines.push_back({ tr("diagnostics.scanner"), m_devices.scanner ? m_devices.scanner->name() : "-",
        scanner ? scanner->model : std::string(to_string(scanner.error().code)), scanner.has_value() });
    auto const& printer = m_looks.printer_status;
    std::string printer_state = printer ? tr(printer->stopped ? "diagnostics.state_stopped" : "diagnostics.state_ready")
                                        : std::string(to_string(printer.error().code));
    if (printer)
        for (auto condition : printer->conditions)
            printer_state += std::string(", ") + std::string(drivers::to_string(condition));
    lines.push_back({ tr("diagnostics.printer"), m_devices.printer ? m_devices.printer->name() : "-", printer_state,
        printer && !printer->stopped });
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
    int y = area.y;
    int row_h = c.px(80);
    for (auto const& line : lines) {
        c.fill_rounded({ area.x, y, area.w, row_h - c.px(10) }, c.px(8), theme::white);
        c.text(line.device, { area.x + c.px(30), y, c.px(500), row_h - c.px(10) }, theme::text_body, theme::text,
            Align::left, true);
        c.text(
            line.driver, { area.x + c.px(560), y, c.px(300), row_h - c.px(10) }, theme::text_body, theme::text_muted);
        c.text(line.state, { area.x + c.px(880), y, area.w - c.px(910), row_h - c.px(10) }, theme::text_body,
            line.ok ? theme::green_success : theme::red_marianne, Align::left, true);
        y += row_h;
    }
    if (m_session.state() == core::SessionState::out_of_order) {
        c.text(tr("diagnostics.still_out_of_order", { tr("out_of_order.reason." + m_session.out_of_order_reason()) }),
            { area.x, y, area.w, area.y + area.h - c.px(170) - y }, theme::text_body, theme::red_marianne, Align::left,
            true, true);
        c.action("back_in_service", { area.x, area.y + area.h - c.px(160), area.w, c.px(160) }, Icon::check,
            tr("diagnostics.back_in_service"), ButtonStyle::primary);
    }
}

} // namespace kiosk::ui
