// Benchmark of the ID-reader work: MRZ parses per second on one core, and the time of one PIN check.
#include "drivers/idreader/mrz/mrz.h"
#include "kiosk/core/agents.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

namespace {

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv)
{
    double budget = argc > 1 ? std::atof(argv[1]) : 3.0; // seconds per measurement
    using namespace std::chrono;
    year_month_day today { year(2026), month(11), day(26) };

    // The ICAO TD3 specimen, as a reader delivers it.
    std::string_view const td3[]
        = { "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10" };
    std::string_view const fr[] = { "IDFRABERTHIER<<<<<<<<<<<<<<<<<<<<<<<", "8806923102858CORINNE<<<<<<<6512068F6" };

    auto rate = [&](std::span<std::string_view const> lines) {
        std::vector<double> rates;
        for (int round = 0; round < 5; ++round) {
            long parsed = 0;
            auto start = steady_clock::now();
            while (seconds_since(start) < budget / 5) {
                for (int i = 0; i < 1000; ++i) {
                    auto document = kiosk::drivers::mrz::parse(lines, today);
                    parsed += document && document->valid;
                }
            }
            rates.push_back(parsed / seconds_since(start));
        }
        std::sort(rates.begin(), rates.end());
        return rates;
    };
    auto td3_rates = rate(td3);
    auto fr_rates = rate(fr);

    // scrypt at the store's parameters: one verification per PIN attempt.
    auto hash = kiosk::core::hash_pin("1234");
    if (!hash) {
        std::fprintf(stderr, "mrz_bench: %s\n", hash.error().detail.c_str());
        return 1;
    }
    std::vector<double> checks;
    for (int i = 0; i < 7; ++i) {
        auto start = steady_clock::now();
        if (!kiosk::core::verify_pin("1234", *hash))
            return 1;
        checks.push_back(seconds_since(start) * 1000);
    }
    std::sort(checks.begin(), checks.end());

    std::printf("%-44s %14s %14s\n", "figure", "median", "best");
    std::printf("%-44s %12.0f/s %12.0f/s   target >= 1,000,000/s\n", "TD3 parses per second, one core", td3_rates[2],
        td3_rates[4]);
    std::printf("%-44s %12.0f/s %12.0f/s\n", "French 2x36 card parses per second", fr_rates[2], fr_rates[4]);
    std::printf(
        "%-44s %12.1f ms %11.1f ms   aim 50-250 ms\n", "PIN check (scrypt N=2^15 r=8 p=1)", checks[3], checks[0]);
    std::printf("{\"td3_parses_per_s\":%.0f,\"fr_parses_per_s\":%.0f,\"pin_check_ms\":%.1f}\n", td3_rates[2],
        fr_rates[2], checks[3]);
    return 0;
}
