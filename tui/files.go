package tui

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/identoflow/identoflow/api/journal"
	"github.com/identoflow/identoflow/flow"
)

// Store is where the wizard keeps drafts and the recent-files list. Dir ""
// disables both (tests, or a machine with no home).
type Store struct {
	Dir string
	// Running reports whether the process that wrote a draft still runs;
	// nil is the real check (tests replace it).
	Running func(pid int) bool
	// WorkDir is the folder a relative path names a file in: the one the
	// wizard started in. "" is the process's working directory. Drafts and
	// recent files record absolute paths, so that a wizard started in
	// another folder finds the same files.
	WorkDir string
}

// Abs is path as an absolute path, a relative one taken in WorkDir.
func (s Store) Abs(path string) string {
	switch {
	case path == "":
		return ""
	case filepath.IsAbs(path):
		return filepath.Clean(path)
	}
	if s.WorkDir != "" {
		return filepath.Join(s.WorkDir, path)
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// DefaultStore returns the store in identoflow's state directory
// (journal.StateDir), beside the session journal.
func DefaultStore(getenv func(string) string) Store {
	dir, err := journal.StateDir(getenv)
	if err != nil {
		return Store{}
	}
	return Store{Dir: dir}
}

// WriteFileAtomic writes data to path through a temporary file in the same
// directory and a rename, so a crash leaves the old file or the new one,
// never half of one. When path is a symbolic link, the file it points to
// is written and the link stays. The temporary file's name says which
// process writes it (see CleanStaleTemps). What is not a regular file
// (a device such as /dev/null, a pipe such as /dev/stdout, a socket) is
// written to as it is, never replaced; a folder is refused.
func WriteFileAtomic(path string, data []byte, perm fs.FileMode) error {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		if st.IsDir() {
			return fmt.Errorf("saving %s: it is a folder, not a file", path)
		}
		return writeInPlace(path, data)
	}
	path, err := linkTarget(path)
	if err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, tempPrefix(filepath.Base(path))+strconv.Itoa(os.Getpid())+"-*")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		// Said of the folder: the temporary file's name means nothing to
		// the person saving.
		return fmt.Errorf("saving %s: the folder %s does not exist", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("saving %s: no permission to write in the folder %s", path, dir)
	case err != nil:
		return fmt.Errorf("saving %s: %w", path, err)
	}
	cleanup := func() { _ = os.Remove(tmp.Name()) }
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		cleanup()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		cleanup()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		cleanup()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm() // keep the permissions of the file we replace
	}
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		cleanup()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		cleanup()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	return nil
}

// writeInPlace writes data to what path names without replacing it. A
// pipe no program reads from is an error at once, not a wait for one.
func writeInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0)
	if errors.Is(err, syscall.ENXIO) {
		return fmt.Errorf("saving %s: no program is reading from it", path)
	}
	if err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("saving %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("saving %s: %w", path, err)
	}
	return nil
}

// isRegularFile reports whether path names a regular file (through
// symbolic links).
func isRegularFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// Draft is an autosaved copy of unsaved work.
type Draft struct {
	ID string // file name stem in the drafts directory
	// Path is the file the draft belongs to, absolute; "" for a new flow.
	// A draft written before drafts recorded absolute paths may hold a
	// relative one, whose folder is not known (see Located).
	Path    string
	Updated time.Time // when it was written
	Config  *flow.Config
	PID     int // the process that wrote it
	// Base is the file's content the edits started from (as read or last
	// saved); nil when not known (a new flow, an older draft).
	Base *FileState
}

// Located reports whether the draft says which file it belongs to: a new
// flow's draft belongs to none, an older draft may name a file without
// its folder.
func (d Draft) Located() bool { return d.Path == "" || filepath.IsAbs(d.Path) }

// FileState identifies a file's content: its size and SHA-256, or that
// there was no file.
type FileState struct {
	Absent bool
	Size   int
	SHA256 string // hex
}

// fileStateOf is the state of a file holding data; exists false: none.
func fileStateOf(data []byte, exists bool) FileState {
	if !exists {
		return FileState{Absent: true}
	}
	sum := sha256.Sum256(data)
	return FileState{Size: len(data), SHA256: hex.EncodeToString(sum[:])}
}

// DraftID names the draft of a file (by its absolute path) or of a new
// flow (by a token made when the flow was created).
func DraftID(path, newToken string) string {
	if path == "" {
		return "new-" + newToken
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	sum := sha256.Sum256([]byte(abs))
	return "file-" + hex.EncodeToString(sum[:8])
}

func (s Store) draftsDir() string { return filepath.Join(s.Dir, "drafts") }

// SaveDraft writes a draft atomically. The draft is a small JSON wrapper
// whose "config" member is the flow exactly as the editor holds it.
func (s Store) SaveDraft(d Draft) error {
	if s.Dir == "" {
		return nil
	}
	if err := os.MkdirAll(s.draftsDir(), 0o700); err != nil {
		return fmt.Errorf("saving draft: %w", err)
	}
	// A credential pasted into a flow, at any depth, must not be copied
	// into the state directory: the draft leaves it out.
	cfg := flow.StripCredentials(d.Config.Root())
	w := flow.NewObject()
	w.Set("path", flow.NewString(s.Abs(d.Path)), nil)
	w.Set("updated", flow.NewString(d.Updated.UTC().Format(time.RFC3339)), nil)
	w.Set("pid", flow.NewInt(os.Getpid()), nil)
	if b := d.Base; b != nil {
		base := flow.NewObject()
		if b.Absent {
			base.Set("absent", flow.NewBool(true), nil)
		} else {
			base.Set("size", flow.NewInt(b.Size), nil)
			base.Set("sha256", flow.NewString(b.SHA256), nil)
		}
		w.Set("base", base, nil)
	}
	w.Set("config", cfg, nil)
	return WriteFileAtomic(filepath.Join(s.draftsDir(), d.ID+".json"), flow.Marshal(w), 0o600)
}

// RemoveDraft deletes a draft; a missing one is not an error. A draft
// another running window writes (two windows opened the file before
// either wrote one) is that window's work: it is left alone.
func (s Store) RemoveDraft(id string) error {
	if s.Dir == "" || id == "" || s.draftHeldElsewhere(id) {
		return nil
	}
	err := os.Remove(filepath.Join(s.draftsDir(), id+".json"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing draft: %w", err)
	}
	return nil
}

// heldElsewhere reports a draft that another identoflow, still running,
// keeps autosaving: it is that window's work in progress, not unsaved work
// to recover here.
func (s Store) heldElsewhere(d Draft) bool {
	return d.PID > 0 && d.PID != os.Getpid() && s.running(d.PID)
}

// draftHeldElsewhere reports whether the draft id is written by another
// running window.
func (s Store) draftHeldElsewhere(id string) bool {
	d, err := s.readDraft(filepath.Join(s.draftsDir(), id+".json"))
	return err == nil && s.heldElsewhere(d)
}

// Drafts lists the drafts, newest first. Unreadable ones, and those another
// running window is writing, are skipped.
func (s Store) Drafts() []Draft {
	if s.Dir == "" {
		return nil
	}
	entries, err := os.ReadDir(s.draftsDir())
	if err != nil {
		return nil
	}
	var out []Draft
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		if d, err := s.readDraft(filepath.Join(s.draftsDir(), name)); err == nil && !s.heldElsewhere(d) {
			d.ID = strings.TrimSuffix(name, ".json")
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Updated.After(out[j].Updated) })
	return out
}

// DraftFor returns the newest draft of the file at path, if there is one:
// the file's own, or one a second window on the file kept apart.
func (s Store) DraftFor(path string) (Draft, bool) {
	id := DraftID(s.Abs(path), "")
	for _, d := range s.Drafts() { // newest first
		if d.ID == id || strings.HasPrefix(d.ID, id+"-") {
			return d, true
		}
	}
	return Draft{}, false
}

// HeldElsewhere reports that another running window is editing the file
// at path: it writes the file's draft. A second window then keeps a draft
// of its own, so that neither overwrites or deletes the other's.
func (s Store) HeldElsewhere(path string) bool {
	if s.Dir == "" {
		return false
	}
	d, err := s.readDraft(filepath.Join(s.draftsDir(), DraftID(s.Abs(path), "")+".json"))
	return err == nil && s.heldElsewhere(d)
}

func (s Store) readDraft(name string) (Draft, error) {
	f, err := os.Open(name)
	if err != nil {
		return Draft{}, err
	}
	defer f.Close()
	data, err := flow.ReadAll(f)
	if err != nil {
		return Draft{}, err
	}
	w, err := flow.ParseValue(data)
	if err != nil {
		return Draft{}, err
	}
	c, err := flow.FromValue(w.Get("config"))
	if err != nil {
		return Draft{}, err
	}
	path, _ := w.Get("path").Str()
	updated, _ := w.Get("updated").Str()
	t, _ := time.Parse(time.RFC3339, updated)
	pid, _ := w.Get("pid").Int()
	d := Draft{Path: path, Updated: t, Config: c, PID: pid}
	if b := w.Get("base"); b.Is(flow.Object) {
		absent, _ := b.Get("absent").Bool()
		size, okSize := b.Get("size").Int()
		sum, okSum := b.Get("sha256").Str()
		switch {
		case absent:
			d.Base = &FileState{Absent: true}
		case okSize && okSum:
			d.Base = &FileState{Size: size, SHA256: sum}
		}
	}
	return d, nil
}

const maxRecent = 10

// Recent returns recently opened files that still exist, newest first.
func (s Store) Recent() []string {
	if s.Dir == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(s.Dir, "recent.json"))
	if err != nil {
		return nil
	}
	var paths []string
	if json.Unmarshal(data, &paths) != nil {
		return nil
	}
	var out []string
	for _, p := range paths {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			out = append(out, p)
		}
	}
	return out
}

// AddRecent puts path first in the recent-files list.
func (s Store) AddRecent(path string) error {
	if s.Dir == "" {
		return nil
	}
	abs := s.Abs(path)
	paths := slices.DeleteFunc(s.Recent(), func(p string) bool { return p == abs })
	paths = append([]string{abs}, paths...)
	if len(paths) > maxRecent {
		paths = paths[:maxRecent]
	}
	data, _ := json.MarshalIndent(paths, "", "  ")
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("recording recent file: %w", err)
	}
	return WriteFileAtomic(filepath.Join(s.Dir, "recent.json"), append(data, '\n'), 0o600)
}

// LoadFile reads a config file for the editor. A file that does not parse
// comes back with its SyntaxError so the editor can show it read-only.
func LoadFile(path string) (*flow.Config, []byte, error) {
	f, err := os.Open(path)
	if err != nil {
		// The PathError would name the file a second time.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, nil, fmt.Errorf("opening %s: %w", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return nil, nil, fmt.Errorf("%s is a directory, not a config file", path)
	}
	data, err := flow.ReadAll(f)
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	c, err := flow.Parse(data)
	if err != nil {
		return nil, data, err
	}
	return c, data, nil
}
