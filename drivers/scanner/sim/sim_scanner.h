// A simulated scanner: synthetic text pages, optional slowness and injected device errors.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/scanner/scanner.h"

#include <atomic>
#include <memory>

namespace kiosk::drivers {

// Parameters: pages=N (pages in the feeder, default 3), delay_ms=N (time per page, default 0),
// fail=jammed|cover_open|no_docs|busy|io|gone (error to raise), fail_after=N (pages before it, default 0).
class SimScanner final : public Scanner {
public:
    static Result<std::unique_ptr<Scanner>> create(DriverSpec const& spec);

    std::string name() const override { return "sim"; }
    Result<ScannerCapabilities> capabilities() override;
    Result<void> scan(ScanSettings const& settings, ScanObserver& observer, std::atomic<bool> const& cancel) override;

private:
    int m_feeder_pages = 3;
    int m_delay_ms = 0;
    int m_fail_after = 0;
    std::optional<ErrorCode> m_failure;
    std::atomic<bool> m_unplugged { false }; // fail=gone happened: it stays gone, as a real one would
    uint32_t m_scan_count = 0;
};

} // namespace kiosk::drivers
