#!/usr/bin/env python3
"""Extracts the C++ code samples of README.md and docs/**/*.md so that the test suite compiles
and runs every one of them (test/CMakeLists.txt calls this at configure time).

Every fenced block whose info string is `cpp` is a sample. An HTML comment on the line directly
above the opening fence (invisible on a repository page) says what kind:

  (none)                              a whole program with `int main`: compiled, linked, run;
                                      it must exit with 0
  <!-- sample: fragment -->           statements: placed inside `int main() { ... }` after the
                                      prelude below; compiled, linked, run
  <!-- sample: declarations -->       namespace-scope code: compiled after the prelude
  <!-- sample: fails "REGEX" -->      must NOT compile, and the compiler's output must match the
                                      (CMake) regular expression; wrapped like a fragment unless it
                                      has `int main`
  <!-- sample: output -->             put above a fenced block that is not cpp (```text): the
                                      exact standard output of the sample just before it

The prelude of fragments and declarations:

  #include <tapeless/tapeless.hpp>   (and <tapeless/nn.hpp> if the sample mentions nn::)
  #include <algorithm> <array> <cmath> <cstddef> <cstdio> <iostream> <numeric> <string> <vector>
  namespace tl = tapeless;  (namespace nn = tapeless::nn;)  using namespace tl::literals;

Usage: doc_samples.py --root REPO --out DIR
writes DIR/<name>.cpp, DIR/<name>.expected and DIR/manifest.cmake (one
`tapeless_doc_sample(<name> <kind> <source> <expected or ""> <regex or ""> <uses nn> <uses Eigen>
<where>)` per sample, plus the
list of Markdown files read, for CMAKE_CONFIGURE_DEPENDS). `--list` prints the samples instead.
A malformed directive is an error naming the file and line.
"""

import argparse
import pathlib
import re
import sys

DIRECTIVE = re.compile(r'^<!--\s*sample:\s*(\w+)\s*(?:"(.*)")?\s*-->\s*$')
FENCE = re.compile(r'^(\s*)(`{3,}|~{3,})\s*([^\s`]*)')
KINDS = {"program", "fragment", "declarations", "fails", "output"}


class SampleError(Exception):
    pass


def markdown_files(root):
    files = [root / "README.md"]
    files += sorted((root / "docs").rglob("*.md"))
    return [f for f in files if f.is_file()]


def parse(path, root):
    """Yields dicts: name, kind, code, line, expected (str or None), regex."""
    rel = path.relative_to(root).as_posix()
    lines = path.read_text(encoding="utf-8").splitlines()
    samples = []
    pending = None  # directive seen on the previous line: (kind, arg, line number)
    i = 0
    while i < len(lines):
        line = lines[i]
        m = DIRECTIVE.match(line.strip())
        if m:
            kind, arg = m.group(1), m.group(2)
            if kind not in KINDS:
                raise SampleError(f"{rel}:{i + 1}: unknown sample kind '{kind}' "
                                  f"(one of: {', '.join(sorted(KINDS))})")
            if kind == "fails" and not arg:
                raise SampleError(f"{rel}:{i + 1}: 'fails' needs the expected diagnostic as a "
                                  f"quoted regular expression")
            pending = (kind, arg, i + 1)
            i += 1
            continue
        f = FENCE.match(line)
        if not f:
            if line.strip() and pending:
                raise SampleError(f"{rel}:{pending[2]}: a sample directive must be directly "
                                  f"above a fenced code block")
            i += 1
            continue
        indent, fence, info = f.group(1), f.group(2), f.group(3).lower()
        body = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
            i += 1
        if i >= len(lines):
            raise SampleError(f"{rel}:{i}: unterminated code block")
        i += 1
        code = "\n".join(body) + "\n"
        kind, arg, at = pending if pending else (None, None, None)
        pending = None
        if info in ("cpp", "c++"):
            if kind == "output":
                raise SampleError(f"{rel}:{at}: 'output' belongs above the (text) block that "
                                  f"shows a sample's output, not above C++ code")
            if kind is None:
                kind = "program"
                if not re.search(r"\bint\s+main\s*\(", code):
                    raise SampleError(
                        f"{rel}:{i - len(body) - 1}: a C++ block without `int main` needs a "
                        f"<!-- sample: fragment --> or <!-- sample: declarations --> line above it")
            samples.append({"kind": kind, "regex": arg or "", "code": code,
                            "line": i - len(body) - 1, "expected": None})
        elif kind == "output":
            if not samples:
                raise SampleError(f"{rel}:{at}: an 'output' block with no sample before it")
            if samples[-1]["expected"] is not None:
                raise SampleError(f"{rel}:{at}: the sample at line {samples[-1]['line']} "
                                  f"already has an output block")
            if samples[-1]["kind"] in ("fails", "declarations"):
                raise SampleError(f"{rel}:{at}: a '{samples[-1]['kind']}' sample is not run, "
                                  f"so it cannot have an output block")
            samples[-1]["expected"] = code
        elif kind is not None:
            raise SampleError(f"{rel}:{at}: '{kind}' is for ```cpp blocks")
    stem = re.sub(r"[^A-Za-z0-9]+", "_", rel.removesuffix(".md")).strip("_").lower()
    for n, s in enumerate(samples, 1):
        s["name"] = f"{stem}.{n}"
        s["where"] = f"{rel}:{s['line']}"
    return samples


def prelude(code):
    uses_nn = "nn::" in code or "tapeless/nn" in code
    parts = ["#include <tapeless/tapeless.hpp>"]
    if uses_nn:
        parts.append("#include <tapeless/nn.hpp>")
    parts += [f"#include <{h}>" for h in ("algorithm", "array", "cmath", "cstddef", "cstdio", "iostream",
                                         "numeric", "string", "vector")]
    parts += ["namespace tl = tapeless;"]
    if uses_nn:
        parts.append("namespace nn = tapeless::nn;")
    parts.append("using namespace tl::literals;")
    return "\n".join(parts) + "\n"


def source_of(s):
    code, kind = s["code"], s["kind"]
    has_main = re.search(r"\bint\s+main\s*\(", code)
    head = f"// {s['where']} ({kind})\n"
    if kind == "program" or (kind == "fails" and has_main):
        return head + f'#line {s["line"] + 1} "{s["where"].split(":")[0]}"\n' + code
    if kind == "declarations":
        return (head + prelude(code) + f'#line {s["line"] + 1} "{s["where"].split(":")[0]}"\n'
                + code + "\nint main() {}\n")
    # fragment, or fails without main
    return (head + prelude(code) + "int main() {\n" +
            f'#line {s["line"] + 1} "{s["where"].split(":")[0]}"\n' + code + "}\n")


def cmake_quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--root", required=True, type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    root = args.root.resolve()
    try:
        files = markdown_files(root)
        samples = [s for f in files for s in parse(f, root)]
    except SampleError as e:
        print(f"doc_samples: {e}", file=sys.stderr)
        return 1
    if args.list:
        for s in samples:
            print(f"{s['name']:40} {s['kind']:13} {s['where']}"
                  + ("  (output checked)" if s["expected"] is not None else ""))
        return 0
    if not args.out:
        ap.error("--out is required unless --list")
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = ["# generated by scripts/doc_samples.py: do not edit"]
    manifest.append("set(TAPELESS_DOC_FILES " + " ".join(cmake_quote(f.as_posix()) for f in files) + ")")
    for s in samples:
        src = args.out / f"{s['name']}.cpp"
        text = source_of(s)
        if not src.exists() or src.read_text(encoding="utf-8") != text:  # keep mtimes: no rebuild
            src.write_text(text, encoding="utf-8")
        expected = ""
        if s["expected"] is not None:
            exp = args.out / f"{s['name']}.expected"
            if not exp.exists() or exp.read_text(encoding="utf-8") != s["expected"]:
                exp.write_text(s["expected"], encoding="utf-8")
            expected = exp.as_posix()
        uses_nn = "ON" if ("nn::" in s["code"] or "tapeless/nn" in s["code"]) else "OFF"
        uses_eigen = "ON" if ("tapeless/adapters/eigen.hpp" in s["code"] or "<Eigen/" in s["code"]) else "OFF"
        manifest.append(f"tapeless_doc_sample({s['name']} {s['kind']} {cmake_quote(src.as_posix())} "
                        f"{cmake_quote(expected)} {cmake_quote(s['regex'])} {uses_nn} {uses_eigen} "
                        f"{cmake_quote(s['where'])})")
    (args.out / "manifest.cmake").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
