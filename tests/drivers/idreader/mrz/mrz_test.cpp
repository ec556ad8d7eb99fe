// Tests of the MRZ parser against ICAO 9303 specimens and the French card specimen, and of `kiosk mrz`.
#include "drivers/idreader/mrz/mrz.h"
#include "kiosk/cli/commands.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <sstream>

using namespace std::chrono;
using namespace kiosk::drivers::mrz;
using kiosk::Result;

namespace {

constexpr year_month_day today = 2025y / June / 15;

// ICAO 9303 specimens: part 4 (TD3), part 5 (TD1, and the long document number example), part 6 (TD2),
// part 7 (MRV-A, MRV-B); and the well-known specimen of the French card issued before 2021.
constexpr std::string_view td3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
constexpr std::string_view td3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
constexpr std::string_view td1_1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
constexpr std::string_view td1_2 = "7408122F1204159UTO<<<<<<<<<<<6";
constexpr std::string_view td1_3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
constexpr std::string_view td1_long_1 = "I<UTOD23145890<7349<<<<<<<<<<<";
constexpr std::string_view td1_long_2 = "3407127M9507122UTO<<<<<<<<<<<2";
constexpr std::string_view td1_long_3 = "STEVENSON<<PETER<JOHN<<<<<<<<<";
constexpr std::string_view td2_1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
constexpr std::string_view td2_2 = "D231458907UTO7408122F1204159<<<<<<<6";
constexpr std::string_view mrva_1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
constexpr std::string_view mrva_2 = "L8988901C4XXX4009078F96121096ZE184226B<<<<<<";
constexpr std::string_view mrvb_1 = "V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
constexpr std::string_view mrvb_2 = "L8988901C4XXX4009078F9612109<<<<<<<<";
constexpr std::string_view fr_1 = "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<";
constexpr std::string_view fr_2 = "8806923102858CORINNE<<<<<<<6512068F6";
// The French driving licence: the two test documents of github.com/cheminfo/mrz (one line of 30).
constexpr std::string_view licence_martin = "D1FRA13AA000026181231MARTIN<<9";
constexpr std::string_view licence_bettolo = "D1FRA13BB148959280920BETTOLO<7";
// Belgian cards with 12-digit numbers, from the tests of github.com/datacheckerbv/MRZParser: the first and the third
// compute the number's check digit ICAO's way, the second with the '<' of position 15 included.
constexpr std::string_view bel_1_1 = "IDBEL000001115<7027<<<<<<<<<<<";
constexpr std::string_view bel_1_2 = "9502286F3001064BEL950228998747";
constexpr std::string_view bel_2_1 = "IDBEL592211692<1741<<<<<<<<<<<";
constexpr std::string_view bel_2_2 = "9003107F2509301BEL900310244094";
constexpr std::string_view bel_3_1 = "IDBEL615057409<9390<<<<<<<<<<<";
constexpr std::string_view bel_3_2 = "1202177F2506160BEL120217144293";
constexpr std::string_view bel_3 = "SPECIMEN<<SPECIMEN<<<<<<<<<<<<";

Document must_parse(std::vector<std::string_view> lines, year_month_day on = today)
{
    auto result = parse(lines, on);
    if (!result)
        FAIL("not parsed: " << result.error().detail);
    return *result;
}

Document must_parse_all(std::vector<std::string> const& lines, year_month_day on = today)
{
    return must_parse(std::vector<std::string_view>(lines.begin(), lines.end()), on);
}

bool has_error(Document const& document, std::string_view field)
{
    return std::any_of(document.errors.begin(), document.errors.end(), [&](auto const& e) { return e.field == field; });
}

std::string error_fields(Document const& document)
{
    std::string fields;
    for (auto const& error : document.errors)
        fields += error.field + ": " + error.message + "; ";
    return fields;
}

std::optional<Correction> correction(Document const& document, std::string_view field)
{
    for (auto const& c : document.corrections) {
        if (c.field == field)
            return c;
    }
    return std::nullopt;
}

char digit(std::string_view text)
{
    return static_cast<char>('0' + check_digit(text));
}

std::string pad(std::string_view text, size_t width)
{
    std::string out(text);
    out.resize(width, '<');
    return out;
}

// Line 2 of a TD3 passport with every check digit computed.
std::string td3_line2(
    std::string_view number, std::string_view birth, char sex, std::string_view expiry, std::string_view optional = "")
{
    auto n = pad(number, 9);
    auto o = pad(optional, 14);
    std::string line = n + digit(n) + "UTO" + std::string(birth) + digit(birth) + sex + std::string(expiry)
        + digit(expiry) + o + digit(o);
    line += digit(line.substr(0, 10) + line.substr(13, 7) + line.substr(21, 22));
    return line;
}

// Both lines of a French pre-2021 card with every check digit computed.
std::vector<std::string> french(std::string_view surname, std::string_view number, std::string_view given,
    std::string_view birth, char sex = 'F', std::string_view administrative = "")
{
    std::string line1 = "IDFRA" + pad(surname, 25) + pad(administrative, 6);
    std::string line2 = std::string(number) + digit(number) + pad(given, 14) + std::string(birth) + digit(birth) + sex;
    line2 += digit(line1 + line2);
    return { line1, line2 };
}

// A French driving licence line with both check digits computed; each covers the line from its start.
std::string licence(std::string_view number, std::string_view expiry, std::string_view surname)
{
    std::string line = "D1FRA" + pad(number, 9);
    line += digit(line);
    line += std::string(expiry) + pad(surname, 8);
    line += digit(line);
    return line;
}

// ERIKSSON ANNA, born 12 August 1974, in any format, every check digit computed. `optional` is TD1's line 1
// optional data or the administrative code of the French card (12-character numbers).
std::vector<std::string> make_mrz(Format format, std::string_view number, std::string_view optional = "")
{
    constexpr std::string_view birth = "740812";
    constexpr std::string_view expiry = "300415";
    auto n = pad(number, 9);
    // Line 2 of TD2, MRV-A and MRV-B up to the optional data.
    std::string personal
        = n + digit(n) + "UTO" + std::string(birth) + digit(birth) + "F" + std::string(expiry) + digit(expiry);
    switch (format) {
    case Format::td1: {
        std::string line1 = "I<UTO" + n + digit(n) + pad(optional, 15);
        std::string line2 = std::string(birth) + digit(birth) + "F" + std::string(expiry) + digit(expiry) + "UTO";
        line2 = pad(line2, 29);
        line2 += digit(line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11));
        return { line1, line2, std::string(td1_3) };
    }
    case Format::td2: {
        std::string line2 = personal + pad(optional, 7);
        line2 += digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 14));
        return { std::string(td2_1), line2 };
    }
    case Format::td3: return { std::string(td3_1), td3_line2(number, birth, 'F', expiry) };
    case Format::mrv_a: return { std::string(mrva_1), pad(personal, 44) };
    case Format::mrv_b: return { std::string(mrvb_1), pad(personal, 36) };
    case Format::fr_id_2x36: return french("ERIKSSON", number, "ANNA", birth, 'F', optional);
    // The licence has neither given names nor a birth date.
    case Format::fr_dl_1x30: return { licence(number, expiry, "ERIKSSON") };
    }
    return {};
}

// Where the document number starts: line and column.
std::pair<size_t, size_t> number_at(Format format)
{
    return format == Format::td1 || format == Format::fr_dl_1x30 ? std::pair<size_t, size_t> { 0, 5 }
                                                                 : std::pair<size_t, size_t> { 1, 0 };
}

// A TD1 document of ERIKSSON ANNA's dates with every check digit computed.
std::vector<std::string> td1(
    std::string_view code, std::string_view state, std::string_view nationality, std::string_view name)
{
    auto n = pad("D23145890", 9);
    std::string line1 = pad(code, 2) + std::string(state) + n + digit(n) + pad("", 15);
    std::string line2
        = pad(std::string("740812") + digit("740812") + "F300415" + digit("300415") + std::string(nationality), 29);
    line2 += digit(line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11));
    return { line1, line2, pad(name, 30) };
}

// "field: read -> reading", one per suggestion, to compare whole lists.
std::vector<std::string> suggestions(Document const& document)
{
    std::vector<std::string> out;
    for (auto const& s : document.suggestions)
        out.push_back(s.field + ": " + s.read + " -> " + s.reading);
    return out;
}

std::string lines_text(std::vector<std::string_view> const& lines)
{
    std::string text;
    for (auto line : lines)
        text += std::string(line) + "\n";
    return text;
}

std::string replace(std::string_view text, size_t position, char c)
{
    std::string out(text);
    out[position] = c;
    return out;
}

} // namespace

TEST_CASE("check digits follow ICAO 9303 part 3")
{
    CHECK(check_digit("520727") == 3); // the worked example of part 3
    CHECK(check_digit("L898902C3") == 6);
    CHECK(check_digit("740812") == 2);
    CHECK(check_digit("ZE184226B<<<<<") == 1);
    CHECK(check_digit("<<<<<<") == 0);
    CHECK(check_digit("") == 0);
    CHECK(check_digit("AB?") == -1);
    CHECK(check_digit("ab") == -1); // the parser upper-cases first; the digit itself does not guess
}

TEST_CASE("TD3 passport specimen")
{
    auto d = must_parse({ td3_1, td3_2 });
    CHECK(d.format == Format::td3);
    CHECK(to_string(d.format) == "TD3");
    CHECK(d.valid);
    CHECK(d.errors.empty());
    CHECK(d.corrections.empty());
    CHECK(d.document_code == "P");
    CHECK(d.issuing_state == "UTO");
    CHECK(d.document_number == "L898902C3");
    CHECK(d.surname == "ERIKSSON");
    CHECK(d.given_names == "ANNA MARIA");
    CHECK(d.nationality == "UTO");
    CHECK(d.birth_date == 1974y / August / 12);
    CHECK(d.sex == 'F');
    CHECK(d.expiry_date == 2012y / April / 15);
    CHECK(d.optional_data == "ZE184226B");
    CHECK_FALSE(d.derived_expiry);
    CHECK(d.lines == std::vector<std::string> { std::string(td3_1), std::string(td3_2) });
}

TEST_CASE("TD1 identity card specimen")
{
    auto d = must_parse({ td1_1, td1_2, td1_3 });
    CHECK(d.format == Format::td1);
    CHECK(d.valid);
    CHECK(d.document_code == "I");
    CHECK(d.issuing_state == "UTO");
    CHECK(d.document_number == "D23145890");
    CHECK(d.surname == "ERIKSSON");
    CHECK(d.given_names == "ANNA MARIA");
    CHECK(d.nationality == "UTO");
    CHECK(d.birth_date == 1974y / August / 12);
    CHECK(d.sex == 'F');
    CHECK(d.expiry_date == 2012y / April / 15);
    CHECK_FALSE(d.optional_data);
}

TEST_CASE("TD1 document number longer than 9 characters continues in the optional data")
{
    auto d = must_parse({ td1_long_1, td1_long_2, td1_long_3 });
    INFO(error_fields(d));
    CHECK(d.valid);
    CHECK(d.document_number == "D23145890734");
    CHECK_FALSE(d.optional_data);
    CHECK(d.surname == "STEVENSON");
    CHECK(d.given_names == "PETER JOHN");
    CHECK(d.sex == 'M');
    CHECK(d.birth_date == 1934y / July / 12);
    // More than 50 years ahead of today is read in the previous century.
    CHECK(d.expiry_date == 1995y / July / 12);

    SECTION("its check digit, at the end of the continuation, is checked")
    {
        auto bad = must_parse({ replace(td1_long_1, 18, '8'), std::string(td1_long_2), std::string(td1_long_3) });
        CHECK_FALSE(bad.valid);
        CHECK(has_error(bad, "document_number"));
        CHECK(has_error(bad, "composite"));
    }
    SECTION("optional data after the continuation is kept")
    {
        std::string line1 = "I<UTOD23145890<7349<AB12<<<<<<";
        std::string line2(td1_long_2);
        line2[29] = digit(line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11));
        auto with_data = must_parse({ line1, line2, std::string(td1_long_3) });
        INFO(error_fields(with_data));
        CHECK(with_data.valid);
        CHECK(with_data.document_number == "D23145890734");
        CHECK(with_data.optional_data == "AB12");
    }
    SECTION("a '<' check digit without a continuation is an error")
    {
        std::string line1 = "I<UTOD23145890<<<<<<<<<<<<<<<<";
        std::string line2(td1_long_2);
        line2[29] = digit(line1.substr(5, 25) + line2.substr(0, 7) + line2.substr(8, 7) + line2.substr(18, 11));
        auto broken = must_parse({ line1, line2, std::string(td1_long_3) });
        CHECK_FALSE(broken.valid);
        CHECK(has_error(broken, "document_number"));
        CHECK_FALSE(has_error(broken, "composite"));
    }
}

TEST_CASE("TD2 specimen")
{
    auto d = must_parse({ td2_1, td2_2 });
    CHECK(d.format == Format::td2);
    CHECK(d.valid);
    CHECK(d.document_code == "I");
    CHECK(d.document_number == "D23145890");
    CHECK(d.surname == "ERIKSSON");
    CHECK(d.given_names == "ANNA MARIA");
    CHECK(d.nationality == "UTO");
    CHECK(d.birth_date == 1974y / August / 12);
    CHECK(d.expiry_date == 2012y / April / 15);
    CHECK_FALSE(d.optional_data);

    SECTION("long document number")
    {
        std::string line2 = "D23145890<UTO7408122F1204159734<<<<";
        line2[31] = digit("D23145890734");
        line2 += digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 14));
        auto long_number = must_parse({ std::string(td2_1), line2 });
        INFO(error_fields(long_number));
        CHECK(long_number.valid);
        CHECK(long_number.document_number == "D23145890734");
        CHECK_FALSE(long_number.optional_data);
    }
}

TEST_CASE("MRV-A and MRV-B visa specimens")
{
    auto a = must_parse({ mrva_1, mrva_2 });
    CHECK(a.format == Format::mrv_a);
    CHECK(to_string(a.format) == "MRVA");
    CHECK(a.valid);
    CHECK(a.document_code == "V");
    CHECK(a.document_number == "L8988901C");
    CHECK(a.nationality == "XXX");
    CHECK(a.birth_date == 1940y / September / 7);
    CHECK(a.expiry_date == 1996y / December / 10);
    CHECK(a.optional_data == "6ZE184226B");

    auto b = must_parse({ mrvb_1, mrvb_2 });
    CHECK(b.format == Format::mrv_b);
    CHECK(to_string(b.format) == "MRVB");
    CHECK(b.valid);
    CHECK(b.surname == "ERIKSSON");
    CHECK(b.document_number == "L8988901C");
    CHECK_FALSE(b.optional_data);
}

TEST_CASE("French identity card issued before 2021: the specimen")
{
    auto d = must_parse({ fr_1, fr_2 });
    INFO(error_fields(d));
    CHECK(d.format == Format::fr_id_2x36);
    CHECK(to_string(d.format) == "FR_ID_2X36");
    CHECK(d.valid);
    CHECK(d.document_code == "ID");
    CHECK(d.issuing_state == "FRA");
    CHECK(d.document_number == "880692310285");
    CHECK(d.surname == "BERTHIER");
    CHECK(d.given_names == "CORINNE");
    CHECK_FALSE(d.nationality);
    CHECK(d.birth_date == 1965y / December / 6);
    CHECK(d.sex == 'F');
    CHECK_FALSE(d.expiry_date);
    CHECK(d.issue_month == 1988y / June);
    REQUIRE(d.derived_expiry);
    CHECK(d.derived_expiry->month == 1998y / June);
    CHECK(d.derived_expiry->years == 10);
    CHECK_FALSE(d.derived_expiry->uncertain);
    CHECK_FALSE(d.optional_data);
}

TEST_CASE("French card: names, administrative code and office codes with letters")
{
    auto lines = french("DE<LA<FONTAINE", "10032A012345", "JEAN<<PIERRE", "850101", 'M', "2A0012");
    auto d = must_parse_all(lines);
    INFO(error_fields(d));
    CHECK(d.valid);
    CHECK(d.surname == "DE LA FONTAINE");
    CHECK(d.given_names == "JEAN PIERRE");
    CHECK(d.document_number == "10032A012345");
    CHECK(d.optional_data == "2A0012");
    CHECK(d.sex == 'M');
}

TEST_CASE("each check digit failing is reported on its field")
{
    struct Case {
        std::vector<std::string_view> lines;
        size_t line;
        size_t column;
        std::string_view field;
    };
    auto c = GENERATE(Case { { td3_1, td3_2 }, 1, 9, "document_number" },
        Case { { td3_1, td3_2 }, 1, 19, "birth_date" }, Case { { td3_1, td3_2 }, 1, 27, "expiry_date" },
        Case { { td3_1, td3_2 }, 1, 42, "optional_data" }, Case { { td3_1, td3_2 }, 1, 43, "composite" },
        Case { { td1_1, td1_2, td1_3 }, 0, 14, "document_number" },
        Case { { td1_1, td1_2, td1_3 }, 1, 6, "birth_date" }, Case { { td1_1, td1_2, td1_3 }, 1, 14, "expiry_date" },
        Case { { td1_1, td1_2, td1_3 }, 1, 29, "composite" }, Case { { td2_1, td2_2 }, 1, 9, "document_number" },
        Case { { td2_1, td2_2 }, 1, 19, "birth_date" }, Case { { td2_1, td2_2 }, 1, 27, "expiry_date" },
        Case { { td2_1, td2_2 }, 1, 35, "composite" }, Case { { mrva_1, mrva_2 }, 1, 9, "document_number" },
        Case { { mrva_1, mrva_2 }, 1, 19, "birth_date" }, Case { { mrva_1, mrva_2 }, 1, 27, "expiry_date" },
        Case { { mrvb_1, mrvb_2 }, 1, 9, "document_number" }, Case { { mrvb_1, mrvb_2 }, 1, 19, "birth_date" },
        Case { { mrvb_1, mrvb_2 }, 1, 27, "expiry_date" }, Case { { fr_1, fr_2 }, 1, 12, "document_number" },
        Case { { fr_1, fr_2 }, 1, 33, "birth_date" }, Case { { fr_1, fr_2 }, 1, 35, "composite" });
    std::vector<std::string> lines(c.lines.begin(), c.lines.end());
    char& check = lines[c.line][c.column];
    // A digit that is not a look-alike of a letter, so no correction can hide the failure.
    check = check == '7' ? '6' : '7';
    auto d = must_parse_all(lines);
    INFO(c.field << " " << error_fields(d));
    CHECK_FALSE(d.valid);
    CHECK(has_error(d, c.field));
    CHECK(d.corrections.empty());
}

TEST_CASE("TD3 optional data: empty field with '<' or 0 as check digit")
{
    auto filler = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "900713", 'M', "300211") });
    INFO(error_fields(filler));
    CHECK(filler.valid);
    CHECK_FALSE(filler.optional_data);

    auto line2 = td3_line2("X4RTBPFW4", "900713", 'M', "300211");
    line2[42] = '<';
    line2[43] = digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
    auto with_filler_check = must_parse({ std::string(td3_1), line2 });
    INFO(error_fields(with_filler_check));
    CHECK(with_filler_check.valid);

    auto data = td3_line2("X4RTBPFW4", "900713", 'M', "300211", "AB1");
    data[42] = '<';
    data[43] = digit(data.substr(0, 10) + data.substr(13, 7) + data.substr(21, 22));
    auto missing = must_parse({ std::string(td3_1), data });
    CHECK_FALSE(missing.valid);
    CHECK(has_error(missing, "optional_data"));
}

TEST_CASE("tolerant input forms parse to the same document")
{
    auto expect_specimen = [](Result<Document> const& result) {
        REQUIRE(result);
        INFO(error_fields(*result));
        CHECK(result->valid);
        CHECK(result->corrections.empty());
        CHECK(result->format == Format::td3);
        CHECK(result->surname == "ERIKSSON");
        CHECK(result->given_names == "ANNA MARIA");
        CHECK(result->document_number == "L898902C3");
        CHECK(result->lines[0] == td3_1);
        CHECK(result->lines[1] == td3_2);
    };
    SECTION("lower case")
    {
        expect_specimen(parse_text("p<utoeriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\n"
                                   "l898902c36uto7408122f1204159ze184226b<<<<<10",
            today));
    }
    SECTION("spaces inside and around the lines")
    {
        expect_specimen(parse_text("  P<UTO ERIKSSON<<ANNA<MARIA <<<<<<<<<<<<<<<<<<<  \n"
                                   "\tL898902C36 UTO 7408122 F 1204159 ZE184226B<<<<< 1 0 ",
            today));
    }
    SECTION("« and ‹ for the filler")
    {
        expect_specimen(parse_text("P\u00abUTOERIKSSON\u00ab\u00abANNA\u00abMARIA"
                                   "\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab"
                                   "\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\u00ab\n"
                                   "L898902C36UTO7408122F1204159ZE184226B\u2039\u2039\u2039\u2039\u203910",
            today));
    }
    SECTION("blank lines, CRLF and CR")
    {
        expect_specimen(
            parse_text("\r\n\r\n" + std::string(td3_1) + "\r\n\r\n" + std::string(td3_2) + "\r\n\n", today));
        expect_specimen(parse_text(std::string(td3_1) + "\r" + std::string(td3_2), today));
    }
    SECTION("excess trailing fillers")
    {
        expect_specimen(parse_text(std::string(td3_1) + "<<<<\n" + std::string(td3_2) + "<<", today));
    }
    SECTION("missing trailing fillers after the name")
    {
        expect_specimen(parse_text("P<UTOERIKSSON<<ANNA<MARIA\n" + std::string(td3_2), today));
    }
    SECTION("TD1 name line without its padding")
    {
        auto d = parse_text(std::string(td1_1) + "\n" + std::string(td1_2) + "\nERIKSSON<<ANNA<MARIA", today);
        REQUIRE(d);
        CHECK(d->valid);
        CHECK(d->format == Format::td1);
        CHECK(d->lines[2] == td1_3);
    }
    SECTION("MRV-B whose name line lost its padding is told apart from MRV-A by line 2")
    {
        auto d = parse_text("V<UTOERIKSSON<<ANNA<MARIA\n" + std::string(mrvb_2), today);
        REQUIRE(d);
        CHECK(d->valid);
        CHECK(d->format == Format::mrv_b);
    }
}

TEST_CASE("numeric fields: a letter look-alike is corrected when the check digit then holds")
{
    SECTION("birth date")
    {
        auto d = must_parse({ std::string(td3_1), replace(td3_2, 15, 'O') });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.birth_date == 1974y / August / 12);
        auto c = correction(d, "birth_date");
        REQUIRE(c);
        CHECK(c->from == "74O812");
        CHECK(c->to == "740812");
        CHECK(d.corrections.size() == 1);
        CHECK(d.lines[1] == td3_2);
    }
    SECTION("expiry date")
    {
        auto d = must_parse({ std::string(td3_1), replace(td3_2, 21, 'I') });
        CHECK(d.valid);
        CHECK(d.expiry_date == 2012y / April / 15);
        REQUIRE(correction(d, "expiry_date"));
        CHECK(correction(d, "expiry_date")->from == "I20415");
    }
    SECTION("check digits, composite included")
    {
        auto line2 = replace(replace(td3_2, 19, 'Z'), 43, 'O');
        auto d = must_parse({ std::string(td3_1), line2 });
        INFO(error_fields(d));
        CHECK(d.valid);
        REQUIRE(correction(d, "birth_date_check"));
        CHECK(correction(d, "birth_date_check")->to == "2");
        REQUIRE(correction(d, "composite_check"));
        CHECK(correction(d, "composite_check")->from == "O");
        CHECK(correction(d, "composite_check")->to == "0");
    }
    SECTION("several look-alikes in one field: B, S, Z")
    {
        auto line2 = td3_line2("X4RTBPFW4", "850225", 'M', "300211");
        line2[13] = 'B';
        line2[14] = 'S';
        line2[15] = 'O';
        line2[17] = 'Z';
        auto d = must_parse({ std::string(td3_1), line2 });
        CHECK(d.valid);
        CHECK(d.birth_date == 1985y / February / 25);
        REQUIRE(correction(d, "birth_date"));
        CHECK(correction(d, "birth_date")->from == "BSO2Z5");
    }
    SECTION("French card issue month and sequence number")
    {
        auto line2 = replace(replace(std::string(fr_2), 2, 'O'), 11, 'S');
        auto d = must_parse({ std::string(fr_1), line2 });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.document_number == "880692310285");
        REQUIRE(correction(d, "document_number"));
        CHECK(correction(d, "document_number")->from == "88O69231028S");
    }
}

TEST_CASE("numeric fields: no correction when the check digit still fails")
{
    auto line2 = replace(replace(td3_2, 15, 'O'), 19, '3');
    auto d = must_parse({ std::string(td3_1), line2 });
    CHECK_FALSE(d.valid);
    CHECK(d.corrections.empty());
    CHECK(has_error(d, "birth_date"));
    CHECK_FALSE(d.birth_date);
    CHECK(d.lines[1] == line2);
    auto unexpected = std::count_if(d.errors.begin(), d.errors.end(),
        [](auto const& e) { return e.field == "birth_date" && e.message == "unexpected character 'O'"; });
    CHECK(unexpected == 1);
}

TEST_CASE("alpha fields: a digit look-alike in a name or state code is corrected")
{
    SECTION("names and state codes outside every check digit: the field type decides")
    {
        auto line1 = replace(replace(replace(td3_1, 4, '0'), 11, '0'), 23, '1');
        auto line2 = replace(td3_2, 12, '0');
        auto d = must_parse({ line1, line2 });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.issuing_state == "UTO");
        CHECK(d.surname == "ERIKSSON");
        CHECK(d.given_names == "ANNA MARIA");
        CHECK(d.nationality == "UTO");
        REQUIRE(correction(d, "surname"));
        CHECK(correction(d, "surname")->from == "ERIKSS0N");
        CHECK(correction(d, "surname")->to == "ERIKSSON");
        REQUIRE(correction(d, "given_names"));
        CHECK(correction(d, "given_names")->from == "<<ANNA<MAR1A");
        CHECK(correction(d, "issuing_state"));
        CHECK(correction(d, "nationality"));
    }
    SECTION("document code")
    {
        auto td1 = must_parse({ replace(td1_1, 0, '1'), std::string(td1_2), std::string(td1_3) });
        CHECK(td1.valid);
        CHECK(td1.document_code == "I");
        REQUIRE(correction(td1, "document_code"));
    }
    SECTION("on the French card names are covered by the composite, which must then hold")
    {
        auto d = must_parse({ replace(fr_1, 10, '1'), std::string(fr_2) });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.surname == "BERTHIER");
        REQUIRE(correction(d, "surname"));
        CHECK(correction(d, "surname")->from == "BERTH1ER");

        auto refused = must_parse({ replace(fr_1, 10, '1'), replace(fr_2, 35, '7') });
        CHECK_FALSE(refused.valid);
        CHECK(refused.corrections.empty());
        CHECK(refused.surname == "BERTH1ER");
        CHECK(has_error(refused, "surname"));
        CHECK(has_error(refused, "composite"));
    }
    SECTION("sex: no look-alike gives F, M or X, so a digit stays an error")
    {
        auto line2 = replace(td3_2, 20, '5');
        auto d = must_parse({ std::string(td3_1), line2 });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "sex"));
        CHECK_FALSE(d.sex);
        CHECK(d.corrections.empty());
    }
}

// One mod-10 digit cannot tell a misread from a lucky swap: the parser used to "correct" a number when a
// single combination of look-alikes made its digit hold, and so turned misprinted and forged numbers into
// valid-looking other numbers. A number is now never rewritten; the readings are suggested to the agent.
TEST_CASE("document numbers: never rewritten; the look-alike readings that fit are suggested")
{
    SECTION("one reading fits: suggested, the number stays as read")
    {
        auto line2 = td3_line2("AA3456789", "850225", 'M', "300211");
        line2[4] = 'S';
        auto d = must_parse({ std::string(td3_1), line2 });
        INFO(error_fields(d));
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "document_number"));
        CHECK(d.document_number == "AA34S6789");
        CHECK(d.corrections.empty());
        CHECK(d.lines[1] == line2);
        CHECK(suggestions(d) == std::vector<std::string> { "document_number: AA34S6789 -> AA3456789" });
    }
    SECTION("a letter read as a digit")
    {
        auto line2 = td3_line2("X4RTBPFW4", "850225", 'M', "300211");
        line2[4] = '8';
        auto d = must_parse({ std::string(td3_1), line2 });
        CHECK_FALSE(d.valid);
        CHECK(d.document_number == "X4RT8PFW4");
        CHECK(suggestions(d) == std::vector<std::string> { "document_number: X4RT8PFW4 -> X4RTBPFW4" });
    }
    SECTION("several readings fit: all suggested, fewest swaps first")
    {
        // L898902C3 read as L8989O2C3: L898902C3, LB9B902C3 and LB9890ZC3 all make the digit hold.
        auto d = must_parse({ std::string(td3_1), replace(td3_2, 5, 'O') });
        CHECK_FALSE(d.valid);
        CHECK(d.corrections.empty());
        CHECK(d.document_number == "L8989O2C3");
        REQUIRE(has_error(d, "document_number"));
        CHECK(d.errors[0].message == "check digit 6 does not match (computed 0)");
        CHECK(suggestions(d)
            == std::vector<std::string> { "document_number: L8989O2C3 -> L898902C3",
                "document_number: L8989O2C3 -> LB9B902C3", "document_number: L8989O2C3 -> LB9890ZC3" });
    }
    SECTION("a number whose check digit holds is never touched, look-alikes or not")
    {
        // L8988901C holds as read, and so would six look-alike readings of it.
        auto d = must_parse({ mrva_1, mrva_2 });
        CHECK(d.valid);
        CHECK(d.document_number == "L8988901C");
        CHECK(d.corrections.empty());
        CHECK(d.suggestions.empty());
    }
    SECTION("a long TD1 number misread in its first part: the reading covers all of it")
    {
        auto d = must_parse({ replace(td1_long_1, 13, 'O'), std::string(td1_long_2), std::string(td1_long_3) });
        INFO(error_fields(d));
        CHECK_FALSE(d.valid);
        CHECK(d.document_number == "D2314589O734");
        auto list = suggestions(d);
        CHECK(std::find(list.begin(), list.end(), "document_number: D2314589O734 -> D23145890734") != list.end());
    }
}

TEST_CASE("every format: a misprinted document number is invalid, with the readings that fit")
{
    struct Case {
        Format format;
        std::string_view number;
        size_t at;
        char printed;
        std::vector<std::string> readings; // empty: no look-alike reading makes the digit hold
    };
    auto c = GENERATE(Case { Format::td1, "D23145890", 5, 'S', { "D23145890", "DZ3145B90", "D23I45B90" } },
        Case { Format::td1, "L8988901C", 5, '4', {} },
        Case { Format::td2, "D23145890", 3, 'I', { "D23145890", "D23I45B90", "DZ3145B90" } },
        Case { Format::td2, "AA3456789", 1, '3', {} }, Case { Format::td3, "AA3456789", 4, 'S', { "AA3456789" } },
        Case { Format::td3, "L898902C3", 5, '7', {} },
        // Seven readings fit; the four with fewest swaps are listed, and the true one has a single swap.
        Case { Format::mrv_a, "L8988901C", 1, 'B', { "L8988901C", "LB9B8901C", "LB98890IC", "L89BB901C" } },
        Case { Format::mrv_a, "AA3456789", 0, '7', {} }, Case { Format::mrv_b, "X4RTBPFW4", 4, '8', { "X4RTBPFW4" } },
        Case { Format::mrv_b, "L8988901C", 2, '4', {} },
        // Only the office code of the French number may hold letters; the rest is forced to digits.
        Case { Format::fr_id_2x36, "10032A012345", 4, 'Z', { "10032A012345" } },
        Case { Format::fr_id_2x36, "10032A012345", 10, '6', {} },
        // The licence's number check digit covers "D1FRA" too.
        Case { Format::fr_dl_1x30, "13AA00002", 4, 'O', { "13AA00002", "13AAOO002", "13AAO0OO2", "13AA0O0O2" } },
        Case { Format::fr_dl_1x30, "13BB14895", 2, '8', { "13BB14895", "138BI4895", "138B1489S", "I3BB14B95" } });
    auto lines = make_mrz(c.format, c.number);
    auto valid = must_parse_all(lines);
    INFO(to_string(c.format) << " " << c.number << " " << error_fields(valid));
    REQUIRE(valid.valid);
    REQUIRE(valid.format == c.format);

    auto [line, column] = number_at(c.format);
    lines[line][column + c.at] = c.printed;
    std::string read(c.number);
    read[c.at] = c.printed;
    auto d = must_parse_all(lines);
    INFO(error_fields(d));
    CHECK(d.format == c.format);
    CHECK_FALSE(d.valid);
    CHECK(has_error(d, "document_number"));
    CHECK(d.document_number == read);
    CHECK(d.corrections.empty());
    CHECK(d.lines[line] == lines[line]);
    std::vector<std::string> expected;
    for (auto const& reading : c.readings)
        expected.push_back("document_number: " + read + " -> " + reading);
    CHECK(suggestions(d) == expected);
}

namespace {

// A forced confusion was repaired: the document is valid, the repair is its one correction, nothing is suggested.
void check_repaired(Document const& d, std::string_view field, std::string_view from, std::string_view to)
{
    INFO(error_fields(d));
    CHECK(d.valid);
    CHECK(d.corrections.size() == 1);
    auto c = correction(d, field);
    REQUIRE(c);
    CHECK(c->from == from);
    CHECK(c->to == to);
    CHECK(d.suggestions.empty());
}

} // namespace

TEST_CASE("every format: a letter in a date and a digit in a name are repaired and reported")
{
    auto format = GENERATE(Format::td1, Format::td2, Format::td3, Format::mrv_a, Format::mrv_b, Format::fr_id_2x36);
    auto number = format == Format::fr_id_2x36 ? "10032A012345" : "AA3456789";
    INFO(to_string(format));
    SECTION("a letter in the birth date")
    {
        auto lines = make_mrz(format, number);
        // The birth date "740812" starts at column 0 of TD1's line 2, 27 of the French line 2, else 13.
        size_t column = format == Format::td1 ? 0 : format == Format::fr_id_2x36 ? 27 : 13;
        REQUIRE(lines[1].substr(column, 6) == "740812");
        lines[1][column + 2] = 'O';
        auto d = must_parse_all(lines);
        check_repaired(d, "birth_date", "74O812", "740812");
        CHECK(d.birth_date == 1974y / August / 12);
    }
    SECTION("a digit in the surname")
    {
        auto lines = make_mrz(format, number);
        auto& name_line = lines[format == Format::td1 ? 2 : 0];
        size_t column = name_line.find("ERIKSSON");
        REQUIRE(column != std::string::npos);
        name_line[column + 6] = '0';
        auto d = must_parse_all(lines);
        check_repaired(d, "surname", "ERIKSS0N", "ERIKSSON");
        CHECK(d.surname == "ERIKSSON");
    }
}

TEST_CASE("a failing composite check digit")
{
    SECTION("misprinted itself: invalid, nothing rewritten, nothing to suggest")
    {
        auto format = GENERATE(Format::td1, Format::td2, Format::td3, Format::fr_id_2x36);
        auto lines = make_mrz(format, format == Format::fr_id_2x36 ? "10032A012345" : "AA3456789");
        auto& last = lines[1];
        last.back() = last.back() == '7' ? '6' : '7';
        auto d = must_parse_all(lines);
        INFO(to_string(format) << " " << error_fields(d));
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "composite"));
        CHECK(d.errors.size() == 1);
        CHECK(d.corrections.empty());
        CHECK(d.suggestions.empty());
    }
    SECTION("a look-alike in data only the composite covers: suggested, never rewritten")
    {
        struct Case {
            Format format;
            std::string_view field;
            std::string_view data;
            std::string_view printed;
        };
        auto c = GENERATE(Case { Format::td1, "optional_data", "AB12", "AB1Z" },
            Case { Format::td2, "optional_data", "AB12", "A812" },
            Case { Format::fr_id_2x36, "administrative_code", "2A0012", "2A00I2" });
        auto number = c.format == Format::fr_id_2x36 ? "10032A012345" : "AA3456789";
        auto lines = make_mrz(c.format, number, c.data);
        auto& line = c.format == Format::td2 ? lines[1] : lines[0];
        auto at = line.rfind(c.data);
        REQUIRE(at != std::string::npos);
        line.replace(at, c.data.size(), c.printed);
        auto d = must_parse_all(lines);
        INFO(to_string(c.format) << " " << error_fields(d));
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "composite"));
        CHECK(d.optional_data == c.printed);
        CHECK(d.corrections.empty());
        auto list = suggestions(d);
        auto expected = std::string(c.field) + ": " + std::string(c.printed) + " -> " + std::string(c.data);
        CHECK(std::find(list.begin(), list.end(), expected) != list.end());
        // The document number checks out by its own digit, and no look-alike reading of it that keeps it so
        // can change the composite (its weights run over the number exactly as the number's own do).
        for (auto const& s : d.suggestions)
            CHECK(s.field == c.field);
    }
    SECTION("a check digit does not vouch for a reading when other data it covers is known to be wrong")
    {
        // AA34S6789 and a wrong birth date check digit: the composite fails for both, so only the number's
        // own digit judges its readings.
        auto line2 = td3_line2("AA3456789", "850225", 'M', "300211");
        line2[4] = 'S';
        line2[19] = line2[19] == '7' ? '6' : '7';
        auto d = must_parse({ std::string(td3_1), line2 });
        INFO(error_fields(d));
        CHECK(has_error(d, "document_number"));
        CHECK(has_error(d, "birth_date"));
        CHECK(has_error(d, "composite"));
        CHECK(suggestions(d) == std::vector<std::string> { "document_number: AA34S6789 -> AA3456789" });

        // TD1 optional data covered by the composite alone: a misprinted number explains the failing composite,
        // so no reading of the optional data is suggested, however well it would fit.
        auto lines = make_mrz(Format::td1, "AA3456789", "AB12");
        lines[0][6] = '3';
        auto td1 = must_parse_all(lines);
        INFO(error_fields(td1));
        CHECK(has_error(td1, "document_number"));
        CHECK(has_error(td1, "composite"));
        for (auto const& s : td1.suggestions)
            CHECK(s.field == "document_number");
    }
}

TEST_CASE("birth date century: the latest that is not in the future")
{
    auto birth = [](std::string_view yymmdd, year_month_day on) {
        auto d = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", yymmdd, 'F', "300211") }, on);
        INFO(error_fields(d));
        CHECK(d.valid);
        return d.birth_date;
    };
    CHECK(birth("740812", today) == 1974y / August / 12);
    CHECK(birth("200101", today) == 2020y / January / 1);
    CHECK(birth("250615", today) == 2025y / June / 15);
    CHECK(birth("250616", today) == 1925y / June / 16);
    CHECK(birth("740812", 2090y / January / 1) == 2074y / August / 12);
    CHECK(birth("000229", today) == 2000y / February / 29);
    CHECK(birth("<<<<<<", today) == std::nullopt); // unknown: no date, no error
    CHECK(birth("7408<<", today) == std::nullopt);
}

TEST_CASE("expiry date century: 20YY unless that is more than 50 years away")
{
    auto expiry = [](std::string_view yymmdd, year_month_day on) {
        auto d = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "740812", 'F', yymmdd) }, on);
        return d.expiry_date;
    };
    CHECK(expiry("120415", today) == 2012y / April / 15);
    CHECK(expiry("350101", today) == 2035y / January / 1);
    CHECK(expiry("750101", today) == 2075y / January / 1);
    CHECK(expiry("980101", today) == 1998y / January / 1);
    CHECK(expiry("100101", 2080y / January / 1) == 2110y / January / 1);
}

TEST_CASE("invalid field contents")
{
    SECTION("a month 13 with a matching check digit")
    {
        auto d = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "741312", 'F', "300211") });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "birth_date"));
        CHECK_FALSE(d.birth_date);
    }
    SECTION("30 February expiry")
    {
        auto d = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "740812", 'F', "300230") });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "expiry_date"));
    }
    SECTION("a passport whose code is not P")
    {
        auto d = must_parse({ replace(td3_1, 0, 'C'), std::string(td3_2) });
        CHECK(d.format == Format::td3);
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "document_code"));
    }
    SECTION("characters that are not in an MRZ")
    {
        auto d = parse_text(replace(td3_1, 8, '?') + "\n" + std::string(td3_2), today);
        REQUIRE(d);
        CHECK_FALSE(d->valid);
        CHECK(has_error(*d, "surname"));
        auto accented = parse_text("P<UTOERIKSS\u00d6N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n" + std::string(td3_2), today);
        REQUIRE(accented);
        CHECK(accented->lines[0].size() == 44);
        CHECK(has_error(*accented, "surname"));
    }
    SECTION("sex X and unspecified")
    {
        auto x = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "740812", 'X', "300211") });
        CHECK(x.valid);
        CHECK(x.sex == 'X');
        auto unspecified = must_parse({ std::string(td3_1), td3_line2("X4RTBPFW4", "740812", '<', "300211") });
        CHECK(unspecified.valid);
        CHECK(unspecified.sex == 'X');
    }
    SECTION("an empty name: neither surname nor given names")
    {
        auto d = must_parse({ std::string_view("P<UTO"), td3_2 });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "name"));
    }
}

TEST_CASE("French card: derived expiry")
{
    auto derive = [](std::string_view issue_yymm, std::string_view birth) {
        auto d = must_parse_all(french("DUPONT", std::string(issue_yymm) + "75112345", "MARIE", birth));
        INFO(error_fields(d));
        CHECK(d.valid);
        REQUIRE(d.derived_expiry);
        return *d.derived_expiry;
    };
    SECTION("adult, issued after 2 January 2004: 15 years")
    {
        auto e = derive("1003", "800101");
        CHECK(e.month == 2025y / March);
        CHECK(e.years == 15);
        CHECK_FALSE(e.uncertain);
    }
    SECTION("minor: 10 years")
    {
        auto e = derive("1003", "000101");
        CHECK(e.month == 2020y / March);
        CHECK(e.years == 10);
        CHECK_FALSE(e.uncertain);
    }
    SECTION("adult, issued before 2004: 10 years")
    {
        auto e = derive("0312", "800101");
        CHECK(e.month == 2013y / December);
        CHECK(e.years == 10);
        CHECK_FALSE(e.uncertain);
        CHECK(derive("0402", "800101").years == 15);
    }
    SECTION("issued in January 2004: the day decides, so the earlier month, uncertain")
    {
        auto e = derive("0401", "800101");
        CHECK(e.month == 2014y / January);
        CHECK(e.years == 10);
        CHECK(e.uncertain);
    }
    SECTION("18th birthday within the issue month: uncertain")
    {
        auto e = derive("1003", "920315");
        CHECK(e.month == 2020y / March);
        CHECK(e.years == 10);
        CHECK(e.uncertain);
    }
    SECTION("18th birthday on the 1st of the issue month: adult every day of it")
    {
        auto e = derive("1003", "920301");
        CHECK(e.years == 15);
        CHECK_FALSE(e.uncertain);
    }
    SECTION("18th birthday the month after: minor")
    {
        auto e = derive("1003", "920401");
        CHECK(e.years == 10);
        CHECK_FALSE(e.uncertain);
    }
    SECTION("born on 29 February: of age on 1 March in a common year")
    {
        CHECK(derive("1002", "920229").years == 10);
        CHECK_FALSE(derive("1002", "920229").uncertain);
        CHECK(derive("1003", "920229").years == 15);
        CHECK_FALSE(derive("1003", "920229").uncertain);
    }
    SECTION("unknown birth date")
    {
        auto after = derive("1003", "<<<<<<");
        CHECK(after.years == 10);
        CHECK(after.uncertain);
        auto before = derive("9503", "<<<<<<");
        CHECK(before.years == 10);
        CHECK_FALSE(before.uncertain);
    }
    SECTION("born a century before the card: the issue date settles the century")
    {
        auto d = must_parse_all(french("DUPONT", "950375112345", "MARIE", "980101"));
        CHECK(d.birth_date == 1898y / January / 1);
    }
    SECTION("an issue month that is not a month")
    {
        auto d = must_parse_all(french("DUPONT", "101375112345", "MARIE", "800101"));
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "issue_date"));
        CHECK_FALSE(d.derived_expiry);
    }
}

TEST_CASE("a long document number: ICAO's check digit and the Belgian one with the filler included")
{
    SECTION("the ICAO specimen computes it over the number")
    {
        auto d = must_parse({ td1_long_1, td1_long_2, td1_long_3 });
        CHECK(d.valid);
        CHECK(d.long_number_check == LongNumberCheck::icao);
        // The filler counts 0 and shifts the weights of what follows, yet on this specimen both conventions give 9:
        // ICAO's, tried first, is the one reported.
        CHECK(check_digit("D23145890<734") == 9);
    }
    SECTION("Belgian cards: two ICAO, one with the filler of position 15 included")
    {
        auto icao_1 = must_parse({ bel_1_1, bel_1_2, bel_3 });
        INFO(error_fields(icao_1));
        CHECK(icao_1.valid);
        CHECK(icao_1.document_number == "000001115702");
        CHECK(icao_1.long_number_check == LongNumberCheck::icao);
        auto icao_3 = must_parse({ bel_3_1, bel_3_2, bel_3 });
        CHECK(icao_3.valid);
        CHECK(icao_3.document_number == "615057409939");
        CHECK(icao_3.long_number_check == LongNumberCheck::icao);

        auto with_filler = must_parse({ bel_2_1, bel_2_2, bel_3 });
        INFO(error_fields(with_filler));
        CHECK(with_filler.valid);
        CHECK(with_filler.document_number == "592211692174");
        CHECK(with_filler.long_number_check == LongNumberCheck::filler_included);
        CHECK(to_string(*with_filler.long_number_check) == "filler_included");
        CHECK(with_filler.kind == DocumentKind::identity_card);
        CHECK(with_filler.surname == "SPECIMEN");
    }
    SECTION("a check digit that fits neither is an error on the number, and no convention is reported")
    {
        auto bad = must_parse({ replace(bel_2_1, 18, '2'), std::string(bel_2_2), std::string(bel_3) });
        CHECK_FALSE(bad.valid);
        CHECK(has_error(bad, "document_number"));
        CHECK_FALSE(bad.long_number_check);
        // The message gives ICAO's computed digit.
        CHECK(bad.errors.front().message == "check digit 2 does not match (computed 5)");
    }
    SECTION("a short number has no convention to report")
    {
        auto d = must_parse({ td1_1, td1_2, td1_3 });
        CHECK(d.valid);
        CHECK_FALSE(d.long_number_check);
    }
    SECTION("TD2 long numbers accept both conventions too")
    {
        for (bool filler : { false, true }) {
            std::string number = "D23145890", rest = "7341";
            std::string covered = number + (filler ? "<" : "") + rest;
            std::string tail = rest + digit(covered) + "<";
            std::string line2 = number + "<UTO7408122F1204159" + tail;
            line2 = pad(line2, 35);
            line2 += digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 14));
            auto d = must_parse_all({ std::string(td2_1), line2 });
            INFO(line2 << " " << error_fields(d));
            CHECK(d.valid);
            CHECK(d.document_number == "D231458907341");
            CHECK(d.long_number_check == (filler ? LongNumberCheck::filler_included : LongNumberCheck::icao));
        }
    }
}

TEST_CASE("an empty primary identifier: no surname, given names only")
{
    SECTION("TD1: valid, the surname stays empty and nothing moves into it")
    {
        auto d = must_parse_all(td1("I", "UTO", "UTO", "<<ANNA<MARIA"));
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.surname.empty());
        CHECK(d.given_names == "ANNA MARIA");
    }
    SECTION("TD3: valid; the check digits decide")
    {
        std::string line1 = pad("P<UTO<<ANNA<MARIA", 44);
        auto d = must_parse_all({ line1, std::string(td3_2) });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.surname.empty());
        CHECK(d.given_names == "ANNA MARIA");
        auto broken = must_parse_all({ line1, replace(td3_2, 19, '3') });
        CHECK_FALSE(broken.valid);
        CHECK(has_error(broken, "birth_date"));
    }
    SECTION("no surname and no given names: an error on the name")
    {
        auto d = must_parse_all(td1("I", "UTO", "UTO", ""));
        CHECK_FALSE(d.valid);
        REQUIRE(d.errors.size() == 1);
        CHECK(d.errors[0].field == "name");
        CHECK(d.errors[0].message == "empty: neither a surname nor given names");
        CHECK(d.surname.empty());
        CHECK(d.given_names.empty());
    }
    SECTION("a surname without given names is still valid")
    {
        auto d = must_parse_all(td1("I", "UTO", "UTO", "ERIKSSON"));
        CHECK(d.valid);
        CHECK(d.surname == "ERIKSSON");
        CHECK(d.given_names.empty());
    }
    SECTION("the French card always writes a surname: an empty one is an error")
    {
        auto d = must_parse_all(french("", "880692310285", "CORINNE", "651206"));
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "surname"));
    }
}

TEST_CASE("residence permits and travel documents of refugees and stateless persons")
{
    SECTION("a titre de séjour: TD1 coded IR")
    {
        auto d = must_parse_all(td1("IR", "FRA", "MAR", "ERIKSSON<<ANNA"));
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.document_code == "IR");
        CHECK(d.kind == DocumentKind::residence_permit);
        CHECK(to_string(d.kind) == "residence_permit");
        CHECK(d.nationality == "MAR");
        CHECK_FALSE(d.nationality_status);
    }
    SECTION("a residence permit of a stateless person")
    {
        auto d = must_parse_all(td1("IR", "FRA", "XXA", "ERIKSSON<<ANNA"));
        CHECK(d.valid);
        CHECK(d.kind == DocumentKind::residence_permit);
        CHECK(d.nationality == "XXA");
        CHECK(d.nationality_status == NationalityStatus::stateless);
    }
    SECTION("an identity card stays an identity card")
    {
        CHECK(must_parse_all(td1("ID", "FRA", "FRA", "ERIKSSON<<ANNA")).kind == DocumentKind::identity_card);
        CHECK(must_parse({ td1_1, td1_2, td1_3 }).kind == DocumentKind::identity_card);
    }
    SECTION("a passport-sized travel document: the nationality code says whose")
    {
        struct Case {
            std::string_view code;
            NationalityStatus status;
            std::string_view name;
        };
        auto c = GENERATE(Case { "XXA", NationalityStatus::stateless, "stateless" },
            Case { "XXB", NationalityStatus::refugee, "refugee" },
            Case { "XXC", NationalityStatus::refugee_other, "refugee_other" },
            Case { "XXX", NationalityStatus::unspecified, "unspecified" });
        std::string line1 = "P<FRAERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
        auto line2 = td3_line2("L898902C3", "740812", 'F', "300415");
        line2.replace(10, 3, c.code);
        line2[43] = digit(line2.substr(0, 10) + line2.substr(13, 7) + line2.substr(21, 22));
        auto d = must_parse_all({ line1, line2 });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.kind == DocumentKind::travel_document);
        CHECK(d.nationality == c.code);
        CHECK(d.nationality_status == c.status);
        CHECK(to_string(c.status) == c.name);
    }
    SECTION("an ordinary passport")
    {
        auto d = must_parse({ td3_1, td3_2 });
        CHECK(d.kind == DocumentKind::passport);
        CHECK_FALSE(d.nationality_status);
        CHECK(must_parse({ mrva_1, mrva_2 }).kind == DocumentKind::visa);
        CHECK(must_parse({ fr_1, fr_2 }).kind == DocumentKind::identity_card);
    }
    SECTION("the codes alone")
    {
        CHECK(nationality_status("XXB") == NationalityStatus::refugee);
        CHECK_FALSE(nationality_status("XX"));
        CHECK_FALSE(nationality_status("XXD"));
        CHECK_FALSE(nationality_status("FRA"));
    }
}

TEST_CASE("French driving licence: one line of 30")
{
    SECTION("the published test documents")
    {
        auto d = must_parse({ licence_martin });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.format == Format::fr_dl_1x30);
        CHECK(to_string(d.format) == "FR_DL_1X30");
        CHECK(d.kind == DocumentKind::driving_licence);
        CHECK(d.document_code == "D1");
        CHECK(d.issuing_state == "FRA");
        CHECK(d.document_number == "13AA00002");
        CHECK(d.expiry_date == 2018y / December / 31);
        CHECK(d.surname == "MARTIN");
        CHECK(d.given_names.empty());
        CHECK_FALSE(d.nationality);
        CHECK_FALSE(d.birth_date);
        CHECK_FALSE(d.sex);
        CHECK_FALSE(d.optional_data);
        CHECK(d.lines == std::vector<std::string> { std::string(licence_martin) });

        auto b = must_parse({ licence_bettolo });
        CHECK(b.valid);
        CHECK(b.document_number == "13BB14895");
        CHECK(b.expiry_date == 2028y / September / 20);
        CHECK(b.surname == "BETTOLO");
    }
    SECTION("a bad composite check digit")
    {
        auto d = must_parse_all({ replace(licence_martin, 29, '3') });
        CHECK_FALSE(d.valid);
        REQUIRE(d.errors.size() == 1);
        CHECK(d.errors[0].field == "composite");
        CHECK(d.errors[0].message == "check digit 3 does not match (computed 9)");
        // The fields are still read, for the agent to compare with the card; none is made up.
        CHECK(d.surname == "MARTIN");
        CHECK(d.document_number == "13AA00002");
    }
    SECTION("a bad number check digit fails the composite too")
    {
        auto d = must_parse_all({ replace(licence_martin, 14, '7') });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "document_number"));
        CHECK(has_error(d, "composite"));
    }
    SECTION("a letter in the expiry date and a digit in the surname are repaired under the composite")
    {
        auto d = must_parse({ "D1FRA13AA0000261B1231MART1N<<9" });
        INFO(error_fields(d));
        CHECK(d.valid);
        CHECK(d.expiry_date == 2018y / December / 31);
        CHECK(d.surname == "MARTIN");
        REQUIRE(correction(d, "expiry_date"));
        CHECK(correction(d, "expiry_date")->from == "1B1231");
        CHECK(correction(d, "surname")->to == "MARTIN");
    }
    SECTION("a digit in the expiry that its check digit refuses is left as read")
    {
        auto d = must_parse({ "D1FRA13AA000026181232MARTIN<<9" });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "composite"));
        CHECK(d.corrections.empty());
    }
    SECTION("lower case, spaces and missing nothing: the same document")
    {
        auto d = must_parse({ "d1fra 13aa00002 6 181231 martin<<9" });
        CHECK(d.valid);
        CHECK(d.lines[0] == licence_martin);
    }
    SECTION("another document code or state: invalid, the field named")
    {
        std::string other_state = "D1NLD13AA00002";
        other_state += digit(other_state);
        other_state += "181231MARTIN<<";
        other_state += digit(other_state);
        auto nld = must_parse_all({ other_state });
        CHECK_FALSE(nld.valid);
        REQUIRE(nld.errors.size() == 1);
        CHECK(nld.errors[0].field == "issuing_state");

        std::string other_code = "P1FRA13AA00002";
        other_code += digit(other_code);
        other_code += "181231MARTIN<<";
        other_code += digit(other_code);
        auto passport = must_parse_all({ other_code });
        CHECK_FALSE(passport.valid);
        CHECK(has_error(passport, "document_code"));
    }
    SECTION("an empty surname is an error")
    {
        auto d = must_parse_all({ licence("13AA00002", "181231", "") });
        CHECK_FALSE(d.valid);
        CHECK(has_error(d, "surname"));
    }
    SECTION("a one-line MRZ of the wrong length is not an MRZ, and says what it expected")
    {
        for (auto text : { std::string(licence_martin.substr(0, 29)), std::string(licence_martin) + "9",
                 std::string(licence_martin.substr(1)), std::string(td3_2) }) {
            INFO(text);
            auto d = parse_text(text, today);
            REQUIRE_FALSE(d);
            CHECK(d.error().detail
                == "not an MRZ: a one-line MRZ (driving licence) has 30 characters, got "
                    + std::to_string(text.size()));
        }
        // Excess fillers after the composite digit are cut, as on other formats.
        auto padded = parse_text(std::string(licence_martin) + "<<", today);
        REQUIRE(padded);
        CHECK(padded->valid);
    }
}

TEST_CASE("not an MRZ: wrong number or length of lines")
{
    auto rejects = [](std::string const& text) {
        INFO(text);
        auto d = parse_text(text, today);
        REQUIRE_FALSE(d);
        CHECK(d.error().detail.starts_with("not an MRZ"));
        CHECK(d.error().detail.find('\n') == std::string::npos);
    };
    rejects("");
    rejects("\n \n");
    rejects(std::string(td3_2));
    rejects(std::string(td3_1) + "\n" + std::string(td3_2) + "\n" + std::string(td3_2));
    rejects(std::string(td1_1) + "\n" + std::string(td1_2) + "\n" + std::string(td1_3) + "\nX");
    rejects(std::string(td1_1) + "\n" + std::string(td1_2)); // TD1 without its name line
    rejects(std::string(td3_1) + "\n" + std::string(td3_2.substr(0, 43))); // truncated line 2
    rejects(std::string(td3_1) + "\n" + std::string(td3_2) + "X"); // extra non-filler character
    rejects(std::string(td1_1) + "\n" + std::string(td1_2.substr(1)) + "\n" + std::string(td1_3));
    rejects(std::string(fr_1.substr(0, 30)) + "\n" + std::string(fr_2)); // the French line 1 is not a name line
    rejects(std::string(300, 'A') + "\n" + std::string(td3_2));
}

TEST_CASE("garbled input never crashes and keeps the result consistent")
{
    // Mutations of every specimen: look-alikes, fillers, foreign bytes, dropped and doubled characters.
    std::vector<std::string> specimens = {
        lines_text({ td3_1, td3_2 }),
        lines_text({ td1_1, td1_2, td1_3 }),
        lines_text({ td1_long_1, td1_long_2, td1_long_3 }),
        lines_text({ td2_1, td2_2 }),
        lines_text({ mrva_1, mrva_2 }),
        lines_text({ mrvb_1, mrvb_2 }),
        lines_text({ fr_1, fr_2 }),
        lines_text({ licence_martin }),
        lines_text({ bel_2_1, bel_2_2, bel_3 }),
    };
    static constexpr std::string_view alphabet = "0OI1B8S5Z2<<<AXF M\n\r?\xc2\xab\xe2\x80\xb9\xff\x80";
    std::mt19937 random(20250615);
    int parsed = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text = specimens[random() % specimens.size()];
        int mutations = 1 + static_cast<int>(random() % 4);
        for (int m = 0; m < mutations; ++m) {
            size_t at = random() % text.size();
            char c = alphabet[random() % alphabet.size()];
            switch (random() % 4) {
            case 0: text.erase(at, 1); break;
            case 1: text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c); break;
            default: text[at] = c; break;
            }
            if (text.empty())
                text.push_back('<');
        }
        auto d = parse_text(text, today);
        if (!d) {
            CHECK(d.error().detail.starts_with("not an MRZ"));
            continue;
        }
        ++parsed;
        CHECK(d->valid == d->errors.empty());
        CHECK((d->suggestions.empty() || !d->valid));
        CHECK((d->lines.size() == 2 || d->lines.size() == 3 || d->format == Format::fr_dl_1x30));
        CHECK(d->lines.size() == (d->format == Format::fr_dl_1x30 ? 1u : d->format == Format::td1 ? 3u : 2u));
        if (d->long_number_check)
            CHECK(d->document_number.size() > 9);
        for (auto const& line : d->lines)
            CHECK(line.size() == d->lines[0].size());
    }
    CHECK(parsed > 5000);
}

namespace {

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run_mrz(std::vector<std::string> const& args, std::string const& input)
{
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    int code = kiosk::cli::run_command("mrz", kiosk::cli::cmd_mrz, args, { in, out, err });
    return { code, out.str(), err.str() };
}

std::string lines(std::string_view a, std::string_view b)
{
    return std::string(a) + "\n" + std::string(b) + "\n";
}

} // namespace

TEST_CASE("kiosk mrz --json: a valid passport")
{
    auto run = run_mrz({ "--json" }, lines(td3_1, td3_2));
    CHECK(run.code == 0);
    CHECK(run.err.empty());
    CHECK(run.out
        == R"({"format":"TD3","valid":true,"document_code":"P","document_kind":"passport","issuing_state":"UTO",)"
           R"("document_number":"L898902C3","long_number_check":null,"surname":"ERIKSSON","given_names":"ANNA MARIA",)"
           R"("nationality":"UTO","nationality_status":null,"birth_date":"1974-08-12","sex":"F",)"
           R"("expiry_date":"2012-04-15","derived_expiry":null,"optional_data":"ZE184226B","errors":[],"corrections":[],"suggestions":[]})"
           "\n");
}

TEST_CASE("kiosk mrz --json: an invalid French card")
{
    auto run = run_mrz({ "--json" }, lines(fr_1, replace(fr_2, 33, '9')));
    CHECK(run.code == 1);
    // One line on stderr says why, the report stays on stdout.
    CHECK(run.err == "kiosk mrz: invalid MRZ: birth_date: check digit 9 does not match (computed 8)\n");
    CHECK(run.out
        == R"({"format":"FR_ID_2X36","valid":false,"document_code":"ID","document_kind":"identity_card","issuing_state":"FRA",)"
           R"("document_number":"880692310285","long_number_check":null,"surname":"BERTHIER","given_names":"CORINNE",)"
           R"("nationality":null,"nationality_status":null,"birth_date":"1965-12-06","sex":"F",)"
           R"("expiry_date":null,"derived_expiry":{"month":"1998-06","rule":"10y","uncertain":false},"optional_data":null,)"
           R"j("errors":[{"field":"birth_date","message":"check digit 9 does not match (computed 8)"},)j"
           R"j({"field":"composite","message":"check digit 6 does not match (computed 3)"}],"corrections":[],"suggestions":[]})j"
           "\n");
}

TEST_CASE("kiosk mrz --json: corrections are listed")
{
    auto run = run_mrz({ "--json" }, lines(td3_1, replace(td3_2, 15, 'O')));
    CHECK(run.code == 0);
    CHECK(run.out.find(R"("corrections":[{"field":"birth_date","from":"74O812","to":"740812"}])") != std::string::npos);
    CHECK(run.out.find(R"("birth_date":"1974-08-12")") != std::string::npos);
}

TEST_CASE("kiosk mrz: a misprinted number is invalid and its look-alike readings are listed")
{
    auto misread = replace(td3_2, 5, 'O'); // L8989O2C3
    auto json = run_mrz({ "--json" }, lines(td3_1, misread));
    CHECK(json.code == 1);
    CHECK(json.err == "kiosk mrz: invalid MRZ: document_number: check digit 6 does not match (computed 0)\n");
    CHECK(json.out.find(R"("valid":false,)") != std::string::npos);
    CHECK(json.out.find(R"("document_number":"L8989O2C3")") != std::string::npos);
    CHECK(json.out.find(R"("corrections":[],"suggestions":[)"
                        R"({"field":"document_number","read":"L8989O2C3","reading":"L898902C3"},)"
                        R"({"field":"document_number","read":"L8989O2C3","reading":"LB9B902C3"},)"
                        R"({"field":"document_number","read":"L8989O2C3","reading":"LB9890ZC3"}]})"
                        "\n")
        != std::string::npos);

    auto human = run_mrz({}, lines(td3_1, misread));
    CHECK(human.code == 1);
    CHECK(human.out.find("Valide : non\n") != std::string::npos);
    CHECK(human.out.find("Numéro du document : L8989O2C3\n") != std::string::npos);
    CHECK(
        human.out.find("Erreur (document_number) : check digit 6 does not match (computed 0)\n") != std::string::npos);
    CHECK(human.out.find("Lecture possible (document_number) : L8989O2C3 -> L898902C3 (à comparer avec la pièce)\n")
        != std::string::npos);
    CHECK(human.out.find("Lecture possible (document_number) : L8989O2C3 -> LB9890ZC3 (à comparer avec la pièce)\n")
        != std::string::npos);
}

TEST_CASE("kiosk mrz: the driving licence, residence permits, refugees and names without a surname")
{
    auto licence_json = run_mrz({ "--json" }, std::string(licence_martin) + "\n");
    CHECK(licence_json.code == 0);
    CHECK(licence_json.err.empty());
    CHECK(licence_json.out
        == R"({"format":"FR_DL_1X30","valid":true,"document_code":"D1","document_kind":"driving_licence",)"
           R"("issuing_state":"FRA","document_number":"13AA00002","long_number_check":null,"surname":"MARTIN",)"
           R"("given_names":"","nationality":null,"nationality_status":null,"birth_date":null,"sex":null,)"
           R"("expiry_date":"2018-12-31","derived_expiry":null,"optional_data":null,"errors":[],"corrections":[],)"
           R"("suggestions":[]})"
           "\n");

    auto licence_human = run_mrz({}, std::string(licence_martin) + "\n");
    CHECK(licence_human.out.find("Format : FR_DL_1X30\n") != std::string::npos);
    CHECK(licence_human.out.find("Type de document : D1 (permis de conduire)\n") != std::string::npos);
    CHECK(licence_human.out.find("Nom : MARTIN\n") != std::string::npos);
    CHECK(licence_human.out.find("Prénoms") == std::string::npos);
    CHECK(licence_human.out.find("Date d'expiration : 2018-12-31\n") != std::string::npos);

    auto bad_composite = run_mrz({}, replace(licence_martin, 29, '3') + "\n");
    CHECK(bad_composite.code == 1);
    CHECK(bad_composite.err == "kiosk mrz: invalid MRZ: composite: check digit 3 does not match (computed 9)\n");

    auto short_line = run_mrz({ "--json" }, std::string(licence_martin.substr(0, 28)) + "\n");
    CHECK(short_line.code == 2);
    CHECK(short_line.out.empty());
    CHECK(short_line.err
        == "kiosk mrz: not an MRZ: a one-line MRZ (driving licence) has 30 characters, got 28 (kiosk help mrz)\n");

    auto permit = td1("IR", "FRA", "XXA", "<<ANNA<MARIA");
    auto permit_text = permit[0] + "\n" + permit[1] + "\n" + permit[2] + "\n";
    auto permit_json = run_mrz({ "--json" }, permit_text);
    CHECK(permit_json.code == 0);
    CHECK(permit_json.out.find(R"("document_code":"IR","document_kind":"residence_permit",)") != std::string::npos);
    CHECK(permit_json.out.find(R"("surname":"","given_names":"ANNA MARIA","nationality":"XXA",)"
                               R"("nationality_status":"stateless",)")
        != std::string::npos);
    auto permit_human = run_mrz({}, permit_text);
    CHECK(permit_human.code == 0);
    CHECK(permit_human.out.find("Type de document : IR (titre de séjour)\n") != std::string::npos);
    CHECK(permit_human.out.find("Nom : (sans nom de famille)\n") != std::string::npos);
    CHECK(permit_human.out.find("Prénoms : ANNA MARIA\n") != std::string::npos);
    CHECK(permit_human.out.find("Nationalité : XXA (apatride)\n") != std::string::npos);

    auto belgian = run_mrz({ "--json" }, lines_text({ bel_2_1, bel_2_2, bel_3 }));
    CHECK(belgian.code == 0);
    CHECK(belgian.out.find(R"("document_number":"592211692174","long_number_check":"filler_included",)")
        != std::string::npos);
    auto belgian_human = run_mrz({}, lines_text({ bel_2_1, bel_2_2, bel_3 }));
    CHECK(
        belgian_human.out.find("Clé du numéro long : calculée avec le « < » de la position 15\n") != std::string::npos);
    auto icao_human = run_mrz({}, lines_text({ td1_long_1, td1_long_2, td1_long_3 }));
    CHECK(icao_human.out.find("Clé du numéro long : calculée sur le numéro (OACI)\n") != std::string::npos);

    auto nameless = td1("I", "UTO", "UTO", "");
    auto nameless_run = run_mrz({}, nameless[0] + "\n" + nameless[1] + "\n" + nameless[2] + "\n");
    CHECK(nameless_run.code == 1);
    CHECK(nameless_run.err == "kiosk mrz: invalid MRZ: name: empty: neither a surname nor given names\n");
}

TEST_CASE("kiosk mrz: human-readable summary")
{
    auto valid = run_mrz({}, lines(fr_1, fr_2));
    CHECK(valid.code == 0);
    CHECK(valid.out.find("Format : FR_ID_2X36\n") != std::string::npos);
    CHECK(valid.out.find("Valide : oui\n") != std::string::npos);
    CHECK(valid.out.find("Nom : BERTHIER\n") != std::string::npos);
    CHECK(valid.out.find("Prénoms : CORINNE\n") != std::string::npos);
    CHECK(valid.out.find("Date de naissance : 1965-12-06\n") != std::string::npos);
    CHECK(valid.out.find("Expiration (déduite) : 1998-06 (règle 10 ans)\n") != std::string::npos);

    auto corrected = run_mrz({}, lines(td3_1, replace(replace(td3_2, 15, 'O'), 27, '8')));
    CHECK(corrected.code == 1);
    CHECK(corrected.out.find("Valide : non\n") != std::string::npos);
    CHECK(
        corrected.out.find("Erreur (expiry_date) : check digit 8 does not match (computed 9)\n") != std::string::npos);
    CHECK(corrected.out.find("Correction (birth_date) : 74O812 -> 740812\n") != std::string::npos);
}

TEST_CASE("kiosk mrz: bad usage and bad input exit 2 with one line on stderr")
{
    auto one_line = [](std::string const& text) {
        return !text.empty() && std::count(text.begin(), text.end(), '\n') == 1 && text.back() == '\n';
    };

    auto option = run_mrz({ "--xml" }, lines(td3_1, td3_2));
    CHECK(option.code == 2);
    CHECK(option.out.empty());
    CHECK(one_line(option.err));

    auto short_line = run_mrz({ "--json" }, lines(td3_1, td3_2.substr(0, 40)));
    CHECK(short_line.code == 2);
    CHECK(short_line.out.empty());
    CHECK(one_line(short_line.err));
    CHECK(short_line.err.find("not an MRZ") != std::string::npos);

    auto empty = run_mrz({}, "");
    CHECK(empty.code == 2);
    CHECK(one_line(empty.err));

    auto flood = run_mrz({}, std::string(200'000, 'A'));
    CHECK(flood.code == 2);
    CHECK(one_line(flood.err));
}
