// libFuzzer target for the serial MRZ framing: arbitrary bytes, split and timed by the input itself.
#include "drivers/idreader/serial/mrz_framer.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    using kiosk::drivers::MrzFramer;
    MrzFramer framer;
    MrzFramer::Clock::time_point now {};
    // The first byte of each chunk says how long it is and how much time passed before it, so the fuzzer
    // explores the grouping delay as well as the byte framing.
    while (size > 0) {
        std::size_t chunk = 1 + data[0] % 64;
        now += std::chrono::milliseconds(data[0] * 3);
        ++data;
        --size;
        chunk = chunk < size ? chunk : size;
        for (auto const& document : framer.feed(std::span(reinterpret_cast<std::byte const*>(data), chunk), now)) {
            // One row only for a driving licence (30 characters starting D1).
            bool licence = document.size() == 1 && document[0].size() == 30 && document[0].starts_with("D1");
            if ((document.size() < 2 && !licence) || document.size() > 3)
                std::abort();
            for (auto const& row : document) {
                if (row.size() != document.front().size())
                    std::abort();
            }
        }
        data += chunk;
        size -= chunk;
    }
    return 0;
}
