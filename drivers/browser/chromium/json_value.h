// A small JSON reader for the DevTools pipe: bounded depth, never throws, UTF-8 strings.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk::drivers::chromium {

// One parsed JSON value. Lookups on the wrong type give an empty value instead of failing, so reading a
// message Chromium shaped differently than expected is a missing field, never a crash.
class JsonValue {
public:
    enum class Type { null, boolean, number, string, array, object };

    // Nothing when text is not one complete JSON value, or nests deeper than max_depth.
    static std::optional<JsonValue> parse(std::string_view text, int max_depth = 64);

    Type type() const { return m_type; }
    bool is_null() const { return m_type == Type::null; }
    bool is_object() const { return m_type == Type::object; }
    bool is_array() const { return m_type == Type::array; }
    bool is_string() const { return m_type == Type::string; }
    bool is_number() const { return m_type == Type::number; }

    // The member name of an object (null when absent or not an object); the element i of an array.
    JsonValue const& operator[](std::string_view name) const;
    JsonValue const& at(size_t i) const;
    size_t size() const; // elements of an array, members of an object
    bool contains(std::string_view name) const;

    std::string const& string_or(std::string const& fallback) const;
    std::string string() const { return is_string() ? m_string : std::string(); }
    double number_or(double fallback) const { return is_number() ? m_number : fallback; }
    std::optional<int64_t> integer() const;
    bool boolean_or(bool fallback) const { return m_type == Type::boolean ? m_boolean : fallback; }
    std::vector<JsonValue> const& elements() const { return m_array; }
    std::map<std::string, JsonValue, std::less<>> const& members() const { return m_object; }

private:
    friend class JsonParser;
    Type m_type = Type::null;
    bool m_boolean = false;
    double m_number = 0;
    std::string m_string;
    std::vector<JsonValue> m_array;
    std::map<std::string, JsonValue, std::less<>> m_object;
};

} // namespace kiosk::drivers::chromium
