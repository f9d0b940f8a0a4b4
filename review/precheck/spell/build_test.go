package spell

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

var buildAssets = flag.Bool("spell.build", false, "rebuild assets/spell/ from ../shared/data and retrain the model")

// assetDir is assets/spell/ seen from this package.
var assetDir = filepath.Join("..", "..", "..", "assets", "spell")

// Training choices, made on train.tsv by cross-validation.
const (
	trainLambda       = 1.0 // L2 penalty of the logistic models
	trainMinPrecision = 0.9 // cross-validated correction precision the thresholds must keep
)

// derivedFiles computes the data files of assets/spell/ other than the
// model from the shared data (gzipped files uncompressed).
func derivedFiles(t testing.TB, raw *rawData) map[string][]byte {
	files := map[string][]byte{
		fileWords:     wordsFile(t, raw.dir),
		filePairs:     pairsFile(countPairs(raw.train)),
		fileSentences: sentencesFile(raw.train),
	}
	for _, name := range []string{fileSamePinyin, fileSameStroke, fileCommon} {
		b, err := os.ReadFile(filepath.Join(raw.dir, "pycorrector", name))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	return files
}

// TestAssetsMatchSharedData checks that the embedded data files are what
// their documented derivation from ../shared/data gives.
func TestAssetsMatchSharedData(t *testing.T) {
	raw := loadRaw(t, false)
	for name, want := range derivedFiles(t, raw) {
		got, err := os.ReadFile(filepath.Join(assetDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".gz") {
			zr, err := gzip.NewReader(bytes.NewReader(got))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("assets/spell/%s differs from its derivation (%d bytes, want %d): rerun TestBuildAssets -spell.build", name, len(got), len(want))
		}
	}
}

// TestBuildAssets regenerates the embedded data from the shared data:
//
//	go test ./review/precheck/spell -run TestBuildAssets -spell.build
//
// The jieba dictionary is cut to words of Han characters of at most
// maxWordLen characters (frequency kept, part of speech dropped); the
// pycorrector files are copied as they are; the typo pairs are counted on
// ECSpell's train.tsv and its distinct corrected sentences kept for the
// character model; the models are fitted on train.tsv and their thresholds
// chosen there by cross-validation. test.tsv is never read.
func TestBuildAssets(t *testing.T) {
	if !*buildAssets {
		t.Skip("pass -spell.build to regenerate assets/spell/")
	}
	raw := loadRaw(t, true)
	for name, b := range derivedFiles(t, raw) {
		if strings.HasSuffix(name, ".gz") {
			b = gzipped(t, b)
		}
		writeAsset(t, name, b)
	}

	recs := raw.collect(t)
	crossValidate(recs, trainLambda)
	th, cv := tuneThresholds(recs, raw.train, trainMinPrecision)
	t.Logf("cross-validated on train.tsv: %v", cv)
	var m model
	m.thresholds = th
	for size := 1; size <= 2; size++ {
		m.weights[size] = fitLogistic(recs, size, trainLambda)
	}
	var buf bytes.Buffer
	comment := fmt.Sprintf("Logistic models of the spelling detector, fitted on ECSpell odw train.tsv\n"+
		"(regenerate: go test ./review/precheck/spell -run TestBuildAssets -spell.build).\n"+
		"Thresholds chosen by %d-fold cross-validation on train.tsv (folds grouped by corrected sentence)\n"+
		"for the best correction F1 at correction precision >= %.2f:\n%v",
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

func gzipped(t *testing.T, b []byte) []byte {
	var out bytes.Buffer
	zw, err := gzip.NewWriterLevel(&out, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// wordsFile is the cut-down jieba dictionary, each word once (a word listed
// twice gets the sum of its frequencies, at its first place).
func wordsFile(t testing.TB, dir string) []byte {
	f := openRaw(t, dir, "jieba/dict.txt")
	defer f.Close()
	var words []string
	freq := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 || !allHan(fields[0]) || utf8.RuneCountInString(fields[0]) > maxWordLen {
			continue
		}
		n, err := strconv.Atoi(fields[1])
		if err != nil || n <= 0 {
			t.Fatalf("jieba dictionary: bad line %q", sc.Text())
		}
		if _, ok := freq[fields[0]]; !ok {
			words = append(words, fields[0])
		}
		freq[fields[0]] += n
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for _, w := range words {
		fmt.Fprintf(&out, "%s %d\n", w, freq[w])
	}
	return out.Bytes()
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

// sentencesFile holds the distinct corrected sentences of the training
// rows, in their first order: the text of the character model.
func sentencesFile(exs []example) []byte {
	var b bytes.Buffer
	seen := map[string]bool{}
	for _, ex := range exs {
		s := string(ex.right)
		if seen[s] {
			continue
		}
		seen[s] = true
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return b.Bytes()
}
