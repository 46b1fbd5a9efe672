import { z } from 'zod';

/** A marker on a clip, as OpenTimelineIO gives it (an EDL's `* LOC:`, an XML `<marker>`). */
export const CutMarker = z.object({ name: z.string(), color: z.string(), comment: z.string() });

/** One clip of a video track: frames at the rate the cut was read at, outs exclusive. */
export const CutClip = z.object({
  event: z.int().positive(),
  name: z.string(),
  /** The rate the file itself gives the clip (an EDL's is the rate it was read at). */
  rate: z.number().positive(),
  sourceIn: z.int(),
  duration: z.int().nonnegative(),
  recordIn: z.int(),
  timecodes: z.object({
    sourceIn: z.string(),
    sourceOut: z.string(),
    recordIn: z.string(),
    recordOut: z.string(),
  }),
  markers: z.array(CutMarker),
  /** An EDL's comment lines other than those OTIO understands, without the leading `*`. */
  comments: z.array(z.string()),
  reel: z.string(),
});
export type CutClip = z.infer<typeof CutClip>;

/** What `python/read_cut.py` prints: the boundary between OpenTimelineIO and Shotcaller. */
export const CutDocument = z.object({
  adapter: z.enum(['cmx_3600', 'fcp_xml', 'otio_json']),
  name: z.string(),
  rate: z.number().positive(),
  dropFrame: z.boolean(),
  tracks: z.array(z.object({ index: z.int().positive(), name: z.string(), clips: z.array(CutClip) })),
});
export type CutDocument = z.infer<typeof CutDocument>;
