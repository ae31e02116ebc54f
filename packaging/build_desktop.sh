#!/usr/bin/env bash
# Build the self-contained desktop app for Linux and pack it as an AppDir archive.
#
#   bash packaging/build_desktop.sh [--smoke]
#
# 1. Freezes Moot with PyInstaller (packaging/moot.spec) into dist/moot/: the commands
#    moot and moot-hub over one folder of libraries. PyInstaller is installed into .venv
#    first if it is missing.
# 2. Lays the folder out as an AppDir (what appimagetool packs into an AppImage) and packs
#    it as dist/Moot-<version>-<arch>.tar.gz:
#      Moot/AppRun                       runs the bundled moot with its arguments
#      Moot/install.sh                   installs it for the user (packaging/linux/install.sh)
#      Moot/org.moot.Moot.desktop, .svg  the launcher and icon, where AppImage wants them
#      Moot/usr/lib/moot/                the PyInstaller folder
#      Moot/usr/bin/moot, moot-hub       links into it
#      Moot/usr/share/{applications,metainfo,icons/hicolor}/...
#      Moot/usr/share/moot/moot-sync.{service,timer}
# 3. With --smoke, runs packaging/smoke_desktop.sh on the archive.
#
# Needs the .venv of packaging/setup.sh (and the system libraries it installs: the
# papers' Pango and HarfBuzz are bundled from them), ldd, and objdump (Debian: binutils).
# PYTHON overrides the interpreter (default: .venv/bin/python).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-$ROOT/.venv/bin/python}"
SMOKE=0
for arg in "$@"; do
    case "$arg" in
        --smoke) SMOKE=1 ;;
        *) echo "usage: $0 [--smoke]" >&2; exit 2 ;;
    esac
done

say() { printf 'build: %s\n' "$*"; }

for tool in ldd objdump tar; do
    if ! command -v "$tool" >/dev/null; then
        echo "build: $tool is missing (Debian: apt-get install binutils libc-bin tar)" >&2
        exit 1
    fi
done
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
    say "installing PyInstaller into $("$PY" -c 'import sys; print(sys.prefix)')"
    "$PY" -m pip install --quiet 'pyinstaller>=6.10'
fi

cd "$ROOT"
VERSION="$("$PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')"
ARCH="$(uname -m)"
ARCHIVE="dist/Moot-$VERSION-$ARCH.tar.gz"
started=$(date +%s)

say "PyInstaller $("$PY" -m PyInstaller --version), Moot $VERSION, $ARCH"
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/moot.spec
if [[ -e dist/moot/_internal/libpango-1.0.so.0 ]]; then
    say "Pango and HarfBuzz are bundled for the papers (the spec finds them itself when" \
        "PyInstaller's WeasyPrint hook warns that it could not)"
else
    say "warning: Pango was not bundled, so the printed papers need it on the computer" \
        "(apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)"
fi

# --- the AppDir --------------------------------------------------------------------------
APPDIR="build/appdir/Moot"
rm -rf build/appdir
mkdir -p "$APPDIR/usr/bin" "$APPDIR/usr/lib" "$APPDIR/usr/share/applications" \
    "$APPDIR/usr/share/metainfo"
cp -a dist/moot "$APPDIR/usr/lib/moot"
ln -s ../lib/moot/moot "$APPDIR/usr/bin/moot"
ln -s ../lib/moot/moot-hub "$APPDIR/usr/bin/moot-hub"
cat >"$APPDIR/AppRun" <<'EOF'
#!/bin/sh
# Moot from wherever this folder is (unpacked, or mounted as an AppImage).
here="$(dirname "$(readlink -f "$0")")"
exec "$here/usr/lib/moot/moot" "$@"
EOF
chmod 755 "$APPDIR/AppRun"

DESKTOP=packaging/linux/org.moot.Moot.desktop
if [[ -f "$DESKTOP" ]]; then
    cp "$DESKTOP" "$APPDIR/usr/share/applications/"
else
    say "warning: no $DESKTOP; a plain launcher goes in its place"
    printf '%s\n' "[Desktop Entry]" "Type=Application" "Name=Moot" "Exec=moot" \
        "Icon=org.moot.Moot" "Categories=Network;Office;" \
        >"$APPDIR/usr/share/applications/org.moot.Moot.desktop"
fi
cp "$APPDIR/usr/share/applications/org.moot.Moot.desktop" "$APPDIR/"
if [[ -f packaging/linux/org.moot.Moot.metainfo.xml ]]; then
    cp packaging/linux/org.moot.Moot.metainfo.xml "$APPDIR/usr/share/metainfo/"
else
    say "warning: no packaging/linux/org.moot.Moot.metainfo.xml"
fi

HICOLOR=resources/icons/hicolor
for icon in "$HICOLOR"/*/apps/org.moot.Moot.png "$HICOLOR"/scalable/apps/org.moot.Moot.svg; do
    [[ -f "$icon" ]] || continue
    mkdir -p "$APPDIR/usr/share/icons/$(dirname "${icon#resources/icons/}")"
    cp "$icon" "$APPDIR/usr/share/icons/${icon#resources/icons/}"
done
# What install.sh puts in place for a user: itself at the top, the sync timer beside it.
cp packaging/linux/install.sh "$APPDIR/install.sh"
mkdir -p "$APPDIR/usr/share/moot"
cp packaging/linux/moot-sync.service packaging/linux/moot-sync.timer "$APPDIR/usr/share/moot/"

SVG="$HICOLOR/scalable/apps/org.moot.Moot.svg"
if [[ ! -f "$SVG" ]]; then
    SVG=resources/icons/moot.svg
    mkdir -p "$APPDIR/usr/share/icons/hicolor/scalable/apps"
    cp "$SVG" "$APPDIR/usr/share/icons/hicolor/scalable/apps/org.moot.Moot.svg"
fi
cp "$SVG" "$APPDIR/org.moot.Moot.svg"
ln -s org.moot.Moot.svg "$APPDIR/.DirIcon"

rm -f "$ARCHIVE"
tar -C build/appdir --owner=0 --group=0 --numeric-owner -czf "$ARCHIVE" Moot
finished=$(date +%s)

say "built in $((finished - started)) s"
say "folder  $(du -sh dist/moot | cut -f1)  dist/moot"
say "archive $(du -sh "$ARCHIVE" | cut -f1)  $ARCHIVE"

if [[ $SMOKE -eq 1 ]]; then
    bash packaging/smoke_desktop.sh "$ARCHIVE"
fi
