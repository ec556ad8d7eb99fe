// A simulated browser: remembers which partner is "open" and can drop a file in the downloads folder.
#pragma once

#include "drivers/browser/browser.h"
#include "drivers/driver_spec.h"

#include <memory>
#include <optional>

namespace kiosk::drivers {

// Parameters: fail=1 makes open() fail as a missing browser would.
class SimBrowser final : public Browser {
public:
    static Result<std::unique_ptr<Browser>> create(DriverSpec const& spec);

    std::string name() const override { return "sim"; }
    Result<void> open(BrowseRequest const& request) override;
    void close() override;
    bool is_open() const override { return m_open.has_value(); }
    bool take_unexpected_exit() override;

    std::optional<BrowseRequest> const& current() const { return m_open; }
    // What a partner site's "download your attestation" link does: a file in the downloads folder.
    Result<std::filesystem::path> simulate_download(std::string const& file_name, std::vector<uint8_t> const& bytes);
    void simulate_crash();

private:
    bool m_fail = false;
    bool m_crashed = false;
    std::optional<BrowseRequest> m_open;
};

} // namespace kiosk::drivers
