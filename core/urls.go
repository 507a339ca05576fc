package core

import (
	"sort"
	"strconv"
	"strings"
)

// Core parses and builds the few URLs it needs by hand: net/url and
// net/netip add about 0.35 MB to the WebAssembly module, a tenth of it.

// origin is a parsed base URL: scheme, host[:port], and a path ending in "/".
type origin struct {
	scheme string // "https" or "http"
	host   string // lower-cased host, with ":port" when given
	name   string // the host without port or brackets
	path   string
}

func (o origin) String() string { return o.scheme + "://" + o.host + o.path }

// parseOrigin splits an absolute http(s) URL. why is empty on success.
func parseOrigin(raw string) (o origin, why string) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return o, "it is not an absolute URL such as " + DefaultBaseURL
	}
	o.scheme = strings.ToLower(scheme)
	if strings.ContainsAny(rest, "?#") {
		return o, "it must not have a query or fragment"
	}
	authority, path, _ := strings.Cut(rest, "/")
	if strings.Contains(authority, "@") {
		return o, "it must not carry a user name or password"
	}
	host, port, hasPort := authority, "", false
	if strings.HasPrefix(host, "[") {
		end := strings.Index(host, "]")
		if end < 0 {
			return o, "its host is not valid"
		}
		host, port = authority[1:end], authority[end+1:]
		if port != "" && !strings.HasPrefix(port, ":") {
			return o, "its host is not valid"
		}
		hasPort = port != ""
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port, hasPort = authority[:i], authority[i+1:], true
	}
	if !validHost(host) {
		return o, "its host is not valid"
	}
	if hasPort {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return o, "its port is not valid"
		}
	}
	if strings.ContainsAny(path, " \t\r\n\\") || strings.Contains(path, "..") {
		return o, "its path is not valid"
	}
	o.name = strings.ToLower(host)
	o.host = strings.ToLower(authority)
	o.path = "/" + strings.TrimSuffix(path, "/") + "/"
	if o.path == "//" {
		o.path = "/"
	}
	return o, ""
}

func validHost(h string) bool {
	if h == "" {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '.', c == ':':
		default:
			return false
		}
	}
	return true
}

// IsLoopbackHost reports whether host names this computer: localhost,
// 127.0.0.0/8 in dotted-decimal form, or ::1.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(strings.ToLower(host), "["), "]")
	switch host {
	case "localhost", "::1", "0:0:0:0:0:0:0:1":
		return true
	}
	parts := strings.Split(host, ".")
	if len(parts) != 4 || parts[0] != "127" {
		return false
	}
	for _, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > 255 || (len(p) > 1 && p[0] == '0') {
			return false
		}
	}
	return true
}

// Query is a URL query; keys are encoded in sorted order.
type Query map[string]string

// Encode renders the query with RFC 3986 percent-encoding.
func (q Query) Encode() string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(escape(k))
		b.WriteByte('=')
		b.WriteString(escape(q[k]))
	}
	return b.String()
}

func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
