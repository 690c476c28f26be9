#!/usr/bin/env bash
# Regenerates the demo program's audio and video from the transcripts in the module files.
#
#   content/programs/demo/make-media.sh            # everything
#   content/programs/demo/make-media.sh 02 05      # only modules whose file name starts so
#
# Needs espeak-ng, sox and ffmpeg (Debian: apt-get install espeak-ng sox ffmpeg).
#
# Audio: every `## … {audio=media/X.mp3}` item of a `<stem>.<lang>.md` file is read aloud in that
# language (espeak-ng voice `fi` or `sv`). Each line of the item text is one utterance followed by
# a short pause; a blank line is a longer pause; `…` inside a line is a pause of two seconds.
# Encoded as MP3 (mono, 24 kbit/s), which plays everywhere, also on older tablets.
#
# Video: every `## … {video=media/X.mp4 captions.fi=… captions.sv=…}` item is a breathing guide:
# a circle that grows for five seconds (breathe in) and shrinks for five (breathe out). Each
# paragraph of the item text is one caption cue. Both languages get the same timing: every
# `…`-separated part starts on a five-second boundary, every paragraph on a ten-second one, so
# the captions of either language fit both recordings. The picture is the same in both files.
set -euo pipefail
cd "$(dirname "$0")"

SPEED=${SPEED:-125}          # espeak-ng words per minute: slow and calm
RATE=22050                   # espeak-ng's own sample rate
LINE_PAUSE=0.9               # seconds after each line of an audio text
PARA_PAUSE=1.6               # seconds after each paragraph
DOTS_PAUSE=2.0               # seconds for a `…`
HALF_BREATH=5                # video: seconds of breathing in, and of breathing out

# Repeatable: sox seeds its dither with a fixed number, so the same text gives the same bytes.
sox() { command sox -R "$@"; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

# items FILE KEY: "path<TAB>line" for every text line of the items whose heading has KEY=path.
items() {
  awk -v key="$2" '
    /^## / {
      path = ""
      if (match($0, "[{ ]" key "=[^ }]+")) path = substr($0, RSTART + length(key) + 2, RLENGTH - length(key) - 2)
      started = 0
      next
    }
    path != "" {
      if (!started && $0 ~ /^[[:space:]]*$/) next   # blank lines right after the heading
      started = 1
      print path "\t" $0
    }' "$1"
}

# clean LINE: the words to speak (Markdown list marks and emphasis removed).
clean() { sed -E 's/^[[:space:]]*[-*][[:space:]]+//; s/\*\*//g; s/[*_]//g' <<<"$1"; }

say() { # say VOICE TEXT OUT.wav
  espeak-ng -v "$1" -s "$SPEED" -w "$3" "$2"
}

silence() { # silence SECONDS OUT.wav
  sox -n -r "$RATE" -c 1 -b 16 "$2" trim 0 "$1"
}

duration() { soxi -D "$1"; }

mp3() { # mp3 IN.wav OUT.mp3
  ffmpeg -nostdin -y -loglevel error -i "$1" -ac 1 -ar "$RATE" -c:a libmp3lame -b:a 24k \
    -map_metadata -1 -fflags +bitexact -flags:a +bitexact "$2"
}

audio() { # audio FILE.md VOICE
  local file=$1 voice=$2 path line part parts=() out
  local current=""
  while IFS=$'\t' read -r path line; do
    if [[ $path != "$current" ]]; then
      [[ -n $current ]] && finish_audio "$current" "${parts[@]}"
      current=$path parts=()
    fi
    if [[ -z ${line//[[:space:]]/} ]]; then
      n=$((n + 1)); silence "$PARA_PAUSE" "$tmp/$n.wav"; parts+=("$tmp/$n.wav")
      continue
    fi
    line=$(clean "$line")
    local first=1
    while IFS= read -r part; do
      if ((!first)); then
        n=$((n + 1)); silence "$DOTS_PAUSE" "$tmp/$n.wav"; parts+=("$tmp/$n.wav")
      fi
      first=0
      [[ -z ${part//[[:space:]]/} ]] && continue
      n=$((n + 1)); say "$voice" "$part" "$tmp/$n.wav"; parts+=("$tmp/$n.wav")
    done < <(sed 's/…/\n/g' <<<"$line")
    n=$((n + 1)); silence "$LINE_PAUSE" "$tmp/$n.wav"; parts+=("$tmp/$n.wav")
  done < <(items "$file" audio)
  [[ -n $current ]] && finish_audio "$current" "${parts[@]}"
  return 0
}

finish_audio() { # finish_audio OUT.mp3 PART.wav…
  local out=$1; shift
  n=$((n + 1))
  sox "$@" "$tmp/$n-all.wav"
  # Trim the trailing pause, normalise, half a second of quiet at both ends.
  sox "$tmp/$n-all.wav" "$tmp/$n-done.wav" reverse silence 1 0.05 0.1% reverse norm -3 pad 0.5 0.5
  mkdir -p "$(dirname "$out")"
  mp3 "$tmp/$n-done.wav" "$out"
  printf '%-40s %5.1f s %7d bytes\n' "$out" "$(duration "$tmp/$n-done.wav")" "$(stat -c %s "$out")"
}

# paragraphs FILE KEY: one line per paragraph of the KEY item's text (lines joined by a space).
paragraphs() {
  items "$1" "$2" | cut -f2- | awk '
    /^[[:space:]]*$/ { if (p != "") print p; p = ""; next }
    { sub(/^[[:space:]]+/, ""); p = (p == "" ? $0 : p " " $0) }
    END { if (p != "") print p }'
}

vtt_time() { awk -v s="$1" 'BEGIN { printf "%02d:%02d:%06.3f", s / 3600, (s % 3600) / 60, s - int(s / 60) * 60 }'; }

ceil_to() { awk -v x="$1" -v u="$2" 'BEGIN { c = int(x / u); if (c * u < x) c++; if (c < 1) c = 1; print c * u }'; }

video() { # video STEM: the video item of STEM.fi.md, with its Swedish variant and captions
  local stem=$1 fi_path sv_path fi_vtt sv_vtt
  fi_path=$(items "$stem.fi.md" video | head -n1 | cut -f1)
  sv_path=$(items "$stem.sv.md" video | head -n1 | cut -f1)
  fi_vtt=$(grep -oE 'captions\.fi=[^ }]+' "$stem.fi.md" | head -n1 | cut -d= -f2)
  sv_vtt=$(grep -oE 'captions\.sv=[^ }]+' "$stem.fi.md" | head -n1 | cut -d= -f2)
  mapfile -t fi_paras < <(paragraphs "$stem.fi.md" video)
  mapfile -t sv_paras < <(paragraphs "$stem.sv.md" video)
  if ((${#fi_paras[@]} != ${#sv_paras[@]})); then
    echo "$stem: the Finnish and Swedish video texts have different numbers of paragraphs" >&2
    exit 1
  fi
  local fi_parts=() sv_parts=() t=0 i
  printf 'WEBVTT\n' >"$tmp/fi.vtt"
  printf 'WEBVTT\n' >"$tmp/sv.vtt"
  for i in "${!fi_paras[@]}"; do
    mapfile -t fp < <(sed 's/…/\n/g' <<<"${fi_paras[$i]}" | sed '/^[[:space:]]*$/d')
    mapfile -t sp < <(sed 's/…/\n/g' <<<"${sv_paras[$i]}" | sed '/^[[:space:]]*$/d')
    if ((${#fp[@]} != ${#sp[@]})); then
      echo "$stem: paragraph $((i + 1)) has a different number of … pauses in fi and sv" >&2
      exit 1
    fi
    local start=$t j used=0
    for j in "${!fp[@]}"; do
      n=$((n + 1)); local a="$tmp/$n-fi.wav" b="$tmp/$n-sv.wav"
      say fi "$(clean "${fp[$j]}")" "$a"
      say sv "$(clean "${sp[$j]}")" "$b"
      local longest slot
      longest=$(awk -v x="$(duration "$a")" -v y="$(duration "$b")" 'BEGIN { print (x > y ? x : y) + 0.3 }')
      slot=$(ceil_to "$longest" "$HALF_BREATH")
      # The last part of a paragraph fills the paragraph up to a whole breath.
      if ((j == ${#fp[@]} - 1)); then
        slot=$(ceil_to "$(awk -v u="$used" -v s="$slot" 'BEGIN { print u + s }')" $((2 * HALF_BREATH)))
        slot=$(awk -v u="$used" -v s="$slot" 'BEGIN { print s - u }')
      fi
      used=$(awk -v u="$used" -v s="$slot" 'BEGIN { print u + s }')
      sox "$a" "$tmp/$n-fi-slot.wav" pad 0 "$(awk -v s="$slot" -v d="$(duration "$a")" 'BEGIN { print s - d }')"
      sox "$b" "$tmp/$n-sv-slot.wav" pad 0 "$(awk -v s="$slot" -v d="$(duration "$b")" 'BEGIN { print s - d }')"
      fi_parts+=("$tmp/$n-fi-slot.wav")
      sv_parts+=("$tmp/$n-sv-slot.wav")
    done
    t=$(awk -v a="$start" -v b="$used" 'BEGIN { print a + b }')
    printf '\n%d\n%s --> %s\n%s\n' $((i + 1)) "$(vtt_time "$start")" "$(vtt_time "$t")" "$(clean "${fi_paras[$i]}")" >>"$tmp/fi.vtt"
    printf '\n%d\n%s --> %s\n%s\n' $((i + 1)) "$(vtt_time "$start")" "$(vtt_time "$t")" "$(clean "${sv_paras[$i]}")" >>"$tmp/sv.vtt"
  done
  sox "${fi_parts[@]}" "$tmp/video-fi.wav" norm -3
  sox "${sv_parts[@]}" "$tmp/video-sv.wav" norm -3
  # The picture: a soft circle on a calm background, smallest at the start of every breath, and
  # a faint ring showing how big it grows. One breath is drawn once and looped.
  local h=$HALF_BREATH
  local shade="st(0,clip(95-55*cos(PI*T/$h)-hypot(X-W/2,Y-H/2)+1,0,1));st(1,0.35*clip(1.5-abs(hypot(X-W/2,Y-H/2)-152),0,1));st(0,max(ld(0),ld(1)))"
  ffmpeg -nostdin -y -loglevel error -f lavfi -i "color=c=black:s=640x360:r=12:d=$((2 * h))" \
    -vf "format=gray,geq=lum='$shade;255*ld(0)',format=rgb24,lutrgb=r='24+(214-24)*val/255':g='66+(236-66)*val/255':b='82+(226-82)*val/255',format=yuv420p" \
    -c:v ffv1 "$tmp/breath.mkv"
  ffmpeg -nostdin -y -loglevel error -stream_loop -1 -i "$tmp/breath.mkv" -t "$t" \
    -c:v libx264 -preset slow -tune animation -crf 30 -g 120 -threads 1 \
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact "$tmp/picture.mp4"
  local lang path
  for lang in fi sv; do
    path=$fi_path
    [[ $lang == sv ]] && path=$sv_path
    ffmpeg -nostdin -y -loglevel error -i "$tmp/picture.mp4" -i "$tmp/video-$lang.wav" \
      -map 0:v -map 1:a -c:v copy -c:a aac -b:a 32k -ac 1 -shortest -movflags +faststart \
      -map_metadata -1 -fflags +bitexact -flags:a +bitexact "$path"
    printf '%-40s %5.1f s %7d bytes\n' "$path" "$t" "$(stat -c %s "$path")"
  done
  cp "$tmp/fi.vtt" "$fi_vtt"
  cp "$tmp/sv.vtt" "$sv_vtt"
  printf '%-40s %d cues\n' "$fi_vtt" "${#fi_paras[@]}"
  printf '%-40s %d cues\n' "$sv_vtt" "${#sv_paras[@]}"
}

wanted() { # wanted STEM: no arguments, or one of them is a prefix of STEM
  (($# == 1)) && return 0
  local stem=$1 p; shift
  for p in "$@"; do [[ $stem == "$p"* ]] && return 0; done
  return 1
}

mkdir -p media
for file in [0-9][0-9]-*.fi.md [0-9][0-9]-*.sv.md; do
  stem=${file%.*.md}
  lang=${file%.md}; lang=${lang##*.}
  wanted "$stem" "$@" || continue
  audio "$file" "$lang"
done
for file in [0-9][0-9]-*.fi.md; do
  stem=${file%.fi.md}
  wanted "$stem" "$@" || continue
  if grep -q '{video=' "$file"; then video "$stem"; fi
done
du -ch media | tail -n1
