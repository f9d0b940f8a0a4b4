package client

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"sanshen/client/clienttest"
	"sanshen/review"
)

// Benchmarks run the real server in-process on loopback. Results and the
// commands that give them are in BENCHMARKS.md ("## client").

// bigQueue is a server whose reviewer queue holds benchQueueItems items,
// made once per benchmark run through the API.
var (
	bigQueueOnce sync.Once
	bigQueue     *clienttest.Server
)

const benchQueueItems = 10_000

var benchDir string

// TestMain removes what the benchmarks share.
func TestMain(m *testing.M) {
	code := m.Run()
	if bigQueue != nil {
		bigQueue.Stop()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func bigQueueServer(b *testing.B) *clienttest.Server {
	bigQueueOnce.Do(func() {
		var err error
		if benchDir, err = os.MkdirTemp("", "sanshen-bench-"); err != nil {
			b.Fatal(err)
		}
		ts := clienttest.StartDetached(b, benchDir)
		start := time.Now()
		var wg sync.WaitGroup
		const writers = 8
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ts.Submit(b, "sub", benchQueueItems/writers)
			}()
		}
		wg.Wait()
		b.Logf("made %d items in %v", benchQueueItems, time.Since(start))
		bigQueue = ts
	})
	if bigQueue == nil {
		b.Fatal("the shared server could not be made")
	}
	return bigQueue
}

func benchSync(b *testing.B, queueOnly bool) {
	ts := bigQueueServer(b)
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		opts := Options{Dir: filepath.Join(b.TempDir(), "cfg"), Logger: quietLogger(), QueueOnly: queueOnly}
		s, err := Login(ctx, opts, ts.URL, "rev", testPassword)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Sync(ctx)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if rep.Queue != benchQueueItems {
			b.Fatalf("queue %d", rep.Queue)
		}
		if !queueOnly && (rep.Fetched != benchQueueItems || rep.Bodies != benchQueueItems) {
			b.Fatalf("report %+v", rep)
		}
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(benchQueueItems)*float64(b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkSyncQueue10k pulls a queue of 10,000 items into an empty cache.
func BenchmarkSyncQueue10k(b *testing.B) { benchSync(b, true) }

// BenchmarkSyncFull10k also fetches every item's detail, events and body
// (30,000 more requests), as the first sync of a new reviewer does.
func BenchmarkSyncFull10k(b *testing.B) { benchSync(b, false) }

// BenchmarkQueueFromCache10k reads a cached queue of 10,000 items, as the
// screen does on every refresh.
func BenchmarkQueueFromCache10k(b *testing.B) {
	ts := bigQueueServer(b)
	ctx := context.Background()
	opts := Options{Dir: filepath.Join(b.TempDir(), "cfg"), Logger: quietLogger(), QueueOnly: true}
	s, err := Login(ctx, opts, ts.URL, "rev", testPassword)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q, err := s.Queue(ctx)
		if err != nil || len(q) != benchQueueItems {
			b.Fatalf("%d %v", len(q), err)
		}
	}
}

// decideSetup makes n items at the first stage and a session of rev with
// the queue cached.
func decideSetup(b *testing.B, n int) (*Session, []string) {
	ts := newTestServer(b)
	ids := make([]string, 0, n)
	var mu sync.Mutex
	var wg sync.WaitGroup
	const writers = 8
	for w := 0; w < writers; w++ {
		k := n / writers
		if w == 0 {
			k += n % writers
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got := ts.Submit(b, "sub", k)
			mu.Lock()
			ids = append(ids, got...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	s := ts.login(b, "rev", Options{Dir: filepath.Join(b.TempDir(), "cfg"), Logger: quietLogger(), QueueOnly: true})
	if _, err := s.Sync(context.Background()); err != nil {
		b.Fatal(err)
	}
	return s, ids
}

var benchDecision = review.Decision{Action: review.ActionApprove, Verdicts: passAll(), Disclosure: review.DisclosureProactive}

// BenchmarkDecide makes durable decisions one after the other and posts them
// on loopback: each is committed to the outbox (synchronous=FULL, fsynced),
// sent, and its acknowledgement recorded.
func BenchmarkDecide(b *testing.B) {
	s, ids := decideSetup(b, b.N)
	ctx := context.Background()
	b.ResetTimer()
	for _, id := range ids {
		e, err := s.Decide(ctx, id, benchDecision)
		if err != nil || e.State != OutboxSent {
			b.Fatalf("%+v %v", e, err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
}

// BenchmarkDecideParallel is BenchmarkDecide with 8 decisions in flight at
// once from one session (several windows, or a batch).
func BenchmarkDecideParallel(b *testing.B) { benchDecideInFlight(b, 4) }

// BenchmarkDecideParallel64 has 64 decisions in flight: bigger groups for
// the client's and the server's group commits.
func BenchmarkDecideParallel64(b *testing.B) { benchDecideInFlight(b, 32) }

// benchDecideInFlight decides with perCPU × GOMAXPROCS decisions in flight.
func benchDecideInFlight(b *testing.B, perCPU int) {
	s, ids := decideSetup(b, b.N)
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism(perCPU)
	cpu0 := cpuTime(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			id := ids[next.Add(1)-1]
			e, err := s.Decide(ctx, id, benchDecision)
			if err != nil || e.State != OutboxSent {
				b.Errorf("%+v %v", e, err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "decisions/s")
	b.ReportMetric((cpuTime(b)-cpu0).Seconds()/b.Elapsed().Seconds(), "cores-busy")
}

// BenchmarkOutboxCommit is the client's share alone: committing a decision
// durably to the outbox (one fsynced SQLite transaction), without sending.
func BenchmarkOutboxCommit(b *testing.B) {
	ctx := context.Background()
	st, err := openStore(ctx, filepath.Join(b.TempDir(), "cache.sqlite"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.close()
	d := benchDecision
	d.Stage, d.Version, d.SHA256 = review.StageFirst, 1, strings.Repeat("0", 64)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d.ID = uuid.NewString()
		if _, _, err := st.enqueue(ctx, uuid.NewString(), "标题", d, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "commits/s")
}

// BenchmarkDecideParallel256 has 256 decisions in flight: the client's
// writer then has enough jobs waiting to fill its groups of 32 (a decision
// is two jobs, its outbox entry and its acknowledgement).
func BenchmarkDecideParallel256(b *testing.B) { benchDecideInFlight(b, 128) }
