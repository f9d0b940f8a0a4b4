package spell

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var buildAssets = flag.Bool("spell.build", false, "rebuild assets/spell/ from ../shared/data and retrain the model")

// assetDir is assets/spell/ seen from this package.
var assetDir = filepath.Join("..", "..", "..", "assets", "spell")

// Training choices, all made on train.tsv by cross-validation.
const (
	trainLambda       = 1.0 // L2 penalty of the logistic models
	trainMinPrecision = 0.9 // cross-validated correction precision the thresholds must keep
)

// TestBuildAssets regenerates the embedded data from the shared data:
//
//	go test ./review/precheck/spell -run TestBuildAssets -spell.build
//
// The jieba dictionary is cut to words of Han characters of at most
// maxWordLen characters (frequency kept, part of speech dropped) and
// gzipped; pycorrector's files are copied as they are; the typo pairs are
// counted on ECSpell's train.tsv; the models are fitted on train.tsv and
// their thresholds chosen there by cross-validation. test.tsv is not read.
func TestBuildAssets(t *testing.T) {
	if !*buildAssets {
		t.Skip("pass -spell.build to regenerate assets/spell/")
	}
	raw := loadRaw(t)
	writeWords(t, raw.dir)
	for _, name := range []string{fileSamePinyin, fileSameStroke, fileCommon} {
		b, err := os.ReadFile(filepath.Join(raw.dir, "pycorrector", name))
		if err != nil {
			t.Fatal(err)
		}
		writeAsset(t, name, b)
	}
	writeAsset(t, filePairs, pairsFile(countPairs(raw.train)))
	writeSentences(t, raw.train)

	recs := raw.collect(t)
	crossValidate(recs, trainLambda)
	th, cv := tuneThresholds(t, recs, raw.train, trainMinPrecision)
	t.Logf("cross-validated on train.tsv: %v", cv)
	var m model
	m.thresholds = th
	for size := 1; size <= 2; size++ {
		m.weights[size] = fitLogistic(recs, size, trainLambda)
	}
	var buf bytes.Buffer
	comment := fmt.Sprintf("Logistic models of the spelling detector, fitted on ECSpell odw train.tsv\n"+
		"(regenerate: go test ./review/precheck/spell -run TestBuildAssets -spell.build).\n"+
		"Thresholds chosen by %d-fold cross-validation on train.tsv for correction precision >= %.2f:\n%v",
		folds, trainMinPrecision, cv)
	if err := writeModel(&buf, m, comment); err != nil {
		t.Fatal(err)
	}
	writeAsset(t, fileModel, buf.Bytes())
}

func writeAsset(t *testing.T, name string, b []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(assetDir, name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeWords writes the cut-down jieba dictionary.
func writeWords(t *testing.T, dir string) {
	f := openRaw(t, dir, "jieba/dict.txt")
	defer f.Close()
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(zw)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || !allHan(fields[0]) || utf8.RuneCountInString(fields[0]) > maxWordLen {
			continue
		}
		fmt.Fprintf(w, "%s %s\n", fields[0], fields[1])
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeAsset(t, fileWords, out.Bytes())
}

// pairsFile renders typo statistics in the form readPairs reads.
func pairsFile(ps pairStats) []byte {
	var b bytes.Buffer
	b.WriteString("# Typo statistics of ECSpell odw train.tsv (MIT): wrong<TAB>right<TAB>times, then char<TAB>times seen in typo-bearing sentences.\n")
	pairs := make([][2]rune, 0, len(ps.wrongAs))
	for p := range ps.wrongAs {
		pairs = append(pairs, p)
	}
	slices.SortFunc(pairs, func(a, b [2]rune) int {
		if a[0] != b[0] {
			return int(a[0] - b[0])
		}
		return int(a[1] - b[1])
	})
	for _, p := range pairs {
		fmt.Fprintf(&b, "%c\t%c\t%d\n", p[0], p[1], ps.wrongAs[p])
	}
	chars := make([]rune, 0, len(ps.seen))
	for r := range ps.seen {
		chars = append(chars, r)
	}
	slices.Sort(chars)
	for _, r := range chars {
		fmt.Fprintf(&b, "%c\t%d\n", r, ps.seen[r])
	}
	return b.Bytes()
}

// writeSentences writes the distinct corrected sentences of the training
// rows, in their first order, gzipped: the text of the character model.
func writeSentences(t *testing.T, exs []example) {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, ex := range exs {
		s := string(ex.right)
		if seen[s] {
			continue
		}
		seen[s] = true
		fmt.Fprintln(zw, s)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	writeAsset(t, fileSentences, out.Bytes())
}
