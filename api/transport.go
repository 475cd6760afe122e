package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
// exponential backoff, and stop when the next wait would take the call
// past the retry budget. Any other failure, other 5xx and every timeout
// after sending included, is returned at once: a begin/ that reached the
// server may have created a session.
func (c *Client) send(ctx context.Context, endpoint string, req Request) (reply, error) {
	start := c.now()
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return reply{}, c.cancelled(endpoint, err)
		}
		sentAt := c.now()
		rep, err := c.roundTrip(ctx, req)
		var wait time.Duration
		var failure error
		limit := maxAttempts
		switch {
		case err != nil && ctx.Err() != nil:
			return reply{}, c.cancelled(endpoint, ctx.Err())
		case err != nil && isConnectionRefused(err):
			wait, limit = backoff(attempt), maxRefusedAttempts
			failure = c.transportError(endpoint, err)
		case err != nil:
			return reply{}, c.transportError(endpoint, err)
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
		if attempt >= limit || c.retryBudget < 0 || elapsed+wait > c.retryBudget {
			if attempt == 1 {
				return reply{}, failure
			}
			return reply{}, &redactedError{
				msg: fmt.Sprintf("%s (gave up after %d attempts in %v)", failure.Error(), attempt, elapsed.Round(time.Millisecond)),
				err: errors.Unwrap(failure),
			}
		}
		if c.onRetry != nil {
			c.onRetry(wait, failure)
		}
		if err := c.sleep(ctx, wait); err != nil {
			return reply{}, c.cancelled(endpoint, err)
		}
		waited += wait
	}
}

// roundTrip makes one attempt under the per-request timeout and reads
// the whole answer.
func (c *Client) roundTrip(ctx context.Context, req Request) (reply, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	hr, err := req.httpRequest(ctx)
	if err != nil {
		return reply{}, err
	}
	resp, err := c.httpClient.Do(hr)
	if err != nil {
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

// cancelled reports the caller's context ending.
func (c *Client) cancelled(endpoint string, err error) error {
	return &redactedError{msg: endpoint + ": cancelled: " + err.Error(), err: err}
}

// transportError describes a failed attempt. A *url.Error is replaced by
// its cause: its text holds the request URL, which holds the company key
// with query encoding.
func (c *Client) transportError(endpoint string, err error) error {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()) {
		return &redactedError{
			msg: fmt.Sprintf("%s: timed out: no answer within %v (the server may still have acted on the request)", endpoint, c.timeout),
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
		const longest = 24 * 60 * 60 // beyond any retry budget; avoids overflow
		return time.Duration(min(max(secs, 0), longest)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
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
