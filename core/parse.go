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

// decoder reads typed values and keeps the first error, so field code stays
// flat. It tracks where it is as a stack of keys and indexes, turned into a
// path ("entries[3].project.id") only when something fails.
type decoder struct {
	loc  *time.Location
	err  error
	segs []seg
}

func newDecoder(loc *time.Location, root string) *decoder {
	d := &decoder{loc: loc, segs: make([]seg, 1, 8)}
	d.segs[0] = seg{key: root}
	return d
}

type seg struct {
	key string
	idx int // used when key is ""
}

func (d *decoder) path() string {
	var b strings.Builder
	for i, s := range d.segs {
		switch {
		case s.key == "":
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
		case i > 0:
			b.WriteString("." + s.key)
		default:
			b.WriteString(s.key)
		}
	}
	return b.String()
}

func (d *decoder) fail(want string, v gjson.Result) {
	if d.err == nil {
		d.err = badResponse("%s should be %s, got %s", d.path(), want, kindOf(v))
	}
}

// in runs fn with key pushed on the path.
func (d *decoder) in(key string, fn func()) {
	d.segs = append(d.segs, seg{key: key})
	fn()
	d.segs = d.segs[:len(d.segs)-1]
}

// each calls fn for every key of an object (keys lower-cased). Null is an
// empty object; anything else that is not an object is an error.
func (d *decoder) each(v gjson.Result, fn func(key string, v gjson.Result)) bool {
	if v.Type == gjson.Null || !v.Exists() {
		return false
	}
	if !v.IsObject() {
		d.fail("an object", v)
		return false
	}
	v.ForEach(func(k, val gjson.Result) bool {
		key := lowerASCII(k.Str)
		d.segs = append(d.segs, seg{key: key})
		fn(key, val)
		d.segs = d.segs[:len(d.segs)-1]
		return d.err == nil
	})
	return d.err == nil
}

// elems calls fn for every element of an array; null is an empty array.
func (d *decoder) elems(v gjson.Result, fn func(v gjson.Result)) {
	if v.Type == gjson.Null || !v.Exists() {
		return
	}
	if !v.IsArray() {
		d.fail("an array", v)
		return
	}
	i := 0
	v.ForEach(func(_, val gjson.Result) bool {
		d.segs = append(d.segs, seg{idx: i})
		fn(val)
		d.segs = d.segs[:len(d.segs)-1]
		i++
		return d.err == nil
	})
}

func (d *decoder) str(v gjson.Result) string {
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
	d.fail("a string", v)
	return ""
}

func (d *decoder) int(v gjson.Result) int64 {
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
	d.fail("an integer", v)
	return 0
}

func (d *decoder) num(v gjson.Result) float64 {
	switch v.Type {
	case gjson.Null:
		return 0
	case gjson.Number:
		return v.Num
	}
	d.fail("a number", v)
	return 0
}

func (d *decoder) bool(v gjson.Result) bool {
	switch v.Type {
	case gjson.True:
		return true
	case gjson.False, gjson.Null:
		return false
	}
	d.fail("true or false", v)
	return false
}

func (d *decoder) time(v gjson.Result) time.Time {
	s := d.str(v)
	if s == "" || d.err != nil {
		return time.Time{}
	}
	t, err := ParseWire(s, d.loc)
	if err != nil && d.err == nil {
		d.err = badResponse("%s: %v", d.path(), err)
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
	d := newDecoder(time.UTC, "user")
	u := &User{}
	seenID := false
	d.each(root, func(k string, v gjson.Result) {
		switch k {
		case "id":
			u.ID, seenID = d.int(v), v.Type == gjson.Number
		case "name":
			u.Name = d.str(v)
		case "email":
			u.Email = d.str(v)
		case "activeaccountid":
			u.ActiveAccountID = d.int(v)
		case "dateformat":
			u.DateFormat = d.str(v)
		case "timeformat":
			u.TimeFormat = d.str(v)
		case "timezone":
			d.each(v, func(k string, v gjson.Result) {
				switch k {
				case "id":
					u.TimeZone.ID = d.str(v)
				case "displayname":
					u.TimeZone.DisplayName = d.str(v)
				case "currentoffset":
					u.TimeZone.CurrentOffset = d.num(v)
				}
			})
		case "accounts":
			d.elems(v, func(v gjson.Result) {
				var a Account
				if d.each(v, func(k string, v gjson.Result) { d.account(&a, k, v) }) {
					u.Accounts = append(u.Accounts, a)
				} else if d.err == nil {
					d.fail("an object", v)
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

func (d *decoder) account(a *Account, k string, v gjson.Result) {
	switch k {
	case "id":
		a.ID = d.int(v)
	case "name":
		a.Name = d.str(v)
	case "role":
		a.Role = d.str(v)
	case "firstweekday":
		a.FirstWeekDay = int(d.int(v))
	case "timetracking":
		r := &a.Rules
		d.each(v, func(k string, v gjson.Result) {
			switch k {
			case "requireproject":
				r.RequireProject = d.bool(v)
			case "requiretask":
				r.RequireTask = d.bool(v)
			case "requiretags":
				r.RequireTags = d.bool(v)
			case "requiredescription":
				r.RequireDescription = d.bool(v)
			case "allowmanualediting":
				r.AllowManualEditing = d.bool(v)
			case "allownewtags":
				r.AllowNewTags = d.bool(v)
			case "allownewtask":
				r.AllowNewTask = d.bool(v)
			case "defaultworktypeid":
				r.DefaultWorkTypeID = d.int(v)
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
	d := newDecoder(loc, "entry")
	e, ok := d.entry(root)
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

func (d *decoder) entry(v gjson.Result) (TimeEntry, bool) {
	var e TimeEntry
	seenID := false
	if !d.each(v, func(k string, v gjson.Result) {
		switch k {
		case "id":
			e.ID, seenID = d.int(v), v.Type == gjson.Number
		case "starttime":
			e.Start = d.time(v)
		case "endtime":
			e.End = d.time(v)
		case "note":
			e.Note = d.str(v)
		case "project":
			e.Project = d.project(v)
		case "task":
			e.Task = d.task(v)
		case "tags":
			e.Tags = d.tags(v)
		case "isbillable":
			e.IsBillable = d.bool(v)
		case "isinvoiced":
			e.IsInvoiced = d.bool(v)
		}
	}) {
		if d.err == nil {
			d.fail("an object", v)
		}
		return e, false
	}
	switch {
	case !seenID:
		d.err = badResponse("%s.id is missing", d.path())
	case e.Start.IsZero():
		d.err = badResponse("%s.startTime is missing", d.path())
	}
	return e, d.err == nil
}

func (d *decoder) project(v gjson.Result) *Project {
	var pr Project
	if !d.each(v, func(k string, v gjson.Result) {
		switch k {
		case "id":
			pr.ID = d.int(v)
		case "name":
			pr.Name = d.str(v)
		case "status":
			pr.Status = d.str(v)
		case "isbillable":
			pr.IsBillable = d.bool(v)
		case "recentusagetime":
			pr.RecentUsageTime = d.time(v)
		case "client":
			var c ClientBasic
			if d.each(v, func(k string, v gjson.Result) { d.client(&c, k, v) }) {
				pr.Client = &c
			}
		}
	}) {
		return nil
	}
	return &pr
}

func (d *decoder) client(c *ClientBasic, k string, v gjson.Result) {
	switch k {
	case "id":
		c.ID = d.int(v)
	case "name":
		c.Name = d.str(v)
	}
}

func (d *decoder) task(v gjson.Result) *Task {
	var t Task
	if !d.each(v, func(k string, v gjson.Result) {
		switch k {
		case "id":
			t.ID = d.int(v)
		case "name":
			t.Name = d.str(v)
		case "externallink":
			var l ExternalLink
			if d.each(v, func(k string, v gjson.Result) {
				switch k {
				case "caption":
					l.Caption = d.str(v)
				case "iconurl":
					l.IconURL = d.str(v)
				case "link":
					l.Link = d.str(v)
				case "issueid":
					l.IssueID = d.str(v)
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

func (d *decoder) tags(v gjson.Result) []Tag {
	var out []Tag
	d.elems(v, func(v gjson.Result) {
		var t Tag
		if d.each(v, func(k string, v gjson.Result) { d.tag(&t, k, v) }) {
			out = append(out, t)
		} else if d.err == nil {
			d.fail("an object", v)
		}
	})
	return out
}

func (d *decoder) tag(t *Tag, k string, v gjson.Result) {
	switch k {
	case "id":
		t.ID = d.int(v)
	case "name":
		t.Name = d.str(v)
	case "isworktype":
		t.IsWorkType = d.bool(v)
	}
}

// list parses an array of objects with one element parser.
func list[T any](body []byte, loc *time.Location, name string, parse func(d *decoder, v gjson.Result) (T, bool)) ([]T, error) {
	root, err := parseRoot(body, "array")
	if err != nil {
		return nil, err
	}
	d := newDecoder(loc, name)
	out := make([]T, 0, 8)
	d.elems(root, func(v gjson.Result) {
		x, ok := parse(d, v)
		if ok {
			out = append(out, x)
		} else if d.err == nil {
			d.fail("an object", v)
		}
	})
	if d.err != nil {
		return nil, d.err
	}
	return out, nil
}

// ParseProjects reads GET /timeentries/projects.
func ParseProjects(body []byte, loc *time.Location) ([]Project, error) {
	return list(body, loc, "projects", func(d *decoder, v gjson.Result) (Project, bool) {
		pr := d.project(v)
		if pr == nil {
			return Project{}, false
		}
		return *pr, true
	})
}

// ParseTags reads GET /timeentries/tags.
func ParseTags(body []byte) ([]Tag, error) {
	return list(body, time.UTC, "tags", func(d *decoder, v gjson.Result) (Tag, bool) {
		var t Tag
		ok := d.each(v, func(k string, v gjson.Result) { d.tag(&t, k, v) })
		return t, ok
	})
}

// ParseClients reads GET /clients.
func ParseClients(body []byte) ([]ClientBasic, error) {
	return list(body, time.UTC, "clients", func(d *decoder, v gjson.Result) (ClientBasic, bool) {
		var c ClientBasic
		ok := d.each(v, func(k string, v gjson.Result) { d.client(&c, k, v) })
		return c, ok
	})
}

// ParseRecent reads GET /timeentries/recent.
func ParseRecent(body []byte) ([]RecentEntry, error) {
	return list(body, time.UTC, "recent", func(d *decoder, v gjson.Result) (RecentEntry, bool) {
		var r RecentEntry
		ok := d.each(v, func(k string, v gjson.Result) {
			switch k {
			case "note":
				r.Note = d.str(v)
			case "project":
				r.Project = d.project(v)
			case "task":
				r.Task = d.task(v)
			case "tags":
				r.Tags = d.tags(v)
			case "ispinned":
				r.IsPinned = d.bool(v)
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
