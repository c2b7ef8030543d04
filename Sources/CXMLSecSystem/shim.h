// libxmlsec1 as a system library: its include paths, defines and libraries come from
// `pkg-config xmlsec1-openssl` (Debian: libxmlsec1-dev). Only CXMLSec's C code includes the
// library's headers; this module carries the package's build settings to it.
