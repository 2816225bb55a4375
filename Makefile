# SessionInterop — the README's commands.
#   make demo    build everything and run the demo (two identities messaging over LocalNet)
#   make test    build, publish and run every test suite; ends with "N passed, N failed"
#   make dist    publish libsession.so (+ libsodium.so), the header and the tools into dist/
#   make bench   run the benchmarks and write bench/results.md
#   make game-demo  LocalNet, a bot and the LÖVE chat game (examples/love); game-test plays it headless
#   make install PREFIX=/usr/local [DESTDIR=...]   install dist/ the way C users expect (see README)
#   make uninstall PREFIX=... [DESTDIR=...]         remove exactly what install put there
#   make wheel   dist/session_interop-VERSION-*.whl (pip install it; asyncio: si.AsyncClient)
#   make nuget   dist/nuget/SessionInterop.VERSION.nupkg (examples/dotnet restores it from there)
#   make endurance  10^4 messages over LocalNet: RSS, worst session_poll, exactly-once and order
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

# Versions: the package version from Directory.Build.props, the ABI from src/Managed/LibraryInfo.cs.
# The shared library is libsession.so.ABIMAJOR.ABIMINOR.PATCH (SONAME libsession.so.ABIMAJOR): the
# middle number grows when the ABI grows, the last one with bug-fix releases of the package.
VERSION      := $(shell sed -nE 's:.*<Version>([^<]+)</Version>.*:\1:p' Directory.Build.props)
ABI_MAJOR    := $(shell sed -nE 's/.*AbiMajor = ([0-9]+);.*/\1/p' src/Managed/LibraryInfo.cs)
ABI_MINOR    := $(shell sed -nE 's/.*AbiMinor = ([0-9]+);.*/\1/p' src/Managed/LibraryInfo.cs)
LIB_SONAME   := libsession.so.$(ABI_MAJOR)
LIB_REAL     := $(LIB_SONAME).$(ABI_MINOR).$(lastword $(subst ., ,$(VERSION)))

# make install: PREFIX/lib gets libsession; its libsodium.so and libe_sqlite3.so go to a private
# PREFIX/lib/sessioninterop/ (never a second libsodium.so in a system libdir), where libsession.so
# looks first (src/NativeExports/NativeLibraryLoader.cs, and RUNPATH $ORIGIN/sessioninterop).
PREFIX       ?= /usr/local
DESTDIR      ?=
LIBDIR       := $(PREFIX)/lib
PRIVLIBDIR   := $(LIBDIR)/sessioninterop
CMAKEDIR     := $(LIBDIR)/cmake/SessionInterop
PCDIR        := $(LIBDIR)/pkgconfig
space        := $(subst ,, )
# What a program linking libsession.a statically also needs (libsodium/e_sqlite3 stay shared and
# are dlopened at run time: the rpath lets the program find them). scripts/static-lib.sh fails when
# the .NET runtime starts needing a library missing here.
STATIC_SYSTEM_LIBS := -pthread -ldl -lrt -lm
LIBS_PRIVATE := $(STATIC_SYSTEM_LIBS) -Wl,-rpath,$${privlibdir}

.PHONY: all build dist python-package examples test demo bench clean install uninstall wheel nuget game-demo game-test endurance fuzz soak

all: dist

build:
	$(DOTNET) build SessionInterop.sln -c $(CONFIG) -nologo -v:q -clp:ErrorsOnly

# libsession.so with SONAME libsession.so.1 and RUNPATH $ORIGIN; libsodium.so and libe_sqlite3.so beside it;
# libsession.a (NativeAOT's static mode with the runtime merged in, scripts/static-lib.sh);
# dist/bin/session-localnet (framework-dependent, its files in dist/libexec/session-localnet);
# dist/bin/session, the CLI (NativeAOT; finds libsodium/libe_sqlite3 through RUNPATH $ORIGIN/../lib).
dist: build
	$(DOTNET) publish src/NativeExports/SessionInterop.NativeExports.csproj -c $(CONFIG) -r $(RID) \
	    -nologo -v:q -clp:ErrorsOnly -o build/publish/lib
	mkdir -p $(DIST)/lib $(DIST)/include $(DIST)/bin
	cp build/publish/lib/libsession.so build/publish/lib/libsodium.so build/publish/lib/libe_sqlite3.so $(DIST)/lib/
	ln -sf libsession.so $(DIST)/lib/libsession.so.1
	cp include/session.h $(DIST)/include/
	$(DOTNET) publish src/NativeExports/SessionInterop.NativeExports.csproj -c $(CONFIG) -r $(RID) -p:NativeLib=Static \
	    -nologo -v:q -clp:ErrorsOnly -o build/publish/static
	bash scripts/static-lib.sh build/publish/static $(DIST)/lib/libsession.a "$(STATIC_SYSTEM_LIBS)"
	$(DOTNET) publish src/LocalNet/SessionInterop.LocalNet.csproj -c $(CONFIG) -nologo -v:q -clp:ErrorsOnly \
	    -o $(DIST)/libexec/session-localnet
	ln -sf ../libexec/session-localnet/session-localnet $(DIST)/bin/session-localnet
	$(DOTNET) publish src/Cli/SessionInterop.Cli.csproj -c $(CONFIG) -r $(RID) -nologo -v:q -clp:ErrorsOnly -o build/publish/cli
	cp build/publish/cli/session $(DIST)/bin/session
	$(MAKE) --no-print-directory python-package
	$(MAKE) --no-print-directory -C examples/c

# The Python package bundles the library so `pip install bindings/python` works without SESSION_LIBRARY.
python-package:
	mkdir -p bindings/python/session_interop/lib
	cp $(DIST)/lib/libsession.so $(DIST)/lib/libsodium.so $(DIST)/lib/libe_sqlite3.so bindings/python/session_interop/lib/

# Installs what `make dist` built (and runs `make dist` first only when dist/ is missing).
install: | $(DIST)/lib/libsession.so
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PRIVLIBDIR) $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin \
	    $(DESTDIR)$(PCDIR) $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(PREFIX)/libexec
	install -m 755 $(DIST)/lib/libsession.so $(DESTDIR)$(LIBDIR)/$(LIB_REAL)
	ln -sfn $(LIB_REAL) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sfn $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libsession.so
	install -m 644 $(DIST)/lib/libsession.a $(DESTDIR)$(LIBDIR)/libsession.a
	install -m 755 $(DIST)/lib/libsodium.so $(DIST)/lib/libe_sqlite3.so $(DESTDIR)$(PRIVLIBDIR)/
	install -m 644 include/session.h $(DESTDIR)$(PREFIX)/include/session.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' \
	    pkgconfig/libsession.pc.in > $(DESTDIR)$(PCDIR)/libsession.pc
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' -e 's|@LIBS_PRIVATE@|$(LIBS_PRIVATE)|g' \
	    pkgconfig/libsession-static.pc.in > $(DESTDIR)$(PCDIR)/libsession-static.pc
	sed -e 's|@LIB_REAL@|$(LIB_REAL)|g' -e 's|@LIB_SONAME@|$(LIB_SONAME)|g' \
	    -e 's|@STATIC_LIBS@|$(subst $(space),;,$(STATIC_SYSTEM_LIBS))|g' \
	    cmake/SessionInteropConfig.cmake.in > $(DESTDIR)$(CMAKEDIR)/SessionInteropConfig.cmake
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@VERSION_MAJOR@|$(firstword $(subst ., ,$(VERSION)))|g' \
	    cmake/SessionInteropConfigVersion.cmake.in > $(DESTDIR)$(CMAKEDIR)/SessionInteropConfigVersion.cmake
	rm -rf $(DESTDIR)$(PREFIX)/libexec/session-localnet
	cp -R $(DIST)/libexec/session-localnet $(DESTDIR)$(PREFIX)/libexec/session-localnet
	ln -sfn ../libexec/session-localnet/session-localnet $(DESTDIR)$(PREFIX)/bin/session-localnet
	install -m 755 $(DIST)/bin/session $(DESTDIR)$(PREFIX)/bin/session

uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/$(LIB_REAL) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libsession.so \
	    $(DESTDIR)$(LIBDIR)/libsession.a $(DESTDIR)$(PCDIR)/libsession-static.pc $(DESTDIR)$(PRIVLIBDIR)/libsodium.so $(DESTDIR)$(PRIVLIBDIR)/libe_sqlite3.so \
	    $(DESTDIR)$(PREFIX)/include/session.h $(DESTDIR)$(PCDIR)/libsession.pc \
	    $(DESTDIR)$(CMAKEDIR)/SessionInteropConfig.cmake $(DESTDIR)$(CMAKEDIR)/SessionInteropConfigVersion.cmake \
	    $(DESTDIR)$(PREFIX)/bin/session-localnet $(DESTDIR)$(PREFIX)/bin/session
	rm -rf $(DESTDIR)$(PREFIX)/libexec/session-localnet
	-rmdir $(DESTDIR)$(PRIVLIBDIR) $(DESTDIR)$(CMAKEDIR) 2>/dev/null

$(DIST)/lib/libsession.so:
	$(MAKE) --no-print-directory dist

# dist/session_interop-VERSION-py3-none-linux_x86_64.whl: the Python package with the library inside.
# si.__version__ and pyproject.toml must carry the project's VERSION.
wheel: | $(DIST)/lib/libsession.so
	$(MAKE) --no-print-directory python-package
	@for v in "$$(sed -nE 's/^__version__ = "(.*)".*/\1/p' bindings/python/session_interop/__init__.py)" \
	          "$$(sed -nE 's/^version = "(.*)"/\1/p' bindings/python/pyproject.toml)"; do \
	    [[ "$$v" == "$(VERSION)" ]] || { echo "bindings/python says version $$v, the project $(VERSION)"; exit 1; }; done
	cd bindings/python && $(PYTHON) -c 'import sys; sys.path.insert(0, "_build"); import wheel_backend as b; \
	    print("$(DIST)/" + b.build_wheel(sys.argv[1]))' "$(abspath $(DIST))"

# dist/nuget/SessionInterop.VERSION.nupkg: src/Managed as the SessionInterop package (examples/dotnet uses it).
nuget:
	rm -f $(DIST)/nuget/SessionInterop.*.nupkg
	$(DOTNET) pack src/Managed/SessionInterop.Managed.csproj -c $(CONFIG) -nologo -v:q -clp:ErrorsOnly -o $(DIST)/nuget

test: dist
	bash tests/run_all.sh

demo: dist
	bash scripts/demo.sh

bench: dist
	bash bench/run.sh

# The LÖVE game with Session chat (apt: love; xvfb without a display). See docs/game-engines.md.
game-demo: dist
	scripts/with-localnet.sh -- scripts/game.sh demo build/game-demo

# Played headless under Xvfb, calm and under 100 incoming messages/s; also part of `make test`.
game-test: dist
	bash tests/game/run.sh
ENDURANCE_MESSAGES ?= 10000
endurance: dist
	bash scripts/with-localnet.sh -- env PYTHONPATH=bindings/python SESSION_LIBRARY=$(DIST)/lib/libsession.so \
	    $(PYTHON) bench/endurance.py $(ENDURANCE_MESSAGES)

# docs/reliability.md explains both and records the figures of the last full runs.
FUZZ_SECONDS ?= 60
fuzz: dist
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_EXECS=$(FUZZ_EXECS) FUZZ_TARGETS="$(FUZZ_TARGETS)" bash tests/fuzz/run.sh

soak: dist
	SESSION_LIBRARY=$(CURDIR)/$(DIST)/lib/libsession.so $(PYTHON) tests/soak/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(DIST) build bindings/python/session_interop/lib
	$(DOTNET) clean SessionInterop.sln -nologo -v:q
