// libFuzzer target for the MRZ parser: arbitrary bytes as the text of one document, with a fixed date.
#include "drivers/idreader/mrz/mrz.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace mrz = kiosk::drivers::mrz;

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using namespace std::chrono;
    // A fixed "today" keeps every run reproducible from its input alone.
    constexpr year_month_day today { year { 2026 }, month { 11 }, day { 26 } };
    std::string_view const text(reinterpret_cast<char const*>(data), size);

    // check_digit takes any text; it answers -1 or a digit, nothing else.
    int const digit = mrz::check_digit(text);
    if (digit < -1 || digit > 9)
        std::abort();

    auto const result = mrz::parse_text(text, today);
    if (!result)
        return 0;
    auto const& document = *result;

    // The invariants the CLI and the UI rely on.
    if (document.valid != document.errors.empty())
        std::abort();
    if (mrz::to_string(document.format).empty())
        std::abort();
    bool const licence = document.format == mrz::Format::fr_dl_1x30;
    std::size_t const rows = document.format == mrz::Format::td1 ? 3 : licence ? 1 : 2;
    if (document.lines.size() != rows)
        std::abort();
    // The one-line licence has no given names, birth date, sex or nationality, and is a driving licence.
    if (licence
        && (!document.given_names.empty() || document.birth_date || document.sex || document.nationality
            || document.kind != mrz::DocumentKind::driving_licence || document.lines.front().size() != 30))
        std::abort();
    if (!licence && document.kind == mrz::DocumentKind::driving_licence)
        std::abort();
    // A convention is reported only for a long TD1/TD2 number whose check digit holds.
    if (document.long_number_check
        && (document.document_number.size() <= 9
            || (document.format != mrz::Format::td1 && document.format != mrz::Format::td2)))
        std::abort();
    if (document.nationality_status
        != (document.nationality ? mrz::nationality_status(*document.nationality) : std::nullopt))
        std::abort();
    // A valid document never has an empty name: no surname is fine, but then there are given names.
    if (document.valid && document.surname.empty() && document.given_names.empty())
        std::abort();
    for (auto const& line : document.lines) {
        if (line.size() != document.lines.front().size())
            std::abort();
    }
    if (document.sex && *document.sex != 'F' && *document.sex != 'M' && *document.sex != 'X')
        std::abort();
    if (document.birth_date && (!document.birth_date->ok() || *document.birth_date > today))
        std::abort();
    if (document.expiry_date && !document.expiry_date->ok())
        std::abort();
    bool const french = document.format == mrz::Format::fr_id_2x36;
    if (!french && (document.derived_expiry || document.issue_month))
        std::abort();
    if (document.derived_expiry) {
        if (document.derived_expiry->years != 10 && document.derived_expiry->years != 15)
            std::abort();
        if (!document.derived_expiry->month.ok())
            std::abort();
    }
    for (auto const& error : document.errors) {
        if (error.field.empty() || error.message.empty())
            std::abort();
    }
    for (auto const& correction : document.corrections) {
        if (correction.field.empty() || correction.from.size() != correction.to.size()
            || correction.from == correction.to)
            std::abort();
    }
    // Suggestions are for invalid documents only, and never rewrite the document: each one differs from the
    // field as read, which is what the document reports.
    if (document.valid && !document.suggestions.empty())
        std::abort();
    for (auto const& suggestion : document.suggestions) {
        if (suggestion.field.empty() || suggestion.read.size() != suggestion.reading.size()
            || suggestion.read == suggestion.reading)
            std::abort();
        if (suggestion.field == "document_number" && suggestion.read != document.document_number)
            std::abort();
    }
    return 0;
}
