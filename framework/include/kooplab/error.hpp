#pragma once
// Exception types thrown by the framework and by plugins. Plugins throw only
// these across the library boundary, so the CLI can print one clear line.
#include <stdexcept>
#include <string>

#include "kooplab/api.hpp"

namespace kooplab {

class KOOPLAB_API Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message);
  ~Error() override;
};

// A config file or override that is malformed, mistyped or names unknown keys.
class KOOPLAB_API ConfigError : public Error {
 public:
  using Error::Error;
  ~ConfigError() override;
};

// A plugin library that cannot be loaded, or a plugin name nobody provides.
class KOOPLAB_API PluginError : public Error {
 public:
  using Error::Error;
  ~PluginError() override;
};

// Input data that is missing, unreadable or unusable (NaN, wrong shape, ...).
class KOOPLAB_API DataError : public Error {
 public:
  using Error::Error;
  ~DataError() override;
};

// A computation that cannot give a trustworthy answer (rank deficiency, ...).
class KOOPLAB_API NumericalError : public Error {
 public:
  using Error::Error;
  ~NumericalError() override;
};

}  // namespace kooplab
