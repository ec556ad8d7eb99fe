// The libcups printer backend: submits to one CUPS destination, follows jobs over IPP and purges them.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/printer/printer.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

// libcups's connection type, so this header does not pull in <cups/cups.h>.
struct _http_s;

namespace kiosk::drivers {

class CupsPrinter final : public Printer {
public:
    // Parameters: queue=NAME (absent: the server's default destination), server=HOST:PORT or a socket path
    // (absent: CUPS_SERVER or the client.conf default), timeout=SECONDS for connecting and each IPP answer,
    // user=NAME the jobs go under and purge_own_jobs() looks for (absent: the process's user).
    // An unknown queue is an error when the server answers; an unreachable server is not (status() then
    // reports offline), so a terminal whose print server restarts keeps running.
    static Result<std::unique_ptr<Printer>> create(DriverSpec const& spec);

    std::string name() const override;
    Result<PrinterStatus> status() override;
    Result<int> submit(PrintRequest const& request) override;
    Result<JobStatus> job(int id) override;
    Result<void> cancel(int id) override;
    Result<void> purge(std::vector<int> const& ids) override;
    // Finds this kiosk's jobs at the server by their requesting user (user=, else the process's).
    Result<int> purge_own_jobs() override;

    // The destinations of the server named by spec (its queue= is ignored), for `kiosk printers`.
    struct Destination {
        std::string name;
        bool is_default = false;
        PrinterStatus status;
        std::vector<std::string> reasons;
    };
    static Result<std::vector<Destination>> destinations(DriverSpec const& spec);

    // printer-state-reasons of the queue as the server reports them (for messages on stderr).
    Result<std::vector<std::string>> state_reasons();

private:
    CupsPrinter() = default;
    // Reads the parameters without asking the server anything.
    static Result<std::unique_ptr<CupsPrinter>> configure(DriverSpec const& spec);
    // A fresh connection per operation: a cupsd that restarted is reached again without any reset.
    Result<std::unique_ptr<_http_s, void (*)(_http_s*)>> connect() const;
    Result<std::string> resolve_queue(_http_s* http) const;

    std::string m_host; // a host name or a socket path
    int m_port = 631;
    int m_timeout_ms = 5000;
    std::optional<std::string> m_queue;
    std::string m_user; // requesting-user-name of every request
    // The printer's own supply levels (when the queue passes none on), as last read, and when.
    std::vector<Supply> m_supplies;
    std::string m_supplies_uri;
    std::chrono::steady_clock::time_point m_supplies_read {};
};

// Maps printer-state-reasons keywords (with or without -error/-warning/-report) to the conditions a person can act on.
std::vector<PrinterCondition> conditions_from_reasons(std::vector<std::string> const& reasons);

// Supply levels from the queue's marker-names/-colors/-levels/-types, which cupsd keeps from the last job's backend.
std::vector<Supply> supplies_from_markers(std::vector<std::string> const& names, std::vector<std::string> const& colors,
    std::vector<int> const& levels, std::vector<std::string> const& types);
// Supply levels from a printer's own printer-supply values ("index=1;class=...;level=75;...") and their descriptions.
std::vector<Supply> supplies_from_printer_supply(
    std::vector<std::string> const& entries, std::vector<std::string> const& descriptions);

} // namespace kiosk::drivers
