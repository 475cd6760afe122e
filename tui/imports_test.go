package tui

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The rooms of the wizard and what each may import of the others: the
// root wires them together; screens are built on ui and widget and never
// on each other; ui and widget know no screen. The test kits under
// internal/ import no package of the wizard.
var allowedImports = map[string][]string{
	"tui":                     {"tui/ui", "tui/widget", "tui/editor", "tui/session"},
	"tui/ui":                  nil,
	"tui/widget":              {"tui/ui"},
	"tui/editor":              {"tui/ui", "tui/widget"},
	"tui/session":             {"tui/ui", "tui/widget"},
	"tui/internal/cmdrun":     nil,
	"tui/internal/launchtest": nil,
}

const modulePath = "github.com/identoflow/identoflow/"

// TestPackagesImportOnlyTheirRooms reads the imports of every non-test
// file under tui/ and fails on one the map above does not allow, or on a
// package the map does not know.
func TestPackagesImportOnlyTheirRooms(t *testing.T) {
	seen := map[string]bool{}
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		pkg := filepath.ToSlash(filepath.Join("tui", filepath.Dir(path)))
		seen[pkg] = true
		allowed, known := allowedImports[pkg]
		if !known {
			t.Errorf("%s: package %s is not in the map of rooms; add it with what it may import", path, pkg)
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				return err
			}
			rel, ok := strings.CutPrefix(imp, modulePath)
			if !ok || !strings.HasPrefix(rel, "tui") {
				continue // the standard library, modules, flow, api, export
			}
			if !slices.Contains(allowed, rel) {
				t.Errorf("%s: %s may not import %s", path, pkg, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowedImports {
		if !seen[pkg] {
			t.Errorf("the map of rooms names %s, which has no files", pkg)
		}
	}
}
