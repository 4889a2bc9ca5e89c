package repl

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestExportedNames keeps the package's API to what cmd/ needs: Main,
// Version and the exit statuses. Names declared in bridge.go (old names
// kept for files that still use them) are not counted.
func TestExportedNames(t *testing.T) {
	allowed := []string{"Main", "Version", "ExitOK", "ExitFailure", "ExitUsage"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") || file == "bridge.go" {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range topLevelNames(f) {
			if ast.IsExported(name) && !slices.Contains(allowed, name) {
				t.Errorf("%s exports %s", file, name)
			}
		}
	}
}

// topLevelNames lists the package-level names a file declares (not
// methods, whose names are their types' business).
func topLevelNames(f *ast.File) []string {
	var names []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				names = append(names, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					names = append(names, s.Name.Name)
				case *ast.ValueSpec:
					for _, n := range s.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	return names
}

// TestPiecesImportNoShell checks that the pieces split out of the shell
// stay pure: the tokenizer, the curl writer and the escape palette
// import nothing of repl (nor the shell's other parts).
func TestPiecesImportNoShell(t *testing.T) {
	for _, dir := range []string{"words", "curl", "ansi"} {
		path := filepath.Join("..", "internal", dir)
		entries, err := os.ReadDir(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(path, e.Name()), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				p, _ := strconv.Unquote(imp.Path.Value)
				if p == "github.com/reqsh/reqsh/repl" || (dir != "curl" && strings.HasPrefix(p, "github.com/reqsh/reqsh/")) {
					t.Errorf("internal/%s/%s imports %s", dir, e.Name(), p)
				}
			}
		}
	}
}
