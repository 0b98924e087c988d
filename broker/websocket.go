package broker

import (
	"net/http"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mqtap/mqtap/transport"
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
		l.establish(establish, transport.WebSocketConn(ws))
	})
	l.http.Serve(l.ln)
}
