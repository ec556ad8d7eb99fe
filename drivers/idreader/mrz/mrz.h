// Reads and checks the MRZ of identity documents: ICAO 9303 formats and the French card issued before 2021.
#pragma once

#include "kiosk/core/error.h"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers::mrz {

enum class Format {
    td1, // 3 lines of 30: identity cards (ICAO 9303 part 5)
    td2, // 2 lines of 36: identity cards and travel documents (part 6)
    td3, // 2 lines of 44: passports (part 4)
    mrv_a, // 2 lines of 44: visas (part 7)
    mrv_b, // 2 lines of 36: visas (part 7)
    fr_id_2x36, // 2 lines of 36 starting IDFRA: French identity card issued before 2021
};

// "TD1", "TD2", "TD3", "MRVA", "MRVB", "FR_ID_2X36".
std::string_view to_string(Format format);

// One problem found in a document; `field` names the field ("birth_date", "composite", ...).
struct FieldError {
    std::string field;
    std::string message;
};

// A letter/digit confusion that was repaired; `from` and `to` are the field as read and as repaired. Only
// confusions the field's characters force are repaired (a letter in a date or a check digit, a digit in a
// name or a state code), and only when the check digit covering them, if any, then holds.
struct Correction {
    std::string field;
    std::string from;
    std::string to;
};

// A reading of an alphanumeric field (document number, optional data, administrative code) with look-alikes
// swapped (0/O, 1/I, 2/Z, 5/S, 8/B) under which its failing check digits would hold. Such a field is never
// rewritten: one mod-10 digit cannot tell the true reading from a lucky swap, nor a misprint or a forgery
// from a misread. The agent compares the suggestion with the printed card.
struct Suggestion {
    std::string field; // "document_number", "optional_data", "optional_data_2", "administrative_code"
    std::string read; // the field as read, fillers trimmed at the end
    std::string reading; // the same with look-alikes swapped
};

// The expiry of a pre-2021 French card, whose MRZ carries the issue month but no expiry.
struct DerivedExpiry {
    std::chrono::year_month month;
    int years = 10; // 10 or 15
    // The issue month alone could not tell which rule applies; `month` is then the earlier one.
    bool uncertain = false;
};

struct Document {
    Format format = Format::td3;
    // No errors: every check digit holds and every field is well formed. Says nothing about expiry.
    bool valid = false;
    std::string document_code; // fillers removed: "P", "I", "ID", "V"
    std::string issuing_state; // "UTO", "D", "FRA"
    // For FR_ID_2X36 the 12 characters printed on the card; for a TD1/TD2 long number, all of it.
    std::string document_number;
    std::string surname;
    std::string given_names; // fillers turned into single spaces
    std::optional<std::string> nationality; // none on the French 2x36 card
    std::optional<std::chrono::year_month_day> birth_date; // none when wholly or partly unknown or unreadable
    std::optional<char> sex; // 'F', 'M' or 'X' (ICAO's '<', unspecified)
    std::optional<std::chrono::year_month_day> expiry_date; // none on the French 2x36 card
    std::optional<std::chrono::year_month> issue_month; // French 2x36 card only
    std::optional<DerivedExpiry> derived_expiry; // French 2x36 card only
    // Fillers trimmed; TD1's two optional fields joined by a space. On the French 2x36 card this is the
    // administrative code at the end of line 1 (errors and corrections call it "administrative_code").
    std::optional<std::string> optional_data;
    std::vector<FieldError> errors;
    std::vector<Correction> corrections;
    // Only when a check digit fails: for each alphanumeric field under it, the readings that would make it
    // hold, fewest swaps first, at most max_suggestions per field. Empty when no look-alike reading fits.
    std::vector<Suggestion> suggestions;
    std::vector<std::string> lines; // as checked: normalised, corrections applied
};

// Readings listed per field. About one combination of swaps in ten makes a check digit hold by chance, so a
// field with many look-alikes has many readings; those with fewest swaps, the likeliest misreads, are listed.
inline constexpr size_t max_suggestions = 4;

// The ICAO 9303 check digit of text (weights 7, 3, 1; '<' = 0, A = 10 ... Z = 35), or -1 when text
// holds a character that is not part of an MRZ.
int check_digit(std::string_view text);

// Parses one document's MRZ lines. Blank lines are skipped; each line may be in lower case, contain
// spaces, use '«' or '‹' for '<', and have filler padding missing or in excess at its end where that
// cannot be mistaken for a truncation. `today` decides the century of two-digit years.
// Returns an error only when the lines cannot be an MRZ (wrong number or length of lines); a document
// with failing check digits is returned with valid == false, its errors and its suggestions.
Result<Document> parse(std::span<const std::string_view> lines, std::chrono::year_month_day today);

// The same for text holding the lines separated by LF, CRLF or CR.
Result<Document> parse_text(std::string_view text, std::chrono::year_month_day today);

} // namespace kiosk::drivers::mrz
