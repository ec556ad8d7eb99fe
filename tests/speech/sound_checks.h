// What the speech tests ask of a sound: its level in memory, and sox's verdict on a WAV file.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <span>
#include <sstream>
#include <string>

namespace kiosk::tests {

// Root mean square of 16-bit samples, as a fraction of full scale (0 for silence).
inline double rms(std::span<std::int16_t const> samples)
{
    if (samples.empty())
        return 0;
    double sum = 0;
    for (auto sample : samples)
        sum += double(sample) * sample;
    return std::sqrt(sum / samples.size()) / 32768;
}

// `sox FILE -n stat`, parsed: "RMS amplitude" → 0.08, "Maximum amplitude" → 0.6, "Samples read" → 42000…
// Empty when sox fails (it writes its statistics, and its complaints, on stderr).
inline std::map<std::string, double> sox_stat(std::filesystem::path const& file)
{
    std::string command = "sox '" + file.string() + "' -n stat 2>&1";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        return {};
    std::string output;
    char buffer[512];
    while (std::fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    if (::pclose(pipe) != 0)
        return {};
    std::map<std::string, double> stats;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        // Collapse sox's column padding ("RMS     amplitude") into single spaces.
        std::string key;
        std::istringstream words(line.substr(0, colon));
        for (std::string word; words >> word;)
            key += (key.empty() ? "" : " ") + word;
        try {
            stats[key] = std::stod(line.substr(colon + 1));
        } catch (...) {
        }
    }
    return stats;
}

} // namespace kiosk::tests
