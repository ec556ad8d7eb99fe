// The scanner interface every backend implements (sim, sane), and the settings of one scan.
#pragma once

#include "kiosk/core/error.h"
#include "kiosk/documents/image.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace kiosk::drivers {

enum class ScanSource { flatbed, adf };
enum class ColorMode { color, gray, lineart };

struct ScanSettings {
    ScanSource source = ScanSource::flatbed;
    ColorMode mode = ColorMode::color;
    int dpi = 200;
};

struct ScannerCapabilities {
    std::string model;
    bool has_flatbed = true;
    bool has_adf = false;
    std::vector<int> resolutions; // supported dpi values, ascending
};

// Receives what a scan produces. Called on the scanning thread; implementations post to the UI thread.
struct ScanObserver {
    virtual ~ScanObserver() = default;
    // fraction of the current page, 0..1
    virtual void on_progress(int page_index, double fraction) = 0;
    virtual void on_page(documents::Image page) = 0;
};

class Scanner {
public:
    virtual ~Scanner() = default;

    virtual std::string name() const = 0;
    virtual Result<ScannerCapabilities> capabilities() = 0;

    // Blocks until the scan ends. Pages are handed to the observer as they complete, so an error after
    // page 3 still leaves pages 1-3 with the caller. Returns ErrorCode::cancelled when cancel became true;
    // a feeder run that ends with an empty feeder after at least one page is a success.
    virtual Result<void> scan(ScanSettings const& settings, ScanObserver& observer, std::atomic<bool> const& cancel)
        = 0;

    // The driver is stuck in a call that has not returned for longer than it allows (a backend deadlocked): it
    // answers nothing until then, and only a new process can be sure to get a working one back.
    virtual bool stuck() const { return false; }
};

} // namespace kiosk::drivers
