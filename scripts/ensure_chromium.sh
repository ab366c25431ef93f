#!/usr/bin/env bash
# Make sure Debian's Chromium is installed at /usr/bin/chromium (used by the browser tests
# through Playwright's `executable_path`; Playwright cannot download its own browsers here).
# Idempotent: does nothing when /usr/bin/chromium already exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "chromium already installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "chromium is missing and this script is not running as root (no sudo)." >&2
        echo "Run as root: apt-get update && apt-get install -y chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends chromium; then
    # The package lists may be missing or stale: refresh them once and retry.
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends chromium
fi

if [ ! -x "$CHROMIUM" ]; then
    echo "chromium was installed but $CHROMIUM is missing" >&2
    exit 1
fi
echo "chromium installed: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
