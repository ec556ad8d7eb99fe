// The device checks of `kiosk diagnose`: a test page printed and a preview scanned through the configured drivers.
#pragma once

#include "drivers/printer/printer.h"
#include "drivers/scanner/scanner.h"
#include "kiosk/diagnostics/network_checks.h"

#include <atomic>
#include <chrono>
#include <string>

namespace kiosk::diagnostics {

// "test-print PRINTER": a one-page test page the kiosk writes itself (which kiosk, when), submitted and followed
// until the printer says it is done, aborted or cancelled, or until timeout; ok when completed. The job is then
// purged, as every job of the kiosk is.
Check test_print(drivers::Printer& printer, std::string const& kiosk_name, std::chrono::milliseconds timeout,
    std::atomic<bool> const& cancel);

// "test-scan SCANNER": a preview of the flatbed (grey, low resolution, as the scan screen's preview); ok when a page
// came back, its size in pixels told.
Check test_scan(drivers::Scanner& scanner, std::atomic<bool> const& cancel);

} // namespace kiosk::diagnostics
