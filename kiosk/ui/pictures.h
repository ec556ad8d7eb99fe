// What the screens' files share inside the UI: picture sizes and turning a picture into a texture.
#pragma once

#include "kiosk/documents/image.h"

#include <SDL.h>

namespace kiosk::ui {

// A page's picture in the tray, on the scan screen and in the previews.
inline constexpr int thumbnail_width = 300;
inline constexpr int thumbnail_height = 424;

// An RGB or grey image as a texture of the renderer; null without a renderer (tests) or for an empty image.
SDL_Texture* texture_from_image(SDL_Renderer* renderer, documents::Image const& image);

} // namespace kiosk::ui
