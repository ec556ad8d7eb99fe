// A small streaming JSON writer for the audit log and the one-line outputs of the command-line tools.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// Returns text as a quoted JSON string, escaping control characters and keeping UTF-8 as is.
std::string json_quote(std::string_view text);

// True when text is exactly one JSON value (RFC 8259), nested at most max_depth deep: how `kiosk audit verify`
// tells a malformed line from an edited one without a parser that builds a tree.
bool json_valid(std::string_view text, int max_depth = 64);

// Builds compact JSON text; commas are inserted automatically.
//   JsonWriter w; w.begin_object(); w.key("pages").value(3); w.end_object(); w.str() == R"({"pages":3})"
class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
    JsonWriter& value(bool flag);
    JsonWriter& value(int number) { return value(static_cast<int64_t>(number)); }
    JsonWriter& value(int64_t number);
    JsonWriter& value(uint64_t number);
    JsonWriter& value(double number);
    JsonWriter& null();
    // A string, or null when there is none.
    JsonWriter& value(const std::optional<std::string>& text);

    const std::string& str() const { return m_out; }

private:
    void before_value();

    std::string m_out;
    // One entry per open container: true once it holds an element (a comma is needed before the next).
    std::vector<bool> m_has_element;
    bool m_after_key = false;
};

} // namespace kiosk
