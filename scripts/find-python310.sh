#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or exit 1 explaining how to get one.
# Rasa 3.6.21 supports Python < 3.11 only, so the project venv must be built with 3.10.
set -u

is_py310() {
    [ -n "$1" ] && [ -x "$1" ] \
        && "$1" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1
}

found() {
    # Resolve to the real interpreter so the venv does not depend on a shim.
    "$1" -c 'import sys; print(sys.executable)'
    exit 0
}

# 1. python3.10 on PATH (a pyenv shim only works if a 3.10 version is selected).
if candidate=$(command -v python3.10 2>/dev/null) && is_py310 "$candidate"; then
    found "$candidate"
fi

# 2. Any 3.10 version known to pyenv.
if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -t. -k3,3nr); do
        prefix=$(pyenv prefix "$version" 2>/dev/null) || continue
        if is_py310 "$prefix/bin/python"; then
            found "$prefix/bin/python"
        fi
    done
fi

# 3. Well-known locations (PYTHON310_CANDIDATES replaces the list, e.g. in tests).
default_candidates="${PYENV_ROOT:-$HOME/.pyenv}/versions/3.10*/bin/python
/root/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10"
# Word splitting and globbing of the list are intended here.
# shellcheck disable=SC2086
for candidate in ${PYTHON310_CANDIDATES:-$default_candidates}; do
    if is_py310 "$candidate"; then
        found "$candidate"
    fi
done

cat >&2 <<'MSG'
error: no Python 3.10 interpreter found.
Rasa 3.6.21 supports Python < 3.11 only, so this project needs Python 3.10.
Install one, for example:
    pyenv install 3.10.13            # with pyenv
    apt-get install python3.10 python3.10-venv   # Debian/Ubuntu with 3.10 packages
then run the make target again.
MSG
exit 1
