package core

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Request is one HTTP request as core builds it. Core never performs I/O
// itself: a Doer (net/http natively, fetch in the browser) sends it. Keeping
// these types here is what lets the WebAssembly build skip net/http.
type Request struct {
	Method string
	URL    string
	Header Header
	Body   []byte // nil when the request has no body

	// idempotent requests may be retried after a network error, 429 or 5xx.
	idempotent bool
}

// Response is what a Doer hands back: the status, the headers and the whole
// body (TMetric answers are small; the body is capped by the transport).
type Response struct {
	StatusCode int
	Header     Header
	Body       []byte
}

// Doer sends one request. An error means no HTTP response was received
// (network down, DNS, connection reset, context cancelled).
type Doer interface {
	Do(ctx context.Context, req *Request) (*Response, error)
}

// DoerFunc adapts a function to a Doer.
type DoerFunc func(ctx context.Context, req *Request) (*Response, error)

// Do calls f.
func (f DoerFunc) Do(ctx context.Context, req *Request) (*Response, error) { return f(ctx, req) }

// Header is a case-insensitive, single-valued header map. Keys are stored in
// lower case, as fetch reports them (net/textproto would drag net into the
// WebAssembly build).
type Header map[string]string

// Get returns the value for key, matched case-insensitively.
func (h Header) Get(key string) string { return h[strings.ToLower(key)] }

// Set stores value under the lower-case form of key.
func (h Header) Set(key, value string) { h[strings.ToLower(key)] = value }

// Clone returns an independent copy.
func (h Header) Clone() Header {
	c := make(Header, len(h))
	for k, v := range h {
		c[k] = v
	}
	return c
}

// Format prints the header with the Authorization value redacted, so a
// request logged with any fmt verb never shows the token.
func (h Header) Format(f fmt.State, _ rune) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprint(f, "map[")
	for i, k := range keys {
		v := h[k]
		if k == "authorization" {
			v = "[redacted]"
		}
		if i > 0 {
			fmt.Fprint(f, " ")
		}
		fmt.Fprintf(f, "%s:%s", k, v)
	}
	fmt.Fprint(f, "]")
}

// Format prints the request without its credentials.
func (r Request) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "%s %s %v (%d-byte body)", r.Method, r.URL, r.Header, len(r.Body))
}
