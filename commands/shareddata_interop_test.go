//go:build interop

package commands

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// teamSharedData is the team's reference data beside the repository, of
// which testdata/shared is the repository's copy.
const teamSharedData = "../../shared/testdata"

// TestSharedDataIsCurrent fails when the repository's copy of the shared
// reference data differs from the team's: a new or regenerated capture
// must be copied in, so that the tests run against what the team checks.
func TestSharedDataIsCurrent(t *testing.T) {
	if _, err := os.Stat(teamSharedData); err != nil {
		// Outside the team's workspace (a plain clone) there is nothing to
		// compare with; the copy is then the reference.
		t.Skipf("no %s beside the repository: %v", teamSharedData, err)
	}
	seen := map[string]bool{}
	err := filepath.WalkDir(teamSharedData, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(teamSharedData, path)
		seen[rel] = true
		want, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		got, err := os.ReadFile(filepath.Join(sharedData, rel))
		switch {
		case err != nil:
			t.Errorf("%s: not in the repository's copy (cp -r %s/* testdata/shared/): %v", rel, teamSharedData, err)
		case !bytes.Equal(got, want):
			t.Errorf("%s differs from %s", filepath.Join("testdata/shared", rel), path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	filepath.WalkDir(sharedData, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(sharedData, path)
		if !seen[rel] && rel != "README.md" {
			t.Errorf("%s: in the repository's copy but not in %s", rel, teamSharedData)
		}
		return nil
	})
	if len(seen) < 14 {
		t.Errorf("only %d files in %s", len(seen), teamSharedData)
	}
}
