"""Reads an editorial cut with OpenTimelineIO and prints what Shotcaller needs of it as JSON.

Usage: read_cut.py FILE --rate RATE [--drop-frame yes|no]

OpenTimelineIO does all the editorial work: it picks the adapter by the file's extension (cmx_3600 for
.edl, fcp_xml for .xml, otio_json for .otio), parses the timecodes, and prints them back. Shotcaller's
TypeScript validates this output with a zod schema (packages/turnovers/src/cut-document.ts) and never
parses a timecode or an EDL itself. An EDL carries no frame rate, so it is read at RATE; XML and .otio
files say their own, which is reported so that a mismatch with the show's rate is caught.

Exit codes: 0 with the JSON on stdout; 2 when the file cannot be read, with the reason on stderr.
"""

import argparse
import json
import os
import sys

import opentimelineio as otio

ADAPTERS = {".edl": "cmx_3600", ".xml": "fcp_xml", ".otio": "otio_json"}


def timecode(frames, rate, drop_frame):
    return otio.opentime.to_timecode(otio.opentime.RationalTime(frames, rate), rate, drop_frame)


def frames_at(time, rate):
    # Rounded, not truncated: 23.976 and 29.97 times rescaled between near-equal rates land a hair off.
    return int(round(time.value_rescaled_to(rate)))


def marker_json(marker):
    return {
        "name": marker.name or "",
        "color": str(marker.color or ""),
        "comment": getattr(marker, "comment", "") or "",
    }


def clip_json(clip, event, rate, drop_frame):
    source = clip.trimmed_range()
    record = clip.range_in_parent()
    source_in = frames_at(source.start_time, rate)
    duration = frames_at(source.duration, rate)
    record_in = frames_at(record.start_time, rate)
    cmx = clip.metadata.get("cmx_3600", {}) if hasattr(clip.metadata, "get") else {}
    return {
        "event": event,
        "name": clip.name or "",
        "rate": source.start_time.rate,
        "sourceIn": source_in,
        "duration": duration,
        "recordIn": record_in,
        "timecodes": {
            "sourceIn": timecode(source_in, rate, drop_frame),
            "sourceOut": timecode(source_in + duration, rate, drop_frame),
            "recordIn": timecode(record_in, rate, drop_frame),
            "recordOut": timecode(record_in + duration, rate, drop_frame),
        },
        "markers": [marker_json(m) for m in clip.markers],
        "comments": [str(c) for c in cmx.get("comments", [])],
        "reel": str(cmx.get("reel", "")),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--drop-frame", choices=["yes", "no"], default="no")
    args = parser.parse_args()

    # OTIO accepts only exact SMPTE rates (24000/1001, not 23.976).
    rate = otio.opentime.RationalTime.nearest_valid_timecode_rate(args.rate)
    drop_frame = args.drop_frame == "yes"
    extension = os.path.splitext(args.file)[1].lower()
    adapter = ADAPTERS.get(extension)
    if adapter is None:
        print(f"{args.file}: not a cut OpenTimelineIO reads here (use .edl, .xml or .otio)", file=sys.stderr)
        return 2
    try:
        options = {"rate": rate} if adapter == "cmx_3600" else {}
        timeline = otio.adapters.read_from_file(args.file, adapter_name=adapter, **options)
    except Exception as error:  # every adapter raises its own kind; all mean "cannot read this cut"
        print(f"{args.file}: OpenTimelineIO cannot read it as {adapter}: {error}", file=sys.stderr)
        return 2
    if isinstance(timeline, otio.schema.SerializableCollection):
        timelines = list(timeline.find_children(descended_from_type=otio.schema.Timeline))
        if not timelines:
            print(f"{args.file}: holds no timeline", file=sys.stderr)
            return 2
        timeline = timelines[0]
    if not isinstance(timeline, otio.schema.Timeline):
        print(f"{args.file}: holds a {type(timeline).__name__}, not a timeline", file=sys.stderr)
        return 2

    tracks = []
    for index, track in enumerate(timeline.video_tracks(), start=1):
        clips = [
            clip_json(clip, event, rate, drop_frame)
            for event, clip in enumerate(track.find_clips(shallow_search=True), start=1)
        ]
        tracks.append({"index": index, "name": track.name or f"V{index}", "clips": clips})

    json.dump(
        {
            "adapter": adapter,
            "name": timeline.name or "",
            "rate": rate,
            "dropFrame": drop_frame,
            "tracks": tracks,
        },
        sys.stdout,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
