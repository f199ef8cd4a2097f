// The sysfs mode each parameter of a built module declares, read from the
// .ko file itself (modinfo does not show it): the `perm` of every struct
// kernel_param in its __param section, named through the section's
// relocations. 0644 means root may write it (live), 0444 that it is read
// at load (a reload applies it). For tests/option_module_test.cpp.
#pragma once

#include <map>
#include <string>

namespace kecho::ctl::test {

// Parameter name to mode. Throws std::runtime_error on a file it cannot
// read: not a little-endian ELF64 relocatable object, no __param section
// or no relocations for it.
std::map<std::string, unsigned> module_param_modes(const std::string& path);

} // namespace kecho::ctl::test
