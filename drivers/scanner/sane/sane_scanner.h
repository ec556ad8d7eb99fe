// The libsane scanner backend: every SANE call on one worker thread, feeder runs, background hot-plug discovery.
#pragma once

#include "drivers/driver_spec.h"
#include "drivers/scanner/scanner.h"

#include <functional>
#include <memory>

namespace kiosk::drivers {

// Parameters: device=NAME (a SANE device such as test:0; absent = the first local device found),
// model=TEXT (vendor and model, "Vendor Model", to find the scanner again after a replug; default: those of
// the device first opened), paper=a4|full (limit the scan area to A4 from the top-left corner, for beds
// larger than the documents; default full, the whole area), discovery_ms=N (how often idle discovery runs, default
// 2000). Only one SaneScanner may exist at a time in a process, because libsane keeps global state.
class SaneScanner final : public Scanner {
public:
    static Result<std::unique_ptr<Scanner>> create(DriverSpec const& spec);
    ~SaneScanner() override;

    // "sane:" and the SANE name of the device in use, which may change after a replug.
    std::string name() const override;
    Result<ScannerCapabilities> capabilities() override;
    Result<void> scan(ScanSettings const& settings, ScanObserver& observer, std::atomic<bool> const& cancel) override;
    bool stuck() const override;

    // Closes the device and re-initialises SANE, as after a USB reset; the next scan (or the background
    // discovery) finds the scanner again. Also how tests make a test-backend device "vanish".
    void rediscover();

    // Runs on the SANE thread after each page of a scan with the open SANE_Handle; tests use it to change
    // the test backend's own options in the middle of a feeder run.
    using PageHook = std::function<void(int pages_done, void* sane_handle)>;
    void set_page_hook_for_testing(PageHook hook);

    struct State;
    explicit SaneScanner(std::unique_ptr<State> state);

private:
    std::unique_ptr<State> m_state;
};

} // namespace kiosk::drivers
