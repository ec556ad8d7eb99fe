// The MRZ parser: normalises lines, lays out each format's fields, repairs the confusions a field's characters force.
//
// Sources for the layouts beyond ICAO 9303:
// - French driving licence (EU model of directive 2006/126/EC, issued since 16 September 2013), one line of 30:
//   document code "D1" (D, then the BAP configuration of ISO/IEC 18013-3), issuing state, document number (9),
//   its check digit, expiry date (YYMMDD), surname (8, cut), composite check digit. The number's check digit covers
//   positions 1-14 and the composite positions 1-29, document code and state included. ISO/IEC 18013 itself is not
//   public; the layout follows github.com/cheminfo/mrz (src/parse/frenchDrivingLicenceFields.ts), and both of its
//   test documents (D1FRA13AA000026181231MARTIN<<9, D1FRA13BB148959280920BETTOLO<7) check out under it.
// - Belgian long document numbers: the test documents of github.com/datacheckerbv/MRZParser (testTD1_ID_BEL_1..3)
//   hold under ICAO 9303 part 5 for two cards and only with the '<' of position 15 included for the third, as
//   github.com/Arg0s1080/mrz (mrz/special_cases/checker/id_card_belgium.py) computes it. Both are accepted.
#include "drivers/idreader/mrz/mrz.h"

#include <algorithm>
#include <array>
#include <bit>
#include <bitset>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <tuple>

namespace kiosk::drivers::mrz {

using namespace std::chrono;

namespace {

// TD1 has the most characters: 3 lines of 30.
constexpr size_t max_chars = 90;
// Lines longer than this cannot be an MRZ, even with excess padding; stops garbage early.
constexpr size_t max_line_length = 200;
// An alphanumeric field with more confusable characters than this gets no suggestions (2^12 trials at most).
constexpr size_t max_search_positions = 12;
// TD3 has the most check digits: document number, birth date, expiry date, optional data, composite.
constexpr size_t max_groups = 5;

// What a position may hold. A confusion is "forced" when the character read is not allowed there but
// its look-alike is (a letter in a date, a digit in a name): the field type alone says what it was.
enum class CharClass : uint8_t {
    filler, // only '<' (the check digit slot of a long TD1/TD2 document number)
    alpha, // A-Z, '<': names, state codes, document code
    numeric, // 0-9: dates, check digits
    numeric_or_filler, // 0-9, '<': birth dates may be partly unknown
    alnum, // A-Z, 0-9, '<': document numbers, optional data
    sex, // F, M, X, '<'
};

enum class FieldId : uint8_t {
    document_code,
    issuing_state,
    document_number,
    document_number_check,
    optional_data,
    optional_data_2,
    optional_data_check,
    birth_date,
    birth_date_check,
    sex,
    expiry_date,
    expiry_date_check,
    nationality,
    surname,
    given_names,
    administrative_code,
    composite_check,
    count,
};

constexpr std::string_view field_name(FieldId id)
{
    switch (id) {
    case FieldId::document_code: return "document_code";
    case FieldId::issuing_state: return "issuing_state";
    case FieldId::document_number: return "document_number";
    case FieldId::document_number_check: return "document_number_check";
    case FieldId::optional_data: return "optional_data";
    case FieldId::optional_data_2: return "optional_data_2";
    case FieldId::optional_data_check: return "optional_data_check";
    case FieldId::birth_date: return "birth_date";
    case FieldId::birth_date_check: return "birth_date_check";
    case FieldId::sex: return "sex";
    case FieldId::expiry_date: return "expiry_date";
    case FieldId::expiry_date_check: return "expiry_date_check";
    case FieldId::nationality: return "nationality";
    case FieldId::surname: return "surname";
    case FieldId::given_names: return "given_names";
    case FieldId::administrative_code: return "administrative_code";
    case FieldId::composite_check: return "composite_check";
    case FieldId::count: break;
    }
    return "unknown";
}

// A run of characters, as indexes into the lines laid end to end.
struct Span {
    uint8_t start = 0;
    uint8_t length = 0;
    std::string_view in(std::string_view text) const { return text.substr(start, length); }
};

// A check digit and the characters it covers, in the order the weights run over them.
struct CheckGroup {
    std::string_view field; // named in the error when it fails
    std::array<Span, 4> spans {};
    uint8_t span_count = 0;
    uint8_t check = 0;
    // '<' in place of the digit is allowed when every covered character is '<' (TD3 optional data).
    bool filler_allowed = false;
};

// Where each field of one document lies, and what each position may hold.
struct Layout {
    Format format = Format::td3;
    uint8_t width = 0;
    std::array<CharClass, max_chars> classes {};
    std::array<FieldId, max_chars> fields {};
    std::array<CheckGroup, max_groups> groups {};
    uint8_t group_count = 0;

    // The spans the output is read from; a zero length means the format has no such field.
    Span code, state, number, number_overflow, surname, given_names, nationality, birth, sex, expiry;
    Span optional, optional_2, issue_month;

    // A long TD1/TD2 document number: its check group, and the same check with the filler between the 9 first
    // characters and the continuation included, as some issued Belgian cards compute it.
    std::optional<uint8_t> long_number_group;
    CheckGroup long_number_with_filler {};

    uint8_t at(int line, int column) const { return static_cast<uint8_t>(line * width + column); }

    Span assign(int line, int column, int length, FieldId id, CharClass cls)
    {
        Span span { at(line, column), static_cast<uint8_t>(length) };
        for (int i = 0; i < length; ++i) {
            classes[span.start + i] = cls;
            fields[span.start + i] = id;
        }
        return span;
    }

    CheckGroup& add_group(std::string_view field, int check_line, int check_column)
    {
        auto& group = groups[group_count++];
        group.field = field;
        group.check = at(check_line, check_column);
        return group;
    }

    void cover(CheckGroup& group, int line, int column, int length)
    {
        group.spans[group.span_count++] = Span { at(line, column), static_cast<uint8_t>(length) };
    }
};

constexpr bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}
constexpr bool is_letter(char c)
{
    return c >= 'A' && c <= 'Z';
}

// Check digit values: 0-9, A = 10 ... Z = 35, '<' = 0; -1 for anything else.
constexpr auto value_table = [] {
    std::array<int8_t, 256> table {};
    table.fill(-1);
    for (int c = '0'; c <= '9'; ++c)
        table[c] = static_cast<int8_t>(c - '0');
    for (int c = 'A'; c <= 'Z'; ++c)
        table[c] = static_cast<int8_t>(c - 'A' + 10);
    table['<'] = 0;
    return table;
}();

constexpr int char_value(char c)
{
    return value_table[static_cast<unsigned char>(c)];
}

// Sums text's values with the 7-3-1 weights starting at weights[weight]; false on a non-MRZ character.
bool weighted_sum(std::string_view text, int& sum, int& weight)
{
    static constexpr int weights[3] = { 7, 3, 1 };
    for (char c : text) {
        int value = char_value(c);
        if (value < 0)
            return false;
        sum += value * weights[weight];
        weight = weight == 2 ? 0 : weight + 1;
    }
    return true;
}

// The five letter/digit pairs OCR and people confuse in the OCR-B font; 0 for other characters.
constexpr auto look_alike_table = [] {
    std::array<char, 256> table {};
    for (auto [letter, digit] : { std::pair { 'O', '0' }, { 'I', '1' }, { 'B', '8' }, { 'S', '5' }, { 'Z', '2' } }) {
        table[static_cast<unsigned char>(letter)] = digit;
        table[static_cast<unsigned char>(digit)] = letter;
    }
    return table;
}();

constexpr char look_alike(char c)
{
    return look_alike_table[static_cast<unsigned char>(c)];
}

// One bit per CharClass for each byte, so checking a position is a table lookup.
constexpr auto class_table = [] {
    std::array<uint8_t, 256> table {};
    auto set = [&](CharClass cls, auto predicate) {
        for (int c = 0; c < 256; ++c) {
            if (predicate(static_cast<char>(c)))
                table[c] |= static_cast<uint8_t>(1u << static_cast<unsigned>(cls));
        }
    };
    set(CharClass::filler, [](char c) { return c == '<'; });
    set(CharClass::alpha, [](char c) { return is_letter(c) || c == '<'; });
    set(CharClass::numeric, [](char c) { return is_digit(c); });
    set(CharClass::numeric_or_filler, [](char c) { return is_digit(c) || c == '<'; });
    set(CharClass::alnum, [](char c) { return is_letter(c) || is_digit(c) || c == '<'; });
    set(CharClass::sex, [](char c) { return c == 'F' || c == 'M' || c == 'X' || c == '<'; });
    return table;
}();

bool allowed(CharClass cls, char c)
{
    return class_table[static_cast<unsigned char>(c)] & (1u << static_cast<unsigned>(cls));
}

// The check digit over a group's spans (weights continue from one span to the next), or -1.
int group_digit(std::string_view text, CheckGroup const& group)
{
    int sum = 0;
    int weight = 0;
    for (uint8_t s = 0; s < group.span_count; ++s) {
        if (!weighted_sum(group.spans[s].in(text), sum, weight))
            return -1;
    }
    return sum % 10;
}

bool all_fillers(std::string_view text, CheckGroup const& group)
{
    for (uint8_t s = 0; s < group.span_count; ++s) {
        for (char c : group.spans[s].in(text)) {
            if (c != '<')
                return false;
        }
    }
    return true;
}

bool holds(std::string_view text, CheckGroup const& group)
{
    char check = text[group.check];
    if (check == '<')
        return group.filler_allowed && all_fillers(text, group);
    int computed = group_digit(text, group);
    return computed >= 0 && is_digit(check) && check - '0' == computed;
}

// Whether c may not stand at a position of class cls while its look-alike may (a letter in a date or a check
// digit, a digit in a name): the field's characters alone then say what was printed.
bool forced(CharClass cls, char c)
{
    char other = look_alike(c);
    return other && !allowed(cls, c) && allowed(cls, other);
}

bool covers(CheckGroup const& group, size_t position)
{
    if (position == group.check)
        return true;
    for (uint8_t s = 0; s < group.span_count; ++s) {
        auto span = group.spans[s];
        if (position >= span.start && position < size_t(span.start) + span.length)
            return true;
    }
    return false;
}

// Repairs forced confusions, one check digit at a time. Each position is decided by the first check digit that
// covers it (a field's own before the composite), so a refusal by the field's own digit is final.
class Corrector {
public:
    Corrector(std::string& text, Layout const& layout)
        : m_text(text)
        , m_layout(layout)
    {
    }

    // The forced confusions a check digit covers have one reading each, so they are applied all together, and
    // only when the check digit then holds: if it still fails, something else is wrong and the text stays as
    // read. Alphanumeric fields (document numbers, optional data) are never rewritten, since both readings of
    // a look-alike are legal there and one mod-10 digit cannot tell the true one from a lucky swap; suggest()
    // lists such readings instead.
    void resolve(CheckGroup const& group)
    {
        std::array<uint8_t, max_chars> positions;
        size_t count = 0;
        auto consider = [&](uint8_t position) {
            if (m_claimed[position])
                return;
            m_claimed[position] = true;
            if (forced(m_layout.classes[position], m_text[position]))
                positions[count++] = position;
        };
        for (uint8_t s = 0; s < group.span_count; ++s) {
            auto span = group.spans[s];
            for (uint8_t i = 0; i < span.length; ++i)
                consider(static_cast<uint8_t>(span.start + i));
        }
        consider(group.check);
        if (count == 0)
            return;
        std::string trial = m_text;
        for (size_t i = 0; i < count; ++i)
            trial[positions[i]] = look_alike(trial[positions[i]]);
        if (holds(trial, group))
            commit(std::move(trial));
    }

    // Alpha fields no check digit covers (names, state codes outside the French card): a digit there
    // can only be its look-alike letter, and there is no digit to confirm it, so the type alone decides.
    void resolve_unchecked()
    {
        // Reads through a local pointer: writes to m_text would otherwise force a reload per character.
        char const* text = m_text.data();
        size_t size = m_text.size();
        for (size_t position = 0; position < size; ++position) {
            char c = text[position];
            if (!is_digit(c) || m_claimed[position] || m_layout.classes[position] != CharClass::alpha || !look_alike(c))
                continue;
            if (m_read.empty())
                m_read = m_text;
            m_text[position] = look_alike(c);
        }
    }

    // The text as read, or empty when nothing was corrected.
    std::string const& read() const { return m_read; }

private:
    // Keeps the text as read the first time it changes; most documents need no copy.
    void commit(std::string repaired)
    {
        if (m_read.empty())
            m_read = std::move(m_text);
        m_text = std::move(repaired);
    }

    std::string& m_text;
    Layout const& m_layout;
    std::bitset<max_chars> m_claimed;
    std::string m_read;
};

// What each ASCII byte becomes: upper case, spaces dropped (0), controls as '?'.
constexpr auto ascii_table = [] {
    std::array<char, 128> table {};
    for (int c = 0; c < 128; ++c)
        table[c] = c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c);
    for (int c = 'a'; c <= 'z'; ++c)
        table[c] = static_cast<char>(c - 'a' + 'A');
    for (char c : { ' ', '\t', '\r', '\n', '\v', '\f' })
        table[static_cast<unsigned char>(c)] = 0;
    return table;
}();

// Writes raw at out in upper case, without spaces, with '«' and '‹' as '<'; anything else that cannot be
// in an MRZ becomes one '?' per character, so that line lengths still count characters. Returns the end
// of what was written, at most raw.size() bytes.
char* normalise_line(std::string_view raw, char* out)
{
    for (size_t i = 0; i < raw.size(); ++i) {
        auto byte = static_cast<unsigned char>(raw[i]);
        if (byte < 0x80) {
            if (char c = ascii_table[byte])
                *out++ = c;
            continue;
        }
        auto rest = raw.substr(i);
        if (rest.starts_with("\u00ab")) { // «
            *out++ = '<';
            i += 1;
            continue;
        }
        if (rest.starts_with("\u2039")) { // ‹
            *out++ = '<';
            i += 2;
            continue;
        }
        // Any other UTF-8 sequence counts as one unknown character.
        *out++ = '?';
        while (i + 1 < raw.size() && (static_cast<unsigned char>(raw[i + 1]) & 0xc0) == 0x80)
            ++i;
    }
    return out;
}

char as_letter(char c)
{
    return is_digit(c) && look_alike(c) ? look_alike(c) : c;
}

bool starts_like(std::string_view line, std::string_view prefix)
{
    if (line.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (as_letter(line[i]) != prefix[i])
            return false;
    }
    return true;
}

// Whether a line can be brought to `width`: cut excess fillers or, where the line ends with a name
// (which is padded with fillers, often dropped when typed), pad it. Adds the characters changed to cost.
bool fits(std::string_view line, size_t width, bool may_pad, size_t& cost)
{
    if (line.size() >= width) {
        auto excess = line.substr(width);
        if (excess.find_first_not_of('<') != std::string_view::npos)
            return false;
        cost += excess.size();
        return true;
    }
    if (!may_pad)
        return false;
    cost += width - line.size();
    return true;
}

std::string describe_lines(std::span<const std::string_view> lines)
{
    std::string text = std::to_string(lines.size()) + (lines.size() == 1 ? " line" : " lines");
    if (!lines.empty()) {
        text += " of ";
        for (size_t i = 0; i < lines.size(); ++i) {
            if (i)
                text += i + 1 == lines.size() ? " and " : ", ";
            text += std::to_string(lines[i].size());
        }
        text += " characters";
    }
    return text;
}

// Fixes the width of the lines and returns them laid end to end.
Result<std::pair<std::string, uint8_t>> fit_lines(std::span<const std::string_view> lines)
{
    auto not_an_mrz = [&] {
        return make_error(ErrorCode::idreader_failed,
            "not an MRZ: expected 3 lines of 30 characters, 2 lines of 36 or 44, or 1 line of 30 (driving licence), "
            "got "
                + describe_lines(lines));
    };
    size_t best_width = 0;
    size_t best_cost = SIZE_MAX;
    if (lines.size() == 1) {
        // The driving licence ends with its composite check digit: nothing may be padded, only excess cut.
        size_t cost = 0;
        if (fits(lines[0], 30, false, cost))
            best_width = 30;
        else
            return make_error(ErrorCode::idreader_failed,
                "not an MRZ: a one-line MRZ (driving licence) has 30 characters, got "
                    + std::to_string(lines[0].size()));
    } else if (lines.size() == 3) {
        // TD1: only line 3 (the name) ends with padding that may be missing.
        size_t cost = 0;
        if (fits(lines[0], 30, false, cost) && fits(lines[1], 30, false, cost) && fits(lines[2], 30, true, cost))
            best_width = 30;
    } else if (lines.size() == 2) {
        for (size_t width : { size_t(44), size_t(36) }) {
            // Line 1 ends with the name, except on the French card (administrative code).
            bool french = width == 36 && starts_like(lines[0], "IDFRA");
            size_t cost = 0;
            if (fits(lines[0], width, !french, cost) && fits(lines[1], width, false, cost) && cost < best_cost) {
                best_width = width;
                best_cost = cost;
            }
        }
    }
    if (best_width == 0)
        return not_an_mrz();
    std::string text;
    text.reserve(best_width * lines.size());
    for (auto const& line : lines) {
        text.append(line, 0, std::min(line.size(), best_width));
        text.append(best_width - std::min(line.size(), best_width), '<');
    }
    return std::pair { std::move(text), static_cast<uint8_t>(best_width) };
}

void icao_name(Layout& layout, std::string_view text, int line, int column, int length)
{
    // The primary identifier (surname) ends at the first double filler; then come the given names.
    auto name = text.substr(layout.at(line, column), length);
    auto split = name.find("<<");
    int surname_length = split == std::string_view::npos ? length : static_cast<int>(split);
    layout.surname = layout.assign(line, column, surname_length, FieldId::surname, CharClass::alpha);
    layout.given_names
        = layout.assign(line, column + surname_length, length - surname_length, FieldId::given_names, CharClass::alpha);
}

void icao_header(Layout& layout, std::string_view text, int name_length)
{
    layout.code = layout.assign(0, 0, 2, FieldId::document_code, CharClass::alpha);
    layout.state = layout.assign(0, 2, 3, FieldId::issuing_state, CharClass::alpha);
    icao_name(layout, text, 0, 5, name_length);
}

// The document number, optional data and their check digits for TD1 (line 0) and TD2 (line 1): a
// number longer than 9 characters puts '<' in its check digit slot and continues in the optional data,
// followed by its check digit and a filler (ICAO 9303 parts 5 and 6).
void number_with_overflow(
    Layout& layout, std::string_view text, int line, int number_column, int optional_column, int optional_end)
{
    auto at = [&](int column) { return text[layout.at(line, column)]; };
    int check_column = number_column + 9;
    int overflow_end = optional_column;
    if (at(check_column) == '<' && at(optional_column) != '<') {
        while (overflow_end < optional_end && at(overflow_end) != '<')
            ++overflow_end;
    }
    // At least one continued character before the check digit, else it is an ordinary (broken) number.
    int overflow_length = overflow_end - optional_column - 1;
    layout.number = layout.assign(line, number_column, 9, FieldId::document_number, CharClass::alnum);
    auto& group = layout.add_group("document_number", line, check_column);
    layout.cover(group, line, number_column, 9);
    if (overflow_length >= 1) {
        layout.long_number_group = static_cast<uint8_t>(layout.group_count - 1);
        auto& with_filler = layout.long_number_with_filler;
        with_filler.field = group.field;
        with_filler.spans[0] = Span { layout.at(line, number_column), 10 };
        with_filler.spans[1] = Span { layout.at(line, optional_column), static_cast<uint8_t>(overflow_length) };
        with_filler.span_count = 2;
        with_filler.check = layout.at(line, optional_column + overflow_length);
        layout.assign(line, check_column, 1, FieldId::document_number_check, CharClass::filler);
        layout.number_overflow
            = layout.assign(line, optional_column, overflow_length, FieldId::document_number, CharClass::alnum);
        int digit_column = optional_column + overflow_length;
        layout.assign(line, digit_column, 1, FieldId::document_number_check, CharClass::numeric);
        layout.cover(group, line, optional_column, overflow_length);
        group.check = layout.at(line, digit_column);
        optional_column = digit_column + 1;
    } else {
        layout.assign(line, check_column, 1, FieldId::document_number_check, CharClass::numeric);
    }
    layout.optional = layout.assign(
        line, optional_column, optional_end - optional_column, FieldId::optional_data, CharClass::alnum);
}

// Nationality, birth date, sex and expiry date, at the same columns on TD2, TD3, MRV-A and MRV-B line 2.
void icao_personal(Layout& layout)
{
    layout.nationality = layout.assign(1, 10, 3, FieldId::nationality, CharClass::alpha);
    layout.birth = layout.assign(1, 13, 6, FieldId::birth_date, CharClass::numeric_or_filler);
    layout.assign(1, 19, 1, FieldId::birth_date_check, CharClass::numeric);
    layout.sex = layout.assign(1, 20, 1, FieldId::sex, CharClass::sex);
    layout.expiry = layout.assign(1, 21, 6, FieldId::expiry_date, CharClass::numeric);
    layout.assign(1, 27, 1, FieldId::expiry_date_check, CharClass::numeric);
    layout.cover(layout.add_group("birth_date", 1, 19), 1, 13, 6);
    layout.cover(layout.add_group("expiry_date", 1, 27), 1, 21, 6);
}

void simple_number(Layout& layout)
{
    layout.number = layout.assign(1, 0, 9, FieldId::document_number, CharClass::alnum);
    layout.assign(1, 9, 1, FieldId::document_number_check, CharClass::numeric);
    layout.cover(layout.add_group("document_number", 1, 9), 1, 0, 9);
}

Layout td1_layout(std::string_view text)
{
    Layout layout;
    layout.format = Format::td1;
    layout.width = 30;
    layout.code = layout.assign(0, 0, 2, FieldId::document_code, CharClass::alpha);
    layout.state = layout.assign(0, 2, 3, FieldId::issuing_state, CharClass::alpha);
    number_with_overflow(layout, text, 0, 5, 15, 30);
    layout.birth = layout.assign(1, 0, 6, FieldId::birth_date, CharClass::numeric_or_filler);
    layout.assign(1, 6, 1, FieldId::birth_date_check, CharClass::numeric);
    layout.sex = layout.assign(1, 7, 1, FieldId::sex, CharClass::sex);
    layout.expiry = layout.assign(1, 8, 6, FieldId::expiry_date, CharClass::numeric);
    layout.assign(1, 14, 1, FieldId::expiry_date_check, CharClass::numeric);
    layout.nationality = layout.assign(1, 15, 3, FieldId::nationality, CharClass::alpha);
    layout.optional_2 = layout.assign(1, 18, 11, FieldId::optional_data_2, CharClass::alnum);
    layout.assign(1, 29, 1, FieldId::composite_check, CharClass::numeric);
    icao_name(layout, text, 2, 0, 30);
    layout.cover(layout.add_group("birth_date", 1, 6), 1, 0, 6);
    layout.cover(layout.add_group("expiry_date", 1, 14), 1, 8, 6);
    // Composite (part 5): line 1 positions 6-30, line 2 positions 1-7, 9-15 and 19-29.
    auto& composite = layout.add_group("composite", 1, 29);
    layout.cover(composite, 0, 5, 25);
    layout.cover(composite, 1, 0, 7);
    layout.cover(composite, 1, 8, 7);
    layout.cover(composite, 1, 18, 11);
    return layout;
}

Layout td2_layout(std::string_view text)
{
    Layout layout;
    layout.format = Format::td2;
    layout.width = 36;
    icao_header(layout, text, 31);
    number_with_overflow(layout, text, 1, 0, 28, 35);
    icao_personal(layout);
    layout.assign(1, 35, 1, FieldId::composite_check, CharClass::numeric);
    // Composite (part 6): line 2 positions 1-10, 14-20 and 22-35.
    auto& composite = layout.add_group("composite", 1, 35);
    layout.cover(composite, 1, 0, 10);
    layout.cover(composite, 1, 13, 7);
    layout.cover(composite, 1, 21, 14);
    return layout;
}

Layout td3_layout(std::string_view text)
{
    Layout layout;
    layout.format = Format::td3;
    layout.width = 44;
    icao_header(layout, text, 39);
    simple_number(layout);
    icao_personal(layout);
    layout.optional = layout.assign(1, 28, 14, FieldId::optional_data, CharClass::alnum);
    layout.assign(1, 42, 1, FieldId::optional_data_check, CharClass::numeric_or_filler);
    auto& optional = layout.add_group("optional_data", 1, 42);
    layout.cover(optional, 1, 28, 14);
    optional.filler_allowed = true;
    layout.assign(1, 43, 1, FieldId::composite_check, CharClass::numeric);
    // Composite (part 4): line 2 positions 1-10, 14-20 and 22-43.
    auto& composite = layout.add_group("composite", 1, 43);
    layout.cover(composite, 1, 0, 10);
    layout.cover(composite, 1, 13, 7);
    layout.cover(composite, 1, 21, 22);
    return layout;
}

// MRV-A and MRV-B (part 7): no composite check digit, optional data to the end of line 2.
Layout mrv_layout(std::string_view text, Format format, int width)
{
    Layout layout;
    layout.format = format;
    layout.width = static_cast<uint8_t>(width);
    icao_header(layout, text, width - 5);
    simple_number(layout);
    icao_personal(layout);
    layout.optional = layout.assign(1, 28, width - 28, FieldId::optional_data, CharClass::alnum);
    return layout;
}

// The French identity card issued from 1988 to 2021: its own layout, no expiry, a composite over both
// lines. The document number is issue year and month, office code and sequence number.
Layout french_layout()
{
    Layout layout;
    layout.format = Format::fr_id_2x36;
    layout.width = 36;
    layout.code = layout.assign(0, 0, 2, FieldId::document_code, CharClass::alpha);
    layout.state = layout.assign(0, 2, 3, FieldId::issuing_state, CharClass::alpha);
    layout.surname = layout.assign(0, 5, 25, FieldId::surname, CharClass::alpha);
    layout.optional = layout.assign(0, 30, 6, FieldId::administrative_code, CharClass::alnum);
    layout.issue_month = layout.assign(1, 0, 4, FieldId::document_number, CharClass::numeric);
    // The office code can hold letters (Corsica's departments are 2A and 2B).
    layout.assign(1, 4, 3, FieldId::document_number, CharClass::alnum);
    layout.assign(1, 7, 5, FieldId::document_number, CharClass::numeric);
    layout.number = Span { layout.at(1, 0), 12 };
    layout.assign(1, 12, 1, FieldId::document_number_check, CharClass::numeric);
    layout.given_names = layout.assign(1, 13, 14, FieldId::given_names, CharClass::alpha);
    layout.birth = layout.assign(1, 27, 6, FieldId::birth_date, CharClass::numeric_or_filler);
    layout.assign(1, 33, 1, FieldId::birth_date_check, CharClass::numeric);
    layout.sex = layout.assign(1, 34, 1, FieldId::sex, CharClass::sex);
    layout.assign(1, 35, 1, FieldId::composite_check, CharClass::numeric);
    layout.cover(layout.add_group("document_number", 1, 12), 1, 0, 12);
    layout.cover(layout.add_group("birth_date", 1, 33), 1, 27, 6);
    auto& composite = layout.add_group("composite", 1, 35);
    layout.cover(composite, 0, 0, 36);
    layout.cover(composite, 1, 0, 35);
    return layout;
}

// The French driving licence (sources at the top of this file): one line, no given names, no birth date.
Layout french_licence_layout()
{
    Layout layout;
    layout.format = Format::fr_dl_1x30;
    layout.width = 30;
    // "D" then the BAP configuration, which may be a digit ("1"), a letter ("P", "N") or a filler.
    layout.assign(0, 0, 1, FieldId::document_code, CharClass::alpha);
    layout.assign(0, 1, 1, FieldId::document_code, CharClass::alnum);
    layout.code = Span { 0, 2 };
    layout.state = layout.assign(0, 2, 3, FieldId::issuing_state, CharClass::alpha);
    layout.number = layout.assign(0, 5, 9, FieldId::document_number, CharClass::alnum);
    layout.assign(0, 14, 1, FieldId::document_number_check, CharClass::numeric);
    layout.expiry = layout.assign(0, 15, 6, FieldId::expiry_date, CharClass::numeric);
    layout.surname = layout.assign(0, 21, 8, FieldId::surname, CharClass::alpha);
    layout.assign(0, 29, 1, FieldId::composite_check, CharClass::numeric);
    layout.cover(layout.add_group("document_number", 0, 14), 0, 0, 14);
    layout.cover(layout.add_group("composite", 0, 29), 0, 0, 29);
    return layout;
}

Layout layout_for(std::string_view text, uint8_t width, size_t line_count)
{
    if (line_count == 1)
        return french_licence_layout();
    if (line_count == 3)
        return td1_layout(text);
    bool visa = as_letter(text[0]) == 'V';
    if (width == 44) {
        if (visa)
            return mrv_layout(text, Format::mrv_a, 44);
        return td3_layout(text);
    }
    // France issues no TD2 document coded ID, so IDFRA on 2x36 is the pre-2021 identity card.
    if (starts_like(text, "IDFRA"))
        return french_layout();
    if (visa)
        return mrv_layout(text, Format::mrv_b, 36);
    return td2_layout(text);
}

std::string_view trim_fillers(std::string_view text)
{
    auto first = text.find_first_not_of('<');
    if (first == std::string_view::npos)
        return {};
    auto last = text.find_last_not_of('<');
    return text.substr(first, last - first + 1);
}

std::string_view trim_trailing_fillers(std::string_view text)
{
    auto last = text.find_last_not_of('<');
    return last == std::string_view::npos ? std::string_view {} : text.substr(0, last + 1);
}

// Runs of fillers become one space; none at either end.
std::string fillers_to_spaces(std::string_view text)
{
    std::string out;
    for (char c : trim_fillers(text)) {
        if (c != '<')
            out.push_back(c);
        else if (out.back() != ' ')
            out.push_back(' ');
    }
    return out;
}

struct Yymmdd {
    int yy, mm, dd;
};

std::optional<Yymmdd> read_yymmdd(std::string_view text)
{
    if (text.size() != 6 || !std::all_of(text.begin(), text.end(), is_digit))
        return std::nullopt;
    auto two = [&](size_t i) { return (text[i] - '0') * 10 + (text[i + 1] - '0'); };
    return Yymmdd { two(0), two(2), two(4) };
}

year_month_day make_date(int year, int month, int day)
{
    return year_month_day { std::chrono::year { year }, std::chrono::month { static_cast<unsigned>(month) },
        std::chrono::day { static_cast<unsigned>(day) } };
}

// The latest century that does not put the date after `reference` (a birth cannot be in the future).
int past_year(int yy, int mm, int dd, year_month_day reference)
{
    int year = static_cast<int>(reference.year()) / 100 * 100 + yy;
    auto key = std::tuple { year, mm, dd };
    auto limit
        = std::tuple { static_cast<int>(reference.year()), static_cast<int>(static_cast<unsigned>(reference.month())),
              static_cast<int>(static_cast<unsigned>(reference.day())) };
    return key > limit ? year - 100 : year;
}

// Expiry dates are normally 20YY; more generally the century that puts the date within 50 years of
// today, so an old passport that expired in 1998 is not read as valid until 2098.
int expiry_year(int yy, year_month_day today)
{
    int now = static_cast<int>(today.year());
    int year = now / 100 * 100 + yy;
    if (year > now + 50)
        return year - 100;
    if (year < now - 50)
        return year + 100;
    return year;
}

bool adult_on(year_month_day birth, year_month_day date)
{
    int age = static_cast<int>(date.year()) - static_cast<int>(birth.year());
    // Born on 29 February: the birthday of a common year is taken as 1 March.
    if (std::pair { date.month(), date.day() } < std::pair { birth.month(), birth.day() })
        --age;
    return age >= 18;
}

// Cards issued to adults from 2 January 2004 are valid 15 years (décret 2013-1188), others 10. The MRZ
// gives only the issue month, so every day of that month is tried; when days disagree (January 2004,
// or an 18th birthday within the month) the earlier expiry is given and marked uncertain.
DerivedExpiry derive_french_expiry(year_month issue, std::optional<year_month_day> birth)
{
    constexpr year_month_day reform = 2004y / January / 2;
    bool ten = false;
    bool fifteen = false;
    unsigned last = static_cast<unsigned>(year_month_day_last { issue.year(), month_day_last { issue.month() } }.day());
    for (unsigned d = 1; d <= last; ++d) {
        year_month_day date { issue.year(), issue.month(), day { d } };
        if (date < reform)
            ten = true;
        else if (!birth)
            ten = fifteen = true;
        else if (adult_on(*birth, date))
            fifteen = true;
        else
            ten = true;
    }
    int years_valid = ten ? 10 : 15;
    return DerivedExpiry { issue + years { years_valid }, years_valid, ten && fifteen };
}

std::string char_message(char c)
{
    char buffer[48];
    if (c == '?')
        std::snprintf(buffer, sizeof buffer, "unreadable or foreign character");
    else
        std::snprintf(buffer, sizeof buffer, "unexpected character '%c'", c);
    return buffer;
}

std::string check_message(std::string_view text, CheckGroup const& group)
{
    char check = text[group.check];
    int computed = group_digit(text, group);
    char buffer[96];
    if (computed < 0)
        std::snprintf(
            buffer, sizeof buffer, "check digit cannot be computed: a covered character is not an MRZ character");
    else if (!is_digit(check))
        std::snprintf(buffer, sizeof buffer, "check digit '%c' is not a digit (computed %d)", check, computed);
    else
        std::snprintf(buffer, sizeof buffer, "check digit %c does not match (computed %d)", check, computed);
    return buffer;
}

std::string field_text(std::string_view text, Layout const& layout, FieldId id)
{
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (layout.fields[i] == id)
            out.push_back(text[i]);
    }
    return out;
}

void report_corrections(Document& document, std::string_view read, std::string_view repaired, Layout const& layout)
{
    std::bitset<static_cast<size_t>(FieldId::count)> changed;
    for (size_t i = 0; i < read.size(); ++i) {
        if (read[i] != repaired[i])
            changed[static_cast<size_t>(layout.fields[i])] = true;
    }
    for (size_t f = 0; f < changed.size(); ++f) {
        if (!changed[f])
            continue;
        auto id = static_cast<FieldId>(f);
        // Fillers are never repaired, so trimming them keeps every change visible.
        auto from = field_text(read, layout, id);
        auto to = field_text(repaired, layout, id);
        document.corrections.push_back(Correction { std::string(field_name(id)),
            std::string(trim_trailing_fillers(from)), std::string(trim_trailing_fillers(to)) });
    }
}

// The fields where both readings of a look-alike are legal, so that a check digit alone cannot choose.
constexpr FieldId alphanumeric_fields[]
    = { FieldId::document_number, FieldId::optional_data, FieldId::optional_data_2, FieldId::administrative_code };

// Lists the readings of each alphanumeric field, look-alikes swapped within it, that would make its failing
// check digits hold. A check digit vouches for a reading only when nothing else it covers is known to be
// wrong: a composite over a birth date whose own digit fails would hold for a wrong number by mere luck.
void suggest(Document& document, std::string_view text, Layout const& layout, std::bitset<max_groups> failed)
{
    // A failing check digit kept its forced confusions as read; every reading tried here has them repaired,
    // so that a digit in a French surname does not spoil the composite of every reading of the number.
    std::string base(text);
    for (size_t i = 0; i < base.size(); ++i) {
        if (forced(layout.classes[i], base[i]))
            base[i] = look_alike(base[i]);
    }
    for (FieldId id : alphanumeric_fields) {
        std::array<uint8_t, max_chars> positions;
        size_t count = 0;
        for (size_t i = 0; i < base.size(); ++i) {
            if (layout.fields[i] == id && layout.classes[i] == CharClass::alnum && look_alike(base[i]))
                positions[count++] = static_cast<uint8_t>(i);
        }
        if (count == 0 || count > max_search_positions)
            continue;
        // The check digits that cover one character of a field cover all of it.
        std::array<CheckGroup const*, max_groups> witnesses;
        size_t witness_count = 0;
        bool suspect = false;
        for (uint8_t g = 0; g < layout.group_count; ++g) {
            auto const& group = layout.groups[g];
            if (!covers(group, positions[0]))
                continue;
            bool vouches = true;
            for (uint8_t other = 0; other < layout.group_count; ++other) {
                auto const& broken = layout.groups[other];
                if (failed[other] && !covers(broken, positions[0]) && covers(group, broken.check))
                    vouches = false;
            }
            if (!vouches)
                continue;
            witnesses[witness_count++] = &group;
            suspect = suspect || failed[g];
        }
        if (!suspect)
            continue;
        // Every combination of swaps, in Gray-code order (one swap per step); bit i swaps positions[i].
        std::vector<uint32_t> found;
        std::string trial = base;
        uint32_t mask = 0;
        for (uint32_t step = 1; step < 1u << count; ++step) {
            int bit = std::countr_zero(step);
            mask ^= 1u << bit;
            trial[positions[bit]] = look_alike(trial[positions[bit]]);
            auto hold = [&](CheckGroup const* group) { return holds(trial, *group); };
            if (std::all_of(witnesses.begin(), witnesses.begin() + witness_count, hold))
                found.push_back(mask);
        }
        // A misread is more likely one character than several; among equals, the leftmost swaps first.
        std::sort(found.begin(), found.end(), [](uint32_t a, uint32_t b) {
            return std::pair { std::popcount(a), a } < std::pair { std::popcount(b), b };
        });
        auto read = field_text(text, layout, id);
        for (size_t f = 0; f < found.size() && f < max_suggestions; ++f) {
            trial = base;
            for (size_t i = 0; i < count; ++i) {
                if ((found[f] >> i) & 1)
                    trial[positions[i]] = look_alike(trial[positions[i]]);
            }
            document.suggestions.push_back(
                Suggestion { std::string(field_name(id)), std::string(trim_trailing_fillers(read)),
                    std::string(trim_trailing_fillers(field_text(trial, layout, id))) });
        }
    }
}

void check_characters(Document& document, std::string_view text, Layout const& layout)
{
    std::bitset<static_cast<size_t>(FieldId::count)> reported;
    for (size_t i = 0; i < text.size(); ++i) {
        auto field = static_cast<size_t>(layout.fields[i]);
        if (allowed(layout.classes[i], text[i]) || reported[field])
            continue;
        reported[field] = true;
        document.errors.push_back(FieldError { std::string(field_name(layout.fields[i])), char_message(text[i]) });
    }
}

void add_error(Document& document, std::string_view field, std::string message)
{
    document.errors.push_back(FieldError { std::string(field), std::move(message) });
}

void read_document_code(Document& document, std::string_view code, Format format)
{
    document.document_code = std::string(trim_trailing_fillers(code));
    char first = code[0];
    if (!is_letter(first))
        return; // reported as an unexpected character
    bool ok = true;
    char const* expected = "";
    switch (format) {
    case Format::td3:
        ok = first == 'P';
        expected = "a passport's document code starts with P";
        break;
    case Format::mrv_a:
    case Format::mrv_b:
        ok = first == 'V';
        expected = "a visa's document code starts with V";
        break;
    case Format::td1:
    case Format::td2:
        ok = first == 'A' || first == 'C' || first == 'I';
        expected = "an identity document's code starts with A, C or I";
        break;
    case Format::fr_id_2x36:
        ok = code == "ID";
        expected = "the French card's document code is ID";
        break;
    case Format::fr_dl_1x30:
        ok = code == "D1";
        expected = "the French driving licence's document code is D1";
        break;
    }
    if (!ok)
        add_error(document, "document_code", expected);
}

void read_dates(Document& document, std::string_view text, Layout const& layout, year_month_day today)
{
    if (layout.issue_month.length) {
        auto issue = layout.issue_month.in(text);
        if (std::all_of(issue.begin(), issue.end(), is_digit)) {
            int yy = (issue[0] - '0') * 10 + (issue[1] - '0');
            int mm = (issue[2] - '0') * 10 + (issue[3] - '0');
            if (mm >= 1 && mm <= 12) {
                int year = past_year(yy, mm, 1, today);
                document.issue_month = std::chrono::year { year } / std::chrono::month { static_cast<unsigned>(mm) };
            } else {
                add_error(document, "issue_date", "issue month " + std::string(issue.substr(2)) + " is not a month");
            }
        }
    }

    auto birth = layout.birth.in(text);
    if (auto date = read_yymmdd(birth)) {
        // On the French card the holder was born before the card was issued, which settles the century
        // of the very old (born 1898, issued 1995) better than today does.
        auto reference = today;
        if (auto issue = document.issue_month)
            reference = std::min(today, year_month_day { issue->year() / issue->month() / last });
        auto ymd = make_date(past_year(date->yy, date->mm, date->dd, reference), date->mm, date->dd);
        if (ymd.ok())
            document.birth_date = ymd;
        else
            add_error(document, "birth_date", "not a valid date");
    }
    // A birth date with fillers is wholly or partly unknown (ICAO 9303 allows it): no date, and no error.

    if (layout.expiry.length) {
        if (auto date = read_yymmdd(layout.expiry.in(text))) {
            auto ymd = make_date(expiry_year(date->yy, today), date->mm, date->dd);
            if (ymd.ok())
                document.expiry_date = ymd;
            else
                add_error(document, "expiry_date", "not a valid date");
        }
    }

    if (document.issue_month)
        document.derived_expiry = derive_french_expiry(*document.issue_month, document.birth_date);
}

DocumentKind kind_of(Format format, std::string_view code, std::optional<NationalityStatus> status)
{
    switch (format) {
    case Format::td3: return status ? DocumentKind::travel_document : DocumentKind::passport;
    case Format::mrv_a:
    case Format::mrv_b: return DocumentKind::visa;
    case Format::fr_id_2x36: return DocumentKind::identity_card;
    case Format::fr_dl_1x30: return DocumentKind::driving_licence;
    case Format::td1:
    case Format::td2: break;
    }
    // ICAO 9303 part 5 leaves the second letter to the issuer; "R" after I or A marks a residence permit, as on the
    // EU uniform model (regulation 1030/2002) that France issues as its titre de séjour.
    if (code.size() == 2 && (code[0] == 'I' || code[0] == 'A') && code[1] == 'R')
        return DocumentKind::residence_permit;
    return DocumentKind::identity_card;
}

Document read_fields(std::string const& text, Layout const& layout, year_month_day today)
{
    Document document;
    document.format = layout.format;
    read_document_code(document, layout.code.in(text), layout.format);
    document.issuing_state = std::string(trim_trailing_fillers(layout.state.in(text)));
    if (document.issuing_state.empty())
        add_error(document, "issuing_state", "empty");

    auto number = std::string(layout.number.in(text));
    if (layout.number_overflow.length)
        number += layout.number_overflow.in(text);
    document.document_number = std::string(trim_trailing_fillers(number));
    if (document.document_number.empty())
        add_error(document, "document_number", "empty");

    document.surname = fillers_to_spaces(layout.surname.in(text));
    document.given_names = fillers_to_spaces(layout.given_names.in(text));
    bool icao_name = layout.format != Format::fr_id_2x36 && layout.format != Format::fr_dl_1x30;
    if (icao_name && document.surname.empty() && document.given_names.empty())
        add_error(document, "name", "empty: neither a surname nor given names");
    else if (!icao_name && document.surname.empty())
        add_error(document, "surname", "empty");
    // An ICAO name field starting with "<<" has no primary identifier: the holder has no surname (part 3, 4.6).

    if (layout.nationality.length) {
        auto nationality = trim_trailing_fillers(layout.nationality.in(text));
        if (nationality.empty())
            add_error(document, "nationality", "empty");
        else
            document.nationality = std::string(nationality);
        document.nationality_status = nationality_status(nationality);
    }

    if (layout.format == Format::fr_dl_1x30 && document.issuing_state != "FRA" && !document.issuing_state.empty())
        add_error(document, "issuing_state", "this one-line layout is the French driving licence's: FRA expected");

    if (layout.sex.length) {
        char sex = text[layout.sex.start];
        if (sex == 'F' || sex == 'M')
            document.sex = sex;
        else if (sex == 'X' || sex == '<')
            document.sex = 'X';
    }
    document.kind = kind_of(layout.format, document.document_code, document.nationality_status);

    std::string optional(trim_fillers(layout.optional.in(text)));
    auto optional_2 = trim_fillers(layout.optional_2.in(text));
    if (!optional_2.empty()) {
        if (!optional.empty())
            optional.push_back(' ');
        optional += optional_2;
    }
    if (!optional.empty())
        document.optional_data = std::move(optional);

    read_dates(document, text, layout, today);
    return document;
}

} // namespace

std::string_view to_string(Format format)
{
    switch (format) {
    case Format::td1: return "TD1";
    case Format::td2: return "TD2";
    case Format::td3: return "TD3";
    case Format::mrv_a: return "MRVA";
    case Format::mrv_b: return "MRVB";
    case Format::fr_id_2x36: return "FR_ID_2X36";
    case Format::fr_dl_1x30: return "FR_DL_1X30";
    }
    return "unknown";
}

std::string_view to_string(DocumentKind kind)
{
    switch (kind) {
    case DocumentKind::passport: return "passport";
    case DocumentKind::travel_document: return "travel_document";
    case DocumentKind::identity_card: return "identity_card";
    case DocumentKind::residence_permit: return "residence_permit";
    case DocumentKind::visa: return "visa";
    case DocumentKind::driving_licence: return "driving_licence";
    }
    return "unknown";
}

std::string_view to_string(NationalityStatus status)
{
    switch (status) {
    case NationalityStatus::stateless: return "stateless";
    case NationalityStatus::refugee: return "refugee";
    case NationalityStatus::refugee_other: return "refugee_other";
    case NationalityStatus::unspecified: return "unspecified";
    }
    return "unknown";
}

std::optional<NationalityStatus> nationality_status(std::string_view nationality)
{
    if (nationality == "XXA")
        return NationalityStatus::stateless;
    if (nationality == "XXB")
        return NationalityStatus::refugee;
    if (nationality == "XXC")
        return NationalityStatus::refugee_other;
    if (nationality == "XXX")
        return NationalityStatus::unspecified;
    return std::nullopt;
}

std::string_view to_string(LongNumberCheck check)
{
    switch (check) {
    case LongNumberCheck::icao: return "icao";
    case LongNumberCheck::filler_included: return "filler_included";
    }
    return "unknown";
}

int check_digit(std::string_view text)
{
    int sum = 0;
    int weight = 0;
    return weighted_sum(text, sum, weight) ? sum % 10 : -1;
}

Result<Document> parse(std::span<const std::string_view> raw_lines, year_month_day today)
{
    // Normalised lines share one buffer, which cannot outgrow the input: no character gets longer.
    size_t total = 0;
    for (auto raw : raw_lines)
        total += raw.size();
    std::string buffer(total, '\0');
    char* end = buffer.data();
    std::array<std::string_view, 3> lines;
    size_t line_count = 0;
    for (auto raw : raw_lines) {
        char* start = end;
        end = normalise_line(raw, start);
        std::string_view line(start, static_cast<size_t>(end - start));
        if (line.empty())
            continue;
        if (line_count == lines.size())
            return make_error(ErrorCode::idreader_failed, "not an MRZ: more than 3 lines");
        if (line.size() > max_line_length)
            return make_error(
                ErrorCode::idreader_failed, "not an MRZ: a line of " + std::to_string(line.size()) + " characters");
        lines[line_count++] = line;
    }
    auto [text, width] = TRY(fit_lines(std::span(lines.data(), line_count)));
    auto layout = layout_for(text, width, line_count);

    // A long number's check digit is computed two ways on issued cards. The way that holds is kept for what follows
    // (repairs, suggestions); when neither holds, ICAO's, so the error and suggestions follow the standard. The
    // digit is read as it will be once a letter look-alike in it is repaired; the number itself never is.
    std::optional<LongNumberCheck> long_number_check;
    if (layout.long_number_group) {
        auto& group = layout.groups[*layout.long_number_group];
        std::string trial = text;
        if (forced(CharClass::numeric, trial[group.check]))
            trial[group.check] = look_alike(trial[group.check]);
        if (holds(trial, group)) {
            long_number_check = LongNumberCheck::icao;
        } else if (holds(trial, layout.long_number_with_filler)) {
            group = layout.long_number_with_filler;
            long_number_check = LongNumberCheck::filler_included;
        }
    }

    Corrector corrector(text, layout);
    for (uint8_t g = 0; g < layout.group_count; ++g)
        corrector.resolve(layout.groups[g]);
    corrector.resolve_unchecked();
    std::bitset<max_groups> failed;
    for (uint8_t g = 0; g < layout.group_count; ++g)
        failed[g] = !holds(text, layout.groups[g]);

    auto document = read_fields(text, layout, today);
    if (layout.long_number_group && !failed[*layout.long_number_group])
        document.long_number_check = long_number_check;
    // Check digit failures first: they are what a reader of the errors looks for.
    std::vector<FieldError> field_errors = std::move(document.errors);
    document.errors.clear();
    for (uint8_t g = 0; g < layout.group_count; ++g) {
        if (failed[g])
            add_error(document, layout.groups[g].field, check_message(text, layout.groups[g]));
    }
    check_characters(document, text, layout);
    std::move(field_errors.begin(), field_errors.end(), std::back_inserter(document.errors));
    if (!corrector.read().empty())
        report_corrections(document, corrector.read(), text, layout);
    if (failed.any())
        suggest(document, text, layout, failed);

    document.valid = document.errors.empty();
    document.lines.reserve(line_count);
    for (size_t line = 0; line < line_count; ++line)
        document.lines.emplace_back(text.substr(line * width, width));
    return document;
}

Result<Document> parse_text(std::string_view text, year_month_day today)
{
    std::vector<std::string_view> lines;
    size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find_first_of("\r\n", start);
        if (end == std::string_view::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return parse(lines, today);
}

} // namespace kiosk::drivers::mrz
