package transport

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"

	"github.com/gorilla/websocket"
)

// dialWebSocket performs the HTTP upgrade asking for the "mqtt" subprotocol
// (MQTT 5.0 §6) and returns the connection as a byte stream.
func dialWebSocket(ctx context.Context, e Endpoint, tcfg *tls.Config, dial func(context.Context, string, string) (net.Conn, error)) (net.Conn, error) {
	addr := e.Addr()
	scheme := "ws"
	if e.Scheme == WSS {
		scheme = "wss"
	}
	path := e.Path
	if path == "" {
		path = wsPath
	}
	u := url.URL{Scheme: scheme, Host: addr, Path: path}
	var dialErr error
	d := websocket.Dialer{
		Subprotocols:    []string{"mqtt"},
		TLSClientConfig: tcfg,
		NetDialContext: func(ctx context.Context, network, a string) (net.Conn, error) {
			nc, err := dialTCP(ctx, dial, a, a)
			dialErr = err
			return nc, err
		},
	}
	ws, resp, err := d.DialContext(ctx, u.String(), nil)
	if resp != nil && resp.Body != nil {
		resp.Body.Close()
	}
	if err != nil {
		if dialErr != nil {
			return nil, dialErr
		}
		var re tls.RecordHeaderError
		var ce *tls.CertificateVerificationError
		if errors.As(err, &re) || errors.As(err, &ce) {
			return nil, &DialError{Stage: StageTLS, Addr: addr, Err: err}
		}
		if resp != nil {
			err = fmt.Errorf("%w (HTTP %s)", err, resp.Status)
		}
		return nil, &DialError{Stage: StageWebSocket, Addr: u.String(), Err: err}
	}
	return WebSocketConn(ws), nil
}

// WebSocketConn adapts an established WebSocket, client or server side, to
// the MQTT byte stream it carries.
func WebSocketConn(ws *websocket.Conn) net.Conn { return &wsConn{ws: ws} }

// wsConn is a WebSocket connection as a byte stream: each Write is one
// binary message, and Read runs across message boundaries, since MQTT
// packets may be split over or packed into messages (MQTT 5.0 §6).
type wsConn struct {
	ws *websocket.Conn
	r  io.Reader // the message being read
}

func (c *wsConn) Read(p []byte) (int, error) {
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

func (c *wsConn) Write(p []byte) (int, error) {
	if err := c.ws.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Close sends a close frame (briefly; the peer may be gone) and closes.
func (c *wsConn) Close() error {
	msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
	_ = c.ws.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
	return c.ws.Close()
}

func (c *wsConn) LocalAddr() net.Addr  { return c.ws.UnderlyingConn().LocalAddr() }
func (c *wsConn) RemoteAddr() net.Addr { return c.ws.UnderlyingConn().RemoteAddr() }

// SetDeadline sets the socket's deadline. It must not touch the
// WebSocket's own write deadline: that belongs to the one writer, and a
// server (mochi) sets deadlines from its reading goroutine while another
// goroutine writes.
func (c *wsConn) SetDeadline(t time.Time) error { return c.ws.UnderlyingConn().SetDeadline(t) }

func (c *wsConn) SetReadDeadline(t time.Time) error  { return c.ws.SetReadDeadline(t) }
func (c *wsConn) SetWriteDeadline(t time.Time) error { return c.ws.SetWriteDeadline(t) }
