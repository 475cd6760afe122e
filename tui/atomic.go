// What saving leaves on disk: the file a symbolic link names is the one
// written, and the temporary files of saves a kill interrupted are
// removed on the next start.

package tui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/identoflow/identoflow/api/journal"
)

// maxLinks bounds a chain of symbolic links, as the system does.
const maxLinks = 40

// linkTarget is the file path names: path itself unless it is a symbolic
// link, else the file at the end of its links, which need not exist yet
// (a link to a file still to be made).
func linkTarget(path string) (string, error) {
	for range maxLinks {
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		if err != nil {
			return path, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		if real, err := filepath.EvalSymlinks(path); err == nil {
			return real, nil
		}
		// A link to nothing yet: follow it one step.
		to, err := os.Readlink(path)
		if err != nil {
			return path, err
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return path, fmt.Errorf("too many levels of symbolic links")
}

// tempPrefix starts the name of a temporary file saving a file called
// base: ".BASE.tmp-", then the writing process's id, "-" and a random
// number. Files written before the id was in the name end in the number
// alone.
func tempPrefix(base string) string { return "." + base + ".tmp-" }

// staleTempAge is how old a temporary file that does not name its writer
// must be to count as left behind: a save takes well under a second.
const staleTempAge = time.Hour

// CleanStaleTemps removes the temporary files that saves of the file at
// path left behind when a kill interrupted them: those whose writing
// process is gone, and those that do not name their writer once they are
// staleTempAge old at now. A save another running window has under way is
// left alone.
func (s Store) CleanStaleTemps(path string, now time.Time) {
	path, err := linkTarget(s.Abs(path))
	if err != nil {
		return
	}
	s.cleanTemps(filepath.Dir(path), func(name string) (string, bool) {
		return strings.CutPrefix(name, tempPrefix(filepath.Base(path)))
	}, now)
}

// cleanDraftTemps is CleanStaleTemps for every draft: the drafts directory
// holds nothing else.
func (s Store) cleanDraftTemps(now time.Time) {
	s.cleanTemps(s.draftsDir(), func(name string) (string, bool) {
		i := strings.LastIndex(name, ".tmp-")
		if !strings.HasPrefix(name, ".") || i < 0 {
			return "", false
		}
		return name[i+len(".tmp-"):], true
	}, now)
}

// cleanTemps removes the stale temporary files of dir; suffix gives the
// part of a temporary file's name after ".tmp-" (ok false: not one).
func (s Store) cleanTemps(dir string, suffix func(name string) (string, bool), now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		rest, ok := suffix(e.Name())
		if !ok || !e.Type().IsRegular() {
			continue
		}
		pid, random, named := strings.Cut(rest, "-")
		if !digits(pid) || (named && !digits(random)) {
			continue // not a name saving gives
		}
		stale := false
		if named {
			n, err := strconv.Atoi(pid)
			stale = err == nil && !s.running(n)
		} else if fi, err := e.Info(); err == nil {
			stale = now.Sub(fi.ModTime()) >= staleTempAge
		}
		if stale {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// running reports whether process pid is an identoflow that still runs.
func (s Store) running(pid int) bool {
	if pid == os.Getpid() {
		return true
	}
	if s.Running != nil {
		return s.Running(pid)
	}
	return journal.ProgramRunning(pid)
}

func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// cleanStaleTemps removes, in a command, what interrupted saves left next
// to the files this wizard knows: the start file, the recent files, the
// recent-files list and the drafts.
func cleanStaleTemps(store Store, startFile string, now time.Time) tea.Cmd {
	return func() tea.Msg {
		if startFile != "" {
			store.CleanStaleTemps(startFile, now)
		}
		for _, p := range store.Recent() {
			store.CleanStaleTemps(p, now)
		}
		if store.Dir != "" {
			store.CleanStaleTemps(filepath.Join(store.Dir, "recent.json"), now)
			store.cleanDraftTemps(now)
		}
		return nil
	}
}
