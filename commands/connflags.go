package commands

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
	"github.com/urfave/cli/v2"
)

// Connection flag names, shared by connect, pub and sub. They follow
// mosquitto_pub where it has one; each also reads an MQTT_* variable so
// that secrets can stay out of argv.
const (
	flagHost           = "host"
	flagPort           = "port"
	flagURL            = "url"
	flagVersion        = "protocol-version"
	flagID             = "id"
	flagKeepAlive      = "keepalive"
	flagNoClean        = "no-clean-session"
	flagSessionExpiry  = "session-expiry"
	flagUsername       = "username"
	flagPassword       = "pw"
	flagPasswordFile   = "password-file"
	flagWillTopic      = "will-topic"
	flagWillPayload    = "will-payload"
	flagWillQoS        = "will-qos"
	flagWillRetain     = "will-retain"
	flagProperty       = "property"
	flagConnectTimeout = "connect-timeout"
	flagTimeout        = "timeout"
	flagCAFile         = "cafile"
	flagCAPath         = "capath"
	flagCert           = "cert"
	flagKey            = "key"
	flagInsecure       = "insecure"
	flagTLSVersion     = "tls-version"
	flagALPN           = "alpn"
	flagSNI            = "sni"
	flagShowSecrets    = "show-secrets"
	flagDebug          = "debug"
	flagColor          = "color"
	flagWrite          = "write"
	flagTLS            = "tls"
	flagBind           = "bind-address"
	flagUnix           = "unix"
	flagIDPrefix       = "id-prefix"
	flagNoDelay        = "nodelay"
	flagCiphers        = "ciphers"
	flagKeyform        = "keyform"
	flagTLSEngine      = "tls-engine"
	flagTLSEngineKpass = "tls-engine-kpass-sha1"
	flagPSK            = "psk"
	flagPSKIdentity    = "psk-identity"
	flagProxy          = "proxy"
)

// connFlags are the flags every connecting command takes.
func connFlags() []cli.Flag {
	const conn, tlsCat, sess = "Connection", "TLS", "Session"
	return []cli.Flag{
		&cli.StringFlag{Name: flagHost, Aliases: []string{"h"}, Value: "localhost", EnvVars: []string{"MQTT_HOST"}, Category: conn, Usage: "broker host"},
		&cli.IntFlag{Name: flagPort, Aliases: []string{"p"}, EnvVars: []string{"MQTT_PORT"}, Category: conn, DefaultText: "1883, 8883 with TLS", Usage: "broker port"},
		&cli.StringFlag{Name: flagURL, Aliases: []string{"L"}, EnvVars: []string{"MQTT_URL"}, Category: conn, Usage: "`URL` mqtt(s)|ws(s)://[user[:pass]@]host[:port]/topic, instead of -h/-p/-t"},
		&cli.StringFlag{Name: flagUnix, EnvVars: []string{"MQTT_UNIX"}, Category: conn, Usage: "connect through the Unix domain socket `PATH` instead of -h/-p"},
		&cli.StringFlag{Name: flagBind, Aliases: []string{"A"}, EnvVars: []string{"MQTT_BIND_ADDRESS"}, Category: conn, Usage: "bind the outgoing socket to this local `ADDRESS` (choose the interface)"},
		&cli.StringFlag{Name: flagProxy, EnvVars: []string{"MQTT_PROXY"}, Category: conn, Usage: "reach the broker through a SOCKS5 proxy: socks5h://[user[:pass]@]host[:port]"},
		&cli.BoolFlag{Name: flagNoDelay, Hidden: true, Category: conn, Usage: "disable Nagle's algorithm (always done: accepted for mosquitto_pub's sake)"},
		&cli.StringFlag{Name: flagVersion, Aliases: []string{"V"}, Value: "311", EnvVars: []string{"MQTT_VERSION"}, Category: conn, Usage: "MQTT version: 31, 311 or 5 (also mqttv5, 3.1.1...)"},
		&cli.StringFlag{Name: flagID, Aliases: []string{"i"}, EnvVars: []string{"MQTT_CLIENT_ID"}, Category: sess, Usage: "client id (default mqtap-<host>-<pid>; \"\" lets the broker choose)"},
		&cli.StringFlag{Name: flagIDPrefix, Aliases: []string{"I"}, EnvVars: []string{"MQTT_CLIENT_ID_PREFIX"}, Category: sess, Usage: "client id `PREFIX` followed by the process id"},
		&cli.IntFlag{Name: flagKeepAlive, Aliases: []string{"k"}, Value: 60, EnvVars: []string{"MQTT_KEEPALIVE"}, Category: sess, Usage: "keepalive interval in `seconds` (0 disables)"},
		&cli.BoolFlag{Name: flagNoClean, Aliases: []string{"c", "disable-clean-session"}, EnvVars: []string{"MQTT_NO_CLEAN_SESSION"}, Category: sess, Usage: "keep the session (clean session / clean start off)"},
		&cli.StringFlag{Name: flagSessionExpiry, Aliases: []string{"x"}, EnvVars: []string{"MQTT_SESSION_EXPIRY"}, Category: sess, Usage: "MQTT 5 session expiry interval in `seconds` (-1, 4294967295 or ∞: never; default 0, or never with -c)"},
		&cli.StringFlag{Name: flagUsername, Aliases: []string{"u"}, EnvVars: []string{"MQTT_USERNAME"}, Category: conn, Usage: "user name"},
		&cli.StringFlag{Name: flagPassword, Aliases: []string{"P", "password"}, EnvVars: []string{"MQTT_PASSWORD"}, Category: conn, Usage: "password"},
		&cli.StringFlag{Name: flagPasswordFile, EnvVars: []string{"MQTT_PASSWORD_FILE"}, Category: conn, Usage: "read the password from the first line of `FILE`"},
		&cli.StringFlag{Name: flagWillTopic, EnvVars: []string{"MQTT_WILL_TOPIC"}, Category: sess, Usage: "will topic"},
		&cli.StringFlag{Name: flagWillPayload, EnvVars: []string{"MQTT_WILL_PAYLOAD"}, Category: sess, Usage: "will payload"},
		&cli.IntFlag{Name: flagWillQoS, EnvVars: []string{"MQTT_WILL_QOS"}, Category: sess, Usage: "will QoS"},
		&cli.BoolFlag{Name: flagWillRetain, EnvVars: []string{"MQTT_WILL_RETAIN"}, Category: sess, Usage: "retain the will"},
		&cli.StringSliceFlag{Name: flagProperty, Aliases: []string{"D"}, EnvVars: []string{"MQTT_PROPERTIES"}, Category: sess,
			Usage: "MQTT 5 property: -D `CMD PROPERTY VALUE` as mosquitto (CMD: connect, publish, subscribe, unsubscribe, disconnect, will)"},
		&cli.DurationFlag{Name: flagConnectTimeout, Value: 10 * time.Second, EnvVars: []string{"MQTT_CONNECT_TIMEOUT"}, Category: conn, Usage: "give up connecting (TCP, TLS, CONNACK) after this long"},
		&cli.DurationFlag{Name: flagTimeout, Value: 10 * time.Second, EnvVars: []string{"MQTT_TIMEOUT"}, Category: conn, Usage: "give up waiting for an acknowledgement after this long"},
		&cli.BoolFlag{Name: flagTLS, Aliases: []string{"tls-use-os-certs"}, EnvVars: []string{"MQTT_TLS"}, Category: tlsCat, Usage: "use TLS, trusting the system's CA certificates"},
		&cli.StringFlag{Name: flagCAFile, EnvVars: []string{"MQTT_CAFILE"}, Category: tlsCat, Usage: "trust the CA certificates in `FILE` (enables TLS)"},
		&cli.StringFlag{Name: flagCAPath, EnvVars: []string{"MQTT_CAPATH"}, Category: tlsCat, Usage: "trust the CA certificates in `DIR` (enables TLS)"},
		&cli.StringFlag{Name: flagCert, EnvVars: []string{"MQTT_CERT"}, Category: tlsCat, Usage: "client certificate `FILE` for mutual TLS"},
		&cli.StringFlag{Name: flagKey, EnvVars: []string{"MQTT_KEY"}, Category: tlsCat, Usage: "client private key `FILE`"},
		&cli.BoolFlag{Name: flagInsecure, EnvVars: []string{"MQTT_INSECURE"}, Category: tlsCat, Usage: "do not verify the server certificate"},
		&cli.StringFlag{Name: flagTLSVersion, EnvVars: []string{"MQTT_TLS_VERSION"}, Category: tlsCat, Usage: "lowest TLS version: tlsv1.3, tlsv1.2, tlsv1.1"},
		&cli.StringSliceFlag{Name: flagALPN, Aliases: []string{"tls-alpn"}, EnvVars: []string{"MQTT_ALPN"}, Category: tlsCat, Usage: "offer `PROTOCOL` in TLS ALPN"},
		&cli.StringFlag{Name: flagCiphers, EnvVars: []string{"MQTT_CIPHERS"}, Category: tlsCat, Usage: "TLS 1.2 cipher suites allowed, `LIST` of OpenSSL or IANA names (a:b:c)"},
		// mosquitto's OpenSSL-only flags and --nodelay are accepted for
		// its users' scripts but not listed: help shows what works.
		&cli.StringFlag{Name: flagKeyform, Hidden: true, Category: tlsCat, Usage: "key file format: pem (OpenSSL engines are not available)"},
		&cli.StringFlag{Name: flagTLSEngine, Hidden: true, Category: tlsCat, Usage: "OpenSSL engine: not available in Go's TLS; refused with a clear error"},
		&cli.StringFlag{Name: flagTLSEngineKpass, Hidden: true, Category: tlsCat, Usage: "OpenSSL engine key password: not available; refused"},
		&cli.StringFlag{Name: flagPSK, Hidden: true, Category: tlsCat, Usage: "TLS-PSK key: not available in Go's TLS; refused with a clear error"},
		&cli.StringFlag{Name: flagPSKIdentity, Hidden: true, Category: tlsCat, Usage: "TLS-PSK identity: not available; refused"},
		&cli.StringFlag{Name: flagSNI, EnvVars: []string{"MQTT_SNI"}, Category: tlsCat, Usage: "server name for SNI and verification"},
		&cli.BoolFlag{Name: flagShowSecrets, Category: "Output", Usage: "show the password in packet dissections"},
		&cli.BoolFlag{Name: flagDebug, Aliases: []string{"d"}, Category: "Output", Usage: "trace every packet on stderr, one line each"},
		&cli.StringFlag{Name: flagColor, Value: "auto", EnvVars: []string{"MQTAP_COLOR"}, Category: "Output", Usage: "colour: auto, always, never"},
		&cli.StringFlag{Name: flagWrite, Category: "Output", Usage: "write the session to `FILE.pcap`"},
	}
}

// connSettings is the connection flags, checked and resolved.
type connSettings struct {
	endpoint       transport.Endpoint
	urlTopic       string // the topic a -L URL names
	version        mqttwire.Version
	connect        *mqttwire.Connect
	props          propertySet
	connectTimeout time.Duration
	timeout        time.Duration
	dial           transport.Options // TLS, --unix, -A, --proxy
	showSecrets    bool
	debug          bool
	color          string
	pcapFile       string
	warn           io.Writer // stderr, for warnings before connecting
	passWarned     bool      // the plain-text password warning was given
}

// readConnSettings resolves the connection flags into a CONNECT packet and
// an endpoint.
func readConnSettings(c *cli.Context) (*connSettings, error) {
	s := &connSettings{
		connectTimeout: c.Duration(flagConnectTimeout),
		timeout:        c.Duration(flagTimeout),
		showSecrets:    c.Bool(flagShowSecrets),
		debug:          c.Bool(flagDebug),
		color:          c.String(flagColor),
		pcapFile:       c.String(flagWrite),
		warn:           c.App.ErrWriter,
		dial: transport.Options{
			TLS: transport.TLSOptions{
				CAFile: c.String(flagCAFile), CAPath: c.String(flagCAPath),
				CertFile: c.String(flagCert), KeyFile: c.String(flagKey),
				Insecure: c.Bool(flagInsecure), MinVersion: c.String(flagTLSVersion),
				ALPN: c.StringSlice(flagALPN), ServerName: c.String(flagSNI),
			},
			LocalAddr: c.String(flagBind),
			Unix:      c.String(flagUnix),
		},
	}
	if err := s.readTransportFlags(c); err != nil {
		return nil, err
	}
	switch s.color {
	case "auto", "always", "never":
	default:
		return nil, usageError("--color %q: want auto, always or never", s.color)
	}
	v, err := mqttwire.ParseVersion(c.String(flagVersion))
	if err != nil {
		return nil, usageError("-V: %v", err)
	}
	s.version = v
	if err := s.resolveEndpoint(c); err != nil {
		return nil, err
	}
	if s.props, err = parseProperties(c.StringSlice(flagProperty), v); err != nil {
		return nil, err
	}
	if s.connect, err = s.buildConnect(c); err != nil {
		return nil, err
	}
	return s, nil
}

// resolveEndpoint applies -L, or -h/-p with TLS chosen by the TLS flags.
func (s *connSettings) resolveEndpoint(c *cli.Context) error {
	if u := c.String(flagURL); u != "" {
		e, err := transport.ParseURL(u)
		if err != nil {
			return usageError("-L: %v", err)
		}
		if e.Scheme == transport.TCP || e.Scheme == transport.TLS {
			s.urlTopic = strings.TrimPrefix(e.Path, "/")
			e.Path = ""
		}
		if c.IsSet(flagPort) {
			e.Port = c.Int(flagPort)
		}
		s.endpoint = e
		return nil
	}
	e := transport.Endpoint{Scheme: transport.TCP, Host: c.String(flagHost), Port: c.Int(flagPort)}
	// mosquitto_pub turns TLS on with a CA; any TLS flag does it here.
	o := s.dial.TLS
	if c.Bool(flagTLS) || o.CAFile != "" || o.CAPath != "" || o.CertFile != "" || o.Insecure || o.MinVersion != "" ||
		len(o.ALPN) > 0 || o.ServerName != "" || len(o.Ciphers) > 0 {
		e.Scheme = transport.TLS
	}
	if e.Port < 0 || e.Port > 65535 {
		return usageError("-p %d: not a port", e.Port)
	}
	s.endpoint = e
	return nil
}

// buildConnect turns the session flags into the CONNECT packet.
func (s *connSettings) buildConnect(c *cli.Context) (*mqttwire.Connect, error) {
	v := s.version
	p := &mqttwire.Connect{ProtocolLevel: byte(v), CleanSession: !c.Bool(flagNoClean)}
	ka := c.Int(flagKeepAlive)
	if ka < 0 || ka > 65535 {
		return nil, usageError("-k %d: keepalive must be 0 to 65535", ka)
	}
	p.KeepAlive = uint16(ka)
	if c.IsSet(flagID) && c.IsSet(flagIDPrefix) {
		return nil, usageError("-i and -I cannot be given together")
	}
	if c.IsSet(flagIDPrefix) {
		// mosquitto's -I: the prefix and the pid, nothing between.
		p.ClientID = fmt.Sprintf("%s%d", c.String(flagIDPrefix), os.Getpid())
	} else if c.IsSet(flagID) {
		p.ClientID = c.String(flagID)
		if p.ClientID == "" && !p.CleanSession && v != mqttwire.V5 {
			return nil, usageError("an empty client id needs a clean session (-c given)")
		}
	} else {
		p.ClientID = defaultClientID(v)
	}
	// As in mosquitto: -x -1 never expires, and with -c in MQTT 5 the
	// session outlives the connection unless -x says otherwise (without a
	// Session Expiry Interval it would end with it, MQTT 5.0 §3.1.2.11.2).
	xSet := c.IsSet(flagSessionExpiry)
	x, err := parseSessionExpiry(c.String(flagSessionExpiry))
	switch {
	case xSet && v != mqttwire.V5:
		return nil, usageError("-x needs MQTT 5 (-V 5)")
	case xSet && err != nil:
		return nil, usageError("-x %q: want -1, ∞ (never) or 0 to 4294967295 seconds", c.String(flagSessionExpiry))
	case xSet && x == -1, !xSet && v == mqttwire.V5 && !p.CleanSession:
		p.Properties.AddInt(mqttwire.PropSessionExpiry, 0xFFFFFFFF)
	case xSet:
		p.Properties.AddInt(mqttwire.PropSessionExpiry, uint32(x))
	}
	user, pass, passSet, err := credentials(c, s.endpoint)
	if err != nil {
		return nil, err
	}
	if user != "" {
		p.UsernameFlag, p.Username = true, user
	}
	if passSet {
		if user == "" && v != mqttwire.V5 {
			return nil, usageError("a password needs a user name (-u) before MQTT 5")
		}
		p.PasswordFlag, p.Password = true, []byte(pass)
	}
	if t := c.String(flagWillTopic); t != "" {
		q := c.Int(flagWillQoS)
		if q < 0 || q > 2 {
			return nil, usageError("--will-qos %d: want 0, 1 or 2", q)
		}
		p.WillFlag, p.WillTopic, p.WillPayload = true, t, []byte(c.String(flagWillPayload))
		p.WillQoS, p.WillRetain = byte(q), c.Bool(flagWillRetain)
		p.WillProperties.List = append(p.WillProperties.List, s.props.get(cmdWill).List...)
	} else if len(s.props.get(cmdWill).List) > 0 {
		return nil, usageError("-D will needs --will-topic")
	}
	p.Properties.List = append(p.Properties.List, s.props.get(cmdConnect).List...)
	return p, nil
}

// credentials takes the user name and password from the flags, the
// password file or the -L URL, in that order.
func credentials(c *cli.Context, e transport.Endpoint) (user, pass string, passSet bool, err error) {
	user = c.String(flagUsername)
	pass, passSet = c.String(flagPassword), c.IsSet(flagPassword)
	if f := c.String(flagPasswordFile); f != "" && !passSet {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", "", false, usageError("--password-file: %v", err)
		}
		pass, _, _ = strings.Cut(string(b), "\n")
		pass, passSet = strings.TrimSuffix(pass, "\r"), true
	}
	if e.User != nil {
		if user == "" {
			user = e.User.Username()
		}
		if p, ok := e.User.Password(); ok && !passSet {
			pass, passSet = p, true
		}
	}
	return user, pass, passSet, nil
}

// defaultClientID is mqtap-<host>-<pid>, cut to the 23 characters MQTT 3.1
// servers must accept (3.1 §3.1).
func defaultClientID(v mqttwire.Version) string {
	host, _ := os.Hostname()
	id := fmt.Sprintf("mqtap-%s-%d", host, os.Getpid())
	if v == mqttwire.V31 && len(id) > 23 {
		id = id[:23]
	}
	return id
}

// parseSessionExpiry reads -x as mosquitto does: seconds, or -1,
// 4294967295 or ∞ for a session that never expires (returned as -1).
func parseSessionExpiry(s string) (int64, error) {
	if s == "∞" {
		return -1, nil
	}
	x, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return 0, err
	case x == -1 || x == 0xFFFFFFFF:
		return -1, nil
	case x < 0 || x > 0xFFFFFFFF:
		return 0, fmt.Errorf("out of range")
	}
	return x, nil
}

// readTransportFlags checks the flags that choose how the bytes travel:
// --proxy, --ciphers, and mosquitto's OpenSSL-only options, which Go's TLS
// cannot honour and which are refused rather than ignored.
func (s *connSettings) readTransportFlags(c *cli.Context) error {
	if p := c.String(flagProxy); p != "" {
		u, err := transport.ParseProxyURL(p)
		if err != nil {
			return usageError("--proxy: %v", err)
		}
		s.dial.Proxy = u
	}
	if s.dial.Unix != "" && s.dial.Proxy != nil {
		return usageError("--unix and --proxy cannot be given together")
	}
	if l := c.String(flagCiphers); l != "" {
		ids, err := transport.ParseCiphers(l)
		if err != nil {
			return usageError("--ciphers: %v", err)
		}
		s.dial.TLS.Ciphers = ids
	}
	if f := c.String(flagKeyform); f != "" && !strings.EqualFold(f, "pem") {
		return usageError("--keyform %s: only pem keys can be read (OpenSSL engines are not available in Go's TLS)", f)
	}
	for _, name := range []string{flagTLSEngine, flagTLSEngineKpass} {
		if c.IsSet(name) {
			return usageError("--%s: OpenSSL engines are not available in Go's TLS; use a PEM --key", name)
		}
	}
	for _, name := range []string{flagPSK, flagPSKIdentity} {
		if c.IsSet(name) {
			return usageError("--%s: TLS-PSK is not available in Go's TLS; use certificates (--cafile, --cert, --key)", name)
		}
	}
	return nil
}
