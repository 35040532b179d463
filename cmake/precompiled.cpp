// The one file of kooplab_precompiled_library and _executable, the targets
// whose precompiled headers every other target reuses
// (cmake/KooplabPrecompiledHeaders.cmake).
