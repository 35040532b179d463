// An application whose factory returns no object: creating it must fail with
// an error naming the library, not dereference the null pointer.
#include "kooplab/application.hpp"

namespace {

std::unique_ptr<kooplab::Plugin> nothing(const kooplab::Config&, const kooplab::Registry&) { return nullptr; }

const kooplab::PluginDescriptor empty_factory_descriptor{
    kooplab::abi_version, "application", "test_null_object", "A factory that returns no object", &nothing, nullptr};

}  // namespace

BOOST_DLL_ALIAS(empty_factory_descriptor, kooplab_plugin)
