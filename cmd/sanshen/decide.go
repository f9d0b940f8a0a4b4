package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"sanshen/client"
	"sanshen/review"
)

func init() {
	register(&command{
		Name: "decide",
		Usage: "decide ID --action approve|return|reject --verdicts political=pass,legal=pass,policy=pass,secrecy=pass,text=pass " +
			"[--disclosure proactive|on_request|withheld] [--reason TEXT] [--comment CHECK=TEXT]… [--dismiss FINDING=REASON]… [--json]",
		Help: "作出审核意见：先写入本机待发箱，再发送 / decide: committed to the local outbox first, then sent",
		Run:  runDecide,
	})
}

// keyValues is a repeatable KEY=VALUE flag.
type keyValues []string

func (k *keyValues) String() string     { return strings.Join(*k, ";") }
func (k *keyValues) Set(v string) error { *k = append(*k, v); return nil }

func runDecide(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "decide", "decide ID --action approve|return|reject --verdicts CHECK=VERDICT,… [--disclosure D] [--reason TEXT]")
	action := fs.String("action", "", "approve (通过), return (退回修改) or reject (不予发布)")
	verdicts := fs.String("verdicts", "", "the five checks, e.g. political=pass,legal=pass,policy=pass,secrecy=pass,text=pass (pass, fail, unsure)")
	disclosure := fs.String("disclosure", "", "proactive, on_request or withheld (required to approve at the first stage)")
	reason := fs.String("reason", "", "why the item is returned or rejected")
	var comments, dismissals keyValues
	fs.Var(&comments, "comment", "a comment on one check, `CHECK=TEXT` (repeatable)")
	fs.Var(&dismissals, "dismiss", "dismiss a secrecy finding, `FINDING=REASON` (repeatable)")
	asJSON := fs.Bool("json", false, `print the outbox entry as JSON {"id","item","action","state","message",…}`)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 || *action == "" {
		fs.Usage()
		return 2
	}
	id := pos[0]
	d, err := buildDecision(*action, *verdicts, *disclosure, *reason, comments, dismissals)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen decide: %v\n", err)
		return 2
	}
	s, code := openSession(ctx, e, "decide")
	if s == nil {
		return code
	}
	defer s.Close()
	// The stage, version and hash come from the cached item; fetch it when
	// it is not cached yet. A decision can still be made from the cached
	// queue's row (offline); Decide refuses with ErrNotCached when there is
	// neither, and then why the fetch failed is what to tell.
	var loadErr error
	if _, err := s.Item(ctx, id); errors.Is(err, client.ErrNotCached) {
		_, loadErr = loadItem(ctx, s, id, false)
	}
	entry, err := s.Decide(ctx, id, d)
	if err != nil && loadErr != nil && errors.Is(err, client.ErrNotCached) {
		fmt.Fprintf(e.Stderr, "sanshen decide: %v\n", loadErr)
		if errors.Is(loadErr, client.ErrNotFound) {
			return 1
		}
		return 2
	}
	if err != nil {
		if re, ok := review.AsRuleError(err); ok {
			fmt.Fprintf(e.Stderr, "sanshen decide: %s (%s): %s\n", tr("不符合审核规则，未保存 refused", "refused, nothing saved"), re.Rule,
				tr(re.MessageZH+" / "+re.Message, re.Message))
			return 1
		}
		fmt.Fprintf(e.Stderr, "sanshen decide: %v\n", err)
		if errors.Is(err, client.ErrAlreadyPending) {
			return 1
		}
		return 2
	}
	if *asJSON {
		if c := writeJSON(e, "decide", newOutboxJSON(entry)); c != 0 {
			return c
		}
	}
	where := fmt.Sprintf("%s (%s) — %s, %s v%d, %s %s", oneLine(entry.ItemTitle), entry.ItemID, entry.Decision.Action,
		stageName(string(entry.Decision.Stage)), entry.Decision.Version, tr("编号", "decision"), entry.ID)
	out := e.Stdout
	if *asJSON {
		out = e.Stderr
	}
	switch entry.State {
	case client.OutboxSent:
		fmt.Fprintf(out, "%s %s\n", tr("已接受 accepted：", "accepted:"), where)
		return 0
	case client.OutboxPending:
		if s.State().NeedSignIn {
			fmt.Fprintf(e.Stderr, "sanshen decide: %s %s\n", tr("已保存在待发箱，但登录已过期 saved in the outbox, sign in again：请运行 sanshen login 后 sanshen sync",
				"saved in the outbox, but the sign-in expired: run sanshen login, then sanshen sync"), where)
			return 2
		}
		fmt.Fprintf(out, "%s %s\n", tr("已排队（离线）queued offline：", "queued offline:"), where)
		fmt.Fprintf(e.Stderr, "%s (%s)\n", tr("联网后运行 sanshen sync 发送", "it is sent by sanshen sync when the server is reachable"), oneLine(entry.LastError))
		return 0
	case client.OutboxConflict:
		fmt.Fprintf(e.Stderr, "sanshen decide: %s (HTTP %d %s): %s\n", tr("冲突 conflict：稿件已变化", "conflict: the item changed"),
			entry.HTTPStatus, entry.Code, oneLine(entry.Message))
		hint := tr("审核意见已保留在待发箱，稿件已刷新；请在新版本上重新审核（sanshen show %s）",
			"the decision is kept in the outbox and the item was refreshed: decide again on the new version (sanshen show %s)")
		fmt.Fprintf(e.Stderr, hint+"\n", entry.ItemID)
		return 1
	default:
		fmt.Fprintf(e.Stderr, "sanshen decide: %s (HTTP %d %s): %s\n", tr("被拒绝 refused", "refused"), entry.HTTPStatus, entry.Code, oneLine(entry.Message))
		fmt.Fprintln(e.Stderr, tr("审核意见已保留在待发箱（sanshen outbox）", "the decision is kept in the outbox (sanshen outbox)"))
		return 1
	}
}

// buildDecision reads the decide flags into a decision (without id, stage,
// version and hash: the client fills them from the cache).
func buildDecision(action, verdicts, disclosure, reason string, comments, dismissals []string) (review.Decision, error) {
	d := review.Decision{Action: review.Action(action), Disclosure: review.Disclosure(disclosure), Reason: reason, Verdicts: review.Verdicts{}}
	if !d.Action.Valid() {
		return d, fmt.Errorf("--action must be approve, return or reject, not %q", action)
	}
	if disclosure != "" && !d.Disclosure.Valid() {
		return d, fmt.Errorf("--disclosure must be proactive, on_request or withheld, not %q", disclosure)
	}
	for _, kv := range strings.Split(verdicts, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		c, vd := review.Check(strings.TrimSpace(k)), review.Verdict(strings.TrimSpace(v))
		if !ok || !c.Valid() || !vd.Valid() {
			return d, fmt.Errorf("--verdicts: %q is not CHECK=VERDICT (checks: political, legal, policy, secrecy, text; verdicts: pass, fail, unsure)", kv)
		}
		if _, dup := d.Verdicts[c]; dup {
			return d, fmt.Errorf("--verdicts: %s is given twice", c)
		}
		d.Verdicts[c] = review.CheckResult{Verdict: vd}
	}
	// Every decision carries all five verdicts (rule five-checks): say so
	// now rather than queue a decision the server must refuse.
	var missing []string
	for _, c := range review.Checks {
		if _, ok := d.Verdicts[c]; !ok {
			missing = append(missing, string(c))
		}
	}
	if len(missing) > 0 {
		return d, fmt.Errorf("--verdicts: give a verdict for each of the five checks; missing: %s", strings.Join(missing, ", "))
	}
	for _, kv := range comments {
		k, v, ok := strings.Cut(kv, "=")
		c := review.Check(strings.TrimSpace(k))
		if !ok || !c.Valid() {
			return d, fmt.Errorf("--comment: %q is not CHECK=TEXT", kv)
		}
		r, has := d.Verdicts[c]
		if !has {
			return d, fmt.Errorf("--comment %s: give its verdict in --verdicts", c)
		}
		r.Comment = v
		d.Verdicts[c] = r
	}
	for _, kv := range dismissals {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return d, fmt.Errorf("--dismiss: %q is not FINDING=REASON", kv)
		}
		d.Dismissals = append(d.Dismissals, review.Dismissal{Finding: strings.TrimSpace(k), Reason: v})
	}
	return d, nil
}

var _ flag.Value = (*keyValues)(nil)
