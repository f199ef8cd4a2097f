# kecho — top-level build. `make help` lists the targets.
#
# KDIR      kernel build directory for the modules (default: the running
#           kernel's headers, else the newest installed; see scripts/kdir.sh)
# BUILD     out-of-tree build directory for userspace and VM artefacts

BUILD      ?= $(CURDIR)/build
KERNEL_SRC := $(CURDIR)/src/kernel
USER_BUILD := $(BUILD)/userspace
JOBS       ?= $(shell nproc)

# Resolved once per recipe, lazily, so `make deps` works without headers.
resolve_kdir = kdir="$(KDIR)"; [ -n "$$kdir" ] || kdir=$$(scripts/kdir.sh) || exit 1

.PHONY: all help deps modules modules-clean userspace unit vm-test lint check fuzz \
	check-kernels check-e2e check-long demo demo-quick clean deb bench bench-scale plot \
	check-debug repo check-repo check-autopkgtest check-upgrade

# Plain `make` builds the modules and every userspace program.
all: modules userspace
	@echo "built: src/kernel/*.ko and $(USER_BUILD) (make help lists the other targets)"

help:
	@echo "make            build the modules and userspace (keechoctl, echo servers, bench)"
	@echo "make demo       the main job: build the .debs, install them in a Debian VM, show"
	@echo "                kecho under systemd: echo, keechoctl status, a benchmark, drop"
	@echo "make check      install deps, build everything, run every test (~50 min)"
	@echo "make check-long make check, plus every kernel series booted with the full VM suite"
	@echo "make demo-quick boot a busybox VM, load kecho and show it echoing (~1 min)"
	@echo "make deps       install build and test dependencies (apt-get, idempotent)"
	@echo "make modules    build src/kernel/kecho.ko and drop-tcp-socket.ko [KDIR=...]"
	@echo "make userspace  build keechoctl, the echo servers and bench (CMake)"
	@echo "make unit       run the Catch2 unit tests (ctest)"
	@echo "make fuzz       fuzz drop-tcp-socket's line parser and khttpd's request parser"
	@echo "                (libFuzzer, ASan, UBSan; 1M inputs each)"
	@echo "make vm-test    boot a Debian kernel under QEMU and test the real modules"
	@echo "make lint       sparse, checkpatch, clang-tidy, cppcheck, W=1"
	@echo "make check-kernels  build both modules against bookworm, trixie and sid headers"
	@echo "make check-debug    the whole VM suite on a 6.1 built with lockdep, KASAN, PROVE_RCU,"
	@echo "                    debugobjects (kernel built once, ~1 h; not in make check)"
	@echo "make bench      benchmark kecho against userspace servers in one VM (~1 hour)"
	@echo "make bench-scale  100,000 idle connections per server in one VM (6 GiB guest)"
	@echo "make plot       redraw bench/results/*.png from the committed results"
	@echo "make deb        build kecho-dkms and keechoctl .debs into build/deb (lintian-checked)"
	@echo "make repo       a signed apt repository of the .debs in build/repo (kecho.sources, key)"
	@echo "make check-e2e  install the .debs in a booted Debian with systemd and test them"
	@echo "make check-autopkgtest  check-e2e plus Debian's autopkgtest in the booted image (+7 min)"
	@echo "make check-upgrade      check-e2e plus apt upgrade to a second version with kecho"
	@echo "                        running, and a start fixed by the headers it named (+11 min)"

deps:
	@scripts/deps.sh

deb:
	BUILD=$(BUILD) tests/e2e/build-debs $(BUILD)/deb

# A signed apt repository of the .debs (scripts/make-repo --help): add
# REPO_URI=http://host/path for one served elsewhere than $(BUILD)/repo.
repo: deb
	scripts/make-repo --debs $(BUILD)/deb --out $(BUILD)/repo $(if $(REPO_URI),--uri $(REPO_URI))

check-repo:
	tests/repo/run --build $(BUILD)

check-e2e:
	BUILD=$(BUILD) tests/e2e/run

# check-e2e, with Debian's autopkgtest (debian/tests: dkms-autopkgtest and a
# keechoctl smoke test) run in the booted image; about 7 minutes longer.
check-autopkgtest:
	BUILD=$(BUILD) E2E_AUTOPKGTEST=1 tests/e2e/run

# check-e2e, with `apt upgrade` to a second version of both packages while
# kecho serves (tests/e2e/guest/upgrade.sh), and the failed start without
# headers followed by installing them; DKMS builds under TCG make it about
# 11 minutes longer.
check-upgrade:
	BUILD=$(BUILD) E2E_UPGRADE=1 tests/e2e/run

modules:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(KERNEL_SRC) W=1 modules

modules-clean:
	@$(resolve_kdir); $(MAKE) -C "$$kdir" M=$(KERNEL_SRC) clean

# The unit tests check keechoctl's option tables against the built kecho.ko
# and khttpd.ko (they fail if one is missing: `make check` builds the
# modules first).
userspace:
	cmake -S src/userspace -B $(USER_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DKECHO_MODULE=$(KERNEL_SRC)/kecho.ko -DKHTTPD_MODULE=$(KERNEL_SRC)/khttpd.ko
	cmake --build $(USER_BUILD) -j $(JOBS)

unit: userspace
	cd $(USER_BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz:
	tests/lib/fuzz-target --out $(BUILD)/fuzz dts-parse khttpd-parse

vm-test: modules userspace
	tests/vm/run --build $(BUILD)
	tests/vm/no-strparser/run --build $(BUILD)

lint: modules userspace
	scripts/lint.sh

check-kernels:
	tests/kernels/run --build $(BUILD)

# Everything, cheapest first, so a broken build fails in minutes:
# modules userspace, lint, unit, check-repo, fuzz, check-kernels, vm-test,
# check-e2e. clang-tidy runs beside the VM suite at the idle scheduling
# class, and its findings fail the run at the end (scripts/check.sh).
check: deps
	MAKE="$(MAKE)" BUILD="$(BUILD)" scripts/check.sh

# The whole VM suite on a debug 6.1 kernel built from linux-source-6.1
# (tests/debug-kernel/run); not part of check: the first build is long.
check-debug: userspace
	tests/debug-kernel/run --build $(BUILD)

# Also boot every kernel series and run the whole VM suite on each, and the
# e2e with both its long parts (check-autopkgtest and check-upgrade in one run).
check-long: check
	tests/kernels/run --build $(BUILD) --boot
	BUILD=$(BUILD) E2E_AUTOPKGTEST=1 E2E_UPGRADE=1 tests/e2e/run

demo: deps
	BUILD=$(BUILD) tests/e2e/demo

demo-quick: deps
	$(MAKE) modules userspace
	tests/vm/demo --build $(BUILD)

clean: modules-clean
	rm -rf $(BUILD)

# Benchmark suite (tests/bench/run): one VM, all servers side by side;
# results and plots land in bench/results/.
bench: modules userspace
	tests/bench/run --build $(BUILD)

# 100,000 idle connections per server, from 8 loopback source addresses;
# memory per connection, and rmmod kecho with them open. The guest gets 6 GiB.
bench-scale: modules userspace
	VM_MEM=6144 tests/bench/run --build $(BUILD) --out bench/results/scale \
		--workloads idle --reps 1 --no-profile \
		--servers kecho-bench0,user-echo-server,uring-echo-server \
		--set 'IDLE_CONNS=100000 IDLE_SOURCES=8 IDLE_HOLD=5 IDLE_RMMOD=1'

plot:
	tests/bench/plot bench/results
