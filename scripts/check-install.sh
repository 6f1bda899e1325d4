#!/usr/bin/env bash
# `npm run check:install`: proves cloudmend installs and runs outside its checkout, as README's
# "Install" section says. Packs this checkout (npm pack runs `prepare`: the bundle), installs the
# tarball with `npm install -g` into a temporary prefix, and from an empty directory runs the installed
# command: --version (package.json's), explain on the packaged examples, and the demo.
# With --git, installs from this checkout's git URL at HEAD instead (commit first; npm clones it,
# installs its devDependencies, builds, packs and installs that), into a directory: npm cannot
# install a git URL that needs building globally (npm/cli#8440).
# Needs the npm registry (the dependencies are installed anew) and takes a few minutes.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/cloudmend-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
version=$(node -p "require('$root/package.json').version")

if [[ "${1:-}" == --git ]]; then
  source="git+file://$root#$(git -C "$root" rev-parse HEAD)"
  echo "check:install: installing $source into $work/prefix"
  npm install --prefix "$work/prefix" --no-audit --no-fund "$source"
  cli="$work/prefix/node_modules/.bin/cloudmend"
  installed="$work/prefix/node_modules/cloudmend"
else
  source="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
  echo "check:install: installing $source globally into $work/prefix"
  npm install -g --prefix "$work/prefix" --no-audit --no-fund "$source"
  cli="$work/prefix/bin/cloudmend"
  installed="$work/prefix/lib/node_modules/cloudmend"
fi
mkdir "$work/elsewhere" && cd "$work/elsewhere"

said=$("$cli" --version 2>&1)
[[ "$said" == "$version" ]] || { echo "check:install: --version printed '$said', not $version" >&2; exit 1; }
"$cli" explain "$installed/examples/events" --config "$installed/examples/cloudmend.config.yaml" | tail -n 1
"$cli" demo | grep 'Summary:'
echo "check:install: cloudmend $version installed from $source runs outside the checkout"
