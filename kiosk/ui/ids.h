// Every screen and widget id that scripts and tests may name: part of the command-line contract.
#pragma once

#include "kiosk/core/catalogue.h"

#include <string>
#include <vector>

namespace kiosk::ui {

std::vector<std::string> screen_ids();
// Static ids, then partner_<slug> and event_<slug> from the catalogue, then "doc_<n>" for tray documents and
// "page_earlier_<n>", "page_later_<n>", "page_delete_<n>" for the pages of the selected one (n counts from 1).
std::vector<std::string> widget_ids(core::Catalogue const& catalogue);
bool is_known_screen(std::string const& id);
bool is_known_widget(std::string const& id, core::Catalogue const& catalogue);

} // namespace kiosk::ui
