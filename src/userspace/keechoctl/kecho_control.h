// What applying options does to the running server (kecho or khttpd): write
// one live parameter, or reload the module. SystemKecho does it through
// sysfs and libkmod; the tests drive apply() with a fake that records calls
// and fails on demand.
#pragma once

#include "paths.h"

#include <string>
#include <utility>

namespace kecho::ctl {

class KechoControl {
  public:
    KechoControl() = default;
    KechoControl(const KechoControl&) = delete;
    KechoControl& operator=(const KechoControl&) = delete;
    KechoControl(KechoControl&&) = delete;
    KechoControl& operator=(KechoControl&&) = delete;
    virtual ~KechoControl() = default;

    // Write one parameter of the loaded module; throws with the module's errno.
    virtual void set_param(const std::string& name, const std::string& value) = 0;
    // Unload the module if it is loaded, then load it with modprobe.d's
    // options. Its connections drop.
    virtual void reload() = 0;
};

// The real thing: /sys/module/MODULE/parameters and libkmod.
class SystemKecho final : public KechoControl {
  public:
    SystemKecho(Paths paths, std::string module)
        : paths_(std::move(paths)), module_(std::move(module)) {}
    void set_param(const std::string& name, const std::string& value) override;
    void reload() override;

  private:
    Paths paths_;
    std::string module_;
};

} // namespace kecho::ctl
