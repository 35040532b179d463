// A shared library that is not a kooplab plugin: it exports no descriptor.
extern "C" int kooplab_test_unrelated_function() { return 42; }
