//go:build unix

package client

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// File modes as the test checks them exist on Unix only.
func TestCachePermissions(t *testing.T) {
	// Even with a permissive umask, the cache stays the owner's.
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ts := newTestServer(t)
	id := ts.submit(t, 1)[0]
	ctx := context.Background()
	opts := testOptions(t)
	// A config dir someone left open is closed.
	if err := os.MkdirAll(opts.Dir, 0o777); err != nil {
		t.Fatal(err)
	}
	s := ts.login(t, "rev", opts)
	if _, err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	ts.stop()
	if _, err := s.Decide(ctx, id, approveFirst()); err != nil { // writes the WAL
		t.Fatal(err)
	}
	check := func(path string, want os.FileMode) {
		t.Helper()
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: mode %o, want %o", filepath.Base(path), got, want)
		}
	}
	check(opts.Dir, 0o700)
	check(filepath.Join(opts.Dir, sessionFileName), 0o600)
	check(s.CachePath(), 0o600)
	check(s.CachePath()+"-wal", 0o600)
	check(s.CachePath()+"-shm", 0o600)
	if filepath.Dir(s.CachePath()) != opts.Dir {
		t.Errorf("cache %s is not in the config dir", s.CachePath())
	}
	// One file per server and user.
	if CacheFileName("https://a.example", "rev") == CacheFileName("https://b.example", "rev") ||
		CacheFileName("https://a.example", "rev") == CacheFileName("https://a.example", "rev2") {
		t.Error("two servers or users share a cache file name")
	}
	if name := CacheFileName("https://a.example:8470", "../../etc/passwd"); strings.ContainsAny(name, "/\\") {
		t.Errorf("cache file name %q has a path separator", name)
	}
}
