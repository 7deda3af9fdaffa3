# imhere_include_root(TARGET PATH...) gives TARGET a PUBLIC include directory
# in which only the given folders or files of the source tree can be seen,
# each under its own path (so `#include "sync-server/store/store.h"` still
# reads as it does in the tree). A target then sees the headers of the targets
# it links and no others: an include that goes against the layering does not
# compile.
function(imhere_include_root target)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  foreach(path ${ARGN})
    get_filename_component(parent ${root}/${path} DIRECTORY)
    file(MAKE_DIRECTORY ${parent})
    if(NOT EXISTS ${root}/${path})
      file(CREATE_LINK ${PROJECT_SOURCE_DIR}/${path} ${root}/${path} SYMBOLIC)
    endif()
  endforeach()
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${root})
  else()
    target_include_directories(${target} PUBLIC ${root})
  endif()
endfunction()
