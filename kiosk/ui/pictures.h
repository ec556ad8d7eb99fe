// What the screens' files share inside the UI: picture sizes, turning a picture into a texture, numbers in words.
#pragma once

#include "kiosk/documents/image.h"

#include <SDL.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace kiosk::ui {

// A page's picture in the tray, on the scan screen and in the previews.
inline constexpr int thumbnail_width = 300;
inline constexpr int thumbnail_height = 424;

// An RGB or grey image as a texture of the renderer; null without a renderer (tests) or for an empty image.
SDL_Texture* texture_from_image(SDL_Renderer* renderer, documents::Image const& image);

// A number with one decimal and the language's decimal mark: "1.2" in English, "1,2" in every other language the
// kiosk speaks (Arabic written with the digits 0-9, as in the Maghreb).
inline std::string decimal_text(double value, std::string_view language)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    std::string result = text;
    if (language != "en")
        for (auto& c : result)
            if (c == '.')
                c = ',';
    return result;
}

} // namespace kiosk::ui
