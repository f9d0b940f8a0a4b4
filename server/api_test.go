package server

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"sanshen/review"
)

// TestWalkThrough takes one repost through every stage to publication, and
// checks each step in the item and its events.
func TestWalkThrough(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", map[string]any{"repost_from": "https://www.mohurd.gov.cn/a.html", "proposed_disclosure": "proactive"})
	it := e.item("rev", id)
	if it.str("stage") != "first" || it.str("status") != "in_review" || it.str("repost_from") == "" || it.JSON["version"] != float64(1) {
		t.Fatalf("new item: %s", it.Raw)
	}
	if !slices.Equal(toStrings(it.JSON["allowed_actions"]), []string{"approve", "return", "reject"}) {
		t.Errorf("reviewer's allowed actions: %v", it.JSON["allowed_actions"])
	}
	if routes := it.JSON["secrecy_routes"].([]any); len(routes) != 1 || routes[0].(map[string]any)["reason"] != "repost" {
		t.Errorf("secrecy routes of a repost: %v", routes)
	}
	steps := []struct {
		user  string
		stage string
		after string
	}{
		{"rev", "first", "second"},
		{"head", "second", "secrecy"},
		{"sec", "secrecy", "final"},
		{"lead", "final", "final"},
	}
	for _, st := range steps {
		r := e.decide(http.StatusCreated, st.user, id, review.ActionApprove)
		item := r.JSON["item"].(map[string]any)
		if item["stage"] != st.after {
			t.Fatalf("after %s approved %s: stage %v, want %s", st.user, st.stage, item["stage"], st.after)
		}
	}
	it = e.item("office", id)
	if it.str("status") != "approved" || it.str("disclosure") != "proactive" || len(it.JSON["approvals"].([]any)) != 4 {
		t.Fatalf("signed off: %s", it.Raw)
	}
	e.must(http.StatusForbidden, "lead", "POST", "/api/v1/items/"+id+"/publish", nil)
	e.must(http.StatusConflict, "office", "POST", "/api/v1/items/"+id+"/publish", map[string]string{"sha256": strings.Repeat("0", 64)})
	p := e.must(http.StatusOK, "office", "POST", "/api/v1/items/"+id+"/publish", nil)
	if p.str("status") != "published" || p.JSON["published_at"] == nil {
		t.Fatalf("published: %s", p.Raw)
	}
	r := e.must(http.StatusConflict, "office", "POST", "/api/v1/items/"+id+"/publish", nil)
	if r.errCode() != "publish-not-approved" {
		t.Errorf("second publish: %s", r.Raw)
	}
	evs := e.events(id)
	want := []string{"submitted", "stage_entered", "approved", "stage_entered", "approved", "secrecy_routed", "approved", "stage_entered", "signed_off", "published"}
	if !slices.Equal(eventKinds(evs), want) {
		t.Fatalf("events %v, want %v", eventKinds(evs), want)
	}
	var lastSeq float64
	for _, ev := range evs {
		for _, k := range []string{"seq", "at", "actor", "kind", "stage", "version", "sha256", "detail", "system"} {
			if _, ok := ev[k]; !ok {
				t.Errorf("event %v lacks %s", ev, k)
			}
		}
		if ev["seq"].(float64) <= lastSeq {
			t.Errorf("event seqs not increasing: %v", evs)
		}
		lastSeq = ev["seq"].(float64)
		if sys := ev["system"].(bool); sys != (ev["actor"] == review.SystemActor) {
			t.Errorf("event %v: system flag does not match the actor", ev)
		}
		if ev["sha256"] != it.str("sha256") {
			t.Errorf("event %v names another hash than the version", ev)
		}
	}
	if evs[len(evs)-1]["actor"] != "office" || evs[0]["actor"] != "sub" {
		t.Errorf("actors: %v", evs)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestLoginAndTokens(t *testing.T) {
	e := newTestEnv(t, func(c *Config) { c.TokenTTL = time.Hour })
	r := e.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": "rev", "password": testPassword})
	user := r.JSON["user"].(map[string]any)
	if user["username"] != "rev" || len(r.str("token")) < 43 || !slices.Equal(toStrings(user["roles"]), []string{"reviewer"}) {
		t.Fatalf("login answer: %s", r.Raw)
	}
	for _, k := range []string{"display_name", "department"} {
		if _, ok := user[k]; !ok {
			t.Errorf("user lacks %s", k)
		}
	}
	tok := r.str("token")
	// The token is stored hashed, never as given.
	var n int
	if err := e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM tokens WHERE hash = ? OR hash = ?`, tok, tokenHash(tok)).Scan(&n); err != nil || n != 1 {
		t.Fatalf("stored tokens matching: %d %v", n, err)
	}
	if err := e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM tokens WHERE hash = ?`, tok).Scan(&n); err != nil || n != 0 {
		t.Fatalf("token stored in clear")
	}
	e.tokens["rev"] = tok
	me := e.must(http.StatusOK, "rev", "GET", "/api/v1/me", nil)
	if me.str("username") != "rev" {
		t.Fatalf("me: %s", me.Raw)
	}
	e.must(http.StatusUnauthorized, "", "GET", "/api/v1/me", nil)
	e.tokens["ghost"] = "not-a-token"
	if r := e.do("ghost", "GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized || r.errCode() != "unauthorized" {
		t.Fatalf("unknown token: %s", r.Raw)
	}
	e.clock.Advance(time.Hour)
	if r := e.do("rev", "GET", "/api/v1/me", nil); r.Status != http.StatusUnauthorized || r.errCode() != "token-expired" {
		t.Fatalf("expired token: %d %s", r.Status, r.Raw)
	}
	delete(e.tokens, "rev")
	e.must(http.StatusOK, "rev", "GET", "/api/v1/me", nil)
	e.must(http.StatusNoContent, "rev", "POST", "/api/v1/logout", nil)
	e.must(http.StatusUnauthorized, "rev", "GET", "/api/v1/me", nil)
	// A password change ends every session.
	delete(e.tokens, "rev")
	e.must(http.StatusOK, "rev", "GET", "/api/v1/me", nil)
	if err := e.srv.SetPassword(t.Context(), "rev", "another password"); err != nil {
		t.Fatal(err)
	}
	e.must(http.StatusUnauthorized, "rev", "GET", "/api/v1/me", nil)
}

func TestLoginThrottle(t *testing.T) {
	e := newTestEnv(t)
	bad := map[string]string{"username": "head", "password": "wrong password"}
	for i := 0; i < userFreeFailures; i++ {
		if r := e.do("", "POST", "/api/v1/login", bad); r.Status != http.StatusUnauthorized || r.errCode() != "bad-credentials" {
			t.Fatalf("attempt %d: %d %s", i+1, r.Status, r.Raw)
		}
	}
	// Once over the allowance, even the right password waits.
	e.do("", "POST", "/api/v1/login", bad)
	good := map[string]string{"username": "head", "password": testPassword}
	r := e.do("", "POST", "/api/v1/login", good)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || r.errCode() != "too-many-attempts" {
		t.Fatalf("throttled login: %d %v %s", r.Status, r.Header, r.Raw)
	}
	// Other users are not held up by it.
	e.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": "lead", "password": testPassword})
	e.clock.Advance(3 * time.Second)
	e.must(http.StatusOK, "", "POST", "/api/v1/login", good)
	// An unknown username is refused like a wrong password.
	r = e.do("", "POST", "/api/v1/login", map[string]string{"username": "nobody", "password": "x"})
	if r.Status != http.StatusUnauthorized || r.errCode() != "bad-credentials" {
		t.Fatalf("unknown user: %s", r.Raw)
	}
}

func TestQueueAndCursor(t *testing.T) {
	e := newTestEnv(t)
	a := e.submit("sub", nil)
	b := e.submit("sub", nil)
	own := e.submit("subrev", nil)
	q := e.must(http.StatusOK, "rev", "GET", "/api/v1/queue", nil)
	if ids := queueIDs(q); !slices.Equal(ids, []string{a, b, own}) || q.JSON["full"] != true {
		t.Fatalf("reviewer's queue %v, want %v", ids, []string{a, b, own})
	}
	for _, k := range []string{"id", "title", "column", "department", "stage", "version", "sha256", "updated_at"} {
		if _, ok := q.JSON["items"].([]any)[0].(map[string]any)[k]; !ok {
			t.Errorf("queue entry lacks %s", k)
		}
	}
	// Nobody sees their own submission in their queue.
	if ids := queueIDs(e.must(http.StatusOK, "subrev", "GET", "/api/v1/queue", nil)); !slices.Equal(ids, []string{a, b}) {
		t.Fatalf("subrev's queue %v", ids)
	}
	if ids := queueIDs(e.must(http.StatusOK, "head", "GET", "/api/v1/queue", nil)); len(ids) != 0 {
		t.Fatalf("head's queue before any first review: %v", ids)
	}
	revCursor := q.str("cursor")
	headCursor := e.must(http.StatusOK, "head", "GET", "/api/v1/queue", nil).str("cursor")
	// Nothing changed: nothing comes.
	if r := e.must(http.StatusOK, "rev", "GET", "/api/v1/queue?since="+revCursor, nil); len(r.JSON["items"].([]any)) != 0 || r.str("cursor") != revCursor || r.JSON["full"] != false {
		t.Fatalf("unchanged queue: %s", r.Raw)
	}
	e.decide(http.StatusCreated, "rev", a, review.ActionApprove)
	c := e.submit("sub", nil)
	r := e.must(http.StatusOK, "rev", "GET", "/api/v1/queue?since="+revCursor, nil)
	entries := r.JSON["items"].([]any)
	if len(entries) != 2 {
		t.Fatalf("reviewer's changes: %s", r.Raw)
	}
	got := map[string]map[string]any{}
	for _, x := range entries {
		m := x.(map[string]any)
		got[m["id"].(string)] = m
	}
	if got[a]["removed"] != true || len(got[a]) != 2 {
		t.Errorf("approved item should be marked removed: %v", got[a])
	}
	if got[c]["removed"] != nil || got[c]["stage"] != "first" {
		t.Errorf("new item should come whole: %v", got[c])
	}
	h := e.must(http.StatusOK, "head", "GET", "/api/v1/queue?since="+headCursor, nil)
	hs := h.JSON["items"].([]any)
	var headGot []string
	for _, x := range hs {
		m := x.(map[string]any)
		if m["removed"] == true {
			headGot = append(headGot, "-"+m["id"].(string))
		} else {
			headGot = append(headGot, "+"+m["id"].(string))
		}
	}
	if !slices.Contains(headGot, "+"+a) || slices.Contains(headGot, "+"+c) {
		t.Errorf("head's changes: %v", headGot)
	}
	// Cursors are checked; one from a future (other) database gives the whole queue.
	if r := e.do("rev", "GET", "/api/v1/queue?since=abc", nil); r.Status != http.StatusBadRequest || r.errCode() != "bad-cursor" {
		t.Errorf("bad cursor: %s", r.Raw)
	}
	if r := e.must(http.StatusOK, "rev", "GET", "/api/v1/queue?since=999999", nil); r.JSON["full"] != true || len(queueIDs(r)) != 3 {
		t.Errorf("cursor from elsewhere: %s", r.Raw)
	}
	// Roles without a stage have an empty queue.
	if ids := queueIDs(e.must(http.StatusOK, "office", "GET", "/api/v1/queue", nil)); len(ids) != 0 {
		t.Errorf("office queue: %v", ids)
	}
}

func queueIDs(r response) []string {
	var out []string
	for _, x := range r.JSON["items"].([]any) {
		m := x.(map[string]any)
		if m["removed"] != true {
			out = append(out, m["id"].(string))
		}
	}
	return out
}

func TestVersionsProofreadAndResubmit(t *testing.T) {
	e := newTestEnv(t)
	body := "市容整治工作既使遇到雨雪天气也不停止。"
	id := e.submit("sub", map[string]any{"body": body})
	v1 := e.must(http.StatusOK, "rev", "GET", "/api/v1/items/"+id+"/versions/1", nil)
	if v1.str("body") != body || v1.str("content_type") != "text/plain" || v1.JSON["number"] != float64(1) || v1.str("title") == "" {
		t.Fatalf("version 1: %s", v1.Raw)
	}
	_, sha, _ := review.Hash(body)
	if v1.str("sha256") != sha {
		t.Fatalf("version hash %s, want %s", v1.str("sha256"), sha)
	}
	// Only the reviewer at the current stage proofreads.
	fixed := strings.Replace(body, "既使", "即使", 1)
	e.must(http.StatusForbidden, "head", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": fixed, "kind": "proofread"})
	e.must(http.StatusForbidden, "sub", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": fixed, "kind": "proofread"})
	r := e.do("rev", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": body, "kind": "proofread"})
	if r.Status != http.StatusUnprocessableEntity || r.errCode() != "proofread-unchanged" {
		t.Errorf("unchanged proofread: %s", r.Raw)
	}
	p := e.must(http.StatusCreated, "rev", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": fixed, "kind": "proofread"})
	vs := p.JSON["versions"].([]any)
	if len(vs) != 2 || vs[1].(map[string]any)["kind"] != "proofread" || vs[1].(map[string]any)["author"] != "rev" || p.str("stage") != "first" {
		t.Fatalf("after proofread: %s", p.Raw)
	}
	// A decision on the old version is refused as stale.
	r = e.decide(http.StatusConflict, "rev", id, review.ActionApprove, func(d map[string]any) { d["version"] = 1; d["sha256"] = sha })
	if r.errCode() != "stale-version" {
		t.Errorf("stale decision: %s", r.Raw)
	}
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
	// Resubmitting is only for returned items.
	e.must(http.StatusConflict, "sub", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": "新稿", "kind": "submission"})
	e.decide(http.StatusCreated, "head", id, review.ActionReturn)
	// Only the submitter or a submitter of the same department resubmits.
	e.must(http.StatusForbidden, "subother", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": "新稿", "kind": "submission"})
	rs := e.must(http.StatusCreated, "sub2", "POST", "/api/v1/items/"+id+"/versions",
		map[string]any{"body": fixed + "\r\n请市民理解。", "kind": "submission", "title": "新标题"})
	if rs.str("stage") != "first" || rs.str("status") != "in_review" || rs.JSON["version"] != float64(3) || rs.str("title") != "新标题" ||
		len(rs.JSON["approvals"].([]any)) != 0 || rs.str("disclosure") != "" {
		t.Fatalf("after resubmission: %s", rs.Raw)
	}
	v3 := e.must(http.StatusOK, "rev", "GET", "/api/v1/items/"+id+"/versions/3", nil)
	if v3.str("body") != fixed+"\n请市民理解。" || v3.str("title") != "新标题" {
		t.Errorf("version 3 is not stored canonical: %q", v3.str("body"))
	}
	e.must(http.StatusNotFound, "rev", "GET", "/api/v1/items/"+id+"/versions/4", nil)
	e.must(http.StatusNotFound, "rev", "GET", "/api/v1/items/"+id+"/versions/x", nil)
	e.must(http.StatusNotFound, "rev", "GET", "/api/v1/items/nope", nil)
	want := []string{"submitted", "stage_entered", "proofread", "approved", "stage_entered", "returned", "resubmitted", "stage_entered"}
	if got := eventKinds(e.events(id)); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestHTMLStoredAsGiven(t *testing.T) {
	e := newTestEnv(t)
	html := `<p onclick="steal()">通知</p><script>alert("x")</script>`
	id := e.submit("sub", map[string]any{"body": html, "content_type": "text/html"})
	v := e.must(http.StatusOK, "rev", "GET", "/api/v1/items/"+id+"/versions/1", nil)
	if v.str("body") != html || v.str("content_type") != "text/html" {
		t.Fatalf("HTML body changed: %q", v.str("body"))
	}
	if ct := v.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || v.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", v.Header)
	}
	if bytes.Contains(v.Raw, []byte("<script>")) {
		t.Errorf("the JSON carries a raw <script> tag: %s", v.Raw)
	}
}

func TestSecrecyScanRoutesItem(t *testing.T) {
	scan := func(body, ct string) []review.SecrecyFinding {
		if strings.Contains(body, "内部资料") {
			return []review.SecrecyFinding{{Key: "marker:内部资料", Rule: "secrecy-marker", Excerpt: "内部资料"}}
		}
		return nil
	}
	e := newTestEnv(t, func(c *Config) { c.SecrecyScan = scan })
	id := e.submit("sub", map[string]any{"body": "内部资料 注意保存\n正文。"})
	it := e.item("rev", id)
	fs := it.JSON["secrecy_findings"].([]any)
	if len(fs) != 1 || fs[0].(map[string]any)["key"] != "marker:内部资料" || it.JSON["secrecy_required"] != true {
		t.Fatalf("findings: %s", it.Raw)
	}
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
	r := e.decide(http.StatusCreated, "head", id, review.ActionApprove)
	if r.JSON["item"].(map[string]any)["stage"] != "secrecy" {
		t.Fatalf("open finding should route to secrecy: %s", r.Raw)
	}
	// A dismissal needs a reason.
	e.decide(http.StatusUnprocessableEntity, "sec", id, review.ActionApprove, func(d map[string]any) {
		d["dismissals"] = []map[string]string{{"finding": "marker:内部资料", "reason": " "}}
	})
	r = e.decide(http.StatusCreated, "sec", id, review.ActionApprove, func(d map[string]any) {
		d["dismissals"] = []map[string]string{{"finding": "marker:内部资料", "reason": "征求意见稿已公开，标记为误留"}}
	})
	item := r.JSON["item"].(map[string]any)
	f := item["secrecy_findings"].([]any)[0].(map[string]any)
	if f["dismissed_by"] != "sec" || item["stage"] != "final" {
		t.Fatalf("after dismissal: %s", r.Raw)
	}
	if !slices.Contains(eventKinds(e.events(id)), "finding_dismissed") {
		t.Errorf("no finding_dismissed event")
	}
}

func TestColumnsAndItemList(t *testing.T) {
	e := newTestEnv(t)
	r := e.must(http.StatusOK, "sub", "GET", "/api/v1/columns", nil)
	cols := r.JSON["columns"].([]any)
	if len(cols) != 7 {
		t.Fatalf("columns: %s", r.Raw)
	}
	special := cols[6].(map[string]any)
	if special["kind"] != "special" || special["end_date"] == "" || special["closed"] != false {
		t.Errorf("special column: %v", special)
	}
	id := e.submit("sub", map[string]any{"column": special["name"]})
	// A special column that ended takes no new items.
	e.clock.Advance(200 * 24 * time.Hour)
	clear(e.tokens) // expired with the clock
	r = e.do("sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": special["name"], "body": "b"})
	if r.Status != http.StatusUnprocessableEntity || r.errCode() != "column-closed" {
		t.Errorf("closed column: %s", r.Raw)
	}
	e.submit("sub2", map[string]any{"column": "新闻动态"})
	mine := e.must(http.StatusOK, "sub", "GET", "/api/v1/items?submitter=me", nil)
	if ids := queueIDs(mine); !slices.Equal(ids, []string{id}) {
		t.Errorf("my items: %v", ids)
	}
	byCol := e.must(http.StatusOK, "office", "GET", "/api/v1/items?column=新闻动态&status=in_review", nil)
	if len(queueIDs(byCol)) != 1 {
		t.Errorf("items by column: %s", byCol.Raw)
	}
	e.must(http.StatusBadRequest, "office", "GET", "/api/v1/items?status=lost", nil)
}

// TestBadInput sends what a careless or hostile client might, and checks
// the status and that the message says what was wrong.
func TestBadInput(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", nil)
	valid := e.decision(id, review.ActionApprove)
	cases := []struct {
		name, user, method, path string
		body                     any
		status                   int
		code, message            string
	}{
		{"malformed JSON", "sub", "POST", "/api/v1/items", []byte(`{"title": "x",`), 400, "bad-json", "truncated"},
		{"syntax error", "sub", "POST", "/api/v1/items", []byte(`{"title" "x"}`), 400, "bad-json", "not valid JSON"},
		{"not an object", "sub", "POST", "/api/v1/items", []byte(`[1,2]`), 400, "bad-json", "JSON object"},
		{"wrong type", "sub", "POST", "/api/v1/items", []byte(`{"title": 5}`), 400, "bad-json", `"title" must be a string`},
		{"trailing data", "sub", "POST", "/api/v1/items", []byte(`{"title": "x"} {}`), 400, "bad-json", "after the JSON"},
		{"empty body", "sub", "POST", "/api/v1/items", nil, 400, "bad-json", "empty"},
		{"invalid UTF-8", "sub", "POST", "/api/v1/items", []byte("{\"title\": \"\xff\xfe\", \"column\": \"通知公告\", \"body\": \"x\"}"), 400, "invalid-utf8", "not valid UTF-8"},
		{"huge body", "sub", "POST", "/api/v1/items", append(append([]byte(`{"title":"t","column":"通知公告","body":"`), bytes.Repeat([]byte("长"), MaxRequestBody/3+10)...), `"}`...), 413, "body-too-large", "larger than"},
		{"no title", "sub", "POST", "/api/v1/items", map[string]any{"column": "通知公告", "body": "b"}, 422, "title-required", "title"},
		{"long title", "sub", "POST", "/api/v1/items", map[string]any{"title": strings.Repeat("题", MaxTitleRunes+1), "column": "通知公告", "body": "b"}, 422, "title-too-long", "more than"},
		{"unknown column", "sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "娱乐八卦", "body": "b"}, 422, "column-unknown", "no column"},
		{"blank body", "sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "通知公告", "body": " \n "}, 422, "body-required", "empty"},
		{"bad content type", "sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "通知公告", "body": "b", "content_type": "application/pdf"}, 422, "content-type", "text/plain or text/html"},
		{"bad disclosure", "sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "通知公告", "body": "b", "proposed_disclosure": "maybe"}, 422, "disclosure-value", "unknown disclosure"},
		{"reviewer submits", "rev", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "通知公告", "body": "b"}, 403, "submitter-role", "only a submitter"},
		{"no token", "", "POST", "/api/v1/items", map[string]any{}, 401, "unauthorized", "log in"},
		{"version kind", "rev", "POST", "/api/v1/items/" + id + "/versions", map[string]any{"body": "b", "kind": "draft"}, 422, "version-kind", "neither"},
		{"version invalid UTF-8", "rev", "POST", "/api/v1/items/" + id + "/versions", []byte("{\"body\": \"\xc3\x28\", \"kind\": \"proofread\"}"), 400, "invalid-utf8", "offset 10"},
		{"publish with a huge body", "office", "POST", "/api/v1/items/" + id + "/publish", bytes.Repeat([]byte(" "), MaxRequestBody+10), 413, "body-too-large", "larger than"},
		{"publish with malformed JSON", "office", "POST", "/api/v1/items/" + id + "/publish", []byte(`{"sha256":`), 400, "bad-json", "truncated"},
		{"decision without id", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "id", ""), 422, "decision-id", "UUID"},
		{"decision id not a UUID", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "id", "42"), 422, "decision-id", "UUID"},
		{"decision version as string", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "version", "1"), 400, "bad-json", `"version" must be a number`},
		{"decision unknown stage", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "stage", "third"), 422, "stage-value", "unknown stage"},
		{"decision unknown action", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "action", "maybe"), 422, "action-value", "unknown action"},
		{"decision missing check", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "verdicts", map[string]any{"political": map[string]string{"verdict": "pass"}}), 422, "five-checks", "needs a verdict"},
		{"decision without disclosure", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "disclosure", ""), 422, "disclosure-required", "disclosure"},
		{"decision wrong hash", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(valid, "sha256", strings.Repeat("a", 64)), 409, "stale-version", "current version"},
		{"decision wrong stage", "rev", "POST", "/api/v1/items/nope/decisions", valid, 404, "not-found", "item not found"},
		{"return without reason", "rev", "POST", "/api/v1/items/" + id + "/decisions", with(with(valid, "action", "return"), "reason", ""), 422, "fail-required", "fail"},
		{"unknown endpoint", "rev", "GET", "/api/v1/nothing", nil, 404, "not-found", "no endpoint"},
		{"wrong method", "rev", "PUT", "/api/v1/items/" + id, nil, 405, "method-not-allowed", "not allowed"},
		{"publish bad JSON", "office", "POST", "/api/v1/items/" + id + "/publish", []byte("{"), 400, "bad-json", "JSON"},
		{"login empty", "", "POST", "/api/v1/login", map[string]string{}, 400, "credentials-required", "username"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(c.user, c.method, c.path, c.body)
			if r.Status != c.status || r.errCode() != c.code || !strings.Contains(r.errMessage(), c.message) {
				t.Errorf("got %d %s %q, want %d %s containing %q", r.Status, r.errCode(), r.errMessage(), c.status, c.code, c.message)
			}
			if r.Status >= 400 {
				if zh, _ := r.JSON["error"].(map[string]any)["message_zh"].(string); zh == "" {
					t.Errorf("no Chinese message: %s", r.Raw)
				}
			}
		})
	}
	// Nothing of the above had an effect.
	if got := eventKinds(e.events(id)); !slices.Equal(got, []string{"submitted", "stage_entered"}) {
		t.Errorf("events after bad input: %v", got)
	}
	var items int
	if err := e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM items`).Scan(&items); err != nil || items != 1 {
		t.Errorf("items after bad input: %d %v", items, err)
	}
}

func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for kk, vv := range m {
		out[kk] = vv
	}
	out[k] = v
	return out
}

func TestHealthz(t *testing.T) {
	e := newTestEnv(t)
	r := e.must(http.StatusOK, "", "GET", "/healthz", nil)
	if r.str("status") != "ok" {
		t.Fatalf("healthz: %s", r.Raw)
	}
	if r.JSON["schema_version"] != float64(SchemaVersion()) {
		t.Errorf("schema version %v", r.JSON["schema_version"])
	}
}

// TestPanickingScanLosesNothing: a pre-check that panics gives a 500 with a
// JSON error, stores nothing, and leaves the server able to write.
func TestPanickingScanLosesNothing(t *testing.T) {
	e := newTestEnv(t, func(c *Config) {
		c.SecrecyScan = func(body, ct string) []review.SecrecyFinding {
			if strings.Contains(body, "炸") {
				panic("scanner bug")
			}
			return nil
		}
	})
	id := e.submit("sub", nil)
	r := e.do("sub", "POST", "/api/v1/items", map[string]any{"title": "t", "column": "通知公告", "body": "炸"})
	if r.Status != http.StatusInternalServerError || r.errCode() != "internal" {
		t.Fatalf("panicking scan: %d %s", r.Status, r.Raw)
	}
	r = e.do("rev", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": "炸", "kind": "proofread"})
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("panicking scan on a proofread: %d %s", r.Status, r.Raw)
	}
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
	items := e.must(http.StatusOK, "office", "GET", "/api/v1/items", nil)
	if n := len(queueIDs(items)); n != 1 {
		t.Errorf("%d items after the panics, want 1", n)
	}
}

func TestEventsAfter(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", nil)
	all := e.events(id)
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
	last := fmt.Sprint(int64(all[len(all)-1]["seq"].(float64)))
	r := e.must(http.StatusOK, "office", "GET", "/api/v1/items/"+id+"/events?after="+last, nil)
	if kinds := eventKinds(toMaps(r.JSON["events"])); !slices.Equal(kinds, []string{"approved", "stage_entered"}) {
		t.Errorf("events after %s: %v", last, kinds)
	}
	e.must(http.StatusBadRequest, "office", "GET", "/api/v1/items/"+id+"/events?after=x", nil)
	e.must(http.StatusNotFound, "office", "GET", "/api/v1/items/nope/events", nil)
}

func toMaps(v any) []map[string]any {
	var out []map[string]any
	for _, x := range v.([]any) {
		out = append(out, x.(map[string]any))
	}
	return out
}
