#!/usr/bin/env bash
# Fails, naming the files, if a C++ source of the repository differs from what clang-format makes
# of it with the repository's .clang-format (ctest lint.format). To format them:
#
#   git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i
#
# The formatter's version is pinned (clang-format 14, Debian's clang-format package): another
# version formats some constructs differently.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

formatter=$(command -v clang-format-14 || true)
if [[ -z "$formatter" ]]; then
    echo "check_format: clang-format-14 is not installed (Debian: apt-get install clang-format)" >&2
    exit 1
fi
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else
    mapfile -t files < <(find include test bench examples scripts -name '*.cpp' -o -name '*.hpp' | sort)
fi
bad=()
for f in "${files[@]}"; do
    if ! "$formatter" --dry-run --Werror "$f" >/dev/null 2>&1; then bad+=("$f"); fi
done
if [[ ${#bad[@]} -gt 0 ]]; then
    echo "check_format: ${#bad[@]} of ${#files[@]} files are not formatted with .clang-format:" >&2
    printf '  %s\n' "${bad[@]}" >&2
    echo "format them with: clang-format-14 -i <file>..." >&2
    exit 1
fi
echo "check_format: ${#files[@]} files formatted"
