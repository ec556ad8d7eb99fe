// The simulated ID reader: validates what it is fed as a real reader would deliver it, then emits events.
#include "drivers/idreader/sim/sim_idreader.h"

#include <cctype>

namespace kiosk::drivers {

Result<std::unique_ptr<IdReader>> SimIdReader::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({}));
    return std::unique_ptr<IdReader>(std::make_unique<SimIdReader>());
}

Result<void> SimIdReader::start(Listener listener)
{
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
    return {};
}

void SimIdReader::stop()
{
    std::lock_guard lock(m_mutex);
    m_listener = nullptr;
}

void SimIdReader::emit(IdEvent event)
{
    Listener listener;
    {
        std::lock_guard lock(m_mutex);
        listener = m_listener;
    }
    if (listener)
        listener(std::move(event));
}

Result<void> SimIdReader::present_card(std::string const& uid_hex)
{
    std::string uid;
    for (char c : uid_hex) {
        if (c == ':' || c == ' ')
            continue;
        if (!std::isxdigit(static_cast<unsigned char>(c)))
            return make_error(ErrorCode::usage, "card UID must be hexadecimal: " + uid_hex);
        uid.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (uid.size() != 8 && uid.size() != 14 && uid.size() != 20)
        return make_error(ErrorCode::usage, "card UID must be 4, 7 or 10 bytes: " + uid_hex);
    emit({ IdEvent::Kind::card_inserted, uid, {} });
    emit({ IdEvent::Kind::card_removed, uid, {} });
    return {};
}

Result<void> SimIdReader::present_mrz(std::vector<std::string> const& lines)
{
    // One line for the French driving licence, two or three for ICAO documents.
    if (lines.empty() || lines.size() > 3)
        return make_error(ErrorCode::usage, "an MRZ has 1, 2 or 3 lines");
    emit({ IdEvent::Kind::mrz_read, {}, lines });
    return {};
}

} // namespace kiosk::drivers
