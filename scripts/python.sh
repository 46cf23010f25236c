#!/bin/sh
# The interpreter `make` creates .venv with (the Makefile's PYTHON): the newest of Python 3.13
# and 3.12 that runs and can make a venv, found on PATH or among pyenv's installed versions
# (pyenv's python3.1x shims refuse to run a version that is not the selected one, so the
# versions' own binaries are tried too); else python3. On 3.12 and later coverage measures
# through sys.monitoring (COVERAGE_CORE=sysmon), which costs the tests far less CPU than
# 3.11's tracer. Every version from 3.11 on is supported (requires-python).
for version in 3.13 3.12; do
    for candidate in "python$version" $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version" 2>/dev/null | sort -V -r); do
        if "$candidate" -c 'import ensurepip, venv' >/dev/null 2>&1; then
            command -v "$candidate"
            exit 0
        fi
    done
done
echo python3
