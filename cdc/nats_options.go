package cdc

import (
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go"
)

// options are the connection options: authentication, TLS, and reconnection
// forever with capped, jittered exponential waits. Publishes fail at once
// while disconnected (no reconnect buffer), so the publisher's retries keep
// the order and the cursor honest.
func (s *NATSSink) options() []nats.Option {
	c := s.cfg
	opts := []nats.Option{
		nats.Name(c.Name),
		nats.RetryOnFailedConnect(true),
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(s.reconnectDelay),
		nats.ReconnectBufSize(-1),
		nats.Timeout(2 * time.Second),
		nats.PingInterval(10 * time.Second),
		nats.MaxPingsOutstanding(2),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			s.log.Info("nats disconnected; reconnecting", "err", err)
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			s.log.Info("nats connected", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ConnectHandler(func(nc *nats.Conn) {
			s.log.Info("nats connected", "server", nc.ConnectedUrlRedacted())
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) { s.asyncError(err) }),
	}
	if c.User != "" || c.Password != "" {
		opts = append(opts, nats.UserInfo(c.User, c.Password))
	}
	if c.Token != "" {
		opts = append(opts, nats.Token(c.Token))
	}
	if c.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	}
	if c.TLSCA != "" {
		opts = append(opts, nats.RootCAs(c.TLSCA))
	}
	if c.TLSCert != "" || c.TLSKey != "" {
		opts = append(opts, nats.ClientCert(c.TLSCert, c.TLSKey))
	}
	return opts
}

// reconnectDelay is the wait before reconnection attempt n (from 1): it
// doubles from MinReconnectWait up to MaxReconnectWait, half of it random.
func (s *NATSSink) reconnectDelay(attempts int) time.Duration {
	d := s.cfg.MinReconnectWait
	for i := 1; i < attempts && d < s.cfg.MaxReconnectWait; i++ {
		d *= 2
	}
	d = min(d, s.cfg.MaxReconnectWait)
	return d/2 + rand.N(d/2+1)
}

// asyncError logs an error the server reported out of band (a permission
// violation, say), once until a different one comes.
func (s *NATSSink) asyncError(err error) {
	s.errMu.Lock()
	defer s.errMu.Unlock()
	if err.Error() == s.lastErr {
		return
	}
	s.lastErr = err.Error()
	s.log.Warn("nats error", "err", err)
}
