package completions

import "slices"

// A Binding says how to complete the words that follow a flag (or, with
// Args, a command's arguments).
//
// Commands need no change to be completed: the generator matches each
// flag of the live command tree against this table by name. Put a new
// row here when a command gains a flag whose values are a known set.
type Binding struct {
	// Flags are flag names without dashes; a flag matches when any of its
	// names is listed ("qos" or "q").
	Flags []string
	// Commands, when set, limits the row to the commands with these names
	// (such rows win over general ones).
	Commands []string
	// Args binds the positional arguments of Commands instead of a flag.
	Args bool
	// Words holds one set per word the flag consumes: a flag that takes
	// one value has one set; mosquitto's -D takes three words (command,
	// property, value). A flag that takes no value is never bound.
	Words []ValueSet
}

// Bindings is the table; see the package documentation. Flags that take
// no value (connect's -q, decode's -V) are never bound, so a short name can
// mean a value set in one command and a switch in another.
//
//	flag names                               command       completes
//	-q --qos --will-qos                      any           0 1 2
//	-V --protocol-version --mqtt-version     any           31 311 5 mqttv31 mqttv311 mqttv5
//	-o --output                              any           text json jsonl hex dissect
//	--output                                 broker proxy  summary tree jsonl none
//	-T                                       decode        text json jsonl
//	--color                                  any         auto always never
//	--tls-version                            any         tlsv1.3 tlsv1.2 tlsv1.1
//	--retain-handling                        any         0 1 2
//	--payload-format                         any         0 1
//	-D --property                            any         connect publish … then that packet's property keys
//	-f --file --cafile --capath --cert       any         file paths
//	   --key --write --password-file --users
//	   --upstream-cert --upstream-key --unix
//	--junit --json                           check       file paths
//	(arguments)                              decode      file paths
//	(arguments)                              completion  bash zsh fish powershell
var Bindings = []Binding{
	{Flags: []string{"qos", "q", "will-qos"}, Words: []ValueSet{QoS}},
	{Flags: []string{"protocol-version", "mqtt-version", "V"}, Words: []ValueSet{MQTTVersions}},
	{Flags: []string{"output"}, Words: []ValueSet{MessageFormats}},
	{Flags: []string{"output"}, Commands: []string{"broker", "proxy"}, Words: []ValueSet{TapOutputs}},
	// sub's -T is --filter-out (a topic filter), so -T is decode's only.
	{Flags: []string{"T"}, Commands: []string{"decode"}, Words: []ValueSet{DecodeFormats}},
	{Flags: []string{"color", "colour"}, Words: []ValueSet{ColorModes}},
	{Flags: []string{"tls-version"}, Words: []ValueSet{TLSVersions}},
	{Flags: []string{"retain-handling"}, Words: []ValueSet{RetainHandling}},
	{Flags: []string{"payload-format"}, Words: []ValueSet{PayloadFormats}},
	// mosquitto's -D takes three words (commands.joinPropertyArgs joins them
	// for the flag parser); the third, the value, is free.
	{Flags: []string{"property", "D"}, Words: []ValueSet{PropertyCommands, PropertyNames, {}}},
	{Flags: []string{"file", "f", "cafile", "capath", "cert", "key", "write", "password-file", "users", "upstream-cert", "upstream-key", "unix"}, Words: []ValueSet{Files}},
	{Flags: []string{"junit", "json"}, Commands: []string{"check"}, Words: []ValueSet{Files}},
	{Commands: []string{"decode"}, Args: true, Words: []ValueSet{Files}},
	{Commands: []string{"completion"}, Args: true, Words: []ValueSet{Shells}},
}

// bindingFor returns the row for a flag with the given names in command
// cmd, preferring a row limited to cmd.
func bindingFor(cmd string, names []string) (Binding, bool) {
	var general Binding
	found := false
	for _, b := range Bindings {
		if b.Args || !b.matches(names) {
			continue
		}
		if slices.Contains(b.Commands, cmd) {
			return b, true
		}
		if len(b.Commands) == 0 && !found {
			general, found = b, true
		}
	}
	return general, found
}

// argsFor returns the set that completes cmd's positional arguments.
func argsFor(cmd string) (ValueSet, bool) {
	for _, b := range Bindings {
		if b.Args && slices.Contains(b.Commands, cmd) && len(b.Words) > 0 {
			return b.Words[0], true
		}
	}
	return ValueSet{}, false
}

func (b Binding) matches(names []string) bool {
	for _, n := range names {
		for _, f := range b.Flags {
			if n == f {
				return true
			}
		}
	}
	return false
}
