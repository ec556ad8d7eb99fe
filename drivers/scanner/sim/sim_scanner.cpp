// The simulated scanner: pages from page_synth, delivered in strips so progress and Cancel behave as on a device.
#include "drivers/scanner/sim/sim_scanner.h"

#include "drivers/scanner/sim/page_synth.h"

#include <algorithm>
#include <thread>

namespace kiosk::drivers {

namespace {

constexpr int resolutions[] = { 75, 100, 150, 200, 300, 600 };

std::optional<ErrorCode> failure_from_name(std::string const& name)
{
    if (name == "jammed")
        return ErrorCode::scanner_jammed;
    if (name == "cover_open")
        return ErrorCode::scanner_cover_open;
    if (name == "no_docs")
        return ErrorCode::scanner_no_docs;
    if (name == "busy")
        return ErrorCode::scanner_busy;
    if (name == "io")
        return ErrorCode::scanner_io;
    if (name == "gone")
        return ErrorCode::scanner_gone;
    return std::nullopt;
}

} // namespace

Result<std::unique_ptr<Scanner>> SimScanner::create(DriverSpec const& spec)
{
    TRY(spec.allow_only({ "pages", "delay_ms", "fail", "fail_after" }));
    auto scanner = std::make_unique<SimScanner>();
    scanner->m_feeder_pages = TRY(spec.get_int("pages", 3, 0, 100));
    scanner->m_delay_ms = TRY(spec.get_int("delay_ms", 0, 0, 60'000));
    scanner->m_fail_after = TRY(spec.get_int("fail_after", 0, 0, 100));
    if (auto fail = spec.get("fail")) {
        scanner->m_failure = failure_from_name(*fail);
        if (!scanner->m_failure)
            return make_error(
                ErrorCode::usage, "sim scanner: fail must be jammed, cover_open, no_docs, busy, io or gone");
    }
    return std::unique_ptr<Scanner>(std::move(scanner));
}

Result<ScannerCapabilities> SimScanner::capabilities()
{
    // Unplugged (fail=gone, from the start or since it happened): a real scanner that is not there cannot be opened
    // either.
    if (m_unplugged || (m_failure == ErrorCode::scanner_gone && m_fail_after == 0))
        return make_error(ErrorCode::scanner_gone, "sim scanner: unplugged");
    ScannerCapabilities caps;
    caps.model = "Simulated scanner";
    caps.has_flatbed = true;
    caps.has_adf = true;
    caps.resolutions.assign(std::begin(resolutions), std::end(resolutions));
    return caps;
}

Result<void> SimScanner::scan(ScanSettings const& settings, ScanObserver& observer, std::atomic<bool> const& cancel)
{
    if (std::find(std::begin(resolutions), std::end(resolutions), settings.dpi) == std::end(resolutions))
        return make_error(
            ErrorCode::scanner_unsupported, "sim scanner: unsupported resolution " + std::to_string(settings.dpi));
    if (m_unplugged)
        return make_error(ErrorCode::scanner_gone, "sim scanner: unplugged");
    int pages = settings.source == ScanSource::adf ? m_feeder_pages : 1;
    if (settings.source == ScanSource::adf && pages == 0)
        return make_error(ErrorCode::scanner_no_docs, "sim scanner: feeder empty");
    ++m_scan_count;
    constexpr int strips = 10;
    for (int page = 0; page < pages; ++page) {
        if (m_failure && page == m_fail_after) {
            if (*m_failure == ErrorCode::scanner_gone)
                m_unplugged = true;
            return make_error(*m_failure, "sim scanner: injected failure after " + std::to_string(page) + " pages");
        }
        for (int strip = 0; strip < strips; ++strip) {
            if (cancel.load())
                return make_error(ErrorCode::cancelled, "sim scanner: cancelled");
            if (m_delay_ms > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(m_delay_ms / strips));
            observer.on_progress(page, static_cast<double>(strip + 1) / strips);
        }
        observer.on_page(synthesize_page(page, settings.dpi, settings.mode, m_scan_count));
    }
    return {};
}

} // namespace kiosk::drivers
