package server

import (
	"context"
	"fmt"
	"time"

	"sanshen/review"
)

// itemView is the JSON of an item as the API shows it to one user.
type itemView struct {
	ID                 string                  `json:"id"`
	Title              string                  `json:"title"`
	Column             string                  `json:"column"`
	Department         string                  `json:"department"`
	Submitter          string                  `json:"submitter"`
	Stage              review.Stage            `json:"stage"`
	Status             review.Status           `json:"status"`
	Disclosure         review.Disclosure       `json:"disclosure"`
	ProposedDisclosure review.Disclosure       `json:"proposed_disclosure"`
	RepostFrom         string                  `json:"repost_from"`
	Version            int                     `json:"version"`
	SHA256             string                  `json:"sha256"`
	ContentType        string                  `json:"content_type"`
	Versions           []versionView           `json:"versions"`
	Approvals          []review.Approval       `json:"approvals"`
	SecrecyFindings    []review.SecrecyFinding `json:"secrecy_findings"`
	SecrecyRoutes      []review.SecrecyRoute   `json:"secrecy_routes"`
	SecrecyRequired    bool                    `json:"secrecy_required"`
	AllowedActions     []review.Action         `json:"allowed_actions"`
	UpdatedAt          time.Time               `json:"updated_at"`
	PublishedAt        *time.Time              `json:"published_at"`
}

// versionView is one entry of itemView.Versions.
type versionView struct {
	Number      int                `json:"number"`
	SHA256      string             `json:"sha256"`
	Kind        review.VersionKind `json:"kind"`
	Author      string             `json:"author"`
	CreatedAt   time.Time          `json:"created_at"`
	ContentType string             `json:"content_type"`
	Title       string             `json:"title"`
}

// buildItemView makes the JSON of it for user u; version titles come from storage.
func buildItemView(ctx context.Context, q querier, it review.Item, u review.User) (itemView, error) {
	titles := map[int]string{}
	rows, err := q.QueryContext(ctx, `SELECT number, title FROM versions WHERE item_id = ?`, it.ID)
	if err != nil {
		return itemView{}, fmt.Errorf("version titles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var t string
		if err := rows.Scan(&n, &t); err != nil {
			return itemView{}, err
		}
		titles[n] = t
	}
	if err := rows.Err(); err != nil {
		return itemView{}, err
	}
	cur, _ := it.Current()
	v := itemView{
		ID: it.ID, Title: it.Title, Column: it.Column, Department: it.Department, Submitter: it.Submitter,
		Stage: it.Stage, Status: it.Status, Disclosure: it.Disclosure, ProposedDisclosure: it.ProposedDisclosure,
		RepostFrom: it.RepostFrom, Version: cur.Number, SHA256: cur.SHA256, ContentType: cur.ContentType,
		Versions: make([]versionView, 0, len(it.Versions)), Approvals: it.Approvals, SecrecyFindings: it.SecrecyFindings,
		SecrecyRoutes: it.SecrecyRoutes(), SecrecyRequired: it.SecrecyRequired(), AllowedActions: review.AllowedActions(it, u),
		UpdatedAt: it.UpdatedAt, PublishedAt: it.PublishedAt,
	}
	for _, ver := range it.Versions {
		v.Versions = append(v.Versions, versionView{Number: ver.Number, SHA256: ver.SHA256, Kind: ver.Kind, Author: ver.Author,
			CreatedAt: ver.CreatedAt, ContentType: ver.ContentType, Title: titles[ver.Number]})
	}
	if v.Approvals == nil {
		v.Approvals = []review.Approval{}
	}
	if v.SecrecyFindings == nil {
		v.SecrecyFindings = []review.SecrecyFinding{}
	}
	if v.SecrecyRoutes == nil {
		v.SecrecyRoutes = []review.SecrecyRoute{}
	}
	if v.AllowedActions == nil {
		v.AllowedActions = []review.Action{}
	}
	return v, nil
}

// eventView is the JSON of one audit event: every field always present.
type eventView struct {
	Seq     int64            `json:"seq"`
	At      time.Time        `json:"at"`
	Actor   string           `json:"actor"`
	System  bool             `json:"system"`
	Kind    review.EventKind `json:"kind"`
	Stage   review.Stage     `json:"stage"`
	Version int              `json:"version"`
	SHA256  string           `json:"sha256"`
	Detail  string           `json:"detail"`
}

func eventViews(evs []review.Event) []eventView {
	out := make([]eventView, 0, len(evs))
	for _, e := range evs {
		out = append(out, eventView{Seq: e.Seq, At: e.At, Actor: e.Actor, System: e.System, Kind: e.Kind, Stage: e.Stage,
			Version: e.Version, SHA256: e.SHA256, Detail: e.Detail})
	}
	return out
}

// queueEntry is one item of GET /api/v1/queue and GET /api/v1/items.
type queueEntry struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Column      string        `json:"column"`
	Department  string        `json:"department"`
	Submitter   string        `json:"submitter"`
	Stage       review.Stage  `json:"stage"`
	Status      review.Status `json:"status"`
	Version     int           `json:"version"`
	SHA256      string        `json:"sha256"`
	ContentType string        `json:"content_type"`
	UpdatedAt   time.Time     `json:"updated_at"`
}

// removedEntry marks an item that left the caller's queue since the cursor.
type removedEntry struct {
	ID      string `json:"id"`
	Removed bool   `json:"removed"`
}

func newQueueEntry(it review.Item) queueEntry {
	cur, _ := it.Current()
	return queueEntry{ID: it.ID, Title: it.Title, Column: it.Column, Department: it.Department, Submitter: it.Submitter,
		Stage: it.Stage, Status: it.Status, Version: cur.Number, SHA256: cur.SHA256, ContentType: cur.ContentType, UpdatedAt: it.UpdatedAt}
}
