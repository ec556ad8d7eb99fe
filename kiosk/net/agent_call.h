// "Appeler un agent": a JSON POST to the office's chat webhook (Mattermost, Rocket.Chat, Slack-compatible incoming
// webhooks) saying which kiosk needs an agent and why, in words the chat shows. Never anything about the person.
#pragma once

#include "kiosk/core/audit_log.h"
#include "kiosk/core/error.h"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace kiosk::net {

// Why an agent is called: a closed list, so no free text can carry what a resident typed.
enum class AgentCallKind {
    help, // the resident pressed "Appeler un agent"
    printer, // a printer fault only an agent can clear (jam, paper, toner)
    scanner, // the scanner jammed or is gone
    out_of_order, // the kiosk put itself out of order (a wipe failed)
};
std::string_view to_string(AgentCallKind kind);

struct AgentCallSettings {
    std::string webhook_url; // https:// only
    std::filesystem::path ca_file; // empty: the system's CAs
    std::string kiosk_name;
    std::string location;
    // Short: a resident is waiting in front of the screen, and the UI shows "agent called" or "ask at the desk".
    std::chrono::milliseconds connect_timeout { 3'000 };
    std::chrono::milliseconds total_timeout { 8'000 };
};

// The body posted: {"text":…,"kiosk":…,"location":…,"kind":…}.
std::string agent_call_body(AgentCallSettings const& settings, AgentCallKind kind);

// Posts the call; success only on a 2xx answer. Otherwise ErrorCode::request_failed saying why (timed out, TLS or
// certificate refused, HTTP status 500, unreachable), or ErrorCode::cancelled. Blocks for up to total_timeout: call it
// off the UI thread. When audit is given, records "agent_webhook" {kind, result} (result "ok", "timeout", "tls",
// "status", "unreachable", ...), which the metrics count.
Result<void> call_agent(AgentCallSettings const& settings, AgentCallKind kind, core::AuditLog* audit = nullptr,
    std::atomic<bool> const* cancel = nullptr);

} // namespace kiosk::net
