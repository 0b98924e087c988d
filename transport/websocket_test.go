package transport

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestWebSocketStream checks the adapter: the "mqtt" subprotocol is asked
// for, each Write is one binary message, and Read runs across message
// boundaries (MQTT 5.0 §6: packets may be split over messages).
func TestWebSocketStream(t *testing.T) {
	up := websocket.Upgrader{Subprotocols: []string{"mqtt"}}
	got := make(chan []byte, 4)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/mqtt" {
			http.NotFound(w, r)
			return
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		if c.Subprotocol() != "mqtt" {
			return
		}
		typ, msg, err := c.ReadMessage()
		if err != nil || typ != websocket.BinaryMessage {
			return
		}
		got <- msg
		// One packet split over two messages, then two in one.
		c.WriteMessage(websocket.BinaryMessage, []byte{0x20})
		c.WriteMessage(websocket.BinaryMessage, []byte{0x02, 0x00, 0x00, 0xD0, 0x00})
		c.ReadMessage() // until the client closes
	})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	nc, err := Dial(ctx, Endpoint{Scheme: WS, Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, ok := nc.RemoteAddr().(*net.TCPAddr); !ok {
		t.Errorf("RemoteAddr %T, want the TCP address", nc.RemoteAddr())
	}
	if _, err := nc.Write([]byte{0xC0, 0x00}); err != nil {
		t.Fatal(err)
	}
	if msg := <-got; string(msg) != "\xC0\x00" {
		t.Errorf("server got %x", msg)
	}
	nc.SetReadDeadline(time.Now().Add(10 * time.Second))
	buf := make([]byte, 6)
	if _, err := io.ReadFull(nc, buf); err != nil || string(buf) != "\x20\x02\x00\x00\xD0\x00" {
		t.Errorf("read %x, %v", buf, err)
	}
}
