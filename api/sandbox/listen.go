package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Server timeouts: generous for a person on a slow phone, short enough
// that idle or stalled connections cannot pile up.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	// maxHeaderBytes leaves room for a query-encoded begin/ with its flow
	// in the URL: the body limit applies to it in spirit.
	maxHeaderBytes = MaxBodyBytes + 64<<10
	// shutdownTimeout bounds the wait for requests in flight on shutdown.
	shutdownTimeout = 5 * time.Second
)

// NonLoopbackError is a listen address that is not loopback while that
// was not allowed.
type NonLoopbackError struct{ Addr string }

func (e *NonLoopbackError) Error() string {
	return fmt.Sprintf("address %q is not a loopback address: the sandbox would be reachable from other machines; "+
		"use 127.0.0.1 (or localhost), or pass --allow-non-loopback to serve on it anyway", e.Addr)
}

// HTTPServer returns an http.Server for the sandbox with its timeouts and
// header limit set.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		// net/http's own messages (bad TLS handshakes, accept errors)
		// carry no request data; they go to the sandbox's logger.
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Listen opens a TCP listener on addr ("" means 127.0.0.1:0, a free
// port). An address that is not loopback is refused with a
// *NonLoopbackError unless allowNonLoopback, in which case a warning is
// logged.
func (s *Server) Listen(addr string, allowNonLoopback bool) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if err := s.checkAddr(addr, allowNonLoopback); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	// "localhost" could name another address in an odd hosts file.
	if tcp, _ := ln.Addr().(*net.TCPAddr); !allowNonLoopback && (tcp == nil || !tcp.IP.IsLoopback()) {
		_ = ln.Close()
		return nil, &NonLoopbackError{Addr: addr}
	}
	s.setListening(BaseURL(ln.Addr()), "")
	return ln, nil
}

// checkAddr applies the loopback rule to a host:port before binding it,
// logging the warning when a non-loopback address is allowed.
func (s *Server) checkAddr(addr string, allowNonLoopback bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("listen address %q: %w (expected host:port, e.g. %s)", addr, err, DefaultAddr)
	}
	if isLoopbackHost(host) {
		return nil
	}
	if !allowNonLoopback {
		return &NonLoopbackError{Addr: addr}
	}
	s.log.Warn("the sandbox will be reachable from other machines: anyone who can reach it can create sessions and pick their outcomes", "addr", addr)
	return nil
}

// isLoopbackHost reports whether host names only loopback addresses,
// without a DNS lookup: localhost or a loopback IP literal.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// LoopbackLink reports whether link's host names only this computer
// (localhost or a loopback IP literal), which a phone cannot open, and
// that host.
func LoopbackLink(link string) (host string, ok bool) {
	u, err := url.Parse(link)
	if err != nil {
		return "", false
	}
	host = u.Hostname()
	return host, host != "" && isLoopbackHost(host)
}

// BaseURL is the http URL of a listener, with a loopback host in place of
// an unspecified one (0.0.0.0 or ::).
func BaseURL(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok {
		return "http://" + addr.String()
	}
	host := tcp.IP.String()
	switch {
	case tcp.IP.IsUnspecified() && tcp.IP.To4() != nil:
		host = "127.0.0.1"
	case tcp.IP.IsUnspecified():
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(tcp.Port))
}

// Serve serves on ln until ctx is cancelled, then shuts down gracefully,
// letting requests in flight finish for up to a few seconds. It returns
// nil after a clean shutdown.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := s.HTTPServer()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("sandbox server stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	return shutdown(shutdownCtx, srv, served)
}

// ListenAndServe is Listen then Serve, for the CLI: it logs the base URL,
// serves until ctx is cancelled (wire SIGINT/SIGTERM with
// signal.NotifyContext) and shuts down gracefully.
func (s *Server) ListenAndServe(ctx context.Context, addr string, allowNonLoopback bool) error {
	ln, err := s.Listen(addr, allowNonLoopback)
	if err != nil {
		return err
	}
	s.log.Info("sandbox listening", "url", BaseURL(ln.Addr()), "hmac", s.secretKey != nil)
	return s.Serve(ctx, ln)
}

// Start serves in the background on a loopback address ("" picks a free
// port on 127.0.0.1), for in-process use such as the wizard. It returns
// the base URL and a stop function that shuts the server down gracefully
// within ctx.
func (s *Server) Start(addr string) (baseURL string, stop func(ctx context.Context) error, err error) {
	ln, err := s.Listen(addr, false)
	if err != nil {
		return "", nil, err
	}
	return BaseURL(ln.Addr()), s.serveBackground(ln), nil
}

// shutdown stops srv gracefully within ctx and waits for its Serve to
// return. When ctx ends first, what is left is closed outright, and that
// is no failure: an emulator has nothing to save, and a client's spare
// connection that never sent a request would otherwise hold the shutdown
// for seconds (net/http waits for new connections up to 5 s).
func shutdown(ctx context.Context, srv *http.Server, served <-chan error) error {
	err := srv.Shutdown(ctx)
	if err != nil {
		_ = srv.Close()
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			err = nil
		}
	}
	if serveErr := <-served; serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) && err == nil {
		err = serveErr
	}
	if err != nil {
		return fmt.Errorf("stopping the sandbox: %w", err)
	}
	return nil
}
