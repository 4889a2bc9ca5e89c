package repl

import "github.com/reqsh/reqsh/internal/words"

// The names below keep history.go and download.go compiling as they are
// while they still use the old names of this package; once they call
// internal/words themselves (words.Split, words.Scanner's Scan and
// Line.Comment) and name shell and lineReader, this file goes.

// Shell is the shell under its old name.
//
// Deprecated: nothing outside this package uses it.
type Shell = shell

// LineReader is lineReader under its old name.
//
// Deprecated: nothing outside this package uses it.
type LineReader = lineReader

// Tokenize splits a command line into words: see words.Split.
//
// Deprecated: use words.Split.
func Tokenize(line string) ([]string, error) { return words.Split(line) }

// lineScanner is words.Scanner under its old name.
type lineScanner struct{ words.Scanner }

// lineScan is what lineScanner.scan found: where a comment starts, or
// -1.
type lineScan struct{ comment int }

func (s *lineScanner) scan(line string) lineScan {
	return lineScan{comment: s.Scan(line).Comment}
}
