package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"sanshen/review"
)

// loadItem reads an item's state.
func loadItem(ctx context.Context, q querier, id string) (review.Item, error) {
	var state string
	err := q.QueryRowContext(ctx, `SELECT state FROM items WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return review.Item{}, errNotFound("item")
	}
	if err != nil {
		return review.Item{}, fmt.Errorf("load item %s: %w", id, err)
	}
	var it review.Item
	if err := json.Unmarshal([]byte(state), &it); err != nil {
		return review.Item{}, fmt.Errorf("item %s: stored state: %w", id, err)
	}
	return it, nil
}

// versionRow is a version body about to be stored.
type versionRow struct {
	Number      int
	SHA256      string
	Title       string
	ContentType string
	Body        string
}

// persist stores an item's new state, its new version if any and its events,
// in the caller's transaction, and returns the events with their seq.
func persist(ctx context.Context, tx querier, it review.Item, created bool, v *versionRow, evs []review.Event) ([]review.Event, error) {
	state, err := json.Marshal(it)
	if err != nil {
		return nil, fmt.Errorf("item %s: %w", it.ID, err)
	}
	if created {
		_, err := tx.ExecContext(ctx, `INSERT INTO items(id, column_name, submitter, stage, status, created_at, updated_at, change_seq, state)
			VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)`, it.ID, it.Column, it.Submitter, string(it.Stage), string(it.Status),
			formatTime(it.UpdatedAt), formatTime(it.UpdatedAt), string(state))
		if err != nil {
			return nil, fmt.Errorf("insert item: %w", err)
		}
	}
	if v != nil {
		_, err := tx.ExecContext(ctx, `INSERT INTO versions(item_id, number, sha256, title, content_type, body) VALUES (?, ?, ?, ?, ?, ?)`,
			it.ID, v.Number, v.SHA256, v.Title, v.ContentType, v.Body)
		if err != nil {
			return nil, fmt.Errorf("insert version: %w", err)
		}
	}
	out := make([]review.Event, len(evs))
	var last int64
	for i, e := range evs {
		sys := 0
		if e.System {
			sys = 1
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO events(item_id, at, actor, system, kind, stage, version, sha256, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, it.ID, formatTime(e.At), e.Actor, sys, string(e.Kind), string(e.Stage), e.Version, e.SHA256, e.Detail)
		if err != nil {
			return nil, fmt.Errorf("insert event: %w", err)
		}
		if last, err = res.LastInsertId(); err != nil {
			return nil, fmt.Errorf("insert event: %w", err)
		}
		e.Seq = last
		out[i] = e
	}
	_, err = tx.ExecContext(ctx, `UPDATE items SET stage = ?, status = ?, updated_at = ?, change_seq = MAX(change_seq, ?), state = ? WHERE id = ?`,
		string(it.Stage), string(it.Status), formatTime(it.UpdatedAt), last, string(state), it.ID)
	if err != nil {
		return nil, fmt.Errorf("update item: %w", err)
	}
	return out, nil
}

// canonicalBody checks and canonicalises a submitted body.
func canonicalBody(body, contentType string) (canonical, sha, ct string, err error) {
	ct = strings.TrimSpace(strings.ToLower(contentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 { // "text/html; charset=utf-8"
		ct = strings.TrimSpace(ct[:i])
	}
	if ct != review.ContentPlain && ct != review.ContentHTML {
		return "", "", "", newAPIError(http.StatusUnprocessableEntity, "content-type",
			fmt.Sprintf("content_type %q is not text/plain or text/html", contentType),
			fmt.Sprintf("内容类型 %q 不是 text/plain 或 text/html", contentType))
	}
	canonical, sha, err = review.Hash(body)
	if errors.Is(err, review.ErrInvalidUTF8) {
		return "", "", "", newAPIError(http.StatusBadRequest, "invalid-utf8", "the body is not valid UTF-8", "正文不是有效的 UTF-8 编码")
	}
	if err != nil {
		return "", "", "", err
	}
	if strings.TrimSpace(canonical) == "" {
		return "", "", "", newAPIError(http.StatusUnprocessableEntity, "body-required", "the body is empty", "正文不能为空")
	}
	return canonical, sha, ct, nil
}

func checkTitle(title string) (string, error) {
	title = strings.TrimSpace(title)
	if !utf8.ValidString(title) {
		return "", newAPIError(http.StatusBadRequest, "invalid-utf8", "the title is not valid UTF-8", "标题不是有效的 UTF-8 编码")
	}
	if utf8.RuneCountInString(title) > MaxTitleRunes {
		return "", newAPIError(http.StatusUnprocessableEntity, "title-too-long",
			fmt.Sprintf("the title has more than %d characters", MaxTitleRunes), fmt.Sprintf("标题超过 %d 个字符", MaxTitleRunes))
	}
	return title, nil
}

func (s *Server) scan(body, contentType string) []review.SecrecyFinding {
	if s.cfg.SecrecyScan == nil {
		return nil
	}
	return s.cfg.SecrecyScan(body, contentType)
}

// createItemRequest is the body of POST /api/v1/items.
type createItemRequest struct {
	Title              string            `json:"title"`
	Column             string            `json:"column"`
	Body               string            `json:"body"`
	ContentType        string            `json:"content_type"`
	RepostFrom         string            `json:"repost_from"`
	ProposedDisclosure review.Disclosure `json:"proposed_disclosure"`
	Department         string            `json:"department"`
}

// createItem submits a new item: version 1 at the first stage.
func (s *Server) createItem(ctx context.Context, u review.User, req createItemRequest, now time.Time) (review.Item, error) {
	if !u.Has(review.RoleSubmitter) {
		return review.Item{}, &review.RuleError{Kind: review.KindForbidden, Rule: "submitter-role",
			Message: "only a submitter may submit items", MessageZH: "只有撰稿人可以提交稿件"}
	}
	if req.ContentType == "" {
		req.ContentType = review.ContentPlain
	}
	title, err := checkTitle(req.Title)
	if err != nil {
		return review.Item{}, err
	}
	body, sha, ct, err := canonicalBody(req.Body, req.ContentType)
	if err != nil {
		return review.Item{}, err
	}
	findings := s.scan(body, ct)
	var it review.Item
	err = s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		col, err := loadColumn(ctx, tx, req.Column)
		if err != nil {
			return err
		}
		if col.closedAt(now) {
			return newAPIError(http.StatusUnprocessableEntity, "column-closed",
				fmt.Sprintf("the special column %s ended on %s and takes no new items", col.Name, col.EndDate),
				fmt.Sprintf("专题栏目“%s”已于 %s 结束，不再接收新稿件", col.Name, col.EndDate))
		}
		// The department that provides the item and answers for it (谁提供、谁负责).
		dept := strings.TrimSpace(req.Department)
		if dept == "" {
			dept = u.Department
		}
		if dept == "" {
			dept = col.Department
		}
		draft := review.Draft{
			ID: uuid.NewString(), Title: title, Column: col.Name, Department: dept,
			RepostFrom: strings.TrimSpace(req.RepostFrom), ProposedDisclosure: req.ProposedDisclosure,
			Version: review.NewVersion{SHA256: sha, ContentType: ct, SecrecyFindings: findings},
		}
		var evs []review.Event
		it, evs, err = review.Submit(u, draft, now)
		if err != nil {
			return err
		}
		_, err = persist(ctx, tx, it, true, &versionRow{Number: 1, SHA256: sha, Title: title, ContentType: ct, Body: body}, evs)
		return err
	})
	return it, err
}

// addVersionRequest is the body of POST /api/v1/items/{id}/versions.
type addVersionRequest struct {
	Body        string             `json:"body"`
	Kind        review.VersionKind `json:"kind"`
	Title       string             `json:"title"`        // optional: a new title
	ContentType string             `json:"content_type"` // optional: the current version's
}

// addVersion stores a resubmission (after a return) or a proofread.
func (s *Server) addVersion(ctx context.Context, u review.User, id string, req addVersionRequest, now time.Time) (review.Item, error) {
	if req.Kind != review.KindSubmission && req.Kind != review.KindProofread {
		return review.Item{}, newAPIError(http.StatusUnprocessableEntity, "version-kind",
			fmt.Sprintf("kind %q is neither submission nor proofread", req.Kind),
			fmt.Sprintf("版本类型 %q 应为 submission（重新提交）或 proofread（校对）", req.Kind))
	}
	title, err := checkTitle(req.Title)
	if err != nil {
		return review.Item{}, err
	}
	// The body is checked and scanned before the write transaction, so that
	// a slow scan holds up no other writer.
	ct := req.ContentType
	if ct == "" {
		it, err := loadItem(ctx, s.reads, id)
		if err != nil {
			return review.Item{}, err
		}
		cur, _ := it.Current()
		ct = cur.ContentType
	}
	body, sha, ct, err := canonicalBody(req.Body, ct)
	if err != nil {
		return review.Item{}, err
	}
	nv := review.NewVersion{SHA256: sha, ContentType: ct, SecrecyFindings: s.scan(body, ct)}
	var after review.Item
	err = s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		it, err := loadItem(ctx, tx, id)
		if err != nil {
			return err
		}
		cur, _ := it.Current()
		var evs []review.Event
		if req.Kind == review.KindSubmission {
			after, evs, err = review.Resubmit(it, u, nv, now)
		} else {
			after, evs, err = review.Proofread(it, u, nv, now)
			if err == nil && sha == cur.SHA256 && (title == "" || title == it.Title) {
				err = newAPIError(http.StatusUnprocessableEntity, "proofread-unchanged",
					"the proofread text is the same as the current version", "校对后的正文与当前版本相同")
			}
		}
		if err != nil {
			return err
		}
		if title != "" {
			after.Title = title
		}
		nvCur, _ := after.Current()
		_, err = persist(ctx, tx, after, false, &versionRow{Number: nvCur.Number, SHA256: sha, Title: after.Title, ContentType: ct, Body: body}, evs)
		return err
	})
	return after, err
}

// decisionRecord is how a decision's request is remembered, to tell a retry
// (same id, same request) from a reuse of the id (same id, other request).
type decisionRecord struct {
	Item     string          `json:"item"`
	User     string          `json:"user"`
	Decision review.Decision `json:"decision"`
}

// decisionResponse is the body of a decision's 201 and of its replays.
type decisionResponse struct {
	Decision review.Decision `json:"decision"`
	Item     itemView        `json:"item"`
	Events   []eventView     `json:"events"`
}

// decide applies a decision once. A retry with the same id and the same
// request returns the first answer with 200; the same id with another
// request is refused (422 decision-id-reused).
func (s *Server) decide(ctx context.Context, u review.User, id string, d review.Decision, now time.Time) (status int, body []byte, err error) {
	if _, perr := uuid.Parse(d.ID); perr != nil {
		return 0, nil, newAPIError(http.StatusUnprocessableEntity, "decision-id",
			fmt.Sprintf("the decision needs an id that is a UUID made by the client, not %q", d.ID),
			"审核意见须带有客户端生成的 UUID 作为 id")
	}
	d.ID = strings.ToLower(d.ID)
	rec, err := json.Marshal(decisionRecord{Item: id, User: u.Username, Decision: d})
	if err != nil {
		return 0, nil, err
	}
	err = s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		var prevReq, prevResp string
		err := tx.QueryRowContext(ctx, `SELECT request, response FROM decisions WHERE id = ?`, d.ID).Scan(&prevReq, &prevResp)
		switch {
		case err == nil:
			if prevReq != string(rec) {
				return newAPIError(http.StatusUnprocessableEntity, "decision-id-reused",
					"this decision id was already used for a different decision; make a new id for a new decision",
					"该审核意见编号已用于另一条审核意见，新的审核意见须使用新的编号")
			}
			status, body = http.StatusOK, []byte(prevResp)
			return nil
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("look up decision: %w", err)
		}
		it, err := loadItem(ctx, tx, id)
		if err != nil {
			return err
		}
		after, evs, err := review.Decide(it, u, d, now)
		if err != nil {
			return err
		}
		stored, err := persist(ctx, tx, after, false, nil, evs)
		if err != nil {
			return err
		}
		view, err := buildItemView(ctx, tx, after, u)
		if err != nil {
			return err
		}
		resp := decisionResponse{Decision: d, Item: view, Events: eventViews(stored)}
		if resp.Decision.Verdicts == nil {
			resp.Decision.Verdicts = review.Verdicts{}
		}
		body, err = json.Marshal(resp)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO decisions(id, item_id, username, request, response, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, id, u.Username, string(rec), string(body), formatTime(now)); err != nil {
			return fmt.Errorf("store decision: %w", err)
		}
		status = http.StatusCreated
		return nil
	})
	if err != nil {
		return 0, nil, err
	}
	return status, body, nil
}

// publish marks an approved item published. wantSHA, when given, must be the
// current version's hash.
func (s *Server) publish(ctx context.Context, u review.User, id, wantSHA string, now time.Time) (review.Item, error) {
	var after review.Item
	err := s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		it, err := loadItem(ctx, tx, id)
		if err != nil {
			return err
		}
		var evs []review.Event
		after, evs, err = review.Publish(it, u, now)
		if err != nil {
			return err
		}
		if cur, _ := it.Current(); wantSHA != "" && wantSHA != cur.SHA256 {
			return &review.RuleError{Kind: review.KindConflict, Rule: "publish-hash",
				Message:   fmt.Sprintf("the request names %.12s, the current version is %.12s", wantSHA, cur.SHA256),
				MessageZH: "发布请求指定的版本与当前版本不一致"}
		}
		_, err = persist(ctx, tx, after, false, nil, evs)
		return err
	})
	return after, err
}

// storedVersion is a version with its body.
type storedVersion struct {
	review.Version
	Title string `json:"title"`
	Body  string `json:"body"`
}

func (s *Server) loadVersion(ctx context.Context, id string, n int) (storedVersion, error) {
	it, err := loadItem(ctx, s.reads, id)
	if err != nil {
		return storedVersion{}, err
	}
	if n < 1 || n > len(it.Versions) {
		return storedVersion{}, errNotFound("version")
	}
	v := storedVersion{Version: it.Versions[n-1]}
	err = s.reads.QueryRowContext(ctx, `SELECT title, content_type, body FROM versions WHERE item_id = ? AND number = ?`, id, n).
		Scan(&v.Title, &v.ContentType, &v.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return storedVersion{}, errNotFound("version")
	}
	if err != nil {
		return storedVersion{}, fmt.Errorf("load version: %w", err)
	}
	return v, nil
}

// itemEvents returns an item's audit events after seq (0: all).
func (s *Server) itemEvents(ctx context.Context, id string, after int64) ([]review.Event, error) {
	var n int
	if err := s.reads.QueryRowContext(ctx, `SELECT COUNT(*) FROM items WHERE id = ?`, id).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errNotFound("item")
	}
	rows, err := s.reads.QueryContext(ctx, `SELECT seq, at, actor, system, kind, stage, version, sha256, detail
		FROM events WHERE item_id = ? AND seq > ? ORDER BY seq`, id, after)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	defer rows.Close()
	var out []review.Event
	for rows.Next() {
		var e review.Event
		var at, kind, stage string
		var sys int
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &sys, &kind, &stage, &e.Version, &e.SHA256, &e.Detail); err != nil {
			return nil, err
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, err
		}
		e.System, e.Kind, e.Stage = sys == 1, review.EventKind(kind), review.Stage(stage)
		out = append(out, e)
	}
	return out, rows.Err()
}

// queueStages returns the stages u's roles act at.
func queueStages(u review.User) []string {
	var out []string
	for _, st := range review.Stages {
		if u.CanActAt(st) {
			out = append(out, string(st))
		}
	}
	return out
}

// inQueue reports whether it waits for u: in review, at a stage u's roles act
// at, not submitted by u.
func inQueue(it review.Item, u review.User) bool {
	return it.Status == review.StatusInReview && u.CanActAt(it.Stage) && it.Submitter != u.Username
}

// queueResult is a queue read at one snapshot.
type queueResult struct {
	Items   []review.Item // in the queue
	Removed []string      // changed since the cursor and not in the queue
	Cursor  int64
	Full    bool // the whole queue (no cursor, or a cursor from another database)
}

// queue returns u's queue, whole or changed since cursor since (-1: whole).
func (s *Server) queue(ctx context.Context, u review.User, since int64) (queueResult, error) {
	var res queueResult
	err := s.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM events`).Scan(&res.Cursor); err != nil {
			return fmt.Errorf("queue cursor: %w", err)
		}
		if since > res.Cursor {
			since = -1 // a cursor from another (older or reset) database
		}
		var rows *sql.Rows
		var err error
		if since < 0 {
			res.Full = true
			stages := queueStages(u)
			if len(stages) == 0 {
				return nil
			}
			args := []any{string(review.StatusInReview), u.Username}
			for _, st := range stages {
				args = append(args, st)
			}
			rows, err = tx.QueryContext(ctx, `SELECT state FROM items WHERE status = ? AND submitter <> ? AND stage IN (?`+
				strings.Repeat(", ?", len(stages)-1)+`) ORDER BY updated_at, id`, args...)
		} else {
			rows, err = tx.QueryContext(ctx, `SELECT state FROM items WHERE change_seq > ? ORDER BY updated_at, id`, since)
		}
		if err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var state string
			if err := rows.Scan(&state); err != nil {
				return err
			}
			var it review.Item
			if err := json.Unmarshal([]byte(state), &it); err != nil {
				return fmt.Errorf("queue: stored state: %w", err)
			}
			if inQueue(it, u) {
				res.Items = append(res.Items, it)
			} else if !res.Full {
				res.Removed = append(res.Removed, it.ID)
			}
		}
		return rows.Err()
	})
	return res, err
}

// itemFilter selects items for GET /api/v1/items.
type itemFilter struct {
	Statuses  []string
	Column    string
	Submitter string
	Limit     int
}

func (s *Server) listItems(ctx context.Context, f itemFilter) ([]review.Item, error) {
	q := `SELECT state FROM items WHERE 1 = 1`
	var args []any
	if len(f.Statuses) > 0 {
		q += ` AND status IN (?` + strings.Repeat(", ?", len(f.Statuses)-1) + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Column != "" {
		q += ` AND column_name = ?`
		args = append(args, f.Column)
	}
	if f.Submitter != "" {
		q += ` AND submitter = ?`
		args = append(args, f.Submitter)
	}
	q += ` ORDER BY updated_at DESC, id LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list items: %w", err)
	}
	defer rows.Close()
	var out []review.Item
	for rows.Next() {
		var state string
		if err := rows.Scan(&state); err != nil {
			return nil, err
		}
		var it review.Item
		if err := json.Unmarshal([]byte(state), &it); err != nil {
			return nil, fmt.Errorf("list items: stored state: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}
