// The floating-point std::from_chars that libc++ 16 lacks, for the fuzz build only: it calls libstdc++'s,
// the very implementation the kiosk runs, so a fuzzed script is read exactly as the kiosk reads it.
//
// The fuzzers link libstdc++ already (tests/fuzz/CMakeLists.txt). Its std::from_chars(const char*,
// const char*, double&, std::chars_format) returns {pointer, errc} and takes the format as an int-sized
// enum, the same layout and values as libc++'s types, so it can be called from libc++ code by its symbol.
#pragma once

#include <charconv>

namespace kiosk::fuzz {
std::from_chars_result libstdcxx_from_chars(char const* first, char const* last, double& value,
    std::chars_format format) __asm__("_ZSt10from_charsPKcS0_RdSt12chars_format");
} // namespace kiosk::fuzz

_LIBCPP_BEGIN_NAMESPACE_STD
inline from_chars_result from_chars(
    char const* first, char const* last, double& value, chars_format format = chars_format::general)
{
    return kiosk::fuzz::libstdcxx_from_chars(first, last, value, format);
}
_LIBCPP_END_NAMESPACE_STD
