#!/bin/sh
# Install Moot for this user from the unpacked archive, or take it away again.
#
#   ./install.sh                 install (or upgrade) into ~/.local
#   ./install.sh --sync-timer    the same, and sync every 15 minutes with a systemd user timer
#   ./install.sh --uninstall     remove the program, its launcher, icons and timer
#
# The program goes to ~/.local/lib/moot, the commands moot and moot-hub to ~/.local/bin,
# the launcher, icons and AppStream metadata under ~/.local/share. The profile
# (~/.local/share/Moot: the groups and their history) is never touched: an upgrade keeps
# it, and the next start brings it up to date. No root needed. PREFIX overrides ~/.local.
set -eu

here="$(dirname "$(readlink -f "$0")")"
prefix="${PREFIX:-$HOME/.local}"
program="$prefix/lib/moot"
share="$prefix/share"
units="${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user"

sizes="16 24 32 48 64 128 256 512"

# A command of this name that is not ours (a pipx install, say) is left alone.
ours() {
    case "$(readlink "$1" 2>/dev/null)" in "$program"/*) return 0 ;; *) return 1 ;; esac
}

link() {
    if [ -e "$2" ] && ! [ -L "$2" ] || { [ -L "$2" ] && ! ours "$2"; }; then
        echo "install.sh: $2 is another Moot's; left as it is (this one is $1)" >&2
        return 0
    fi
    ln -sf "$1" "$2"
}

# Files of a running Moot (the window, or a scheduled sync) must not change under it.
running() {
    for exe in /proc/[0-9]*/exe; do
        case "$(readlink "$exe" 2>/dev/null)" in "$program"/*) return 0 ;; esac
    done
    return 1
}

remove() {
    for command in moot moot-hub; do
        if ours "$prefix/bin/$command"; then rm -f "$prefix/bin/$command"; fi
    done
    rm -f "$share/applications/org.moot.Moot.desktop" \
        "$share/metainfo/org.moot.Moot.metainfo.xml" \
        "$share/icons/hicolor/scalable/apps/org.moot.Moot.svg"
    for size in $sizes; do
        rm -f "$share/icons/hicolor/${size}x${size}/apps/org.moot.Moot.png"
    done
    rm -rf "$program"
}

refresh_menus() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$share/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$share/icons/hicolor" 2>/dev/null || true
    fi
}

stop_timer() {
    if [ -f "$units/moot-sync.timer" ]; then
        if command -v systemctl >/dev/null 2>&1; then
            systemctl --user disable --now moot-sync.timer 2>/dev/null || true
        fi
        rm -f "$units/moot-sync.timer" "$units/moot-sync.service"
        if command -v systemctl >/dev/null 2>&1; then
            systemctl --user daemon-reload 2>/dev/null || true
        fi
    fi
}

if running; then
    echo "install.sh: Moot is running from $program: close it (and let a sync finish), then try again" >&2
    exit 1
fi

case "${1:-}" in
    --uninstall)
        stop_timer
        remove
        refresh_menus
        echo "Moot is removed. Your groups are still in ${XDG_DATA_HOME:-$HOME/.local/share}/Moot."
        exit 0
        ;;
    "" | --sync-timer) ;;
    *)
        echo "usage: $0 [--sync-timer | --uninstall]" >&2
        exit 2
        ;;
esac

if [ ! -x "$here/usr/lib/moot/moot" ]; then
    echo "install.sh: run it from the unpacked Moot folder (no $here/usr/lib/moot/moot)" >&2
    exit 1
fi

# The new program is copied beside the old one and swapped in whole, so a failed copy
# (a full disk, say) leaves the installed version as it was.
mkdir -p "$prefix/lib" "$prefix/bin" "$share/applications" "$share/metainfo"
rm -rf "$program.new"
cp -a "$here" "$program.new"
rm -rf "$program.old"
if [ -e "$program" ]; then mv "$program" "$program.old"; fi
mv "$program.new" "$program"
rm -rf "$program.old"

link "$program/usr/lib/moot/moot" "$prefix/bin/moot"
link "$program/usr/lib/moot/moot-hub" "$prefix/bin/moot-hub"
# Menus do not read ~/.local/bin from PATH everywhere: the launcher names the command in full.
sed -e "s|^Exec=moot|Exec=$prefix/bin/moot|" -e "s|^TryExec=moot|TryExec=$prefix/bin/moot|" \
    "$here/usr/share/applications/org.moot.Moot.desktop" >"$share/applications/org.moot.Moot.desktop"
cp "$here/usr/share/metainfo/org.moot.Moot.metainfo.xml" "$share/metainfo/"
(cd "$here/usr/share" && find icons -name 'org.moot.Moot.*' | while read -r icon; do
    mkdir -p "$share/$(dirname "$icon")"
    cp "$icon" "$share/$icon"
done)
refresh_menus

if [ "${1:-}" = "--sync-timer" ]; then
    mkdir -p "$units"
    sed "s|^ExecStart=%h/.local/bin/moot|ExecStart=$prefix/bin/moot|" \
        "$here/usr/share/moot/moot-sync.service" >"$units/moot-sync.service"
    cp "$here/usr/share/moot/moot-sync.timer" "$units/"
    if command -v systemctl >/dev/null 2>&1 && systemctl --user daemon-reload 2>/dev/null &&
        systemctl --user enable --now moot-sync.timer; then
        echo "moot sync runs every 15 minutes (systemctl --user list-timers says when next)."
    else
        echo "The timer is in $units; no systemd user session answered, so start it later:"
        echo "  systemctl --user enable --now moot-sync.timer"
    fi
fi

echo "Moot $("$program/usr/lib/moot/moot" --version | cut -d' ' -f2) is installed: open it from the menu, or run $prefix/bin/moot"
