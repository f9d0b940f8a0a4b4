package server

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sanshen/review"
)

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(ctx, Config{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.wdb.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(ctx, Config{DBPath: path})
	if !errors.Is(err, ErrSchemaTooNew) || !strings.Contains(err.Error(), "99") {
		t.Fatalf("open of a newer database: %v", err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil || v != 99 {
		t.Fatalf("the refused database was changed: version %d, %v", v, err)
	}
}

func TestOpenMigratesAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "db")
	s, err := Open(ctx, Config{DBPath: path, InsecureFastPasswords: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "a", "甲", "password1", []review.Role{review.RoleOffice}, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser(ctx, "a", "甲", "password1", []review.Role{review.RoleOffice}, ""); err == nil {
		t.Fatal("a second user a was accepted")
	}
	for _, bad := range []struct {
		name  string
		roles []review.Role
		pw    string
	}{{"", []review.Role{review.RoleOffice}, "password1"}, {"b c", []review.Role{review.RoleOffice}, "password1"},
		{"system", []review.Role{review.RoleOffice}, "password1"}, {"b", nil, "password1"}, {"b", []review.Role{"boss"}, "password1"},
		{"b", []review.Role{review.RoleOffice}, "short"}} {
		if err := s.AddUser(ctx, bad.name, "", bad.pw, bad.roles, ""); err == nil {
			t.Errorf("AddUser(%q, %v, %q) was accepted", bad.name, bad.roles, bad.pw)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(ctx, Config{DBPath: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	us, err := s.Users(ctx)
	if err != nil || len(us) != 1 || us[0].DisplayName != "甲" {
		t.Fatalf("users after reopening: %v %v", us, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() == 0 {
		t.Fatalf("database file: %v", err)
	}
}

// TestAuditTrailIsAppendOnly: the database itself refuses to change or
// delete events and versions.
func TestAuditTrailIsAppendOnly(t *testing.T) {
	e := newTestEnv(t)
	e.submit("sub", nil)
	for _, q := range []string{
		`UPDATE events SET actor = 'someone'`,
		`DELETE FROM events`,
		`UPDATE versions SET body = 'changed'`,
		`DELETE FROM versions`,
	} {
		if _, err := e.srv.wdb.Exec(q); err == nil {
			t.Errorf("%s was allowed", q)
		}
	}
}

func TestPasswordHashing(t *testing.T) {
	h, err := hashPassword("秘密 password", defaultArgon)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", h)
	}
	if ok, err := checkPassword("秘密 password", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := checkPassword("秘密 passwore", h); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := hashPassword("秘密 password", defaultArgon)
	if h2 == h {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	if _, err := checkPassword("x", "$2a$10$bcrypt"); err == nil {
		t.Fatal("a foreign hash format was accepted")
	}
}

// TestWriteTxSurvivesPanic: a panic inside a write transaction rolls it
// back and frees the single write connection.
func TestWriteTxSurvivesPanic(t *testing.T) {
	e := newTestEnv(t)
	func() {
		defer func() { recover() }()
		e.srv.inWriteTx(context.Background(), func(ctx context.Context, tx querier) error {
			// fn runs in the writer goroutine, where t.Fatal would end the
			// writer instead of the test.
			if _, err := tx.ExecContext(ctx, `INSERT INTO columns(name, kind, department, person, update_rule, position) VALUES ('x', 'news', 'd', 'p', 'weekly', 99)`); err != nil {
				t.Error(err)
				return err
			}
			panic("bug")
		})
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := e.srv.inWriteTx(ctx, func(context.Context, querier) error { return nil }); err != nil {
		t.Fatalf("write after a panic: %v", err)
	}
	var n int
	if err := e.srv.rdb.QueryRow(`SELECT COUNT(*) FROM columns WHERE name = 'x'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("the panicking transaction was kept: %d %v", n, err)
	}
}
