#!/usr/bin/env bash
# Builds every release artifact into dist/ without publishing anything:
# checks goreleaser.yaml, then runs a snapshot release. goreleaser needs a
# commit to describe; before the first one, the tree is built from a
# throwaway copy with a single commit, and its dist/ is copied back.
set -euo pipefail
cd "$(dirname "$0")/.."

goreleaser=(go run github.com/goreleaser/goreleaser/v2@v2.15.1)
"${goreleaser[@]}" check

if git rev-parse --quiet --verify HEAD >/dev/null 2>&1; then
  exec "${goreleaser[@]}" release --snapshot --clean --skip=publish
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar --exclude=./.git --exclude=./dist --exclude=./build -cf - . | tar -xf - -C "$tmp"
(
  cd "$tmp"
  git init --quiet
  git add --all
  git -c user.name=snapshot -c user.email=snapshot@localhost commit --quiet --message snapshot
  # Without a remote goreleaser drops all git facts (commit "none", commit
  # date zero), and with them the ldflags and reproducible mtimes.
  git remote add origin https://github.com/mqtap/mqtap.git
  "${goreleaser[@]}" release --snapshot --clean --skip=publish
)
rm -rf dist
cp -R "$tmp/dist" dist
echo "artifacts in dist/ (built from an uncommitted copy)"
