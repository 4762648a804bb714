#!/usr/bin/env bash
# Regenerates jextract's bindings for native-headers/*.h into target/jextract/ (not committed).
#
# The committed bindings (src/main/java/io/reseau/internal/ffi) are written from the same headers
# by hand, because they need what jextract does not generate: errno captured in the same call
# (Linker.Option.captureCallState), critical (transition-free) downcalls for non-blocking system
# calls, and results folded into "value or -errno". When a header changes, regenerate and compare
# the generated layouts and constants with the hand-written ones; the build never needs jextract.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

if ! command -v jextract >/dev/null 2>&1; then
  echo "jextract.sh: jextract is not on the PATH (builds: https://jdk.java.net/jextract/)." >&2
  echo "jextract.sh: nothing regenerated; the committed bindings in src/main/java/io/reseau/internal/ffi build without it." >&2
  exit 2
fi

out=target/jextract
rm -rf "$out"
mkdir -p "$out"
for header in native-headers/*.h; do
  name=$(basename "$header" .h)
  jextract --output "$out" --target-package "io.reseau.internal.ffi.jextract.${name//-/_}" \
    --header-class-name "${name//-/_}_h" "$header"
  echo "jextract.sh: $header -> $out/io/reseau/internal/ffi/jextract/${name//-/_}/"
done
