// `kiosk mrz [--json]`: reads one document's MRZ on stdin, checks it, and prints what it says.
#include "drivers/idreader/mrz/mrz.h"
#include "kiosk/cli/commands.h"
#include "kiosk/core/clock.h"
#include "kiosk/core/json.h"

#include <chrono>
#include <cstdio>
#include <istream>
#include <ostream>

namespace kiosk::cli {

namespace {

namespace mrz = kiosk::drivers::mrz;

// An MRZ is under 100 characters; this leaves room for blank lines and spaces but not for a stream of garbage.
constexpr size_t max_input = 64 * 1024;

std::string format_date(std::chrono::year_month_day date)
{
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return buffer;
}

std::string format_month(std::chrono::year_month month)
{
    char buffer[16];
    std::snprintf(
        buffer, sizeof buffer, "%04d-%02u", static_cast<int>(month.year()), static_cast<unsigned>(month.month()));
    return buffer;
}

std::optional<std::string> optional_date(std::optional<std::chrono::year_month_day> date)
{
    if (!date)
        return std::nullopt;
    return format_date(*date);
}

std::optional<std::string> optional_sex(std::optional<char> sex)
{
    if (!sex)
        return std::nullopt;
    return std::string(1, *sex);
}

std::string to_json(mrz::Document const& document)
{
    JsonWriter json;
    json.begin_object();
    json.key("format").value(mrz::to_string(document.format));
    json.key("valid").value(document.valid);
    json.key("document_code").value(document.document_code);
    json.key("document_kind").value(mrz::to_string(document.kind));
    json.key("issuing_state").value(document.issuing_state);
    json.key("document_number").value(document.document_number);
    json.key("long_number_check");
    if (document.long_number_check)
        json.value(mrz::to_string(*document.long_number_check));
    else
        json.null();
    json.key("surname").value(document.surname);
    json.key("given_names").value(document.given_names);
    json.key("nationality").value(document.nationality);
    json.key("nationality_status");
    if (document.nationality_status)
        json.value(mrz::to_string(*document.nationality_status));
    else
        json.null();
    json.key("birth_date").value(optional_date(document.birth_date));
    json.key("sex").value(optional_sex(document.sex));
    json.key("expiry_date").value(optional_date(document.expiry_date));
    json.key("derived_expiry");
    if (auto const& derived = document.derived_expiry) {
        json.begin_object();
        json.key("month").value(format_month(derived->month));
        json.key("rule").value(derived->years == 15 ? "15y" : "10y");
        json.key("uncertain").value(derived->uncertain);
        json.end_object();
    } else {
        json.null();
    }
    json.key("optional_data").value(document.optional_data);
    json.key("errors").begin_array();
    for (auto const& error : document.errors) {
        json.begin_object();
        json.key("field").value(error.field);
        json.key("message").value(error.message);
        json.end_object();
    }
    json.end_array();
    json.key("corrections").begin_array();
    for (auto const& correction : document.corrections) {
        json.begin_object();
        json.key("field").value(correction.field);
        json.key("from").value(correction.from);
        json.key("to").value(correction.to);
        json.end_object();
    }
    json.end_array();
    json.key("suggestions").begin_array();
    for (auto const& suggestion : document.suggestions) {
        json.begin_object();
        json.key("field").value(suggestion.field);
        json.key("read").value(suggestion.read);
        json.key("reading").value(suggestion.reading);
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.str();
}

std::string_view or_dash(std::optional<std::string> const& text)
{
    return text ? std::string_view(*text) : "-";
}

// The summary is in French, the agents' language, like the rest of it.
std::string_view kind_words(mrz::DocumentKind kind)
{
    switch (kind) {
    case mrz::DocumentKind::passport: return "passeport";
    case mrz::DocumentKind::travel_document: return "titre de voyage";
    case mrz::DocumentKind::identity_card: return "carte d'identité";
    case mrz::DocumentKind::residence_permit: return "titre de séjour";
    case mrz::DocumentKind::visa: return "visa";
    case mrz::DocumentKind::driving_licence: return "permis de conduire";
    }
    return "?";
}

std::string_view status_words(mrz::NationalityStatus status)
{
    switch (status) {
    case mrz::NationalityStatus::stateless: return "apatride";
    case mrz::NationalityStatus::refugee: return "réfugié (convention de 1951)";
    case mrz::NationalityStatus::refugee_other: return "réfugié (hors convention de 1951)";
    case mrz::NationalityStatus::unspecified: return "nationalité non précisée";
    }
    return "?";
}

void print_summary(mrz::Document const& document, std::ostream& out)
{
    out << "Format : " << mrz::to_string(document.format) << '\n';
    out << "Valide : " << (document.valid ? "oui" : "non") << '\n';
    out << "Type de document : " << document.document_code << " (" << kind_words(document.kind) << ")\n";
    out << "État émetteur : " << document.issuing_state << '\n';
    out << "Numéro du document : " << document.document_number << '\n';
    if (document.long_number_check)
        out << "Clé du numéro long : "
            << (*document.long_number_check == mrz::LongNumberCheck::icao ? "calculée sur le numéro (OACI)"
                                                                          : "calculée avec le « < » de la position 15")
            << '\n';
    // Never filled in from the given names: the document says the holder has none.
    out << "Nom : " << (document.surname.empty() ? "(sans nom de famille)" : document.surname) << '\n';
    if (document.format != mrz::Format::fr_dl_1x30)
        out << "Prénoms : " << document.given_names << '\n';
    out << "Nationalité : " << or_dash(document.nationality);
    if (document.nationality_status)
        out << " (" << status_words(*document.nationality_status) << ")";
    out << '\n';
    out << "Date de naissance : " << or_dash(optional_date(document.birth_date)) << '\n';
    out << "Sexe : " << or_dash(optional_sex(document.sex)) << '\n';
    if (document.derived_expiry) {
        auto const& derived = *document.derived_expiry;
        out << "Expiration (déduite) : " << format_month(derived.month) << " (règle " << derived.years << " ans"
            << (derived.uncertain ? ", incertaine" : "") << ")\n";
    } else {
        out << "Date d'expiration : " << or_dash(optional_date(document.expiry_date)) << '\n';
    }
    out << "Données facultatives : " << or_dash(document.optional_data) << '\n';
    for (auto const& error : document.errors)
        out << "Erreur (" << error.field << ") : " << error.message << '\n';
    for (auto const& correction : document.corrections)
        out << "Correction (" << correction.field << ") : " << correction.from << " -> " << correction.to << '\n';
    // Never applied: only the printed card can tell a misread from a misprint or a forgery.
    for (auto const& suggestion : document.suggestions)
        out << "Lecture possible (" << suggestion.field << ") : " << suggestion.read << " -> " << suggestion.reading
            << " (à comparer avec la pièce)\n";
}

} // namespace

Result<void> cmd_mrz(std::span<const std::string> args, Streams streams)
{
    bool json = false;
    for (auto const& arg : args) {
        if (arg == "--json") {
            json = true;
            continue;
        }
        return usage_error("unknown option '" + arg + "'");
    }

    std::string input;
    char buffer[4096];
    while (streams.in.read(buffer, sizeof buffer) || streams.in.gcount() > 0) {
        input.append(buffer, static_cast<size_t>(streams.in.gcount()));
        if (input.size() > max_input)
            return usage_error("not an MRZ: more than " + std::to_string(max_input) + " bytes of input");
    }

    auto today = std::chrono::year_month_day { std::chrono::floor<std::chrono::days>(core::SystemClock {}.wall_now()) };
    auto document = mrz::parse_text(input, today);
    if (!document)
        return usage_error(document.error().detail);
    if (json)
        streams.out << to_json(*document) << '\n';
    else
        print_summary(*document, streams.out);
    if (!document->valid)
        return make_error(ErrorCode::request_failed,
            "invalid MRZ: "
                + (document->errors.empty()
                        ? std::string("check failed")
                        : document->errors.front().field + ": " + document->errors.front().message));
    return {};
}

} // namespace kiosk::cli
