// Reads and checks the MRZ of identity documents: ICAO 9303 formats, the French card issued before 2021 and the French
// driving licence.
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
    fr_dl_1x30, // 1 line of 30 starting D1FRA: French driving licence (EU model, issued since 2013)
};

// "TD1", "TD2", "TD3", "MRVA", "MRVB", "FR_ID_2X36", "FR_DL_1X30".
std::string_view to_string(Format format);

// What the document is for, as its format and document code say.
enum class DocumentKind {
    passport, // TD3 coded P
    travel_document, // TD3 coded P whose holder's nationality is XXA, XXB, XXC or XXX: a refugee's or a stateless
                     // person's travel document (1951 and 1954 conventions) or a travel document of unstated
                     // nationality
    identity_card, // TD1, TD2 coded I, A or C, and the French 2x36 card
    residence_permit, // TD1, TD2 coded IR or AR: the EU uniform residence permit (titre de séjour) and its kin
    visa, // MRV-A, MRV-B
    driving_licence, // the French one-line licence
};

// "passport", "travel_document", "identity_card", "residence_permit", "visa", "driving_licence".
std::string_view to_string(DocumentKind kind);

// The codes ICAO 9303 part 3 sets aside for a holder without a nationality to write.
enum class NationalityStatus {
    stateless, // XXA: stateless person (1954 convention)
    refugee, // XXB: refugee under the 1951 convention or its 1967 protocol
    refugee_other, // XXC: refugee other than under the 1951 convention
    unspecified, // XXX: nationality unspecified
};

// "stateless", "refugee", "refugee_other", "unspecified".
std::string_view to_string(NationalityStatus status);

// The status a nationality code stands for, or none for an ordinary state code.
std::optional<NationalityStatus> nationality_status(std::string_view nationality);

// How the check digit of a document number longer than 9 characters (TD1, TD2) is computed. ICAO 9303 part 5
// covers the number itself (the 9 first characters and the continuation); some issued Belgian cards cover the
// '<' standing in the check digit position between them as well.
enum class LongNumberCheck {
    icao, // over the number only
    filler_included, // over the 9 characters, the '<' after them and the continuation
};

// "icao", "filler_included".
std::string_view to_string(LongNumberCheck check);

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
    std::string document_code; // fillers removed: "P", "I", "ID", "IR", "V", "D1"
    DocumentKind kind = DocumentKind::passport;
    std::string issuing_state; // "UTO", "D", "FRA"
    // For FR_ID_2X36 the 12 characters printed on the card; for a TD1/TD2 long number, all of it.
    std::string document_number;
    // A TD1/TD2 number longer than 9 characters whose check digit holds: the way it was computed. None for a
    // short number, and for a long one whose check digit holds under neither convention (then an error).
    std::optional<LongNumberCheck> long_number_check;
    // As written in the MRZ, fillers turned into single spaces, accents already gone. The surname (ICAO's primary
    // identifier) is empty, and the document still valid, when the name field starts with "<<" and given names
    // follow: some people have no surname, and ICAO 9303 part 3 writes their name so. Never filled in from the
    // given names. On the driving licence, at most its first 8 characters; the licence carries no given names.
    std::string surname;
    std::string given_names;
    std::optional<std::string> nationality; // none on the French 2x36 card and the driving licence
    std::optional<NationalityStatus> nationality_status; // for XXA, XXB, XXC and XXX
    std::optional<std::chrono::year_month_day> birth_date; // none when wholly or partly unknown or unreadable
    std::optional<char> sex; // 'F', 'M' or 'X' (ICAO's '<', unspecified); none on the driving licence
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

// Parses one document's MRZ lines: 3 of 30, 2 of 36 or 44, or 1 of 30 (the French driving licence). Blank lines are
// skipped; each line may be in lower case, contain spaces, use '«' or '‹' for '<', and have filler padding missing or
// in excess at its end where that cannot be mistaken for a truncation. `today` decides the century of two-digit years.
// Returns an error only when the lines cannot be an MRZ (wrong number or length of lines); a document
// with failing check digits is returned with valid == false, its errors and its suggestions.
Result<Document> parse(std::span<const std::string_view> lines, std::chrono::year_month_day today);

// The same for text holding the lines separated by LF, CRLF or CR.
Result<Document> parse_text(std::string_view text, std::chrono::year_month_day today);

} // namespace kiosk::drivers::mrz
