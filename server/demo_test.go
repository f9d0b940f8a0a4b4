package server

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sanshen/review"
)

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Config{DBPath: filepath.Join(t.TempDir(), "demo.db"), InsecureFastPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.SeedDemo(ctx, "demo-password"); err != nil {
		t.Fatal(err)
	}
	if err := s.SeedDemo(ctx, "demo-password"); !errors.Is(err, ErrAlreadySeeded) {
		t.Fatalf("second seeding: %v", err)
	}
	items, err := s.listItems(ctx, itemFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) < 30 {
		t.Fatalf("%d demo items, want at least 30", len(items))
	}
	at := map[string]int{}
	multi, reposts, html, script := 0, 0, 0, 0
	for _, it := range items {
		key := string(it.Status)
		if it.Status == review.StatusInReview {
			key = string(it.Stage)
		}
		at[key]++
		if len(it.Versions) >= 2 {
			multi++
		}
		if it.RepostFrom != "" {
			reposts++
		}
		for _, v := range it.Versions {
			if v.ContentType == review.ContentHTML {
				html++
				sv, err := s.loadVersion(ctx, it.ID, v.Number)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(sv.Body, "<script>") {
					script++
				}
			}
		}
		if !strings.ContainsFunc(it.Title, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("demo title not in Chinese: %q", it.Title)
		}
	}
	for _, k := range []string{"first", "second", "secrecy", "final", "approved", "published", "returned", "rejected"} {
		if at[k] < 1 || (k != "rejected" && k != "returned" && at[k] < 3) {
			t.Errorf("%d demo items at %s, want a few", at[k], k)
		}
	}
	if multi < 4 || reposts < 1 || html < 3 || script < 1 {
		t.Errorf("multi-version %d, reposts %d, HTML %d, with script %d", multi, reposts, html, script)
	}
	// The planted problems for the pre-checks are there.
	var bodies strings.Builder
	for _, di := range demoItems() {
		bodies.WriteString(di.Body)
	}
	for _, planted := range []string{"120101198506123215", "既使", "按装", "内部资料", "http://127.0.0.1:9/notice.html", "委,各", "[2026]"} {
		if !strings.Contains(bodies.String(), planted) {
			t.Errorf("planted problem %q is missing", planted)
		}
	}
	// Demo users log in with the password, and the events are real.
	hs := httptestServer(t, s)
	e := &testEnv{t: t, srv: s, http: hs, tokens: map[string]string{}}
	for _, u := range DemoUsernames() {
		r := e.do("", "POST", "/api/v1/login", map[string]string{"username": u, "password": "demo-password"})
		if r.Status != http.StatusOK {
			t.Errorf("demo user %s cannot log in: %s", u, r.Raw)
		}
	}
	cols, err := s.Columns(ctx)
	if err != nil || len(cols) != 7 || cols[6].Kind != ColumnSpecial || cols[6].Closed {
		t.Errorf("demo columns: %+v %v", cols, err)
	}
	for _, it := range items {
		if it.Status == review.StatusPublished {
			evs, err := s.itemEvents(ctx, it.ID, 0)
			if err != nil {
				t.Fatal(err)
			}
			if evs[len(evs)-1].Kind != review.EventPublished || evs[len(evs)-1].At.After(time.Now()) {
				t.Errorf("published demo item's last event: %+v", evs[len(evs)-1])
			}
		}
	}
}
