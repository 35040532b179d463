// A descriptor written by hand with no kind: the registry must report the
// library, naming its file, instead of reading a null string.
#include "kooplab/application.hpp"

namespace {

std::unique_ptr<kooplab::Plugin> never_called(const kooplab::Config&, const kooplab::Registry&) { return nullptr; }

const kooplab::PluginDescriptor kindless_descriptor{kooplab::abi_version,          nullptr,       "test_kindless",
                                                    "A descriptor without a kind", &never_called, nullptr};

}  // namespace

BOOST_DLL_ALIAS(kindless_descriptor, kooplab_plugin)
