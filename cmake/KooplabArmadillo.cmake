# Armadillo's find module gives variables, not a target; kooplab::armadillo
# carries them so the exported framework target can name Armadillo by a name
# that every consumer's own find_package(Armadillo) fills in again.
if(NOT TARGET kooplab::armadillo)
  add_library(kooplab::armadillo INTERFACE IMPORTED)
  set_target_properties(kooplab::armadillo PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${ARMADILLO_INCLUDE_DIRS}"
    INTERFACE_LINK_LIBRARIES "${ARMADILLO_LIBRARIES}")
endif()
