#pragma once
// The plugin contract: every plugin is one shared library exporting one
// PluginDescriptor under the alias `kooplab_plugin`, written by KOOPLAB_PLUGIN.
#include <boost/dll/alias.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kooplab/api.hpp"
#include "kooplab/config.hpp"
#include "kooplab/options.hpp"

namespace kooplab {

// Raised whenever a plugin-facing interface or the descriptor changes layout.
inline constexpr std::uint32_t abi_version = 2;

class Registry;

// Base of every object a plugin creates; the registry dynamic_casts it to the
// interface of its kind (Dataset, Network, Observable, Estimator, Application).
class KOOPLAB_API Plugin {
 public:
  virtual ~Plugin();
  // "kind 'name'", set by the registry, for error messages.
  const std::string& identity() const { return identity_; }

 private:
  friend class Registry;
  std::string identity_;
};

using PluginFactory = std::unique_ptr<Plugin> (*)(const Config& section, const Registry& registry);
// The keys of the plugin's section, as its options() declare them (empty when
// the plugin declares none).
using PluginOptionDocs = std::vector<OptionDoc> (*)();

// abi_version stays the first member so a mismatched library is detected
// before any other field is read.
struct PluginDescriptor {
  std::uint32_t abi_version;
  const char* kind;
  const char* name;
  const char* description;
  PluginFactory create;
  PluginOptionDocs options;
};

namespace detail {
template <class T>
std::unique_ptr<Plugin> make_plugin(const Config& section, const Registry& registry) {
  if constexpr (std::is_constructible_v<T, const Config&, const Registry&>)
    return std::make_unique<T>(section, registry);
  else
    return std::make_unique<T>(section);
}

template <class T>
std::vector<OptionDoc> option_docs() {
  if constexpr (requires { T::options().docs(); })
    return T::options().docs();
  else
    return {};
}
}  // namespace detail

}  // namespace kooplab

// Exports `Class` as the plugin `Name` of the kind of `Interface`.
// `Class` is constructible from (const Config&) or (const Config&, const Registry&)
// and reads all its keys in the constructor; a static `options()` returning its
// kooplab::Options declaration lists them in `kooplab plugins NAME`.
#define KOOPLAB_PLUGIN(Class, Interface, Name, Description)                                            \
  namespace {                                                                                          \
  const ::kooplab::PluginDescriptor kooplab_plugin_descriptor{::kooplab::abi_version,                  \
                                                              Interface::kind,                         \
                                                              Name,                                    \
                                                              Description,                             \
                                                              &::kooplab::detail::make_plugin<Class>,  \
                                                              &::kooplab::detail::option_docs<Class>}; \
  }                                                                                                    \
  BOOST_DLL_ALIAS(kooplab_plugin_descriptor, kooplab_plugin)
