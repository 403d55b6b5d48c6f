# Installing and packaging: `cmake --install build` puts the binary, its man page and its
# bash, zsh and fish completions in the usual places; `cpack --config build/CPackConfig.cmake`
# makes a Debian package of the same files. The man page and the completions are written
# by the binary itself from its parser (`s3purge --write-docs DIR`), so they describe
# exactly the flags --help does.
include(GNUInstallDirs)

set(S3PURGE_DOCS_DIR ${CMAKE_BINARY_DIR}/generated-docs)
set(S3PURGE_DOCS
  ${S3PURGE_DOCS_DIR}/s3purge.1 ${S3PURGE_DOCS_DIR}/s3purge.bash
  ${S3PURGE_DOCS_DIR}/_s3purge ${S3PURGE_DOCS_DIR}/s3purge.fish)
add_custom_command(OUTPUT ${S3PURGE_DOCS}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${S3PURGE_DOCS_DIR}
  COMMAND $<TARGET_FILE:s3purge> --write-docs ${S3PURGE_DOCS_DIR}
  DEPENDS s3purge
  COMMENT "Writing the man page and the shell completions from s3purge's parser")
add_custom_target(s3purge_docs ALL DEPENDS ${S3PURGE_DOCS})

install(TARGETS s3purge RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${S3PURGE_DOCS_DIR}/s3purge.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${S3PURGE_DOCS_DIR}/s3purge.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME s3purge)
install(FILES ${S3PURGE_DOCS_DIR}/_s3purge DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES ${S3PURGE_DOCS_DIR}/s3purge.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)
install(FILES ${S3PURGE_ROOT}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME s3purge)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "s3purge maintainers <s3purge@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "empty and delete S3-compatible buckets, fast and completely")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "Empties and deletes S3-compatible buckets that hold millions of objects: current
objects, noncurrent versions, delete markers and incomplete multipart uploads, in
one command, with a rate ceiling so that other clients of the bucket are not starved.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Depends: what dpkg-shlibdeps finds the binary linked against (runtime libraries only).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
