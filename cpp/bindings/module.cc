// The _core extension module: registers each concept's bindings, nothing else.
#include "bindings.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "jurisdex C++ core (Xapian + ICU); use the jurisdex package, not this module";
  m.attr("__version__") = JURISDEX_VERSION;
  bind_errors(m);
  bind_index(m);
  bind_suggest(m);
}
