# The Debian package of the kiosk (`cmake --build BUILD --target package`): what it installs besides the
# programs, and how CPack's DEB generator builds it. deploy/package/ holds the files; README.md, "Installing on a
# kiosk PC", says what each one is for.
include(GNUInstallDirs)

set(KIOSK_PACKAGE_NAME france-services-kiosk)
set(KIOSK_MAINTAINER "France Services kiosk maintainers <kiosk@france-services.invalid>")
set(package_dir "${PROJECT_SOURCE_DIR}/deploy/package")
set(package_generated "${PROJECT_BINARY_DIR}/package")

# The programs find their libexec directory and assets by the paths compiled in (kiosk/cli, kiosk/core), so the
# package must be built with the prefix it installs to.
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(WARNING "The Debian package needs -DCMAKE_INSTALL_PREFIX=/usr (this build has ${CMAKE_INSTALL_PREFIX}): "
    "its kiosk would look for its programs under ${CMAKE_INSTALL_FULL_LIBEXECDIR}.")
endif()

# What the programs read: catalogue, translations, forms (default_assets_dir() looks here).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/assets/" DESTINATION "${CMAKE_INSTALL_DATADIR}/${KIOSK_PACKAGE_NAME}/assets")

# Configuration: conffiles, kept across upgrades when an administrator changed them.
install(FILES "${PROJECT_SOURCE_DIR}/deploy/kiosk.example.toml" DESTINATION /etc/${KIOSK_PACKAGE_NAME} RENAME kiosk.toml)
install(FILES "${PROJECT_SOURCE_DIR}/deploy/browser/france-services-kiosk.json"
  DESTINATION /etc/chromium/policies/managed)
install(FILES "${package_dir}/pam" DESTINATION /etc/pam.d RENAME ${KIOSK_PACKAGE_NAME})
set(KIOSK_CONFFILES
  /etc/${KIOSK_PACKAGE_NAME}/kiosk.toml
  /etc/chromium/policies/managed/france-services-kiosk.json
  /etc/pam.d/${KIOSK_PACKAGE_NAME})

# The service, and the system's settings it relies on. Vendor locations (/usr/lib, /lib/systemd/system as
# Debian 12's own packages use), so that a file in /etc of the same name, an administrator's, overrides each.
install(FILES "${package_dir}/france-services-kiosk.service" DESTINATION /lib/systemd/system)
install(FILES "${package_dir}/cups.service.conf" DESTINATION /lib/systemd/system/cups.service.d
  RENAME ${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${package_dir}/france-services-kiosk.sysusers" DESTINATION /usr/lib/sysusers.d
  RENAME ${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${package_dir}/france-services-kiosk.tmpfiles" DESTINATION /usr/lib/tmpfiles.d
  RENAME ${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${package_dir}/sysctl.conf" DESTINATION /usr/lib/sysctl.d RENAME 50-${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${package_dir}/logind.conf" DESTINATION /usr/lib/systemd/logind.conf.d RENAME ${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${package_dir}/xorg.conf" DESTINATION "${CMAKE_INSTALL_DATADIR}/X11/xorg.conf.d"
  RENAME 50-${KIOSK_PACKAGE_NAME}.conf)
install(FILES "${PROJECT_SOURCE_DIR}/deploy/cups/cupsd-kiosk.conf" DESTINATION "${CMAKE_INSTALL_DATADIR}/${KIOSK_PACKAGE_NAME}/cups")
install(PROGRAMS "${package_dir}/session" "${package_dir}/merge-cupsd-conf" "${package_dir}/restart-when-idle"
  DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/${KIOSK_PACKAGE_NAME}")

# Documentation: Debian wants the copyright and a changelog (a native package's is changelog.gz) in every package.
string(TIMESTAMP KIOSK_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
configure_file("${package_dir}/changelog.in" "${package_generated}/changelog" @ONLY)
add_custom_command(OUTPUT "${package_generated}/changelog.gz"
  COMMAND gzip -9nc "${package_generated}/changelog" > "${package_generated}/changelog.gz"
  DEPENDS "${package_generated}/changelog" VERBATIM)
add_custom_target(kiosk_package_changelog ALL DEPENDS "${package_generated}/changelog.gz")
set(doc_dir "${CMAKE_INSTALL_DATADIR}/doc/${KIOSK_PACKAGE_NAME}")
install(FILES "${package_dir}/copyright" "${package_generated}/changelog.gz" "${PROJECT_SOURCE_DIR}/README.md"
  DESTINATION "${doc_dir}")
install(FILES "${PROJECT_SOURCE_DIR}/deploy/browser/README.md" DESTINATION "${doc_dir}" RENAME README.browser.md)

# Maintainer scripts and the conffiles list go into the package's control archive.
string(JOIN "\n" conffiles ${KIOSK_CONFFILES})
file(WRITE "${package_generated}/conffiles" "${conffiles}\n")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${KIOSK_PACKAGE_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${KIOSK_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "self-service kiosk for France Services offices")
set(CPACK_PACKAGE_DESCRIPTION "The kiosk residents use in a France Services office: scan and copy
documents, print forms and attestations, reach the partner websites (CAF,
CPAM, DGFiP, ANTS...) in a confined Chromium, with help from an agent. Every
session is wiped at its end.
.
The package installs the kiosk as an appliance: a systemd service that runs
Xorg and the kiosk as the kiosk's own user on tty1, its configuration, and the
CUPS, Chromium, display, logind and kernel settings a public terminal needs.")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What the kiosk runs and needs besides the libraries it links (those come from dpkg-shlibdeps):
# the display (Xorg; libinput for touch and keys; logind hands Xorg its devices through the PAM
# session), the browser and its sandbox, the print server and its filters, the scanner's programs and its udev
# rules (group scanner), the badge reader's daemon, the fonts the configuration names, and userdel for the
# purge, pkill for an X server left without its kiosk (deb-systemd-helper comes with init-system-helpers, which is
# essential).
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "xserver-xorg-core, xserver-xorg-input-libinput, x11-xkb-utils, xkb-data, libpam-systemd, systemd (>= 252), \
chromium, bubblewrap, cups-daemon, cups-client, cups-filters, libsane1, sane-utils, pcscd, fonts-dejavu-core, fonts-font-awesome, passwd, procps")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "chromium-l10n, libgl1-mesa-dri")
# The setuid-root X wrapper is the one way Xorg would run as root here; the service runs it rootless.
set(CPACK_DEBIAN_PACKAGE_CONFLICTS "xserver-xorg-legacy")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${package_generated}/conffiles" "${package_dir}/postinst" "${package_dir}/prerm" "${package_dir}/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
