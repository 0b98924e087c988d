package broker

import (
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// upgrader accepts the "mqtt" subprotocol (MQTT 5.0 §6) from any origin:
// the broker is a local tool, not a web service.
var upgrader = websocket.Upgrader{
	Subprotocols: []string{"mqtt"},
	CheckOrigin:  func(*http.Request) bool { return true },
}

// serveWebSocket upgrades every request, on any path, and hands the MQTT
// byte stream inside the WebSocket to the broker.
func (l *tappedListener) serveWebSocket(establish listeners.EstablishFn) {
	l.http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ws, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered the client
		}
		l.conns.Add(1)
		defer l.conns.Done()
		l.establish(establish, &wsStream{ws: ws})
	})
	l.http.Serve(l.ln)
}

// wsStream is a WebSocket as a byte stream: Read runs across binary
// messages (MQTT packets may be split over or packed into them, MQTT 5.0
// §6); each Write is one binary message.
type wsStream struct {
	ws *websocket.Conn
	r  io.Reader
}

func (c *wsStream) Read(p []byte) (int, error) {
	for {
		if c.r == nil {
			typ, r, err := c.ws.NextReader()
			if err != nil {
				var ce *websocket.CloseError
				if errors.As(err, &ce) {
					return 0, io.EOF
				}
				return 0, err
			}
			if typ != websocket.BinaryMessage {
				continue // MQTT 5.0 §6: only binary frames carry MQTT
			}
			c.r = r
		}
		n, err := c.r.Read(p)
		if err == io.EOF {
			c.r = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (c *wsStream) Write(p []byte) (int, error) {
	if err := c.ws.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *wsStream) Close() error                       { return c.ws.Close() }
func (c *wsStream) LocalAddr() net.Addr                { return c.ws.UnderlyingConn().LocalAddr() }
func (c *wsStream) RemoteAddr() net.Addr               { return c.ws.UnderlyingConn().RemoteAddr() }
func (c *wsStream) SetDeadline(t time.Time) error      { return c.ws.UnderlyingConn().SetDeadline(t) }
func (c *wsStream) SetReadDeadline(t time.Time) error  { return c.ws.SetReadDeadline(t) }
func (c *wsStream) SetWriteDeadline(t time.Time) error { return c.ws.SetWriteDeadline(t) }
