# Warning and sanitizer flags for the project's own targets (not for third-party headers).
add_library(kiosk_warnings INTERFACE)
target_compile_options(kiosk_warnings INTERFACE -Wall -Wextra -Werror)

if(KIOSK_SANITIZE)
  # One switch for both, so every test runs under the two sanitizers at once.
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

# kiosk_add_library(NAME SOURCES...) — a static library of ours, warnings on.
function(kiosk_add_library name)
  add_library(${name} STATIC ${ARGN})
  target_link_libraries(${name} PRIVATE kiosk_warnings)
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()
