package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"sanshen/review"
)

// benchSetup starts a server on a real SQLite file and loopback HTTP, with n
// items waiting at the first stage, and returns the reviewer's token.
func benchSetup(b *testing.B, n int) (base, token string, items []review.Item) {
	b.Helper()
	ctx := context.Background()
	s, err := Open(ctx, Config{DBPath: filepath.Join(b.TempDir(), "bench.db"), InsecureFastPasswords: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sub := review.User{Username: "sub", Roles: []review.Role{review.RoleSubmitter}, Department: "宣传教育处"}
	for _, u := range []struct {
		name string
		role review.Role
	}{{"sub", review.RoleSubmitter}, {"rev", review.RoleReviewer}} {
		if err := s.AddUser(ctx, u.name, u.name, testPassword, []review.Role{u.role}, "宣传教育处"); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range demoColumns(time.Now()) {
		if err := s.AddColumn(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		it, err := s.createItem(ctx, sub, createItemRequest{Title: fmt.Sprintf("稿件 %d", i), Column: "新闻动态",
			Body: "市城市管理委召开燃气安全工作推进会，部署下一阶段重点工作。"}, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		items = append(items, it)
	}
	hs := httptest.NewServer(s.Handler())
	b.Cleanup(hs.Close)
	body, _ := json.Marshal(map[string]string{"username": "rev", "password": testPassword})
	resp, err := http.Post(hs.URL+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	var lr loginResponse
	json.NewDecoder(resp.Body).Decode(&lr)
	resp.Body.Close()
	return hs.URL, lr.Token, items
}

func postDecision(client *http.Client, base, token string, it review.Item) error {
	cur, _ := it.Current()
	v := review.Verdicts{}
	for _, c := range review.Checks {
		v[c] = review.CheckResult{Verdict: review.VerdictPass}
	}
	d := review.Decision{ID: uuid.NewString(), Stage: review.StageFirst, Version: cur.Number, SHA256: cur.SHA256,
		Action: review.ActionApprove, Verdicts: v, Disclosure: review.DisclosureProactive}
	body, _ := json.Marshal(d)
	req, _ := http.NewRequest("POST", base+"/api/v1/items/"+it.ID+"/decisions", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("decision: status %d", resp.StatusCode)
	}
	return nil
}

// BenchmarkDurableDecisions posts approvals one after another over loopback
// HTTP; each is committed (fsync, synchronous=FULL) before the 201.
func BenchmarkDurableDecisions(b *testing.B) {
	base, token, items := benchSetup(b, b.N)
	client := &http.Client{}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := postDecision(client, base, token, items[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}

// BenchmarkDurableDecisionsParallel is the same with concurrent clients
// (GOMAXPROCS × 4): the writer commits the decisions waiting at once in one
// group.
func BenchmarkDurableDecisionsParallel(b *testing.B) {
	base, token, items := benchSetup(b, b.N)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1) - 1
			if err := postDecision(client, base, token, items[i]); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}
