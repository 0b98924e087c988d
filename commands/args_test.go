package commands

import (
	"slices"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestHoistFlags(t *testing.T) {
	cmds := []*cli.Command{{Name: "decode", Flags: []cli.Flag{
		&cli.BoolFlag{Name: "V"}, &cli.StringSliceFlag{Name: "o"}, &cli.StringSliceFlag{Name: "d"},
	}}}
	cases := []struct{ in, want []string }{
		{[]string{"mqtap", "decode", "f.pcap", "-V"}, []string{"mqtap", "decode", "-V", "f.pcap"}},
		{[]string{"mqtap", "decode", "-V", "f.pcap"}, []string{"mqtap", "decode", "-V", "f.pcap"}},
		{[]string{"mqtap", "decode", "-o", "a:b", "f.pcap", "-d", "tcp.port==1,mqtt"},
			[]string{"mqtap", "decode", "-o", "a:b", "-d", "tcp.port==1,mqtt", "f.pcap"}},
		{[]string{"mqtap", "decode", "c000", "-o=x:y", "d000"}, []string{"mqtap", "decode", "-o=x:y", "c000", "d000"}},
		{[]string{"mqtap", "decode", "c000", "--", "-V"}, []string{"mqtap", "decode", "c000", "--", "-V"}},
		{[]string{"mqtap", "decode", "-", "-V"}, []string{"mqtap", "decode", "-V", "-"}},
		{[]string{"mqtap", "other", "x", "-V"}, []string{"mqtap", "other", "x", "-V"}},
		{[]string{"mqtap", "decode", "x", "--unknown"}, []string{"mqtap", "decode", "x", "--unknown"}},
	}
	for _, c := range cases {
		if got := hoistFlags(c.in, cmds); !slices.Equal(got, c.want) {
			t.Errorf("hoistFlags(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
