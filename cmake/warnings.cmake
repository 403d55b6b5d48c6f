# One place for the warning set every s3purge target compiles with.
add_library(s3purge_warnings INTERFACE)
target_compile_options(s3purge_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion
  # GCC 12 false positive on std::string concatenation (GCC bug 105329).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)
if(S3PURGE_WERROR)
  target_compile_options(s3purge_warnings INTERFACE -Werror)
endif()
