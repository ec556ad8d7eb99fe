// The session state machine of PRODUCT.md: attract → welcome → resident ⇄ assisted → ending → wiping → attract.
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/clock.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::core {

enum class SessionState { attract, welcome, resident, assisted, ending, wiping, out_of_order };
std::string_view to_string(SessionState state);

// Why a session ends; recorded in the audit log and shown on the ending screen.
enum class EndReason { resident, idle_timeout, max_length, agent };
std::string_view to_string(EndReason reason);

struct SessionTimings {
    std::chrono::seconds idle_warning { 180 }; // idle time before the countdown overlay
    std::chrono::seconds idle_countdown { 60 }; // length of that countdown
    std::chrono::seconds max_length { 45 * 60 };
    std::chrono::seconds welcome_timeout { 90 }; // welcome screen left alone → back to attract
    std::chrono::seconds ending_grace { 15 }; // ending screen before wiping starts by itself
};

struct Transition {
    SessionState from;
    SessionState to;
    std::string reason;
};

// Owns the current state and every timeout; knows nothing of screens or devices. The main loop calls the
// request methods on input, tick() when time passes, and drains take_transitions() to run the effects
// (create the storage on entering resident, wipe on entering wiping).
class SessionManager {
public:
    SessionManager(Clock const& clock, SessionTimings timings, AuditLog& audit);

    SessionState state() const { return m_state; }
    bool in_session() const { return m_state == SessionState::resident || m_state == SessionState::assisted; }
    SessionTimings const& timings() const { return m_timings; }

    // Requests. Each is ignored (returns false) when it makes no sense in the current state.
    bool start(); // attract → welcome
    bool accept_rules(std::string_view language); // welcome → resident: the session begins
    bool cancel_welcome(); // welcome → attract
    void activity(); // any touch or key: restarts the idle timer, dismisses the warning
    bool still_here(); // the countdown's "I'm still here"
    bool request_end(EndReason reason); // resident/assisted → ending
    bool resume(); // ending → back into the session, only after a resident's own request
    bool finish_ending(); // ending → wiping
    bool wipe_finished(bool success); // wiping → attract, or out_of_order when the wipe failed
    bool enter_assisted(std::string_view agent_ref); // resident → assisted
    bool leave_assisted(); // assisted → resident
    bool extend(std::chrono::minutes extra); // an agent adds time to the session (assisted only)
    void set_out_of_order(std::string_view reason); // from any state; a session in progress is ended first
    // "Plus de temps" (accessibility): every timeout doubled, the idle warning's and the session's length included,
    // counted from the times already passed. Chosen before or during a session; back to normal at attract.
    void set_more_time(bool on);
    bool more_time() const { return m_more_time; }
    bool clear_out_of_order(); // out_of_order → attract (a technician)

    // Applies every timeout that has expired by now.
    void tick();

    // When tick() next has something to do, so an event-driven loop can sleep until then.
    std::optional<Clock::time_point> next_deadline() const;

    bool idle_warning_active() const { return m_idle_warning; }
    // Whole seconds, rounded up, so a countdown shows 60 … 1 and never 0 while it runs.
    int idle_seconds_left() const;
    int session_seconds_left() const;
    int ending_seconds_left() const;
    // True when the ending screen may offer to go back (the resident asked to end, they are still there).
    bool can_resume() const;
    std::optional<EndReason> end_reason() const { return m_end_reason; }
    std::string const& session_id() const { return m_session_id; }
    std::string const& out_of_order_reason() const { return m_out_of_order_reason; }

    std::vector<Transition> take_transitions();

private:
    void go(SessionState to, std::string_view reason);
    static int seconds_until(Clock::time_point now, Clock::time_point deadline);

    Clock const& m_clock;
    SessionTimings m_base_timings; // the configuration's
    SessionTimings m_timings; // in force: the configuration's, or doubled
    bool m_more_time = false;
    AuditLog& m_audit;

    SessionState m_state = SessionState::attract;
    std::string m_session_id;
    Clock::time_point m_state_since {};
    Clock::time_point m_session_start {};
    Clock::time_point m_last_activity {};
    Clock::duration m_extra_time {};
    bool m_idle_warning = false;
    std::optional<EndReason> m_end_reason;
    std::string m_out_of_order_reason;
    std::vector<Transition> m_transitions;
};

} // namespace kiosk::core
