package main

import (
	"context"
	"errors"
	"fmt"

	"sanshen/client"
	"sanshen/review/precheck"
	"sanshen/review/textdiff"
)

// The item form of `sanshen diff`: two versions of a cached item.
func init() { diffItem = runDiffItem }

func runDiffItem(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "diff", "diff ID [--from N] [--to M] [--raw] [--json] [--context N] [--color auto|always|never]")
	from := fs.Int("from", 0, "the old version `N` (default: the version an earlier stage last approved, else the one before --to)")
	to := fs.Int("to", 0, "the new version `M` (default: the current one)")
	asJSON := fs.Bool("json", false, `print {"segments":[{"op","text"}],"degraded","stats"} as sanshen diff --json does`)
	contextLines := fs.Int("context", 3, "unchanged lines shown around each change; -1 shows the whole text")
	color := fs.String("color", "auto", "auto, always or never")
	raw := fs.Bool("raw", false, "compare the bodies as stored (HTML with its markup), not the text a reviewer reads")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return flagExit(err)
	}
	if len(pos) != 1 {
		fs.Usage()
		return 2
	}
	if !validColor(e, *color) {
		return 2
	}
	id := pos[0]
	s, code := openSession(ctx, e, "diff")
	if s == nil {
		return code
	}
	defer s.Close()
	d, err := loadItem(ctx, s, id, false)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen diff: %v\n", err)
		if errors.Is(err, client.ErrNotFound) {
			return 1
		}
		return 2
	}
	oldN, newN, err := diffVersions(d, *from, *to)
	if err != nil {
		fmt.Fprintf(e.Stderr, "sanshen diff: %v\n", err)
		return 2
	}
	bodies := make([]client.VersionBody, 2)
	for i, n := range []int{oldN, newN} {
		b, err := s.Body(ctx, id, n)
		if err != nil {
			fmt.Fprintf(e.Stderr, "sanshen diff: "+tr("第 %d 版正文", "body of version %d")+": %v\n", n, err)
			return 2
		}
		if !*raw {
			// The text a reviewer reads, as the window's 差异 tab compares
			// it: HTML reduced to its paragraphs and links.
			b.Body = precheck.Extract(b.Body, b.ContentType).Text
		}
		bodies[i] = b
	}
	result := textdiff.Diff(ctx, bodies[0].Body, bodies[1].Body, textdiff.Options{})
	if *asJSON {
		return writeJSON(e, "diff", result)
	}
	fmt.Fprintf(e.Stdout, "%s %s: v%d (%.12s) → v%d (%.12s)\n", tr("比较", "diff of"), oneLine(d.Title), oldN, bodies[0].SHA256, newN, bodies[1].SHA256)
	return writeDiffText(e, result, *color, *contextLines)
}

// diffVersions picks the versions to compare. By default the new one is the
// current version and the old one what an earlier stage of this round last
// approved (DESIGN §2.4: every later stage sees what changed since), or
// else the version before.
func diffVersions(d client.ItemDetail, from, to int) (int, int, error) {
	cur, ok := d.Current()
	if !ok {
		return 0, 0, fmt.Errorf("%s has no version", d.ID)
	}
	if to == 0 {
		to = cur.Number
	}
	if from == 0 {
		for i := len(d.Approvals) - 1; i >= 0; i-- {
			if v := d.Approvals[i].Version; v < to {
				from = v
				break
			}
		}
		if from == 0 {
			from = to - 1
		}
	}
	if from < 1 || to < 1 || from > cur.Number || to > cur.Number {
		if cur.Number == 1 && from == 0 {
			return 0, 0, fmt.Errorf(tr("%s 只有一个版本，无可比较", "%s has only one version: nothing to compare"), d.ID)
		}
		return 0, 0, fmt.Errorf(tr("%s 的版本为 1 到 %d", "%s has versions 1 to %d"), d.ID, cur.Number)
	}
	return from, to, nil
}
