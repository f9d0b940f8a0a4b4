package server

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"sanshen/review"
)

func countEvents(t *testing.T, e *testEnv, id string, kind review.EventKind) int {
	t.Helper()
	n := 0
	for _, ev := range e.events(id) {
		if ev["kind"] == string(kind) {
			n++
		}
	}
	return n
}

func TestDecisionRetryActsOnce(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", nil)
	d := e.decision(id, review.ActionApprove)
	first := e.must(http.StatusCreated, "rev", "POST", "/api/v1/items/"+id+"/decisions", d)
	again := e.must(http.StatusOK, "rev", "POST", "/api/v1/items/"+id+"/decisions", d)
	if string(first.Raw) != string(again.Raw) {
		t.Fatalf("the replay differs:\n%s\n%s", first.Raw, again.Raw)
	}
	if again.Header.Get("Idempotent-Replay") != "true" {
		t.Errorf("replay not marked")
	}
	// Even after the item moved on, the retry answers as the first time.
	e.decide(http.StatusCreated, "head", id, review.ActionApprove)
	late := e.must(http.StatusOK, "rev", "POST", "/api/v1/items/"+id+"/decisions", d)
	if string(late.Raw) != string(first.Raw) {
		t.Fatalf("a late replay differs")
	}
	if n := countEvents(t, e, id, review.EventApproved); n != 2 {
		t.Fatalf("%d approved events, want 2", n)
	}
	// The same id with another decision is refused.
	other := with(d, "reason", "另一条意见")
	r := e.must(http.StatusUnprocessableEntity, "rev", "POST", "/api/v1/items/"+id+"/decisions", other)
	if r.errCode() != "decision-id-reused" {
		t.Errorf("reused id: %s", r.Raw)
	}
	// Also by another user, or on another item.
	e.must(http.StatusUnprocessableEntity, "rev2", "POST", "/api/v1/items/"+id+"/decisions", d)
	id2 := e.submit("sub", nil)
	e.must(http.StatusUnprocessableEntity, "rev", "POST", "/api/v1/items/"+id2+"/decisions", d)
	// The id is case-insensitive: a UUID written in capitals is the same id.
	up := with(d, "id", strings.ToUpper(d["id"].(string)))
	e.must(http.StatusOK, "rev", "POST", "/api/v1/items/"+id+"/decisions", up)
}

func TestDecisionTenConcurrentRetries(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", nil)
	e.token("rev")
	d := e.decision(id, review.ActionApprove)
	var wg sync.WaitGroup
	results := make([]response, 10)
	for i := range results {
		wg.Go(func() { results[i] = e.do("rev", "POST", "/api/v1/items/"+id+"/decisions", d) })
	}
	wg.Wait()
	created := 0
	for _, r := range results {
		switch r.Status {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("status %d: %s", r.Status, r.Raw)
		}
		if string(r.Raw) != string(results[0].Raw) {
			t.Errorf("answers differ:\n%s\n%s", r.Raw, results[0].Raw)
		}
	}
	if created != 1 {
		t.Fatalf("%d answers were 201, want exactly 1", created)
	}
	if n := countEvents(t, e, id, review.EventApproved); n != 1 {
		t.Fatalf("%d approved events, want 1", n)
	}
	var rows int
	if err := e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM decisions WHERE item_id = ?`, id).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("%d stored decisions, want 1 (%v)", rows, err)
	}
}

// TestTwoReviewersRace: two reviewers decide the same item at once; one
// wins, the other learns it was too late, and nothing is half-written.
func TestTwoReviewersRace(t *testing.T) {
	e := newTestEnv(t)
	e.token("rev")
	e.token("rev2")
	for round := 0; round < 15; round++ {
		id := e.submit("sub", nil)
		acts := []review.Action{review.ActionApprove, review.ActionReturn}
		if round%3 == 1 {
			acts = []review.Action{review.ActionApprove, review.ActionApprove}
		} else if round%3 == 2 {
			acts = []review.Action{review.ActionReject, review.ActionReturn}
		}
		ds := []map[string]any{e.decision(id, acts[0]), e.decision(id, acts[1])}
		var wg sync.WaitGroup
		results := make([]response, 2)
		for i, user := range []string{"rev", "rev2"} {
			wg.Go(func() { results[i] = e.do(user, "POST", "/api/v1/items/"+id+"/decisions", ds[i]) })
		}
		wg.Wait()
		codes := []int{results[0].Status, results[1].Status}
		if !(codes[0] == 201 && codes[1] == 409 || codes[0] == 409 && codes[1] == 201) {
			t.Fatalf("round %d: statuses %v, want one 201 and one 409: %s %s", round, codes, results[0].Raw, results[1].Raw)
		}
		winner := 0
		if codes[1] == 201 {
			winner = 1
		}
		human := 0
		for _, ev := range e.events(id) {
			if ev["system"] == false && ev["kind"] != "submitted" {
				human++
				if ev["actor"] != []string{"rev", "rev2"}[winner] {
					t.Errorf("round %d: event by the loser: %v", round, ev)
				}
			}
		}
		if human != 1 {
			t.Errorf("round %d: %d decision events, want 1", round, human)
		}
		var stored int
		e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM decisions WHERE item_id = ?`, id).Scan(&stored)
		if stored != 1 {
			t.Errorf("round %d: %d stored decisions", round, stored)
		}
	}
}
