#!/bin/sh
# The interpreter `make` creates .venv with (the Makefile's PYTHON): Python 3.12 when one runs
# and can make a venv, found on PATH or among pyenv's installed versions (pyenv's python3.12
# shim refuses to run when 3.12 is not the selected version, so the versions' own binaries are
# tried too); else python3. On 3.12 coverage measures through sys.monitoring
# (COVERAGE_CORE=sysmon), which costs the tests far less CPU than 3.11's tracer. Not 3.13 yet:
# the suite turns warnings into errors, and on 3.13 rdflib's SPARQL REPLACE passes re.sub's
# count by position (a DeprecationWarning) and unclosed sqlite3 connections warn.
# Every version from 3.11 on is supported (requires-python).
for version in 3.12; do
    for candidate in "python$version" $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}/versions/$version".*/bin/"python$version" 2>/dev/null | sort -V -r); do
        if "$candidate" -c 'import ensurepip, venv' >/dev/null 2>&1; then
            command -v "$candidate"
            exit 0
        fi
    done
done
echo python3
