// The simulated printer: the "paper" is a file per job in its output directory.
#include "drivers/printer/sim/sim_printer.h"

#include <fstream>

namespace kiosk::drivers {

Result<std::unique_ptr<Printer>> SimPrinter::create(DriverSpec const& spec, std::filesystem::path const& runtime_dir)
{
    TRY(spec.allow_only({ "dir", "condition", "duplex", "color", "toner" }));
    auto printer = std::make_unique<SimPrinter>();
    printer->m_dir = spec.get("dir").value_or((runtime_dir / "sim-printer").string());
    printer->m_duplex = TRY(spec.get_int("duplex", 1, 0, 1)) == 1;
    printer->m_color = TRY(spec.get_int("color", 1, 0, 1)) == 1;
    // A toner level in percent, as a printer's printer-supply gives it; absent: the printer tells none.
    if (spec.get("toner"))
        printer->m_supplies.push_back(Supply { "Black Toner", "black", TRY(spec.get_int("toner", 100, 0, 100)), true });
    if (auto condition = spec.get("condition")) {
        static constexpr PrinterCondition all[] = { PrinterCondition::paper_out, PrinterCondition::jam,
            PrinterCondition::door_open, PrinterCondition::toner_low, PrinterCondition::offline };
        bool found = false;
        for (auto c : all) {
            if (to_string(c) == *condition) {
                printer->m_conditions.push_back(c);
                found = true;
            }
        }
        if (!found)
            return make_error(
                ErrorCode::usage, "sim printer: condition must be paper_out, jam, door_open, toner_low or offline");
    }
    std::error_code ec;
    std::filesystem::create_directories(printer->m_dir, ec);
    if (ec)
        return make_error(ErrorCode::io, "sim printer: cannot create " + printer->m_dir.string() + ": " + ec.message());
    return std::unique_ptr<Printer>(std::move(printer));
}

bool SimPrinter::stopped() const
{
    for (auto c : m_conditions)
        if (c != PrinterCondition::toner_low)
            return true;
    return false;
}

Result<PrinterStatus> SimPrinter::status()
{
    std::lock_guard lock(m_mutex);
    PrinterStatus status;
    status.name = "Simulated printer";
    status.stopped = stopped();
    status.color = m_color;
    status.duplex = m_duplex;
    status.conditions = m_conditions;
    status.supplies = m_supplies;
    return status;
}

Result<int> SimPrinter::submit(PrintRequest const& request)
{
    if (request.mime_type != "application/pdf" && request.mime_type != "image/jpeg")
        return make_error(ErrorCode::printer_job_failed, "sim printer: unsupported format " + request.mime_type);
    if (request.copies < 1 || request.pages < 1)
        return make_error(ErrorCode::usage, "sim printer: nothing to print");
    std::lock_guard lock(m_mutex);
    int id = m_next_id++;
    JobStatus job;
    job.id = id;
    if (stopped()) {
        // As on a real printer, the job waits in the queue until someone fixes the device.
        job.state = JobState::pending;
        job.conditions = m_conditions;
        m_jobs[id] = job;
        return id;
    }
    auto extension = request.mime_type == "application/pdf" ? ".pdf" : ".jpg";
    auto path = m_dir / ("job-" + std::to_string(id) + extension);
    std::ofstream file(path, std::ios::binary);
    file.write(
        reinterpret_cast<char const*>(request.document.data()), static_cast<std::streamsize>(request.document.size()));
    file.close();
    if (!file) {
        job.state = JobState::aborted;
        m_jobs[id] = job;
        return make_error(ErrorCode::printer_job_failed, "sim printer: cannot write " + path.string());
    }
    std::ofstream ticket(m_dir / ("job-" + std::to_string(id) + ".ticket"));
    ticket << "pages=" << request.pages << "\ncopies=" << request.copies << "\ngray=" << request.gray
           << "\nduplex=" << (request.duplex && m_duplex) << "\n";
    job.state = JobState::completed;
    int sides = request.pages * request.copies;
    job.sheets_done = request.duplex && m_duplex ? (request.pages + 1) / 2 * request.copies : sides;
    job.conditions = m_conditions;
    m_jobs[id] = job;
    return id;
}

Result<JobStatus> SimPrinter::job(int id)
{
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return make_error(ErrorCode::not_found, "sim printer: no job " + std::to_string(id));
    return it->second;
}

Result<void> SimPrinter::cancel(int id)
{
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return make_error(ErrorCode::not_found, "sim printer: no job " + std::to_string(id));
    if (it->second.state == JobState::pending || it->second.state == JobState::processing)
        it->second.state = JobState::canceled;
    return {};
}

Result<int> SimPrinter::purge_own_jobs()
{
    std::lock_guard lock(m_mutex);
    int count = static_cast<int>(m_jobs.size());
    m_jobs.clear();
    return count;
}

Result<void> SimPrinter::purge(std::vector<int> const& ids)
{
    // The printed files are the paper the resident took away; the queue's record of the jobs is what goes.
    std::lock_guard lock(m_mutex);
    for (int id : ids)
        m_jobs.erase(id);
    for (int id : ids)
        if (m_jobs.contains(id))
            return make_error(
                ErrorCode::printer_job_failed, "sim printer: job " + std::to_string(id) + " survived the purge");
    return {};
}

} // namespace kiosk::drivers
