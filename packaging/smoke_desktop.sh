#!/usr/bin/env bash
# Prove a desktop archive runs on its own: unpack it in a temporary folder and run it
# there, with no display (Qt's offscreen platform) and no keyring, on fresh profiles.
#
#   bash packaging/smoke_desktop.sh [dist/Moot-<version>-<arch>.tar.gz]
#
# Checks that both commands name the release; that the window starts on the sample
# group (moot --demo --smoke-test); that the CLI makes a group, prints its invitation
# card (a PDF: WeasyPrint and its libraries) and dumps it (the profile's migrations);
# that moot-hub migrates a new database (the hub's migrations); that the previous
# release's profile and hub database upgrade in place; and that install.sh installs,
# upgrades and removes it for a user. Exits non-zero at the first failure, showing what
# the command said.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARCHIVE="${1:-$(ls -t "$ROOT"/dist/Moot-*.tar.gz 2>/dev/null | head -n 1 || true)}"
if [[ ! -f "$ARCHIVE" ]]; then
    echo "smoke: no archive (run packaging/build_desktop.sh first)" >&2
    exit 1
fi
VERSION="$(basename "$ARCHIVE" .tar.gz | sed 's/^Moot-//; s/-[^-]*$//')"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
tar -C "$TMP" -xzf "$ARCHIVE"
export QT_QPA_PLATFORM=offscreen MOOT_KEYRING=0
unset MOOT_DATA_DIR
MOOT="$TMP/Moot/AppRun"
HUB="$TMP/Moot/usr/bin/moot-hub"
OUT="$TMP/out"

say() { printf 'smoke: %s\n' "$*"; }
ms() { echo $(($(date +%s%N) / 1000000)); }

# check PATTERN COMMAND...: run it; it must exit 0 and print a line matching PATTERN.
check() {
    local pattern="$1" start
    shift
    start=$(ms)
    if ! "$@" >"$OUT" 2>"$OUT.err" || ! grep -Eq "$pattern" "$OUT"; then
        say "FAILED: ${*#"$TMP/"}"
        cat "$OUT" "$OUT.err" >&2
        exit 1
    fi
    say "ok ($(($(ms) - start)) ms): ${*#"$TMP/"}"
}

check "^moot $VERSION\$" "$MOOT" --version
check "^moot-hub $VERSION\$" "$HUB" --version
check "^Moot $VERSION started: [1-9][0-9]* groups? in $TMP/window/demo\$" \
    "$MOOT" --demo --smoke-test --data-dir "$TMP/window"
cat "$OUT"

CLI=(--data-dir "$TMP/cli")
check "Smoke" "$MOOT" "${CLI[@]}" name Smoke
check '"id"' "$MOOT" "${CLI[@]}" group create "Smoke test" --json
GROUP="$(sed -n 's/.*"id": "\([^"]*\)".*/\1/p' "$OUT")"
check "card.pdf" "$MOOT" "${CLI[@]}" invite card "$GROUP" "$TMP/card.pdf"
if [[ "$(head -c 5 "$TMP/card.pdf")" != "%PDF-" ]]; then
    say "FAILED: the invitation card is not a PDF" >&2
    exit 1
fi
check '"Smoke test"' "$MOOT" "${CLI[@]}" dump "$GROUP"
check "migrated: True" "$HUB" migrate --db "sqlite:///$TMP/hub.db"

# The previous release's profile and hub database, upgraded in place by this build.
PREVIOUS="$(ls -d "$ROOT"/tests/fixtures/migrations/*-hub* | sort | tail -n 1)"
mkdir -p "$TMP/previous/laptop" "$TMP/previous/hub"
cp "$PREVIOUS"/laptop/*.key "$TMP/previous/laptop/"
gzip -dc "$PREVIOUS/laptop/moot.db.gz" >"$TMP/previous/laptop/moot.db"
cp "$PREVIOUS"/hub/*.key "$TMP/previous/hub/" 2>/dev/null || true
gzip -dc "$PREVIOUS/hub/hub.db.gz" >"$TMP/previous/hub/hub.db"
check "migrated: True" "$HUB" migrate --db "sqlite:///$TMP/previous/hub/hub.db"
mapfile -t GROUPS_KEPT < <(sed -n 's/^    "name": "\(.*\)",$/\1/p' "$PREVIOUS/manifest.json")
[[ ${#GROUPS_KEPT[@]} -gt 0 ]] || { say "FAILED: no group named in $PREVIOUS" >&2; exit 1; }
for name in "${GROUPS_KEPT[@]}"; do
    check "$name" "$MOOT" --data-dir "$TMP/previous/laptop" group list
done

# A user's install from the unpacked folder, an upgrade over it, and its removal.
# Its own home, so neither a real install nor a real sync timer is touched.
export HOME="$TMP/home" XDG_CONFIG_HOME="$TMP/home/.config" XDG_DATA_HOME="$TMP/home/.local/share"
export PREFIX="$TMP/home/.local"
check "is installed" "$TMP/Moot/install.sh"
check "is installed" "$TMP/Moot/install.sh"
check "^moot $VERSION\$" "$PREFIX/bin/moot" --version
check "^moot-hub $VERSION\$" "$PREFIX/bin/moot-hub" --version
LAUNCHER="$PREFIX/share/applications/org.moot.Moot.desktop"
check "^Exec=$PREFIX/bin/moot\$" cat "$LAUNCHER"
if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$LAUNCHER" || { say "FAILED: the installed launcher" >&2; exit 1; }
    say "ok: desktop-file-validate ${LAUNCHER#"$TMP/"}"
fi
check "is installed" "$TMP/Moot/install.sh" --sync-timer
check "^ExecStart=$PREFIX/bin/moot sync\$" cat "$XDG_CONFIG_HOME/systemd/user/moot-sync.service"
check "^OnUnitActiveSec=15min\$" cat "$XDG_CONFIG_HOME/systemd/user/moot-sync.timer"
check "is removed" "$TMP/Moot/install.sh" --uninstall
# The menus' own caches (remade by update-desktop-database) are not Moot's to remove.
LEFT="$(find "$PREFIX" "$XDG_CONFIG_HOME" \( -type f -o -type l \) \
    ! -name mimeinfo.cache ! -name icon-theme.cache)"
if [[ -n "$LEFT" ]]; then
    say "FAILED: --uninstall left $LEFT" >&2
    exit 1
fi
unset PREFIX

say "all passed: $(basename "$ARCHIVE")"
