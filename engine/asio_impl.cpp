// Asio, Asio's SSL layer and Beast, compiled once for the whole program.
// Every target that uses them links s3purge_engine, which defines
// BOOST_ASIO_SEPARATE_COMPILATION and BOOST_BEAST_SEPARATE_COMPILATION for it, so their
// headers declare instead of define: measured here, a Beast+SSL coroutine file costs ~24 s
// and ~0.8 GB of compiler memory when it compiles all of it itself.
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
