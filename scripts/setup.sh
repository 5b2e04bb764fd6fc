#!/usr/bin/env bash
# Sets up jurisdex on Debian, as root: the system libraries (Xapian, ICU, nlohmann/json, a C++
# toolchain) from Debian's packages, then the package and its test tools in ./.venv from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  g++ cmake ninja-build pkg-config \
  libxapian-dev xapian-tools libicu-dev libzstd-dev nlohmann-json3-dev \
  clang libclang-rt-dev \
  python3 python3-dev python3-venv >/dev/null

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet ".[test]"
echo "jurisdex $(.venv/bin/jurisdex --version | cut -d' ' -f2) is installed in .venv"
