package replication

import (
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// TransportConfig configures a Transport. Start from DefaultTransportConfig
// (or LocalTransportConfig in tests) and set NodeID and Secret.
type TransportConfig struct {
	ListenAddr string // UDP host:port to listen on; ":0" picks a free port (default ":7947")
	NodeID     string // this node's id, carried in its certificate
	// Secret is the cluster secret. Peers prove it through certificates issued
	// by a CA derived from it; it never crosses the wire. Ignored when the
	// three CA files are set.
	Secret string
	// CAFile, CertFile and KeyFile (PEM) replace the derived CA by an operator
	// CA. The certificate must name NodeID (URI SAN warren://node/<id> or
	// CommonName), carry DNS SAN "warren.peer" and allow server and client auth.
	CAFile, CertFile, KeyFile string
	MaxFrame                  int           // largest frame payload accepted, at least 64 KiB (default 64 MiB)
	MaxStreams                int           // concurrent incoming calls per connection (default 256)
	DialTimeout               time.Duration // bound of a dial and of the QUIC handshake (default 5 s)
	// IdleTimeout closes a connection that hears nothing from its peer for this
	// long (default 30 s); keep-alives go out every IdleTimeout/3. It also
	// bounds how long a handler side waits for a request to arrive.
	IdleTimeout time.Duration
	Logger      *slog.Logger // default slog.Default() with component=transport
}

// DefaultTransportConfig returns the documented defaults.
func DefaultTransportConfig() TransportConfig {
	return TransportConfig{
		ListenAddr:  ":7947",
		MaxFrame:    64 << 20,
		MaxStreams:  256,
		DialTimeout: 5 * time.Second,
		IdleTimeout: 30 * time.Second,
	}
}

// LocalTransportConfig returns defaults for in-process tests: loopback, a free
// port and short timers.
func LocalTransportConfig() TransportConfig {
	cfg := DefaultTransportConfig()
	cfg.ListenAddr = "127.0.0.1:0"
	cfg.DialTimeout = 2 * time.Second
	cfg.IdleTimeout = 5 * time.Second
	return cfg
}

// errIncompleteCAFiles is returned when only some of the CA files are set.
var errIncompleteCAFiles = errors.New("set all of ca file, cert file and key file, or none")

// Validate checks the settings.
func (c *TransportConfig) Validate() error {
	switch {
	case c.NodeID == "":
		return fmt.Errorf("validate transport config: node id is empty")
	case c.anyCAFile() && !c.usesCAFiles():
		return fmt.Errorf("validate transport config: %w", errIncompleteCAFiles)
	case !c.usesCAFiles() && c.Secret == "":
		return fmt.Errorf("validate transport config: cluster secret is empty (or set the CA files)")
	case c.MaxFrame < bodyChunkSize || c.MaxFrame > 1<<31:
		return fmt.Errorf("validate transport config: max frame %d is out of range 64 KiB..2 GiB", c.MaxFrame)
	case c.MaxStreams < 1:
		return fmt.Errorf("validate transport config: max streams must be at least 1")
	case c.DialTimeout <= 0 || c.IdleTimeout <= 0:
		return fmt.Errorf("validate transport config: timeouts must be positive")
	}
	return nil
}

func (c *TransportConfig) usesCAFiles() bool {
	return c.CAFile != "" && c.CertFile != "" && c.KeyFile != ""
}

func (c *TransportConfig) anyCAFile() bool {
	return c.CAFile != "" || c.CertFile != "" || c.KeyFile != ""
}
