// What every printer backend shares: the names of job states and conditions, and the neutral job name.
#include "drivers/printer/printer.h"

namespace kiosk::drivers {

std::string_view to_string(JobState state)
{
    switch (state) {
    case JobState::pending: return "pending";
    case JobState::processing: return "processing";
    case JobState::completed: return "completed";
    case JobState::aborted: return "aborted";
    case JobState::canceled: return "canceled";
    }
    return "pending";
}

std::string_view to_string(PrinterCondition condition)
{
    switch (condition) {
    case PrinterCondition::paper_out: return "paper_out";
    case PrinterCondition::jam: return "jam";
    case PrinterCondition::door_open: return "door_open";
    case PrinterCondition::toner_low: return "toner_low";
    case PrinterCondition::offline: return "offline";
    }
    return "offline";
}

std::string job_name_for(std::string_view title)
{
    constexpr size_t longest = 64;
    std::string name;
    for (char c : title) {
        if (name.size() == longest)
            break;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'
            || c == '_';
        if (keep)
            name += c;
        else if (c == ' ' && !name.empty() && name.back() != '-')
            name += '-';
    }
    while (!name.empty() && (name.back() == '-' || name.back() == '.'))
        name.pop_back();
    while (!name.empty() && name.front() == '.')
        name.erase(name.begin());
    return name.empty() ? "kiosk-document" : name;
}

} // namespace kiosk::drivers
