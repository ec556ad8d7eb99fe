// Tests of the JSON writer used by the audit log and the command-line outputs.
#include "kiosk/core/json.h"

#include <catch2/catch.hpp>

using kiosk::JsonWriter;

TEST_CASE("json_quote escapes quotes, backslashes and control characters, keeps UTF-8")
{
    CHECK(kiosk::json_quote("a\"b\\c") == R"("a\"b\\c")");
    CHECK(kiosk::json_quote("line\nnext\t\x01") == R"("line\nnext\t\u0001")");
    CHECK(kiosk::json_quote("Élodie «") == "\"Élodie «\"");
}

TEST_CASE("JsonWriter places commas between members and elements")
{
    JsonWriter json;
    json.begin_object().key("pages").value(3).key("ok").value(true).key("name").value("scan");
    json.key("list").begin_array().value(1).value(2).begin_object().key("x").null().end_object().end_array();
    json.key("none").value(std::optional<std::string> {}).end_object();
    CHECK(json.str() == R"({"pages":3,"ok":true,"name":"scan","list":[1,2,{"x":null}],"none":null})");
}

TEST_CASE("JsonWriter writes non-finite numbers as null")
{
    JsonWriter json;
    json.begin_array().value(1.5).value(std::numeric_limits<double>::infinity()).end_array();
    CHECK(json.str() == "[1.5,null]");
}

TEST_CASE("json_valid accepts one JSON value and nothing else")
{
    using kiosk::json_valid;
    CHECK(json_valid(R"({"ts":"2026-12-01T10:00:00.000Z","n":-1.5e3,"a":[true,false,null,{}],"s":"\"\\\u00e9"})"));
    CHECK(json_valid(" [ ] "));
    CHECK_FALSE(json_valid(""));
    CHECK_FALSE(json_valid(R"({"a":1)"));
    CHECK_FALSE(json_valid(R"({"a":1}})"));
    CHECK_FALSE(json_valid(R"({"a":1,})"));
    CHECK_FALSE(json_valid(R"({a:1})"));
    CHECK_FALSE(json_valid(R"({"a":01})"));
    CHECK_FALSE(json_valid(R"({"a":"\x"})"));
    CHECK_FALSE(json_valid("{\"a\":\"tab\there\"}"));
    CHECK_FALSE(json_valid(R"({"a":tru})"));
    CHECK(json_valid("[[[1]]]", 3));
    CHECK_FALSE(json_valid("[[[1]]]", 2));
}
