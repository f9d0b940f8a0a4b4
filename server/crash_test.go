//go:build unix

package server

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"sanshen/review"
)

// daemon is a sanshend subprocess.
type daemon struct {
	cmd  *exec.Cmd
	base string
	logs *lockedBuffer
	done chan error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var listenLine = regexp.MustCompile(`msg=listening addr=(\S+)`)

// startDaemon runs the sanshend binary on db and waits until it listens.
func startDaemon(t *testing.T, bin, db string, args ...string) *daemon {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"--db", db, "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "SANSHEND_DEMO_PASSWORD=crash-test-password")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	d := &daemon{cmd: cmd, logs: &lockedBuffer{}, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(d.logs, line)
			if m := listenLine.FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		d.done <- cmd.Wait()
	}()
	select {
	case a := <-addr:
		d.base = "http://" + a
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("sanshend did not start:\n%s", d.logs)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-d.done
		}
	})
	return d
}

func (d *daemon) post(client *http.Client, token, path string, body any) (int, []byte, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", d.base+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

func (d *daemon) login(t *testing.T, user string) string {
	t.Helper()
	status, raw, err := d.post(http.DefaultClient, "", "/api/v1/login", map[string]string{"username": user, "password": "crash-test-password"})
	if err != nil || status != 200 {
		t.Fatalf("login %s: %d %v %s", user, status, err, raw)
	}
	var lr struct{ Token string }
	json.Unmarshal(raw, &lr)
	return lr.Token
}

// ackedDecision is a decision the server answered 201 to.
type ackedDecision struct {
	item string
	body map[string]any
	resp []byte
}

// TestCrashUnderLoad kills sanshend with SIGKILL while submitters and
// reviewers write, restarts it, and checks that every acknowledged item and
// decision survived and that no decision is half there.
func TestCrashUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the sanshend binary")
	}
	bin := sanshendBinary(t)
	db := filepath.Join(t.TempDir(), "crash.db")
	d := startDaemon(t, bin, db, "--demo")
	subTok, revTok := d.login(t, "submitter"), d.login(t, "reviewer")

	var (
		mu        sync.Mutex
		ackItems  []string
		ackDecs   []ackedDecision
		stop      atomic.Bool
		wg        sync.WaitGroup
		transport = &http.Transport{MaxIdleConnsPerHost: 8}
		client    = &http.Client{Transport: transport, Timeout: 10 * time.Second}
	)
	for w := 0; w < 4; w++ {
		wg.Go(func() {
			for n := 0; !stop.Load(); n++ {
				status, raw, err := d.post(client, subTok, "/api/v1/items", map[string]any{
					"title": fmt.Sprintf("压力测试稿件 %d-%d", w, n), "column": "新闻动态", "body": strings.Repeat("城市管理工作动态。", 50)})
				if err != nil || status != 201 {
					return // the server is gone
				}
				var it struct {
					ID      string
					Version int
					SHA256  string
				}
				json.Unmarshal(raw, &it)
				mu.Lock()
				ackItems = append(ackItems, it.ID)
				mu.Unlock()
				dec := map[string]any{"id": uuid.NewString(), "stage": "first", "version": it.Version, "sha256": it.SHA256,
					"action": "approve", "disclosure": "proactive", "verdicts": passVerdicts()}
				status, raw, err = d.post(client, revTok, "/api/v1/items/"+it.ID+"/decisions", dec)
				if err != nil {
					return
				}
				if status != 201 {
					t.Errorf("decision: %d %s", status, raw)
					return
				}
				mu.Lock()
				ackDecs = append(ackDecs, ackedDecision{item: it.ID, body: dec, resp: raw})
				mu.Unlock()
			}
		})
	}
	// Let the load run until enough is acknowledged, then kill mid-flight.
	deadline := time.Now().Add(15 * time.Second)
	for {
		mu.Lock()
		n := len(ackDecs)
		mu.Unlock()
		if n >= 150 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := d.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-d.done
	stop.Store(true)
	wg.Wait()
	transport.CloseIdleConnections()
	if len(ackDecs) == 0 {
		t.Fatalf("no decision was acknowledged before the kill:\n%s", d.logs)
	}
	t.Logf("killed after %d acknowledged items and %d acknowledged decisions", len(ackItems), len(ackDecs))

	// The file opens and is whole, and nothing is half-written.
	checkConsistent(t, db)

	// Restarted, the server still knows every acknowledged act.
	d2 := startDaemon(t, bin, db, "--demo")
	subTok = d2.login(t, "submitter")
	revTok = d2.login(t, "reviewer")
	for _, id := range ackItems {
		req, _ := http.NewRequest("GET", d2.base+"/api/v1/items/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+subTok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("acknowledged item %s lost: %d", id, resp.StatusCode)
		}
	}
	for _, ad := range ackDecs {
		status, raw, err := d2.post(http.DefaultClient, revTok, "/api/v1/items/"+ad.item+"/decisions", ad.body)
		if err != nil || status != 200 || !bytes.Equal(bytes.TrimSpace(raw), bytes.TrimSpace(ad.resp)) {
			t.Errorf("acknowledged decision on %s: replay answered %d %v %s", ad.item, status, err, raw)
		}
	}
	// SIGTERM: a clean stop.
	if err := d2.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-d2.done:
		if err != nil {
			t.Errorf("sanshend exited with %v after SIGTERM:\n%s", err, d2.logs)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("sanshend did not stop after SIGTERM")
	}
	if !strings.Contains(d2.logs.String(), "database closed") {
		t.Errorf("no clean close in the log:\n%s", d2.logs)
	}
	checkConsistent(t, db)
}

func passVerdicts() map[string]any {
	v := map[string]any{}
	for _, c := range review.Checks {
		v[string(c)] = map[string]string{"verdict": "pass"}
	}
	return v
}

// checkConsistent opens the database file directly and checks that every
// item is whole: its versions and creation events exist, and it has as many
// decision events as stored decisions, with a state that agrees.
func checkConsistent(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ok string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity check: %q %v", ok, err)
	}
	rows, err := db.Query(`SELECT id, state,
		(SELECT COUNT(*) FROM versions v WHERE v.item_id = i.id),
		(SELECT COUNT(*) FROM events e WHERE e.item_id = i.id AND e.kind = 'submitted'),
		(SELECT COUNT(*) FROM events e WHERE e.item_id = i.id AND e.kind IN ('approved', 'signed_off', 'returned', 'rejected')),
		(SELECT COUNT(*) FROM decisions d WHERE d.item_id = i.id),
		(SELECT COALESCE(MAX(seq), 0) FROM events e WHERE e.item_id = i.id), change_seq
		FROM items i`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id, state string
		var versions, submitted, decisionEvents, decisions int
		var maxSeq, changeSeq int64
		if err := rows.Scan(&id, &state, &versions, &submitted, &decisionEvents, &decisions, &maxSeq, &changeSeq); err != nil {
			t.Fatal(err)
		}
		n++
		var it review.Item
		if err := json.Unmarshal([]byte(state), &it); err != nil {
			t.Fatalf("item %s: state: %v", id, err)
		}
		if versions != len(it.Versions) || submitted != 1 {
			t.Errorf("item %s: %d versions stored, %d in state, %d submitted events", id, versions, len(it.Versions), submitted)
		}
		if decisionEvents != decisions {
			t.Errorf("item %s: %d decision events but %d stored decisions", id, decisionEvents, decisions)
		}
		if maxSeq != changeSeq {
			t.Errorf("item %s: change_seq %d, latest event %d", id, changeSeq, maxSeq)
		}
		if strings.HasPrefix(it.Title, "压力测试稿件") {
			wantStage := review.StageFirst
			if decisions == 1 {
				wantStage = review.StageSecond
			}
			if it.Stage != wantStage || len(it.Approvals) != decisions {
				t.Errorf("item %s: stage %s with %d approvals and %d decisions", id, it.Stage, len(it.Approvals), decisions)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 30 {
		t.Errorf("only %d items in the database", n)
	}
}

var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

// sanshendBinary builds cmd/sanshend once per test run, into the directory
// TestMain made.
func sanshendBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "sanshend")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		out, err := exec.CommandContext(ctx, "go", "build", "-tags", "migrated_fynedo", "-o", binPath, "sanshen/cmd/sanshend").CombinedOutput()
		if err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

func TestMain(m *testing.M) {
	var err error
	binDir, err = os.MkdirTemp("", "sanshend-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}
