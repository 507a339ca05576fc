// Command icons draws the extension's toolbar icons: a stopwatch on a
// rounded square, blue when idle and green while a timer runs. It renders
// each size from a signed-distance description with 8x8 supersampling, so
// the 16 px icon is drawn for 16 px rather than scaled down.
//
//	go run ./tests/tools/icons extension/icons
package main

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

type palette struct {
	name string
	bg   color.NRGBA
}

func main() {
	dir := "extension/icons"
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	for _, p := range []palette{
		{"idle", color.NRGBA{0x1f, 0x6f, 0xd1, 0xff}},
		{"active", color.NRGBA{0x15, 0x80, 0x3d, 0xff}},
	} {
		for _, size := range []int{16, 32, 48, 128} {
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, size))
			if err := write(path, draw(size, p)); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
}

func write(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return png.Encode(f, img)
}

// shape coverage at a point in unit coordinates (0..1): background square,
// then white glyph parts.
func draw(size int, p palette) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 8
	// Thin strokes get relatively thicker at small sizes so they stay visible.
	stroke := 0.085
	if size <= 16 {
		stroke = 0.12
	} else if size <= 32 {
		stroke = 0.1
	}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var bgCov, fgCov float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(size)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(size)
					if roundedSquare(u, v, 0.02, 0.22) {
						bgCov++
						if glyph(u, v, stroke, p.name == "active") {
							fgCov++
						}
					}
				}
			}
			bgCov /= ss * ss
			fgCov /= ss * ss
			// White over the colour, both over transparency.
			a := bgCov
			if a == 0 {
				continue
			}
			mix := fgCov / a
			r := float64(p.bg.R)*(1-mix) + 255*mix
			g := float64(p.bg.G)*(1-mix) + 255*mix
			b := float64(p.bg.B)*(1-mix) + 255*mix
			img.SetNRGBA(x, y, color.NRGBA{uint8(r + 0.5), uint8(g + 0.5), uint8(b + 0.5), uint8(a*255 + 0.5)})
		}
	}
	return img
}

func roundedSquare(u, v, inset, radius float64) bool {
	lo, hi := inset+radius, 1-inset-radius
	dx := math.Max(math.Max(lo-u, u-hi), 0)
	dy := math.Max(math.Max(lo-v, v-hi), 0)
	return u >= inset && u <= 1-inset && v >= inset && v <= 1-inset && dx*dx+dy*dy <= radius*radius
}

// glyph is a stopwatch: a ring, a crown above it and a hand pointing at
// twelve; the active icon fills a quarter of the dial, like elapsed time.
func glyph(u, v, stroke float64, active bool) bool {
	cx, cy, r := 0.5, 0.56, 0.27
	d := math.Hypot(u-cx, v-cy)
	if math.Abs(d-r) <= stroke/2 {
		return true // the ring
	}
	if math.Abs(u-cx) <= stroke*0.9 && v >= cy-r-0.13 && v <= cy-r {
		return true // the stem
	}
	if math.Abs(u-cx) <= 0.1 && v >= cy-r-0.17 && v <= cy-r-0.17+stroke {
		return true // the crown
	}
	if math.Abs(u-cx) <= stroke/2 && v >= cy-r*0.72 && v <= cy {
		return true // the hand at twelve
	}
	if d <= stroke*0.8 {
		return true // the hub
	}
	if active && d < r-stroke && u > cx && v < cy {
		return true // elapsed quarter
	}
	return false
}
