package review

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// ErrInvalidUTF8 is returned for a body that is not valid UTF-8.
var ErrInvalidUTF8 = errors.New("body is not valid UTF-8")

// Canonical returns the canonical form of a version body, the exact bytes
// that are stored, reviewed, hashed and published:
//
//  1. the body must be valid UTF-8 (otherwise ErrInvalidUTF8; nothing is guessed);
//  2. leading byte-order marks U+FEFF are removed;
//  3. line endings CRLF and lone CR become LF;
//  4. the text is put in Unicode Normalization Form C (NFC), so that texts that
//     look the same and mean the same hash the same (a decomposed "é" or a
//     compatibility-free CJK text is unchanged by NFC; CJK compatibility
//     ideographs such as U+F900 are mapped to their unified forms, as NFC
//     requires).
//
// Nothing else changes: no trimming, no whitespace folding, no HTML rewriting.
// Canonical is idempotent.
func Canonical(body string) (string, error) {
	if !utf8.ValidString(body) {
		return "", ErrInvalidUTF8
	}
	body = strings.TrimLeft(body, "\uFEFF")
	if strings.IndexByte(body, '\r') >= 0 {
		body = strings.ReplaceAll(body, "\r\n", "\n")
		body = strings.ReplaceAll(body, "\r", "\n")
	}
	return norm.NFC.String(body), nil
}

// HashCanonical returns the lowercase hex SHA-256 of a body that is already canonical.
func HashCanonical(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return hex.EncodeToString(sum[:])
}

// Hash canonicalises body and returns the canonical form with its SHA-256.
func Hash(body string) (canonical, sha string, err error) {
	canonical, err = Canonical(body)
	if err != nil {
		return "", "", err
	}
	return canonical, HashCanonical(canonical), nil
}
