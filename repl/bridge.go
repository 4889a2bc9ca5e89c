package repl

import "github.com/reqsh/reqsh/internal/words"

// The names below keep history.go reading command lines as it does
// while it still names the tokenizer by its old place in this package;
// once it calls internal/words itself (words.Split, words.Scanner and
// its Scan and Line.Comment), this file goes.

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
