// The libcups printer backend: destinations, submission, job and printer state over IPP, purge and its check.
#include "drivers/printer/cups/cups_printer.h"

#include <cups/cups.h>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <map>
#include <thread>

namespace kiosk::drivers {

namespace {

struct IppDelete {
    void operator()(ipp_t* ipp) const { ippDelete(ipp); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDelete>;

// The destination list owns C arrays that libcups frees itself.
struct Dests {
    int count = 0;
    cups_dest_t* list = nullptr;
    Dests() = default;
    Dests(Dests const&) = delete;
    Dests& operator=(Dests const&) = delete;
    ~Dests() { cupsFreeDests(count, list); }
};

struct DestFree {
    void operator()(cups_dest_t* dest) const { cupsFreeDests(1, dest); }
};
using DestPtr = std::unique_ptr<cups_dest_t, DestFree>;

// The name of the user the process runs as (cupsUser() would answer what the last printer of this thread set).
std::string process_user()
{
    char buffer[1024];
    passwd entry {};
    passwd* found = nullptr;
    if (::getpwuid_r(::geteuid(), &entry, buffer, sizeof buffer, &found) == 0 && found && found->pw_name)
        return found->pw_name;
    return "kiosk-" + std::to_string(::geteuid());
}

// cupsd answers a local client at once; a server that stops answering must not freeze the kiosk, so every
// wait on the connection gives up after the configured timeout instead of retrying for ever.
int give_up(http_t*, void*)
{
    return 0;
}

std::string last_error()
{
    char const* text = cupsLastErrorString();
    return text && *text ? text : ippErrorString(cupsLastError());
}

bool is_failure(ipp_status_t status)
{
    return status > IPP_STATUS_OK_EVENTS_COMPLETE;
}

// Turns a failed IPP exchange into the error a person can act on. A missing response or a transport
// error means the server is gone; an IPP error status is the server's refusal.
Error ipp_error(ipp_status_t status, std::string const& what)
{
    std::string detail = "cups: " + what + ": " + last_error();
    switch (status) {
    case IPP_STATUS_ERROR_NOT_FOUND: return Error { ErrorCode::not_found, detail };
    case IPP_STATUS_ERROR_SERVICE_UNAVAILABLE:
    case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
    case IPP_STATUS_ERROR_DEVICE:
    case IPP_STATUS_ERROR_TIMEOUT: return Error { ErrorCode::printer_offline, detail };
    default:
        // libcups reports a lost connection as an internal error with no IPP status from the server.
        if (status == IPP_STATUS_ERROR_INTERNAL)
            return Error { ErrorCode::printer_offline, detail };
        return Error { ErrorCode::printer_job_failed, detail };
    }
}

std::string printer_uri(std::string const& queue)
{
    return "ipp://localhost/printers/" + queue;
}

std::string job_uri(int id)
{
    return "ipp://localhost/jobs/" + std::to_string(id);
}

IppPtr new_request(ipp_op_t operation)
{
    IppPtr request(ippNewRequest(operation));
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    return request;
}

// Sends the request and returns the response when the server accepted it.
Result<IppPtr> exchange(http_t* http, IppPtr request, std::string const& what)
{
    IppPtr response(cupsDoRequest(http, request.release(), "/"));
    if (!response)
        return std::unexpected(
            ipp_error(cupsLastError() == IPP_STATUS_OK ? IPP_STATUS_ERROR_INTERNAL : cupsLastError(), what));
    ipp_status_t status = ippGetStatusCode(response.get());
    if (is_failure(status))
        return std::unexpected(ipp_error(status, what));
    return response;
}

std::vector<std::string> strings_of(ipp_t* ipp, char const* name)
{
    std::vector<std::string> result;
    if (ipp_attribute_t* attribute = ippFindAttribute(ipp, name, IPP_TAG_ZERO)) {
        for (int i = 0; i < ippGetCount(attribute); i++)
            if (char const* text = ippGetString(attribute, i, nullptr))
                result.emplace_back(text);
    }
    return result;
}

int integer_of(ipp_t* ipp, char const* name, int fallback)
{
    ipp_attribute_t* attribute = ippFindAttribute(ipp, name, IPP_TAG_ZERO);
    return attribute ? ippGetInteger(attribute, 0) : fallback;
}

bool boolean_of(ipp_t* ipp, char const* name, bool fallback)
{
    ipp_attribute_t* attribute = ippFindAttribute(ipp, name, IPP_TAG_BOOLEAN);
    return attribute ? ippGetBoolean(attribute, 0) != 0 : fallback;
}

struct QueueState {
    PrinterStatus status;
    std::vector<std::string> reasons;
    std::string device_uri; // where cupsd sends the jobs, when it tells
};

// The printer's own printer-supply (PWG 5100.13), asked at its URI when the queue does not pass marker-levels on.
// A printer that does not answer in time has no supply levels; that is not an error of the queue.
std::vector<Supply> printer_supplies(std::string const& device_uri, int timeout_ms)
{
    char scheme[32], user[256], host[256], resource[1024];
    int port = 0;
    if (httpSeparateURI(HTTP_URI_CODING_ALL, device_uri.c_str(), scheme, sizeof scheme, user, sizeof user, host,
            sizeof host, &port, resource, sizeof resource)
        < HTTP_URI_STATUS_OK)
        return {};
    std::string_view kind = scheme;
    if (kind != "ipp" && kind != "ipps")
        return {};
    http_t* http = httpConnect2(host, port, nullptr, AF_UNSPEC,
        kind == "ipps" ? HTTP_ENCRYPTION_ALWAYS : HTTP_ENCRYPTION_IF_REQUESTED, 1, timeout_ms, nullptr);
    if (!http)
        return {};
    std::unique_ptr<http_t, void (*)(http_t*)> connection(http, [](http_t* h) { httpClose(h); });
    httpSetTimeout(http, timeout_ms / 1000.0, give_up, nullptr);
    auto request = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, device_uri.c_str());
    static char const* const wanted[] = { "printer-supply", "printer-supply-description" };
    ippAddStrings(
        request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", std::size(wanted), nullptr, wanted);
    IppPtr response(cupsDoRequest(http, request.release(), resource));
    if (!response || is_failure(ippGetStatusCode(response.get())))
        return {};
    std::vector<std::string> entries;
    if (ipp_attribute_t* attribute = ippFindAttribute(response.get(), "printer-supply", IPP_TAG_ZERO)) {
        for (int i = 0; i < ippGetCount(attribute); i++) {
            int length = 0;
            auto const* data = static_cast<char const*>(ippGetOctetString(attribute, i, &length));
            entries.emplace_back(data ? std::string(data, static_cast<size_t>(length)) : std::string());
        }
    }
    return supplies_from_printer_supply(entries, strings_of(response.get(), "printer-supply-description"));
}

Result<QueueState> queue_state(http_t* http, std::string const& queue)
{
    auto request = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, printer_uri(queue).c_str());
    static char const* const wanted[]
        = { "printer-state", "printer-state-reasons", "printer-is-accepting-jobs", "color-supported", "sides-supported",
              "device-uri", "marker-names", "marker-colors", "marker-levels", "marker-types" };
    ippAddStrings(
        request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", std::size(wanted), nullptr, wanted);
    auto response = exchange(http, std::move(request), "printer attributes of '" + queue + "'");
    if (!response) {
        if (response.error().code == ErrorCode::not_found)
            return make_error(ErrorCode::not_found, "cups: no queue '" + queue + "' on the print server");
        return std::unexpected(response.error());
    }
    QueueState state;
    ipp_t* ipp = response->get();
    state.status.name = queue;
    state.status.stopped = integer_of(ipp, "printer-state", IPP_PSTATE_IDLE) == IPP_PSTATE_STOPPED;
    state.status.accepting = boolean_of(ipp, "printer-is-accepting-jobs", true);
    state.status.color = boolean_of(ipp, "color-supported", false);
    auto sides = strings_of(ipp, "sides-supported");
    state.status.duplex = std::ranges::find(sides, "two-sided-long-edge") != sides.end();
    state.reasons = strings_of(ipp, "printer-state-reasons");
    std::erase(state.reasons, "none");
    state.status.conditions = conditions_from_reasons(state.reasons);
    std::vector<int> levels;
    if (ipp_attribute_t* attribute = ippFindAttribute(ipp, "marker-levels", IPP_TAG_INTEGER))
        for (int i = 0; i < ippGetCount(attribute); i++)
            levels.push_back(ippGetInteger(attribute, i));
    state.status.supplies = supplies_from_markers(
        strings_of(ipp, "marker-names"), strings_of(ipp, "marker-colors"), levels, strings_of(ipp, "marker-types"));
    if (auto uri = strings_of(ipp, "device-uri"); !uri.empty())
        state.device_uri = uri.front();
    return state;
}

JobState job_state_of(int ipp_state)
{
    switch (ipp_state) {
    case IPP_JSTATE_PENDING:
    case IPP_JSTATE_HELD: return JobState::pending;
    case IPP_JSTATE_PROCESSING:
    case IPP_JSTATE_STOPPED: return JobState::processing;
    case IPP_JSTATE_CANCELED: return JobState::canceled;
    case IPP_JSTATE_ABORTED: return JobState::aborted;
    case IPP_JSTATE_COMPLETED: return JobState::completed;
    default: return JobState::pending;
    }
}

Result<void> cancel_job(http_t* http, int id, bool purge)
{
    auto request = new_request(IPP_OP_CANCEL_JOB);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, job_uri(id).c_str());
    if (purge)
        ippAddBoolean(request.get(), IPP_TAG_OPERATION, "purge-job", 1);
    auto response = exchange(http, std::move(request), "cancel job " + std::to_string(id));
    if (!response) {
        // Cancelling a job that already ended is not possible, and is not a failure: it is not printing.
        if (response.error().code == ErrorCode::printer_job_failed && cupsLastError() == IPP_STATUS_ERROR_NOT_POSSIBLE)
            return {};
        return std::unexpected(response.error());
    }
    return {};
}

// What a job request needs to know of the queue. Asking for these few attributes also tells whether the queue
// exists, and costs far less than the whole attribute set cupsCopyDestInfo fetches.
struct Capabilities {
    bool color = false;
    bool duplex = false;
    bool a4 = false;
};

Result<Capabilities> queue_capabilities(http_t* http, std::string const& queue)
{
    auto request = new_request(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, printer_uri(queue).c_str());
    static char const* const wanted[] = { "print-color-mode-supported", "sides-supported", "media-supported" };
    ippAddStrings(
        request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", std::size(wanted), nullptr, wanted);
    auto response = exchange(http, std::move(request), "capabilities of '" + queue + "'");
    if (!response) {
        if (response.error().code == ErrorCode::not_found)
            return make_error(ErrorCode::not_found, "cups: no queue '" + queue + "' on the print server");
        return std::unexpected(response.error());
    }
    auto has = [&](char const* attribute, std::string_view value) {
        auto values = strings_of(response->get(), attribute);
        return std::ranges::find(values, value) != values.end();
    };
    return Capabilities { has("print-color-mode-supported", "color"), has("sides-supported", "two-sided-long-edge"),
        has("media-supported", "iso_a4_210x297mm") };
}

// The ids of every job, in any state, that the server holds for this process's user: the kiosk's own jobs
// (the kiosk runs as a user of its own, and every request names it as requesting-user-name).
Result<std::vector<int>> own_job_ids(http_t* http)
{
    auto request = new_request(IPP_OP_GET_JOBS);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, "ipp://localhost/");
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
    ippAddBoolean(request.get(), IPP_TAG_OPERATION, "my-jobs", 1);
    static char const* const wanted[] = { "job-id", "job-originating-user-name" };
    ippAddStrings(
        request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", std::size(wanted), nullptr, wanted);
    auto response = TRY(exchange(http, std::move(request), "list this kiosk's jobs"));
    // Jobs come one group each; a job of another user is never ours, whatever the server's my-jobs did.
    std::vector<int> ids;
    int id = 0;
    std::string user;
    auto flush = [&] {
        if (id > 0 && user == cupsUser())
            ids.push_back(id);
        id = 0;
        user.clear();
    };
    for (ipp_attribute_t* attribute = ippFirstAttribute(response.get()); attribute;
         attribute = ippNextAttribute(response.get())) {
        char const* name = ippGetName(attribute);
        if (!name) {
            flush(); // a separator between two jobs
            continue;
        }
        if (ippGetGroupTag(attribute) != IPP_TAG_JOB)
            continue;
        if (std::string_view(name) == "job-id")
            id = ippGetInteger(attribute, 0);
        else if (std::string_view(name) == "job-originating-user-name")
            user = ippGetString(attribute, 0, nullptr) ? ippGetString(attribute, 0, nullptr) : "";
    }
    flush();
    return ids;
}

// Cancels what is still queued or printing, then removes every trace: purge-job drops the job's history and its
// spool files even when the job already ended. Then checks the server knows none of them in any state.
Result<void> purge_jobs(http_t* http, std::vector<int> const& ids, int timeout_ms)
{
    auto cancel_and_purge = [&](int id) -> Result<void> {
        auto cancelled = cancel_job(http, id, false);
        if (!cancelled && cancelled.error().code != ErrorCode::not_found)
            return cancelled;
        auto purged = cancel_job(http, id, true);
        if (!purged && purged.error().code != ErrorCode::not_found)
            return purged;
        return {};
    };
    for (int id : ids)
        TRY(cancel_and_purge(id));

    // A job that was printing goes only once its filters and backend have stopped, so survivors are purged again
    // for a few seconds.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (true) {
        auto request = new_request(IPP_OP_GET_JOBS);
        ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, "ipp://localhost/");
        ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "which-jobs", nullptr, "all");
        ippAddBoolean(request.get(), IPP_TAG_OPERATION, "my-jobs", 0);
        ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr, "job-id");
        auto response = TRY(exchange(http, std::move(request), "list jobs"));
        std::vector<int> survivors;
        for (ipp_attribute_t* attribute = ippFindAttribute(response.get(), "job-id", IPP_TAG_INTEGER); attribute;
             attribute = ippFindNextAttribute(response.get(), "job-id", IPP_TAG_INTEGER)) {
            int id = ippGetInteger(attribute, 0);
            if (std::ranges::find(ids, id) != ids.end())
                survivors.push_back(id);
        }
        if (survivors.empty())
            return {};
        if (std::chrono::steady_clock::now() > deadline)
            return make_error(ErrorCode::printer_job_failed,
                "cups: job " + std::to_string(survivors.front()) + " survived the purge");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        for (int id : survivors)
            TRY(cancel_and_purge(id));
    }
}

} // namespace

std::vector<PrinterCondition> conditions_from_reasons(std::vector<std::string> const& reasons)
{
    std::vector<PrinterCondition> result;
    auto add = [&](PrinterCondition condition) {
        if (std::ranges::find(result, condition) == result.end())
            result.push_back(condition);
    };
    for (std::string reason : reasons) {
        for (std::string_view suffix : { "-error", "-warning", "-report" }) {
            if (reason.ends_with(suffix)) {
                reason.resize(reason.size() - suffix.size());
                break;
            }
        }
        if (reason.starts_with("media-empty") || reason == "media-needed")
            add(PrinterCondition::paper_out);
        else if (reason.starts_with("media-jam"))
            add(PrinterCondition::jam);
        else if (reason == "door-open" || reason == "cover-open" || reason == "interlock-open")
            add(PrinterCondition::door_open);
        else if (reason == "toner-low" || reason == "toner-empty" || reason == "marker-supply-low"
            || reason == "marker-supply-empty")
            add(PrinterCondition::toner_low);
        else if (reason == "offline" || reason == "shutdown" || reason == "connecting-to-device")
            add(PrinterCondition::offline);
    }
    return result;
}

std::vector<Supply> supplies_from_markers(std::vector<std::string> const& names, std::vector<std::string> const& colors,
    std::vector<int> const& levels, std::vector<std::string> const& types)
{
    std::vector<Supply> result;
    for (size_t i = 0; i < names.size(); i++) {
        Supply supply;
        supply.name = names[i];
        // CUPS gives colours as "#RRGGBB" (or several joined by '#'); only plain black is worth a word.
        if (i < colors.size() && (colors[i] == "#000000" || colors[i] == "black"))
            supply.color = "black";
        else if (i < colors.size() && !colors[i].empty() && !colors[i].starts_with("#"))
            supply.color = colors[i];
        // -1 unavailable, -2 unknown, -3 "some left": none of them is a percentage.
        supply.level = i < levels.size() && levels[i] >= 0 ? std::min(levels[i], 100) : -1;
        std::string_view type = i < types.size() ? std::string_view(types[i]) : std::string_view();
        supply.consumed = !type.starts_with("waste");
        result.push_back(std::move(supply));
    }
    return result;
}

std::vector<Supply> supplies_from_printer_supply(
    std::vector<std::string> const& entries, std::vector<std::string> const& descriptions)
{
    std::vector<Supply> result;
    for (size_t i = 0; i < entries.size(); i++) {
        // "index=1;class=supplyThatIsConsumed;type=toner;unit=percent;maxcapacity=100;level=75;colorantname=black;"
        std::map<std::string, std::string, std::less<>> fields;
        std::string_view rest = entries[i];
        while (!rest.empty()) {
            auto end = rest.find(';');
            std::string_view field = rest.substr(0, end);
            if (auto equals = field.find('='); equals != std::string_view::npos)
                fields.emplace(std::string(field.substr(0, equals)), std::string(field.substr(equals + 1)));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
        auto number = [&](std::string_view key) {
            auto found = fields.find(key);
            int value = -1;
            if (found != fields.end())
                std::from_chars(found->second.data(), found->second.data() + found->second.size(), value);
            return value;
        };
        Supply supply;
        supply.name = i < descriptions.size() ? descriptions[i] : (fields.contains("type") ? fields["type"] : "supply");
        if (auto colour = fields.find("colorantname");
            colour != fields.end() && colour->second != "unknown" && colour->second != "no-color")
            supply.color = colour->second;
        supply.consumed = fields["class"] != "receptacleThatIsFilled";
        int level = number("level"), capacity = number("maxcapacity");
        if (level >= 0 && fields["unit"] == "percent")
            supply.level = std::min(level, 100);
        else if (level >= 0 && capacity > 0)
            supply.level = static_cast<int>(std::min<int64_t>(int64_t { level } * 100 / capacity, 100));
        result.push_back(std::move(supply));
    }
    return result;
}

Result<std::unique_ptr<CupsPrinter>> CupsPrinter::configure(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "queue", "server", "timeout", "user" }));
    std::unique_ptr<CupsPrinter> printer(new CupsPrinter());
    printer->m_queue = spec.get("queue");
    if (printer->m_queue && printer->m_queue->empty())
        return make_error(ErrorCode::usage, "cups printer: queue= needs a queue name");
    // The name the jobs go under, and the one purge_own_jobs looks for: the kiosk's, whoever runs the command (kiosk
    // wipe as root finds the kiosk user's jobs when the configuration names it).
    printer->m_user = spec.get("user").value_or(process_user());
    if (printer->m_user.empty() || printer->m_user.size() > 32
        || printer->m_user.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            != std::string::npos)
        return make_error(
            ErrorCode::usage, "cups printer: user= wants a user name of letters, digits, '.', '-' and '_'");
    printer->m_timeout_ms = TRY(spec.get_int("timeout", 5, 1, 60)) * 1000;
    if (auto server = spec.get("server")) {
        auto colon = server->rfind(':');
        if (server->starts_with("/") || colon == std::string::npos) {
            printer->m_host = *server;
            printer->m_port = 631;
        } else {
            printer->m_host = server->substr(0, colon);
            auto port = DriverSpec { "", { { "port", server->substr(colon + 1) } } }.get_int("port", 631, 1, 65535);
            if (!port)
                return make_error(
                    ErrorCode::usage, "cups printer: server= wants HOST:PORT or a socket path, not '" + *server + "'");
            printer->m_port = *port;
        }
        if (printer->m_host.empty())
            return make_error(ErrorCode::usage, "cups printer: server= needs a host or a socket path");
    } else {
        // cupsServer() reads CUPS_SERVER and client.conf, and moves a ":port" suffix to ippPort().
        printer->m_host = cupsServer();
        printer->m_port = ippPort();
    }
    return printer;
}

Result<std::unique_ptr<Printer>> CupsPrinter::create(DriverSpec const& spec)
{
    auto printer = TRY(configure(spec));

    // Checks the queue now when the server answers, so a misspelt queue fails at start-up; a server that is
    // down is not an error yet (it may be restarting), status() says offline until it answers.
    if (auto http = printer->connect()) {
        auto queue = printer->resolve_queue(http->get());
        if (!queue && queue.error().code == ErrorCode::not_found)
            return std::unexpected(queue.error());
        if (queue) {
            auto state = queue_state(http->get(), *queue);
            if (!state && state.error().code == ErrorCode::not_found)
                return std::unexpected(state.error());
        }
    }
    return std::unique_ptr<Printer>(std::move(printer));
}

Result<std::unique_ptr<http_t, void (*)(http_t*)>> CupsPrinter::connect() const
{
    // Every operation starts here, on the thread that runs it: libcups keeps the requesting user per thread, and
    // every request and the purge's filter read it from there.
    cupsSetUser(m_user.c_str());
    http_t* http = httpConnect2(
        m_host.c_str(), m_port, nullptr, AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, m_timeout_ms, nullptr);
    std::string where = m_host.starts_with("/") ? m_host : m_host + ":" + std::to_string(m_port);
    if (!http)
        return make_error(ErrorCode::printer_offline,
            "cups: cannot reach the print server at " + where + ": " + std::strerror(errno));
    httpSetTimeout(http, m_timeout_ms / 1000.0, give_up, nullptr);
    return std::unique_ptr<http_t, void (*)(http_t*)>(http, [](http_t* h) { httpClose(h); });
}

Result<std::string> CupsPrinter::resolve_queue(http_t* http) const
{
    if (m_queue)
        return *m_queue;
    // cupsGetNamedDest asks the server (CUPS-Get-Default) in one request; cupsGetDests2 would also browse
    // DNS-SD for network printers, which costs a quarter of a second on every call.
    DestPtr dest(cupsGetNamedDest(http, nullptr, nullptr));
    if (!dest) {
        if (is_failure(cupsLastError()) && cupsLastError() != IPP_STATUS_ERROR_NOT_FOUND)
            return std::unexpected(ipp_error(cupsLastError(), "default destination"));
        return make_error(ErrorCode::not_found, "cups: the print server has no default destination (give queue=NAME)");
    }
    return std::string(dest->name);
}

std::string CupsPrinter::name() const
{
    return m_queue ? "CUPS queue " + *m_queue : std::string("CUPS default destination");
}

Result<PrinterStatus> CupsPrinter::status()
{
    auto http = TRY(connect());
    auto queue = TRY(resolve_queue(http.get()));
    auto state = TRY(queue_state(http.get(), queue));
    if (state.status.supplies.empty() && !state.device_uri.empty()) {
        // Asking the printer itself is a network round trip the caller waits for (a print screen polls twice a
        // second), and a printer that is off makes it wait the whole timeout: its answer, or its silence, is
        // kept for a minute. Toner levels do not move faster than that.
        auto now = std::chrono::steady_clock::now();
        if (state.device_uri != m_supplies_uri || now - m_supplies_read >= std::chrono::minutes(1)) {
            m_supplies = printer_supplies(state.device_uri, std::min(m_timeout_ms, 1000));
            m_supplies_uri = state.device_uri;
            m_supplies_read = now;
        }
        state.status.supplies = m_supplies;
    }
    return state.status;
}

Result<std::vector<std::string>> CupsPrinter::state_reasons()
{
    auto http = TRY(connect());
    auto queue = TRY(resolve_queue(http.get()));
    auto state = TRY(queue_state(http.get(), queue));
    return state.reasons;
}

Result<std::vector<CupsPrinter::Destination>> CupsPrinter::destinations(DriverSpec const& spec)
{
    auto printer = TRY(configure(spec));
    auto http = TRY(printer->connect());
    Dests dests;
    dests.count = cupsGetDests2(http.get(), &dests.list);
    if (dests.count == 0 && is_failure(cupsLastError()))
        return std::unexpected(ipp_error(cupsLastError(), "list destinations"));
    std::vector<Destination> result;
    for (int i = 0; i < dests.count; i++) {
        cups_dest_t const& dest = dests.list[i];
        if (dest.instance)
            continue;
        auto state = TRY(queue_state(http.get(), dest.name));
        if (state.status.supplies.empty() && !state.device_uri.empty())
            state.status.supplies = printer_supplies(state.device_uri, std::min(printer->m_timeout_ms, 1000));
        result.push_back(Destination { dest.name, dest.is_default != 0, state.status, state.reasons });
    }
    return result;
}

Result<int> CupsPrinter::submit(PrintRequest const& request)
{
    if (request.mime_type != "application/pdf" && request.mime_type != "image/jpeg")
        return make_error(ErrorCode::printer_job_failed, "cups: unsupported format " + request.mime_type);
    if (request.copies < 1 || request.pages < 1 || request.document.empty())
        return make_error(ErrorCode::usage, "cups: nothing to print");

    auto http = TRY(connect());
    auto queue = TRY(resolve_queue(http.get()));
    // Two requests, as few as lp needs: what the queue supports (which also says whether it exists), then
    // Print-Job with the document. cupsd creates the job only once it has the whole request, so an upload
    // cut short leaves nothing queued.
    auto capabilities = TRY(queue_capabilities(http.get(), queue));

    auto print = new_request(IPP_OP_PRINT_JOB);
    ipp_t* ipp = print.get();
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, printer_uri(queue).c_str());
    // Neutral names only: the title is reduced to [A-Za-z0-9._-], and the document is always "kiosk-document".
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, job_name_for(request.title).c_str());
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_NAME, "document-name", nullptr, "kiosk-document");
    ippAddString(ipp, IPP_TAG_OPERATION, IPP_TAG_MIMETYPE, "document-format", nullptr, request.mime_type.c_str());
    ippAddInteger(ipp, IPP_TAG_JOB, IPP_TAG_INTEGER, "copies", request.copies);
    if (request.gray)
        ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "print-color-mode", nullptr, "monochrome");
    else if (capabilities.color)
        ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "print-color-mode", nullptr, "color");
    ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "sides", nullptr,
        request.duplex && capabilities.duplex ? "two-sided-long-edge" : "one-sided");
    if (capabilities.a4)
        ippAddString(ipp, IPP_TAG_JOB, IPP_TAG_KEYWORD, "media", nullptr, "iso_a4_210x297mm");

    std::string resource = "/printers/" + queue;
    std::string what = "print on '" + queue + "'";
    // Chunked, as libcups's own cupsStartDocument sends: with a fixed length cupsd's answer could not be read.
    http_status_t sent = cupsSendRequest(http.get(), ipp, resource.c_str(), CUPS_LENGTH_VARIABLE);
    constexpr size_t chunk = 64 * 1024;
    for (size_t offset = 0; sent == HTTP_STATUS_CONTINUE && offset < request.document.size(); offset += chunk) {
        size_t length = std::min(chunk, request.document.size() - offset);
        sent
            = cupsWriteRequestData(http.get(), reinterpret_cast<char const*>(request.document.data() + offset), length);
    }
    if (sent != HTTP_STATUS_CONTINUE)
        return std::unexpected(
            ipp_error(cupsLastError() == IPP_STATUS_OK ? IPP_STATUS_ERROR_INTERNAL : cupsLastError(), what));
    IppPtr response(cupsGetResponse(http.get(), resource.c_str()));
    if (!response)
        return std::unexpected(
            ipp_error(cupsLastError() == IPP_STATUS_OK ? IPP_STATUS_ERROR_INTERNAL : cupsLastError(), what));
    if (ipp_status_t status = ippGetStatusCode(response.get()); is_failure(status))
        return std::unexpected(ipp_error(status, what));
    int id = integer_of(response.get(), "job-id", 0);
    if (id <= 0)
        return make_error(ErrorCode::printer_job_failed, "cups: " + what + ": the server gave no job id");
    return id;
}

Result<JobStatus> CupsPrinter::job(int id)
{
    auto http = TRY(connect());
    auto request = new_request(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, job_uri(id).c_str());
    static char const* const wanted[] = { "job-id", "job-state", "job-state-reasons", "job-impressions-completed",
        "job-printer-uri", "job-printer-state-reasons" };
    ippAddStrings(
        request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", std::size(wanted), nullptr, wanted);
    auto response = exchange(http.get(), std::move(request), "job " + std::to_string(id));
    if (!response) {
        if (response.error().code == ErrorCode::not_found)
            return make_error(ErrorCode::not_found,
                "cups: no job " + std::to_string(id) + " on the print server (purged, or past PreserveJobHistory)");
        return std::unexpected(response.error());
    }
    ipp_t* ipp = response->get();
    JobStatus status;
    status.id = id;
    status.state = job_state_of(integer_of(ipp, "job-state", IPP_JSTATE_PENDING));
    status.sheets_done = integer_of(ipp, "job-impressions-completed", 0);
    // The conditions are the printer's: a job waiting on an empty tray shows why it waits.
    std::vector<std::string> queue;
    if (ipp_attribute_t* printer = ippFindAttribute(ipp, "job-printer-uri", IPP_TAG_URI)) {
        std::string uri = ippGetString(printer, 0, nullptr);
        if (auto slash = uri.rfind("/printers/"); slash != std::string::npos)
            if (auto state = queue_state(http.get(), uri.substr(slash + 10)))
                status.conditions = state->status.conditions;
    }
    // cupsd's IPP backend now and then calls a job completed that the printer itself aborted on a jam or an
    // empty tray (the printer keeps it aborted with no impression; cupsd counts the pages its filter sent).
    // A job that ends while its printer reports such a fault did not come out whole: it is not charged.
    if (status.state == JobState::completed) {
        auto at_end = conditions_from_reasons(strings_of(ipp, "job-printer-state-reasons"));
        for (auto fault : { PrinterCondition::paper_out, PrinterCondition::jam, PrinterCondition::door_open })
            if (std::ranges::find(at_end, fault) != at_end.end())
                status.state = JobState::aborted;
    }
    return status;
}

Result<void> CupsPrinter::cancel(int id)
{
    auto http = TRY(connect());
    return cancel_job(http.get(), id, false);
}

Result<void> CupsPrinter::purge(std::vector<int> const& ids)
{
    auto http = TRY(connect());
    return purge_jobs(http.get(), ids, m_timeout_ms);
}

Result<int> CupsPrinter::purge_own_jobs()
{
    auto http = TRY(connect());
    auto ids = TRY(own_job_ids(http.get()));
    TRY(purge_jobs(http.get(), ids, m_timeout_ms));
    return static_cast<int>(ids.size());
}

} // namespace kiosk::drivers
