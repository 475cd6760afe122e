package launchtest

import (
	"image"
	"image/color"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/makiuchi-d/gozxing"
	zxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

// DecodeQR reads the QR code of a terminal frame. It rebuilds the
// picture (half blocks and their ANSI colours, each cell 4×8 px, on a
// dark theme) and first searches it for a code, the way a phone would.
// gozxing's search misses about one code in a hundred that zbar reads, so
// when it fails the block drawn in the code's colours is cut out and read
// as a pure code: the symbol must still be exactly right.
func DecodeQR(frame string) (string, error) {
	scr := launchParseFrame(frame)
	text, err := launchDecodeImage(scr.image(0, 0, scr.cols(), len(scr.cells), themeDefaultBG), nil)
	if err == nil {
		return text, nil
	}
	x0, y0, x1, y1, ok := scr.codeBox()
	if !ok {
		return "", err
	}
	pure := map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true}
	if text, perr := launchDecodeImage(scr.image(x0, y0, x1, y1, 255), pure); perr == nil {
		return text, nil
	}
	return "", err
}

const (
	themeDefaultFG, themeDefaultBG = 200, 40
	launchCellW, launchCellH       = 4, 8
	launchMargin                   = 16
)

// launchCell is a terminal cell: the grey of its top and bottom halves,
// and whether it was drawn in the QR code's own colours.
type launchCell struct {
	top, bottom uint8
	code        bool
}

// launchFrame is a frame as cells, row by row.
type launchFrame struct{ cells [][]launchCell }

func (f launchFrame) cols() int {
	n := 0
	for _, row := range f.cells {
		n = max(n, len(row))
	}
	return n
}

// codeBox is the cell rectangle drawn in the code's colours.
func (f launchFrame) codeBox() (x0, y0, x1, y1 int, ok bool) {
	x0, y0 = 1<<30, 1<<30
	for y, row := range f.cells {
		for x, c := range row {
			if c.code {
				x0, y0, x1, y1, ok = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1), true
			}
		}
	}
	return x0, y0, x1, y1, ok
}

// image paints cells [x0,x1)×[y0,y1) with a margin of the given grey.
func (f launchFrame) image(x0, y0, x1, y1 int, around uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, (x1-x0)*launchCellW+2*launchMargin, (y1-y0)*launchCellH+2*launchMargin))
	for i := range img.Pix {
		img.Pix[i] = around
	}
	for y := y0; y < y1 && y < len(f.cells); y++ {
		for x := x0; x < x1; x++ {
			c := launchCell{themeDefaultBG, themeDefaultBG, false}
			if x < len(f.cells[y]) {
				c = f.cells[y][x]
			}
			for dy := range launchCellH {
				v := c.top
				if dy >= launchCellH/2 {
					v = c.bottom
				}
				for dx := range launchCellW {
					img.SetGray(launchMargin+(x-x0)*launchCellW+dx, launchMargin+(y-y0)*launchCellH+dy, color.Gray{Y: v})
				}
			}
		}
	}
	return img
}

func launchDecodeImage(img image.Image, hints map[gozxing.DecodeHintType]interface{}) (string, error) {
	bitmap, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := zxingqr.NewQRCodeReader().Decode(bitmap, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// launchParseFrame follows the SGR colours of a frame cell by cell.
func launchParseFrame(frame string) launchFrame {
	var f launchFrame
	fg, bg := uint8(themeDefaultFG), uint8(themeDefaultBG)
	codeFG, codeBG := false, false // set from the code's palette entries 16 and 231
	palette := func(n int) (uint8, bool) {
		switch n {
		case 16:
			return 0, true
		case 231:
			return 255, true
		}
		return 128, false
	}
	for _, line := range strings.Split(frame, "\n") {
		var row []launchCell
		for len(line) > 0 {
			if strings.HasPrefix(line, "\x1b[") {
				end := strings.IndexFunc(line[2:], func(r rune) bool { return r >= 0x40 && r <= 0x7e })
				if end < 0 {
					break
				}
				seq, final := line[2:2+end], line[2+end]
				line = line[3+end:]
				if final != 'm' {
					continue
				}
				params := strings.Split(seq, ";")
				for i := 0; i < len(params); i++ {
					p, _ := strconv.Atoi(params[i])
					switch {
					case p == 0:
						fg, bg, codeFG, codeBG = themeDefaultFG, themeDefaultBG, false, false
					case p == 39:
						fg, codeFG = themeDefaultFG, false
					case p == 49:
						bg, codeBG = themeDefaultBG, false
					case (p == 38 || p == 48) && i+2 < len(params) && params[i+1] == "5":
						n, _ := strconv.Atoi(params[i+2])
						if p == 38 {
							fg, codeFG = palette(n)
						} else {
							bg, codeBG = palette(n)
						}
						i += 2
					case (p == 38 || p == 48) && i+4 < len(params) && params[i+1] == "2":
						// True colour: the text around the code.
						if p == 38 {
							fg, codeFG = 128, false
						} else {
							bg, codeBG = 128, false
						}
						i += 4
					}
				}
				continue
			}
			r, size := utf8.DecodeRuneInString(line)
			line = line[size:]
			c := launchCell{bg, bg, codeBG}
			switch r {
			case '█':
				c = launchCell{fg, fg, codeFG}
			case '▀':
				c = launchCell{fg, bg, codeFG && codeBG}
			case '▄':
				c = launchCell{bg, fg, codeFG && codeBG}
			case ' ':
			default:
				c.code = false // text
			}
			for range max(1, ansi.StringWidth(string(r))) {
				row = append(row, c)
			}
		}
		f.cells = append(f.cells, row)
	}
	return f
}
