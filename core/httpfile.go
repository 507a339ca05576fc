package core

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// HTTPFile renders req as a snippet for the REST Client (VS Code) and
// JetBrains HTTP Client, the way TMetric's API guide has developers explore
// the API. The token becomes the {{token}} variable, defined once at the top.
func (r *Request) HTTPFile(title string) string {
	var b strings.Builder
	b.WriteString("# Paste your API token from TMetric → My Profile → \"Get new API token\".\n")
	b.WriteString("@token = YOUR_TMETRIC_API_TOKEN\n\n")
	b.WriteString("### ")
	b.WriteString(oneLine(title))
	b.WriteString("\n")
	b.WriteString(r.Method + " " + r.URL + "\n")
	keys := make([]string, 0, len(r.Header))
	for k := range r.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Header[k]
		if k == "authorization" {
			v = "Bearer {{token}}"
		}
		b.WriteString(displayHeader(k) + ": " + v + "\n")
	}
	if len(r.Body) > 0 {
		var pretty bytes.Buffer
		if json.Indent(&pretty, r.Body, "", "  ") != nil {
			pretty.Reset()
			pretty.Write(r.Body)
		}
		b.WriteString("\n" + pretty.String() + "\n")
	}
	return b.String()
}

// displayHeader writes a lower-case key the way people read it: Content-Type.
func displayHeader(k string) string {
	parts := strings.Split(k, "-")
	for i, p := range parts {
		if p != "" {
			parts[i] = strings.ToUpper(p[:1]) + p[1:]
		}
	}
	return strings.Join(parts, "-")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
