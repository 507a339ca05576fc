// Package core builds every TMetric API v3 request this product sends,
// parses every response, and holds the domain logic on top of them: a day's
// entries and total in the user's time zone, starting and stopping timers,
// logging time. It performs no I/O of its own: a Doer sends the requests, so
// the same code runs natively, in the browser and on Cloudflare Workers.
package core

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// DefaultBaseURL is TMetric's hosted API v3.
const DefaultBaseURL = "https://app.tmetric.com/api/v3"

// maxBody caps how much of a response core will parse.
const maxBody = 32 << 20

// Token is a TMetric personal API token. It formats as "[redacted]" in every
// fmt verb and in JSON, so it cannot leak through an error or a log line.
type Token string

func (Token) String() string                  { return "[redacted]" }
func (Token) GoString() string                { return `core.Token("[redacted]")` }
func (Token) MarshalJSON() ([]byte, error)    { return []byte(`"[redacted]"`), nil }
func (t Token) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(t.String())) }

// Clock tells the time. Tests and the fake server inject a fixed one.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// ClockFunc adapts a function to a Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// RetryPolicy bounds how idempotent GETs are retried after a network error,
// 429 or 5xx. Writes are never retried by the client: a lost response could
// mean the write happened (the extension's queue decides instead).
type RetryPolicy struct {
	Attempts int           // total tries, including the first; 1 disables retries
	Backoff  time.Duration // first wait; doubled after each try
	MaxWait  time.Duration // a Retry-After longer than this is not waited for
}

// DefaultRetry is what NewClient uses unless WithRetry says otherwise.
var DefaultRetry = RetryPolicy{Attempts: 3, Backoff: 250 * time.Millisecond, MaxWait: 5 * time.Second}

// Client talks to one TMetric API origin with one token.
type Client struct {
	base  origin
	token Token
	doer  Doer
	clock Clock
	retry RetryPolicy
	sleep func(ctx context.Context, d time.Duration) error
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL points the client at another API root, such as the fake
// TMetric in tests or the sandbox. Only HTTPS, or plain HTTP to a loopback
// address, is accepted: the token must never cross a network in clear.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		o, err := parseBaseURL(raw)
		if err != nil {
			return err
		}
		c.base = o
		return nil
	}
}

// WithTransport sets the Doer that sends requests (required).
func WithTransport(d Doer) Option {
	return func(c *Client) error { c.doer = d; return nil }
}

// WithClock sets the clock used for "now" and "today".
func WithClock(clk Clock) Option {
	return func(c *Client) error { c.clock = clk; return nil }
}

// WithRetry replaces the retry policy for idempotent requests.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.Attempts < 1 {
			p.Attempts = 1
		}
		c.retry = p
		return nil
	}
}

// WithSleep replaces how the client waits between retries (tests make it instant).
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Client) error { c.sleep = sleep; return nil }
}

// NewClient builds a client for token. A transport is required; the base URL
// defaults to DefaultBaseURL.
func NewClient(token string, opts ...Option) (*Client, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return nil, &Error{Op: "configure client", Kind: ErrConfig, Message: "the API token is empty: paste the token from TMetric's My Profile page"}
	}
	if strings.ContainsAny(token, " \t\r\n") {
		return nil, &Error{Op: "configure client", Kind: ErrConfig, Message: "the API token contains spaces or line breaks: copy it again from TMetric's My Profile page"}
	}
	base, _ := parseBaseURL(DefaultBaseURL)
	c := &Client{base: base, token: Token(token), clock: systemClock{}, retry: DefaultRetry, sleep: sleepCtx}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.doer == nil {
		return nil, &Error{Op: "configure client", Kind: ErrConfig, Message: "no transport: pass WithTransport"}
	}
	return c, nil
}

// Format prints the client without its token.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprintf(f, "core.Client(%s)", c.BaseURL()) }

// BaseURL returns the API root the client sends to, without a trailing slash.
func (c *Client) BaseURL() string { return strings.TrimSuffix(c.base.String(), "/") }

// Now returns the client's clock reading.
func (c *Client) Now() time.Time { return c.clock.Now() }

// ParseBaseURL applies the base URL policy and returns the URL normalised
// (no trailing slash): an absolute https URL, or http to 127.0.0.0/8, ::1 or
// localhost; no credentials, query or fragment.
func ParseBaseURL(raw string) (string, error) {
	o, err := parseBaseURL(raw)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(o.String(), "/"), nil
}

func parseBaseURL(raw string) (origin, error) {
	o, why := parseOrigin(strings.TrimSpace(raw))
	if why == "" {
		switch o.scheme {
		case "https":
		case "http":
			if !IsLoopbackHost(o.name) {
				why = "plain HTTP is allowed only to this computer (127.0.0.1, ::1, localhost); use https://"
			}
		default:
			why = "only https:// is allowed"
		}
	}
	if why != "" {
		return origin{}, &Error{Op: "configure client", Kind: ErrConfig, Message: fmt.Sprintf("API base URL %q refused: %s", raw, why)}
	}
	return o, nil
}

// SameOrigin reports whether rawURL has the client's scheme, host and port.
// Transports use it to refuse sending the token anywhere else, redirects included.
func (c *Client) SameOrigin(rawURL string) bool { return sameOrigin(c.base, rawURL) }

func sameOrigin(base origin, rawURL string) bool {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return false
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return strings.ToLower(scheme) == base.scheme && strings.ToLower(rest[:end]) == base.host
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
