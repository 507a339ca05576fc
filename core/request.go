package core

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// NewRequest builds a request for path (relative to the base URL, no
// leading slash) with an optional query and a body encoded as JSON. It is
// the one place URLs are joined and bodies encoded.
func (c *Client) NewRequest(method, path string, query Query, body any) (*Request, error) {
	if strings.HasPrefix(path, "/") || strings.Contains(path, "..") || strings.ContainsAny(path, "?# \t\r\n") {
		return nil, &Error{Op: "build request", Kind: ErrConfig, Message: "path " + strconv.Quote(path) + " must be relative to the base URL"}
	}
	u := c.base.String() + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req := &Request{
		Method:     method,
		URL:        u,
		Header:     Header{"accept": "application/json"},
		idempotent: method == "GET",
	}
	req.Header.Set("Authorization", "Bearer "+string(c.token))
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, &Error{Op: "build request", Kind: ErrInvalid, Err: err}
		}
		req.Body = b
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// Do sends req, retrying an idempotent one on network errors, 429 and 5xx
// within the retry policy, and turns any non-2xx answer into an *Error.
func (c *Client) Do(ctx context.Context, op string, req *Request) (*Response, error) {
	if !sameOrigin(c.base, req.URL) {
		return nil, &Error{Op: op, Kind: ErrConfig, Message: "refusing to send the token outside " + c.BaseURL()}
	}
	backoff := c.retry.Backoff
	for attempt := 1; ; attempt++ {
		resp, err := c.doOnce(ctx, op, req)
		if err == nil {
			return resp, nil
		}
		if !req.idempotent || attempt >= c.retry.Attempts || !Retriable(err) || ctx.Err() != nil {
			return nil, err
		}
		wait := backoff
		var e *Error
		if errors.As(err, &e) && e.RetryAfter > 0 {
			if e.RetryAfter > c.retry.MaxWait {
				return nil, err // the server asked for a pause longer than a user waits
			}
			wait = e.RetryAfter
		}
		if c.sleep(ctx, wait) != nil {
			return nil, err
		}
		backoff *= 2
	}
}

func (c *Client) doOnce(ctx context.Context, op string, req *Request) (*Response, error) {
	resp, err := c.doer.Do(ctx, req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		return nil, &Error{Op: op, Kind: ErrNetwork, Message: "could not reach TMetric (" + c.base.host + "): " + redact(err.Error(), c.token), Err: err}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	return nil, c.responseError(op, resp)
}

// responseError turns a non-2xx response into an *Error with the server's
// message, or a user-facing explanation when the server gave none.
func (c *Client) responseError(op string, resp *Response) *Error {
	e := &Error{Op: op, StatusCode: resp.StatusCode, Kind: kindFor(resp.StatusCode)}
	msg := redact(ParseErrorMessage(resp.Body), c.token)
	switch e.Kind {
	case ErrUnauthorized:
		msg = TokenHelp // 401 has an empty body; what the user needs is how to fix it
	case ErrForbidden:
		if msg == "" {
			msg = "TMetric denied this action in this workspace (manual time editing may be disabled for you)"
		}
	case ErrRateLimited:
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
		if msg == "" {
			msg = "TMetric is throttling requests; try again in a moment"
		}
	case ErrBadResponse:
		msg = "TMetric answered with a redirect (" + strconv.Itoa(resp.StatusCode) + "): check the API base URL"
	case ErrServer:
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now())
	}
	if msg == "" {
		msg = statusText(resp.StatusCode)
	}
	e.Message = msg
	return e
}

// parseRetryAfter reads delta-seconds or an HTTP date; 0 when absent or bad.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 || n > 86400 {
			return 0
		}
		return time.Duration(n) * time.Second
	}
	if t, err := time.Parse(time.RFC1123, v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// redact removes the token from text that may have come from elsewhere (a
// transport error message, a server echoing headers).
func redact(s string, t Token) string {
	if t == "" {
		return s
	}
	return strings.ReplaceAll(s, string(t), "[redacted]")
}
