package core

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is against any error core returns.
var (
	// ErrUnauthorized: TMetric rejected the API token (HTTP 401).
	ErrUnauthorized = errors.New("API token rejected")
	// ErrForbidden: the token is valid but the action is denied (HTTP 403),
	// for example manual editing is disabled in the workspace.
	ErrForbidden = errors.New("not allowed in this workspace")
	// ErrNotFound: the workspace, user or entry does not exist (HTTP 404).
	ErrNotFound = errors.New("not found")
	// ErrBadRequest: TMetric refused the request as invalid (HTTP 400 and
	// other 4xx not listed here). Retrying the same request will not help.
	ErrBadRequest = errors.New("request refused")
	// ErrRateLimited: TMetric is throttling (HTTP 429). Retriable.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer: TMetric or a proxy in front of it failed (HTTP 5xx). Retriable.
	ErrServer = errors.New("TMetric server error")
	// ErrNetwork: no HTTP response arrived at all. Retriable.
	ErrNetwork = errors.New("network error")
	// ErrBadResponse: a response arrived but its body is not what the API
	// documents (malformed JSON, wrong types, missing fields).
	ErrBadResponse = errors.New("malformed response")
	// ErrInvalid: core refused to send a request because its input breaks a
	// rule (note too long, end before start, a required field missing).
	ErrInvalid = errors.New("invalid input")
	// ErrConfig: the client cannot be built as asked (empty token, a base
	// URL that is neither HTTPS nor loopback).
	ErrConfig = errors.New("invalid configuration")
)

// TokenHelp tells a user whose token was rejected how to get a new one.
const TokenHelp = "TMetric rejected the API token. Tokens are valid for one year, and getting a new one revokes the old. " +
	"Get a new token in TMetric: your name (bottom left) → My Profile → \"Get new API token\" " +
	"(https://app.tmetric.com/#/profile), then paste it in the options."

// Error is the one error type core returns for a failed API call.
type Error struct {
	Op         string        // what core was doing, e.g. "start timer"
	StatusCode int           // HTTP status; 0 when no response arrived
	Message    string        // the server's message, or a user-facing explanation
	RetryAfter time.Duration // from Retry-After on 429/503, 0 when absent
	Kind       error         // one of the sentinels above
	Err        error         // the underlying cause, if any (never holds the token)
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("tmetric: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		b.WriteString(strconv.Itoa(e.StatusCode))
		b.WriteString(": ")
	}
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
	case e.Kind != nil:
		b.WriteString(e.Kind.Error())
	}
	if e.Err != nil && e.Message == "" {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Is reports whether target is this error's kind, so errors.Is(err, ErrUnauthorized) works.
func (e *Error) Is(target error) bool { return target != nil && target == e.Kind }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Retriable reports whether sending the same request later may succeed:
// network errors, throttling and server errors.
func Retriable(err error) bool {
	return errors.Is(err, ErrNetwork) || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer)
}

// ValidationError names the field and the rule a request broke before it
// was sent. It matches ErrInvalid.
type ValidationError struct {
	Field   string // "note", "project", "endTime", ...
	Problem string // a sentence a user can act on
}

func (e *ValidationError) Error() string { return e.Problem }

// Is makes errors.Is(err, ErrInvalid) true.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// statusText covers the statuses TMetric documents, so an error never
// depends on net/http's table (not linked into the WebAssembly build).
func statusText(code int) string {
	switch code {
	case 400:
		return "Bad Request"
	case 401:
		return "Unauthorized"
	case 403:
		return "Forbidden"
	case 404:
		return "Not Found"
	case 405:
		return "Method Not Allowed"
	case 409:
		return "Conflict"
	case 413:
		return "Payload Too Large"
	case 422:
		return "Unprocessable Entity"
	case 429:
		return "Too Many Requests"
	case 500:
		return "Internal Server Error"
	case 502:
		return "Bad Gateway"
	case 503:
		return "Service Unavailable"
	case 504:
		return "Gateway Timeout"
	}
	return "HTTP " + strconv.Itoa(code)
}

// kindFor maps an HTTP status to its sentinel.
func kindFor(code int) error {
	switch {
	case code == 401:
		return ErrUnauthorized
	case code == 403:
		return ErrForbidden
	case code == 404:
		return ErrNotFound
	case code == 429:
		return ErrRateLimited
	case code >= 500:
		return ErrServer
	case code >= 300 && code < 400:
		// Redirects are not followed across origins (the token must not
		// travel); one reaching us means the base URL is wrong.
		return ErrBadResponse
	default:
		return ErrBadRequest
	}
}
