package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"sanshen/client"
	"sanshen/review"
	"sanshen/server"
	"sanshen/ui"
)

func init() { runGUI = guiMain }

// appID is the application id of FyneApp.toml.
const appID = "cn.gov.tj.csgl.sanshen"

// guiMain starts the desktop client: with --demo, against an in-process demo
// server; otherwise with the saved sign-in, or the sign-in screen.
func guiMain(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("sanshen", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	demo := fs.Bool("demo", false, "start an in-process demo server with demo data and sign in to it")
	langChoice := fs.String("lang", os.Getenv("SANSHEN_LANG"), "UI language: zh (default) or en")
	printReady := fs.Bool("print-ready", false, "print \"sanshen: ready\" on standard output once the queue is shown (for start-up measurements)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := ui.SetupLanguage(*langChoice); err != nil {
		fmt.Fprintln(e.Stderr, "sanshen: translations:", err)
	}
	a := app.NewWithID(appID)
	a.Settings().SetTheme(ui.NewTheme())
	logger := slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	english := strings.HasPrefix(strings.ToLower(*langChoice), "en")
	opts := ui.Options{Prechecker: newPrechecker(english), Links: newLinkChecker(english)}
	// Once the queue is on screen, load the pre-checks (the spelling
	// detector takes a few hundred milliseconds of CPU) before the first
	// item is opened.
	opts.OnReady = preloadChecks
	if *printReady {
		opts.OnReady = func() { fmt.Fprintln(e.Stdout, "sanshen: ready"); preloadChecks() }
	}

	var cleanup func()
	var be ui.Backend
	if *demo {
		d, err := startDemo(ctx, logger)
		if err != nil {
			fmt.Fprintln(e.Stderr, "sanshen --demo:", err)
			return 1
		}
		cleanup = d.close
		first := "reviewer"
		be, err = d.session(ctx, first)
		if err != nil {
			d.close()
			fmt.Fprintln(e.Stderr, "sanshen --demo:", err)
			return 1
		}
		opts.Demo = &ui.Demo{Users: []ui.DemoUser{{Username: "reviewer", Role: review.RoleReviewer}, {Username: "head", Role: review.RoleHead},
			{Username: "secrecy", Role: review.RoleSecrecyOfficer}, {Username: "leader", Role: review.RoleLeader}}, Switch: d.session}
		fmt.Fprintf(e.Stderr, "sanshen: demo server at %s (data in %s)\n", d.url, d.dir)
	} else {
		copts := client.Options{Dir: e.ConfigDir, Logger: logger}
		sess, err := client.Open(ctx, copts)
		switch {
		case err == nil:
			// The background sync (which sends the outbox first) starts once
			// the window shows the cached queue: the first paint comes first.
			ready := opts.OnReady
			opts.OnReady = func() { ready(); sess.Start(ctx) }
			be = sess
			cleanup = func() { sess.Close() }
		case errors.Is(err, client.ErrNoSession), errors.Is(err, client.ErrUnauthorized):
		default:
			fmt.Fprintln(e.Stderr, "sanshen:", err)
		}
		if be == nil {
			var mu sync.Mutex
			var opened *client.Session
			login := func(ctx context.Context, srv, user, pw string) (ui.Backend, error) {
				s, err := client.Login(ctx, copts, srv, user, pw)
				if err != nil {
					return nil, err
				}
				s.Start(context.Background())
				mu.Lock()
				opened = s
				mu.Unlock()
				return s, nil
			}
			cleanup = func() {
				mu.Lock()
				defer mu.Unlock()
				if opened != nil {
					opened.Close()
				}
			}
			ui.NewLoginWindow(a, login, func(be ui.Backend) {
				mw := ui.NewMainWindow(a, be, opts)
				mw.Window().SetMaster()
				mw.Window().Show()
			}).Show()
		}
	}
	if be != nil {
		mw := ui.NewMainWindow(a, be, opts)
		mw.Window().SetMaster()
		mw.Window().Show()
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	a.Run()
	if cleanup != nil {
		cleanup()
	}
	return 0
}

// demoServer is the in-process server of --demo with a session per demo user.
type demoServer struct {
	dir, url, password string
	srv                *server.Server
	stop               context.CancelFunc
	served             chan struct{}
	logger             *slog.Logger

	mu       sync.Mutex
	sessions map[string]*client.Session
}

func startDemo(ctx context.Context, logger *slog.Logger) (*demoServer, error) {
	dir, err := os.MkdirTemp("", "sanshen-demo-")
	if err != nil {
		return nil, err
	}
	pw := make([]byte, 12)
	rand.Read(pw)
	d := &demoServer{dir: dir, password: hex.EncodeToString(pw), sessions: map[string]*client.Session{}, logger: logger, served: make(chan struct{})}
	scan := newSecrecyScan()
	d.srv, err = server.Open(ctx, server.Config{DBPath: filepath.Join(dir, "server.db"), Logger: logger, SecrecyScan: scan})
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := d.srv.SeedDemo(ctx, d.password); err != nil {
		d.srv.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("seed the demo: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		d.srv.Close()
		os.RemoveAll(dir)
		return nil, err
	}
	d.url = "http://" + ln.Addr().String()
	sctx, stop := context.WithCancel(context.Background())
	d.stop = stop
	go func() {
		defer close(d.served)
		if err := server.Serve(sctx, d.srv, ln, "", ""); err != nil && !errors.Is(err, context.Canceled) {
			logger.Warn("demo server stopped", "err", err)
		}
	}()
	return d, nil
}

// session signs in as a demo user (once) and returns the session.
func (d *demoServer) session(ctx context.Context, username string) (ui.Backend, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.sessions[username]; ok {
		s.SyncNow()
		return s, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	opts := client.Options{Dir: filepath.Join(d.dir, "client", username), Logger: d.logger, SyncInterval: 30 * time.Second}
	s, err := client.Login(ctx, opts, d.url, username, d.password)
	if err != nil {
		return nil, err
	}
	s.Start(context.Background())
	d.sessions[username] = s
	return s, nil
}

func (d *demoServer) close() {
	d.mu.Lock()
	for _, s := range d.sessions {
		s.Close()
	}
	d.mu.Unlock()
	d.stop()
	<-d.served
	d.srv.Close()
	os.RemoveAll(d.dir)
}
