// Stable names of error codes, used as translation keys and in logs.
#include "kiosk/core/error.h"

namespace kiosk {

std::string_view to_string(ErrorCode code)
{
    switch (code) {
    case ErrorCode::internal: return "internal";
    case ErrorCode::usage: return "usage";
    case ErrorCode::config_invalid: return "config_invalid";
    case ErrorCode::asset_missing: return "asset_missing";
    case ErrorCode::io: return "io";
    case ErrorCode::storage_full: return "storage_full";
    case ErrorCode::crypto: return "crypto";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::unknown_driver: return "unknown_driver";
    case ErrorCode::cancelled: return "cancelled";
    case ErrorCode::scanner_jammed: return "scanner_jammed";
    case ErrorCode::scanner_cover_open: return "scanner_cover_open";
    case ErrorCode::scanner_no_docs: return "scanner_no_docs";
    case ErrorCode::scanner_busy: return "scanner_busy";
    case ErrorCode::scanner_io: return "scanner_io";
    case ErrorCode::scanner_gone: return "scanner_gone";
    case ErrorCode::scanner_unsupported: return "scanner_unsupported";
    case ErrorCode::printer_offline: return "printer_offline";
    case ErrorCode::printer_paper_out: return "printer_paper_out";
    case ErrorCode::printer_jam: return "printer_jam";
    case ErrorCode::printer_door_open: return "printer_door_open";
    case ErrorCode::printer_job_failed: return "printer_job_failed";
    case ErrorCode::printer_quota: return "printer_quota";
    case ErrorCode::idreader_failed: return "idreader_failed";
    case ErrorCode::browser_failed: return "browser_failed";
    case ErrorCode::request_failed: return "request_failed";
    }
    return "internal";
}

} // namespace kiosk
