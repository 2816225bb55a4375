# SessionInterop — the README's commands.
#   make demo    build everything and run the demo (two identities messaging over LocalNet)
#   make test    build, publish and run every test suite; ends with "N passed, N failed"
#   make dist    publish libsession.so (+ libsodium.so), the header and the tools into dist/
#   make bench   run the benchmarks and write bench/results.md
#   make fuzz    coverage-guided fuzzing of every parser and the C ABI (FUZZ_SECONDS=N per target, FUZZ_EXECS=N)
#   make soak    clients under faults and kill -9 on LocalNet; prints loss/duplicate/RSS figures (SOAK_ARGS=...)
# Nothing here reads ../shared: data and vectors the build needs live in the repo.

SHELL        := /bin/bash
CONFIG       ?= Release
RID          := linux-x64
DOTNET       ?= dotnet
CC           ?= gcc
PYTHON       ?= python3
DIST         := dist
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all build dist python-package examples test demo bench fuzz soak clean

all: dist

build:
	$(DOTNET) build SessionInterop.sln -c $(CONFIG) -nologo -v:q -clp:ErrorsOnly

# libsession.so with SONAME libsession.so.1 and RUNPATH $ORIGIN; libsodium.so and libe_sqlite3.so beside it;
# dist/bin/session-localnet (framework-dependent, its files in dist/libexec/session-localnet).
dist: build
	$(DOTNET) publish src/NativeExports/SessionInterop.NativeExports.csproj -c $(CONFIG) -r $(RID) \
	    -nologo -v:q -clp:ErrorsOnly -o build/publish/lib
	mkdir -p $(DIST)/lib $(DIST)/include $(DIST)/bin
	cp build/publish/lib/libsession.so build/publish/lib/libsodium.so build/publish/lib/libe_sqlite3.so $(DIST)/lib/
	ln -sf libsession.so $(DIST)/lib/libsession.so.1
	cp include/session.h $(DIST)/include/
	$(DOTNET) publish src/LocalNet/SessionInterop.LocalNet.csproj -c $(CONFIG) -nologo -v:q -clp:ErrorsOnly \
	    -o $(DIST)/libexec/session-localnet
	ln -sf ../libexec/session-localnet/session-localnet $(DIST)/bin/session-localnet
	$(MAKE) --no-print-directory python-package
	$(MAKE) --no-print-directory -C examples/c

# The Python package bundles the library so `pip install bindings/python` works without SESSION_LIBRARY.
python-package:
	mkdir -p bindings/python/session_interop/lib
	cp $(DIST)/lib/libsession.so $(DIST)/lib/libsodium.so $(DIST)/lib/libe_sqlite3.so bindings/python/session_interop/lib/

test: dist
	bash tests/run_all.sh

demo: dist
	bash scripts/demo.sh

bench: dist
	bash bench/run.sh

# docs/reliability.md explains both and records the figures of the last full runs.
FUZZ_SECONDS ?= 60
fuzz: dist
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_EXECS=$(FUZZ_EXECS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash tests/fuzz/run.sh

soak: dist
	SESSION_LIBRARY=$(CURDIR)/$(DIST)/lib/libsession.so $(PYTHON) tests/soak/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(DIST) build bindings/python/session_interop/lib
	$(DOTNET) clean SessionInterop.sln -nologo -v:q
