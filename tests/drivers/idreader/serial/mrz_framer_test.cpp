// The serial MRZ framing, byte by byte, with an injected clock.
#include "drivers/idreader/serial/mrz_framer.h"

#include <catch2/catch.hpp>

#include <random>

using kiosk::drivers::MrzFramer;
using namespace std::chrono_literals;

namespace {

std::string const td3_1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
std::string const td3_2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
std::string const td1_1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
std::string const td1_2 = "7408122F1204159UTO<<<<<<<<<<<6";
std::string const td1_3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
std::string const td2_1 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<";
std::string const td2_2 = "D231458907UTO7408122F1204159<<<<<<<6";
std::string const licence = "D1FRA13AA000026181231MARTIN<<9";

MrzFramer::Clock::time_point const t0 {};

// An STX…ETX frame with its check byte: the XOR of everything after STX, ETX included.
std::string frame(std::string const& payload, int check_adjust = 0)
{
    unsigned char lrc = 0x03;
    for (char c : payload)
        lrc ^= static_cast<unsigned char>(c);
    return "\x02" + payload + "\x03" + std::string(1, static_cast<char>(lrc ^ check_adjust));
}

} // namespace

TEST_CASE("the sample rows have the lengths of their formats")
{
    REQUIRE(td3_1.size() == 44);
    REQUIRE(td3_2.size() == 44);
    REQUIRE(td1_1.size() == 30);
    REQUIRE(td1_2.size() == 30);
    REQUIRE(td1_3.size() == 30);
    REQUIRE(td2_1.size() == 36);
    REQUIRE(td2_2.size() == 36);
    REQUIRE(licence.size() == 30);
}

TEST_CASE("CR, LF and CRLF all end a row")
{
    auto ending = GENERATE(std::string("\r"), std::string("\n"), std::string("\r\n"));
    MrzFramer framer;
    auto docs = framer.feed(td3_1 + ending + td3_2 + ending, t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td3_1, td3_2 });
}

TEST_CASE("a TD1 document is three rows and a TD2 document two")
{
    MrzFramer framer;
    auto docs = framer.feed(td1_1 + "\r\n" + td1_2 + "\r\n", t0);
    CHECK(docs.empty());
    docs = framer.feed(td1_3 + "\r\n" + td2_1 + "\n" + td2_2 + "\n", t0);
    REQUIRE(docs.size() == 2);
    CHECK(docs[0] == std::vector { td1_1, td1_2, td1_3 });
    CHECK(docs[1] == std::vector { td2_1, td2_2 });
}

TEST_CASE("bytes may arrive one at a time")
{
    MrzFramer framer;
    std::vector<MrzFramer::Document> docs;
    for (char c : td3_1 + "\r\n" + td3_2 + "\r\n") {
        for (auto& doc : framer.feed(std::string_view(&c, 1), t0))
            docs.push_back(doc);
    }
    REQUIRE(docs.size() == 1);
    CHECK(docs[0][1] == td3_2);
}

TEST_CASE("an STX/ETX frame with a good check byte gives the document, a bad one is dropped")
{
    MrzFramer framer;
    auto docs = framer.feed(frame(td3_1 + "\r" + td3_2 + "\r"), t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td3_1, td3_2 });

    docs = framer.feed(frame(td3_1 + "\r\n" + td3_2, 0x20), t0);
    CHECK(docs.empty());
    CHECK(framer.dropped_frames() == 1);

    // One frame per row works too, and CR LF after the check byte is harmless.
    docs = framer.feed(frame(td2_1) + "\r\n" + frame(td2_2) + "\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td2_1, td2_2 });
}

TEST_CASE("a check byte that happens to be STX, CR or ETX is still a check byte")
{
    // Find rows whose LRC is one of the framing bytes, by varying a filler position.
    for (unsigned char wanted : { 0x02, 0x0d, 0x03, 0x0a }) {
        MrzFramer framer;
        std::string row = td3_2;
        std::string tail;
        for (char c = 'A'; c <= 'Z'; ++c) {
            row[43] = c;
            std::string f = frame(td3_1 + "\n" + row);
            if (static_cast<unsigned char>(f.back()) == wanted) {
                tail = f;
                break;
            }
        }
        if (tail.empty())
            continue;
        auto docs = framer.feed(tail, t0);
        REQUIRE(docs.size() == 1);
        CHECK(docs[0][1] == row);
    }
}

TEST_CASE("underscore padding is read as filler or stripped")
{
    MrzFramer framer;
    std::string filler_1 = td3_1;
    std::ranges::replace(filler_1, '<', '_');
    auto docs = framer.feed(filler_1 + "\r\n" + td3_2 + "______\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td3_1, td3_2 });
}

TEST_CASE("lower case and surrounding spaces are tolerated")
{
    MrzFramer framer;
    std::string lower = td3_1;
    for (char& c : lower)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto docs = framer.feed("  " + lower + " \r\n\t" + td3_2 + "\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0][0] == td3_1);
}

TEST_CASE("rows arriving separately are grouped within the delay and not after it")
{
    MrzFramer framer(300ms);
    CHECK(framer.feed(td3_1 + "\r\n", t0).empty());
    auto docs = framer.feed(td3_2 + "\r\n", t0 + 250ms);
    REQUIRE(docs.size() == 1);

    CHECK(framer.feed(td1_1 + "\r\n", t0 + 1s).empty());
    CHECK(framer.feed(td1_2 + "\r\n", t0 + 1s + 200ms).empty());
    CHECK(framer.expire(t0 + 1s + 300ms) == t0 + 1s + 500ms);
    CHECK(framer.feed(td1_3 + "\r\n", t0 + 1s + 450ms).size() == 1);

    // Too late: the first row is forgotten and the late one starts a new group.
    CHECK(framer.feed(td3_1 + "\r\n", t0 + 2s).empty());
    CHECK(framer.feed(td3_2 + "\r\n", t0 + 2s + 301ms).empty());
    CHECK(framer.expire(t0 + 3s) == MrzFramer::Clock::time_point::max());
}

TEST_CASE("a row of another length starts a new document")
{
    MrzFramer framer;
    auto docs = framer.feed(td1_1 + "\r\n" + td3_1 + "\r\n" + td3_2 + "\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td3_1, td3_2 });
}

TEST_CASE("garbage, long lines and binary noise are discarded and the next document still comes through")
{
    MrzFramer framer;
    std::mt19937 random(42);
    std::string noise(1 << 20, '\0');
    for (char& c : noise)
        c = static_cast<char>(random());
    framer.feed(noise, t0);
    framer.feed(std::string(100000, 'A'), t0); // a line that never ends
    framer.feed("\x02" + std::string(100000, '<'), t0); // a frame that never ends
    framer.feed(std::string("\x03\x00\r\nHELLO WORLD\r\n", 17) + td3_1.substr(0, 43) + "\r\n", t0);
    auto docs = framer.feed("\r\n" + td3_1 + "\r\n" + td3_2 + "\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { td3_1, td3_2 });
    CHECK(framer.discarded_lines() > 0);
}

TEST_CASE("a driving licence is a document of one row")
{
    MrzFramer framer;
    auto docs = framer.feed(licence + "\r\n", t0);
    REQUIRE(docs.size() == 1);
    CHECK(docs[0] == std::vector { licence });
    CHECK(framer.expire(t0 + 1ms) == MrzFramer::Clock::time_point::max());

    SECTION("in an envelope, in lower case, padded with underscores")
    {
        std::string lower = "d1fra13aa000026181231martin__9";
        docs = framer.feed(frame(lower + "\r"), t0);
        REQUIRE(docs.size() == 1);
        CHECK(docs[0] == std::vector { licence });
    }
    SECTION("between TD1 documents, without joining them")
    {
        docs = framer.feed(td1_1 + "\n" + td1_2 + "\n" + td1_3 + "\n" + licence + "\n" + td1_1 + "\n", t0);
        REQUIRE(docs.size() == 2);
        CHECK(docs[0] == std::vector { td1_1, td1_2, td1_3 });
        CHECK(docs[1] == std::vector { licence });
        // The TD1 document begun after it still completes.
        docs = framer.feed(td1_2 + "\n" + td1_3 + "\n", t0);
        REQUIRE(docs.size() == 1);
        CHECK(docs[0] == std::vector { td1_1, td1_2, td1_3 });
    }
    SECTION("it drops a TD1 document left incomplete before it")
    {
        docs = framer.feed(td1_1 + "\n" + td1_2 + "\n" + licence + "\n" + td1_3 + "\n", t0);
        REQUIRE(docs.size() == 1);
        CHECK(docs[0] == std::vector { licence });
    }
    SECTION("a licence row of the wrong length is not a row")
    {
        CHECK(framer.feed(licence.substr(0, 29) + "\n" + licence + "9\n", t0).empty());
        CHECK(framer.discarded_lines() == 2);
    }
    SECTION("other rows of 30 still come three by three")
    {
        CHECK(framer.feed(td1_1 + "\n", t0).empty());
        CHECK(framer.feed(td1_2 + "\n", t0).empty());
        CHECK(framer.feed(td1_3 + "\n", t0).size() == 1);
    }
}

TEST_CASE("reset forgets a half-received row")
{
    MrzFramer framer;
    framer.feed(td3_1 + "\r\n" + td3_2.substr(0, 20), t0);
    framer.reset();
    CHECK(framer.feed(td3_2.substr(20) + "\r\n", t0).empty());
}
