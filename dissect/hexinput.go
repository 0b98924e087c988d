package dissect

import (
	"bufio"
	"io"

	"github.com/mqtap/mqtap/output"
)

// Bytes dissects a run of MQTT bytes, as from a hex dump: the PDUs one
// after another, as a client or broker sent them. A CONNECT at the start
// sets the version for the rest. A final PDU the bytes do not hold in full
// is shown as far as it goes and marked malformed.
func Bytes(w io.Writer, data []byte, opt Options) (Stats, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	conv := output.NewConversation(opt.Version)
	var st Stats
	var out packetWriter
	out.init(bw, opt)
	var d output.Dissection
	for len(data) > 0 {
		n, ok, err := pduLen(data)
		if err != nil || !ok || n > len(data) {
			n = len(data) // framing ends here: show what is left, flagged
		}
		conv.DissectInto(&d, data[:n])
		st.Frames++
		st.PDUs++
		if d.Malformed() || !ok || err != nil {
			st.Malformed++
		}
		if err := out.hexPDU(&d, st.Frames); err != nil {
			return st, err
		}
		data = data[n:]
	}
	if err := out.finish(); err != nil {
		return st, err
	}
	return st, bw.Flush()
}
