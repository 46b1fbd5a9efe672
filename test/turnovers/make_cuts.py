"""Writes the turnover fixtures with OpenTimelineIO itself: a cut and its re-cut as CMX 3600 EDL, Final
Cut Pro XML and .otio, the bad inputs, and drop-frame and 23.976 cuts with the frame numbers and
timecodes OTIO computes for them (expected.json), for turnovers.int.test.ts.

Usage: make_cuts.py OUTDIR
"""

import json
import os
import sys

import opentimelineio as otio

FORMATS = ("edl", "xml", "otio")


def rate_of(fps):
    return otio.opentime.RationalTime.nearest_valid_timecode_rate(fps)


def clip(name, source_tc, duration, rate, note=None, comment=None):
    start = otio.opentime.from_timecode(source_tc, rate)
    c = otio.schema.Clip(
        name=name,
        source_range=otio.opentime.TimeRange(start, otio.opentime.RationalTime(duration, rate)),
    )
    # FCP XML needs to know how much media there is; give the plate 100 frames either side.
    c.media_reference = otio.schema.ExternalReference(
        target_url=f"/plates/{name}.mov",
        available_range=otio.opentime.TimeRange(
            start - otio.opentime.RationalTime(100, rate),
            otio.opentime.RationalTime(duration + 200, rate),
        ),
    )
    if note:
        c.markers.append(
            otio.schema.Marker(
                name=note,
                marked_range=otio.opentime.TimeRange(start, otio.opentime.RationalTime(0, rate)),
                color=otio.schema.MarkerColor.RED,
            )
        )
    if comment:
        c.metadata["cmx_3600"] = {"comments": [comment]}
    return c


def timeline(name, tracks):
    tl = otio.schema.Timeline(name=name)
    for index, clips in enumerate(tracks, start=1):
        track = otio.schema.Track(name=f"V{index}", kind=otio.schema.TrackKind.Video)
        for c in clips:
            track.append(c)
        tl.tracks.append(track)
    return tl


def vfx(name, source_tc, duration, note, rate=24):
    return clip(name, source_tc, duration, rate_of(rate), note, f"VFX: {note}")


def plate(name, source_tc, duration, rate=24):
    return clip(name, source_tc, duration, rate_of(rate))


def write_all(tl, out, stem, formats=FORMATS):
    for ext in formats:
        otio.adapters.write_to_file(tl, os.path.join(out, f"{stem}.{ext}"))


def main(out):
    os.makedirs(out, exist_ok=True)
    # The first cut: five VFX shots and a plate between them.
    cut = timeline("NTH R1", [[
        vfx("COL_0010", "10:00:00:00", 48, "TOWER FALLS"),
        plate("A001C003", "11:00:00:00", 24),
        vfx("COL_0020", "12:00:10:00", 60, "DUST CLOUD"),
        vfx("COL_0030", "13:00:00:00", 36, "SMOKE PLUME"),
        vfx("COL_0040", "14:00:00:00", 40, "GLASS SHATTERS"),
        vfx("COL_0060", "16:00:00:00", 30, "DEBRIS RAIN"),
    ]])
    # The re-cut: 0010 lengthened by 6 frames (4 at the head, 2 at the tail: within 8 handles),
    # 0020 omitted, 0030 moved to after 0060, 0050 new.
    recut = timeline("NTH R2", [[
        vfx("COL_0010", "09:59:59:20", 54, "TOWER FALLS"),
        plate("A001C003", "11:00:00:00", 24),
        vfx("COL_0040", "14:00:00:00", 40, "GLASS SHATTERS"),
        vfx("COL_0060", "16:00:00:00", 30, "DEBRIS RAIN"),
        vfx("COL_0030", "13:00:00:00", 36, "SMOKE PLUME"),
        vfx("COL_0050", "15:00:00:00", 20, "SPARKS"),
    ]])
    write_all(cut, out, "cut")
    write_all(recut, out, "recut")
    # One shot, then the same shot 6 frames longer: for a shot a vendor is already working on.
    write_all(timeline("ONE R1", [[vfx("COL_0010", "10:00:00:00", 48, "TOWER FALLS")]]), out, "one", ("edl",))
    write_all(timeline("ONE R2", [[vfx("COL_0010", "09:59:59:20", 54, "TOWER FALLS")]]), out, "one-recut", ("edl",))

    # Bad inputs.
    with open(os.path.join(out, "garbage.edl"), "w") as f:
        f.write("TITLE: broken\n\nthis is not an edit decision\n")
    # An event marked `* VFX:` whose clip name does not fit ${sequence}_${shot}.
    write_all(timeline("marked", [[
        vfx("COL_0010", "10:00:00:00", 48, "TOWER FALLS"),
        vfx("A001C007", "11:00:00:00", 24, "SKY REPLACEMENT"),
    ]]), out, "marked", ("edl",))
    # A 25 fps cut, for a 24 fps show.
    write_all(timeline("PAL", [[vfx("COL_0010", "10:00:00:00", 50, "TOWER FALLS", rate=25)]]), out, "pal", ("xml",))
    # The same shot on two tracks, overlapping in the cut.
    write_all(timeline("overlap", [
        [vfx("COL_0010", "10:00:00:00", 48, "TOWER FALLS"), vfx("COL_0020", "12:00:10:00", 60, "DUST CLOUD")],
        [plate("A001C001", "09:00:00:00", 24), vfx("COL_0010", "10:00:05:00", 48, "TOWER FALLS")],
    ]), out, "overlap", ("otio",))

    # Timecode round trips: drop-frame 29.97 across minute boundaries, and 23.976.
    expected = {}
    for stem, fps, drop, tcs in (
        ("df", 29.97, True, ["01:00:59;29", "01:01:00;02", "00:10:00;00"]),
        ("fps23976", 23.976, False, ["00:59:59:23", "01:00:00:00", "10:00:00:00"]),
    ):
        rate = rate_of(fps)
        clips = [vfx(f"TC_{index:04d}", tc, 10 + index, f"ROUND TRIP {index}", fps) for index, tc in enumerate(tcs, 1)]
        write_all(timeline(stem, [clips]), out, stem)
        expected[stem] = [
            {
                "shot": c.name.split("_")[1],
                "sourceInTimecode": tc,
                "sourceIn": int(round(otio.opentime.from_timecode(tc, rate).value)),
                "sourceOutTimecode": otio.opentime.to_timecode(
                    otio.opentime.from_timecode(tc, rate) + c.source_range.duration, rate, drop
                ),
                "duration": int(round(c.source_range.duration.value)),
            }
            for c, tc in zip(clips, tcs)
        ]
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1])
