// The height wrapped text will take, for screens that lay words out one after the other before drawing them.
#pragma once

#include "kiosk/ui/canvas.h"

#include <string>

namespace kiosk::ui {

// How many lines a text takes wrapped on words in a width (output pixels), as the canvas wraps it.
inline int wrapped_lines(Canvas& c, std::string const& text, int size, bool bold, int width)
{
    int lines = 1;
    std::string line;
    size_t start = 0;
    while (true) {
        size_t end = text.find(' ', start);
        std::string word = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::string candidate = line.empty() ? word : line + " " + word;
        if (!line.empty() && c.text_width(candidate, size, bold) > width) {
            ++lines;
            line = word;
        } else {
            line = candidate;
        }
        if (end == std::string::npos)
            return lines;
        start = end + 1;
    }
}

// The height of that text, with room for the font's line spacing.
inline int wrapped_height(Canvas& c, std::string const& text, int size, bool bold, int width)
{
    return wrapped_lines(c, text, size, bold, width) * c.px(size * 6 / 5);
}

} // namespace kiosk::ui
