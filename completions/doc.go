// Package completions generates mqtap's shell completion scripts (bash, zsh,
// fish, PowerShell) from the live command tree, so that a new flag or
// subcommand is completed as soon as it exists.
//
// What the tree cannot say is which words a flag's value may be. That comes
// from one table, [Bindings] in bindings.go, keyed by flag name: a command
// that declares a flag named "qos" (or "q") gets QoS values completed without
// any change to the command. The value sets themselves are declared once, in
// values.go, from the packages that define them where one exists (property
// names come from mqttwire.PropSpecs).
//
// The generated scripts are committed next to this file (mqtap.bash,
// mqtap.zsh, mqtap.fish, mqtap.ps1); a test in package commands regenerates
// them from the real command tree and fails when they differ
// (`go test ./commands/ -run Completion -update` rewrites them).
package completions
