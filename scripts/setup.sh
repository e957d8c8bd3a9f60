#!/usr/bin/env bash
# scripts/setup.sh [--fuzz]: installs what building this repository needs, when it is
# missing: a C++20 compiler (g++ >= 12 or clang++ >= 14), CMake >= 3.22, Ninja, doctest,
# CLI11, and where apt-get is the installer liburing (stage 5's io_uring; elsewhere stage 5
# is left out of the build, quietly); with --fuzz also clang++ with libFuzzer, which the
# fuzz preset needs (scripts/fuzz.sh, and the fuzz step of scripts/test.sh, which asks for it).
# apt-get on Debian and Ubuntu (as root, or through sudo), brew on macOS. When it cannot,
# it says in one message what to install, and fails. With everything there it only looks.
set -euo pipefail
# shellcheck source=scripts/common.sh source-path=SCRIPTDIR/..
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

want_fuzzer=0
while [ $# -gt 0 ]; do
  case $1 in
    --fuzz) want_fuzzer=1 ;;
    -h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0" && exit 0 ;;
    *) die "unknown argument '$1' (try --help)" ;;
  esac
  shift
done

has_header() {
  local dir
  for dir in /usr/include /usr/local/include "${HOMEBREW_PREFIX:-/opt/homebrew}/include"; do
    [ -f "$dir/$1" ] && return 0
  done
  return 1
}

# Sets `missing` to the names of what is missing (words a reader understands).
check() {
  missing=""
  find_cxx >/dev/null || missing+=" compiler"
  if ! command -v cmake >/dev/null ||
    ! version_at_least "$(cmake --version | sed -n 's/^cmake version //p')" 3.22; then
    missing+=" cmake"
  fi
  command -v ninja >/dev/null || missing+=" ninja"
  has_header doctest/doctest.h || missing+=" doctest"
  has_header CLI/CLI.hpp || missing+=" cli11"
  if [ "$(uname -s)" = Linux ] && command -v apt-get >/dev/null; then
    has_header liburing.h || missing+=" liburing"
  fi
  if [ "$want_fuzzer" = 1 ] && ! has_libfuzzer; then missing+=" fuzzer"; fi
  missing=${missing# }
}

# What each word of $missing stands for: its name for a reader, then its apt package.
about() {
  case $1 in
    compiler) echo "a C++20 compiler (g++ >= 12 or clang++ >= 14)|g++" ;;
    cmake) echo "CMake >= 3.22|cmake" ;;
    ninja) echo "Ninja|ninja-build" ;;
    doctest) echo "doctest|doctest-dev" ;;
    cli11) echo "CLI11|libcli11-dev" ;;
    liburing) echo "liburing (stage 5)|liburing-dev" ;;
    fuzzer) echo "clang++ with libFuzzer|clang" ;;
  esac
}

describe() {
  local word text=""
  for word in $1; do text+=", $(about "$word" | cut -d'|' -f1)"; done
  printf '%s' "${text#, }"
}

apt_packages() {
  local word packages=""
  for word in $1; do packages+=" $(about "$word" | cut -d'|' -f2)"; done
  printf '%s' "${packages# }"
}

# How a person would install what is missing on this system.
install_hint() {
  if [ "$(uname -s)" = Darwin ]; then
    echo "brew install cmake ninja doctest cli11"
  elif command -v apt-get >/dev/null; then
    case " $missing " in
      *" fuzzer "*) echo "sudo apt-get install $(apt_packages "$missing") libclang-rt-dev" \
        "(leave out libclang-rt-dev where there is no such package)" ;;
      *) echo "sudo apt-get install $(apt_packages "$missing")" ;;
    esac
  else
    echo "your system's packages for them"
  fi
}

# The one message when we cannot install what is missing ourselves.
give_up() {
  local why=$1 how=${2:-$(install_hint)}
  say "setup: missing $(describe "$missing"); $why."
  say "setup: install them, then run this again: $how"
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_with_apt() {
  local packages log
  packages=$(apt_packages "$missing")
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    give_up "installing needs root, and sudo is not there" "apt-get install $packages (as root)"
  fi
  log=$(mktemp "${TMPDIR:-/tmp}/setup-apt.XXXXXX")
  say "setup: installing $packages with apt-get (log: $log)"
  # $packages is a list of words: split on purpose.
  # shellcheck disable=SC2086
  if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 ||
    ! as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $packages >>"$log" 2>&1; then
    tail -n 5 "$log" >&2
    give_up "apt-get failed (its log: $log)"
  fi
  # Ubuntu 22.04's g++ is 11: the next one is a package of its own there.
  if ! find_cxx >/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q g++-12 >>"$log" 2>&1 || true
  fi
  # Debian 12 and newer Ubuntus ship libFuzzer (the compiler runtime) in a package of its
  # own, only recommended by clang's: apt set not to install recommends leaves it out.
  if [ "$want_fuzzer" = 1 ] && ! has_libfuzzer; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q libclang-rt-dev \
      >>"$log" 2>&1 || true
  fi
}

install_with_brew() {
  case " $missing " in
    *" compiler "*) give_up "the compiler comes with Xcode's command line tools" \
      "xcode-select --install" ;;
    *" fuzzer "*) give_up "Apple's clang has no libFuzzer" \
      "brew install llvm, then put \$(brew --prefix llvm)/bin first on your PATH" ;;
  esac
  say "setup: installing cmake ninja doctest cli11 with brew"
  brew install cmake ninja doctest cli11 || give_up "brew failed"
}

if [ -n "${CXX:-}" ] && ! cxx_ok "$CXX"; then
  say "setup: CXX is set to '$CXX', which is not g++ >= 12 or clang++ >= 14."
  say "setup: unset CXX, or set it to such a compiler, then run this again."
  exit 1
fi
check
[ -z "$missing" ] && exit 0

if [ "$(uname -s)" = Darwin ] && command -v brew >/dev/null; then
  install_with_brew
elif command -v apt-get >/dev/null; then
  install_with_apt
elif [ "$(uname -s)" = Darwin ]; then
  give_up "Homebrew (https://brew.sh) is not installed"
else
  give_up "this system has neither apt-get nor brew"
fi

check
if [ -n "$missing" ]; then
  give_up "still missing after installing"
fi
say "setup: everything needed is installed"
