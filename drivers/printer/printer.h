// The printer interface every backend implements (sim, cups): submit, follow and purge jobs, read conditions.
#pragma once

#include "kiosk/core/error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers {

enum class JobState { pending, processing, completed, aborted, canceled };
std::string_view to_string(JobState state);

// Conditions a person can act on, each with plain words in assets/i18n (printer.condition.<name>).
enum class PrinterCondition { paper_out, jam, door_open, toner_low, offline };
std::string_view to_string(PrinterCondition condition);

struct PrintRequest {
    // Shown in the queue; never the resident's name. Backends reduce it to a neutral name (see job_name_for).
    std::string title;
    std::vector<uint8_t> document; // the file itself
    std::string mime_type; // "application/pdf" or "image/jpeg"
    int pages = 1; // pages of one copy, counted by the caller
    int copies = 1;
    bool gray = false;
    bool duplex = false;
};

struct JobStatus {
    int id = 0;
    JobState state = JobState::pending;
    int sheets_done = 0; // impressions completed so far
    std::vector<PrinterCondition> conditions;
};

// One consumable (toner, ink, drum, waste tank) as the printer reports it.
struct Supply {
    std::string name; // the printer's own words ("Black Toner"); may be English
    std::string color; // a colorant keyword ("black", "cyan") or empty
    int level = -1; // percent of full, -1 when the printer does not know
    bool consumed = true; // false for a tank that fills up (waste toner): a high level is the warning
};

struct PrinterStatus {
    std::string name;
    bool accepting = true;
    bool stopped = false;
    bool color = true;
    bool duplex = false;
    std::vector<PrinterCondition> conditions;
    std::vector<Supply> supplies;
};

class Printer {
public:
    virtual ~Printer() = default;
    virtual std::string name() const = 0;
    virtual Result<PrinterStatus> status() = 0;
    virtual Result<int> submit(PrintRequest const& request) = 0;
    virtual Result<JobStatus> job(int id) = 0;
    virtual Result<void> cancel(int id) = 0;
    // Cancels what is still queued and removes every trace of these jobs (history, spool files), then
    // checks that none is left; an error names the job that survived.
    virtual Result<void> purge(std::vector<int> const& ids) = 0;
    // Cancels and purges every job this kiosk ever submitted that the printer still knows, whatever the
    // session: after a crash or a kill -9 the ids held in memory are gone, but the jobs are not. Returns how
    // many jobs were removed; an error names the job that survived.
    virtual Result<int> purge_own_jobs() = 0;
};

// The job name a backend sends: ASCII letters, digits, '.', '-' and '_' only (a space becomes '-', anything else
// is dropped), at most 64 characters, "kiosk-document" when nothing is left. cupsd 2.4.2-3+deb12u10 crashes on a
// document name with a space; a title can never again carry one, nor a control character, nor the resident's
// accents.
std::string job_name_for(std::string_view title);

} // namespace kiosk::drivers
