package repl

import (
	"fmt"
	"sort"
	"strings"
)

// command is one entry of the command table: the words that name it, how
// many arguments it takes, its help, and its handler. Dispatch, arity
// checks, usage errors, help and completion all read the table.
type command struct {
	path    []string   // words naming the command: {"header", "set"}
	aliases [][]string // other paths for it: {{"header"}} for "header list"
	group   string     // help section
	args    string     // argument synopsis: "NAME VALUE..."
	summary string     // one line of help
	help    string     // more help: details and examples, shown by "help CMD"
	min     int        // fewest arguments
	max     int        // most arguments; -1 for no limit
	// secret marks commands whose lines must not be kept in history.
	secret bool
	// complete offers candidates for the next argument, given the
	// arguments before it and the part of it typed so far (nil: none).
	complete func(sh *shell, args []string, word string) []string
	run      func(sh *shell, args []string) error
}

// name returns the command's words joined: "header set".
func (c *command) name() string { return strings.Join(c.path, " ") }

// usage returns the synopsis: "header set NAME VALUE...".
func (c *command) usage() string {
	if c.args == "" {
		return c.name()
	}
	return c.name() + " " + c.args
}

// usageError says a command was called with the wrong arguments; it carries
// the command's usage line.
type usageError struct {
	Usage string // the command's synopsis: "header set NAME VALUE..."
	Msg   string // what was wrong with the arguments
}

// Error says what was wrong and shows the command's usage.
func (e *usageError) Error() string {
	return fmt.Sprintf("%s (usage: %s)", e.Msg, e.Usage)
}

// table is the command table, with an index by first word.
type table struct {
	cmds []*command
	// byFirst holds, by the lowercased first word, every path (aliases
	// too) that starts with it and its command: a line's command is
	// found without building each command's list of paths again.
	byFirst map[string][]route
}

// route is one path naming a command.
type route struct {
	path []string
	cmd  *command
}

func newTable(cmds []*command) *table {
	t := &table{cmds: cmds, byFirst: map[string][]route{}}
	for _, c := range cmds {
		for _, p := range c.paths() {
			k := strings.ToLower(p[0])
			t.byFirst[k] = append(t.byFirst[k], route{path: p, cmd: c})
		}
	}
	return t
}

// paths returns the command's path and its aliases.
func (c *command) paths() [][]string {
	return append([][]string{c.path}, c.aliases...)
}

// match finds the command named by the longest matching leading words,
// and returns it with the number of words that named it (nil, 0: none).
func (t *table) match(words []string) (*command, int) {
	var best *command
	bestLen := 0
	for _, r := range t.byFirst[strings.ToLower(words[0])] {
		if len(r.path) > bestLen && hasPrefixFold(words, r.path) {
			best, bestLen = r.cmd, len(r.path)
		}
	}
	return best, bestLen
}

// lookup finds the command named by the leading words, checks its arity,
// and returns it with its arguments.
func (t *table) lookup(words []string) (*command, []string, error) {
	best, bestLen := t.match(words)
	if best == nil {
		return nil, nil, t.unknownCommand(words[0])
	}
	args := words[bestLen:]
	if len(args) < best.min || (best.max >= 0 && len(args) > best.max) {
		if subs := t.subcommands(words[:bestLen]); len(subs) > 0 && len(args) > 0 && bestLen == 1 {
			return nil, nil, unknownSubcommand(words[0], args[0], subs)
		}
		return nil, nil, &usageError{Usage: best.usage(), Msg: arityMsg(best, len(args))}
	}
	return best, args, nil
}

// unknownCommand is the error for a first word that names no command,
// with the commands it may have meant.
func (t *table) unknownCommand(word string) error {
	if hint := didYouMean(word, t.firstWords()); hint != "" {
		return fmt.Errorf("unknown command %q%s", word, hint)
	}
	return fmt.Errorf("unknown command %q (type help for the list)", word)
}

// unknownSubcommand is the error for a second word that names no
// subcommand of head, with the ones it may have meant, and all of them.
func unknownSubcommand(head, word string, subs []string) error {
	return fmt.Errorf("unknown subcommand %q for %s%s (want %s)",
		word, head, didYouMean(word, subs), strings.Join(subs, ", "))
}

func arityMsg(c *command, n int) string {
	switch {
	case n < c.min && c.min == 1:
		return c.name() + ": missing argument"
	case n < c.min:
		return fmt.Sprintf("%s: want at least %d arguments, got %d", c.name(), c.min, n)
	case c.max == 0:
		return c.name() + ": takes no arguments"
	default:
		return fmt.Sprintf("%s: too many arguments", c.name())
	}
}

// subcommands lists the second words of the commands under head.
func (t *table) subcommands(head []string) []string {
	var subs []string
	for _, c := range t.cmds {
		if len(c.path) == len(head)+1 && hasPrefixFold(c.path, head) {
			subs = append(subs, c.path[len(head)])
		}
	}
	return subs
}

// find returns the command whose path or alias is exactly name ("header
// set", "cd"), for help.
func (t *table) find(name string) *command {
	words := strings.Fields(strings.ToLower(name))
	for _, c := range t.cmds {
		for _, p := range c.paths() {
			if len(p) == len(words) && hasPrefixFold(words, p) {
				return c
			}
		}
	}
	return nil
}

// groups returns the help sections in order of first appearance, each with
// its commands.
func (t *table) groups() (names []string, by map[string][]*command) {
	by = map[string][]*command{}
	for _, c := range t.cmds {
		if _, ok := by[c.group]; !ok {
			names = append(names, c.group)
		}
		by[c.group] = append(by[c.group], c)
	}
	return names, by
}

// firstWords returns every command's first word and first-word aliases,
// sorted, for completion.
func (t *table) firstWords() []string {
	words := make([]string, 0, len(t.byFirst))
	for w := range t.byFirst {
		words = append(words, w)
	}
	sort.Strings(words)
	return words
}

func hasPrefixFold(words, prefix []string) bool {
	if len(words) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if !strings.EqualFold(words[i], p) {
			return false
		}
	}
	return true
}
