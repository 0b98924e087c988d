package commands

import (
	"fmt"

	"github.com/mqtap/mqtap/dissect"
	"github.com/mqtap/mqtap/output"
	"github.com/urfave/cli/v2"
)

func decodeCommand() *cli.Command {
	return &cli.Command{
		Name:      "decode",
		Usage:     "print MQTT packets from hex dumps or pcap/pcapng captures as Wireshark shows them",
		ArgsUsage: "[HEX | FILE | -]...",
		Description: `Decodes MQTT 3.1, 3.1.1 and 5.0 packets and prints them the way tshark 4.0
shows them, line for line. Inputs are detected automatically: hex on the
command line or stdin in any common dump style (plain, spaced, 0x.., C arrays,
xxd, hexdump -C, od -Ax -tx1, Wireshark's Copy as Hex Dump, tcpdump -X/-XX),
base64 with --base64; a dump of whole frames (Wireshark's Copy as Hex Stream,
C Arrays or Escaped String of a packet, tshark -x) is stripped to its TCP
payload. And pcap/pcapng files (Ethernet, Linux cooked SLL/SLL2,
BSD loopback, raw IP; IPv4 and IPv6; TCP reassembled per stream).

Messages that are printable UTF-8 are shown as text, others as hex, unless
tshark's -o mqtt.show_msg_as_text:TRUE|FALSE says otherwise (JSON output
follows tshark's default, hex). Hex input shows the MQTT layer alone; captures show the packet list, or
every layer with -V, as tshark does. Malformed packets are shown as far as
they decode and marked [Malformed Packet: MQTT]; the exit code is then 7.

Examples:
   mqtap decode 100c00044d5154540402003c0000
   xxd dump.bin | mqtap decode
   mqtap decode capture.pcapng                  # the packet list
   mqtap decode -V capture.pcapng               # every layer, as tshark -V
   mqtap decode -O mqtt -d tcp.port==8883,mqtt capture.pcap
   mqtap decode -T json capture.pcapng | jq '.[]._source.layers.mqtt'
   mqtap decode -o mqtt.show_msg_as_text:TRUE --pretty dump.hex`,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "V", Usage: "show packet details: every layer, as tshark -V"},
			&cli.BoolFlag{Name: "x", Usage: "show the bytes of each packet as hex and ASCII, as tshark -x"},
			&cli.StringFlag{Name: "T", Value: "text", Usage: "output format: text, json (as tshark -T json) or jsonl (one object per line)"},
			&cli.StringFlag{Name: "O", Usage: "show details of these protocols only (mqtt), the other layers as one line"},
			&cli.StringSliceFlag{Name: "d", Usage: "decode as: `tcp.port==N,mqtt` (repeatable); 1883 is always MQTT"},
			&cli.StringSliceFlag{Name: "o", Usage: "preference `NAME:VALUE`: mqtt.show_msg_as_text:TRUE|FALSE, mqtt.default_version:v31|v311|v50|none"},
			&cli.StringFlag{Name: "mqtt-version", Usage: "protocol `VERSION` for streams whose CONNECT was not captured: 3.1, 3.1.1 or 5"},
			&cli.BoolFlag{Name: "base64", Usage: "the hex inputs are base64 instead"},
			&cli.BoolFlag{Name: "pretty", Usage: "print JSON payloads indented beneath their packet"},
			&cli.StringFlag{Name: "color", Value: "auto", Usage: "colour: auto (on a terminal, unless NO_COLOR is set), always or never"},
			&cli.BoolFlag{Name: "no-heuristic", Usage: "do not take streams that start with a CONNECT on other ports for MQTT"},
			&cli.IntFlag{Name: "max-pdu", Usage: "largest reassembled PDU in `BYTES` (default 256 MiB)"},
		},
		Action: runDecode,
	}
}

func runDecode(c *cli.Context) error {
	opt, err := decodeOptions(c)
	if err != nil {
		return err
	}
	args := c.Args().Slice()
	if len(args) == 0 {
		args = []string{"-"}
	}
	inputs, err := classifyInputs(args, c.App.Reader, c.Bool("base64"))
	if err != nil {
		return err
	}
	st, err := runInputs(c.App.Writer, inputs, opt)
	if err != nil {
		return err
	}
	if st.Malformed > 0 {
		return exitf(ExitDecode, "%d malformed %s", st.Malformed, plural(st.Malformed, "packet", "packets"))
	}
	return nil
}

func decodeOptions(c *cli.Context) (dissect.Options, error) {
	opt := dissect.Options{
		Details:   c.Bool("V"),
		HexPane:   c.Bool("x"),
		Pretty:    c.Bool("pretty"),
		Heuristic: !c.Bool("no-heuristic"),
		MaxPDU:    c.Int("max-pdu"),
	}
	switch c.String("T") {
	case "text":
		opt.Format = dissect.Text
	case "json":
		opt.Format = dissect.JSON
	case "jsonl", "ek":
		opt.Format = dissect.JSONL
	default:
		return opt, usageError("-T %q: want text, json or jsonl", c.String("T"))
	}
	if opt.HexPane && opt.Format != dissect.Text {
		// tshark -T json -x adds a "*_raw" twin (bytes, offset, length,
		// bitmask, type) to every field of every layer; mqtap does not
		// write them, and JSON without them would not be tshark's.
		return opt, usageError("-x with -T %s: tshark's *_raw fields are not supported; use -x with text output", c.String("T"))
	}
	switch c.String("O") {
	case "":
	case "mqtt":
		opt.OnlyMQTT = true
	default:
		return opt, usageError("-O %q: only mqtt can be expanded alone", c.String("O"))
	}
	for _, d := range c.StringSlice("d") {
		port, err := parseDecodeAs(d)
		if err != nil {
			return opt, err
		}
		opt.Ports = append(opt.Ports, port)
	}
	if len(opt.Ports) > 0 {
		opt.Ports = append(opt.Ports, 1883)
	}
	prefs, err := parsePrefs(c.StringSlice("o"))
	if err != nil {
		return opt, err
	}
	opt.Prefs, opt.Version = prefs.Prefs, prefs.Version
	if s := c.String("mqtt-version"); s != "" {
		v, err := parseVersionFlag("--mqtt-version", s)
		if err != nil {
			return opt, err
		}
		opt.Version = v
	}
	switch m := c.String("color"); m {
	case "auto", "always", "never":
		opt.Palette = output.NewPalette(colorEnabled(m, c.App.Writer))
	default:
		return opt, usageError("--color %q: want auto, always or never", m)
	}
	return opt, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// describeInput names an input in error messages.
func describeInput(in decodeInput) string {
	if in.name != "" {
		return in.name
	}
	return fmt.Sprintf("argument %d", in.arg)
}
