# Every dependency comes from Debian's packages (12 and 13), found by its
# package config; see DESIGN.md "Build notes" for the traps handled here.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
# Boost ships its own package config (Debian 12 and 13); CMake 3.30+ dropped FindBoost.
if(POLICY CMP0167)
  cmake_policy(SET CMP0167 NEW)
endif()
find_package(Boost REQUIRED COMPONENTS program_options)
find_package(HDF5 REQUIRED COMPONENTS C HL)
find_package(TBB REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)

# Debian 12's yaml-cpp 0.7 exports `yaml-cpp`, Debian 13's 0.8
# `yaml-cpp::yaml-cpp`: give both spellings one name.
if(NOT TARGET yaml-cpp::yaml-cpp)
  add_library(yaml-cpp::yaml-cpp INTERFACE IMPORTED)
  target_link_libraries(yaml-cpp::yaml-cpp INTERFACE yaml-cpp)
endif()

# Random123 is header-only (Debian: librandom123-dev).
find_path(RANDOM123_INCLUDE_DIR Random123/philox.h REQUIRED)
add_library(staffsim_random123 INTERFACE)
target_include_directories(staffsim_random123 SYSTEM INTERFACE ${RANDOM123_INCLUDE_DIR})

# HDF5's variables rather than targets: Debian 12 (1.10) and 13 (1.14) differ
# in the imported targets they define.
add_library(staffsim_hdf5 INTERFACE)
target_include_directories(staffsim_hdf5 SYSTEM INTERFACE ${HDF5_INCLUDE_DIRS})
target_link_libraries(staffsim_hdf5 INTERFACE ${HDF5_HL_LIBRARIES} ${HDF5_C_LIBRARIES})
target_compile_definitions(staffsim_hdf5 INTERFACE ${HDF5_DEFINITIONS} H5_USE_110_API)
