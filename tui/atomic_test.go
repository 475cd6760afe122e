package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func requireLink(t *testing.T, link, to string) {
	t.Helper()
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symbolic link (%v, %v)", link, fi, err)
	}
	if got, _ := os.Readlink(link); got != to {
		t.Fatalf("%s points to %q, want %q", link, got, to)
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Saving through a symbolic link writes the file it names, keeping its
// permissions; the link stays a link, through a chain of links, and to a
// file that does not exist yet.
func TestWriteFileAtomicThroughSymbolicLinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real", "flow.json")
	if err := os.Mkdir(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	link, chain, dangling := filepath.Join(dir, "link.json"), filepath.Join(dir, "chain.json"), filepath.Join(dir, "dangling.json")
	for _, l := range [][2]string{{"real/flow.json", link}, {"link.json", chain}, {"real/later.json", dangling}} {
		if err := os.Symlink(l[0], l[1]); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	for i, path := range []string{link, chain} {
		text := fmt.Sprintf("new %d", i)
		if err := WriteFileAtomic(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, real); got != text {
			t.Fatalf("the target holds %q after saving through %s", got, filepath.Base(path))
		}
	}
	requireLink(t, link, "real/flow.json")
	requireLink(t, chain, "link.json")
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the target's permissions became %v", fi.Mode().Perm())
	}
	if err := WriteFileAtomic(dangling, []byte("made"), 0o644); err != nil {
		t.Fatal(err)
	}
	requireLink(t, dangling, "real/later.json")
	if got := readFile(t, filepath.Join(dir, "real", "later.json")); got != "made" {
		t.Fatalf("the link's target holds %q", got)
	}
	if names := dirNames(t, filepath.Join(dir, "real")); !slices.Equal(names, []string{"flow.json", "later.json"}) {
		t.Fatalf("the folder holds %v", names)
	}
}

// ctrl+s on a file opened through a symbolic link saves the file it names.
func TestSaveThroughASymbolicLinkKeepsTheLink(t *testing.T) {
	dir := t.TempDir()
	real := copyFile(t, "../testdata/valid/kyc-basic.json", dir)
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	d := newDriver(t, withFile(link))
	d.keys("d", "ctrl+s")
	requireLink(t, link, real)
	if got := stepTypes(readConfig(t, real)); len(got) != 2 {
		t.Fatalf("the target has steps %v, want the saved two", got)
	}
}

// touchTemp makes a file called name in dir, last written at mtime.
func touchTemp(t *testing.T, dir, name string, mtime time.Time) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("partial"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, mtime, mtime); err != nil {
		t.Fatal(err)
	}
}

// The temporary files of saves a kill interrupted are removed: those whose
// writer is gone, and old ones that do not name their writer. Another
// running window's save in progress, this window's own, recent ones that
// do not name their writer and files that are not such temporary files
// stay.
func TestCleanStaleTemps(t *testing.T) {
	dir := t.TempDir()
	file := copyFile(t, "../testdata/valid/kyc-basic.json", dir)
	now := time.Now()
	own := fmt.Sprintf(".kyc-basic.json.tmp-%d-7", os.Getpid())
	for _, name := range []string{
		".kyc-basic.json.tmp-4242-123", // writer gone
		".kyc-basic.json.tmp-4343-456", // writer running
		own,
		".kyc-basic.json.tmp-555",   // no writer named, just written
		".kyc-basic.json.tmp-x",     // not a name a save gives
		".other.json.tmp-4242-1",    // another file's
		"kyc-basic.json.tmp-4242-9", // not hidden: not a save's
	} {
		touchTemp(t, dir, name, now)
	}
	touchTemp(t, dir, ".kyc-basic.json.tmp-666", now.Add(-2*staleTempAge)) // no writer named, old
	store := Store{Running: func(pid int) bool { return pid == 4343 }}
	link := filepath.Join(t.TempDir(), "link.json")
	if err := os.Symlink(file, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	store.CleanStaleTemps(link, now) // the file a link names
	want := []string{".kyc-basic.json.tmp-4343-456", own, ".kyc-basic.json.tmp-555", ".kyc-basic.json.tmp-x",
		".other.json.tmp-4242-1", "kyc-basic.json", "kyc-basic.json.tmp-4242-9"}
	slices.Sort(want)
	if got := dirNames(t, dir); !slices.Equal(got, want) {
		t.Fatalf("left %v\nwant %v", got, want)
	}
}

// On start the wizard cleans up after interrupted saves of its recent
// files, of the file it opens, of the recent-files list and of drafts.
func TestStartCleansStaleTemps(t *testing.T) {
	store := Store{Dir: t.TempDir(), Running: func(pid int) bool { return pid == 4343 }}
	recent := copyFile(t, "../testdata/valid/kyc-basic.json", t.TempDir())
	start := copyFile(t, "../testdata/valid/kyb-verified.json", t.TempDir())
	if err := store.AddRecent(recent); err != nil {
		t.Fatal(err)
	}
	drafts := filepath.Join(store.Dir, "drafts")
	if err := os.MkdirAll(drafts, 0o700); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	stale := []string{
		filepath.Join(filepath.Dir(recent), ".kyc-basic.json.tmp-4242-1"),
		filepath.Join(filepath.Dir(start), ".kyb-verified.json.tmp-4242-2"),
		filepath.Join(store.Dir, ".recent.json.tmp-4242-3"),
		filepath.Join(drafts, ".file-0123456789abcdef.json.tmp-4242-4"),
	}
	kept := filepath.Join(drafts, ".file-0123456789abcdef.json.tmp-4343-5")
	for _, p := range append(stale, kept) {
		touchTemp(t, filepath.Dir(p), filepath.Base(p), now)
	}
	newDriver(t, withStore(store), withFile(start))
	for _, p := range stale {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s was left behind", p)
		}
	}
	if _, err := os.Stat(kept); err != nil {
		t.Errorf("a running window's save in progress was removed: %v", err)
	}
}
