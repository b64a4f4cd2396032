#!/usr/bin/env bash
# Regenerates the sample media every new account starts with (app/.server/sample-media/):
# a 640x480 JPEG product shot of a pair of headphones and a 4 s 480x270 H.264 demo video of
# the same product. Everything is drawn by ffmpeg filters, so the files are ours to ship.
# Usage: scripts/make-sample-media.sh  (FFMPEG_PATH overrides the ffmpeg from npm).
set -euo pipefail

cd "$(dirname "$0")/.."
FFMPEG=${FFMPEG_PATH:-$(node -e 'process.stdout.write(require("@ffmpeg-installer/ffmpeg").path)')}
OUT_DIR=app/.server/sample-media
FONT_BOLD=$(fc-match -f '%{file}' 'DejaVu Sans:bold')
FONT=$(fc-match -f '%{file}' 'DejaVu Sans')
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The scene is drawn per pixel with geq on a 1280x960 stage (shapes placed for that size; a
# wider canvas centres them) and scaled down afterwards, which anti-aliases the hard edges.
scene_expressions() {
  local ox=$1 # how far the stage sits from the canvas's left edge
  local x="(X-$ox)"
  ell() { echo "hypot(($x-$1)/$3,(Y-$2)/$4)"; }
  local band_r="hypot($x-640,Y-520)"
  local in_band="between($band_r,298,340)*lte(Y,522)"
  local in_pad="between($band_r,282,298)*lte(Y,522)"
  local in_slider="(between($x,306,334)+between($x,946,974))*between(Y,500,560)"
  local slider_light="clip(1-abs($x-320)/14,0,1)*between($x,306,334)+clip(1-abs($x-960)/14,0,1)*between($x,946,974)"
  local cup_d="min($(ell 320 680 104 152),$(ell 960 680 104 152))"
  local in_cup="lt($cup_d,1)"
  local in_ring="between($cup_d,0.62,0.69)"
  local in_cushion="lt(min($(ell 372 680 74 142),$(ell 908 680 74 142)),1)"
  local cup_light="clip(1-min($(ell 282 610 104 152),$(ell 922 610 104 152)),0,1)"
  local rim="clip(($cup_d-0.82)/0.18,0,1)"
  local band_light="clip(1-abs($band_r-330)/9,0,1)"
  local glow="max(0,1-hypot($x-640,Y-470)/640)"
  local shadow="(1-0.34*clip(1-hypot(($x-640)/470,(Y-872)/44),0,1))"
  # One colour channel: backdrop top, backdrop bottom, shell, cushion, metal, accent.
  paint() {
    local backdrop="($1+($2-$1)*Y/H+20*$glow)*$shadow"
    echo "clip(if($in_ring,$6+40*$cup_light,if($in_cup,$3+78*pow($cup_light,1.6)-22*$rim,if($in_cushion,$4,if($in_slider,$5+50*($slider_light),if($in_band,$3+46*$band_light,if($in_pad,$4,$backdrop)))))),0,255)"
  }
  echo "geq=r='$(paint 240 206 30 50 150 132)':g='$(paint 235 198 30 48 150 88)':b='$(paint 229 190 36 56 160 240)'"
}

render_scene() { # <canvas width> <output png>
  local width=$1
  printf 'color=c=black:s=%sx960,format=gbrp,%s\n' "$width" "$(scene_expressions $(((width - 1280) / 2)))" >"$WORK/scene.graph"
  "$FFMPEG" -hide_banner -loglevel error -y -filter_complex_script "$WORK/scene.graph" -frames:v 1 "$2"
}

# Product photo: the 4:3 stage with a product name.
render_scene 1280 "$WORK/photo-stage.png"
"$FFMPEG" -hide_banner -loglevel error -y -i "$WORK/photo-stage.png" -vf "\
scale=640:480:flags=lanczos,\
drawtext=fontfile=$FONT_BOLD:text='AURA ONE':fontsize=26:fontcolor=0x2a2830:x=40:y=34,\
drawtext=fontfile=$FONT:text='Wireless noise-cancelling headphones':fontsize=14:fontcolor=0x6e6672:x=41:y=68,\
format=yuvj420p" -frames:v 1 -q:v 3 "$OUT_DIR/product-photo.jpg"

# Demo video: a slow push-in on a 16:9 stage, sound waves pulsing out of both ear cups and
# the title fading in. Ear cups sit at (150,191) and (330,191) in the 480x270 frame.
render_scene 1708 "$WORK/video-stage.png"
wave() { # <cup centre x> <side: -1 left, 1 right> <phase seconds>
  local age="mod(T+$3,1.2)/1.2"
  echo "gt($2*(X-$1),26)*lt(abs(hypot(X-$1,(Y-191)*0.8)-(36+46*$age)),2.2)*(1-$age)"
}
"$FFMPEG" -hide_banner -loglevel error -y \
  -loop 1 -framerate 25 -t 4 -i "$WORK/video-stage.png" \
  -f lavfi -i "color=c=black@0:s=480x270:r=25:d=4,format=rgba" \
  -filter_complex "\
[0:v]zoompan=z='1+0.08*on/100':x='iw/2-iw/zoom/2':y='ih/2-ih/zoom/2':d=1:s=480x270:fps=25[stage];\
[1:v]geq=r=139:g=92:b=246:a='255*min(1,$(wave 150 -1 0)+$(wave 150 -1 0.6)+$(wave 330 1 0)+$(wave 330 1 0.6))'[waves];\
[stage][waves]overlay=format=auto,\
drawtext=fontfile=$FONT_BOLD:text='Weft demo':fontsize=20:fontcolor=0x2a2830:x=16:y=14:alpha='min(1,t/0.8)',\
drawbox=x=16:y=40:w=96:h=3:color=0x8b5cf6:t=fill,\
format=yuv420p" \
  -c:v libx264 -profile:v main -preset slow -crf 27 -movflags +faststart -an "$OUT_DIR/demo-video.mp4"

ls -l "$OUT_DIR"
