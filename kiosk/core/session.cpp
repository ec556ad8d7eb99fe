// Session states, transitions and timeouts; every transition is written to the audit log.
#include "kiosk/core/session.h"

#include "kiosk/core/hex.h"

namespace kiosk::core {

std::string_view to_string(SessionState state)
{
    switch (state) {
    case SessionState::attract: return "attract";
    case SessionState::welcome: return "welcome";
    case SessionState::resident: return "resident";
    case SessionState::assisted: return "assisted";
    case SessionState::ending: return "ending";
    case SessionState::wiping: return "wiping";
    case SessionState::out_of_order: return "out_of_order";
    }
    return "attract";
}

std::string_view to_string(EndReason reason)
{
    switch (reason) {
    case EndReason::resident: return "resident";
    case EndReason::idle_timeout: return "idle_timeout";
    case EndReason::max_length: return "max_length";
    case EndReason::agent: return "agent";
    }
    return "resident";
}

namespace {

// A random id that ties audit lines of one session together without saying anything about the person.
std::string new_session_id()
{
    return random_hex(8).value_or(std::string(16, '0'));
}

} // namespace

SessionManager::SessionManager(Clock const& clock, SessionTimings timings, AuditLog& audit)
    : m_clock(clock)
    , m_base_timings(timings)
    , m_timings(timings)
    , m_audit(audit)
    , m_state_since(clock.now())
{
}

void SessionManager::go(SessionState to, std::string_view reason)
{
    SessionState from = m_state;
    m_state = to;
    m_state_since = m_clock.now();
    if (to == SessionState::attract || to == SessionState::out_of_order)
        set_more_time(false); // a choice of the resident's, gone with their session
    m_transitions.push_back({ from, to, std::string(reason) });
    m_audit.record("transition",
        { { "from", to_string(from) }, { "to", to_string(to) }, { "reason", reason },
            { "session", std::string_view(m_session_id) } });
}

void SessionManager::set_more_time(bool on)
{
    auto times = [on](std::chrono::seconds value) { return on ? value * 2 : value; };
    m_timings.idle_warning = times(m_base_timings.idle_warning);
    m_timings.idle_countdown = times(m_base_timings.idle_countdown);
    m_timings.max_length = times(m_base_timings.max_length);
    m_timings.welcome_timeout = times(m_base_timings.welcome_timeout);
    m_timings.ending_grace = times(m_base_timings.ending_grace);
    m_more_time = on;
}

bool SessionManager::start()
{
    if (m_state != SessionState::attract)
        return false;
    m_last_activity = m_clock.now();
    go(SessionState::welcome, "start");
    return true;
}

bool SessionManager::accept_rules(std::string_view language)
{
    if (m_state != SessionState::welcome)
        return false;
    m_session_id = new_session_id();
    m_session_start = m_clock.now();
    m_last_activity = m_session_start;
    m_extra_time = {};
    m_idle_warning = false;
    m_end_reason.reset();
    m_audit.record("session_start", { { "session", std::string_view(m_session_id) }, { "language", language } });
    go(SessionState::resident, "rules_accepted");
    return true;
}

bool SessionManager::cancel_welcome()
{
    if (m_state != SessionState::welcome)
        return false;
    go(SessionState::attract, "welcome_cancelled");
    return true;
}

void SessionManager::activity()
{
    m_last_activity = m_clock.now();
    m_idle_warning = false;
}

bool SessionManager::still_here()
{
    if (!in_session() || !m_idle_warning)
        return false;
    m_audit.record("idle_warning_dismissed", { { "session", std::string_view(m_session_id) } });
    activity();
    return true;
}

bool SessionManager::request_end(EndReason reason)
{
    if (!in_session())
        return false;
    m_end_reason = reason;
    m_idle_warning = false;
    go(SessionState::ending, to_string(reason));
    return true;
}

bool SessionManager::can_resume() const
{
    return m_state == SessionState::ending && m_end_reason == EndReason::resident;
}

bool SessionManager::resume()
{
    if (!can_resume())
        return false;
    m_end_reason.reset();
    m_last_activity = m_clock.now();
    go(SessionState::resident, "resumed");
    return true;
}

bool SessionManager::finish_ending()
{
    if (m_state != SessionState::ending)
        return false;
    go(SessionState::wiping, "wipe");
    return true;
}

bool SessionManager::wipe_finished(bool success)
{
    if (m_state != SessionState::wiping)
        return false;
    m_audit.record("wipe", { { "session", std::string_view(m_session_id) }, { "ok", success } });
    m_session_id.clear();
    m_end_reason.reset();
    if (success) {
        go(SessionState::attract, "wiped");
    } else {
        // Never hand the kiosk to the next resident while the last one's data may still be there.
        m_out_of_order_reason = "wipe_failed";
        go(SessionState::out_of_order, "wipe_failed");
    }
    return true;
}

bool SessionManager::enter_assisted(std::string_view agent_ref)
{
    if (m_state != SessionState::resident)
        return false;
    m_audit.record("agent_unlock", { { "session", std::string_view(m_session_id) }, { "agent", agent_ref } });
    activity();
    go(SessionState::assisted, "agent_unlock");
    return true;
}

bool SessionManager::leave_assisted()
{
    if (m_state != SessionState::assisted)
        return false;
    activity();
    go(SessionState::resident, "agent_left");
    return true;
}

bool SessionManager::extend(std::chrono::minutes extra)
{
    if (m_state != SessionState::assisted || extra.count() <= 0)
        return false;
    m_extra_time += std::chrono::duration_cast<Clock::duration>(extra);
    m_audit.record("session_extended",
        { { "session", std::string_view(m_session_id) }, { "minutes", static_cast<int64_t>(extra.count()) } });
    return true;
}

void SessionManager::set_out_of_order(std::string_view reason)
{
    if (m_state == SessionState::out_of_order) {
        // Still out of order, possibly for another reason now: the technician sees the latest.
        m_out_of_order_reason = std::string(reason);
        return;
    }
    m_out_of_order_reason = std::string(reason);
    m_idle_warning = false;
    go(SessionState::out_of_order, reason);
}

bool SessionManager::clear_out_of_order()
{
    if (m_state != SessionState::out_of_order)
        return false;
    m_out_of_order_reason.clear();
    go(SessionState::attract, "back_in_service");
    return true;
}

std::optional<Clock::time_point> SessionManager::next_deadline() const
{
    switch (m_state) {
    case SessionState::welcome: return m_last_activity + m_timings.welcome_timeout;
    case SessionState::resident:
    case SessionState::assisted: {
        auto session_end = m_session_start + m_timings.max_length + m_extra_time;
        auto idle_deadline = m_last_activity + m_timings.idle_warning;
        if (m_idle_warning)
            idle_deadline += m_timings.idle_countdown;
        return std::min(session_end, idle_deadline);
    }
    case SessionState::ending: return m_state_since + m_timings.ending_grace;
    case SessionState::attract:
    case SessionState::wiping:
    case SessionState::out_of_order: return std::nullopt;
    }
    return std::nullopt;
}

void SessionManager::tick()
{
    auto now = m_clock.now();
    switch (m_state) {
    case SessionState::welcome:
        if (now >= m_last_activity + m_timings.welcome_timeout)
            go(SessionState::attract, "welcome_timeout");
        break;
    case SessionState::resident:
    case SessionState::assisted:
        if (now >= m_session_start + m_timings.max_length + m_extra_time) {
            request_end(EndReason::max_length);
            break;
        }
        if (now >= m_last_activity + m_timings.idle_warning + m_timings.idle_countdown) {
            request_end(EndReason::idle_timeout);
            break;
        }
        if (!m_idle_warning && now >= m_last_activity + m_timings.idle_warning) {
            m_idle_warning = true;
            m_audit.record("idle_warning", { { "session", std::string_view(m_session_id) } });
        }
        break;
    case SessionState::ending:
        if (now >= m_state_since + m_timings.ending_grace)
            finish_ending();
        break;
    case SessionState::attract:
    case SessionState::wiping:
    case SessionState::out_of_order: break;
    }
}

int SessionManager::seconds_until(Clock::time_point now, Clock::time_point deadline)
{
    if (deadline <= now)
        return 0;
    auto millis = (deadline - now).count();
    return static_cast<int>((millis + 999) / 1000);
}

int SessionManager::idle_seconds_left() const
{
    if (!m_idle_warning)
        return static_cast<int>(m_timings.idle_countdown.count());
    return seconds_until(m_clock.now(), m_last_activity + m_timings.idle_warning + m_timings.idle_countdown);
}

int SessionManager::session_seconds_left() const
{
    if (!in_session())
        return 0;
    return seconds_until(m_clock.now(), m_session_start + m_timings.max_length + m_extra_time);
}

int SessionManager::ending_seconds_left() const
{
    if (m_state != SessionState::ending)
        return 0;
    return seconds_until(m_clock.now(), m_state_since + m_timings.ending_grace);
}

std::vector<Transition> SessionManager::take_transitions()
{
    return std::exchange(m_transitions, {});
}

} // namespace kiosk::core
