// A simulated ID reader: badges and MRZ lines are fed by tests and by scripted runs (`card`, `mrz`).
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/idreader/idreader.h"

#include <memory>
#include <mutex>

namespace kiosk::drivers {

class SimIdReader final : public IdReader {
public:
    static Result<std::unique_ptr<IdReader>> create(DriverSpec const& spec);

    std::string name() const override { return "sim"; }
    Result<void> start(Listener listener) override;
    void stop() override;

    // A badge tapped on the reader: inserted, then removed. uid is hex (4, 7 or 10 bytes).
    Result<void> present_card(std::string const& uid_hex);
    // A document swiped through an MRZ reader.
    Result<void> present_mrz(std::vector<std::string> const& lines);

private:
    void emit(IdEvent event);

    std::mutex m_mutex;
    Listener m_listener;
};

} // namespace kiosk::drivers
