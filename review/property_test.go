package review

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestPropertyRandomWalks drives items with random decisions, proofreads,
// resubmissions and publications by random users, and checks the invariants
// after every accepted step:
//   - an item is never approved or published without a final sign-off naming
//     the current version and hash;
//   - no stage is skipped: each approval of a round follows the approval of
//     the stage before it, and the secrecy stage is approved whenever it was
//     triggered;
//   - nobody decides on their own submission;
//   - returned and rejected items take no decisions.
func TestPropertyRandomWalks(t *testing.T) {
	users := []User{
		{Username: "sub", Roles: []Role{RoleSubmitter}, Department: "宣传处"},
		{Username: "rev", Roles: []Role{RoleReviewer}},
		{Username: "rev2", Roles: []Role{RoleReviewer, RoleSubmitter}, Department: "宣传处"},
		{Username: "head", Roles: []Role{RoleHead}},
		{Username: "sec", Roles: []Role{RoleSecrecyOfficer}},
		{Username: "lead", Roles: []Role{RoleLeader}},
		{Username: "multi", Roles: []Role{RoleReviewer, RoleHead, RoleSecrecyOfficer, RoleLeader}},
		{Username: "off", Roles: []Role{RoleOffice}},
	}
	verdicts := []Verdict{VerdictPass, VerdictPass, VerdictPass, VerdictFail, VerdictUnsure, "bogus"}
	disclosures := []Disclosure{DisclosureProactive, DisclosureOnRequest, DisclosureWithheld, DisclosureNone, "x"}
	const walks, steps = 3000, 60
	accepted := map[string]int{}
	for w := 0; w < walks; w++ {
		rng := rand.New(rand.NewPCG(uint64(w), 42))
		author := users[0]
		if rng.IntN(4) == 0 {
			author = users[2]
		}
		repost := ""
		if rng.IntN(5) == 0 {
			repost = "www.gov.cn"
		}
		var findings []SecrecyFinding
		if rng.IntN(5) == 0 {
			findings = []SecrecyFinding{{Key: "f1", Rule: "secrecy.marker", Excerpt: "机密"}}
		}
		nver := 1
		it, _, err := Submit(author, Draft{ID: "x", Title: "t", Column: "c", RepostFrom: repost,
			Version: NewVersion{SHA256: sha(fmt.Sprint(w, nver)), ContentType: ContentPlain, SecrecyFindings: findings}}, t0)
		if err != nil {
			t.Fatal(err)
		}
		for s := 0; s < steps; s++ {
			u := users[rng.IntN(len(users))]
			prev := it
			var next Item
			var err error
			var what string
			switch op := rng.IntN(20); {
			case op < 15:
				cur, _ := it.Current()
				d := Decision{Stage: Stages[rng.IntN(len(Stages))], Version: cur.Number, SHA256: cur.SHA256,
					Action:   []Action{ActionApprove, ActionApprove, ActionApprove, ActionReturn, ActionReject}[rng.IntN(5)],
					Verdicts: Verdicts{}, Disclosure: disclosures[rng.IntN(len(disclosures))]}
				if rng.IntN(3) > 0 {
					d.Stage = it.Stage
				}
				if rng.IntN(10) == 0 {
					d.Version--
				}
				for _, c := range Checks {
					v := VerdictPass
					if rng.IntN(6) == 0 {
						v = verdicts[rng.IntN(len(verdicts))]
					}
					d.Verdicts[c] = CheckResult{Verdict: v}
				}
				if rng.IntN(3) > 0 {
					d.Reason = "理由"
				}
				if len(it.SecrecyFindings) > 0 && rng.IntN(4) == 0 {
					d.Dismissals = []Dismissal{{Finding: "f1", Reason: []string{"", "不涉密"}[rng.IntN(2)]}}
				}
				what = "decide " + string(d.Action) + " at " + string(d.Stage)
				next, _, err = Decide(it, u, d, t0)
				if err == nil && u.Username == it.Submitter {
					t.Fatalf("walk %d: %s decided on own submission", w, u.Username)
				}
				if err == nil && prev.Status != StatusInReview {
					t.Fatalf("walk %d: decision accepted on a %s item", w, prev.Status)
				}
			case op < 17:
				nver++
				var f []SecrecyFinding
				if rng.IntN(4) == 0 {
					f = []SecrecyFinding{{Key: fmt.Sprint("f", rng.IntN(2)+1), Rule: "secrecy.id", Excerpt: "x"}}
				}
				what = "proofread"
				next, _, err = Proofread(it, u, NewVersion{SHA256: sha(fmt.Sprint(w, nver)), ContentType: ContentPlain, SecrecyFindings: f}, t0)
			case op < 19:
				nver++
				what = "resubmit"
				next, _, err = Resubmit(it, u, NewVersion{SHA256: sha(fmt.Sprint(w, nver)), ContentType: ContentPlain}, t0)
			default:
				what = "publish"
				next, _, err = Publish(it, u, t0)
			}
			if err != nil {
				if _, ok := AsRuleError(err); !ok {
					t.Fatalf("walk %d: %s returned an untyped error %v", w, what, err)
				}
				continue
			}
			accepted[what]++
			it = next
			checkInvariants(t, w, it)
		}
	}
	for _, k := range []string{"decide approve at final", "publish", "proofread", "resubmit", "decide return at first"} {
		if accepted[k] == 0 {
			t.Errorf("the walks never exercised %q: %v", k, accepted)
		}
	}
}

func checkInvariants(t *testing.T, w int, it Item) {
	t.Helper()
	cur, _ := it.Current()
	if it.Status == StatusApproved || it.Status == StatusPublished {
		so, ok := it.FinalSignOff()
		if !ok || so.SHA256 != cur.SHA256 || so.Version != cur.Number {
			t.Fatalf("walk %d: %s without a sign-off on the current hash: %+v", w, it.Status, it.Approvals)
		}
	}
	if it.Status == StatusPublished && it.Disclosure == DisclosureWithheld {
		t.Fatalf("walk %d: a withheld item was published", w)
	}
	// Approvals of the round follow the stage order without gaps (secrecy may
	// be absent only when it was never required). Re-approvals of secrecy after
	// a reroute are allowed.
	want := 0
	for _, a := range it.Approvals {
		if a.User == it.Submitter {
			t.Fatalf("walk %d: %s approved their own submission", w, a.User)
		}
		idx := a.Stage.order()
		if idx == want || (a.Stage == StageSecrecy && want == 3) {
			want = idx + 1
			continue
		}
		if idx == 3 && want == 2 && !requiredEver(it) {
			want = 4
			continue
		}
		t.Fatalf("walk %d: approval at %s out of order in %+v", w, a.Stage, it.Approvals)
	}
	if it.Status == StatusApproved && requiredEver(it) {
		if _, ok := it.approvalAt(StageSecrecy); !ok {
			t.Fatalf("walk %d: secrecy was triggered but never approved", w)
		}
	}
	// The stage the item waits at is consistent with its approvals.
	if it.Status == StatusInReview && want != it.Stage.order() && !(it.Stage == StageSecrecy && want == 3) && !(it.Stage == StageFinal && want == 2) {
		t.Fatalf("walk %d: item waits at %s after approvals %+v", w, it.Stage, it.Approvals)
	}
}

// requiredEver reports whether anything in the round triggered the secrecy stage.
func requiredEver(it Item) bool {
	if it.RepostFrom != "" || len(it.Unsure) > 0 {
		return true
	}
	for _, f := range it.SecrecyFindings {
		if f.Open() || f.DismissedBy != "" && f.DismissReason == "passed secrecy review 保密审查通过" {
			return true
		}
	}
	return false
}
