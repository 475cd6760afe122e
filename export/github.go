package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/identoflow/identoflow/flow"
)

// GitHub workflow commands: `::error file=F,line=L,col=C,title=T::message`.
// Values escape %, CR and LF; property values also ':' and ','.
var (
	ghData     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// githubCommands names the annotation of each severity.
var githubCommands = map[flow.Severity]string{flow.SevError: "error", flow.SevWarning: "warning", flow.SevInfo: "notice"}

// WriteGitHubAnnotations writes one workflow annotation per diagnostic, in
// the order they stand in the file, so a GitHub Actions run shows each
// problem on its line; a file that cannot be read is an error annotation
// on the file, and so is an invalid file whose reasons AtLeast hid (a
// notice says what else was hidden).
func WriteGitHubAnnotations(w io.Writer, files []FileReport) error {
	var b strings.Builder
	for _, f := range files {
		file := ghProperty.Replace(flow.Visible(f.File))
		if f.Error != "" {
			fmt.Fprintf(&b, "::error file=%s,title=unreadable::%s\n", file, ghData.Replace(flow.Visible("cannot read: "+f.Error)))
			continue
		}
		for _, d := range byPosition(f.Diagnostics) {
			props := "file=" + file
			if d.Line > 0 {
				props += fmt.Sprintf(",line=%d,col=%d", d.Line, d.Column)
			}
			props += ",title=" + ghProperty.Replace(flow.Visible(d.Code))
			msg := d.Message
			if d.Path != "" {
				msg = d.Path + ": " + msg
			}
			fmt.Fprintf(&b, "::%s %s::%s\n", githubCommands[d.Severity], props, ghData.Replace(flow.Visible(msg)))
		}
		if why := f.hiddenReason(); why != "" {
			fmt.Fprintf(&b, "::error file=%s,title=hidden::invalid; %s\n", file, why)
		} else if len(f.Hidden) > 0 {
			fmt.Fprintf(&b, "::notice file=%s,title=hidden::%s hidden\n", file, SeverityCounts(f.Hidden))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
