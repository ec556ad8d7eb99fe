// The webhook's JSON, built with JsonWriter so every string is escaped, and one POST through http_send.
#include "kiosk/net/agent_call.h"

#include "kiosk/core/json.h"
#include "kiosk/net/http_send.h"

namespace kiosk::net {

std::string_view to_string(AgentCallKind kind)
{
    switch (kind) {
    case AgentCallKind::help: return "help";
    case AgentCallKind::printer: return "printer";
    case AgentCallKind::scanner: return "scanner";
    case AgentCallKind::out_of_order: return "out_of_order";
    }
    return "help";
}

namespace {

// What the agents read in the chat, in French: the office's language.
std::string_view why_in_words(AgentCallKind kind)
{
    switch (kind) {
    case AgentCallKind::help: return "une personne demande de l'aide";
    case AgentCallKind::printer: return "l'imprimante a besoin d'un agent";
    case AgentCallKind::scanner: return "le scanner a besoin d'un agent";
    case AgentCallKind::out_of_order: return "la borne s'est mise hors service";
    }
    return "une personne demande de l'aide";
}

} // namespace

std::string agent_call_body(AgentCallSettings const& settings, AgentCallKind kind)
{
    std::string text = "Borne « " + settings.kiosk_name + " »";
    if (!settings.location.empty())
        text += " (" + settings.location + ")";
    text += " : " + std::string(why_in_words(kind)) + ".";
    JsonWriter json;
    json.begin_object();
    json.key("text").value(text);
    json.key("kiosk").value(settings.kiosk_name);
    json.key("location").value(settings.location);
    json.key("kind").value(to_string(kind));
    json.end_object();
    return json.str();
}

Result<void> call_agent(
    AgentCallSettings const& settings, AgentCallKind kind, core::AuditLog* audit, std::atomic<bool> const* cancel)
{
    HttpSendRequest request;
    request.method = HttpMethod::post;
    request.url = settings.webhook_url;
    request.allow_plain_http = false;
    request.content_type = "application/json";
    request.body = agent_call_body(settings, kind);
    request.ca_file = settings.ca_file;
    request.connect_timeout = settings.connect_timeout;
    request.total_timeout = settings.total_timeout;
    request.cancel = cancel;
    HttpFailure failure = HttpFailure::none;
    auto sent = http_send(request, &failure);
    if (audit)
        audit->record("agent_webhook", { { "kind", to_string(kind) }, { "result", to_string(failure) } });
    if (!sent)
        return std::unexpected(std::move(sent).error());
    return {};
}

} // namespace kiosk::net
