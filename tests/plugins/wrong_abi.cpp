// A plugin built against another ABI version: its descriptor is written by
// hand with abi_version + 1, as a library from a newer kooplab would carry.
#include "kooplab/application.hpp"

namespace {

std::unique_ptr<kooplab::Plugin> never_called(const kooplab::Config&, const kooplab::Registry&) { return nullptr; }

const kooplab::PluginDescriptor future_descriptor{kooplab::abi_version + 1, "application", "test_future",
                                                  "Built for another ABI",  &never_called, nullptr};

}  // namespace

BOOST_DLL_ALIAS(future_descriptor, kooplab_plugin)
