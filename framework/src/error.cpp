#include "kooplab/error.hpp"

namespace kooplab {

// Out-of-line destructors anchor the type information in the framework library,
// so plugins and the executable agree on one type for each exception.
Error::Error(const std::string& message) : std::runtime_error(message) {}
Error::~Error() = default;
ConfigError::~ConfigError() = default;
PluginError::~PluginError() = default;
DataError::~DataError() = default;
NumericalError::~NumericalError() = default;

}  // namespace kooplab
