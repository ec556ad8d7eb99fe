// Tests of driver selection strings and of the registry's refusal to guess.
#include "drivers/driver_spec.h"
#include "drivers/registry.h"

#include <catch2/catch.hpp>

using namespace kiosk;
using namespace kiosk::drivers;

TEST_CASE("driver strings split the backend from key=value parameters")
{
    auto spec = parse_driver_spec("sane:device=test:0,source=adf");
    REQUIRE(spec);
    CHECK(spec->backend == "sane");
    CHECK(spec->get("device") == "test:0");
    CHECK(spec->get("source") == "adf");
    CHECK_FALSE(spec->get("dpi"));

    auto bare = parse_driver_spec("sim");
    REQUIRE(bare);
    CHECK(bare->params.empty());
}

TEST_CASE("malformed driver strings are refused")
{
    CHECK_FALSE(parse_driver_spec(""));
    CHECK_FALSE(parse_driver_spec(":pages=3"));
    CHECK_FALSE(parse_driver_spec("sim:pages"));
    CHECK_FALSE(parse_driver_spec("Sim Scanner"));
}

TEST_CASE("integer parameters are range-checked and unknown parameters named")
{
    auto spec = *parse_driver_spec("sim:pages=12,colour=1");
    CHECK(spec.get_int("pages", 3, 0, 100) == 12);
    CHECK(spec.get_int("missing", 3, 0, 100) == 3);
    CHECK_FALSE(spec.get_int("pages", 3, 0, 10));
    auto unknown = spec.allow_only({ "pages" });
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().detail.find("'colour'") != std::string::npos);
}

TEST_CASE("an unknown backend is an error listing the known ones, never a fallback")
{
    DriverContext context { std::filesystem::temp_directory_path() };
    auto scanner = make_scanner("sane-typo", context);
    REQUIRE_FALSE(scanner);
    CHECK(scanner.error().code == ErrorCode::unknown_driver);
    CHECK(scanner.error().detail.find("known: sim, sane") != std::string::npos);
    CHECK_FALSE(make_printer("cupz", context));
    CHECK_FALSE(make_idreader("nfc", context));
    CHECK_FALSE(make_browser("firefox", context));
    CHECK_FALSE(make_scanner("sim:fail=explode", context));
}
