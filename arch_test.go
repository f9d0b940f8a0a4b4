package sanshen

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

type listedPackage struct {
	ImportPath string
	Doc        string
	Deps       []string
}

func goList(t *testing.T, args ...string) []listedPackage {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-tags", "migrated_fynedo", "-json"}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []listedPackage
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// TestImportRules enforces the one-way arrows of DESIGN §3: review imports
// neither Fyne nor the network, client imports no Fyne, nothing imports ui but cmd.
func TestImportRules(t *testing.T) {
	forbidden := func(dep string, prefixes ...string) bool {
		for _, p := range prefixes {
			if dep == p || strings.HasPrefix(dep, p+"/") {
				return true
			}
		}
		return false
	}
	pkgs := goList(t, "./...")
	if len(pkgs) < 6 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		for _, dep := range p.Deps {
			switch {
			case p.ImportPath == "sanshen/review" || strings.HasPrefix(p.ImportPath, "sanshen/review/"):
				// net/url and net/netip only parse text (go-diff needs net/url); the
				// package net itself and net/http do network I/O.
				if dep == "net" || forbidden(dep, "fyne.io", "net/http", "crypto/tls", "sanshen/client", "sanshen/server", "sanshen/ui", "github.com/go-resty/resty/v2", "modernc.org/sqlite", "database/sql") {
					t.Errorf("%s imports %s: review must stay free of UI, network and storage", p.ImportPath, dep)
				}
			case strings.HasPrefix(p.ImportPath, "sanshen/client"), strings.HasPrefix(p.ImportPath, "sanshen/server"):
				if forbidden(dep, "fyne.io", "sanshen/ui") {
					t.Errorf("%s imports %s: only ui and cmd may touch Fyne", p.ImportPath, dep)
				}
			case strings.HasPrefix(p.ImportPath, "sanshen/ui"):
				if forbidden(dep, "fyne.io/fyne/v2/app", "sanshen/server") {
					t.Errorf("%s imports %s: ui must run its tests without the cgo driver and talks to the server only through client", p.ImportPath, dep)
				}
			}
		}
	}
}

// TestPackageComments requires a package comment on every package.
func TestPackageComments(t *testing.T) {
	pkgs := goList(t, "./...")
	if len(pkgs) < 6 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	for _, p := range pkgs {
		if strings.TrimSpace(p.Doc) == "" {
			t.Errorf("package %s has no package comment", p.ImportPath)
		}
	}
}
