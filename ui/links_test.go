package ui

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"sanshen/client"
	"sanshen/client/linkcheck"
	"sanshen/review"
	"sanshen/review/precheck"
)

// realLinks is the real link checker, telling the test when it has reported.
type realLinks struct {
	c        *linkcheck.Checker
	reported chan struct{}
}

func (l realLinks) DeadLinks(ctx context.Context, body, contentType string, done func([]Finding)) {
	l.c.FindingsAsync(ctx, precheck.Extract(body, contentType), func(fs []precheck.Finding) {
		out := make([]Finding, len(fs))
		for i, f := range fs {
			out[i] = Finding{Check: f.Check, Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End, Message: f.Message}
		}
		done(out)
		l.reported <- struct{}{}
	})
}

func TestDeadLinksJoinFindings(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ok.html" {
			w.Write([]byte("ok"))
			return
		}
		http.NotFound(w, r)
	}))
	defer site.Close()
	f := newFixture(t, "reviewer")
	sub := f.login("submitter")
	body := `<p>详见<a href="` + site.URL + `/ok.html">通知原文</a>和<a href="` + site.URL + `/gone.html">附件</a>。</p><script>alert("不会运行")</script>`
	it, err := sub.API().CreateItem(context.Background(), client.NewItem{Title: "链接测试稿件", Column: "通知公告", Body: body, ContentType: review.ContentHTML})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sess.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	m := newTestWindow(t, syncBackend{f.sess})
	links := realLinks{c: linkcheck.New(linkcheck.Options{Timeout: 5 * time.Second}), reported: make(chan struct{}, 1)}
	m.links = links
	i := m.queue.indexOf(it.ID)
	if i < 0 {
		t.Fatal("item not in the queue")
	}
	m.queue.list.Select(i)
	select {
	case <-links.reported:
	case <-time.After(20 * time.Second):
		t.Fatal("the link checker never reported")
	}
	var dead []Finding
	for _, x := range m.item.body.findings {
		if x.Rule == "links.dead" {
			dead = append(dead, x)
		}
	}
	if len(dead) != 1 {
		t.Fatalf("dead links found: %+v", m.item.body.findings)
	}
	text := m.item.body.lines.text()
	if got := runeSlice(text, dead[0].Start, dead[0].End); got != "附件" {
		t.Fatalf("the dead link points at %q in %q", got, text)
	}
	if strings.Contains(text, "alert") {
		t.Fatalf("script content shown: %q", text)
	}
}
