# One INTERFACE target carries the project's warning flags; every target of the
# project links it, so the policy lives in one place.
add_library(imhere_warnings INTERFACE)
target_compile_options(imhere_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wnull-dereference -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough
  # Designated initializers may leave out members that have defaults.
  -Wno-missing-field-initializers
  $<$<BOOL:${IMHERE_WARNINGS_AS_ERRORS}>:-Werror>)
add_library(imhere::warnings ALIAS imhere_warnings)
