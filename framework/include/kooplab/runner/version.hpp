#pragma once
// The version of this kooplab: the project version and `git describe --dirty`
// of the source tree when it was built (cmake/KooplabVersion.cmake).

namespace kooplab {

const char* kooplab_version();

}  // namespace kooplab
