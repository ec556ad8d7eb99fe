// Error values for every fallible operation: a code that maps to translated text, plus a technical detail for the log.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace kiosk {

// Each code has a plain-language message "error.<name>" in assets/i18n; the detail is for the journal only.
enum class ErrorCode {
    internal,
    usage, // bad command line or script
    config_invalid, // malformed configuration file
    asset_missing, // font, catalogue or translation not found
    io, // a file could not be read or written
    storage_full, // the session storage has no room left
    crypto, // OpenSSL failed
    not_found, // a document or device that does not exist
    unknown_driver, // a driver string naming no registered backend
    cancelled, // the person (or the session end) cancelled the operation
    scanner_jammed,
    scanner_cover_open,
    scanner_no_docs,
    scanner_busy,
    scanner_io,
    scanner_gone,
    scanner_unsupported,
    printer_offline,
    printer_paper_out,
    printer_jam,
    printer_door_open,
    printer_job_failed,
    printer_quota,
    idreader_failed,
    browser_failed,
    request_failed, // a well-formed request that did not succeed (an invalid MRZ, a job that ended aborted)
};

std::string_view to_string(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::internal;
    std::string detail;
};

template<typename T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> make_error(ErrorCode code, std::string detail = {})
{
    return std::unexpected<Error>(Error { code, std::move(detail) });
}

} // namespace kiosk

// Propagates the error of a Result, or yields its value (GNU statement expression, as SerenityOS's TRY).
#define TRY(expression)                                                                                                \
    ({                                                                                                                 \
        auto&& _try_result = (expression);                                                                             \
        if (!_try_result)                                                                                              \
            return std::unexpected(std::move(_try_result).error());                                                    \
        std::move(_try_result).value();                                                                                \
    })
