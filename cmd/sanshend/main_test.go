package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"sanshen/review"
	"sanshen/server"
)

func runArgs(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestUserAddAndPasswd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	t.Setenv("SANSHEND_PASSWORD", "first password")
	code, out, errs := runArgs(t, "", "user", "add", "wangfang", "--role", "submitter", "--role", "reviewer", "--department", "宣传教育处", "--db", db)
	if code != 0 || !strings.Contains(out, "wangfang") {
		t.Fatalf("user add: %d %s %s", code, out, errs)
	}
	// The name may also follow the flags.
	if code, _, errs := runArgs(t, "", "user", "add", "--role", "office", "--db", db, "zhouting"); code != 0 {
		t.Fatalf("user add, name last: %d %s", code, errs)
	}
	if code, _, errs := runArgs(t, "", "user", "add", "wangfang", "--role", "office", "--db", db); code != 1 || !strings.Contains(errs, "already exists") {
		t.Fatalf("duplicate user: %d %s", code, errs)
	}
	if code, _, errs := runArgs(t, "", "user", "add", "x", "--role", "boss", "--db", db); code != 2 || !strings.Contains(errs, "unknown role") {
		t.Fatalf("unknown role: %d %s", code, errs)
	}
	if code, _, _ := runArgs(t, "", "user", "add", "x", "--db", db); code != 2 {
		t.Fatalf("no role accepted")
	}
	// Without SANSHEND_PASSWORD the password is read from stdin when it is not a terminal.
	t.Setenv("SANSHEND_PASSWORD", "")
	if code, out, errs := runArgs(t, "second password\n", "user", "passwd", "wangfang", "--db", db); code != 0 || !strings.Contains(out, "changed") {
		t.Fatalf("passwd: %d %s %s", code, out, errs)
	}
	if code, _, errs := runArgs(t, "", "user", "passwd", "wangfang", "--db", db); code != 1 || !strings.Contains(errs, "no password") {
		t.Fatalf("empty password: %d %s", code, errs)
	}
	if code, _, _ := runArgs(t, "x\n", "user", "passwd", "nobody", "--db", db); code != 1 {
		t.Fatalf("passwd of an unknown user succeeded")
	}
	s, err := server.Open(context.Background(), server.Config{DBPath: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	users, err := s.Users(context.Background())
	if err != nil || len(users) != 2 {
		t.Fatalf("users: %v %v", users, err)
	}
	u := users[0]
	if u.Username != "wangfang" || u.Department != "宣传教育处" || !u.Has(review.RoleSubmitter) || !u.Has(review.RoleReviewer) {
		t.Fatalf("stored user: %+v", u)
	}
}

func TestUsage(t *testing.T) {
	if code, _, _ := runArgs(t, "", "--tls-cert", "a.pem"); code != 2 {
		t.Errorf("--tls-cert without --tls-key: %d", code)
	}
	if code, _, _ := runArgs(t, "", "extra"); code != 2 {
		t.Errorf("stray argument: %d", code)
	}
	if code, _, _ := runArgs(t, "", "user"); code != 2 {
		t.Errorf("user without subcommand: %d", code)
	}
	if code, _, errs := runArgs(t, "", "--nope"); code != 2 || !strings.Contains(errs, "flag provided but not defined") {
		t.Errorf("unknown flag: %d %s", code, errs)
	}
}
