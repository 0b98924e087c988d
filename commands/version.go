package commands

import (
	"fmt"
	"runtime/debug"
)

// BuildInfo is what `mqtap --version` prints; release builds set it by
// ldflags, plain `go build`/`go install` builds fill it from the module's
// build information.
type BuildInfo struct {
	Version, Commit, Date string
}

func (b BuildInfo) resolve() BuildInfo {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b.orUnknown()
	}
	if b.Version == "" && info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision" && b.Commit == "":
			b.Commit = s.Value
			if len(b.Commit) > 12 {
				b.Commit = b.Commit[:12]
			}
		case s.Key == "vcs.time" && b.Date == "":
			b.Date = s.Value
		case s.Key == "vcs.modified" && s.Value == "true" && b.Commit != "":
			b.Commit += "-dirty"
		}
	}
	return b.orUnknown()
}

func (b BuildInfo) orUnknown() BuildInfo {
	if b.Version == "" {
		b.Version = "(devel)"
	}
	if b.Commit == "" {
		b.Commit = "unknown"
	}
	if b.Date == "" {
		b.Date = "unknown"
	}
	return b
}

func (b BuildInfo) String() string {
	return fmt.Sprintf("%s (commit %s, built %s)", b.Version, b.Commit, b.Date)
}
