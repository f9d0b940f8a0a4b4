//go:build tools

// This file pins the modules the packages of DESIGN §3 are built on, so that
// go.mod lists them before every package imports them. It is never compiled.
package sanshen

import (
	_ "fyne.io/fyne/v2"
	_ "fyne.io/fyne/v2/app"
	_ "fyne.io/fyne/v2/test"
	_ "github.com/go-resty/resty/v2"
	_ "github.com/google/uuid"
	_ "github.com/sergi/go-diff/diffmatchpatch"
	_ "golang.org/x/crypto/argon2"
	_ "golang.org/x/term"
	_ "modernc.org/sqlite"
)
