#pragma once
// KOOPLAB_API marks the types whose identity crosses the plugin boundary (the
// plugin interfaces, the exceptions plugins throw): their type information must
// stay visible, so dynamic_cast and catch work across libraries even when a
// plugin is built with -fvisibility=hidden.
#include <boost/config.hpp>

#define KOOPLAB_API BOOST_SYMBOL_VISIBLE
