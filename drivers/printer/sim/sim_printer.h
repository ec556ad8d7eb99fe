// A simulated printer: writes every job it receives to a directory, with injectable printer conditions.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/printer/printer.h"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

namespace kiosk::drivers {

// Parameters: dir=PATH (output, default RUNTIME_DIR/sim-printer), condition=paper_out|jam|door_open|toner_low|offline
// (paper_out, jam, door_open and offline stop the printer: jobs stay pending), duplex=0|1 (default 1), color=0|1,
// toner=PERCENT (a black toner at that level; absent: no supply levels, like a printer that reports none).
class SimPrinter final : public Printer {
public:
    static Result<std::unique_ptr<Printer>> create(DriverSpec const& spec, std::filesystem::path const& runtime_dir);

    std::string name() const override { return "sim"; }
    Result<PrinterStatus> status() override;
    Result<int> submit(PrintRequest const& request) override;
    Result<JobStatus> job(int id) override;
    Result<void> cancel(int id) override;
    Result<void> purge(std::vector<int> const& ids) override;
    Result<int> purge_own_jobs() override;

    std::filesystem::path const& output_dir() const { return m_dir; }

private:
    bool stopped() const;

    std::filesystem::path m_dir;
    std::vector<PrinterCondition> m_conditions;
    std::vector<Supply> m_supplies;
    bool m_duplex = true;
    bool m_color = true;
    std::mutex m_mutex;
    int m_next_id = 1;
    std::map<int, JobStatus> m_jobs;
};

} // namespace kiosk::drivers
