package core

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// Every parser here validates the whole body with gjson.ValidBytes first
// (gjson alone would return partial data from broken JSON), then walks each
// object once, matching keys case-insensitively: the vendor's own examples
// mix "caption" and "Caption". Unknown keys are ignored, null is the zero
// value, and a value of the wrong type is a ErrBadResponse naming its path.

// badResponse builds the error parsers return.
func badResponse(format string, args ...any) error {
	return &Error{Kind: ErrBadResponse, Message: "TMetric sent an unexpected response: " + fmt.Sprintf(format, args...)}
}

func parseRoot(body []byte, want string) (gjson.Result, error) {
	switch {
	case len(body) == 0:
		return gjson.Result{}, badResponse("the body is empty")
	case len(body) > maxBody:
		return gjson.Result{}, badResponse("the body is %d bytes, over the %d-byte limit", len(body), maxBody)
	case !gjson.ValidBytes(body):
		return gjson.Result{}, badResponse("the body is not valid JSON")
	}
	r := gjson.ParseBytes(body)
	if (want == "object" && !r.IsObject()) || (want == "array" && !r.IsArray()) {
		return gjson.Result{}, badResponse("expected a JSON %s, got %s", want, kindOf(r))
	}
	return r, nil
}

func kindOf(v gjson.Result) string {
	switch {
	case v.IsObject():
		return "an object"
	case v.IsArray():
		return "an array"
	case v.Type == gjson.String:
		return "a string"
	case v.Type == gjson.Number:
		return "a number"
	case v.Type == gjson.Null:
		return "null"
	case v.Type == gjson.True, v.Type == gjson.False:
		return "a boolean"
	}
	return "nothing"
}

// decoder reads typed values and keeps the first error, so field code stays flat.
type decoder struct {
	loc *time.Location
	err error
}

func (d *decoder) fail(path, want string, v gjson.Result) {
	if d.err == nil {
		d.err = badResponse("%s should be %s, got %s", path, want, kindOf(v))
	}
}

// each calls fn for every key of an object (keys lower-cased). Null is an
// empty object; anything else that is not an object is an error.
func (d *decoder) each(v gjson.Result, path string, fn func(key, path string, v gjson.Result)) bool {
	if v.Type == gjson.Null || !v.Exists() {
		return false
	}
	if !v.IsObject() {
		d.fail(path, "an object", v)
		return false
	}
	v.ForEach(func(k, val gjson.Result) bool {
		key := lowerASCII(k.Str)
		fn(key, path+"."+key, val)
		return d.err == nil
	})
	return d.err == nil
}

// elems calls fn for every element of an array; null is an empty array.
func (d *decoder) elems(v gjson.Result, path string, fn func(i int, path string, v gjson.Result)) {
	if v.Type == gjson.Null || !v.Exists() {
		return
	}
	if !v.IsArray() {
		d.fail(path, "an array", v)
		return
	}
	i := 0
	v.ForEach(func(_, val gjson.Result) bool {
		fn(i, path+"["+strconv.Itoa(i)+"]", val)
		i++
		return d.err == nil
	})
}

func (d *decoder) str(v gjson.Result, path string) string {
	switch v.Type {
	case gjson.String:
		if !utf8.ValidString(v.Str) {
			// Keep the text readable and safe to send back in a PUT.
			return strings.ToValidUTF8(v.Str, "\uFFFD")
		}
		return v.Str
	case gjson.Null:
		return ""
	}
	d.fail(path, "a string", v)
	return ""
}

func (d *decoder) int(v gjson.Result, path string) int64 {
	switch v.Type {
	case gjson.Null:
		return 0
	case gjson.Number:
		if n, err := strconv.ParseInt(v.Raw, 10, 64); err == nil {
			return n
		}
		// 1e3 or 12.0: accept when it is an exact integer.
		if v.Num == math.Trunc(v.Num) && math.Abs(v.Num) < 1<<53 {
			return int64(v.Num)
		}
	}
	d.fail(path, "an integer", v)
	return 0
}

func (d *decoder) num(v gjson.Result, path string) float64 {
	switch v.Type {
	case gjson.Null:
		return 0
	case gjson.Number:
		return v.Num
	}
	d.fail(path, "a number", v)
	return 0
}

func (d *decoder) bool(v gjson.Result, path string) bool {
	switch v.Type {
	case gjson.True:
		return true
	case gjson.False, gjson.Null:
		return false
	}
	d.fail(path, "true or false", v)
	return false
}

func (d *decoder) time(v gjson.Result, path string) time.Time {
	s := d.str(v, path)
	if s == "" || d.err != nil {
		return time.Time{}
	}
	t, err := ParseWire(s, d.loc)
	if err != nil && d.err == nil {
		d.err = badResponse("%s: %v", path, err)
	}
	return t
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'A' && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// ParseUser reads GET /user.
func ParseUser(body []byte) (*User, error) {
	root, err := parseRoot(body, "object")
	if err != nil {
		return nil, err
	}
	d := &decoder{}
	u := &User{}
	seenID := false
	d.each(root, "user", func(k, p string, v gjson.Result) {
		switch k {
		case "id":
			u.ID, seenID = d.int(v, p), v.Type == gjson.Number
		case "name":
			u.Name = d.str(v, p)
		case "email":
			u.Email = d.str(v, p)
		case "activeaccountid":
			u.ActiveAccountID = d.int(v, p)
		case "dateformat":
			u.DateFormat = d.str(v, p)
		case "timeformat":
			u.TimeFormat = d.str(v, p)
		case "timezone":
			d.each(v, p, func(k, p string, v gjson.Result) {
				switch k {
				case "id":
					u.TimeZone.ID = d.str(v, p)
				case "displayname":
					u.TimeZone.DisplayName = d.str(v, p)
				case "currentoffset":
					u.TimeZone.CurrentOffset = d.num(v, p)
				}
			})
		case "accounts":
			d.elems(v, p, func(_ int, p string, v gjson.Result) {
				var a Account
				if d.each(v, p, func(k, p string, v gjson.Result) { d.account(&a, k, p, v) }) {
					u.Accounts = append(u.Accounts, a)
				} else if d.err == nil {
					d.fail(p, "an object", v)
				}
			})
		}
	})
	if d.err != nil {
		return nil, d.err
	}
	if !seenID {
		return nil, badResponse("user.id is missing")
	}
	return u, nil
}

func (d *decoder) account(a *Account, k, p string, v gjson.Result) {
	switch k {
	case "id":
		a.ID = d.int(v, p)
	case "name":
		a.Name = d.str(v, p)
	case "role":
		a.Role = d.str(v, p)
	case "firstweekday":
		a.FirstWeekDay = int(d.int(v, p))
	case "timetracking":
		r := &a.Rules
		d.each(v, p, func(k, p string, v gjson.Result) {
			switch k {
			case "requireproject":
				r.RequireProject = d.bool(v, p)
			case "requiretask":
				r.RequireTask = d.bool(v, p)
			case "requiretags":
				r.RequireTags = d.bool(v, p)
			case "requiredescription":
				r.RequireDescription = d.bool(v, p)
			case "allowmanualediting":
				r.AllowManualEditing = d.bool(v, p)
			case "allownewtags":
				r.AllowNewTags = d.bool(v, p)
			case "allownewtask":
				r.AllowNewTask = d.bool(v, p)
			case "defaultworktypeid":
				r.DefaultWorkTypeID = d.int(v, p)
			}
		})
	}
}

// ParseTimeEntries reads a TimeEntry[] (GET or POST /timeentries, break),
// with timestamps taken as wall-clock time in loc.
func ParseTimeEntries(body []byte, loc *time.Location) ([]TimeEntry, error) {
	return list(body, loc, "entries", (*decoder).entry)
}

// ParseTimeEntry reads one TimeEntry (PUT, GET latest). An empty body, or
// null, means there is none: it returns nil and no error.
func ParseTimeEntry(body []byte, loc *time.Location) (*TimeEntry, error) {
	if len(trimSpace(body)) == 0 || string(trimSpace(body)) == "null" {
		return nil, nil
	}
	root, err := parseRoot(body, "object")
	if err != nil {
		return nil, err
	}
	d := &decoder{loc: loc}
	e, ok := d.entry(root, "entry")
	if !ok {
		return nil, d.err
	}
	return &e, nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\n' || b[len(b)-1] == '\r' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}

func (d *decoder) entry(v gjson.Result, path string) (TimeEntry, bool) {
	var e TimeEntry
	seenID := false
	if !d.each(v, path, func(k, p string, v gjson.Result) {
		switch k {
		case "id":
			e.ID, seenID = d.int(v, p), v.Type == gjson.Number
		case "starttime":
			e.Start = d.time(v, p)
		case "endtime":
			e.End = d.time(v, p)
		case "note":
			e.Note = d.str(v, p)
		case "project":
			e.Project = d.project(v, p)
		case "task":
			e.Task = d.task(v, p)
		case "tags":
			e.Tags = d.tags(v, p)
		case "isbillable":
			e.IsBillable = d.bool(v, p)
		case "isinvoiced":
			e.IsInvoiced = d.bool(v, p)
		}
	}) {
		if d.err == nil {
			d.fail(path, "an object", v)
		}
		return e, false
	}
	switch {
	case !seenID:
		d.err = badResponse("%s.id is missing", path)
	case e.Start.IsZero():
		d.err = badResponse("%s.startTime is missing", path)
	}
	return e, d.err == nil
}

func (d *decoder) project(v gjson.Result, path string) *Project {
	var pr Project
	if !d.each(v, path, func(k, p string, v gjson.Result) {
		switch k {
		case "id":
			pr.ID = d.int(v, p)
		case "name":
			pr.Name = d.str(v, p)
		case "status":
			pr.Status = d.str(v, p)
		case "isbillable":
			pr.IsBillable = d.bool(v, p)
		case "recentusagetime":
			pr.RecentUsageTime = d.time(v, p)
		case "client":
			var c ClientBasic
			if d.each(v, p, func(k, p string, v gjson.Result) { d.client(&c, k, p, v) }) {
				pr.Client = &c
			}
		}
	}) {
		return nil
	}
	return &pr
}

func (d *decoder) client(c *ClientBasic, k, p string, v gjson.Result) {
	switch k {
	case "id":
		c.ID = d.int(v, p)
	case "name":
		c.Name = d.str(v, p)
	}
}

func (d *decoder) task(v gjson.Result, path string) *Task {
	var t Task
	if !d.each(v, path, func(k, p string, v gjson.Result) {
		switch k {
		case "id":
			t.ID = d.int(v, p)
		case "name":
			t.Name = d.str(v, p)
		case "externallink":
			var l ExternalLink
			if d.each(v, p, func(k, p string, v gjson.Result) {
				switch k {
				case "caption":
					l.Caption = d.str(v, p)
				case "iconurl":
					l.IconURL = d.str(v, p)
				case "link":
					l.Link = d.str(v, p)
				case "issueid":
					l.IssueID = d.str(v, p)
				}
			}) {
				t.ExternalLink = &l
			}
		}
	}) {
		return nil
	}
	return &t
}

func (d *decoder) tags(v gjson.Result, path string) []Tag {
	var out []Tag
	d.elems(v, path, func(_ int, p string, v gjson.Result) {
		var t Tag
		if d.each(v, p, func(k, p string, v gjson.Result) { d.tag(&t, k, p, v) }) {
			out = append(out, t)
		} else if d.err == nil {
			d.fail(p, "an object", v)
		}
	})
	return out
}

func (d *decoder) tag(t *Tag, k, p string, v gjson.Result) {
	switch k {
	case "id":
		t.ID = d.int(v, p)
	case "name":
		t.Name = d.str(v, p)
	case "isworktype":
		t.IsWorkType = d.bool(v, p)
	}
}

// list parses an array of objects with one element parser.
func list[T any](body []byte, loc *time.Location, name string, parse func(d *decoder, v gjson.Result, p string) (T, bool)) ([]T, error) {
	root, err := parseRoot(body, "array")
	if err != nil {
		return nil, err
	}
	d := &decoder{loc: loc}
	out := make([]T, 0, root.Get("#").Int())
	d.elems(root, name, func(_ int, p string, v gjson.Result) {
		x, ok := parse(d, v, p)
		if ok {
			out = append(out, x)
		} else if d.err == nil {
			d.fail(p, "an object", v)
		}
	})
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}

// ParseProjects reads GET /timeentries/projects.
func ParseProjects(body []byte, loc *time.Location) ([]Project, error) {
	return list(body, loc, "projects", func(d *decoder, v gjson.Result, p string) (Project, bool) {
		pr := d.project(v, p)
		if pr == nil {
			return Project{}, false
		}
		return *pr, true
	})
}

// ParseTags reads GET /timeentries/tags.
func ParseTags(body []byte) ([]Tag, error) {
	return list(body, time.UTC, "tags", func(d *decoder, v gjson.Result, p string) (Tag, bool) {
		var t Tag
		ok := d.each(v, p, func(k, p string, v gjson.Result) { d.tag(&t, k, p, v) })
		return t, ok
	})
}

// ParseClients reads GET /clients.
func ParseClients(body []byte) ([]ClientBasic, error) {
	return list(body, time.UTC, "clients", func(d *decoder, v gjson.Result, p string) (ClientBasic, bool) {
		var c ClientBasic
		ok := d.each(v, p, func(k, p string, v gjson.Result) { d.client(&c, k, p, v) })
		return c, ok
	})
}

// ParseRecent reads GET /timeentries/recent.
func ParseRecent(body []byte) ([]RecentEntry, error) {
	return list(body, time.UTC, "recent", func(d *decoder, v gjson.Result, p string) (RecentEntry, bool) {
		var r RecentEntry
		ok := d.each(v, p, func(k, p string, v gjson.Result) {
			switch k {
			case "note":
				r.Note = d.str(v, p)
			case "project":
				r.Project = d.project(v, p)
			case "task":
				r.Task = d.task(v, p)
			case "tags":
				r.Tags = d.tags(v, p)
			case "ispinned":
				r.IsPinned = d.bool(v, p)
			}
		})
		return r, ok
	})
}

// ParseErrorMessage returns the "message" (or "Message") of an error body,
// or "" when the body is not JSON (an HTML page from a proxy, say).
func ParseErrorMessage(body []byte) string {
	if len(body) == 0 || len(body) > 1<<20 || !gjson.ValidBytes(body) {
		return ""
	}
	r := gjson.ParseBytes(body)
	if !r.IsObject() {
		return ""
	}
	msg := ""
	r.ForEach(func(k, v gjson.Result) bool {
		if lowerASCII(k.Str) == "message" && v.Type == gjson.String {
			msg = v.Str
			return false
		}
		return true
	})
	return clip(msg, 500)
}
