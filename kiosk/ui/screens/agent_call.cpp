// "Appeler un agent": the office's webhook is called off the UI thread, and the screen says an agent is coming only
// once the office's service answered 2xx. Otherwise, or without a webhook, it says to ask at the desk. A printer
// fault that needs hands calls an agent the same way, by itself. Nothing about the resident is sent: the kiosk's
// name and place and the kind of help (kiosk/net/agent_call.h).
#include "kiosk/ui/app.h"

namespace kiosk::ui {

bool App::start_agent_call(std::string kind)
{
    if (!m_call_agent || m_agent_call.running)
        return false;
    if (m_agent_call.thread.joinable())
        m_agent_call.thread.join();
    m_agent_call.running = true;
    m_agent_call.cancel = false;
    m_agent_call.kind = kind;
    m_agent_call.thread = std::thread([this, kind = std::move(kind), call = m_call_agent] {
        auto called = call(kind, m_agent_call.cancel);
        std::string code = called ? std::string() : std::string(to_string(called.error().code));
        // Its end is the UI thread's: "running" goes with the result, so a tap in between is never lost.
        post([this, kind, code] {
            m_agent_call.running = false;
            // The call itself audits its result (agent_webhook), which the fleet's metrics count.
            bool reached = code.empty();
            if (kind == "help") {
                m_agent_call.state = reached ? AgentCall::State::reached : AgentCall::State::failed;
                if (reached) {
                    m_agent_call.reached_at = m_clock.now();
                    sound(speech::Tone::done);
                } else {
                    sound(speech::Tone::error);
                    // Closed meanwhile, the panel comes back: nobody should wait for an agent who is not coming.
                    if (m_overlay == Overlay::none && m_session.in_session())
                        m_overlay = Overlay::agent_called;
                }
            } else if (m_agent_call.help_waiting) {
                // The resident asked while the printer's call was out: theirs goes now.
                m_agent_call.help_waiting = false;
                if (!start_agent_call("help"))
                    m_agent_call.state = AgentCall::State::failed;
            }
        });
    });
    return true;
}

void App::call_agent_for_help()
{
    if (!m_call_agent) {
        m_agent_call.state = AgentCall::State::none;
        return;
    }
    // Asked again while the first call is on its way, or soon after an agent was told: no second message.
    if (m_agent_call.state == AgentCall::State::calling && m_agent_call.running)
        return;
    if (m_agent_call.state == AgentCall::State::reached && m_agent_call.reached_at
        && m_clock.now() - *m_agent_call.reached_at < help_on_its_way)
        return;
    m_agent_call.state = AgentCall::State::calling;
    // A printer's call in flight: this one goes when it ends (never waited for on the UI thread).
    if (m_agent_call.running) {
        m_agent_call.help_waiting = true;
        return;
    }
    if (!start_agent_call("help"))
        m_agent_call.state = AgentCall::State::failed;
}

void App::call_agent_for_printer(drivers::PrinterStatus const& status)
{
    // A technician at the diagnostics is the hands already.
    if (!m_call_agent || m_screen == Screen::diagnostics)
        return;
    for (auto condition : status.conditions) {
        if (condition != drivers::PrinterCondition::paper_out && condition != drivers::PrinterCondition::jam
            && condition != drivers::PrinterCondition::door_open)
            continue;
        auto last = m_printer_calls.find(condition);
        if (last != m_printer_calls.end() && m_clock.now() - last->second < printer_call_again)
            continue;
        // The resident's own call goes first; the printer's is made at the next look.
        if (!start_agent_call("printer"))
            return;
        m_printer_calls[condition] = m_clock.now();
        m_audit.record("printer_needs_agent", { { "condition", drivers::to_string(condition) } });
        return;
    }
}

void App::report_printer(Result<drivers::PrinterStatus> const& status)
{
    if (!m_metrics)
        return;
    std::string_view state = "ok";
    if (!status) {
        state = "offline";
    } else {
        for (auto condition : status->conditions)
            if (condition == drivers::PrinterCondition::jam)
                state = "jammed";
            else if (condition == drivers::PrinterCondition::paper_out && state != "jammed")
                state = "paper_out";
            else if (condition == drivers::PrinterCondition::door_open && state == "ok")
                state = "door_open";
            else if (condition == drivers::PrinterCondition::offline && state == "ok")
                state = "offline";
        if (state == "ok" && status->stopped)
            state = "error";
        std::vector<net::SupplyLevel> supplies;
        for (auto const& supply : status->supplies)
            supplies.push_back({ supply.name, supply.color, supply.level, supply.consumed });
        m_metrics->set_supplies(supplies);
    }
    m_metrics->set_device_state("printer", state);
}

void App::report_scanner(Result<drivers::ScannerCapabilities> const& capabilities)
{
    if (!m_metrics)
        return;
    m_metrics->set_device_state("scanner",
        capabilities                                               ? "ok"
            : capabilities.error().code == ErrorCode::scanner_gone ? "gone"
                                                                   : "error");
}

void App::draw_agent_called(Rect title, Rect body, Rect button)
{
    auto& c = *m_canvas;
    std::string heading;
    std::string text;
    switch (m_agent_call.state) {
    case AgentCall::State::calling:
        heading = tr("agent_called.calling_title");
        text = tr("agent_called.calling_text");
        break;
    case AgentCall::State::reached:
        heading = tr("agent_called.reached_title");
        text = tr("agent_called.reached_text");
        break;
    case AgentCall::State::failed:
        heading = tr("agent_called.title");
        text = tr("agent_called.failed_text");
        break;
    case AgentCall::State::none:
        heading = tr("agent_called.title");
        text = tr("agent_called.text");
        break;
    }
    c.text(heading, title, theme::text_title,
        m_agent_call.state == AgentCall::State::reached ? theme::green_success : theme::blue_france, Align::center,
        true);
    c.text(text, body, theme::text_body, theme::text, Align::center, false, true);
    announce(heading);
    announce(text);
    c.button("close_overlay", button, tr("common.ok"), ButtonStyle::primary);
}

} // namespace kiosk::ui
