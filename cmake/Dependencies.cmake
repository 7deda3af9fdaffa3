# Finds the system libraries (Debian 12 packages, installed by
# scripts/install-deps.sh) and exposes each as an imported target.
find_package(PkgConfig REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
add_library(imhere::sodium ALIAS PkgConfig::SODIUM)

# Howard Hinnant's date library over the OS time zone database (IANA names).
find_package(date REQUIRED)

# Server: HTTP (libmicrohttpd), its config file (libinih), service
# notification and the journal (libsystemd). The server folder is skipped
# when libmicrohttpd or libinih is missing, so the rest still builds.
pkg_check_modules(MHD IMPORTED_TARGET libmicrohttpd>=0.9.71)
pkg_check_modules(INIH IMPORTED_TARGET inih)
# HTTPS served by imhere-server itself: libmicrohttpd's TLS is GnuTLS, and
# the certificate callback that reloads certificates speaks its types.
pkg_check_modules(GNUTLS IMPORTED_TARGET gnutls)
pkg_check_modules(SYSTEMD IMPORTED_TARGET libsystemd)
# The PostgreSQL store (sync-server/store/pg*.cpp) speaks to the server through libpq.
pkg_check_modules(LIBPQ IMPORTED_TARGET libpq)
# Server tests and benchmarks talk HTTP through libcurl.
pkg_check_modules(LIBCURL IMPORTED_TARGET libcurl)
