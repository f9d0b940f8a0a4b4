package server

import (
	"fmt"
	"net/http"
	"testing"

	"sanshen/review"
)

// roleUser is the test user who holds exactly one role and submitted nothing.
var roleUser = map[review.Role]string{
	review.RoleSubmitter:      "sub2",
	review.RoleReviewer:       "rev",
	review.RoleHead:           "head",
	review.RoleSecrecyOfficer: "sec",
	review.RoleLeader:         "lead",
	review.RoleOffice:         "office",
}

// itemAt makes an item that waits at stage st. Items at the secrecy stage
// are reposts (rules art. 13); the others are not.
func (e *testEnv) itemAt(st review.Stage) string {
	e.t.Helper()
	extra := map[string]any{}
	if st == review.StageSecrecy {
		extra["repost_from"] = "https://www.gov.cn/zhengce/a.html"
	}
	id := e.submit("sub", extra)
	for _, s := range review.Stages {
		if s == st {
			return id
		}
		if s == review.StageSecrecy && extra["repost_from"] == nil {
			continue
		}
		e.decide(http.StatusCreated, roleUser[review.RoleFor(s)], id, review.ActionApprove)
	}
	return id
}

// TestRoleStageActionMatrix tries every role at every stage with every
// action. The expectation comes from the rules, not from the server: only
// the role that acts at a stage may decide there (DESIGN §2.5); approve
// moves to the next stage, return sends the item back to the submitter,
// reject ends it. A refused decision leaves no trace.
func TestRoleStageActionMatrix(t *testing.T) {
	e := newTestEnv(t)
	next := map[review.Stage]review.Stage{ // for items that are not reposts, except at secrecy
		review.StageFirst: review.StageSecond, review.StageSecond: review.StageFinal,
		review.StageSecrecy: review.StageFinal, review.StageFinal: review.StageFinal,
	}
	for _, st := range review.Stages {
		for _, role := range review.Roles {
			for _, act := range []review.Action{review.ActionApprove, review.ActionReturn, review.ActionReject} {
				t.Run(fmt.Sprintf("%s/%s/%s", st, role, act), func(t *testing.T) {
					e.t = t
					id := e.itemAt(st)
					before := e.item("office", id)
					evsBefore := len(e.events(id))
					want := http.StatusForbidden
					if review.RoleFor(st) == role {
						want = http.StatusCreated
					}
					r := e.decide(want, roleUser[role], id, act)
					after := e.item("office", id)
					if want != http.StatusCreated {
						if r.errCode() != "stage-role" {
							t.Errorf("refusal names %q, want stage-role", r.errCode())
						}
						if string(after.Raw) != string(before.Raw) || len(e.events(id)) != evsBefore {
							t.Errorf("a refused decision changed the item:\n%s\n%s", before.Raw, after.Raw)
						}
						return
					}
					switch act {
					case review.ActionApprove:
						wantStatus := "in_review"
						if st == review.StageFinal {
							wantStatus = "approved"
						}
						if after.str("stage") != string(next[st]) || after.str("status") != wantStatus {
							t.Errorf("after approve at %s: %s/%s, want %s/%s", st, after.str("stage"), after.str("status"), next[st], wantStatus)
						}
					case review.ActionReturn:
						if after.str("status") != "returned" || after.str("stage") != "first" {
							t.Errorf("after return: %s/%s", after.str("stage"), after.str("status"))
						}
					case review.ActionReject:
						if after.str("status") != "rejected" {
							t.Errorf("after reject: %s", after.str("status"))
						}
					}
				})
			}
		}
	}
	e.t = t
}

// TestStaleStageAndState: the role of another stage deciding at its own
// stage while the item is elsewhere gets 409, and so does anyone deciding
// on an item that is no longer in review.
func TestStaleStageAndState(t *testing.T) {
	e := newTestEnv(t)
	for _, st := range review.Stages {
		id := e.itemAt(st)
		for _, other := range review.Stages {
			if other == st {
				continue
			}
			r := e.decide(http.StatusConflict, roleUser[review.RoleFor(other)], id, review.ActionApprove, func(d map[string]any) {
				d["stage"] = string(other)
				d["disclosure"] = "proactive"
			})
			if r.errCode() != "stale-stage" {
				t.Errorf("item at %s, decision at %s: %s", st, other, r.Raw)
			}
		}
	}
	// Items that left the review.
	returned := e.itemAt(review.StageFirst)
	e.decide(http.StatusCreated, "rev", returned, review.ActionReturn)
	rejected := e.itemAt(review.StageSecond)
	e.decide(http.StatusCreated, "head", rejected, review.ActionReject)
	approved := e.itemAt(review.StageFinal)
	e.decide(http.StatusCreated, "lead", approved, review.ActionApprove)
	for _, id := range []string{returned, rejected, approved} {
		r := e.decide(http.StatusConflict, "rev", id, review.ActionApprove, func(d map[string]any) {
			d["stage"] = "first"
			d["disclosure"] = "proactive"
		})
		if r.errCode() != "not-in-review" {
			t.Errorf("decision on a finished item: %s", r.Raw)
		}
	}
	// Publishing needs an approved item.
	for _, id := range []string{returned, rejected, e.itemAt(review.StageFinal)} {
		e.must(http.StatusConflict, "office", "POST", "/api/v1/items/"+id+"/publish", nil)
	}
}

// TestOwnSubmission: a reviewer who also submits never reviews their own item.
func TestOwnSubmission(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("subrev", nil)
	r := e.decide(http.StatusForbidden, "subrev", id, review.ActionApprove)
	if r.errCode() != "own-submission" {
		t.Errorf("own submission: %s", r.Raw)
	}
	e.must(http.StatusForbidden, "subrev", "POST", "/api/v1/items/"+id+"/versions", map[string]any{"body": "改", "kind": "proofread"})
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
}

// TestWithheldNeverPublished: an item the first review withheld can be
// signed off but never published.
func TestWithheldNeverPublished(t *testing.T) {
	e := newTestEnv(t)
	id := e.submit("sub", nil)
	e.decide(http.StatusCreated, "rev", id, review.ActionApprove, func(d map[string]any) { d["disclosure"] = "withheld" })
	e.decide(http.StatusCreated, "head", id, review.ActionApprove)
	e.decide(http.StatusCreated, "lead", id, review.ActionApprove)
	r := e.must(http.StatusConflict, "office", "POST", "/api/v1/items/"+id+"/publish", nil)
	if r.errCode() != "publish-withheld" {
		t.Errorf("publishing a withheld item: %s", r.Raw)
	}
}
