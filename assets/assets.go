// Package assets embeds Sanshen's data files: the CJK font, translations and
// the pre-check dictionaries. Each data file carries its source and licence
// in a SOURCES.md next to it. Each kind of asset has its own Go file here.
package assets
