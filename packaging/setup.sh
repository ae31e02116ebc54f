#!/usr/bin/env bash
# Set up a fresh Debian or Ubuntu machine to run and test Moot from this checkout.
#
#   bash packaging/setup.sh
#
# 1. Installs the system libraries Qt (PySide6) and WeasyPrint (the printed papers' PDFs)
#    need, with apt-get, when running as root or with password-less sudo; otherwise says
#    which are missing and goes on.
# 2. Creates .venv in the repository if it is not there yet.
# 3. Installs Moot into it in editable mode with its development tools.
#
# Safe to run again: apt-get runs only when a library is missing, and pip runs only
# when pyproject.toml has changed since the last install (MOOT_SETUP_FORCE=1 forces it).
# PYTHON picks the interpreter for a new .venv (default: the first python3.x >= 3.11).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
STAMP="$VENV/.moot-setup"

say() { printf 'setup: %s\n' "$*"; }

# Each entry is one library; "a|b" names alternatives across releases (the first that
# the package archive offers is used: Ubuntu 24.04 renamed some to *t64).
QT_PACKAGES=(
    libgl1 libegl1 libopengl0 libfontconfig1 libdbus-1-3 "libglib2.0-0t64|libglib2.0-0"
    libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0
    libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1
    libnss3 libxcomposite1 libxdamage1 libxrandr2 libxtst6 "libasound2t64|libasound2"
)

# WeasyPrint lays out the papers with Pango (which brings HarfBuzz and GLib with it),
# subsets the fonts it embeds with HarfBuzz's subsetter, and finds fonts through
# fontconfig (above); the papers ask for DejaVu, which a desktop has but a server may not.
PAPERS_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

# --- a Python of at least 3.11 --------------------------------------------------------

python_ok() {
    "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

pick_python() {
    if [[ -n "${PYTHON:-}" ]]; then
        echo "$PYTHON"
        return
    fi
    for candidate in python3 python3.13 python3.12 python3.11; do
        if command -v "$candidate" >/dev/null && python_ok "$candidate"; then
            echo "$candidate"
            return
        fi
    done
    echo python3
}

venv_ok() {
    [[ -x "$VENV/bin/python" ]] && python_ok "$VENV/bin/python" \
        && "$VENV/bin/python" -m pip --version >/dev/null 2>&1
}

# --- system libraries -----------------------------------------------------------------

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

available() {
    local candidate
    candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
    [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

# Echo the packages still to install; an entry counts as present if any alternative is.
missing_packages() {
    local entry name found
    for entry in "$@"; do
        found=""
        IFS='|' read -r -a names <<<"$entry"
        for name in "${names[@]}"; do
            if installed "$name"; then
                found=yes
                break
            fi
        done
        [[ -z "$found" ]] && echo "$entry"
    done
    return 0
}

install_system_packages() {
    if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
        say "no apt-get here: install Qt's runtime libraries (OpenGL, xcb, xkbcommon) and"
        say "Pango, HarfBuzz and the DejaVu fonts (for PDFs) yourself."
        return 0
    fi
    local wanted=("${QT_PACKAGES[@]}" "${PAPERS_PACKAGES[@]}")
    if ! venv_ok && ! "$(pick_python)" -c 'import ensurepip, venv' 2>/dev/null; then
        wanted+=(python3-venv)
    fi
    local missing
    mapfile -t missing < <(missing_packages "${wanted[@]}")
    if [[ ${#missing[@]} -eq 0 ]]; then
        say "system libraries: all present."
        return 0
    fi

    local -a sudo=()
    if [[ $EUID -ne 0 ]]; then
        if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            say "not root and no password-less sudo, so not installing: ${missing[*]//|/ or }"
            say "install them with: sudo apt-get install ${missing[*]//|*/}"
            return 0
        fi
    fi

    say "updating the package lists (apt-get update)"
    ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    local entry name to_install=()
    for entry in "${missing[@]}"; do
        IFS='|' read -r -a names <<<"$entry"
        for name in "${names[@]}"; do
            if available "$name"; then
                to_install+=("$name")
                continue 2
            fi
        done
        say "no package named ${entry//|/ or } in this release's archive; skipping it"
    done
    if [[ ${#to_install[@]} -gt 0 ]]; then
        say "installing: ${to_install[*]}"
        ${sudo[@]+"${sudo[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends "${to_install[@]}" >/dev/null
    fi
}

# --- the virtual environment ----------------------------------------------------------

make_venv() {
    if venv_ok; then
        say "using the existing virtual environment in .venv"
        return 0
    fi
    local python
    python="$(pick_python)"
    if ! python_ok "$python"; then
        say "Moot needs Python 3.11 or newer; '$python' is older or missing (set PYTHON=...)."
        exit 1
    fi
    say "creating .venv with $("$python" --version 2>&1)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
}

install_moot() {
    local want have=""
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    [[ -f "$STAMP" ]] && have="$(cat "$STAMP")"
    if [[ "$want" == "$have" && "${MOOT_SETUP_FORCE:-0}" != 1 ]] \
        && "$VENV/bin/python" -c 'import app, sync, ui, pytest' 2>/dev/null; then
        say "Moot and its development tools are installed already (pyproject.toml unchanged)."
        return 0
    fi
    say "installing Moot into .venv: pip install -e '.[dev]'"
    (
        cd "$ROOT"
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install --quiet \
            --no-input -e '.[dev]'
    )
    echo "$want" >"$STAMP"
}

install_system_packages
make_venv
install_moot
say "done. Try: .venv/bin/moot --help"
