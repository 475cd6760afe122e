package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	maxResponseBytes = 8 << 20
	maxAttempts      = 6
	// A refused connection means nothing listens there: a server that is
	// restarting comes back within seconds, a wrong URL never does, so a
	// few quick tries are enough and the person is not kept waiting.
	maxRefusedAttempts = 4
	firstBackoff       = 500 * time.Millisecond
	maxBackoff         = 8 * time.Second
	// longestRetryAfter caps a server's Retry-After, in either form: it is
	// beyond any retry budget, and keeps durations from overflowing.
	longestRetryAfter = 24 * time.Hour
)

// reply is a complete HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
	sentAt time.Time // when the answered attempt was sent
}

// send performs req, retrying only where the server cannot have acted on
// it: a refused connection (nothing was sent) and 429/503 (the server
// declined). Waits follow Retry-After (seconds or HTTP date) or an
// exponential backoff. A retry is made only when it can finish within the
// retry budget: the wait and an attempt as slow as the slowest so far must
// fit in what is left, and the attempt's timeout is cut to what is left.
// Any other failure, other 5xx and every timeout after sending included,
// is returned at once: a begin/ that reached the server may have created
// a session.
func (c *Client) send(ctx context.Context, endpoint string, req Request) (reply, error) {
	start := c.now()
	var waited, slowest time.Duration
	timeout := c.timeout
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return reply{}, c.cancelled(endpoint, err)
		}
		sentAt := c.now()
		rep, err := c.roundTrip(ctx, req, timeout)
		slowest = max(slowest, c.now().Sub(sentAt))
		var wait time.Duration
		var failure error
		limit := maxAttempts
		switch {
		case err != nil && ctx.Err() != nil:
			return reply{}, c.cancelled(endpoint, ctx.Err())
		case err != nil && isConnectionRefused(err):
			wait, limit = backoff(attempt), maxRefusedAttempts
			failure = c.transportError(endpoint, err, timeout)
		case err != nil:
			return reply{}, c.transportError(endpoint, err, timeout)
		case (rep.status == http.StatusTooManyRequests || rep.status == http.StatusServiceUnavailable) && !isKeyInvalid(rep.body):
			statusErr := c.statusError(rep)
			wait = statusErr.RetryAfter
			if wait == 0 {
				wait = backoff(attempt)
			}
			failure = &redactedError{msg: endpoint + ": " + statusErr.Error(), err: statusErr}
		default:
			rep.sentAt = sentAt
			return rep, nil
		}
		elapsed := max(c.now().Sub(start), waited)
		left := c.retryBudget - elapsed - wait // for the next attempt
		if attempt >= limit || c.retryBudget < 0 || left <= 0 || left < slowest {
			if attempt == 1 {
				return reply{}, failure
			}
			return reply{}, &redactedError{
				msg: fmt.Sprintf("%s (gave up after %d attempts in %v)", failure.Error(), attempt, elapsed.Round(time.Millisecond)),
				err: errors.Unwrap(failure),
			}
		}
		timeout = min(c.timeout, left)
		if c.onRetry != nil {
			c.onRetry(wait, failure)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return reply{}, c.cancelled(endpoint, err)
		}
		waited += wait
	}
}

// roundTrip makes one attempt within timeout and reads the whole answer.
// A failure before a connection was had is a *notSentError.
func (c *Client) roundTrip(ctx context.Context, req Request, timeout time.Duration) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// Whether the request can have reached the server: net/http asks for
	// a connection, then gets one (dialled, TLS handshake done) before it
	// writes anything. A transport that says neither may have sent it.
	var asked, connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GetConn: func(string) { asked.Store(true) },
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	})
	hr, err := req.httpRequest(ctx)
	if err != nil {
		return reply{}, err
	}
	resp, err := c.httpClient.Do(hr)
	if err != nil {
		if asked.Load() && !connected.Load() {
			return reply{}, &notSentError{err: err}
		}
		return reply{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return reply{}, fmt.Errorf("reading the response: %w", err)
	}
	if len(body) > maxResponseBytes {
		return reply{}, fmt.Errorf("response larger than %d MiB", maxResponseBytes>>20)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// notSentError is a request that failed before a connection to the
// server was had (dial, TLS handshake): nothing was sent.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// cancelled reports the caller's context ending.
func (c *Client) cancelled(endpoint string, err error) error {
	return &redactedError{msg: endpoint + ": cancelled: " + err.Error(), err: err}
}

// transportError describes a failed attempt that had timeout. A
// *url.Error is replaced by its cause: its text holds the request URL,
// which holds the company key with query encoding.
func (c *Client) transportError(endpoint string, err error, timeout time.Duration) error {
	_, notSent := errors.AsType[*notSentError](err)
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr net.Error
	timedOut := errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout())
	switch {
	case timedOut && notSent:
		cause := fmt.Sprintf("no connection within %v", timeout)
		if !errors.Is(err, context.DeadlineExceeded) {
			cause = err.Error() // e.g. the transport's TLS handshake timeout
		}
		return &redactedError{msg: c.Redact(fmt.Sprintf("%s: could not connect to the server: %s (nothing was sent)", endpoint, cause)), err: err}
	case timedOut:
		return &redactedError{
			msg: fmt.Sprintf("%s: timed out: no answer within %v (the server may still have acted on the request)", endpoint, timeout),
			err: context.DeadlineExceeded,
		}
	}
	return &redactedError{msg: c.Redact(endpoint + ": request failed: " + err.Error()), err: err}
}

// statusError builds the error for a non-2xx reply.
func (c *Client) statusError(rep reply) *StatusError {
	msg := serverMessage(rep.body, c.Redact)
	if rep.status >= 300 && rep.status < 400 {
		if loc := rep.header.Get("Location"); loc != "" {
			msg = "redirected to " + safeExcerpt(c.Redact, loc, maxMessageRunes) + " (not followed); check the base URL"
		}
	}
	if !c.Signing() && strings.Contains(strings.ToUpper(msg), "SIGNATURE") {
		msg += " (the server wants signed requests: set IDENTOMAT_SECRET_KEY)"
	}
	e := &StatusError{Status: rep.status, Message: c.Redact(msg)}
	if rep.status == http.StatusTooManyRequests || rep.status == http.StatusServiceUnavailable {
		e.RetryAfter = retryAfter(rep.header.Get("Retry-After"), c.now())
	}
	return e
}

// isConnectionRefused reports a dial that the peer refused: the request
// was never sent, so a retry cannot duplicate a session.
func isConnectionRefused(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial" && op.Err != nil && strings.Contains(op.Err.Error(), "refused")
}

// retryAfter reads a Retry-After header: delay seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		return time.Duration(min(max(secs, 0), int(longestRetryAfter/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, longestRetryAfter)
		}
	}
	return 0
}

// backoff is the wait before attempt+1 when the server gave no Retry-After.
func backoff(attempt int) time.Duration {
	d := firstBackoff << (attempt - 1)
	if d > maxBackoff || d <= 0 {
		return maxBackoff
	}
	return d
}
