// Package nethttp sends core's requests with net/http, for native programs,
// tests and the Cloudflare relay's handler tests. The browser build uses a
// fetch transport instead and never links this package.
package nethttp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/timebar/timebar/core"
)

// maxBody caps a response body; TMetric's largest answers are far smaller.
const maxBody = 32 << 20

// Transport is a core.Doer over an *http.Client.
type Transport struct {
	client *http.Client
}

// New returns a Transport. With a nil client it uses one with a 30 s
// timeout. Either way redirects are followed only within the request's own
// origin, so the token is never sent anywhere else.
func New(c *http.Client) *Transport {
	if c == nil {
		c = &http.Client{Timeout: 30 * time.Second}
	} else {
		cp := *c
		c = &cp
	}
	c.CheckRedirect = sameOriginRedirects
	return &Transport{client: c}
}

func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || !strings.EqualFold(req.URL.Host, first.Host) {
		// Hand the 3xx to core, which reports a wrong base URL.
		return http.ErrUseLastResponse
	}
	return nil
}

// Do implements core.Doer.
func (t *Transport) Do(ctx context.Context, r *core.Request) (*core.Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, body)
	if err != nil {
		return nil, err
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	resp, err := t.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	h := core.Header{}
	for k, v := range resp.Header {
		h.Set(k, strings.Join(v, ", "))
	}
	return &core.Response{StatusCode: resp.StatusCode, Header: h, Body: b}, nil
}
