package server

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Column kinds (DESIGN §2.7).
const (
	ColumnNews      = "news"
	ColumnNotice    = "notice"
	ColumnPolicy    = "policy"
	ColumnPersonnel = "personnel"
	ColumnPlanning  = "planning"
	ColumnService   = "service"
	ColumnSpecial   = "special" // 专题: has an end date
)

// Update rules (rules art. 12).
const (
	UpdateWeekly     = "weekly"      // news: at least weekly
	UpdateQuarterly  = "quarterly"   // policy documents: at least quarterly
	UpdateHalfYearly = "half_yearly" // personnel, planning and statistics: at least half-yearly
	UpdateTimely     = "timely"      // statutory disclosure, services: as events require
)

// Column is a section of the portal with its responsible department and
// person (art. 15) and its update rule (art. 12).
type Column struct {
	Name       string `json:"name"`
	Kind       string `json:"kind"`
	Department string `json:"department"`
	Person     string `json:"person"`
	UpdateRule string `json:"update_rule"`
	EndDate    string `json:"end_date,omitempty"` // YYYY-MM-DD, special columns only
	Closed     bool   `json:"closed"`             // a special column past its end date
}

// closedAt reports whether a special column has ended at now (the end date
// is the last day it takes items, in the server's local time).
func (c Column) closedAt(now time.Time) bool {
	if c.EndDate == "" {
		return false
	}
	end, err := time.ParseInLocation("2006-01-02", c.EndDate, now.Location())
	if err != nil {
		return false
	}
	return !now.Before(end.AddDate(0, 0, 1))
}

// AddColumn creates or replaces a column.
func (s *Server) AddColumn(ctx context.Context, c Column) error {
	if strings.TrimSpace(c.Name) == "" || c.Department == "" || c.Person == "" {
		return errors.New("a column needs a name, a responsible department and a responsible person")
	}
	switch c.UpdateRule {
	case UpdateWeekly, UpdateQuarterly, UpdateHalfYearly, UpdateTimely:
	default:
		return fmt.Errorf("column %s: unknown update rule %q", c.Name, c.UpdateRule)
	}
	if c.Kind == ColumnSpecial {
		if _, err := time.Parse("2006-01-02", c.EndDate); err != nil {
			return fmt.Errorf("column %s: a special column needs an end date YYYY-MM-DD: %w", c.Name, err)
		}
	}
	err := s.inWriteTx(ctx, func(ctx context.Context, tx querier) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO columns(name, kind, department, person, update_rule, end_date, position)
		VALUES (?, ?, ?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM columns))
		ON CONFLICT(name) DO UPDATE SET kind = excluded.kind, department = excluded.department, person = excluded.person,
		update_rule = excluded.update_rule, end_date = excluded.end_date`,
			c.Name, c.Kind, c.Department, c.Person, c.UpdateRule, c.EndDate)
		return err
	})
	if err != nil {
		return fmt.Errorf("add column %s: %w", c.Name, err)
	}
	return nil
}

func loadColumn(ctx context.Context, q querier, name string) (Column, error) {
	var c Column
	err := q.QueryRowContext(ctx, `SELECT name, kind, department, person, update_rule, end_date FROM columns WHERE name = ?`,
		strings.TrimSpace(name)).Scan(&c.Name, &c.Kind, &c.Department, &c.Person, &c.UpdateRule, &c.EndDate)
	if errors.Is(err, sql.ErrNoRows) {
		if strings.TrimSpace(name) == "" {
			return Column{}, newAPIError(http.StatusUnprocessableEntity, "column-required", "an item needs a column", "稿件必须指定栏目")
		}
		return Column{}, newAPIError(http.StatusUnprocessableEntity, "column-unknown",
			fmt.Sprintf("there is no column %q (GET /api/v1/columns lists them)", name), fmt.Sprintf("没有名为“%s”的栏目", name))
	}
	if err != nil {
		return Column{}, fmt.Errorf("load column: %w", err)
	}
	return c, nil
}

// Columns returns every column in display order.
func (s *Server) Columns(ctx context.Context) ([]Column, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT name, kind, department, person, update_rule, end_date FROM columns ORDER BY position`)
	if err != nil {
		return nil, fmt.Errorf("columns: %w", err)
	}
	defer rows.Close()
	now := s.now()
	var out []Column
	for rows.Next() {
		var c Column
		if err := rows.Scan(&c.Name, &c.Kind, &c.Department, &c.Person, &c.UpdateRule, &c.EndDate); err != nil {
			return nil, err
		}
		c.Closed = c.closedAt(now)
		out = append(out, c)
	}
	return out, rows.Err()
}
